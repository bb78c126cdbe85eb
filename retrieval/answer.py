"""answer_question: the one entry point every front end calls."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from pearlbot.corpus.divisions import provinces_of
from pearlbot.corpus.facts.models import Fact, FigureFact, PairingFact
from pearlbot.corpus.models import Frozen
from pearlbot.corpus.vocabulary import HEDGE_WORDS, PLACE_RANK
from pearlbot.retrieval.answering.common import FactResult
from pearlbot.retrieval.answering.dispatch import answer_from_facts, places_fit_text
from pearlbot.retrieval.answering.places import definition
from pearlbot.retrieval.answering.shapes import (
    COMPARED,
    HELP_REQUEST,
    USAGE,
    compared_sides,
    credit_line,
    figure_value,
    split_pair_of_things,
    split_question,
)
from pearlbot.retrieval.answering.typed import (
    COUNT_NOUN_EQUIVALENTS,
    TOTAL_CUES,
    TOTAL_WORDS,
    TypedAnswer,
    asked_province,
    content_words,
    counted_noun,
    counts_noun,
    coverage,
    describe_name,
    place_type_of,
    typed_answer,
)
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze, analyze_word
from pearlbot.retrieval.understanding.expected import AnswerType, expected_type
from pearlbot.retrieval.understanding.lexicon import PAIRING_CUES
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms_of,
    parse_question,
    unaccounted_words,
)
from pearlbot.retrieval.understanding.scope import Scope, scope_question

MAX_QUESTION_CHARS = 2000
NOT_IN_SOURCE = "The source doesn't say."
# A whole sentence answers a question that wants no typed span only when it holds this share of
# the question's words as written (synonyms aside); measured on eval/real/questions.jsonl.
PARAPHRASE_COVERAGE = 0.6
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class PassageHit(Frozen):
    """A ranked passage with its document and the spans of the words the question matched."""

    id: str
    doc_id: str
    doc_title: str
    released: dt.date | None
    text: str
    start: int
    end: int
    score: float
    highlights: tuple[tuple[int, int], ...] = ()


class Answer(Frozen):
    """An answer to one question: the short answer (None when it abstains), why, and sources."""

    question: str
    answer: str | None
    note: str | None = None
    caveats: tuple[str, ...] = ()
    passages: tuple[PassageHit, ...] = ()
    facts: tuple[Fact, ...] = ()
    did_you_mean: tuple[str, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.answer is None


def question_problem(question: str) -> str | None:
    """Why a question can't be asked at all, or None if it can."""
    if not question or not question.strip():
        return "the question is empty"
    if len(question) > MAX_QUESTION_CHARS:
        return (
            f"the question is too long ({len(question):,} characters;"
            f" the limit is {MAX_QUESTION_CHARS:,})"
        )
    return None


def highlight_spans(text: str, terms: set[str], kb: KnowledgeBase) -> tuple[tuple[int, int], ...]:
    """Spans of the words in `text` whose index term is one of `terms`."""
    spans = []
    for match in _WORD.finditer(text):
        analysed = analyze_word(match[0], kb.settings.analyzer)
        if analysed and all(t in terms for t in analysed):
            spans.append((match.start(), match.end()))
    return tuple(spans)


def _hit(kb: KnowledgeBase, row: int, score: float, terms: set[str]) -> PassageHit:
    passage = kb.passages[row]
    document = kb.document(passage.doc_id)
    return PassageHit(
        id=passage.id,
        doc_id=passage.doc_id,
        doc_title=document.title,
        released=document.released,
        text=passage.text,
        start=passage.start,
        end=passage.end,
        score=round(score, 4),
        highlights=highlight_spans(passage.text, terms, kb),
    )


def search_passages(
    kb: KnowledgeBase, text: str, k: int, first: tuple[str, ...] = ()
) -> list[PassageHit]:
    """The k best passages for `text`; passages in `first` (cited by facts) lead, in order."""
    terms = analyze(text, kb.settings.analyzer)
    ranked = kb.index.top(terms, k + len(first))
    rows = [kb.passage_rows[p] for p in dict.fromkeys(first) if p in kb.passage_rows]
    scores = dict(ranked)
    if rows:
        cited = kb.index.score_rows(terms, rows)  # not the whole corpus: 0.4 ms, not 19, at 1M
        scores.update({row: float(score) for row, score in zip(rows, cited, strict=True)})
    ordered = list(dict.fromkeys([*rows, *(row for row, _ in ranked)]))[:k]
    return [_hit(kb, row, scores[row], set(terms)) for row in ordered]


