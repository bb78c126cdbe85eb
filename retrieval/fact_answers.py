"""Answers from extracted facts, one function per question intent.

Each returns a FactResult (an answer, or a reasoned abstention) or None when the facts do not
cover the question, in which case answering falls back to passages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from corpus.facts.models import DateFact, Fact, FigureFact, PairingFact, PersonFact, PlaceFact
from retrieval.analyzer import analyze, analyze_text, words
from retrieval.gazetteer import Entry, key
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
LATEST_CUES = ("so far", "latest", "now", "to date", "currently", "most recent", "by now")
# Words a question may use without the cited sentence containing them.
_TIME_WORDS = frozenset(
    "so far now to date currently latest recent this year when date day what which".split()
)
ROLE_WORDS = {
    "led": "led", "lead": "led", "leading": "led", "headed": "led", "leader": "led",
    "accompanied": "accompanied", "accompany": "accompanied", "escorted": "accompanied",
    "participated": "participated", "part": "participated", "joined": "participated",
    "attended": "participated", "participate": "participated", "participants": "participated",
    "met": "met", "meet": "met", "received": "met", "welcomed": "met",
}  # fmt: skip
# Roles that answer a question about the same kind of involvement.
ROLE_GROUPS = {"participated": {"participated", "attended"}}
_SPECIFIC = ("district", "county", "town", "place")
_MONTHS = "january february march april may june july august september october november december"


@dataclass(frozen=True)
class FactResult:
    answer: str | None
    facts: tuple[Fact, ...]
    note: str | None = None
    caveats: tuple[str, ...] = ()
    did_you_mean: tuple[str, ...] = ()


def _facts(kb: KnowledgeBase, kind: str) -> list:
    return kb.fact_index.of_kind(kind)


# Above this many facts of a kind, only those in the passages BM25 ranks for the question are
# scored: the fact that answers is stated in a passage that shares the question's words.
PRESELECT_ABOVE = 1_000
PRESELECT_PASSAGES = 300


def _candidates(kb: KnowledgeBase, q: Question, kind: str) -> list:
    facts = kb.fact_index.of_kind(kind)
    if len(facts) <= PRESELECT_ABOVE:
        return facts
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


def _pairings_of(kb: KnowledgeBase, names: Iterable[str]) -> list[PairingFact]:
    """Pairings naming any of these places, in corpus order."""
    found = {id(f): f for n in names for f in kb.fact_index.pairings_by_place.get(n, ())}
    order = {id(f): i for i, f in enumerate(kb.fact_index.of_kind("pairing"))} if found else {}
    return sorted(found.values(), key=lambda f: order[id(f)])


TABLE_ROWS = 40  # pairings listed in one answer; the rest are counted


def _join(names: Iterable[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def _sentence(kb: KnowledgeBase, fact: Fact) -> str:
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    return passage.text if passage else fact.source.quote


def _sentence_terms(kb: KnowledgeBase, fact: Fact) -> set[str]:
    return set(analyze_text(_sentence(kb, fact), kb.settings.analyzer))


def _synonym_terms(q: Question) -> set[str]:
    return {t for w in q.words for s in SYNONYMS.get(w, ()) for t in analyze(s)}


def _mentions(text: str, place: str) -> bool:
    """Whether text names the place (as written, or without its type word)."""
    plain = " " + key(text) + " "
    base = re.sub(r"\s+(?:county|district|city|province)$", "", key(place))
    return f" {key(place)} " in plain or f" {base} " in plain


def _doc_cities(kb: KnowledgeBase, doc_id: str) -> frozenset[str]:
    """The two cities of a document's city-level pairing."""
    return kb.fact_index.cities_of(doc_id)


def _released(kb: KnowledgeBase, fact: Fact) -> dt.date | None:
    doc = kb.corpus.document(fact.source.doc_id)
    return doc.released if doc else None


def _doc_label(kb: KnowledgeBase, doc_id: str) -> str:
    doc = kb.corpus.document(doc_id)
    if doc is None:
        return doc_id
    when = doc.released.isoformat() if doc.released else "undated"
    return f"“{doc.title}” ({when})"


