"""answer_question: the one entry point every front end calls."""

from __future__ import annotations

import datetime as dt
import re

from corpus.facts.models import Fact
from corpus.models import Frozen
from retrieval.analyzer import analyze, normalize
from retrieval.knowledge import KnowledgeBase

MAX_QUESTION_CHARS = 2000
NOT_IN_SOURCE = "The source doesn't say."
# Words that shape a question but never name what is asked about.
QUESTION_FILLER = frozenset(
    """many much tell know name names list give show please say says said according article
    source sources release news pearlbot hey hi hello thanks thank ok okay kind sort exactly
    actually really happen happened one ones anyone anybody someone somebody something thing
    things get got make made put take took go went come came let like""".split()
)
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


def informative_terms(question: str, kb: KnowledgeBase) -> list[str]:
    filler = set(analyze(" ".join(QUESTION_FILLER), kb.settings.analyzer))
    return [t for t in dict.fromkeys(analyze(question, kb.settings.analyzer)) if t not in filler]


def highlight_spans(text: str, terms: set[str], kb: KnowledgeBase) -> tuple[tuple[int, int], ...]:
    """Spans of the words in `text` whose index term is one of `terms`."""
    spans = []
    for match in _WORD.finditer(text):
        analysed = analyze(match[0], kb.settings.analyzer)
        if analysed and all(t in terms for t in analysed):
            spans.append((match.start(), match.end()))
    return tuple(spans)


def search_passages(kb: KnowledgeBase, question: str, k: int) -> list[PassageHit]:
    terms = analyze(question, kb.settings.analyzer)
    hits = []
    for row, score in kb.index.top(terms, k):
        passage = kb.passages[row]
        document = kb.document(passage.doc_id)
        hits.append(
            PassageHit(
                id=passage.id,
                doc_id=passage.doc_id,
                doc_title=document.title,
                released=document.released,
                text=passage.text,
                start=passage.start,
                end=passage.end,
                score=round(score, 4),
                highlights=highlight_spans(passage.text, set(terms), kb),
            )
        )
    return hits


def coverage(terms: list[str], passage_text: str, kb: KnowledgeBase) -> float:
    """Share of the question's informative terms that the passage contains."""
    if not terms:
        return 0.0
    present = set(analyze(passage_text, kb.settings.analyzer))
    return sum(t in present for t in terms) / len(terms)


def answer_question(kb: KnowledgeBase, question: str, k: int = 3) -> Answer:
    """Answer from the corpus, or abstain; never raises on any text."""
    problem = question_problem(question)
    if problem:
        return Answer(question=question, answer=None, note=f"Can't answer: {problem}.")
    hits = search_passages(kb, question, k)
    terms = informative_terms(question, kb)
    if hits and terms and coverage(terms, hits[0].text, kb) >= kb.settings.min_coverage:
        return Answer(question=question, answer=hits[0].text, passages=tuple(hits))
    unknown = [w for w in _unknown_words(question, kb)]
    note = NOT_IN_SOURCE
    if unknown:
        note += " It never mentions " + ", ".join(f"“{w}”" for w in unknown[:5]) + "."
    if hits:
        note += " The closest passages are below; they do not answer the question."
    return Answer(question=question, answer=None, note=note, passages=tuple(hits))


def _unknown_words(question: str, kb: KnowledgeBase) -> list[str]:
    """Question words that occur nowhere in the corpus (after analysis)."""
    filler = set(analyze(" ".join(QUESTION_FILLER), kb.settings.analyzer))
    unknown = []
    for word in dict.fromkeys(_WORD.findall(normalize(question))):
        terms = [t for t in analyze(word, kb.settings.analyzer) if t not in filler]
        if terms and all(kb.index.doc_freq(t) == 0 for t in terms):
            unknown.append(word)
    return unknown


def render_answer(answer: Answer) -> str:
    """Plain-text rendering: short answer, caveats, then cited passages."""
    lines = [f"Q: {answer.question.strip()}"]
    if answer.answer is not None:
        lines.append(f"A: {answer.answer}")
    if answer.note:
        lines.append(answer.note)
    lines.extend(f"Note: {c}" for c in answer.caveats)
    if answer.did_you_mean:
        lines.append("Did you mean: " + ", ".join(answer.did_you_mean) + "?")
    for fact in answer.facts:
        lines.append(f"Fact: {describe_fact(fact)}")
    label = "Sources" if answer.answer is not None else "Closest passages (not an answer)"
    if answer.passages:
        lines.append(f"{label}:")
    for hit in answer.passages:
        released = hit.released.isoformat() if hit.released else "no date"
        lines.append(f"  [{hit.id}] {hit.doc_title} ({released}), score {hit.score:.2f}")
        lines.append(f"    “{hit.text}”")
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