def passage_coverage(q: Question, passage_text: str, kb: KnowledgeBase) -> float:
    """Share of the question's content words that the passage (or a synonym in it) covers."""
    content = [
        w for i, w in enumerate(q.words) if i not in q.name_positions and content_terms_of(w)
    ]
    if not content:
        return 0.0
    left = unaccounted_words(q, set(analyze(passage_text, kb.settings.analyzer)))
    return 1 - len(left) / len(content)


def answer_question(kb: KnowledgeBase, question: str, k: int = 3) -> Answer:
    """Answer from facts, else by typed extraction from the scoped passages, else from a
    passage that covers the question, else abstain.

    Never raises on any text: unusable questions come back as an abstaining Answer."""
    problem = question_problem(question)
    if problem:
        return Answer(question=question, answer=None, note=f"Can't answer: {problem}.")
    if HELP_REQUEST.match(question):
        return Answer(question=question, answer=USAGE)
    parts = split_question(question)
    if len(parts) > 1:
        return _combined(question, [answer_question(kb, part, k) for part in parts])
    whole = _answer_one(kb, question, k)
    things = split_pair_of_things(question)
    if len(things) == 2 and expected_type(question) in ("count", "money"):
        # "how many teachers and doctors": one figure for both, or one for each.
        shown = (whole.answer or "").casefold()
        nouns = [t.split()[2].casefold() for t in things if len(t.split()) > 2]
        if not (whole.answer and all(n[:5] in shown for n in nouns)):
            each = [_answer_one(kb, thing, k) for thing in things]
            # Two different figures, one for each thing; the same figure twice answers neither.
            if all(a.answer for a in each) and each[0].answer != each[1].answer:
                return _combined(question, each)
    return whole


