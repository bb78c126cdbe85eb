"""`pearlbot corpus` and `pearlbot facts`."""

from __future__ import annotations

import argparse
import json

from bot.commands.common import load_kb
from corpus.facts.models import FACT_KINDS
from retrieval.answer import describe_fact


def cmd_corpus(args: argparse.Namespace) -> int:
    kb = load_kb(args)
    passages: dict[str, int] = {}
    facts: dict[str, int] = {}
    for passage in kb.passages:
        passages[passage.doc_id] = passages.get(passage.doc_id, 0) + 1
    for fact in kb.facts:
        facts[fact.source.doc_id] = facts.get(fact.source.doc_id, 0) + 1
    for doc in kb.corpus.documents:
        released = doc.released.isoformat() if doc.released else "undated"
        print(
            f"{doc.id}  {released}  {passages.get(doc.id, 0)} passages"
            f"  {facts.get(doc.id, 0)} facts  {doc.title}"
        )
        if args.passages:
            for passage in kb.passages:
                if passage.doc_id == doc.id:
                    print(f"  [{passage.id}] {passage.start}-{passage.end}: {passage.text}")
    print(
        f"{len(kb.corpus.documents)} documents, {len(kb.passages)} passages, {len(kb.facts)} facts"
    )
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    kb = load_kb(args)
    facts = [f for f in kb.facts if args.kind is None or f.kind == args.kind]
    if args.json:
        print(json.dumps([f.model_dump(mode="json") for f in facts], ensure_ascii=False, indent=2))
        return 0
    for fact in facts:
        print(f"{describe_fact(fact)}  [{fact.source.passage_id}]")
    print(f"{len(facts)} facts")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    corpus = sub.add_parser("corpus", parents=[common], help="list the documents and passages")
    corpus.add_argument("--passages", action="store_true", help="also print every passage")
    corpus.set_defaults(func=cmd_corpus)

    facts = sub.add_parser("facts", parents=[common], help="list extracted facts with citations")
    facts.add_argument("--kind", choices=FACT_KINDS)
    facts.add_argument("--json", action="store_true", help="print a JSON array of facts")
    facts.set_defaults(func=cmd_facts)
