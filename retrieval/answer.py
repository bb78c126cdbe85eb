"""answer_question: the one entry point every front end calls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

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

    def render(self) -> str:
        return render_answer(self)


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


Style = Callable[..., str]  # (text, *style names) -> text, e.g. wrapped in terminal colours


def _plain(text: str, *_styles: str) -> str:
    return text


def _highlighted(text: str, spans: tuple[tuple[int, int], ...], paint: Style) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(paint(text[start:end], "bold", "yellow"))
        last = end
    out.append(text[last:])
    return "".join(out)


def render_answer(answer: Answer, paint: Style = _plain) -> str:
    """The answer as text: short answer first, then why, then where it comes from.

    `paint` styles parts of it by name ("bold", "green", "dim", ...); plain text by default."""
    lines: list[str] = []
    if answer.answer is not None:
        lines.append(paint(answer.answer, "bold", "green"))
    else:
        lines.append(paint("Not in the source.", "bold", "red"))
    if answer.note:
        lines.append(answer.note)
    lines.extend(paint(f"Caveat: {c}", "yellow") for c in answer.caveats)
    if answer.did_you_mean:
        lines.append("Did you mean: " + ", ".join(answer.did_you_mean) + "?")
    lines.extend(paint("• " + describe_fact(fact), "cyan") for fact in answer.facts)
    if answer.passages:
        heading = (
            "Sources" if answer.answer is not None else "Closest passages (they do not answer it)"
        )
        lines.append(paint(heading + ":", "dim"))
    for hit in answer.passages:
        released = hit.released.isoformat() if hit.released else "undated"
        lines.append(f"  “{_highlighted(hit.text, hit.highlights, paint)}”")
        where = f"    — {hit.doc_title}, released {released}, [{hit.id}], score {hit.score:.2f}"
        lines.append(paint(where, "dim"))
    return "\n".join(lines)


def describe_fact(fact: Fact) -> str:
    """One line saying what a fact states."""
    match fact.kind:
        case "pairing":
            left = fact.assisting or "(no partner named)"
            right = fact.assisted or "(no partner named)"
            extra = " (inferred from list order)" if fact.inferred_from_order else ""
            return f"pairing: {left} ↔ {right}{extra}"
        case "figure":
            qualifier = f"{fact.qualifier} " if fact.qualifier else ""
            return f"figure: {fact.measure}: {qualifier}{fact.text}"
        case "person":
            titles = "; ".join(fact.titles) or "no title given"
            role = f" ({fact.role})" if fact.role else ""
            return f"person: {fact.name}, {titles}{role}"
        case "date":
            return f"date: {fact.event}: {fact.text} ({fact.date})"
        case _:
            if fact.relation == "within":
                return f"place: {fact.name} is in {fact.within}"
            if fact.relation == "nickname":
                return f"place: {fact.name} is called “{fact.nickname}”"
            return f"place: {fact.name} ({fact.place_type})"
