"""People questions: who holds a title, who led or met, what a named person does."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pearlbot.corpus.facts.models import (
    PersonFact,
)
from pearlbot.retrieval.answering.common import (
    FactResult,
    candidates,
    delegation_origin,
    facts_of_kind,
    join_names,
    mentions,
    rank_by_places,
)
from pearlbot.retrieval.answering.typed import PLURAL_TITLE_WORDS, SHORT_ANSWER_CHARS, short_titles
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze, words
from pearlbot.retrieval.understanding.gazetteer import Entry
from pearlbot.retrieval.understanding.lexicon import (
    TITLE_WORDS,
)
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms,
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
    return all(mentions(title, place.name) for place in places)


def _role(q: Question) -> str | None:
    return next((ROLE_WORDS[w] for w in q.words if w in ROLE_WORDS), None)


def _has_role(person: PersonFact, role: str) -> bool:
    return bool(ROLE_GROUPS.get(role, {role}) & set(person.roles or (person.role,)))


def _names(people: Sequence[PersonFact]) -> str:
    """Names; with their titles when they come from several releases (two cities' mayors)."""
    if len({p.source.doc_id for p in people}) > 1:
        return "; ".join(dict.fromkeys(f"{p.name} ({'; '.join(p.titles)})" for p in people))
    return join_names(p.name for p in people)


def person(kb: KnowledgeBase, q: Question) -> FactResult | None:
    if not facts_of_kind(kb, "person"):
        return None
    if q.people and not _asks_for_another(q):
        return describe_people(people_named(kb, q), q)
    named = {e.name for e in q.people}
    people: list[PersonFact] = [p for p in candidates(kb, q, "person") if p.name not in named]
    if named:
        # "which Upland official went along with Zhang San?": someone else, of that place.
        places = [p for p in q.places if p.kind != "person"]
        beside = [
            p for p in people if places and any(mentions(t, places[0].name) for t in p.titles)
        ]
        return FactResult(_names(beside), tuple(beside)) if beside else None
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
        origin = delegation_origin(q)
        if origin and role == "led":
            # "the Westvale delegation" is led by one of Westvale's officials.
            own = [p for p in matches if any(mentions(t, origin) for t in p.titles)]
            matches = own or matches
        matches = rank_by_places(kb, q, matches)
        if matches:
            return FactResult(_names(matches), tuple(matches))
    return _by_title_words(kb, q, people)


_ANOTHER = re.compile(
    r"^\s*(?:who|which\s+(?:\w+\s+){0,2}?(?:official|officials|leader|leaders|person|people))\b"
    r".*\b(?:with|alongside|besides|accompan\w*|joined|met|meet|received)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _asks_for_another(q: Question) -> bool:
    """ "who went along with Zhang San?": the named person is who the answer was with."""
    first = min(q.english.casefold().find(e.name.split()[0].casefold()) for e in q.people)
    return first > 0 and _ANOTHER.match(q.english[:first]) is not None


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


def people_named(kb: KnowledgeBase, q: Question) -> list[PersonFact]:
    return [
        f
        for e in q.people
        for f in kb.fact_index.people_by_name.get(e.name, ())
        if isinstance(f, PersonFact)
    ]


def describe_people(people: list[PersonFact], q: Question) -> FactResult:
    facts = [p for p in people if p.name in {e.name for e in q.people}]
    wanted = _title_terms(q)
    if facts and wanted and re.match(r"^\s*(?:is|was)\b", q.english, re.IGNORECASE):
        # "is Zhang San the governor of Upland?": yes when a title of theirs is that one.
        places = [p for p in q.places if p.kind != "person"]
        fitting = [(p, t) for p in facts for t in p.titles if _fits(t, wanted, places, True)]
        if fitting:
            person, title = fitting[0]
            return FactResult(f"Yes: {person.name} is {title}", (person,))
    if q.has("role", "do", "did", "doing") and not q.has("title", "titles", "position", "job"):
        parts = [f"{p.name}: {'; '.join(p.titles)}; {', '.join(p.roles)}" for p in facts if p.roles]
        if parts:
            return FactResult(" | ".join(dict.fromkeys(parts)), tuple(facts))
    titles = [t for p in facts for t in p.titles]
    joined = join_names(titles)
    if len(joined) > SHORT_ANSWER_CHARS and not q.has(*PLURAL_TITLE_WORDS):
        # A fact check wants the office, not a paragraph: the offices the question points to.
        joined = short_titles(titles, set(content_terms(q)))
    return FactResult(joined, tuple(facts))
