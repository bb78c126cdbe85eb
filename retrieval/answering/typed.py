"""Typed answer extraction: the general path when no extracted fact fits the question.

Candidates of the expected type (money, counts, dates, people, places, ...) are read from the
best passages of the documents the question is scoped to, then ranked by how close they sit to
the question's matched words, by how well they fit the type, and by agreement across passages.
An answer is the candidate's exact span; the passage that holds it is cited first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from pearlbot.corpus.divisions import division_key, division_types, provinces_of
from pearlbot.corpus.facts.models import PlaceFact
from pearlbot.corpus.vocabulary import (
    ASSISTANCE_WORDS,
    ETHNIC_WORDS,
    HEDGE_WORDS,
    JOB_WORDS,
    LIGHT_VERBS,
    MONTH_NAMES,
    ORGANISATION_HEADS,
    PLACE_TYPE_PLURALS,
    PLACE_TYPE_WORDS,
    REFERENCE_TYPES,
    SCALE_WORDS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    WORD_FAMILIES,
)
from pearlbot.retrieval.answering.common import facts_in_doc
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import STOP_WORDS, analyze, analyze_text, analyze_word
from pearlbot.retrieval.understanding.chinese import is_pinyin_word
from pearlbot.retrieval.understanding.expected import AnswerType
from pearlbot.retrieval.understanding.question import Question, expanded_terms
from pearlbot.retrieval.understanding.scope import Scope, place_like_words

# --- candidate patterns ----------------------------------------------------------------------

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SPELLED = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five"
    r"|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred|a hundred"
    r"|several|dozens of|hundreds of|thousands of)"
)
_SCALE = "|".join(re.escape(s) for s in sorted(SCALE_WORDS, key=len, reverse=True))
_CURRENCY_WORD = (
    r"(?:yuan|RMB|CNY|U\.?S\.? dollars|hong kong dollars|hk dollars|dollars|euros|patacas?)"
)
_QUALIFIER = (
    r"(?:(?:more than|over|nearly|almost|about|around|approximately|some|up to|at least"
    r"|less than|exceeded|exceeding|a total of|totaling|totalling)\s+)?"
)
MONEY: Final = re.compile(
    rf"{_QUALIFIER}(?:(?:¥|￥|RMB|CNY|US\$|HK\$|HKD|MOP\$?|\$)\s?{_NUMBER}(?:\s?(?:{_SCALE})\b)?(?:\s{_CURRENCY_WORD})?"
    rf"|{_NUMBER}(?:\s?(?:{_SCALE})\b)?\s?{_CURRENCY_WORD})",
    re.IGNORECASE,
)
PERCENT: Final = re.compile(
    rf"{_QUALIFIER}{_NUMBER}\s?(?:%|percent\b|per cent\b|percentage points?\b)", re.IGNORECASE
)
# A count and what it counts: "12 assistance projects", "twenty-six Eastport enterprises".
COUNT: Final = re.compile(
    rf"(?<![\w.,$¥-]){_QUALIFIER}(?P<n>{_NUMBER}(?:\s(?:{_SCALE})\b)?|{_SPELLED})"
    r"(?P<noun>(?:\s+(?!(?:of|in|to|and|for|from|with|by|at|on|yuan|percent)\b)"
    r"[^\W\d][\w'’-]*){1,4})",
    re.IGNORECASE,
)
_MONTH = "|".join([*MONTH_NAMES, *(m[:3] for m in MONTH_NAMES), "Sept"])
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
DATE: Final = re.compile(
    rf"\b(?:from\s+)?(?:{_MONTH})\.?\s+{_DAY}(?:\s*(?:-|–|to|and|through|until)\s*(?:(?:{_MONTH})\.?\s+)?{_DAY})?"
    rf"(?:,?\s+(?:19|20)\d\d)?"
    # "8 to 10 November", "8-10 November 2019": a day-first range
    rf"|\b(?:from\s+)?(?:{_DAY}\s*(?:-|–|to|and|through|until)\s*)?{_DAY}\s+(?:{_MONTH})\.?"
    r"(?:\s+(?:19|20)\d\d)?"
    rf"|\b(?:early |late |mid-|the end of |the beginning of )?(?:{_MONTH})\.?,?\s+(?:19|20)\d\d"
    rf"|\b(?:{_MONTH})\s+(?:last|this)\s+year\b"
    r"|\b(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\b"
    r"|\b(?:since|in|by|from|until|before|after|during|the end of)\s+(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d\b",
)
WEEKDAY: Final = re.compile(
    r"\b(?:every\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"
)
DURATION: Final = re.compile(
    rf"\b(?:(?:the\s+)?(?:past|last|next)\s+)?(?:{_NUMBER}|{_SPELLED})[\s-]+(?:years?|months?|weeks?"
    r"|days?|decades?|hours?|minutes?)\b",
    re.IGNORECASE,
)
_NAME_WORD = r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)?"
# A romanised Chinese personal name: "Zhang San", "Chen Run'er", "Ouyang Jian"; or in capitals,
# as bylines write it ("LI MING").
PERSON: Final = re.compile(
    rf"\b{_NAME_WORD}(?:\s{_NAME_WORD}){{1,2}}\b|\b[A-Z]{{2,}}(?:\s[A-Z]{{2,}}){{1,2}}\b"
)
_TYPES = "|".join(sorted(PLACE_TYPE_WORDS, key=len, reverse=True))
PLACE: Final = re.compile(
    rf"\b{_NAME_WORD}(?:[\s-](?:{_NAME_WORD}|and))*?\s(?i:{_TYPES})\b",
)
_ORG_HEADS = "|".join(h for h in ORGANISATION_HEADS if len(h) > 2)
ORGANISATION: Final = re.compile(
    rf"\b(?:the\s+)?(?:{_NAME_WORD}|[A-Z]{{2,}})(?:\s(?:{_NAME_WORD}|[A-Z]{{2,}}|of|and|for|&))*?"
    rf"\s(?i:{_ORG_HEADS})\b(?:\s(?:Co\.?,?\s?)?Ltd\.?)?"
)
_TITLE_PREFIX = "|".join(
    re.escape(w) for w in sorted({*TITLE_HEADS, *TITLE_MODIFIERS}, key=len, reverse=True)
)
_TITLE_HEAD_RE = re.compile(rf"\b(?:{'|'.join(TITLE_HEADS)})s?\b", re.IGNORECASE)
_NOT_PERSON_WORDS: Final = frozenset(
    """the a an and of in on at to from with for by since during after before this that these
    those its their our his her province city county district town village prefecture region
    autonomous committee party cpc government people congress municipal provincial national
    china chinese east west north south central new daily news xinhua photo province's january
    february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday mr ms dr""".split()
)


@dataclass(frozen=True)
class Candidate:
    """A typed span of one passage: `kb.passages[row].text[start:end] == text`, except for a
    place a reference stands for ("The county" -> the county named before it)."""

    kind: AnswerType
    text: str
    row: int
    start: int
    end: int


@dataclass(frozen=True)
class TypedAnswer:
    text: str
    row: int  # the passage that states it
    start: int
    end: int
    score: float


def _is_person(name: str, kb: KnowledgeBase) -> bool:
    words = name.replace("-", " ").split()
    if any(w.casefold() in _NOT_PERSON_WORDS for w in words):
        return False
    if any(w.casefold() in PLACE_TYPE_WORDS or w.casefold() in TITLE_HEADS for w in words):
        return False
    # A name the corpus knows as a person is one; a known place is not.
    return kb.gazetteer_type(name) in (None, "person") and not any(
        kb.gazetteer_type(w) not in (None, "person") for w in words
    )


def _title_near(text: str, start: int, end: int) -> bool:
    """A title word within a few words either side of a name."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 80]
    return bool(_TITLE_HEAD_RE.search(before) or _TITLE_HEAD_RE.search(after[:60]))