def _answer_one(kb: KnowledgeBase, question: str, k: int) -> Answer:
    """One question asking one thing."""
    q = parse_question(question, kb.gazetteer, kb.vocabulary, kb.surface_words, kb.stem_words)
    kind = expected_type(q.english)
    scope = scope_question(kb, q)
    if scope.missing and kind == "yesno" and len(scope.names) > len(scope.missing):
        # "is Eastport paired with Nowhere?": say whom the source does pair it with.
        known = [n for n in scope.names if n not in scope.missing]
        partner = _answer_one(kb, f"who is {known[0]} paired with?", k)
        if partner.answer:
            return partner.model_copy(
                update={
                    "question": question,
                    "answer": f"No: the source pairs {known[0]} with {partner.answer}",
                }
            )
    if scope.missing:
        name = scope.missing[0]
        # "Datong County" as the question wrote it, where the gazetteer saw a place.
        name = next((u for u in q.unknown_places if name.casefold() in u.casefold()), name)
        return Answer(
            question=question,
            answer=None,
            note=f"The source doesn't mention {name[:1].upper() + name[1:]}.",
            did_you_mean=tuple(kb.gazetteer.suggest(name)),
        )
    if kind == "date" and PUBLISHED.search(q.english):
        published = _published(kb, q, question, scope, k)
        if published is not None:
            return published
    if kind == "yesno" and len(scope.names) == 2 and CONTAINMENT.search(q.english):
        inside = _contains(kb, scope, question, k)
        if inside is not None:
            return inside
    if kind in ("about", "credit", "author"):
        return _about_document(kb, q, question, kind, scope, k)
    if kind == "comparison":
        compared = _comparison(kb, question, k)
        if compared is not None:
            return compared
    result = answer_from_facts(kb, q)
    if scope.docs is not None and not scope.docs:
        # No release names all of them: only a reasoned refusal from the facts may stand.
        if result is not None and result.answer is None and result.note:
            return _fact_answer(kb, q, question, result, k)
        return Answer(
            question=question,
            answer=None,
            note="No release mentions " + " and ".join(scope.names) + " together.",
        )
    if (
        result is not None
        and result.facts
        and scope.docs is not None
        and not any(scope.allows(f.source.doc_id) for f in result.facts)
    ):
        result = None  # another release's fact: never the answer to this question
    if (
        result is not None
        and result.answer
        and kind != "yesno"
        and _echoes(result.answer, scope, q)
    ):
        result = None  # "Westvale is in which province?" is not answered by "Westvale County"
    if result is not None and result.answer and _wrong_place_type(kb, q, result.answer):
        result = None  # "which county ...?" is not answered by a province or a city
    if result is not None and result.answer is not None and _fits_type(kind, result.facts, q, kb):
        return _fact_answer(kb, q, question, result, k)
    if result is not None and result.answer is None and _grounded(kb, q, result, scope):
        # A reasoned abstention ("lists a county but names no partner") is the answer.
        return _fact_answer(kb, q, question, result, k)
    if _bare_name(q) and (q.places or q.people):
        # A bare name the facts know: what they say of it (type, where, partner, titles).
        described = definition(kb, q)
        if described is not None and described.answer is not None and described.facts:
            return _fact_answer(kb, q, question, described, k)
    typed = typed_answer(kb, q, kind, scope)
    if typed is None and (WHO_IS.match(q.english) or _bare_name(q)):
        typed = describe_name(kb, q, scope.docs)
    if typed is None and _bare_name(q):
        # A bare name: the first thing the corpus says about it.
        first = _first_mention(kb, scope, " ".join(w for w in q.words if w not in ASK_WORDS))
        if first is not None:
            return first.model_copy(update={"question": question})
    if typed is not None:
        return _typed(kb, q, question, typed, k)
    if result is not None and (result.answer is None or _fits_type(kind, result.facts, q, kb)):
        return _fact_answer(kb, q, question, result, k)
    hits = [h for h in search_passages(kb, q.search_text, k * 4) if scope.allows(h.doc_id)][:k]
    if (
        hits
        and kind in ("other", "yesno", "place", "organisation")
        and coverage(q, kb, hits[0].text) >= kb.settings.min_coverage
        and passage_coverage(q, hits[0].text, kb) >= PARAPHRASE_COVERAGE
        and places_fit_text(kb, q, hits[0].text, hits[0].doc_id)
        and not (kind == "place" and q.wants_type and not _names_a(q, hits[0].text))
    ):
        answer = "Yes" if kind == "yesno" else hits[0].text
        return Answer(question=question, answer=answer, passages=tuple(hits))
    note = NOT_IN_SOURCE
    if q.unknown_words:
        note += " It never mentions " + ", ".join(f"“{w}”" for w in q.unknown_words[:5]) + "."
    if hits:
        note += " The closest passages are below; they do not answer the question."
    return Answer(question=question, answer=None, note=note, passages=tuple(hits))


def _names_a(q: Question, text: str) -> bool:
    """Whether a sentence names a place of the asked type (and, for "which Upland city", one
    the division table puts in Upland): "which district ..." is not answered by a sentence
    that names none."""
    words = {"city": "city|cities|prefecture", "county": "county|counties", "district": "district"}
    pattern = words.get(q.wants_type or "", q.wants_type or "")
    if re.search(rf"\b(?:{pattern})", text, re.IGNORECASE) is None:
        return False
    inside = asked_province(q)
    return inside is None or any(
        inside in provinces_of(name) and name != inside
        for name in re.findall(r"\b[A-Z][a-z]+(?:['’][a-z]+)?\b", text)
    )


def _wrong_place_type(kb: KnowledgeBase, q: Question, answer: str) -> bool:
    """Whether a one-place answer is a larger place than the question's type word asks for
    ("which county ..." answered by a province or a prefecture)."""
    wanted = PLACE_RANK.get(q.wants_type or "")
    if wanted is None or ";" in answer or " and " in answer or "," in answer:
        return False
    found = place_type_of(kb, answer)
    return found in PLACE_RANK and PLACE_RANK[found] < wanted


def _echoes(answer: str, scope: Scope, q: Question) -> bool:
    """Whether an answer only repeats a place or person the question itself writes (a name
    reached through a nickname, "the River Pearl", is an answer)."""
    asked = {n.casefold() for n in scope.names}
    asked |= {n.split()[0] for n in asked}
    said = answer.casefold()
    return said in asked and said.split()[0] in q.words


WHO_IS = re.compile(r"^\s*who(?:'s| is| was|s)\s+(?!the\b|a\b|an\b)", re.IGNORECASE)


