"""Fact checking: a claim compared with the extracted facts and the passages that state them.

The verdict is Supported (with the fact and its quote), Contradicted (what the source says
instead, with the quote) or Not stated (the corpus says nothing either way). The claim is
scoped like a question: a claim naming a place no document mentions is Not stated.

Checks run in a fixed order, the first that applies decides (precedence stated once):
  1. scope      a place the corpus never names                 -> Not stated
  2. figure     a number with what it counts                     -> the figure facts
                (a number no figure fact measures                -> Not stated)
  3. date       a month or a year                                -> the date facts
  4. pairing    two places with a pairing verb                  -> the pairing facts
  5. person     a person or a title the corpus knows             -> the person facts
  otherwise Not stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum

from pearlbot.corpus.facts import (
    DateFact,
    Fact,
    FigureFact,
    PairingFact,
    PersonFact,
    PlaceFact,
)
from pearlbot.corpus.models import Frozen
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.understanding.question import Question, parse_question
from pearlbot.retrieval.understanding.scope import scope_question

# Word overlap between a claim and a figure's measure needed to call it the same measure: at
# least this share of the measure's content words (measured on eval/claims.jsonl's true claims).
MEASURE_OVERLAP = 0.5
# Relative difference under which two figures are the same number written differently.
SAME_VALUE = 1e-6
# An exact claim within this factor above a source's lower bound ("45" against "more than
# 40") is an approximate match, not a contradiction.
NEAR_BOUND = 1.25

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOP = frozenset(
    "a an the of in on at to for from by with and or is are was were has have had been be "
    "its their it this that these those as than more over about around nearly almost some "
    "exceeded exceed exceeds exceeding total totals amount number since end year years "
    "city cities".split()
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-one": 21, "twenty-six": 26, "thirty": 30,
}  # fmt: skip
# "over 40", "more than 40", "exceeded 5 million": a lower bound, not an exact figure.
_AT_LEAST = re.compile(r"\b(?:more than|over|above|exceed(?:ed|s|ing)?|at least|upwards of)\s*$")
_ABOUT = re.compile(r"\b(?:about|around|nearly|almost|roughly|some|approximately)\s*$")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in _SMALL_NUMBERS), key=len, reverse=True))
    + r")(?:\s+(?P<scale>thousand|million|billion))?(?:\s*(?P<unit>percent|%|yuan|kilometers))?",
    re.IGNORECASE,
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATE = re.compile(
    r"\b(?:(?P<month>"
    + "|".join(_MONTHS)
    + r")(?:\s+(?P<day>\d{1,2}))?,?\s*)?(?P<year>(?:19|20)\d\d)?\b",
    re.IGNORECASE,
)
_PAIRING_VERB = re.compile(
    r"\b(?:pair(?:s|ed|ing)?|partner(?:s|ed)?|assist(?:s|ed)?|support(?:s|ed)?|help(?:s|ed)?"
    r"|counterpart)\b",
    re.IGNORECASE,
)


class Verdict(StrEnum):
    SUPPORTED = "Supported"
    CONTRADICTED = "Contradicted"
    NOT_STATED = "Not stated"


class CheckResult(Frozen):
    """A verdict, why (one sentence), and the quote and its place when the source speaks."""

    claim: str
    verdict: Verdict
    explanation: str
    quote: str | None = None
    doc_id: str | None = None
    passage_id: str | None = None
    approximate: bool = False
    caveat: str | None = None

    def render(self) -> str:
        """The verdict first, then the explanation, the caveat and the quote with its source."""
        lines = [f"{self.verdict.value}: {self.explanation}"]
        if self.caveat:
            lines.append(f"Note: {self.caveat}")
        if self.quote:
            where = self.passage_id or self.doc_id or ""
            lines.append(f"“{self.quote}” [{where}]")
        return "\n".join(lines)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP and not w.isdigit()}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _norm(name: str) -> str:
    return " ".join(_words(name))


def _result(
    claim: str, verdict: Verdict, explanation: str, fact: Fact | None = None, **extra: object
) -> CheckResult:
    if fact is None:
        return CheckResult(claim=claim, verdict=verdict, explanation=explanation, **extra)  # type: ignore[arg-type]
    return CheckResult(
        claim=claim,
        verdict=verdict,
        explanation=explanation,
        quote=fact.source.quote,
        doc_id=fact.source.doc_id,
        passage_id=fact.source.passage_id,
        **extra,  # type: ignore[arg-type]
    )


def _not_stated(claim: str, why: str = "the articles say nothing either way.") -> CheckResult:
    return _result(claim, Verdict.NOT_STATED, why)


# -- 1. scope ---------------------------------------------------------------------------------


def question_of(kb: KnowledgeBase, text: str) -> Question:
    """The claim (or question) read by question understanding."""
    return parse_question(text, kb.gazetteer, kb.vocabulary, kb.surface_words, kb.stem_words)


def question_intent(kb: KnowledgeBase, text: str) -> str | None:
    """The intent question understanding reads in `text` ("pairing", "figure", ...)."""
    try:
        return question_of(kb, text).intent
    except Exception:  # the log must never fail a reply
        return None


# -- 2. pairings ------------------------------------------------------------------------------


def _places_in(claim: str, kb: KnowledgeBase) -> list[str]:
    """Place names of pairing facts that the claim names, in the claim's order."""
    text = " " + _norm(claim) + " "
    names: set[str] = set()
    for fact in kb.facts:
        if isinstance(fact, PairingFact):
            names.update(n for n in (fact.assisting, fact.assisted) if n)
    found = []
    for name in names:
        key = " " + _norm(name) + " "
        position = text.find(key)
        if position < 0:
            short = " " + _norm(_strip_type(name)) + " "
            position = text.find(short) if len(short.strip()) > 2 else -1
        if position >= 0:
            found.append((position, name))
    # "Eastport County" and the city "Eastport" at the same place: the longer name wins.
    kept = [
        (position, name)
        for position, name in found
        if not any(
            other != name and p <= position < p + len(_norm(other)) and len(other) > len(name)
            for p, other in found
        )
    ]
    return [name for _, name in sorted(kept)]