def candidates(kb: KnowledgeBase, row: int, kind: AnswerType) -> Iterator[Candidate]:
    """Every span of `kind` in passage `row`."""
    text = kb.passages[row].text
    pattern = {
        "money": MONEY,
        "percent": PERCENT,
        "count": COUNT,
        "date": DATE,
        "weekday": WEEKDAY,
        "duration": DURATION,
        "person": PERSON,
        "place": PLACE,
        "organisation": ORGANISATION,
    }.get(kind)
    if pattern is None:
        return
    if kind == "place":
        yield from _bare_places(kb, row, text)
        yield from _referred_places(kb, row, text)
    money_spans = [m.span() for m in MONEY.finditer(text)] if kind == "count" else []
    percent_spans = [m.span() for m in PERCENT.finditer(text)] if kind == "count" else []
    previous_end = -1
    for match in pattern.finditer(text):
        start, end = match.span()
        span = match[0].strip(" ,")
        if kind == "date" and re.search(r"[a-z]{4,}\.$", span):
            span, end = span[:-1], end - 1  # "10 November." ends a sentence; "Nov." keeps it
        if kind in ("money", "percent"):
            # "90 million yuan (about $14 million)": the bracketed amount converts the one
            # before it; it is not a figure of its own.
            converted = previous_end >= 0 and re.fullmatch(
                r"\s*\(\s*(?:about|around|roughly|approximately|some|or|nearly)?\s*",
                text[previous_end:start],
            )
            previous_end = end
            if converted:
                continue
        if kind == "count":
            inside = [s for s in (*money_spans, *percent_spans) if s[0] <= match.start("n") < s[1]]
            if inside or re.fullmatch(r"(?:19|20)\d\d", match["n"]):
                continue
            noun = match["noun"]
            # The thing counted ends at a clause break: "12 projects, and ..." keeps "projects".
            cut = re.search(r"[,;:()]|\s(?:that|which|who|were|was|have|has|had|are|is)\b", noun)
            if cut:
                end = match.start("noun") + cut.start()
                span = text[start:end].strip()
            if len(span.split()) < 2 or _DURATION_NOUN.match(match["noun"]):
                continue  # "12 years' education project" is a duration, not a count
        if kind == "person":
            # "Governor Zhang San": the title before the name is not part of it.
            lead = re.match(rf"(?:(?i:{_TITLE_PREFIX})\s+)+", span)
            if lead:
                start += lead.end()
                span = text[start:end]
                if len(span.split()) < 2:
                    continue
            romanised = all(is_pinyin_word(w.casefold()) for w in span.split())
            titled = title_near_name(text, start, end) is not None
            if not (
                _is_person(span, kb)
                and (
                    titled
                    or span.isupper()
                    or kb.gazetteer_type(span) == "person"
                    or (romanised and _title_near(text, start, end))
                )
            ):
                continue
        if kind == "place":
            span = re.sub(r"^(?:The|In|From|To|And|With|Of)\s+", "", span)
            start = end - len(span)
            if span.casefold() in PLACE_TYPE_WORDS:
                continue  # "The city comes under ...": a reference, not a name
        yield Candidate(kind, span, row, start, end)


_BARE_PLACE = re.compile(
    rf"(?:\b(?:with|by|from|to|and|between|in|at|under)\s+)({_NAME_WORD})\b(?!\s(?i:{_TYPES})\b)(?!\s[A-Z])"
    rf"|\b({_NAME_WORD})(?:'s|’s)\s"
)
# "held in Eastport", "at Westvale": where something took place.
_AT_PLACE = re.compile(r"\b(?:in|at|under)\s*$")


# A sentence that starts by referring back to a place: "The county, in Upland province, is ...".
_REFERENCE_START = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:The|This)\s+(city|county|prefecture|district)\b"
)


def _referred_places(kb: KnowledgeBase, row: int, text: str) -> Iterator[Candidate]:
    """ "The county, in Upland province, is Eastport's counterpart": the place of that type its
    release named last before the reference, as a candidate at the reference's span."""
    passage = kb.passages[row]
    for reference in _REFERENCE_START.finditer(text):
        before = kb.document(passage.doc_id).text[: passage.start + reference.start()]
        places = [
            (before.rfind(f.name.split()[0]), f.name)
            for f in facts_in_doc(kb, passage.doc_id, "place")
            if isinstance(f, PlaceFact)
            and f.relation == "named"
            and f.place_type in REFERENCE_TYPES[reference[1].casefold()]
        ]
        seen = [(at, name) for at, name in places if at >= 0]
        if seen:
            # The one candidate whose text is not its span: the span is "The county".
            yield Candidate("place", max(seen)[1], row, reference.start(), reference.end())


def _bare_places(kb: KnowledgeBase, row: int, text: str) -> Iterator[Candidate]:
    """Places named without a type word: known to the corpus's facts, or next to a word of the
    assistance family ("paired with Eastport", "Eastport's help")."""
    family = any(w.casefold() in ASSISTANCE_WORDS for w in re.findall(r"[a-zA-Z]+", text))
    for match in _BARE_PLACE.finditer(text):
        name = match[1] or match[2]
        group = 1 if match[1] else 2
        if name.casefold() in _NOT_PERSON_WORDS or name.casefold() in ETHNIC_WORDS:
            continue
        located = bool(_AT_PLACE.search(text[: match.start(group)]))
        # "to Heshui and Baitang, the two poorest counties": typed by what follows.
        typed_after = bool(
            re.search(
                rf"\b(?i:{_TYPES}|counties|districts|cities)\b", text[match.end(group) :][:60]
            )
        )
        proper = name.casefold() in kb.proper_words
        if kb.gazetteer_type(name) or family or (proper and (located or typed_after)):
            yield Candidate("place", name, row, match.start(group), match.end(group))