def _bare_name(q: Question) -> bool:
    """A question that is only a name ("Eastport", "Zhang San")."""
    return (
        0 < len(q.words) <= 3
        and all(
            i in q.name_positions or (w[:1].isalpha() and w not in ASK_WORDS)
            for i, w in enumerate(q.words)
        )
        and bool(q.name_positions or (q.unknown_words == () and len(q.words) <= 2))
    )


ASK_WORDS = frozenset(
    "who what when where which how why is are was were do does did the a an of in to".split()
)


def _first_mention(kb: KnowledgeBase, scope: Scope, name: str) -> Answer | None:
    """The first passage of the scoped documents that names `name`."""
    if not scope.names or scope.docs is None or not name:
        return None
    name = name.casefold()
    # A sentence that says what the name is ("X, administered by Y, ...") before any mention.
    described = re.compile(
        rf"\b{re.escape(name)}\w*(?:\s+\w+)?\s*,\s+(?:an?|the|administered|located|which|who|part|home)\b",
        re.IGNORECASE,
    )
    for passage in (kb.passages[row] for row in kb.rows_in(scope.docs)):
        if described.search(passage.text):
            hit = _hit(kb, kb.passage_rows[passage.id], 0.0, set())
            return Answer(question="", answer=passage.text, passages=(hit,))
    for passage in (kb.passages[row] for row in kb.rows_in(scope.docs)):
        if name in passage.text.casefold():
            hit = _hit(kb, kb.passage_rows[passage.id], 0.0, set())
            return Answer(question="", answer=passage.text, passages=(hit,))
    return None


# "when was this story published?": the release's own date.
PUBLISHED = re.compile(
    r"\b(?:published|released|posted|issued|put out|come out|came out|dated)\b", re.IGNORECASE
)
# "is X part of Y?", "does X belong to Y?", "is X in Y?"
CONTAINMENT = re.compile(
    r"\b(?:part of|belongs? to|under|in|within|inside|located in|administered by)\b",
    re.IGNORECASE,
)


def _published(
    kb: KnowledgeBase, q: Question, question: str, scope: Scope, k: int
) -> Answer | None:
    docs = sorted(scope.docs) if scope.docs else [d.id for d in kb.corpus.documents]
    if len(docs) > 1:
        hits = search_passages(kb, q.search_text, 1)
        docs = [hits[0].doc_id] if hits else docs[:1]
    doc = kb.document(docs[0])
    if doc.released is None:
        return None
    return Answer(
        question=question,
        answer=doc.released.strftime("%B %-d, %Y"),
        note=f"The release date of {_doc_label(kb, doc.id)}.",
    )


def _contains(kb: KnowledgeBase, scope: Scope, question: str, k: int) -> Answer | None:
    """Yes when a passage writes the first place as part of the second: "Newfield district of
    Eastport", "Eastport's Newfield district", "Newfield, Eastport"."""
    inner, outer = (re.escape(n.split()[0]) for n in scope.names)
    type_words = r"(?:\s+\w+){0,3}?"
    pattern = re.compile(
        rf"\b{inner}\w*{type_words}\s*(?:,|\bof|\bin|\bunder|\badministered by)\s+(?:the\s+)?"
        rf"(?:\w+\s+){{0,3}}?{outer}\b|\b{outer}(?:'s|’s)\s+(?:\w+\s+){{0,2}}{inner}\b",
        re.IGNORECASE,
    )
    for passage in (kb.passages[row] for row in kb.rows_in(scope.docs, scope.names)):
        if pattern.search(passage.text):
            hit = _hit(kb, kb.passage_rows[passage.id], 0.0, set())
            return Answer(question=question, answer="Yes", passages=(hit,))
    return None


def _fact_answer(
    kb: KnowledgeBase, q: Question, question: str, result: FactResult, k: int
) -> Answer:
    cited = tuple(f.source.passage_id for f in result.facts if f.source.passage_id)
    hits = search_passages(kb, q.search_text, k, first=cited)
    note = result.note
    if result.answer is None and not note:
        note = NOT_IN_SOURCE
    sources = list(dict.fromkeys(f.source.doc_id for f in result.facts))
    if len(sources) > 1 and result.answer is not None and not note:
        note = "From " + "; ".join(_doc_label(kb, d) for d in sources) + "."
    return Answer(
        question=question,
        answer=result.answer,
        note=note,
        caveats=result.caveats,
        passages=tuple(hits),
        facts=result.facts,
        did_you_mean=result.did_you_mean,
    )


