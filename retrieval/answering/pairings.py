"""Pairing questions: who pairs with whom, both ways, by city, by province, yes/no."""

from __future__ import annotations

import re

from pearlbot.corpus.divisions import division_key
from pearlbot.corpus.facts.models import (
    PairingFact,
)
from pearlbot.retrieval.answering.common import (
    TABLE_ROWS,
    FactResult,
    facts_in_doc,
    facts_of_kind,
    join_names,
    order_caveats,
    other_side,
    pair_line,
    pairings_of,
    unknown_name,
)
from pearlbot.retrieval.answering.typed import asked_province, place_type_of
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.understanding.gazetteer import Entry
from pearlbot.retrieval.understanding.question import (
    Question,
)

_SPECIFIC = ("district", "county", "town", "place")


def pairing_rows(facts: list[PairingFact]) -> FactResult:
    if not facts:
        return FactResult(None, (), note="The source names no such pairing.")
    shown = facts[:TABLE_ROWS]
    more = (
        f"; and {len(facts) - len(shown)} more (ask about one place)" if facts[TABLE_ROWS:] else ""
    )
    return FactResult(
        "; ".join(pair_line(f) for f in shown) + more, tuple(shown), caveats=order_caveats(shown)
    )


def pairing_table(kb: KnowledgeBase) -> FactResult:
    """Every pairing the corpus states (the first TABLE_ROWS of them), with the caveat."""
    return pairing_rows(facts_of_kind(kb, "pairing"))


def pairing(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if not facts_of_kind(kb, "pairing"):
        return None
    known = list(dict.fromkeys([*q.places, *q.nickname_links]))
    if q.unknown_places and not [p for p in known if p.kind in _SPECIFIC]:
        return unknown_name(kb, q)
    if known and all(p.kind == "province" for p in known):
        return _pairs_in_province(kb, known[0], q)
    if not known:
        # The whole table only when asked for a list; a specific question needs a name.
        listing = q.has("list", "all", "table", "pairings", "pairs", "every", "each")
        return pairing_table(kb) if listing and not q.unknown_words else None
    pairings = pairings_of(kb, [p.name for p in known])
    # "which Eastport district ...": the city names the answer's side; it is not asked about
    # ("which county is Eastport paired with?" asks about Eastport).
    side = [
        p for p in known if p.kind == "city" and q.wants_type in _SPECIFIC and _names_the_side(q, p)
    ][:1]
    # "which Upland city does Eastport help?": Upland is where the answer lies, not asked about.
    inside = asked_province(q)
    targets = [
        p for p in known if p not in side and not (inside and division_key(p.name) == inside)
    ] or known
    involved = [p for p in targets if any(p.name in (f.assisting, f.assisted) for f in pairings)]
    # "which Coastal city is paired with Westvale County?": when the specific place asked
    # about is in no pairing, a pairing of the broader one is not its answer.
    left_out = [p for p in targets if p.kind in _SPECIFIC and p not in involved]
    if left_out and not any(p.kind in _SPECIFIC for p in involved):
        involved = []
        targets = left_out
    if not involved:
        target = targets[-1]
        if not _lists_pairings(kb, target):
            return None  # no pairing fact names it: the sentences may still say, in other words
        # Its article lists who pairs with whom, and this place is not in the list.
        return FactResult(
            None, (), note=f"The source names {target.name} but gives no partner for it."
        )
    # A county-level "X City" in a district pairing is as specific as a county.
    in_districts = {n for f in pairings if f.level == "district" for n in (f.assisting, f.assisted)}
    specific = [p for p in involved if p.kind in _SPECIFIC or p.name in in_districts]
    if len(involved) >= 2 and YES_NO.match(q.english):
        # "is Westvale paired with Eastport?": yes or no, whatever the places' level.
        return _pair_check(pairings, involved[0], involved[1])
    if not specific:
        return _city_pairing(kb, pairings, involved[0], q)
    if len(specific) >= 2:
        return _pair_check(pairings, specific[0], specific[1])
    if q.wants_type in _SPECIFIC and not q.has("counties", "districts", "towns"):
        # "which county is Eastport paired with?": partners of the asked type, when some are.
        asked = specific[0].name
        own = [f for f in pairings if asked in (f.assisting, f.assisted)]
        typed = [f for f in own if kb.gazetteer_type(other_side(f, asked) or "") == q.wants_type]
        if typed and len(typed) < len(own):
            pairings = typed
    return _partner_of(pairings, specific[0], side)


YES_NO = re.compile(r"^\s*(?:is|are|was|were|does|do|did|has|have)\b", re.IGNORECASE)


def _names_the_side(q: Question, city: Entry) -> bool:
    """ "which Eastport district", "which district of Eastport", "Eastport's ... district"."""
    base = re.escape(city.name.split()[0].casefold())
    kinds = r"(?:districts?|county|counties|towns?|townships?|parts?|areas?|places?)"
    return (
        re.search(
            rf"\b(?:which|what)\s+{base}(?:'s)?\s+(?:\w+\s+)?{kinds}\b"
            rf"|\b{kinds}\s+(?:of|in)\s+{base}\b|\b{base}(?:'s)?\s+(?:\w+\s+)?{kinds}\b",
            q.english.casefold(),
        )
        is not None
    )


def _lists_pairings(kb: KnowledgeBase, place: Entry) -> bool:
    """Whether an article naming this place lists district-level pairings."""
    docs = kb.docs_with(place.name.split()[0].lower())
    return any(
        isinstance(f, PairingFact) and f.level == "district"
        for doc in docs
        for f in facts_in_doc(kb, doc, "pairing")
    )


def _pairs_in_province(kb: KnowledgeBase, province: Entry, q: Question) -> FactResult | None:
    """ "which city does Coastal province help?" (a pairing the province itself is a side
    of), else "which cities help places in Upland?" / "which partner cities are in Upland?"."""
    base = province.name.split()[0].casefold()
    if not re.search(rf"\b(?:in|of|within|inside)\s+(?:the\s+)?{re.escape(base)}", q.english, re.I):
        # A partner the question itself names ("what does Eastport assist in Upland?") is
        # where the answer lies, not the answer.
        direct = [
            f
            for f in pairings_of(kb, [province.name])
            if (partner := other_side(f, province.name))
            and partner.split()[0].casefold() not in q.words
        ]
        if q.wants_type:
            wanted = q.wants_type
            direct = [
                f for f in direct if kb.gazetteer_type(other_side(f, province.name) or "") == wanted
            ]
        if direct:
            partners = [other_side(f, province.name) or "" for f in direct]
            return FactResult(join_names(list(dict.fromkeys(partners))), tuple(direct))
    within = kb.fact_index.contains.get(province.name, ())
    inside = {f.name for f in within}
    pairs = [
        f
        for f in pairings_of(kb, inside)
        if f.level == "city" and ({f.assisting, f.assisted} & inside)
    ]
    if not pairs:
        return None  # the sentences may still name one the facts do not hold
    helping = q.has("help", "helps", "helped", "assist", "assists", "support", "supports", "aid")
    names = [
        (f.assisting if f.assisted in inside else f.assisted) if helping else
        (f.assisted if f.assisted in inside else f.assisting)
        for f in pairs
    ]  # fmt: skip
    return FactResult(join_names(n for n in names if n), (*pairs, *within))


def _partner_of(pairings: list[PairingFact], target: Entry, side: list[Entry]) -> FactResult:
    facts = [f for f in pairings if target.name in (f.assisting, f.assisted)]
    if side:
        city = side[0].name
        on_side = [f for f in facts if city in (f.assisting_city, f.assisted_city)]
        if not on_side and any(f.assisting_city or f.assisted_city for f in facts):
            partners = join_names(
                f"{other_side(f, target.name)} ({f.assisting_city or f.assisted_city})"
                for f in facts
                if other_side(f, target.name)
            )
            note = f"The source pairs {target.name} with {partners}, not with a place in {city}."
            return FactResult(None, tuple(facts), note=note)
        facts = on_side or facts
    used = [f for f in facts if other_side(f, target.name)]
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
        join_names(other_side(f, target.name) or "" for f in used),
        tuple(used),
        caveats=order_caveats(used),
    )