# --- ranking ---------------------------------------------------------------------------------

# Weights, measured on eval/real/questions.jsonl (per document and mixed); a candidate's score
# is the passage's rank weight plus its closeness to the question's matched words.
PASSAGES_READ = 8  # best passages of the scoped documents that candidates are read from
RANK_WEIGHT = 1.0  # score of a candidate in the best passage; the k-th gets RANK_WEIGHT / k
CLOSENESS_WEIGHT = 2.0  # a candidate next to a matched question word; halves every ~5 words
AGREEMENT_WEIGHT = 0.5  # per further passage stating the same candidate
NOUN_FIT_WEIGHT = 3.0  # a count whose noun is the thing the question counts
MIN_COVERAGE = 0.5  # share of the question's content terms the passage must hold
# What a question's name held by the passage counts for, against a content word's 1
# (eval/real and eval/questions: 1.0 let "When will Westvale ..." take any Westvale date).
NAME_WEIGHT = 0.5
# Figures are checked harder: a number beside half the question's words is often another
# figure ("the boarding school" unmentioned); measured on eval/real and eval/holdout.
MIN_FIGURE_COVERAGE = 0.5
FIGURE_KINDS: Final = frozenset({"money", "count", "percent"})
PARTNER_WEIGHT = 3.0  # a place across a pairing verb from the asked place (eval/real)
MAIN_PLACE_MENTIONS = 3  # a place named this often is one the whole release is about


def _question_terms(q: Question) -> set[str]:
    terms = expanded_terms(q)
    for family, family_set in zip(WORD_FAMILIES, family_terms(), strict=True):
        if any(w in family for w in q.words):
            terms |= family_set
    return terms


def content_words(q: Question, names: frozenset[str] = frozenset()) -> list[str]:
    """Question words that say what is asked: no names (linked, or the scope's `names`), no
    stop words, no cue words, no light verbs ("went", "got")."""
    cue = {
        "how", "many", "much", "who", "what", "when", "where", "which", "whom", "whose", "why",
        "did", "does", "do", "is", "was", "were", "are", "the", "name", "tell", "me", "total",
        "number", "amount", "date", "year", "day", "time", "people", "person",
    }  # fmt: skip
    return [
        w
        for i, w in enumerate(q.words)
        if i not in q.name_positions
        and re.sub(r"(?:'s|’s)$", "", w) not in names
        and w not in STOP_WORDS
        and w not in cue
        and w not in LIGHT_VERBS
        and w not in PLACE_TYPE_WORDS
        and w not in PLACE_TYPE_PLURALS
        and analyze(w)
    ]


def coverage(
    q: Question, kb: KnowledgeBase, text: str, names: frozenset[str] = frozenset()
) -> float:
    """Share of the question's content words the text holds (a synonym or family word counts)."""
    wanted = content_words(q, names)
    if not wanted:
        return 1.0
    missing = len(missing_words(wanted, kb, text))
    # A name the question writes and the passage holds is evidence too: without it, knowing
    # more place names would make the passages that name them look less like answers.
    named = [q.words[i] for i in sorted(q.name_positions) if i < len(q.words)]
    held = len(named) - len(missing_words(named, kb, text))
    return 1 - missing / (len(wanted) + NAME_WEIGHT * held)


@lru_cache(maxsize=1)
def family_terms() -> tuple[frozenset[str], ...]:
    """The index terms of each word family, analysed once."""
    return tuple(frozenset(t for w in family for t in analyze(w)) for family in WORD_FAMILIES)


def missing_words(wanted: Sequence[str], kb: KnowledgeBase, text: str) -> list[str]:
    """The words of `wanted` that the text holds neither as written nor by a family word."""
    have = analyze_text(text, kb.settings.analyzer)
    families = family_terms()
    out = []
    for word in wanted:
        own = set(analyze_word(word))
        held = own & have or any(own & fam and fam & have for fam in families)
        if not held and not _compound_of(own, have):
            out.append(word)
    return out


def _compound_of(own: set[str], have: frozenset[str] | set[str]) -> bool:
    """ "teleconsultations" held by "consultations", "co-operation" by "operation": one word
    ends with the other, a long one (a prefix of the language, not a shared ending)."""
    return any(
        len(short) >= COMPOUND_MIN and long != short and long.endswith(short)
        for a in own
        for b in have
        for long, short in ((a, b), (b, a))
    )


COMPOUND_MIN = 7  # the shorter word's letters; "operation" and "consult" count, "ation" never


def _closeness(text: str, start: int, end: int, terms: set[str], kb: KnowledgeBase) -> float:
    best = None
    for match in re.finditer(r"[^\W_]+", text):
        if match.start() < end and match.end() > start:
            continue
        if not set(analyze(match[0], kb.settings.analyzer)) & terms:
            continue
        words_between = len(text[min(end, match.start()) : max(start, match.end())].split())
        best = words_between if best is None else min(best, words_between)
    return 0.0 if best is None else 0.5 ** (best / 5)


def _noun_fit(candidate: Candidate, q: Question, kb: KnowledgeBase) -> float:
    counted = set(analyze(" ".join(content_words(q)), kb.settings.analyzer))
    noun = set(analyze(candidate.text, kb.settings.analyzer))
    return NOUN_FIT_WEIGHT if counted & noun else 0.0


def _names_in_question(q: Question) -> set[str]:
    return {e.name.casefold() for e in (*q.places, *q.people, *q.nickname_links)}


# "X is in which county?", "which prefecture is X under?", "what is X part of?": the place
# that contains the asked one is the answer.
_ASKS_CONTAINER: Final = re.compile(
    r"\b(?:is|are|was|were|lies|lie|located|situated)\s+(?:in|under|within)\b"
    r"|\b(?:in|under|within)\s*\??\s*$|\bpart\s+of\b|\bbelongs?\s+to\b|\badministered\s+by\b",
    re.IGNORECASE,
)