def _strip_type(name: str) -> str:
    return re.sub(r"\s+(?:District|County|Autonomous County|City)$", "", name)


def _check_pairing(kb: KnowledgeBase, claim: str) -> CheckResult | None:
    if not _PAIRING_VERB.search(claim):
        return None
    places = _places_in(claim, kb)
    if len(places) < 2:
        return None
    first, second = places[0], places[1]
    pairings = [f for f in kb.facts if isinstance(f, PairingFact)]
    for fact in pairings:
        sides = {fact.assisting, fact.assisted}
        if first in sides and second in sides:
            caveat = (
                "the source lists the two sides in order and pairs them by position"
                ' ("respectively"), not name by name.'
                if fact.inferred_from_order
                else None
            )
            return _result(
                claim,
                Verdict.SUPPORTED,
                f"the source pairs {fact.assisting} with {fact.assisted}.",
                fact,
                caveat=caveat,
            )
    for name, other in ((first, second), (second, first)):
        for fact in pairings:
            if name not in (fact.assisting, fact.assisted):
                continue
            partner = fact.assisted if name == fact.assisting else fact.assisting
            if partner is None:
                return _result(
                    claim,
                    Verdict.NOT_STATED,
                    f"the source names no partner for {name}.",
                    fact,
                    caveat="the list of partners is shorter than the list of places.",
                )
            if _same_level(name, other, fact, pairings):
                return _result(
                    claim,
                    Verdict.CONTRADICTED,
                    f"the source pairs {name} with {partner}, not {other}.",
                    fact,
                    caveat=(
                        'paired by list order ("respectively") in the source.'
                        if fact.inferred_from_order
                        else None
                    ),
                )
    return None


def _same_level(name: str, other: str, fact: PairingFact, pairings: Sequence[PairingFact]) -> bool:
    """Whether `other` could stand where the fact's partner stands (a place paired at the
    same level), so naming it instead is a contradiction rather than another subject."""
    return any(f.level == fact.level and other in (f.assisting, f.assisted) for f in pairings)


# -- 3. people and titles ---------------------------------------------------------------------


