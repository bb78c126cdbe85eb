"""Date questions: when an event happened, when a pairing began."""

from __future__ import annotations

import datetime as dt
import re

from pearlbot.corpus.facts.models import (
    DateFact,
)
from pearlbot.retrieval.answering.common import (
    FactResult,
    candidates,
    delegation_origin,
    doc_cities,
    facts_of_kind,
    mentions,
    pairings_of,
    sentence_of,
    sentence_terms,
    shared_directions,
    synonym_terms,
    unknown_name,
)
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze
from pearlbot.retrieval.understanding.lexicon import (
    PAIRING_CUES,
)
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms,
    unaccounted_words,
)

# Date scoring weights, measured on eval/questions.jsonl (the first round's choices): what the
# question asks about decides (the event's words), names only break ties.
EVENT_WORD_WEIGHT = 3.0
SENTENCE_WORD_WEIGHT = 1.5
PLACE_WEIGHT = 1.0
PERSON_WEIGHT = 3.0
MISSING_PERSON_PENALTY = 5.0
DIRECTION_WEIGHT = 2.0  # "to X" / "from X" said both in the question and the sentence
ORIGIN_WEIGHT = 4.0


def date(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    names = {p.name for p in q.places}
    if q.has(*PAIRING_CUES, "start", "begin", "began", "established", "formed", "since"):
        pool = pairings_of(kb, names) if names else facts_of_kind(kb, "pairing")
        started = [
            f
            for f in pool
            if f.since
            and (not names or names <= {f.assisting, f.assisted, f.assisting_city, f.assisted_city})
        ]
        if started:
            best = sorted(started, key=lambda f: f.level != "city")[0]
            return FactResult(best.since, (best,))
    dates: list[DateFact] = candidates(kb, q, "date")
    # What the question asks about (not its names) decides; names only break ties.
    asked = (set(content_terms(q)) | synonym_terms(q)) - set(analyze("date day year time month"))
    origin = delegation_origin(q)
    best_score, best = 0.0, None
    for fact in dates:
        sentence = sentence_of(kb, fact)
        event_terms = set(analyze(fact.event, kb.settings.analyzer))
        score = EVENT_WORD_WEIGHT * len(asked & event_terms)
        score += SENTENCE_WORD_WEIGHT * len(asked & sentence_terms(kb, fact))
        score += sum(
            PLACE_WEIGHT
            for p in names
            if mentions(sentence, p) or p in doc_cities(kb, fact.source.doc_id)
        )
        # A person the question names ("Zhang San's delegation") must be in the sentence.
        score += sum(
            PERSON_WEIGHT if mentions(sentence, p.name) else -MISSING_PERSON_PENALTY
            for p in q.people
        )
        score += DIRECTION_WEIGHT * shared_directions(q, sentence)
        if origin and re.search(rf"\bdelegation from\b[^,.]*?\b{re.escape(origin)}\b", sentence):
            score += ORIGIN_WEIGHT  # "the Eastport delegation" is the one that came from Eastport
        if score > best_score:
            best_score, best = score, fact
    if best is None:
        return None
    terms = sentence_terms(kb, best) | set(analyze(best.event))
    if not (terms & asked):
        return None
    if unaccounted_words(q, terms, ignore=analyze("when date year day time")):
        return None
    return FactResult(_date_text(best), (best,))


def _date_text(fact: DateFact) -> str:
    if fact.precision == "day":
        return dt.date.fromisoformat(fact.date).strftime("%B %-d, %Y")
    return fact.text