def rank_candidates(
    kb: KnowledgeBase,
    q: Question,
    kind: AnswerType,
    rows: Sequence[int],
    names: set[str] | None = None,
) -> list[TypedAnswer]:
    terms = _question_terms(q)
    asked_names = names if names is not None else _names_in_question(q)
    asked_text = q.english.casefold()
    scores: dict[str, TypedAnswer] = {}
    seen_rows: dict[str, set[int]] = {}
    pairing = kind == "place" and not q.has("where") and any(w in ASSISTANCE_WORDS for w in q.words)
    for rank, row in enumerate(rows, 1):
        text = kb.passages[row].text
        partners = [
            (s, a, b)
            for s, a, b in (pairing_partners(text, asked_names) if pairing else [])
            if _place_like(kb, s)
        ]
        extra = [Candidate("place", s, row, a, b) for s, a, b in partners]
        if kind == "place":
            # "Eastport doctors" for "which city sends doctors": a place named as a modifier.
            extra += [
                Candidate("place", m[1], row, m.start(1), m.end(1))
                for m in _modifier_places(text, q)
                if _place_like(kb, m[1])
            ]
        for c in [*extra, *candidates(kb, row, kind)]:
            folded = c.text.casefold()
            if folded in asked_names or (len(folded) > 3 and folded in asked_text):
                continue  # the question's own name is not its answer
            if kind in ("place", "organisation", "person") and any(
                n in folded for n in asked_names
            ):
                continue
            if (
                kind == "place"
                and not q.has("where")
                and not _ASKS_CONTAINER.search(q.english)
                and _contains_asked(text, c, asked_names)
            ):
                continue  # "Westvale in Upland": where the asked place is, not its partner
            score = RANK_WEIGHT / rank + CLOSENESS_WEIGHT * _closeness(
                text, c.start, c.end, terms, kb
            )
            if kind == "count":
                score += _noun_fit(c, q, kb)
            if pairing and any(a == c.start for _, a, _ in partners):
                score += PARTNER_WEIGHT
            key = re.sub(r"\W+", " ", folded).strip()
            seen_rows.setdefault(key, set()).add(row)
            previous = scores.get(key)
            if previous is None or score > previous.score:
                scores[key] = TypedAnswer(c.text, row, c.start, c.end, score)
    ranked = [
        TypedAnswer(
            a.text, a.row, a.start, a.end, a.score + AGREEMENT_WEIGHT * (len(seen_rows[k]) - 1)
        )
        for k, a in scores.items()
    ]
    return sorted(ranked, key=lambda a: -a.score)


def best_rows(kb: KnowledgeBase, q: Question, scope: frozenset[str] | None) -> list[int]:
    """The passages to read, best first: BM25 over the question and its synonyms, in scope."""
    query = sorted(
        _question_terms(q) | {t for e in (*q.places, *q.people) for t in analyze(e.name)}
    )
    ranked = kb.index.top(query, 200 if scope is not None else PASSAGES_READ * 4)
    rows = [row for row, _ in ranked if scope is None or kb.passages[row].doc_id in scope]
    return rows[:PASSAGES_READ]


def typed_answer(
    kb: KnowledgeBase, q: Question, kind: AnswerType, question_scope: Scope
) -> TypedAnswer | None:
    """The best candidate of `kind`, or None when no passage in scope fits well enough."""
    scope = question_scope.docs
    names = {n.casefold() for n in question_scope.names} | _names_in_question(q)
    if kind == "title":
        return answer_title(kb, q, scope)
    if kind == "kind":
        return answer_kind(kb, q, scope, names)
    if kind == "date" and q.has("day of the week", "which day", "what day", "weekday"):
        kind = "weekday"
    if kind not in (
        "weekday",
        "money",
        "percent",
        "count",
        "date",
        "duration",
        "person",
        "place",
        "organisation",
    ):
        return None
    rows = [
        row
        for row in best_rows(kb, q, scope)
        if coverage(q, kb, context_text(kb, row))
        >= (MIN_FIGURE_COVERAGE if kind in FIGURE_KINDS else MIN_COVERAGE)
        and _names_fit(kb, q, row, strict=kind in FIGURE_KINDS)
        and _states_asked_year(kb, q, row)
    ]
    if not rows:
        return None
    ranked = rank_candidates(kb, q, kind, rows, names)
    if kind == "date" and not ranked:
        # "when did he speak?" and the release says only "on Wednesday": the day it gives.
        ranked = rank_candidates(kb, q, "weekday", rows, names)
    if kind == "count":
        # The thing counted must be the thing asked about: "how many jobs" is never answered
        # by "50,000 residents" (and employment intentions are not jobs).
        head = counted_noun(q)
        if head:
            ranked = [a for a in ranked if _counts(a.text, head, kb)]
    if kind in FIGURE_KINDS and not set(q.words) & HEDGE_WORDS:
        ranked = [a for a in ranked if not _hedged_clause(kb.passages[a.row].text, a)]
    if kind in FIGURE_KINDS and q.has(*TOTAL_CUES):
        # "how many in total": a figure its sentence gives as a total, not one trip's worth.
        ranked = [a for a in ranked if TOTAL_WORDS.search(context_text(kb, a.row))]
    if kind == "person" and (wanted := asked_title_words(q)):
        # "who is the mayor of X": only a person the article gives that very title.
        # Of those, one whose title names the asked place ("secretary of the Westvale
        # committee") comes before one whose sentence merely mentions it.
        own_place: list[TypedAnswer] = []
        fitting: list[TypedAnswer] = []
        for answer in ranked:
            text = kb.passages[answer.row].text
            title = title_near_name(text, answer.start, answer.end) or ""
            pieces = [p for p in re.split(r"\s+and\s+(?:also\s+)?|;\s*", title) if p]
            fits = [p for p in pieces if title_fits(p, q, wanted)]
            if not fits:
                continue
            named = all(any(n.split()[0] in p.casefold() for p in fits) for n in names)
            # "Governor Zhang San" in a release about the asked province: a title that names
            # no place stands for the release's own.
            placeless = all(_names_no_place(p) for p in fits) and _release_is_about(
                kb, names, answer.row
            )
            (own_place if named or placeless else fitting).append(answer)
        ranked = own_place or [a for a in fitting if not _names_in_question(q)]
    if kind == "place" and q.wants_type:
        typed_ = [a for a in ranked if _place_type_of(a.text) == q.wants_type]
        # A bare name may be a city or a province, but a district or county is written as one
        # (or known to the corpus as one).
        bare = [
            a
            for a in ranked
            if not re.search(rf"(?i:{_TYPES})$", a.text)
            # a name the corpus knows as another type is not one ("Upland" is a province)
            and kb.gazetteer_type(a.text) in (None, q.wants_type)
            and (
                q.wants_type not in ("district", "county", "town")
                or kb.gazetteer_type(a.text) == q.wants_type
                or _typed_by_apposition(kb.passages[a.row].text, a, q.wants_type)
            )
        ]
        ranked = typed_ or bare
        # "which Upland prefecture", "which county in Upland": an answer the division table
        # places in another province is no answer.
        inside = asked_province(q)
        if inside:
            ranked = [
                a for a in ranked if not provinces_of(a.text) or inside in provinces_of(a.text)
            ]
    if not ranked:
        return None
    if kind == "place" and PLURAL_PLACES.search(" ".join(q.words)):
        return _listed_places(kb, ranked[0], names)
    return ranked[0]


