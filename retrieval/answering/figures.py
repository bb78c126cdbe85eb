"""Figure questions: how much, how many, what share; the newest release wins."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pearlbot.corpus.facts.models import (
    Fact,
    FigureFact,
)
from pearlbot.retrieval.answering.common import (
    FactResult,
    asked_year,
    candidates,
    doc_cities,
    doc_label,
    join_names,
    mentions,
    release_date,
    sentence_of,
    sentence_terms,
    sentence_terms_among,
    synonym_terms,
    unknown_name,
)
from pearlbot.retrieval.answering.typed import COUNT_NOUN_EQUIVALENTS, counted_noun, counts_noun
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze, analyze_text
from pearlbot.retrieval.understanding.lexicon import (
    COUNT_CUES,
    CURRENCY_UNITS,
    MONEY_CUES,
    PERCENT_CUES,
    SYNONYMS,
)
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms,
    expanded_terms,
    unaccounted_words,
)

LATEST_CUES = ("so far", "latest", "now", "to date", "currently", "most recent", "by now")
# Words a question may use without the cited sentence containing them.
_TIME_WORDS = frozenset(
    "so far now to date currently latest recent this year when date day what which".split()
)


# Figure scoring weights, measured on eval/questions.jsonl (the first round's choices,
# unchanged since): a question word in what the figure measures counts more than one elsewhere
# in its sentence; the unit must fit the cue ("how much" money, "how many" a count).
MEASURE_WORD_WEIGHT = 2.0
SENTENCE_WORD_WEIGHT = 1.5
UNASKED_MEASURE_WORD_PENALTY = 0.5
UNIT_FIT_WEIGHT = 3.0  # money cue and a currency, percent cue and a percentage (or minus)
COUNT_FIT_WEIGHT = 1.0
COUNT_MISFIT_PENALTY = 2.0  # a count question and a currency or a percentage
SUBJECT_WEIGHT = 1.0  # the figure's subject is (or is not) the asked place
ASKED_YEAR_WEIGHT = 1.5  # the release is of the asked year


@lru_cache(maxsize=1024)
def _cues(q: Question) -> tuple[bool, bool, bool, bool]:
    """(percent, money, count, "how many" without a currency) cues: read once per question,
    not once per figure scored."""
    counting = q.has("how many") and not q.has(*CURRENCY_UNITS)
    return q.has(*PERCENT_CUES), q.has(*MONEY_CUES), q.has(*COUNT_CUES), counting


def _figure_score(
    kb: KnowledgeBase,
    q: Question,
    fact: FigureFact,
    expanded: set[str],
    year: int | None,
    sentence: set[str] | None = None,  # given: only its terms in `expanded`, all this reads
) -> float:
    measure = analyze_text(f"{fact.measure} {fact.unit}", kb.settings.analyzer)
    sentence = sentence_terms(kb, fact) if sentence is None else sentence
    score = MEASURE_WORD_WEIGHT * len(expanded & measure)
    score += SENTENCE_WORD_WEIGHT * len(expanded & sentence)
    score -= UNASKED_MEASURE_WORD_PENALTY * len(measure - expanded - sentence & expanded)
    currency = fact.unit in CURRENCY_UNITS
    percent_cue, money_cue, count_cue, counting = _cues(q)
    if percent_cue:
        pass  # "by how much did sales grow": a rate, though it says "how much"
    elif money_cue and not counting:  # "how many investment projects" counts
        score += UNIT_FIT_WEIGHT if currency else -UNIT_FIT_WEIGHT
    elif count_cue:
        misfit = currency or fact.unit == "percent"
        score += -COUNT_MISFIT_PENALTY if misfit else COUNT_FIT_WEIGHT
    if percent_cue:
        score += UNIT_FIT_WEIGHT if fact.unit == "percent" else -UNIT_FIT_WEIGHT
    names = {p.name for p in q.places}
    if names and fact.subject:
        score += SUBJECT_WEIGHT if fact.subject in names else -SUBJECT_WEIGHT
    released = release_date(kb, fact)
    if year and released:
        score += ASKED_YEAR_WEIGHT if released.year == year else 0
    return score


def _places_fit(kb: KnowledgeBase, q: Question, fact: Fact) -> bool:
    """Every place the question names is in the fact's sentence or is a city of its document."""
    if not q.places:
        return True  # nothing to look up
    text = sentence_of(kb, fact)
    cities = doc_cities(kb, fact.source.doc_id)
    return all(mentions(text, p.name) or p.name in cities for p in q.places)


