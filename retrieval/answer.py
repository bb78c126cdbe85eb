"""answer_question: the one entry point every front end calls."""

from __future__ import annotations

import datetime as dt
import re

from pearlbot.corpus.facts.models import Fact
from pearlbot.corpus.models import Frozen
from pearlbot.retrieval.answering.dispatch import answer_from_facts, places_fit_text
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import analyze, analyze_word
from pearlbot.retrieval.understanding.question import (
    Question,
    content_terms_of,
    parse_question,
    unaccounted_words,
)

MAX_QUESTION_CHARS = 2000
NOT_IN_SOURCE = "The source doesn't say."
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
    """Answer from facts, else from a passage that covers the question, else abstain.

    Never raises on any text: unusable questions come back as an abstaining Answer."""
    problem = question_problem(question)
    if problem:
        return Answer(question=question, answer=None, note=f"Can't answer: {problem}.")
    q = parse_question(question, kb.gazetteer, kb.vocabulary, kb.surface_words, kb.stem_words)
    result = answer_from_facts(kb, q)
    if result is not None:
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
    hits = search_passages(kb, q.search_text, k)
    if (
        hits
        and passage_coverage(q, hits[0].text, kb) >= kb.settings.min_coverage
        and places_fit_text(kb, q, hits[0].text, hits[0].doc_id)
    ):
        return Answer(question=question, answer=hits[0].text, passages=tuple(hits))
    note = NOT_IN_SOURCE
    if q.unknown_words:
        note += " It never mentions " + ", ".join(f"“{w}”" for w in q.unknown_words[:5]) + "."
    if hits:
        note += " The closest passages are below; they do not answer the question."
    return Answer(question=question, answer=None, note=note, passages=tuple(hits))


def _doc_label(kb: KnowledgeBase, doc_id: str) -> str:
    doc = kb.document(doc_id)
    return f"“{doc.title}” ({doc.released.isoformat() if doc.released else 'undated'})"