def asked_province(q: Question) -> str | None:
    """The province a "which Upland city" / "which county in Upland" question puts its answer in."""
    kinds = r"(?:city|cities|prefectures?|county|counties|districts?|areas?|places?)"
    for entry in q.places:
        if entry.kind != "province":
            continue
        key = division_key(entry.name)
        base = re.escape(key.casefold())
        if re.search(
            rf"\b(?:which|what)\s+{base}\s+{kinds}\b|\b{kinds}\s+(?:in|of)\s+{base}\b",
            q.english.casefold(),
        ):
            return key
    return None


# "which counties ...", "what districts ...": the answer is a list.
PLURAL_PLACES: Final = re.compile(
    r"\b(?:which|what)\s+(?:[\w/']+\s+){0,2}?(?:counties|districts|cities|towns|townships"
    r"|villages|prefectures|provinces|places)\b"
)


def _listed_places(kb: KnowledgeBase, best: TypedAnswer, asked: set[str]) -> TypedAnswer:
    """Every place of the best answer's kind listed in its sentence ("A, B and C counties")."""
    text = kb.passages[best.row].text
    kind_word = best.text.split()[-1].casefold() if len(best.text.split()) > 1 else None
    names: list[str] = []
    for c in candidates(kb, best.row, "place"):
        folded = c.text.casefold()
        if any(n in folded for n in asked) or c.text in names:
            continue
        if kind_word and not re.search(rf"\s(?i:{_TYPES})$", c.text):
            continue  # a list of typed places holds typed places
        if folded in PLACE_TYPE_WORDS:
            continue
        names.append(c.text)
    # "Lanfeng and Heshui counties": bare names joined to one type word.
    shared = re.compile(rf"\b({_NAME_WORD})\s*(?:,|and)\s+(?={re.escape(best.text)})")
    names += [m[1] for m in shared.finditer(text) if m[1] not in names]
    if len(names) < 2:
        return best
    joined = ", ".join(names)
    return TypedAnswer(joined, best.row, best.start, best.end, best.score)


# Words that point back to something named before: "Of that sum, ...", "The city comes under".
_REFERENCE = re.compile(
    r"\b(?:that sum|the sum|this sum|of that|the city|the county|the province|the prefecture"
    r"|the district|the region|the town|the village|there|the latter|the former|the two"
    r" (?:places|cities|counties|sides|regions))\b",
    re.IGNORECASE,
)


def context_text(kb: KnowledgeBase, row: int) -> str:
    """A passage's text, with the passage before it when it refers back ("Of that sum, ...")."""
    passage = kb.passages[row]
    if row > 0 and _REFERENCE.search(passage.text):
        before = kb.passages[row - 1]
        if before.doc_id == passage.doc_id:
            return f"{before.text} {passage.text}"
    return passage.text


def _names_no_place(title: str) -> bool:
    """A title with no name in it ("Governor", "deputy mayor"), only office words."""
    return all(
        _bare_word(w) in _TITLE_HEAD_WORDS
        or _bare_word(w) in TITLE_MODIFIERS
        or not w[:1].isupper()
        for w in title.split()
    )


def _release_is_about(kb: KnowledgeBase, names: set[str], row: int) -> bool:
    """Every asked name is a place the release names again and again (or in its title)."""
    doc = kb.document(kb.passages[row].doc_id)
    title, body = doc.title.casefold(), doc.text.casefold()
    return bool(names) and all(
        n.split()[0] in title or body.count(n.split()[0]) >= MAIN_PLACE_MENTIONS for n in names
    )


def _names_fit(kb: KnowledgeBase, q: Question, row: int, strict: bool = False) -> bool:
    """Every name the question asks about is in the passage or in its document's title (or,
    unless `strict`, its lead): a figure of a county is stated with the county."""
    passage = kb.passages[row]
    text = context_text(kb, row).casefold()
    doc = kb.document(passage.doc_id)
    lead = (doc.title + " " + ("" if strict else doc.text[:400])).casefold()
    body = doc.text.casefold()
    for entry in (*q.places, *q.people):
        name = entry.name.casefold()
        base = re.sub(rf"\s+(?:{_TYPES})$", "", name)
        if base in text or base in lead:
            continue
        # The release's own places (named again and again) stand behind "the province".
        if strict and body.count(base) >= MAIN_PLACE_MENTIONS:
            continue
        # "the prefecture's rural areas", "the county", "there": a place its release names,
        # referred to by its type.
        refers = _REFERS_BACK.get(entry.kind)
        if refers is not None and base in body and refers.search(text):
            continue
        return False
    return True


# How a passage refers back to a place of each type its release names.
_REFERS_BACK: Final[dict[str, re.Pattern[str]]] = {
    kind: re.compile(rf"\b(?:the\s+(?:{words})(?:['’]s)?\b|there\b)")
    for kind, words in {
        "province": "province|region|autonomous region",
        "city": "city|prefecture",
        "county": "county",
        "district": "district",
    }.items()
}


__all__ = [
    "DATE",
    "MONEY",
    "PERCENT",
    "Candidate",
    "TypedAnswer",
    "candidates",
    "coverage",
    "typed_answer",
]


# --- people's titles ---------------------------------------------------------------------------

_TITLE_HEAD_WORDS = frozenset(TITLE_HEADS) | frozenset(JOB_WORDS)
MAX_TITLE_CHARS = 200  # an apposition longer than this is a clause, not a title
# After "Name, ": the apposition runs to the next comma, or to a verb that ends it.
_APPOSITION_END = re.compile(
    r",|;|\.\s|\s(?:said|says|led|met|visited|accompanied|attended|inspected|signed|noted|told"
    r"|added|stressed|who|was|is|has|had|will)\b"
)
# Before the name: "Eastport's Party chief Li Si", "Mayor Zhang Wei", "SIP ... Director Ding".
_TITLE_BEFORE = re.compile(
    rf"((?:[A-Z][\w'’-]*(?:'s|’s)?\s+|(?:of|the|and|for)\s+){{0,8}}"
    rf"(?i:(?:(?:{'|'.join(TITLE_MODIFIERS)})\s+)*(?:{'|'.join(TITLE_HEADS)})))\s*,?\s+$"
)


# A photo caption's position mark after a name: "Zhao Liu (C), a doctor".
_CAPTION_MARK = re.compile(r"^\s*\((?:[A-Z]\d?|\d|left|right|center|centre|front|back)\)", re.I)