def _check_person(kb: KnowledgeBase, claim: str) -> CheckResult | None:
    people = [f for f in kb.facts if isinstance(f, PersonFact)]
    text = " " + _norm(claim) + " "
    named = [p for p in people if " " + _norm(p.name) + " " in text]
    titled = [(p, t) for p in people for t in p.titles if " " + _norm(t) + " " in text]
    if not named and not titled:
        return None
    if named:
        person = named[0]
        rest = text.replace(" " + _norm(person.name) + " ", " ")
        said_titles = titled
        for _p, title in said_titles:
            if title in person.titles:
                return _result(
                    claim, Verdict.SUPPORTED, f"the source gives {person.name} as {title}.", person
                )
        if said_titles:
            _p, title = said_titles[0]
            return _result(
                claim,
                Verdict.CONTRADICTED,
                f"the source gives {person.name} as {'; '.join(person.titles)}, not {title}.",
                person,
            )
        role = _role_claimed(rest)
        if role is not None:
            if role in person.roles or role == person.role:
                return _result(
                    claim, Verdict.SUPPORTED, f"the source says {person.name} {role}.", person
                )
            if person.roles:
                return _result(
                    claim,
                    Verdict.CONTRADICTED,
                    f"the source says {person.name} {person.roles[0]}, not {role}.",
                    person,
                )
        title_words = _title_words(rest)
        if title_words:
            return _result(
                claim,
                Verdict.CONTRADICTED,
                f"the source gives {person.name} as {'; '.join(person.titles)}.",
                person,
            )
        return None
    holder, title = titled[0]
    return _result(
        claim,
        Verdict.CONTRADICTED,
        f"the source gives {holder.name} as {title}.",
        holder,
    )


_ROLES = {
    "led": ("led", "lead", "leads", "headed"),
    "accompanied": ("accompanied", "accompanies"),
    "met": ("met", "meets"),
    "participated": ("participated", "participates", "took part", "joined"),
    "attended": ("attended", "attends"),
}


def _role_claimed(text: str) -> str | None:
    for role, forms in _ROLES.items():
        if any(f" {form} " in text for form in forms):
            return role
    return None


_TITLE_WORDS = ("mayor", "secretary", "director", "governor", "member", "deputy", "chairman")


def _title_words(text: str) -> bool:
    return any(f" {w} " in text for w in _TITLE_WORDS)


def _place_words(kb: KnowledgeBase) -> set[str]:
    """Words of the place names the facts know: they say where, not what is measured."""
    names: set[str] = set()
    for fact in kb.facts:
        if isinstance(fact, PlaceFact):
            names.add(fact.name)
        elif isinstance(fact, PairingFact):
            names.update(n for n in (fact.assisting, fact.assisted) if n)
    return {_stem(w) for name in names for w in _words(name)}


def _docs_naming_places(kb: KnowledgeBase, claim: str) -> frozenset[str] | None:
    """The documents that mention every known place the claim names (None: it names none)."""
    text = " " + _norm(claim) + " "
    names = {
        fact.name
        for fact in kb.facts
        if isinstance(fact, PlaceFact) and " " + _norm(fact.name) + " " in text
    }
    if not names:
        return None
    # The documents holding every word of those names (docs_with: no pass over every document).
    found = frozenset(d.id for d in kb.corpus.documents)
    for word in dict.fromkeys(w for n in names for w in _words(n)):
        found &= kb.docs_with(word)
    return found


# -- 4. figures -------------------------------------------------------------------------------


class _Number(Frozen):
    value: float
    unit: str | None
    at_least: bool
    about: bool
    start: int
    end: int