def _typed(kb: KnowledgeBase, q: Question, question: str, typed: TypedAnswer, k: int) -> Answer:
    passage = kb.passages[typed.row]
    hits = search_passages(kb, q.search_text, k, first=(passage.id,))
    return Answer(
        question=question,
        answer=typed.text,
        note=f"Read from {_doc_label(kb, passage.doc_id)}, passage {passage.id}.",
        passages=tuple(hits),
    )


# "who helps Westvale?", "who is Westvale's partner?": a person question a pairing answers;
# "who heads / leads ...": one it does not.
PARTNER_WORDS: Final = (
    *PAIRING_CUES, "help", "helps", "helped", "assist", "assists", "assisted", "support",
    "supports", "supported", "aids", "aided",
)  # fmt: skip
LEADER_WORDS: Final = ("head", "heads", "headed", "lead", "leads", "led", "leader", "chief")

# Figure units by the answer type they can answer.
_MONEY_UNITS = frozenset(
    {"yuan", "rmb", "cny", "dollars", "us dollars", "euros", "hong kong dollars", "patacas"}
)


def _grounded(kb: KnowledgeBase, q: Question, result: FactResult, scope: Scope) -> bool:
    """A fact refusal stands when facts of the scoped releases back it: its own facts, or, for
    a pairing question, pairings those releases state. Otherwise the passages may still answer."""
    if result.facts:
        return any(scope.allows(f.source.doc_id) for f in result.facts)
    if q.intent != "pairing":
        return False
    return any(scope.allows(f.source.doc_id) for f in kb.fact_index.of_kind("pairing"))


_NOT_FIGURES = frozenset({"title", "person", "place", "organisation", "date", "duration"})


def _sentence_of(kb: KnowledgeBase, fact: FigureFact) -> str:
    passage = kb.passage(fact.source.passage_id) if fact.source.passage_id else None
    return passage.text if passage else fact.source.quote


def _hedged(fact: FigureFact, q: Question) -> bool:
    """A figure of intentions, plans or targets answers only a question about them: "1,200
    persons of employment intentions" are not jobs."""
    words = set(re.findall(r"[a-z]+", f"{fact.measure} {fact.text}".casefold()))
    return bool(words & HEDGE_WORDS) and not set(q.words) & HEDGE_WORDS


def _fits_type(
    kind: AnswerType,
    facts: tuple[Fact, ...],
    q: Question | None = None,
    kb: KnowledgeBase | None = None,
) -> bool:
    """A fact answer of the wrong type ("37 projects" for "how much money", "50,000 residents"
    for "how many officials") is not taken."""
    pairings = bool(facts) and all(isinstance(f, PairingFact) for f in facts)
    if (
        q is not None
        and kind == "person"
        and pairings
        and (q.has(*LEADER_WORDS) or not q.has(*PARTNER_WORDS))
    ):
        return False  # "who heads Eastport's aid team?" is not answered by Eastport's partner
    if pairings and kind in ("money", "count", "percent", "duration", "title"):
        return False  # "what share of its income is Eastport's aid?" asks for no partner
    figures = [f for f in facts if isinstance(f, FigureFact)]
    if not figures:
        return True
    if kind in _NOT_FIGURES and len(figures) == len(facts):
        return False  # "what is X's job" is never answered by a head count
    if q is not None and _bare_name(q) and len(figures) == len(facts):
        return False  # a bare name asks what the source says of it, not one of its figures
    head = counted_noun(q) if q is not None and kind == "count" else None
    if q is not None and head:
        # The fact must count the asked thing, or at least share a word (not a name) of what
        # is asked.
        plain = [w for w in content_words(q) if kb is None or w not in kb.proper_words]
        asked = set(analyze(" ".join(plain)))
        known_noun = any(head in family for family in COUNT_NOUN_EQUIVALENTS.values())
        if not any(
            counts_noun(f"{f.text} {f.measure}", head)
            or (
                # a word of what is asked is enough only when the asked noun is no common
                # one: "how many people" is never answered by "1,772 poor villages"
                not known_noun
                and asked & set(analyze(f"{f.text} {f.measure}"))
                # "how many specialists in each batch" is not answered by "eight batches"
                and not counts_noun(f.text, " ".join(plain))
            )
            for f in figures
        ):
            return False
    if q is not None and kind in ("count", "money") and all(_hedged(f, q) for f in figures):
        return False
    # "how many in total": a figure its sentence states as a total.
    if (
        q is not None
        and kb is not None
        and kind in ("count", "money")
        and q.has(*TOTAL_CUES)
        and not any(TOTAL_WORDS.search(_sentence_of(kb, f)) for f in figures)
    ):
        return False
    if kind == "money":
        return any(f.unit in _MONEY_UNITS for f in figures)
    if kind == "count":
        return any(f.unit not in _MONEY_UNITS and f.unit != "percent" for f in figures)
    if kind == "percent":  # a change may be stated as a rate or as an amount
        return any(f.unit == "percent" or f.unit in _MONEY_UNITS for f in figures)
    return True