def _city_pairing(
    kb: KnowledgeBase, pairings: list[PairingFact], city: Entry, q: Question
) -> FactResult | None:
    rows = [
        f
        for f in pairings
        if f.level == "district" and city.name in (f.assisting_city, f.assisted_city)
    ]
    if rows and (q.wants_type in _SPECIFIC or q.has("districts", "counties", "list", "all")):
        return pairing_rows(rows)
    city_level = [
        f for f in pairings if f.level == "city" and city.name in (f.assisting, f.assisted)
    ]
    if city_level and q.wants_type in _SPECIFIC:
        # "which county does Eastport help?": only partners of that type answer it
        city_level = [
            f
            for f in city_level
            if place_type_of(kb, other_side(f, city.name) or "") == q.wants_type
        ]
        if not city_level:
            return None
    if city_level:
        partners = [n for f in city_level if (n := other_side(f, city.name))]
        return FactResult(join_names(partners), tuple(city_level))
    return pairing_rows(
        rows or [f for f in pairings if city.name in (f.assisting_city, f.assisted_city)]
    )


def _pair_check(pairings: list[PairingFact], a: Entry, b: Entry) -> FactResult:
    both = [f for f in pairings if {a.name, b.name} == {f.assisting, f.assisted}]
    if both:
        return FactResult(
            f"Yes: {a.name} is paired with {b.name}", tuple(both), caveats=order_caveats(both)
        )
    # A place the source lists without a partner ("... and Eastvale County respectively", one
    # place too many): whether anything is paired with it, the source doesn't state.
    for named in (a, b):
        left_over = [
            f
            for f in pairings
            if named.name in (f.assisting, f.assisted) and not other_side(f, named.name)
        ]
        if left_over:
            return FactResult(
                None,
                tuple(left_over),
                note=f"The source doesn't state it: it lists {named.name} but names no partner "
                "for it.",
                caveats=order_caveats(left_over),
            )
    of_a = [f for f in pairings if a.name in (f.assisting, f.assisted) and other_side(f, a.name)]
    if of_a and any(f.inferred_from_order for f in of_a):
        # "No" would rest on list order alone; say what the order suggests, not a verdict.
        partner = other_side(of_a[0], a.name)
        return FactResult(
            None,
            tuple(of_a[:1]),
            note=f"The source doesn't state it outright. By list order it pairs {a.name} with "
            f"{partner}.",
            caveats=order_caveats(of_a[:1]),
        )
    if of_a:
        partner = other_side(of_a[0], a.name)
        return FactResult(
            f"No: the source pairs {a.name} with {partner}",
            tuple(of_a[:1]),
            caveats=order_caveats(of_a[:1]),
        )
    return FactResult(None, (), note=f"The source gives no partner for {a.name}.")
