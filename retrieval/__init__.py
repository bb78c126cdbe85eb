"""Retrieval: find the passages and facts that answer a question, and say where they come from.

This module is the public surface for the front ends (`pearlbot.bot`): they import from here and
never from a submodule (tests/bot/test_front_end_imports.py checks it). Inside, `search/` holds
the BM25 engines and the index store, `understanding/` reads questions, and `answering/` answers
from the extracted facts.
"""

from __future__ import annotations

from pearlbot.retrieval.answer import (
    MAX_QUESTION_CHARS,
    NOT_IN_SOURCE,
    Answer,
    PassageHit,
    answer_question,
    question_problem,
)
from pearlbot.retrieval.checking import (
    CheckResult,
    Verdict,
    check_claim,
    check_claims,
    question_intent,
)
from pearlbot.retrieval.evaluation import (
    ClaimsReport,
    EvalClaim,
    EvalQuestion,
    EvalReport,
    evaluate,
    evaluate_claims,
    evaluate_per_document,
    format_claims_report,
    format_report,
    load_claims,
    load_questions,
)
from pearlbot.retrieval.knowledge import (
    KnowledgeBase,
    RetrievalSettings,
    build_knowledge_base,
    build_store,
    corpus_paths,
    open_knowledge_base,
    store_generation,
    store_status,
)
from pearlbot.retrieval.lookup import facts_of_kind, pair_answer, suggest_places, summary
from pearlbot.retrieval.search.bm25 import warm_up

__all__ = [
    "MAX_QUESTION_CHARS",
    "NOT_IN_SOURCE",
    "Answer",
    "CheckResult",
    "ClaimsReport",
    "EvalClaim",
    "EvalQuestion",
    "EvalReport",
    "KnowledgeBase",
    "PassageHit",
    "RetrievalSettings",
    "Verdict",
    "answer_question",
    "build_knowledge_base",
    "build_store",
    "check_claim",
    "check_claims",
    "corpus_paths",
    "evaluate",
    "evaluate_claims",
    "evaluate_per_document",
    "facts_of_kind",
    "format_claims_report",
    "format_report",
    "load_claims",
    "load_questions",
    "open_knowledge_base",
    "pair_answer",
    "question_intent",
    "question_problem",
    "store_generation",
    "store_status",
    "suggest_places",
    "summary",
    "warm_up",
]