def _asked_year(q: Question) -> tuple[int | None, set[str]]:
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


def _rank_by_places(kb: KnowledgeBase, q: Question, facts: Sequence[Fact]) -> list[Fact]:
    """Keep the facts whose sentence names the most of the question's places."""
    places = [p.name for p in (*q.places, *q.nickname_links)]
    if not places or len(facts) < 2:
        return list(facts)

    def hits(fact: Fact) -> int:
        text = _sentence(kb, fact) + " " + " ".join(getattr(fact, "titles", ()))
        return sum(_mentions(text, p) for p in places)

    best = max(hits(f) for f in facts)
    return [f for f in facts if hits(f) == best] if best else list(facts)


def _shared_directions(q: Question, sentence: str) -> int:
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


def _delegation_origin(q: Question) -> str | None:
    """ "the Westvale delegation": the place a delegation comes from."""
    for i, word in enumerate(q.words[1:], 1):
        if word.startswith("delegation") and i - 1 in q.name_positions:
            prefix = " ".join(q.words[:i])
            for entry in (*q.places, *q.nickname_links):
                if prefix.endswith(key(entry.name)) or prefix.endswith(key(entry.name).split()[0]):
                    return entry.name
    return None


# --- pairings -------------------------------------------------------------------------------


def _other(fact: PairingFact, name: str) -> str | None:
    return fact.assisted if fact.assisting == name else fact.assisting


def _pair_line(fact: PairingFact) -> str:
    return f"{fact.assisting or '(no partner named)'} ↔ {fact.assisted or '(no partner named)'}"


def _with_caveat(facts: Sequence[PairingFact]) -> tuple[str, ...]:
    return (ORDER_CAVEAT,) if any(f.inferred_from_order for f in facts) else ()


def _table(facts: list[PairingFact]) -> FactResult:
    if not facts:
        return FactResult(None, (), note="The source names no such pairing.")
    shown = facts[:TABLE_ROWS]
    more = (
        f"; and {len(facts) - len(shown)} more (ask about one place)" if facts[TABLE_ROWS:] else ""
    )
    return FactResult(
        "; ".join(_pair_line(f) for f in shown) + more, tuple(shown), caveats=_with_caveat(shown)
    )


def pairing_table(kb: KnowledgeBase) -> FactResult:
    """Every pairing the corpus states (the first TABLE_ROWS of them), with the caveat."""
    return _table(_facts(kb, "pairing"))