def _numbers(claim: str) -> list[_Number]:
    found = []
    for match in _NUMBER.finditer(claim):
        raw = match["num"].lower()
        value = float(_SMALL_NUMBERS[raw]) if raw in _SMALL_NUMBERS else float(raw.replace(",", ""))
        if match["scale"]:
            value *= _SCALE[match["scale"].lower()]
        unit = (match["unit"] or "").lower().replace("%", "percent") or None
        if unit is None and 1900 <= value <= 2100 and not match["scale"]:
            continue  # a year
        before = claim[: match.start()].lower()
        if re.search(r"(?:" + "|".join(_MONTHS) + r")\s*$", before):
            continue  # a day of a month
        found.append(
            _Number(
                value=value,
                unit=unit,
                at_least=bool(_AT_LEAST.search(before)),
                about=bool(_ABOUT.search(before)),
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def _unit_of(fact: FigureFact) -> str:
    unit = fact.unit.lower()
    if "yuan" in unit:
        return "yuan"
    if "percent" in unit or "%" in unit:
        return "percent"
    if "kilomet" in unit:
        return "kilometers"
    return "count"


def _fact_value(fact: FigureFact) -> float:
    return fact.value


def _figure_words(fact: FigureFact) -> set[str]:
    return _content(f"{fact.measure} {fact.unit}")


def _format_value(value: float, unit: str) -> str:
    for name, scale in (("billion", 1e9), ("million", 1e6)):
        if value >= scale and unit == "yuan":
            return f"{value / scale:g} {name} yuan"
    text = f"{value:,.0f}" if value == int(value) else f"{value:g}"
    return f"{text} {unit}" if unit in ("yuan", "percent", "kilometers") else text


def _check_figure(kb: KnowledgeBase, claim: str, docs: frozenset[str] | None) -> CheckResult | None:
    numbers = _numbers(claim)
    if not numbers:
        return None
    number = numbers[0]
    places = _place_words(kb)
    claim_words = _content(claim[: number.start] + " " + claim[number.end :])
    claim_words |= _content(claim[number.start : number.end])
    claim_words -= places
    after = _words(claim[number.end :])
    counted = _stem(after[0]) if after and number.unit is None else None
    named_docs = _docs_naming_places(kb, claim)
    best: tuple[float, FigureFact] | None = None
    for fact in kb.facts:
        if not isinstance(fact, FigureFact):
            continue
        if docs is not None and fact.source.doc_id not in docs:
            continue
        if named_docs is not None and fact.source.doc_id not in named_docs:
            continue
        unit = _unit_of(fact)
        if number.unit is not None and number.unit != unit:
            continue
        if number.unit is None and unit in ("yuan", "percent", "kilometers"):
            continue
        measure = _figure_words(fact) - places
        if not measure:
            continue
        if counted is not None and counted not in _STOP and counted not in measure:
            continue  # "12 hospitals" is not a count of enterprises
        overlap = len(measure & claim_words) / len(measure)
        if overlap < MEASURE_OVERLAP:
            continue
        if best is None or overlap > best[0]:
            best = (overlap, fact)
    if best is None:
        return None
    fact = best[1]
    unit = _unit_of(fact)
    source_value = _fact_value(fact)
    source_bound = (
        fact.qualifier is not None
        and bool(
            re.search(r"more than|over|exceed|above", fact.qualifier or fact.text, re.IGNORECASE)
        )
    ) or bool(re.search(r"\b(?:more than|over|exceeded|above)\b", fact.text, re.IGNORECASE))
    said = _format_value(source_value, unit)
    if unit == "count" and fact.text.rstrip().endswith(" " + fact.unit):
        said = f"{said} {fact.unit}"  # "12 enterprises"
    if source_bound:
        said = f"more than {said}"
    claimed = claim[number.start : number.end].strip()
    same = abs(number.value - source_value) <= SAME_VALUE * max(abs(source_value), 1.0)
    if same:
        approximate = source_bound != (number.at_least or number.about)
        return _result(
            claim,
            Verdict.SUPPORTED,
            f"the source says {said}."
            + (" The claim states it less exactly than the source." if approximate else ""),
            fact,
            approximate=approximate,
        )
    # A lower bound on one side and a value above it on the other: an approximate match.
    if number.at_least and source_value > number.value and not source_bound:
        return _result(
            claim,
            Verdict.SUPPORTED,
            f"approximately: the source says {said}, which is over {claimed}.",
            fact,
            approximate=True,
        )
    if (
        source_bound
        and not number.at_least
        and source_value < number.value <= source_value * NEAR_BOUND
    ):
        return _result(
            claim,
            Verdict.SUPPORTED,
            f"approximately: the source says {said}, which {claimed} may be.",
            fact,
            approximate=True,
        )
    return _result(
        claim,
        Verdict.CONTRADICTED,
        f"the source says {said}, not {claimed}.",
        fact,
    )


# -- 5. dates ---------------------------------------------------------------------------------


class _Date(Frozen):
    year: int | None
    month: int | None
    day: int | None


def _dates(claim: str) -> list[_Date]:
    found = []
    for match in _DATE.finditer(claim):
        if not match["month"] and not match["year"]:
            continue
        month = _MONTHS.index(match["month"].lower()) + 1 if match["month"] else None
        found.append(
            _Date(
                year=int(match["year"]) if match["year"] else None,
                month=month,
                day=int(match["day"]) if match["day"] else None,
            )
        )
    return found


def _date_parts(fact: DateFact) -> _Date:
    parts = [int(p) for p in fact.date.split("-")]
    return _Date(
        year=parts[0],
        month=parts[1] if len(parts) > 1 else None,
        day=parts[2] if len(parts) > 2 else None,
    )


def _describe_date(date: _Date) -> str:
    text = []
    if date.month:
        text.append(_MONTHS[date.month - 1].capitalize())
    if date.day:
        text.append(str(date.day) + ("," if date.year else ""))
    if date.year:
        text.append(str(date.year))
    return " ".join(text)


def _check_date(kb: KnowledgeBase, claim: str, docs: frozenset[str] | None) -> CheckResult | None:
    dates = _dates(claim)
    if not dates:
        return None
    said = dates[0]
    claim_words = _content(_DATE.sub(" ", claim))
    best: tuple[float, DateFact] | None = None
    for fact in kb.facts:
        if not isinstance(fact, DateFact) or fact.source.passage_id is None:
            continue
        if docs is not None and fact.source.doc_id not in docs:
            continue
        event = _content(fact.event)
        if not event:
            continue
        overlap = len(event & claim_words) / min(len(event), max(len(claim_words), 1))
        if overlap < MEASURE_OVERLAP:
            continue
        if best is None or overlap > best[0]:
            best = (overlap, fact)
    if best is None:
        return None
    fact = best[1]
    source = _date_parts(fact)
    agrees = all(
        getattr(said, part) is None or getattr(source, part) in (None, getattr(said, part))
        for part in ("year", "month", "day")
    )
    if said.year is None and source.year is not None and said.month is None:
        agrees = False
    shown = _describe_date(source)
    if fact.qualifier == "end of":
        shown = f"the end of {shown}"
    if agrees:
        return _result(claim, Verdict.SUPPORTED, f"the source dates it {shown}.", fact)
    return _result(
        claim,
        Verdict.CONTRADICTED,
        f"the source dates it {shown}, not {_describe_date(said)}.",
        fact,
    )


# -- the one entry point ----------------------------------------------------------------------

_CHECKS: tuple[Callable[[KnowledgeBase, str, frozenset[str] | None], CheckResult | None], ...] = (
    _check_figure,
    _check_date,
    lambda kb, claim, docs: _check_pairing(kb, claim),
    lambda kb, claim, docs: _check_person(kb, claim),
)


def check_claim(kb: KnowledgeBase, claim: str) -> CheckResult:
    """Compare a claim with the facts: Supported, Contradicted or Not stated, with the quote."""
    text = " ".join(claim.split())
    if not text:
        return _not_stated(claim, "there is no claim to check.")
    q = question_of(kb, text)
    scope = scope_question(kb, q)
    if q.unknown_places or scope.missing:
        name = (q.unknown_places or scope.missing)[0]
        return _not_stated(text, f"the articles never mention {name}.")
    for check in _CHECKS:
        result = check(kb, text, scope.docs)
        if result is not None:
            return result
        if check is _check_figure and _numbers(text):
            # A claim about a figure no fact gives: the rest of it cannot make it true.
            return _not_stated(text, "the articles give no such figure.")
    return _not_stated(text)


def check_claims(kb: KnowledgeBase, claims: Iterable[str]) -> list[CheckResult]:
    """check_claim over several claims."""
    return [check_claim(kb, claim) for claim in claims]
