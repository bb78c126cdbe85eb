"""Place questions: where a place is, nicknames, "what is X"."""

from __future__ import annotations

import re

from pearlbot.corpus.facts.models import (
    Fact,
    PlaceFact,
)
from pearlbot.retrieval.answering.common import (
    TABLE_ROWS,
    FactResult,
    join_names,
    order_caveats,
    other_side,
    pairings_of,
    synonym_terms,
    unknown_name,
)
from pearlbot.retrieval.answering.people import describe_people, people_named
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze
from pearlbot.retrieval.understanding.lexicon import (
    NICKNAME_CUES,
)
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms,
)


def places_within(kb: KnowledgeBase, name: str) -> list[PlaceFact]:
    return list(kb.fact_index.within.get(name, ()))


def place(kb: KnowledgeBase, q: Question) -> FactResult | None:
    targets = [*q.places, *q.nickname_links]
    type_terms = {t for w in ("province", "city", "county", "district") for t in analyze(w)}
    if set(content_terms(q)) - type_terms and not q.wants_type:
        # "where is the walnut processing plant?": a thing, not a place we know; read it off
        # the passage that mentions it.
        return _where_in_passage(kb, q)
    if not targets:
        return unknown_name(kb, q)
    if q.nickname_links and not q.places:
        return nickname(kb, q)
    target = targets[0]
    chain: list[PlaceFact] = []
    current = target.name
    while len(chain) < 5:
        ups = places_within(kb, current)
        if not ups:
            break
        chain.append(ups[0])
        current = ups[0].within or ""
        if q.wants_type and kb.gazetteer_type(current) == q.wants_type:
            break
    if chain:
        answer = chain[-1].within or ""
        caveats = (
            ("Inferred: the source implies this rather than stating it.",)
            if any(f.inferred for f in chain)
            else ()
        )
        via = " → ".join([target.name, *(f.within or "" for f in chain)])
        return FactResult(
            answer, tuple(chain), note=f"{via}." if len(chain) > 1 else None, caveats=caveats
        )
    sides = [
        f
        for f in pairings_of(kb, [target.name])
        if f.level == "district" and target.name in (f.assisting, f.assisted)
    ]
    for f in sides:
        city = f.assisting_city if f.assisting == target.name else f.assisted_city
        if city:
            caveat = f"Inferred: the source lists {target.name} on {city}'s side of the pairing."
            return FactResult(city, (f,), caveats=(caveat,))
    return FactResult(None, (), note=f"The source doesn't say where {target.name} is.")


_LOCATION = re.compile(
    r"\b(?:in|at|to)\s+(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)"
)


def _where_in_passage(kb: KnowledgeBase, q: Question) -> FactResult | None:
    """The place named right after the words the question asks about, in the best passage."""
    content = set(content_terms(q)) | synonym_terms(q)
    asked = {p.name for p in (*q.places, *q.nickname_links)}
    best: tuple[int, str, int] | None = None
    for row, _score in kb.index.top(analyze(q.search_text, kb.settings.analyzer), 5):
        text = kb.passages[row].text
        for match in _LOCATION.finditer(text):
            name = match[1]
            if name in asked:
                continue
            window = analyze(text[max(0, match.start() - 80) : match.start()], kb.settings.analyzer)
            hits = len(content & set(window))
            if hits and (best is None or hits > best[0]):
                best = (hits, name, row)
    if best is None or best[0] < 2:
        return None
    return FactResult(best[1], (), note=f"From passage {kb.passages[best[2]].id}.")


def nickname(kb: KnowledgeBase, q: Question) -> FactResult | None:
    linked = {e.name for e in (*q.nickname_links, *q.places)}
    facts = [f for n in linked for f in kb.fact_index.nicknames_by_place.get(n, ())]
    if q.nickname_links:
        names = {e.name for e in q.nickname_links}
        used = [
            f for f in facts if f.name in names and (f.nickname or "").lower() in q.english.lower()
        ]
        return FactResult(
            join_names(e.name for e in q.nickname_links),
            tuple(used or [f for f in facts if f.name in names]),
        )
    if q.places:
        names = {p.name for p in q.places}
        used = [f for f in facts if f.name in names]
        if used:
            return FactResult(join_names(f"“{f.nickname}”" for f in used), tuple(used))
        return FactResult(None, (), note=f"The source gives no nickname for {join_names(names)}.")
    every = [f for group in kb.fact_index.nicknames_by_place.values() for f in group]
    if q.has(*NICKNAME_CUES) and every:
        shown = every[:TABLE_ROWS]
        return FactResult("; ".join(f"{f.name}: “{f.nickname}”" for f in shown), tuple(shown))
    return None


def definition(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if content_terms(q):
        return None  # "what is the population of X" asks about something of X, not X itself
    if q.people:
        return describe_people(people_named(kb, q), q)
    if q.nickname_links:
        return nickname(kb, q)
    if not q.places:
        return None
    target = q.places[0]
    parts = [target.kind]
    ups = places_within(kb, target.name)
    facts: list[Fact] = list(ups[:1])
    if ups:
        parts.append(f"in {ups[0].within}")
    pairs = [
        f
        for f in pairings_of(kb, [target.name])
        if target.name in (f.assisting, f.assisted) and other_side(f, target.name)
    ]
    if pairs:
        parts.append(f"paired with {join_names(other_side(f, target.name) or '' for f in pairs)}")
        facts.extend(pairs)
    return FactResult(
        f"{target.name}: a " + ", ".join(parts), tuple(facts), caveats=order_caveats(pairs)
    )