def pairing(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if not _facts(kb, "pairing"):
        return None
    known = list(dict.fromkeys([*q.places, *q.nickname_links]))
    if q.unknown_places and not [p for p in known if p.kind in _SPECIFIC]:
        return unknown_name(kb, q)
    if known and all(p.kind == "province" for p in known):
        return _pairs_in_province(kb, known[0], q)
    if not known:
        return None if q.unknown_words else pairing_table(kb)
    pairings = _pairings_of(kb, [p.name for p in known])
    # "which Eastport district ...": the city names the answer's side; it is not asked about.
    side = [p for p in known if p.kind == "city"][:1] if q.wants_type in _SPECIFIC else []
    targets = [p for p in known if p not in side] or known
    involved = [p for p in targets if any(p.name in (f.assisting, f.assisted) for f in pairings)]
    if not involved:
        target = targets[-1]
        return FactResult(
            None, (), note=f"The source names {target.name} but gives no partner for it."
        )
    # A county-level "X City" in a district pairing is as specific as a county.
    in_districts = {n for f in pairings if f.level == "district" for n in (f.assisting, f.assisted)}
    specific = [p for p in involved if p.kind in _SPECIFIC or p.name in in_districts]
    if not specific:
        return _city_pairing(pairings, involved[0], q)
    if len(specific) >= 2:
        return _pair_check(pairings, specific[0], specific[1])
    return _partner_of(pairings, specific[0], side)


def _pairs_in_province(kb: KnowledgeBase, province: Entry, q: Question) -> FactResult:
    """ "which cities help places in Upland?" / "which partner cities are in Upland?"."""
    within = kb.fact_index.contains.get(province.name, ())
    inside = {f.name for f in within}
    pairs = [
        f
        for f in _pairings_of(kb, inside)
        if f.level == "city" and ({f.assisting, f.assisted} & inside)
    ]
    if not pairs:
        return FactResult(
            None, (), note=f"The source names no pairing with a city in {province.name}."
        )
    helping = q.has("help", "helps", "helped", "assist", "assists", "support", "supports", "aid")
    names = [
        (f.assisting if f.assisted in inside else f.assisted) if helping else
        (f.assisted if f.assisted in inside else f.assisting)
        for f in pairs
    ]  # fmt: skip
    return FactResult(_join(n for n in names if n), (*pairs, *within))


def _partner_of(pairings: list[PairingFact], target: Entry, side: list[Entry]) -> FactResult:
    facts = [f for f in pairings if target.name in (f.assisting, f.assisted)]
    if side:
        city = side[0].name
        on_side = [f for f in facts if city in (f.assisting_city, f.assisted_city)]
        if not on_side and any(f.assisting_city or f.assisted_city for f in facts):
            partners = _join(
                f"{_other(f, target.name)} ({f.assisting_city or f.assisted_city})"
                for f in facts
                if _other(f, target.name)
            )
            note = f"The source pairs {target.name} with {partners}, not with a place in {city}."
            return FactResult(None, tuple(facts), note=note)
        facts = on_side or facts
    used = [f for f in facts if _other(f, target.name)]
    if not used:
        return FactResult(
            None,
            tuple(facts),
            note=f"The source lists {target.name} but names no partner for it.",
            caveats=(
                "Its sentence pairs two lists of different lengths “respectively”, and "
                f"{target.name} is left over; any partner would be a guess.",
            ),
        )
    return FactResult(
        _join(_other(f, target.name) or "" for f in used), tuple(used), caveats=_with_caveat(used)
    )


def _city_pairing(pairings: list[PairingFact], city: Entry, q: Question) -> FactResult:
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
        partners = [n for f in city_level if (n := _other(f, city.name))]
        return FactResult(_join(partners), tuple(city_level))
    return _table(rows or [f for f in pairings if city.name in (f.assisting_city, f.assisted_city)])


def _pair_check(pairings: list[PairingFact], a: Entry, b: Entry) -> FactResult:
    both = [f for f in pairings if {a.name, b.name} == {f.assisting, f.assisted}]
    if both:
        return FactResult(
            f"Yes: {a.name} is paired with {b.name}", tuple(both), caveats=_with_caveat(both)
        )
    of_a = [f for f in pairings if a.name in (f.assisting, f.assisted) and _other(f, a.name)]
    if of_a:
        partner = _other(of_a[0], a.name)
        return FactResult(
            f"No: the source pairs {a.name} with {partner}",
            tuple(of_a[:1]),
            caveats=_with_caveat(of_a[:1]),
        )
    return FactResult(None, (), note=f"The source gives no partner for {a.name}.")


# --- figures --------------------------------------------------------------------------------


def _figure_score(
    kb: KnowledgeBase, q: Question, fact: FigureFact, expanded: set[str], year: int | None
) -> float:
    measure = set(analyze(f"{fact.measure} {fact.unit}", kb.settings.analyzer))
    sentence = _sentence_terms(kb, fact)
    score = 2.0 * len(expanded & measure) + 1.5 * len(expanded & sentence)
    score -= 0.5 * len(measure - expanded - sentence & expanded)
    currency = fact.unit in CURRENCY_UNITS
    if q.has(*PERCENT_CUES):
        pass  # "by how much did sales grow": a rate, though it says "how much"
    elif q.has(*MONEY_CUES):
        score += 3 if currency else -3
    elif q.has(*COUNT_CUES):
        score += -2 if currency or fact.unit == "percent" else 1
    if q.has(*PERCENT_CUES):
        score += 3 if fact.unit == "percent" else -3
    names = {p.name for p in q.places}
    if names and fact.subject:
        score += 1 if fact.subject in names else -1
    released = _released(kb, fact)
    if year and released:
        score += 1.5 if released.year == year else 0
    return score


def _places_fit(kb: KnowledgeBase, q: Question, fact: Fact) -> bool:
    """Every place the question names is in the fact's sentence or is a city of its document."""
    text = _sentence(kb, fact)
    cities = _doc_cities(kb, fact.source.doc_id)
    return all(_mentions(text, p.name) or p.name in cities for p in q.places)


def figure(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    figures: list[FigureFact] = _candidates(kb, q, "figure")
    if not figures:
        return None
    year, year_terms = _asked_year(q)
    expanded = expanded_terms(q)
    fitting = [f for f in figures if _places_fit(kb, q, f)]
    if not fitting:
        places = _join(p.name for p in q.places)
        return FactResult(None, (), note=f"The source gives no such figure for {places}.")
    if year and not q.has("by", "as of", "until", "up to", "so far"):
        # "in 2019 alone" asks for one year's figure, not a running total.
        fitting = [f for f in fitting if _states_year(kb, f, year)]
        if not fitting:
            return FactResult(None, (), note=f"The source gives no figure for {year} alone.")
    scored = sorted(
        ((_figure_score(kb, q, f, expanded, year), f) for f in fitting),
        key=lambda pair: (-pair[0], -(_released(kb, pair[1]) or dt.date.min).toordinal()),
    )
    best = scored[0][1]
    content = set(content_terms(q))
    measure = set(analyze(f"{best.measure} {best.unit}", kb.settings.analyzer))
    if not (expanded & measure & (content | _synonym_terms(q))):
        return None
    ignore = _cue_terms() | year_terms | {t for w in _TIME_WORDS for t in analyze(w)}
    left = unaccounted_words(q, _figure_context_terms(kb, best) | measure, ignore=ignore)
    unknown = [w for w in left if not _known_word(kb, w)]
    # A word the corpus never uses means the question is about something else; one or two
    # known words ("companies" for donors) are paraphrase when the measure itself matched.
    if unknown or len(left) > 2 or (left and len(expanded & measure & content) < 1):
        return FactResult(
            None,
            (),
            note="The source doesn't say. It gives no figure about "
            + _join(f"“{w}”" for w in left)
            + ".",
        )
    rivals = _same_measure_elsewhere(kb, best, [f for _, f in scored[1:]])
    if not rivals:
        if len(kb.corpus.documents) > 1:
            # With several releases, a figure is only as current as its release.
            return FactResult(f"{_figure_text(best)} (as of {_released(kb, best)})", (best,))
        return FactResult(_figure_text(best), (best,))
    # Several releases about the same pair state this figure: the newest is the latest.
    ordered = sorted([best, *rivals], key=lambda f: -(_released(kb, f) or dt.date.min).toordinal())
    note = (
        "Several releases give this figure: "
        + "; ".join(f"{_doc_label(kb, f.source.doc_id)}: {_figure_text(f)}" for f in ordered)
        + "."
    )
    if q.has(*LATEST_CUES) or not year:
        newest = ordered[0]
        return FactResult(
            f"{_figure_text(newest)} (as of {_released(kb, newest)})", tuple(ordered), note=note
        )
    return FactResult(_figure_text(best), (best,), note=note)


def _figure_context_terms(kb: KnowledgeBase, fact: FigureFact) -> set[str]:
    """Terms of the figure's own clause: from the previous figure (which may name what this one
    belongs to: "40 workshops ..., employing 2,500 persons") up to the next one."""
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    if passage is None:
        return _sentence_terms(kb, fact)
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

    cities = _doc_cities(kb, best.source.doc_id)
    found: dict[str, tuple[float, FigureFact]] = {}
    for fact in others:
        if fact.source.doc_id == best.source.doc_id or fact.unit != best.unit:
            continue
        if not cities or _doc_cities(kb, fact.source.doc_id) != cities:
            continue
        union = terms(best) | terms(fact)
        similarity = len(terms(best) & terms(fact)) / len(union) if union else 0.0
        if similarity >= 0.3 and similarity > found.get(fact.source.doc_id, (0.0, fact))[0]:
            found[fact.source.doc_id] = (similarity, fact)
    return [fact for _, fact in found.values()]


def _states_year(kb: KnowledgeBase, fact: FigureFact, year: int) -> bool:
    if fact.as_of:
        return fact.as_of == str(year)
    sentence = _sentence(kb, fact)
    released = _released(kb, fact)
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


# --- people ---------------------------------------------------------------------------------


def _title_terms(q: Question) -> list[str]:
    out = []
    for i, word in enumerate(q.words):
        singular = word[:-1] if word.endswith("s") and word[:-1] in TITLE_WORDS else word
        if singular in ("chief", "boss", "head") and i and q.words[i - 1] == "party":
            singular = "secretary"  # "party chief" is how chat says Party Secretary
        if singular in TITLE_WORDS and singular != "head":
            out.append(singular)
    return out


def _fits(title: str, wanted: list[str], places: list[Entry], strict: bool) -> bool:
    title_words = set(words(title))
    core = [w for w in wanted if w not in ("deputy", "vice")]
    if not all(w in title_words for w in (wanted if strict else core)):
        return False
    if strict and not {"deputy", "vice"} & set(wanted) and {"deputy", "vice"} & title_words:
        return False
    return all(_mentions(title, place.name) for place in places)


def _role(q: Question) -> str | None:
    return next((ROLE_WORDS[w] for w in q.words if w in ROLE_WORDS), None)


def _has_role(person: PersonFact, role: str) -> bool:
    return bool(ROLE_GROUPS.get(role, {role}) & set(person.roles or (person.role,)))


def _names(people: Sequence[PersonFact]) -> str:
    """Names; with their titles when they come from several releases (two cities' mayors)."""
    if len({p.source.doc_id for p in people}) > 1:
        return "; ".join(dict.fromkeys(f"{p.name} ({'; '.join(p.titles)})" for p in people))
    return _join(p.name for p in people)


def person(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if not _facts(kb, "person"):
        return None
    if q.people:
        return describe_people(_people_named(kb, q), q)
    people: list[PersonFact] = _candidates(kb, q, "person")
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
            return FactResult(_names(matches), tuple(matches))
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
        origin = _delegation_origin(q)
        if origin and role == "led":
            # "the Westvale delegation" is led by one of Westvale's officials.
            own = [p for p in matches if any(_mentions(t, origin) for t in p.titles)]
            matches = own or matches
        matches = _rank_by_places(kb, q, matches)
        if matches:
            return FactResult(_names(matches), tuple(matches))
    return _by_title_words(kb, q, people)


def _by_title_words(kb: KnowledgeBase, q: Question, people: list[PersonFact]) -> FactResult | None:
    """ "who runs the CPC Newfield District Committee?": whose title holds those words."""
    content = set(content_terms(q)) | {t for e in q.places for t in analyze(e.name)}
    scored = []
    for p in people:
        title_terms = {t for title in p.titles for t in analyze(title)}
        scored.append((len(content & title_terms), p))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return FactResult(scored[0][1].name, (scored[0][1],))


def _people_named(kb: KnowledgeBase, q: Question) -> list[PersonFact]:
    return [f for e in q.people for f in kb.fact_index.people_by_name.get(e.name, ())]


def describe_people(people: list[PersonFact], q: Question) -> FactResult:
    facts = [p for p in people if p.name in {e.name for e in q.people}]
    if q.has("role", "do", "did", "doing") and not q.has("title", "titles", "position", "job"):
        parts = [f"{p.name}: {'; '.join(p.titles)}; {', '.join(p.roles)}" for p in facts if p.roles]
        if parts:
            return FactResult(" | ".join(dict.fromkeys(parts)), tuple(facts))
    titles = [t for p in facts for t in p.titles]
    return FactResult(_join(titles), tuple(facts))


# --- dates ----------------------------------------------------------------------------------


def date(kb: KnowledgeBase, q: Question) -> FactResult | None:
    unknown = unknown_name(kb, q)
    if unknown:
        return unknown
    names = {p.name for p in q.places}
    if q.has(*PAIRING_CUES, "start", "begin", "began", "established", "formed", "since"):
        pool = _pairings_of(kb, names) if names else _facts(kb, "pairing")
        started = [
            f
            for f in pool
            if f.since
            and (not names or names <= {f.assisting, f.assisted, f.assisting_city, f.assisted_city})
        ]
        if started:
            best = sorted(started, key=lambda f: f.level != "city")[0]
            return FactResult(best.since, (best,))
    dates: list[DateFact] = _candidates(kb, q, "date")
    # What the question asks about (not its names) decides; names only break ties.
    asked = (set(content_terms(q)) | _synonym_terms(q)) - set(analyze("date day year time month"))
    origin = _delegation_origin(q)
    best_score, best = 0.0, None
    for fact in dates:
        sentence = _sentence(kb, fact)
        event_terms = set(analyze(fact.event, kb.settings.analyzer))
        score = 3.0 * len(asked & event_terms) + 1.5 * len(asked & _sentence_terms(kb, fact))
        score += sum(
            1.0 for p in names if _mentions(sentence, p) or p in _doc_cities(kb, fact.source.doc_id)
        )
        # A person the question names ("Zhang San's delegation") must be in the sentence.
        score += sum(3.0 if _mentions(sentence, p.name) else -5.0 for p in q.people)
        score += 2.0 * _shared_directions(q, sentence)
        if origin and re.search(rf"\bdelegation from\b[^,.]*?\b{re.escape(origin)}\b", sentence):
            score += 4  # "the Eastport delegation" is the one that came from Eastport
        if score > best_score:
            best_score, best = score, fact
    if best is None:
        return None
    terms = _sentence_terms(kb, best) | set(analyze(best.event))
    if not (terms & asked):
        return None
    if unaccounted_words(q, terms, ignore=analyze("when date year day time")):
        return None
    return FactResult(_date_text(best), (best,))


def _date_text(fact: DateFact) -> str:
    if fact.precision == "day":
        return dt.date.fromisoformat(fact.date).strftime("%B %-d, %Y")
    return fact.text


# --- places, nicknames, definitions ---------------------------------------------------------


def _within(kb: KnowledgeBase, name: str) -> list[PlaceFact]:
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
        ups = _within(kb, current)
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
        for f in _pairings_of(kb, [target.name])
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
    content = set(content_terms(q)) | _synonym_terms(q)
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
            _join(e.name for e in q.nickname_links),
            tuple(used or [f for f in facts if f.name in names]),
        )
    if q.places:
        names = {p.name for p in q.places}
        used = [f for f in facts if f.name in names]
        if used:
            return FactResult(_join(f"“{f.nickname}”" for f in used), tuple(used))
        return FactResult(None, (), note=f"The source gives no nickname for {_join(names)}.")
    every = [f for group in kb.fact_index.nicknames_by_place.values() for f in group]
    if q.has(*NICKNAME_CUES) and every:
        shown = every[:TABLE_ROWS]
        return FactResult("; ".join(f"{f.name}: “{f.nickname}”" for f in shown), tuple(shown))
    return None


def definition(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if content_terms(q):
        return None  # "what is the population of X" asks about something of X, not X itself
    if q.people:
        return describe_people(_people_named(kb, q), q)
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
        for f in _pairings_of(kb, [target.name])
        if target.name in (f.assisting, f.assisted) and _other(f, target.name)
    ]
    if pairs:
        parts.append(f"paired with {_join(_other(f, target.name) or '' for f in pairs)}")
        facts.extend(pairs)
    return FactResult(
        f"{target.name}: a " + ", ".join(parts), tuple(facts), caveats=_with_caveat(pairs)
    )


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
    # A name the corpus lacks ("the mayor of Fakeville") can't be answered by any fact.
    unknown = unknown_name(kb, q)
    if unknown is not None:
        return unknown
    handler = HANDLERS.get(q.intent)
    result = handler(kb, q) if handler else None
    if result is None and q.intent in ("definition", "other"):
        # No cue word ("what was X's poverty incidence?"): a figure that fits, or nothing.
        attempt = figure(kb, q)
        result = attempt if attempt and attempt.answer else None
    return result


def places_fit_text(kb: KnowledgeBase, q: Question, text: str, doc_id: str) -> bool:
    """Every place the question names is in `text` or is one of its document's two cities."""
    cities = _doc_cities(kb, doc_id)
    return all(_mentions(text, p.name) or p.name in cities for p in q.places)
