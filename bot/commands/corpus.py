"""`pearlbot corpus [list|show|add|remove]` and `pearlbot facts`."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from pearlbot.bot.commands.common import UsageError, load_kb, selected_corpus
from pearlbot.bot.rendering import describe_fact
from pearlbot.corpus.facts.models import FACT_KINDS
from pearlbot.retrieval import KnowledgeBase
from pearlbot.seeds import seeds_path

READ_ONLY = "the packaged seed articles are read-only"


def _merge_corpus_paths(args: argparse.Namespace) -> None:
    """`--corpus` given between `corpus` and its action lands in its own list; join them."""
    args.corpus = list(args.corpus) + list(getattr(args, "corpus_group", []))


def _counts(kb: KnowledgeBase) -> tuple[dict[str, int], dict[str, int]]:
    passages: dict[str, int] = {}
    facts: dict[str, int] = {}
    for passage in kb.passages:
        passages[passage.doc_id] = passages.get(passage.doc_id, 0) + 1
    for fact in kb.facts:
        facts[fact.source.doc_id] = facts.get(fact.source.doc_id, 0) + 1
    return passages, facts


def cmd_list(args: argparse.Namespace) -> int:
    """The documents with their counts; a folder where nothing loads lists nothing, and says
    why on stderr (exit 0: listing a broken folder is how to find out what is wrong)."""
    _merge_corpus_paths(args)
    kb = load_kb(args, allow_empty=True)
    passages, facts = _counts(kb)
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


def _unknown(doc_id: str, kb: KnowledgeBase) -> UsageError:
    ids = [doc.id for doc in kb.corpus.documents]
    close = [i for i in ids if doc_id.lower() in i] or difflib.get_close_matches(doc_id, ids, n=1)
    hint = f"did you mean {close[0]}?" if close else "see `pearlbot corpus list`"
    return UsageError(f"no document {doc_id!r} in the corpus; {hint}")


def cmd_show(args: argparse.Namespace) -> int:
    from pearlbot.corpus.ingest import read_record

    _merge_corpus_paths(args)
    kb = load_kb(args)
    doc = kb.corpus.document(args.id)
    if doc is None:
        raise _unknown(args.id, kb)
    record = read_record(Path(doc.source))
    passages = [p for p in kb.passages if p.doc_id == doc.id]
    facts = [f for f in kb.facts if f.source.doc_id == doc.id]
    if args.json:
        shown = {
            "document": doc.model_dump(mode="json"),
            "record": record.model_dump(mode="json") if record else None,
            "passages": [p.model_dump(mode="json") for p in passages],
            "facts": [f.model_dump(mode="json") for f in facts],
        }
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    print(doc.id)
    print(f"  title     {doc.title}")
    print(f"  released  {doc.released.isoformat() if doc.released else 'undated'}")
    if doc.credit:
        print(f"  credit    {doc.credit}")
    print(f"  file      {doc.source}")
    if record:
        if record.source_url:
            print(f"  source    {record.source_url}")
        how = record.original_format + (f", {record.extractor}" if record.extractor else "")
        print(f"  added     {record.added_at.isoformat()} from {record.original_name} ({how})")
    print(f"  {len(passages)} passages, {len(facts)} facts")
    for passage in passages:
        print(f"  [{passage.id}] {passage.start}-{passage.end}: {passage.text}")
    for fact in facts:
        print(f"  fact: {describe_fact(fact)}  [{fact.source.passage_id}]")
    return 0


def _is_seeds(path: Path) -> bool:
    seeds = seeds_path().resolve()
    resolved = path.resolve()
    return resolved == seeds or seeds in resolved.parents


def _target_folder(args: argparse.Namespace) -> Path:
    """The one corpus folder `corpus add` writes to; never the packaged seeds."""
    paths = selected_corpus(args)
    if len(paths) == 1 and _is_seeds(Path(paths[0])) and not args.corpus:
        raise UsageError(
            f"corpus add needs a corpus folder ({READ_ONLY}):"
            " pass --corpus DIR or set PEARLBOT_CORPUS"
        )
    if len(paths) != 1:
        raise UsageError(f"corpus add writes to one folder; {len(paths)} were given")
    folder = Path(paths[0])
    if _is_seeds(folder):
        raise UsageError(f"{READ_ONLY}; pass --corpus DIR to add to a folder of your own")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; corpus add needs a folder")
    return folder


def cmd_add(args: argparse.Namespace) -> int:
    from pearlbot.corpus.ingest import MissingExtraError, add_articles

    _merge_corpus_paths(args)
    folder = _target_folder(args)
    try:
        report = add_articles(folder, [Path(p) for p in args.paths])
    except MissingExtraError as exc:
        raise UsageError(str(exc)) from None
    for added in report.added:
        released = added.released.isoformat() if added.released else "undated"
        print(f"added {added.doc_id}  {released}  {added.title}  (from {added.original})")
    for note in report.notes:
        print(f"pearlbot: note: {note}", file=sys.stderr)
    for problem in report.skipped:
        print(f"pearlbot: skipped {problem}", file=sys.stderr)
    duplicates = sum("already in the corpus" in p.reason for p in report.skipped)
    print(f"{len(report.added)} added, {len(report.skipped)} skipped, to {folder}")
    # Re-adding what is already there is not an error; nothing added for bad input is.
    return 0 if report.added or duplicates == len(report.skipped) else 2


def _stored_articles(paths: list[str]) -> dict[str, Path]:
    """Document id -> file, as the loader assigns ids, without parsing any file: removing works
    on a folder whatever its articles contain."""
    from pearlbot.corpus.loading import CorpusError, article_files, corpus_roots, file_ids

    try:
        roots = corpus_roots(paths)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    files = [file for root in roots for file in article_files(root)]
    return {doc_id: file for file, doc_id in file_ids(files).items()}


def cmd_remove(args: argparse.Namespace) -> int:
    from pearlbot.corpus.ingest import remove_article

    _merge_corpus_paths(args)
    stored = _stored_articles(selected_corpus(args))
    targets: list[tuple[str, Path]] = []
    for doc_id in dict.fromkeys(args.ids):
        path = stored.get(doc_id)
        if path is None:
            ids = list(stored)
            close = [i for i in ids if doc_id.lower() in i] or difflib.get_close_matches(
                doc_id, ids, n=1
            )
            hint = f"did you mean {close[0]}?" if close else "see `pearlbot corpus list`"
            raise UsageError(f"no document {doc_id!r} in the corpus; {hint}")
        if _is_seeds(path):
            raise UsageError(f"{doc_id} is one of the seed articles; {READ_ONLY}")
        targets.append((doc_id, path))
    for doc_id, path in targets:
        title = _title_or_none(path)
        removed = remove_article(path)
        shown = f"  {title}" if title else ""
        print(f"removed {doc_id}{shown}  ({', '.join(map(str, removed))})")
    return 0


def _title_or_none(path: Path) -> str | None:
    """The article's title if it parses; a broken article is removed all the same."""
    from pearlbot.corpus import parse_article
    from pearlbot.corpus.loading import read_article_text

    try:
        return parse_article(read_article_text(path), doc_id="x", source=str(path)).title
    except Exception:  # whatever is wrong with it is why it is being removed
        return None


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
    corpus = sub.add_parser(
        "corpus",
        help="list, show, add and remove documents",
        description="Without an action, lists the documents (as `corpus list`).",
    )
    # A nested action's defaults overwrite this level's values, so this level keeps its own.
    corpus.add_argument(
        "--corpus",
        dest="corpus_group",
        metavar="PATH",
        action="append",
        default=[],
        help="article file or folder; repeat for several",
    )
    corpus.add_argument("--passages", action="store_true", help="also print every passage")
    corpus.set_defaults(func=cmd_list, corpus=[])
    actions = corpus.add_subparsers(dest="corpus_action", metavar="ACTION")

    listing = actions.add_parser("list", parents=[common], help="documents with their counts")
    listing.add_argument(
        "--passages", action="store_true", default=argparse.SUPPRESS, help="also print passages"
    )
    listing.set_defaults(func=cmd_list)

    show = actions.add_parser("show", parents=[common], help="one document in full")
    show.add_argument("id", metavar="ID", help="document id, as `corpus list` prints it")
    show.add_argument("--json", action="store_true", help="print the document as JSON")
    show.set_defaults(func=cmd_show)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add .txt, .md or saved .html articles to a corpus folder",
        description="Add articles to the --corpus folder (or PEARLBOT_CORPUS). Each is stored"
        " as <id>.txt in the release format beside <id>.meta.json; duplicates are skipped.",
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="article file, or folder of them")
    add.set_defaults(func=cmd_add)

    remove = actions.add_parser("remove", parents=[common], help="delete documents by id")
    remove.add_argument("ids", nargs="+", metavar="ID", help="document id")
    remove.set_defaults(func=cmd_remove)

    facts = sub.add_parser("facts", parents=[common], help="list extracted facts with citations")
    facts.add_argument("--kind", choices=FACT_KINDS)
    facts.add_argument("--json", action="store_true", help="print a JSON array of facts")
    facts.set_defaults(func=cmd_facts)