def title_near_name(text: str, start: int, end: int) -> str | None:
    """The titles a sentence gives the name at text[start:end]: right before it ("Governor
    Zhang San"), in an apposition after it (", deputy mayor of X," or ", who also serves as
    X,"), or by a verb ("serves as"); joined by "; ", or None when none holds a title word."""
    mark = _CAPTION_MARK.match(text[end:])
    if mark:
        end += mark.end()
    after = text[end:]
    found: list[str] = []
    match = _TITLE_BEFORE.search(text[:start])
    if match and _has_title_word(match[1]):
        found.append(match[1].strip())
    if after.startswith(","):
        rest = after[1:].lstrip()
        rest = re.sub(r"^\d{1,3},\s*", "", rest)  # "Zhao Liu, 42, ..."
        relative = _RELATIVE_TITLE.match(rest)
        if relative:
            phrase = relative[1].strip()
        else:
            cut = _APPOSITION_END.search(rest)
            phrase = (rest[: cut.start()] if cut else rest).strip()
        if phrase and _has_title_word(phrase) and len(phrase) <= MAX_TITLE_CHARS:
            found.append(phrase)
    if not found:
        serves = _SERVES_AS.match(after)
        if serves and _has_title_word(serves[1]):
            found.append(serves[1].strip())
    return "; ".join(found) or None


# ", who also serves as Deputy Secretary of ...": a title in a relative clause.
_RELATIVE_TITLE = re.compile(
    r"^(?:who|which)\s+(?:also\s+)?(?:serves|served|is|was|works|worked|acts)\s+as\s+"
    r"(?:an?\s+|the\s+)?([^,;]+?)(?=,|;|\.\s|\.$|$)"
)


# "Zhao serves as the chief planner of the bureau": a title stated by a verb.
_SERVES_AS = re.compile(
    r"^\s+(?:[\w,]+\s+){0,4}?(?:serves|served|serving|works|worked|acts|acted|is|was)\s+as\s+"
    r"(?:an?\s+|the\s+)?([^,.;]{3,80}?)(?=,|;|\.|\s+(?:and|since|in|for)\s|$)"
)


def _bare_word(word: str) -> str:
    """A word without its punctuation or possessive: "Eastport's" -> "eastport"."""
    return re.sub(r"(?:'s|’s)$", "", word.strip(',.;:()"“”')).casefold()


def _has_title_word(phrase: str) -> bool:
    """Whether a phrase holds an office or a job ("deputy mayor", "chief planner")."""
    return any(_bare_word(w) in _TITLE_HEAD_WORDS for w in phrase.split())


def name_spans(
    kb: KnowledgeBase, name_words: Sequence[str], rows: Sequence[int]
) -> Iterator[tuple[int, int, int]]:
    """(row, start, end) of each occurrence of the name (any case) in the given passages."""
    pattern = re.compile(
        r"\b" + r"[\s-]+".join(re.escape(w) for w in name_words) + r"\b", re.IGNORECASE
    )
    for row in rows:
        for match in pattern.finditer(kb.passages[row].text):
            yield row, match.start(), match.end()


def titles_of(
    kb: KnowledgeBase, name_words: Sequence[str], scope: frozenset[str] | None
) -> list[tuple[str, int]]:
    """Every title the scoped passages give the named person, with the passage row."""
    rows = kb.rows_in(scope, name_words)
    out: list[tuple[str, int]] = []
    for row, start, end in name_spans(kb, name_words, rows):
        title = title_near_name(kb.passages[row].text, start, end)
        if title and title not in [t for t, _ in out]:
            out.append((title, row))
    return out


_RANK_WORDS = frozenset({"deputy", "vice", "executive", "assistant", "acting", "former"})
_TITLE_CUES = frozenset(
    "job jobs title titles position positions post posts role roles office hold holds held"
    " whats what's what is does do serve serves work works".split()
)


def asked_title_words(q: Question) -> list[str]:
    """Title words the question asks about ("party chief" reads as secretary, too)."""
    out = [w for w in q.words if w in _TITLE_HEAD_WORDS or w.rstrip("s") in _TITLE_HEAD_WORDS]
    return [w.rstrip("s") if w not in _TITLE_HEAD_WORDS else w for w in out]


def title_fits(title: str, q: Question, wanted: list[str]) -> bool:
    """The title holds every asked title word (or its equivalent) and no rank the question
    did not ask for: a deputy mayor is not the mayor."""
    have = {_bare_word(w) for w in title.replace("-", " ").split()}
    phrase = " ".join(q.words)
    for word in wanted:
        if word in have:
            continue
        if word == "chief" and "party" in have and "secretary" in have:
            continue
        if word == "secretary" and "party chief" in title.casefold():
            continue
        return False
    asked_rank = _RANK_WORDS & set(q.words)
    if not asked_rank and _RANK_WORDS & have and "party" not in phrase:
        return False
    return not (asked_rank and not asked_rank & have)


SHORT_ANSWER_CHARS = 80  # a fact check wants the title, not the sentence (strict accuracy)
# "what are X's titles?" wants every office, however long.
PLURAL_TITLE_WORDS = ("titles", "positions", "posts", "roles", "jobs", "offices")


def short_titles(titles: list[str], asked: set[str] | None = None) -> str:
    """The titles a person is given, as short as the answer can be: each office apart ("A as
    well as B" is two), those the question's words point to first, as many as fit."""
    pieces: list[str] = []
    for title in titles:
        for piece in re.split(r"\s+(?:as well as|and also|who also serves as|and)\s+", title):
            piece = piece.strip(" ,.")
            if piece and piece not in pieces:
                pieces.append(piece)
    if asked:
        pieces.sort(key=lambda p: -len(asked & set(analyze(p))))
    shown: list[str] = []
    for piece in pieces:
        if len("; ".join([*shown, piece])) <= SHORT_ANSWER_CHARS:
            shown.append(piece)
    if shown:
        return "; ".join(shown)
    return pieces[0][:SHORT_ANSWER_CHARS].rsplit(" ", 1)[0] if pieces else ""


def _asked_not_names(kb: KnowledgeBase, q: Question) -> set[str]:
    """The question's content terms that are not names ("government" in "what position does
    Zhao Liu hold in the Upland government")."""
    return set(analyze(" ".join(w for w in content_words(q) if w not in kb.proper_words)))


def answer_title(
    kb: KnowledgeBase, q: Question, scope: frozenset[str] | None
) -> TypedAnswer | None:
    """ "what is Li Si's job?": the title the article gives that person."""
    q_words = [re.sub(r"(?:'s|’s)$", "", w) for w in q.words]
    eligible = [
        i
        for i, w in enumerate(q_words)
        if w not in STOP_WORDS
        and w not in _TITLE_CUES
        and w not in _TITLE_HEAD_WORDS
        and w not in ("s", "what", "whats", "which", "who", "title")
    ]
    runs: list[list[str]] = []
    for i in eligible:
        if runs and i - 1 in eligible and runs[-1]:
            runs[-1].append(q_words[i])
        else:
            runs.append([q_words[i]])
    for run in sorted(runs, key=len, reverse=True):
        found = titles_of(kb, run, scope)
        if found:
            title, row = found[0]
            text = kb.passages[row].text
            start = text.find(title)
            return TypedAnswer(
                "; ".join(dict.fromkeys(t for t, _ in found[:2]))
                if q.has(*PLURAL_TITLE_WORDS)
                else short_titles([t for t, _ in found], _asked_not_names(kb, q)),
                row,
                max(start, 0),
                max(start, 0) + len(title),
                1.0,
            )
    return None