def figure(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    figures: list[FigureFact] = candidates(kb, q, "figure")
    if not figures:
        return None
    year, year_terms = asked_year(q)
    expanded = expanded_terms(q)
    fitting = [f for f in figures if _places_fit(kb, q, f)]
    if not fitting:
        places = join_names(p.name for p in q.places)
        return FactResult(None, (), note=f"The source gives no such figure for {places}.")
    if year and not q.has("by", "as of", "until", "up to", "so far"):
        # "in 2019 alone" asks for one year's figure, not a running total.
        fitting = [f for f in fitting if _states_year(kb, f, year)]
        if not fitting:
            return FactResult(None, (), note=f"The source gives no figure for {year} alone.")
    head = counted_noun(q) if q.has("how many") else None
    if head and any(head in family for family in COUNT_NOUN_EQUIVALENTS.values()):
        # "how many people ...": only figures that count people compete.
        fitting = [f for f in fitting if counts_noun(f"{f.text} {f.measure}", head)] or fitting
    shared = sentence_terms_among(kb, fitting, expanded)
    scored = sorted(
        ((_figure_score(kb, q, f, expanded, year, shared[id(f)]), f) for f in fitting),
        key=lambda pair: (-pair[0], -(release_date(kb, pair[1]) or dt.date.min).toordinal()),
    )
    best = scored[0][1]
    content = set(content_terms(q))
    measure = set(analyze(f"{best.measure} {best.unit}", kb.settings.analyzer))
    if not (expanded & measure & (content | synonym_terms(q))):
        return None
    ignore = _cue_terms() | year_terms | {t for w in _TIME_WORDS for t in analyze(w)}
    left = unaccounted_words(q, _figure_context_terms(kb, best) | measure, ignore=ignore)
    unseen = [w for w in left if not _known_word(kb, w)]
    # A word the corpus never uses means the question is about something else; one or two
    # known words ("companies" for donors) are paraphrase when the measure itself matched.
    if unseen or len(left) > 2 or (left and len(expanded & measure & content) < 1):
        return FactResult(
            None,
            (),
            note="The source doesn't say. It gives no figure about "
            + join_names(f"“{w}”" for w in left)
            + ".",
        )
    rivals = _same_measure_elsewhere(kb, best, [f for _, f in scored[1:]])
    if not rivals:
        if len(kb.corpus.documents) > 1:
            # With several releases, a figure is only as current as its release.
            when = release_date(kb, best)
            return FactResult(
                f"{_figure_text(best)} (as of {when})" if when else _figure_text(best), (best,)
            )
        return FactResult(_figure_text(best), (best,))
    # Several releases about the same pair state this figure: the newest is the latest.
    ordered = sorted(
        [best, *rivals], key=lambda f: -(release_date(kb, f) or dt.date.min).toordinal()
    )
    note = (
        "Several releases give this figure: "
        + "; ".join(f"{doc_label(kb, f.source.doc_id)}: {_figure_text(f)}" for f in ordered)
        + "."
    )
    if q.has(*LATEST_CUES) or not year:
        newest = ordered[0]
        return FactResult(
            f"{_figure_text(newest)} (as of {release_date(kb, newest)})", tuple(ordered), note=note
        )
    return FactResult(_figure_text(best), (best,), note=note)


def _figure_context_terms(kb: KnowledgeBase, fact: FigureFact) -> set[str]:
    """Terms of the figure's own clause: from the previous figure (which may name what this one
    belongs to: "40 workshops ..., employing 2,500 persons") up to the next one."""
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    if passage is None:
        return sentence_terms(kb, fact)
    neighbours = [
        f.source
        for f in kb.fact_index.by_passage.get(fact.source.passage_id or "", ())
        if f.kind == "figure" and f is not fact
    ]
    start = max([s.start for s in neighbours if s.end <= fact.source.start], default=passage.start)
    end = min([s.start for s in neighbours if s.start >= fact.source.end], default=passage.end)
    text = kb.document(fact.source.doc_id).text[start:end]
    return set(analyze(text, kb.settings.analyzer))


def _same_measure_elsewhere(
    kb: KnowledgeBase, best: FigureFact, others: list[FigureFact]
) -> list[FigureFact]:
    """The same figure as stated by other releases about the same pair (one per release)."""

    def terms(fact: FigureFact) -> set[str]:
        return set(analyze(fact.measure, kb.settings.analyzer))

    cities = doc_cities(kb, best.source.doc_id)
    found: dict[str, tuple[float, FigureFact]] = {}
    for fact in others:
        if fact.source.doc_id == best.source.doc_id or fact.unit != best.unit:
            continue
        if not cities or doc_cities(kb, fact.source.doc_id) != cities:
            continue
        union = terms(best) | terms(fact)
        similarity = len(terms(best) & terms(fact)) / len(union) if union else 0.0
        if similarity >= 0.3 and similarity > found.get(fact.source.doc_id, (0.0, fact))[0]:
            found[fact.source.doc_id] = (similarity, fact)
    return [fact for _, fact in found.values()]


def _states_year(kb: KnowledgeBase, fact: FigureFact, year: int) -> bool:
    if fact.as_of:
        return fact.as_of == str(year)
    sentence = sentence_of(kb, fact)
    released = release_date(kb, fact)
    this_year = re.search(r"\bthis year\b", sentence, re.IGNORECASE)
    return str(year) in sentence or bool(this_year and released and released.year == year)


def _known_word(kb: KnowledgeBase, word: str) -> bool:
    terms = analyze(word, kb.settings.analyzer) + [
        t for s in SYNONYMS.get(word, ()) for t in analyze(s, kb.settings.analyzer)
    ]
    return any(t in kb.vocabulary for t in terms)


def _cue_terms() -> set[str]:
    return {t for cue in (*COUNT_CUES, "how much", "amount", "total", "sum") for t in analyze(cue)}


def _figure_text(fact: FigureFact) -> str:
    if fact.qualifier and not fact.text.startswith(fact.qualifier):
        return f"{fact.qualifier} {fact.text}"
    return fact.text
