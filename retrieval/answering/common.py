"""What every fact handler shares: the result type, corpus look-ups and name matching."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pearlbot.corpus.facts.models import (
    DateFact,
    Fact,
    FigureFact,
    PairingFact,
    PersonFact,
    PlaceFact,
)
from pearlbot.corpus.vocabulary import MONTH_NAMES
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze, analyze_text, words
from pearlbot.retrieval.understanding.gazetteer import key
from pearlbot.retrieval.understanding.lexicon import (
    SYNONYMS,
)
from pearlbot.retrieval.understanding.question import (
    Question,
)

# Handlers keep their own fact type through the shared rankers.
AnyFact = TypeVar("AnyFact", PairingFact, FigureFact, PersonFact, DateFact, PlaceFact)

ORDER_CAVEAT = (
    "Inferred from list order: the source pairs two lists of different lengths “respectively”,"
    " so it does not state this pair outright."
)
_MONTHS = " ".join(m.casefold() for m in MONTH_NAMES)


@dataclass(frozen=True)
class FactResult:
    answer: str | None
    facts: tuple[Fact, ...]
    note: str | None = None
    caveats: tuple[str, ...] = ()
    did_you_mean: tuple[str, ...] = ()


def facts_of_kind(kb: KnowledgeBase, kind: str) -> list:
    return kb.fact_index.of_kind(kind)


def facts_in_doc(kb: KnowledgeBase, doc_id: str, kind: str) -> Iterator[Fact]:
    """The facts of one kind that a document's passages state: its passages' facts, not a
    pass over every fact of the corpus."""
    for row in kb.rows_by_doc.get(doc_id, ()):
        for fact in kb.fact_index.by_passage.get(kb.passages[row].id, ()):
            if fact.kind == kind:
                yield fact


# Above this many facts of a kind, only those in the passages BM25 ranks for the question are
# scored: the fact that answers is stated in a passage that shares the question's words.
PRESELECT_ABOVE = 1_000
PRESELECT_PASSAGES = 300


def candidates(kb: KnowledgeBase, q: Question, kind: str) -> list:
    facts = kb.fact_index.by_kind.get(kind, ())
    if len(facts) <= PRESELECT_ABOVE:
        return list(facts)  # not copied when above: 70,000 figures took 0.15 ms
    rows = kb.index.top(analyze(q.search_text, kb.settings.analyzer), PRESELECT_PASSAGES)
    chosen: list[Fact] = []
    docs: dict[str, None] = {}
    for row, _score in rows:
        passage = kb.passages[row]
        docs[passage.doc_id] = None
        chosen.extend(f for f in kb.fact_index.by_passage.get(passage.id, ()) if f.kind == kind)
    if kind == "date":  # release dates belong to no passage
        chosen.extend(r for d in docs if (r := kb.fact_index.release_by_doc.get(d)))
    return chosen


def pairings_of(kb: KnowledgeBase, names: Iterable[str]) -> list[PairingFact]:
    """Pairings naming any of these places, in corpus order."""
    found: dict[int, PairingFact] = {
        id(f): f
        for n in names
        for f in kb.fact_index.pairings_by_place.get(n, ())
        if isinstance(f, PairingFact)
    }
    order = {id(f): i for i, f in enumerate(kb.fact_index.of_kind("pairing"))} if found else {}
    return sorted(found.values(), key=lambda f: order[id(f)])


TABLE_ROWS = 40  # pairings listed in one answer; the rest are counted


def join_names(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def sentence_of(kb: KnowledgeBase, fact: Fact) -> str:
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    return passage.text if passage else fact.source.quote


def sentence_terms(kb: KnowledgeBase, fact: Fact) -> set[str]:
    return set(analyze_text(sentence_of(kb, fact), kb.settings.analyzer))


def sentence_terms_among(
    kb: KnowledgeBase, facts: Iterable[Fact], terms: set[str]
) -> dict[int, set[str]]:
    """id(fact) -> `terms & sentence_terms(kb, fact)` for many facts at once, from the postings
    (kb.terms_in_rows) instead of analysing each sentence again."""
    rows: dict[int, int] = {}
    out: dict[int, set[str]] = {}
    for fact in facts:
        row = kb.passage_rows.get(fact.source.passage_id) if fact.source.passage_id else None
        if row is None:  # sentence_of falls back to the quote
            out[id(fact)] = terms & sentence_terms(kb, fact)
        else:
            rows[id(fact)] = row
    held = kb.terms_in_rows(terms, rows.values())
    out.update((key, held[row]) for key, row in rows.items())
    return out


def synonym_terms(q: Question) -> set[str]:
    return {t for w in q.words for s in SYNONYMS.get(w, ()) for t in analyze(s)}


def mentions(text: str, place: str) -> bool:
    """Whether text names the place (as written, or without its type word)."""
    plain = " " + key(text) + " "
    base = re.sub(r"\s+(?:county|district|city|province)$", "", key(place))
    return f" {key(place)} " in plain or f" {base} " in plain


def doc_cities(kb: KnowledgeBase, doc_id: str) -> frozenset[str]:
    """The two cities of a document's city-level pairing."""
    return kb.fact_index.cities_of(doc_id)