def _about_document(
    kb: KnowledgeBase, q: Question, question: str, kind: AnswerType, scope: Scope, k: int
) -> Answer:
    """What the article is about (its title and lead), who took its photos, who wrote it."""
    docs = sorted(scope.docs) if scope.docs else [d.id for d in kb.corpus.documents]
    docs_all = list(docs)
    if len(docs) > 1:
        hits = search_passages(kb, q.search_text, 1)
        docs = [hits[0].doc_id] if hits else docs[:1]
    doc = kb.document(docs[0])
    first = next((kb.passages[r] for r in kb.rows_by_doc.get(doc.id, ())), None)  # no scan
    hits = search_passages(kb, q.search_text, k, first=(first.id,) if first else ())
    if kind == "about":
        lead = first.text if first else ""
        return Answer(
            question=question, answer=f"{doc.title}: {lead}".strip(), passages=tuple(hits)
        )
    # Which release's photos: the best-matching one that credits anybody.
    for doc_id in dict.fromkeys([doc.id, *docs_all]):
        candidate = kb.document(doc_id)
        found = credit_line(candidate.text, kind, candidate.credit)
        if found is not None:
            return Answer(question=question, answer=found, passages=tuple(hits))
    what = "who took the photos" if kind == "credit" else "who wrote it"
    return Answer(question=question, answer=None, note=f"The source doesn't say {what}.")


def _comparison(kb: KnowledgeBase, question: str, k: int) -> Answer | None:
    """ "which is bigger, the funds or the donations?": both figures, and which is larger."""
    match = COMPARED.search(question)
    if match is None:
        return None
    left, right = compared_sides(match)
    if match["a3"]:
        # "did X spend more on hospitals or on schools": the same question of each side.
        stem = question[: match.start()].strip()
        asks = [f"how much {stem} {match['prep']} {side}?" for side in (left, right)]
        asks = [re.sub(r"^how much (?:did|does|has|have)\s+", "how much did ", a) for a in asks]
    else:
        asks = [f"how much {side}?" for side in (left, right)]
    answers = [answer_question(kb, ask, k) for ask in asks]
    values = [figure_value(a.answer or "") for a in answers]
    if any(a.answer is None for a in answers) or None in values:
        return None
    smaller = re.search(r"\b(?:smaller|less|lower|fewer)\b", question, re.IGNORECASE)
    pick = 0 if (values[0] or 0) >= (values[1] or 0) else 1
    if smaller:
        pick = 1 - pick
    sides = (left, right)
    text = f"{sides[pick]} ({answers[pick].answer} vs {answers[1 - pick].answer})"
    return Answer(
        question=question,
        answer=text,
        passages=answers[pick].passages[:1] + answers[1 - pick].passages[:1],
        facts=answers[0].facts + answers[1].facts,
    )


def _combined(question: str, parts: list[Answer]) -> Answer:
    """A two-part question: both answers, each said or refused."""
    shown = [a.answer if a.answer is not None else "(not stated)" for a in parts]
    if all(a.answer is None for a in parts):
        return Answer(question=question, answer=None, note=NOT_IN_SOURCE)
    return Answer(
        question=question,
        answer="; ".join(shown),
        note=" ".join(a.note for a in parts if a.note) or None,
        caveats=tuple(c for a in parts for c in a.caveats),
        passages=tuple(p for a in parts for p in a.passages[:2]),
        facts=tuple(f for a in parts for f in a.facts),
    )


def _doc_label(kb: KnowledgeBase, doc_id: str) -> str:
    doc = kb.document(doc_id)
    return f"“{doc.title}” ({doc.released.isoformat() if doc.released else 'undated'})"