# --- what a count counts, and what a question's year asks --------------------------------------

# Nouns a count may use for the same thing ("how many people" / "30,000 residents").
COUNT_NOUN_EQUIVALENTS: Final[dict[str, tuple[str, ...]]] = {
    "people": ("people", "persons", "person", "residents", "individuals", "villagers", "locals",
               "ppl", "laborers", "labourers", "workers", "farmers", "population", "personnel",
               "staff", "talents", "poor", "needy", "professionals", "servants", "specialists",
               "experts", "technicians", "members", "volunteers", "students", "patients"),
    "households": ("households", "families", "homes"),
    "officials": ("officials", "cadres", "officers", "staff"),
    "companies": ("companies", "enterprises", "firms", "businesses"),
}  # fmt: skip
_COUNT_HEAD = re.compile(r"\bhow many\s+(?:more\s+|new\s+|additional\s+|other\s+)?([\w'-]+)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


_DURATION_NOUN = re.compile(r"\s+(?:years?|months?|weeks?|days?|decades?)\b", re.IGNORECASE)
TOTAL_CUES = ("in total", "altogether", "all told", "in all", "total number", "overall")
TOTAL_WORDS = re.compile(
    r"\b(?:total|totall?ing|in all|altogether|so far|to date|cumulative(?:ly)?|overall|combined"
    r"|since|over the past|in the past)\b",
    re.IGNORECASE,
)


def _hedged_clause(text: str, answer: TypedAnswer) -> bool:
    """The candidate's own clause makes it an intention, a plan or a target."""
    clause = re.split(r"[,;]", text[answer.start :], maxsplit=1)[0]
    return bool(set(re.findall(r"[a-z]+", clause.casefold())) & HEDGE_WORDS)


def counted_noun(q: Question) -> str | None:
    """The noun right after "how many" ("how many teachers ..." -> "teachers")."""
    phrase = " ".join(q.words)
    match = _COUNT_HEAD.search(phrase)
    if not match:
        return None
    # Skip names: "how many Eastport districts" counts districts.
    following = phrase[match.start(1) :].split()
    start = len(phrase[: match.start(1)].split())
    words_ = [w for o, w in enumerate(following[:4]) if start + o not in q.name_positions]
    # The noun phrase runs to the verb or preposition after it ("how many sales centers did
    # ..."); adjectives are skipped ("how many poor people").
    cut = next((i for i, w in enumerate(words_) if w in _PHRASE_END), len(words_))
    noun_phrase = words_[:cut] or words_[:1]
    family_words = {w for v in COUNT_NOUN_EQUIVALENTS.values() for w in v}
    # A list of people ("cadres teachers and doctors") counts its first; a compound ("sales
    # centers") its last.
    # "poor" counts people only as "the poor"; before a noun it is an adjective
    known = [w for w in noun_phrase if w in family_words and w not in ("poor", "needy")]
    if known:
        # a plural noun before a word that is also an adjective ("poor households")
        return next((w for w in known if w.endswith("s") and not w.endswith("ss")), known[-1])
    plurals = [w for w in noun_phrase if w.endswith("s") and not w.endswith("ss")]
    if plurals:
        return plurals[-1]
    return noun_phrase[0] if noun_phrase else None


# Words that end the noun phrase after "how many".
_PHRASE_END: Final = frozenset(
    "did does do is are was were have has had will would can could in of on at to for from by"
    " with were there that which who and or".split()
)


def _counts(candidate: str, head: str, kb: KnowledgeBase) -> bool:
    return counts_noun(candidate, head)


def counts_noun(candidate: str, head: str) -> bool:
    """Whether a figure counts the head noun, or a word of its family: the noun its number
    counts is the phrase's plural ("700 labor training sessions" counts sessions, not
    laborers)."""
    family = next((v for v in COUNT_NOUN_EQUIVALENTS.values() if head in v), (head,))
    wanted = {t for w in family for t in analyze(w)}
    phrase = _COUNTED_PHRASE.search(candidate)
    if phrase is None:
        return bool(wanted & set(analyze(candidate)))
    words_ = phrase[1].split()
    # The head is the first plural ("households escaped poverty"), else any of the words.
    plural = next((w for w in words_ if w.endswith("s") and not w.endswith("ss")), None)
    if plural is not None and len(family) > 1:
        # Whole words, not stems: "villages" is no "villagers".
        return _singular(plural) in {_singular(w) for w in family}
    return bool(wanted & set(analyze(plural or " ".join(words_))))


def _singular(word: str) -> str:
    word = word.casefold()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# After a number: the words it counts, up to a preposition, a verb or a break.
_COUNTED_PHRASE: Final = re.compile(
    r"\d[\d,.]*\s+(?:(?:million|thousand|billion)\s+)?"
    r"((?:(?!(?:of|from|in|to|for|with|at|on|by|and|were|was|are|is|have|has|had|who|that)\b)"
    r"[A-Za-z'’-]+\s*){1,4})"
)


def _states_asked_year(kb: KnowledgeBase, q: Question, row: int) -> bool:
    """A question tied to a year ("in 2024") is answered only by a passage that says it, or
    says "this year" in a release of that year."""
    years = set(_YEAR.findall(" ".join(q.words)))
    if not years or q.has("since", "by", "until", "up to", "so far", "as of"):
        return True
    passage = kb.passages[row]
    text = passage.text
    if years & set(_YEAR.findall(text)):
        return True
    # Undated events in a release happened in its year, unless the passage names another.
    released = kb.document(passage.doc_id).released
    if released is None:
        return False  # an undated release can't show that its events fall in that year
    return str(released.year) in years and not _YEAR.search(text)


def _place_type_of(name: str) -> str | None:
    """The type a place's own type word gives it ("Westvale ... Prefecture" is a city)."""
    folded = name.casefold()
    for word in sorted(PLACE_TYPE_WORDS, key=len, reverse=True):
        if folded.endswith(" " + word):
            return PLACE_TYPE_WORDS[word]
    return None


def place_type_of(kb: KnowledgeBase, name: str) -> str | None:
    """A place's type: by its own type word ("Westvale County"), as the corpus knows it, else
    by the table of China's divisions (a bare "Westvale" found there as a city)."""
    return (
        _place_type_of(name) or kb.gazetteer_type(name) or division_types().get(division_key(name))
    )


def _typed_by_apposition(text: str, answer: TypedAnswer, place_type: str) -> bool:
    """ "Lanfeng and Heshui, the two poorest counties": the type comes after the names."""
    plural = {v: k for k, v in PLACE_TYPE_PLURALS.items()}.get(place_type, place_type + "s")
    return bool(
        re.search(rf"\b(?:{place_type}|{plural})\b", text[answer.end : answer.end + 60], re.I)
    )


def _contains_asked(text: str, c: Candidate, asked: set[str]) -> bool:
    """Whether the candidate is written as the container of an asked place: "X in C",
    "X, C" or "C's X"."""
    before = text[max(0, c.start - 40) : c.start].casefold()
    after = text[c.end : c.end + 40].casefold()
    for name in asked:
        base = name.split()[0]
        if re.search(
            rf"\b{re.escape(base)}\w*(?:\s+\w+)?\s*(?:,|\bin|\bof)\s*(?:the\s+)?$", before
        ):
            return True
        if re.match(rf"(?:'s|’s)\s+{re.escape(base)}", after):
            return True
    return False


_PLAIN_APPOSITION = re.compile(
    r"^\s*(?:\([^()]{1,12}\)\s*)?,\s*(?:\d{1,3},\s*)?"
    r"((?:a|an|the|[A-Z][\w-]*(?:'s|’s))\s[^,;]{3,100}?)(?=,|;|\.\s|\.$|$)"
)


def describe_name(
    kb: KnowledgeBase, q: Question, scope: frozenset[str] | None
) -> TypedAnswer | None:
    """ "who is Zhang San?" / a bare name: the title the article gives, else its plain
    apposition ("Zhang San, a doctor from Eastport, ...")."""
    titled = answer_title(kb, q, scope)
    if titled is not None:
        return titled
    eligible = [
        w
        for i, w in enumerate(q.words)
        if w not in STOP_WORDS and w not in _TITLE_CUES and w not in ("who", "what")
    ]
    if not eligible or len(eligible) > 3:
        return None
    rows = kb.rows_in(scope, eligible)
    for row, _start, end in name_spans(kb, eligible, rows):
        text = kb.passages[row].text
        match = _PLAIN_APPOSITION.match(text[end:])
        if match:
            s = end + match.start(1)
            return TypedAnswer(match[1], row, s, s + len(match[1]), 1.0)
    return None


_ASSIST_VERB = re.compile(
    r"\b(?:paired|pairs?|partnered|partners?|twinned|matched|helps?|helped|helping|assists?"
    r"|assisted|assisting|supports?|supported|supporting|aids?|aided|aiding|counterpart)\b"
    r"(?:\s+(?:up\s+)?(?:with|by|to|for))?",
    re.IGNORECASE,
)
_PLACE_NAME = re.compile(rf"\b{_NAME_WORD}(?:[\s-]{_NAME_WORD}){{0,2}}(?:\s(?i:{_TYPES}))?\b")


def pairing_partners(text: str, asked: set[str]) -> list[tuple[str, int, int]]:
    """Places across a pairing verb from an asked place: in "Eastport ... was paired with
    Westvale", asked Westvale gives Eastport; asked Eastport gives Westvale."""
    folded = text.casefold()
    out: list[tuple[str, int, int]] = []
    for verb in _ASSIST_VERB.finditer(text):
        for name in asked:
            at = folded.find(name.split()[0])
            if at < 0:
                continue
            if at > verb.end():  # the asked place is the object: the subject comes before
                side = [m for m in _PLACE_NAME.finditer(text, 0, verb.start())]
                side = [m for m in side if m.group().casefold() not in _NOT_PERSON_WORDS]
                pick = side[:1]  # the clause's subject opens it
            else:
                side = list(_PLACE_NAME.finditer(text, verb.end(), min(len(text), verb.end() + 80)))
                pick = side[:1]
            for m in pick:
                words = m.group().split()
                if (
                    words[0].casefold() in _NOT_PERSON_WORDS
                    or name.split()[0] in m.group().casefold()
                ):
                    continue
                out.append((m.group(), m.start(), m.end()))
    return out


def _modifier_places(text: str, q: Question) -> Iterator[re.Match[str]]:
    """Capitalised words right before a noun the question asks about ("Eastport doctors")."""
    nouns = [w for w in content_words(q) if len(w) > 3 and w.isalpha()]
    for noun in nouns:
        stem = re.escape(noun.rstrip("s"))
        yield from re.finditer(rf"\b([A-Z][a-z]+)\s+{stem}s?\b", text)


def _place_like(kb: KnowledgeBase, name: str) -> bool:
    """A name the corpus treats as a place: a type word, a known place, or a word written
    where places stand ("in X", "X's")."""
    if re.search(rf"\s(?i:{_TYPES})$", name) or kb.gazetteer_type(name):
        return True
    words = name.casefold().split()
    return len(words) == 1 and words[0] in place_like_words(kb)


# --- "what kind of X": the words that name the kind -------------------------------------------

_KIND_OF = re.compile(r"\bwhat (?:kinds?|types?|sorts?) of ([a-z-]+)")
_NOT_MODIFIERS = frozenset(
    "a an the this that these those its their his her our new local first two three several"
    " many more other such some each every".split()
)


def answer_kind(
    kb: KnowledgeBase, q: Question, scope: frozenset[str] | None, names: set[str]
) -> TypedAnswer | None:
    """ "what kind of plantation did they visit?": the items a passage lists for the noun
    ("snacks such as A and B"), else the words right before it ("a loquat plantation")."""
    match = _KIND_OF.search(" ".join(q.words))
    if match is None:
        return None
    noun = match[1]
    stem = set(analyze(noun))
    rows = [
        row
        for row in best_rows(kb, q, scope)
        if stem & set(analyze(kb.passages[row].text))
        and coverage(q, kb, context_text(kb, row)) >= MIN_COVERAGE
    ]
    noun_re = rf"{re.escape(noun.rstrip('s'))}\w*"
    for row in rows:
        text = kb.passages[row].text
        listed = re.search(
            rf"\b{noun_re}\b[^.;]{{0,40}}?\b(?:such as|like|including)\s+"
            r"([^.;]+?)(?=[.;]|,\s*(?:which|who|and\s+\w+ed)|$)",
            text,
            re.IGNORECASE,
        )
        if listed:
            return TypedAnswer(listed[1], row, listed.start(1), listed.end(1), 1.0)
        for found in re.finditer(rf"((?:[\w'’-]+\s+){{1,3}}?){noun_re}\b", text, re.IGNORECASE):
            words_ = [w for w in found[1].split() if w.casefold() not in STOP_WORDS]
            while words_ and words_[0].casefold() in _NOT_MODIFIERS:
                words_.pop(0)
            modifier = " ".join(words_)
            if modifier and not any(n in modifier.casefold() for n in names):
                start = found.start(1) + found[1].find(words_[0])
                return TypedAnswer(modifier, row, start, start + len(modifier), 1.0)
    return None