def release_date(kb: KnowledgeBase, fact: Fact) -> dt.date | None:
    doc = kb.corpus.document(fact.source.doc_id)
    return doc.released if doc else None


def doc_label(kb: KnowledgeBase, doc_id: str) -> str:
    doc = kb.corpus.document(doc_id)
    if doc is None:
        return doc_id
    when = doc.released.isoformat() if doc.released else "undated"
    return f"“{doc.title}” ({when})"


def asked_year(q: Question) -> tuple[int | None, set[str]]:
    """A year the question names ("by April 2019") and the words that name it."""
    year = next((int(w) for w in q.words if re.fullmatch(r"(?:19|20)\d\d", w)), None)
    named = {w for w in q.words if w in _MONTHS.split() or re.fullmatch(r"(?:19|20)\d\d", w)}
    return year, {t for w in named for t in analyze(w)}


def unknown_name(kb: KnowledgeBase, q: Question) -> FactResult | None:
    """Abstain when the question names a place (or a capitalised name) the corpus lacks."""
    if q.unknown_places:
        name = q.unknown_places[0]
        return FactResult(
            None,
            (),
            note=f"The source doesn't mention {name}.",
            did_you_mean=tuple(kb.gazetteer.suggest(name)),
        )
    capitalised = [w for w in q.original.split()[1:] if w[:1].isupper()]
    for word in q.unknown_words:
        if any(words(c) == [word] for c in capitalised):
            return FactResult(None, (), note=f"The source doesn't mention {word.title()}.")
    return None


def rank_by_places(kb: KnowledgeBase, q: Question, facts: Sequence[AnyFact]) -> list[AnyFact]:
    """Keep the facts whose sentence names the most of the question's places."""
    places = [p.name for p in (*q.places, *q.nickname_links)]
    if not places or len(facts) < 2:
        return list(facts)

    def hits(fact: Fact) -> int:
        text = sentence_of(kb, fact) + " " + " ".join(getattr(fact, "titles", ()))
        return sum(mentions(text, p) for p in places)

    best = max(hits(f) for f in facts)
    return [f for f in facts if hits(f) == best] if best else list(facts)


def shared_directions(q: Question, sentence: str) -> int:
    """How many "to X" / "from X" of the question the sentence also says (who went where)."""
    plain = " " + key(sentence) + " "
    asked = " " + " ".join(q.words) + " "
    count = 0
    for entry in (*q.places, *q.nickname_links):
        name = key(entry.name).split()[0]
        for preposition in ("to", "from"):
            if f" {preposition} {name} " in asked and f" {preposition} {name} " in plain:
                count += 1
    return count


def delegation_origin(q: Question) -> str | None:
    """ "the Westvale delegation": the place a delegation comes from."""
    for i, word in enumerate(q.words[1:], 1):
        if word.startswith("delegation") and i - 1 in q.name_positions:
            prefix = " ".join(q.words[:i])
            for entry in (*q.places, *q.nickname_links):
                if prefix.endswith(key(entry.name)) or prefix.endswith(key(entry.name).split()[0]):
                    return entry.name
    return None


def other_side(fact: PairingFact, name: str) -> str | None:
    return fact.assisted if fact.assisting == name else fact.assisting


def pair_line(fact: PairingFact) -> str:
    return f"{fact.assisting or '(no partner named)'} ↔ {fact.assisted or '(no partner named)'}"


def order_caveats(facts: Sequence[PairingFact]) -> tuple[str, ...]:
    return (ORDER_CAVEAT,) if any(f.inferred_from_order for f in facts) else ()
