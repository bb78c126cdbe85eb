"""Answers from extracted facts, one function per question intent.

Each returns a FactResult (an answer, or a reasoned abstention) or None when the facts do not
cover the question, in which case answering falls back to passages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from corpus.facts.models import DateFact, Fact, FigureFact, PairingFact, PersonFact, PlaceFact
from retrieval.analyzer import analyze, words
from retrieval.gazetteer import Entry
from retrieval.knowledge import KnowledgeBase
from retrieval.lexicon import (
    COUNT_CUES,
    CURRENCY_UNITS,
    MONEY_CUES,
    NICKNAME_CUES,
    PAIRING_CUES,
    PERCENT_CUES,
    SYNONYMS,
    TITLE_WORDS,
)
from retrieval.question import Question, content_terms, expanded_terms, unaccounted_words

ORDER_CAVEAT = (
    "Inferred from list order: the source pairs two lists of different lengths “respectively”,"
    " so it does not state this pair outright."
)
LATEST_CUES = (
    "so far",
    "latest",
    "now",
    "to date",
    "currently",
    "most recent",
    "up to now",
    "by now",
)
ROLE_WORDS = {
    "led": "led",
    "lead": "led",
    "leading": "led",
    "headed": "led",
    "leader": "led",
    "accompanied": "accompanied",
    "accompany": "accompanied",
    "escorted": "accompanied",
    "participated": "participated",
    "part": "participated",
    "joined": "participated",
    "attended": "participated",
    "participate": "participated",
    "participants": "participated",
}
# Roles that answer a question about the same kind of involvement.
ROLE_GROUPS = {"participated": {"participated", "attended"}}
_SPECIFIC = ("district", "county", "town", "place")


@dataclass(frozen=True)
class FactResult:
    answer: str | None
    facts: tuple[Fact, ...]
    note: str | None = None
    caveats: tuple[str, ...] = ()
    did_you_mean: tuple[str, ...] = ()


def _facts(kb: KnowledgeBase, kind: str) -> list:
    return [f for f in kb.facts if f.kind == kind]


def _join(names: Iterable[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sentence_terms(kb: KnowledgeBase, fact: Fact) -> set[str]:
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    return set(analyze(passage.text if passage else fact.source.quote, kb.settings.analyzer))


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


# --- pairings -------------------------------------------------------------------------------


def _other(fact: PairingFact, name: str) -> str | None:
    return fact.assisted if fact.assisting == name else fact.assisting


def _pair_line(fact: PairingFact) -> str:
    return f"{fact.assisting or '(no partner named)'} ↔ {fact.assisted or '(no partner named)'}"


def _table(facts: list[PairingFact]) -> FactResult:
    caveats = (ORDER_CAVEAT,) if any(f.inferred_from_order for f in facts) else ()
    return FactResult("; ".join(_pair_line(f) for f in facts), tuple(facts), caveats=caveats)


def pairing(kb: KnowledgeBase, q: Question) -> FactResult | None:
    pairings: list[PairingFact] = _facts(kb, "pairing")
    if not pairings:
        return None
    known = list(dict.fromkeys([*q.places, *q.nickname_links]))
    specific = [p for p in known if p.kind in _SPECIFIC]
    if q.unknown_places and not specific:
        return unknown_name(kb, q)
    if not known:
        return None if q.unknown_words else _table(pairings)
    involved = [p for p in known if any(p.name in (f.assisting, f.assisted) for f in pairings)]
    if not involved:
        return FactResult(
            None, (), note=f"The source names {known[0].name} but gives no pairing for it."
        )
    specific = [p for p in involved if p.kind in _SPECIFIC]
    if not specific:
        return _city_pairing(pairings, involved[0], q)
    if len(specific) >= 2:
        return _pair_check(pairings, specific[0], specific[1])
    target = specific[0]
    facts = [f for f in pairings if target.name in (f.assisting, f.assisted)]
    partners = [name for f in facts if (name := _other(f, target.name))]
    if not partners:
        return FactResult(
            None,
            tuple(facts),
            note=f"The source lists {target.name} but names no partner for it.",
            caveats=(
                "Its sentence pairs two lists of different lengths “respectively”, and "
                f"{target.name} is left over; any partner would be a guess.",
            ),
        )
    used = [f for f in facts if _other(f, target.name)]
    caveats = (ORDER_CAVEAT,) if any(f.inferred_from_order for f in used) else ()
    return FactResult(_join(partners), tuple(used), caveats=caveats)


def _city_pairing(pairings: list[PairingFact], city: Entry, q: Question) -> FactResult:
    if q.wants_type in _SPECIFIC or q.has("districts", "counties", "all", "list", "which"):
        rows = [
            f
            for f in pairings
            if f.level == "district" and city.name in (f.assisting_city, f.assisted_city)
        ]
        if rows and (q.wants_type in _SPECIFIC or q.has("districts", "counties", "list", "all")):
            return _table(rows)
    city_level = [
        f for f in pairings if f.level == "city" and city.name in (f.assisting, f.assisted)
    ]
    if city_level:
        return FactResult(
            _join(n for f in city_level if (n := _other(f, city.name))), tuple(city_level)
        )
    rows = [f for f in pairings if city.name in (f.assisting_city, f.assisted_city)]
    return _table(rows)


def _pair_check(pairings: list[PairingFact], a: Entry, b: Entry) -> FactResult:
    both = [f for f in pairings if {a.name, b.name} == {f.assisting, f.assisted}]
    if both:
        caveats = (ORDER_CAVEAT,) if both[0].inferred_from_order else ()
        return FactResult(f"Yes: {a.name} is paired with {b.name}", tuple(both), caveats=caveats)
    of_a = [f for f in pairings if a.name in (f.assisting, f.assisted) and _other(f, a.name)]
    if of_a:
        partner = _other(of_a[0], a.name)
        return FactResult(f"No: the source pairs {a.name} with {partner}", tuple(of_a[:1]))
    return FactResult(None, (), note=f"The source gives no partner for {a.name}.")


# --- figures --------------------------------------------------------------------------------


def _figure_score(kb: KnowledgeBase, q: Question, fact: FigureFact, expanded: set[str]) -> float:
    measure = set(analyze(f"{fact.measure} {fact.unit}", kb.settings.analyzer))
    score = 2.0 * len(expanded & measure) + len(expanded & _sentence_terms(kb, fact))
    currency = fact.unit in CURRENCY_UNITS
    if q.has(*MONEY_CUES):
        score += 3 if currency else -3
    elif q.has(*COUNT_CUES):
        score += -2 if currency or fact.unit == "percent" else 1
    if q.has(*PERCENT_CUES):
        score += 3 if fact.unit == "percent" else -3
    names = {p.name for p in q.places}
    if names and fact.subject:
        score += 1 if fact.subject in names else -1
    return score


def figure(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    figures: list[FigureFact] = _facts(kb, "figure")
    if not figures:
        return None
    expanded = expanded_terms(q)
    scored = sorted(
        ((_figure_score(kb, q, f, expanded), f) for f in figures),
        key=lambda pair: (-pair[0], -_released_ordinal(kb, pair[1])),
    )
    best_score, best = scored[0]
    content = set(content_terms(q))
    measure = set(analyze(f"{best.measure} {best.unit}", kb.settings.analyzer))
    if not (
        expanded
        & measure
        & (content | {t for w in q.words for s in SYNONYMS.get(w, ()) for t in analyze(s)})
    ):
        return None
    left = unaccounted_words(q, _sentence_terms(kb, best) | measure, ignore=_cue_terms())
    if left:
        return FactResult(
            None,
            (),
            note="The source doesn't say. It gives no figure about "
            + ", ".join(f"“{w}”" for w in left)
            + ".",
        )
    rivals = [
        f
        for s, f in scored[1:]
        if s >= best_score - 0.5 and f.source.doc_id != best.source.doc_id and f.unit == best.unit
    ]
    if not rivals:
        return FactResult(_figure_text(best), (best,))
    # Several releases state this figure: the newest is the latest; say what the others gave.
    ordered = sorted([best, *rivals], key=lambda f: -_released_ordinal(kb, f))
    dated = [f"{_figure_text(f)} (as of {_doc_date(kb, f)})" for f in ordered]
    note = (
        "Several releases give this figure: "
        + "; ".join(f"{_doc_label(kb, f.source.doc_id)}: {_figure_text(f)}" for f in ordered)
        + "."
    )
    if q.has(*LATEST_CUES):
        return FactResult(dated[0], tuple(ordered), note=note)
    return FactResult("; ".join(dated), tuple(ordered), note=note)


def _cue_terms() -> set[str]:
    return {t for cue in (*COUNT_CUES, "how much", "amount", "total", "sum") for t in analyze(cue)}


def _figure_text(fact: FigureFact) -> str:
    return (
        f"{fact.qualifier} {fact.text}"
        if fact.qualifier and not fact.text.startswith(fact.qualifier)
        else fact.text
    )


def _released_ordinal(kb: KnowledgeBase, fact: Fact) -> int:
    doc = kb.corpus.document(fact.source.doc_id)
    return doc.released.toordinal() if doc and doc.released else 0


def _doc_date(kb: KnowledgeBase, fact: Fact) -> str:
    doc = kb.corpus.document(fact.source.doc_id)
    return doc.released.isoformat() if doc and doc.released else "undated"


def _doc_label(kb: KnowledgeBase, doc_id: str) -> str:
    doc = kb.corpus.document(doc_id)
    if doc is None:
        return doc_id
    when = doc.released.isoformat() if doc.released else "undated"
    return f"“{doc.title}” ({when})"


# --- people ---------------------------------------------------------------------------------


def _title_terms(q: Question) -> list[str]:
    return [
        w.rstrip("s") if w.rstrip("s") in TITLE_WORDS else w
        for w in q.words
        if w in TITLE_WORDS or w.rstrip("s") in TITLE_WORDS
    ]


def _fits(title: str, wanted: list[str], places: list[Entry], strict: bool) -> bool:
    title_words = set(words(title))
    core = [w for w in wanted if w not in ("deputy", "vice")]
    if not all(w in title_words or w + "s" in title_words for w in (wanted if strict else core)):
        return False
    if strict and not {"deputy", "vice"} & set(wanted) and {"deputy", "vice"} & title_words:
        return False
    for place in places:
        base = [w for w in words(place.name) if w not in ("county", "district", "city", "province")]
        if not set(base) <= title_words:
            return False
    return True


def _role(q: Question) -> str | None:
    return next((ROLE_WORDS[w] for w in q.words if w in ROLE_WORDS), None)


def _has_role(person: PersonFact, role: str) -> bool:
    return person.role in ROLE_GROUPS.get(role, {role})


def person(kb: KnowledgeBase, q: Question) -> FactResult | None:
    people: list[PersonFact] = _facts(kb, "person")
    if not people:
        return None
    if q.people:
        return describe_people(people, q)
    wanted = _title_terms(q)
    role = _role(q)
    places = [p for p in q.places if p.kind != "person"]
    if wanted:
        matches = [
            p for p in people if any(_fits(t, wanted, places, strict=True) for t in p.titles)
        ]
        if role:
            matches = [p for p in matches if _has_role(p, role)] or matches
        if matches:
            return FactResult(_join(p.name for p in matches), tuple(matches))
        asked = " ".join(w.title() for w in wanted) + (f" of {places[0].name}" if places else "")
        near = [p for p in people if any(_fits(t, wanted, places, strict=False) for t in p.titles)]
        if near:
            listed = "; ".join(f"{p.name} ({'; '.join(p.titles)})" for p in near)
            return FactResult(
                None, tuple(near), note=f"The source names no {asked}. It names: {listed}."
            )
        return FactResult(None, (), note=f"The source names no {asked}.")
    if role:
        matches = [p for p in people if _has_role(p, role)]
        if matches:
            return FactResult(_join(p.name for p in matches), tuple(matches))
    return None


def describe_people(people: list[PersonFact], q: Question) -> FactResult:
    facts = [p for p in people if p.name in {e.name for e in q.people}]
    if q.has("role", "do", "did", "doing"):
        parts = [f"{p.name} {p.role} (as {'; '.join(p.titles)})" for p in facts if p.role]
        if parts:
            return FactResult("; ".join(parts), tuple(facts))
    titles = [t for p in facts for t in p.titles]
    return FactResult(_join(titles), tuple(facts))


# --- dates ----------------------------------------------------------------------------------


def date(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    names = {p.name for p in q.places}
    if q.has(*PAIRING_CUES, "start", "begin", "began", "established", "formed", "since"):
        started = [
            f
            for f in _facts(kb, "pairing")
            if f.since
            and (not names or names & {f.assisting, f.assisted, f.assisting_city, f.assisted_city})
        ]
        if started:
            best = sorted(started, key=lambda f: f.level != "city")[0]
            return FactResult(best.since, (best,))
    dates: list[DateFact] = _facts(kb, "date")
    expanded = expanded_terms(q)
    content = set(content_terms(q))
    best_score, best = 0.0, None
    for fact in dates:
        event_terms = set(analyze(fact.event, kb.settings.analyzer))
        score = 2.0 * len(expanded & event_terms & (content | expanded)) + len(
            expanded & _sentence_terms(kb, fact)
        )
        if score > best_score:
            best_score, best = score, fact
    if best is None:
        return None
    terms = _sentence_terms(kb, best) | set(analyze(best.event))
    if not (
        terms & (content | {t for w in q.words for s in SYNONYMS.get(w, ()) for t in analyze(s)})
    ):
        return None
    if unaccounted_words(q, terms, ignore=analyze("when date year day")):
        return None
    return FactResult(_date_text(best), (best,))


def _date_text(fact: DateFact) -> str:
    if fact.precision == "day":
        return dt.date.fromisoformat(fact.date).strftime("%B %-d, %Y")
    return fact.text


# --- places, nicknames, definitions ---------------------------------------------------------


def _within(kb: KnowledgeBase, name: str) -> list[PlaceFact]:
    return [f for f in _facts(kb, "place") if f.relation == "within" and f.name == name]


def place(kb: KnowledgeBase, q: Question) -> FactResult | None:
    targets = [*q.places, *q.nickname_links]
    if not targets:
        return unknown_name(kb, q)
    target = targets[0]
    chain: list[PlaceFact] = []
    current = target.name
    while len(chain) < 5:
        ups = _within(kb, current)
        if not ups:
            break
        chain.append(ups[0])
        current = ups[0].within or ""
        if q.wants_type and kb.gazetteer_type(current) == q.wants_type:
            break
    if chain:
        if q.wants_type:
            typed = [f for f in chain if kb.gazetteer_type(f.within or "") == q.wants_type]
            chain = chain[: chain.index(typed[0]) + 1] if typed else chain
        answer = chain[-1].within or ""
        caveats = (
            ("Inferred: the source implies this rather than stating it.",)
            if any(f.inferred for f in chain)
            else ()
        )
        via = " → ".join([target.name, *(f.within or "" for f in chain)])
        note = f"{via}." if len(chain) > 1 else None
        return FactResult(answer, tuple(chain), note=note, caveats=caveats)
    sides = [
        f
        for f in _facts(kb, "pairing")
        if f.level == "district" and target.name in (f.assisting, f.assisted)
    ]
    if sides:
        f = sides[0]
        city = f.assisting_city if f.assisting == target.name else f.assisted_city
        if city:
            return FactResult(
                city,
                (f,),
                caveats=(
                    f"Inferred: the source lists {target.name} on {city}'s side of the pairing.",
                ),
            )
    return FactResult(None, (), note=f"The source doesn't say where {target.name} is.")


def nickname(kb: KnowledgeBase, q: Question) -> FactResult | None:
    facts = [f for f in _facts(kb, "place") if f.relation == "nickname"]
    if q.nickname_links:
        names = {e.name for e in q.nickname_links}
        used = [
            f
            for f in facts
            if f.name in names and f.nickname and f.nickname.lower() in q.english.lower()
        ]
        return FactResult(
            _join(e.name for e in q.nickname_links),
            tuple(used or [f for f in facts if f.name in names]),
        )
    if q.places:
        names = {p.name for p in q.places}
        used = [f for f in facts if f.name in names]
        if used:
            return FactResult(_join(f"“{f.nickname}”" for f in used), tuple(used))
        return FactResult(None, (), note=f"The source gives no nickname for {_join(names)}.")
    if q.has(*NICKNAME_CUES) and facts:
        return FactResult("; ".join(f"{f.name}: “{f.nickname}”" for f in facts), tuple(facts))
    return None


def definition(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if content_terms(q):
        return None  # "what is the population of X" asks about something of X, not X itself
    if q.people:
        return describe_people(_facts(kb, "person"), q)
    if q.nickname_links:
        return nickname(kb, q)
    if not q.places:
        return None
    target = q.places[0]
    parts = [target.kind]
    ups = _within(kb, target.name)
    facts: list[Fact] = list(ups[:1])
    if ups:
        parts.append(f"in {ups[0].within}")
    pairs = [
        f
        for f in _facts(kb, "pairing")
        if target.name in (f.assisting, f.assisted) and _other(f, target.name)
    ]
    if pairs:
        parts.append(f"paired with {_join(_other(f, target.name) or '' for f in pairs)}")
        facts.extend(pairs)
    caveats = (
        (ORDER_CAVEAT,) if any(getattr(f, "inferred_from_order", False) for f in facts) else ()
    )
    return FactResult(f"{target.name}: a " + ", ".join(parts), tuple(facts), caveats=caveats)


HANDLERS: dict[str, Callable[[KnowledgeBase, Question], FactResult | None]] = {
    "pairing": pairing,
    "figure": figure,
    "person": person,
    "date": date,
    "place": place,
    "nickname": nickname,
    "definition": definition,
}


def answer_from_facts(kb: KnowledgeBase, q: Question) -> FactResult | None:
    handler = HANDLERS.get(q.intent)
    return handler(kb, q) if handler else unknown_name(kb, q)
