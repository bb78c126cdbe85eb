"""The knowledge store, whole path, as a user runs `pearlbot`: one command, one table.

    .venv/bin/python -m bench.store_speed                      # 100k and 1M passages
    .venv/bin/python -m bench.store_speed --sizes 100000       # 100k only
    .venv/bin/python -m bench.store_speed --smoke              # seconds: 5,000 passages

For each size: the articles (bench/corpus_gen.py, 20 one-sentence passages per article) go to
the git-ignored bench/out/store/; a fresh store is built with `pearlbot index build` (cold
build, progress lines on stderr); `pearlbot ask` is timed from a fresh process (next start plus
one question, median of 3); questions are timed whole-path in one process (`answer_question`,
p50 and p99 over distinct questions); one article is added and `pearlbot ask` timed again (it
updates the store itself), then another added with `pearlbot index build` (adding one
article); two processes hold the store open and /proc/PID/smaps_rollup gives their Rss and
Pss. Beside it, the plain rank-bm25 baseline from the same run: read and tokenize every
article, build BM25Okapi, and its query time. Then the seed start-up against
`python -c "import numpy"`, and the Discord load (bench/discord_load.py) with distinct
questions on the 100k corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "store"
PYTHON = sys.executable
PEARLBOT = [PYTHON, "-m", "pearlbot"]
ASK = "How many assistance projects were implemented?"
RATES = "20,50,100"  # questions a second for the Discord load's paced runs
NEW_ARTICLE = """Qorvantu County opens a water plant {n}
Release time:2021-03-04 Browse:

Qorvantu County opened water plant number {n} on March 2, 2021. The plant cost {n} million yuan
and serves 41,000 residents.
"""

_HOLD = """
import sys, time
from pearlbot.retrieval import open_knowledge_base, answer_question
kb = open_knowledge_base([sys.argv[1]])
answer_question(kb, "assistance projects")
print("ready", flush=True)
time.sleep(600)
"""

_QUESTIONS = """
import json, sys, time, statistics
from pearlbot.retrieval import open_knowledge_base, answer_question
kb = open_knowledge_base([sys.argv[1]])
questions = json.loads(sys.stdin.read())
times = []
for q in questions:
    t = time.perf_counter()
    answer_question(kb, q)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(json.dumps({"p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)],
                  "n": len(times), "engine": kb.index.engine}))
"""

_RANK_BM25 = """
import json, sys, time
t = time.perf_counter()
from pearlbot.corpus import load_corpus
from pearlbot.retrieval.search.analyzer import analyze
import rank_bm25, numpy as np
corpus = load_corpus([sys.argv[1]])
tokens = [analyze(p.text) for p in corpus.passages]
bm25 = rank_bm25.BM25Okapi(tokens)
start = time.perf_counter() - t
questions = json.loads(sys.stdin.read())
times = []
for q in questions:
    t = time.perf_counter()
    scores = bm25.get_scores(analyze(q))
    np.argsort(-scores)[:10]
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(json.dumps({"start": start, "p50": times[len(times) // 2], "n": len(times)}))
"""


def run(
    cmd: list[str], env: dict[str, str], **kw: Any
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, **kw)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[-3:]} exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed, done


def median_run(cmd: list[str], env: dict[str, str], times: int = 3) -> float:
    return statistics.median(run(cmd, env)[0] for _ in range(times))


def articles_for(passages: int) -> Path:
    from bench.corpus_gen import generate_passages, write_articles

    folder = OUT / f"articles-{passages}"
    if not folder.exists():
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        write_articles(generate_passages(passages), tmp)
        tmp.rename(folder)
    for extra in folder.glob("added-*.txt"):  # left by an interrupted run
        extra.unlink()
    return folder


def questions_for(folder: Path, count: int) -> list[str]:
    """Distinct questions: the speed benchmark's word queries from the corpus's own
    sentences, half of them phrased as questions."""
    from bench.corpus_gen import generate_queries
    from pearlbot.corpus import load_corpus

    files = sorted(folder.rglob("*.txt"))[:400]
    sentences = [p.text for f in files for p in load_corpus([f]).passages]
    out = []
    for n, query in enumerate(generate_queries(sentences, count, seed=7)):
        out.append(f"How many {query}?" if n % 4 == 1 else f"What is {query}?" if n % 2 else query)
    return list(dict.fromkeys(out))


def memory(pid: int) -> dict[str, float]:
    """Rss and Pss (MB) of a process, and of its mappings of the store's postings."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    values = {line.split()[0].rstrip(":"): int(line.split()[1]) for line in rollup.splitlines()[1:]}
    postings = {"Rss": 0, "Pss": 0}
    mapped = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if len(fields) >= 5 and "-" in fields[0] and ":" in fields[3]:  # a mapping's header
            mapped = fields[-1] if len(fields) >= 6 else ""
        elif fields and fields[0] in ("Rss:", "Pss:") and mapped and "/postings-" in mapped:
            postings[fields[0].rstrip(":")] += int(fields[1])
    return {
        "rss": values["Rss"] / 1024,
        "pss": values["Pss"] / 1024,
        "postings_rss": postings["Rss"] / 1024,
        "postings_pss": postings["Pss"] / 1024,
    }


def two_processes(folder: Path, env: dict[str, str]) -> list[dict[str, float]]:
    holders = [
        subprocess.Popen(
            [PYTHON, "-c", _HOLD, str(folder)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for holder in holders:
            assert holder.stdout is not None
            if holder.stdout.readline().strip() != "ready":
                raise RuntimeError("a holding process failed")
        return [memory(h.pid) for h in holders]
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()


def measure_size(passages: int, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    folder = articles_for(passages)
    store = OUT / f"stores-{passages}"
    shutil.rmtree(store, ignore_errors=True)
    env = {**env, "PEARLBOT_STORE_DIR": str(store), "PEARLBOT_CACHE_DIR": "off"}
    row: dict[str, Any] = {"passages": passages}
    print(f"{passages:,} passages: cold build", file=sys.stderr, flush=True)
    row["cold_build_s"], done = run([*PEARLBOT, "--corpus", str(folder), "index", "build"], env)
    row["progress_lines"] = sum("article files" in line for line in done.stderr.splitlines())
    ask = [*PEARLBOT, "--corpus", str(folder), "ask", ASK]
    print(f"{passages:,} passages: next start", file=sys.stderr, flush=True)
    run(ask, env)  # the page cache warm, as on a running server
    row["next_start_s"] = median_run(ask, env)
    questions = questions_for(folder, args.questions)
    _, done = run([PYTHON, "-c", _QUESTIONS, str(folder)], env, input=json.dumps(questions))
    row["per_question"] = json.loads(done.stdout)
    print(f"{passages:,} passages: adding one article", file=sys.stderr, flush=True)
    added = folder / "added-1.txt"
    added.write_text(NEW_ARTICLE.format(n=1), encoding="utf-8")
    row["after_add_start_s"] = run(ask, env)[0]
    row["after_add_next_start_s"] = median_run(ask, env)
    added2 = folder / "added-2.txt"
    added2.write_text(NEW_ARTICLE.format(n=2), encoding="utf-8")
    row["add_one_s"], _ = run([*PEARLBOT, "--corpus", str(folder), "index", "build"], env)
    added.unlink()
    added2.unlink()
    row["remove_two_s"], _ = run([*PEARLBOT, "--corpus", str(folder), "index", "build"], env)
    print(f"{passages:,} passages: two processes", file=sys.stderr, flush=True)
    row["two_processes"] = two_processes(folder, env)
    row["store_mb"] = sum(p.stat().st_size for p in store.rglob("*") if p.is_file()) / 2**20
    if not args.no_baseline:
        print(f"{passages:,} passages: rank-bm25", file=sys.stderr, flush=True)
        few = questions[: 200 if passages <= 200_000 else 20]
        _, done = run([PYTHON, "-c", _RANK_BM25, str(folder)], env, input=json.dumps(few))
        row["rank_bm25"] = json.loads(done.stdout)
    return row


def seed_startup(env: dict[str, str], runs: int = 15) -> dict[str, float]:
    ask, numpy = (
        [*PEARLBOT, "ask", "which district pairs with the county?"],
        [PYTHON, "-c", "import numpy"],
    )
    a, b = [], []
    for _ in range(runs):  # interleaved: both see the same machine load
        a.append(run(ask, env)[0])
        b.append(run(numpy, env)[0])
    return {"ask": statistics.median(a), "numpy": statistics.median(b)}


def discord(passages: int, count: int, env: dict[str, str]) -> dict[str, Any]:
    folder = articles_for(passages)
    env = {
        **env,
        "PEARLBOT_STORE_DIR": str(OUT / f"stores-{passages}"),
        "PEARLBOT_CACHE_DIR": "off",
    }
    cmd = [PYTHON, "-m", "bench.discord_load", "--corpus", str(folder), "--distinct",
           "--questions", str(count), "--memory", str(count), "--json",
           "--rates", RATES]  # fmt: skip
    _, done = run(cmd, env)
    rows = json.loads(done.stdout[done.stdout.index("[") :])
    return {"cooldown": rows[0], "no_cooldown": rows[1], "rates": [r for r in rows if "rate" in r]}


def fmt_s(value: float) -> str:
    return f"{value:.2f} s"


def table(
    rows: list[dict[str, Any]], seed: dict[str, float] | None, load: dict[str, Any] | None
) -> str:
    sizes = [f"{r['passages']:,} passages" for r in rows]
    lines = ["| measure | " + " | ".join(sizes) + " | target |", "|---" * (len(rows) + 2) + "|"]

    def line(name: str, values: list[str], target: str) -> None:
        lines.append(f"| {name} | " + " | ".join(values) + f" | {target} |")

    line(
        "cold build (`pearlbot index build`, progress lines)",
        [f"{fmt_s(r['cold_build_s'])} ({r['progress_lines']} lines)" for r in rows],
        "1M: ≤ 120 s",
    )
    line(
        "next start + one question (`pearlbot ask`, median of 3)",
        [fmt_s(r["next_start_s"]) for r in rows],
        "100k: ≤ 1.0 s; 1M: ≤ 5 s",
    )
    line(
        "per question, whole path, p50 / p99",
        [
            f"{r['per_question']['p50']:.1f} / {r['per_question']['p99']:.1f} ms"
            f" ({r['per_question']['n']} q, {r['per_question']['engine']})"
            for r in rows
        ],
        "100k: ≤ 5 ms; 1M: ≤ 20 ms",
    )
    line(
        "after adding one article: next start + one question (updates the store)",
        [
            f"{fmt_s(r['after_add_start_s'])} (then {fmt_s(r['after_add_next_start_s'])})"
            for r in rows
        ],
        "100k: ≤ 2.0 s",
    )
    line(
        "adding one article (`pearlbot index build`)",
        [fmt_s(r["add_one_s"]) for r in rows],
        "1M: ≤ 10 s",
    )
    line(
        "removing two articles (`pearlbot index build`)",
        [fmt_s(r["remove_two_s"]) for r in rows],
        "",
    )
    line(
        "two processes: Rss / Pss each, MB",
        [", ".join(f"{m['rss']:.0f} / {m['pss']:.0f}" for m in r["two_processes"]) for r in rows],
        "report",
    )
    line(
        "  of which the postings files: Rss / Pss each, MB",
        [
            ", ".join(
                f"{m['postings_rss']:.1f} / {m['postings_pss']:.1f}" for m in r["two_processes"]
            )
            for r in rows
        ],
        "Pss ≈ Rss / 2: shared",
    )
    line("store on disk", [f"{r['store_mb']:.0f} MB" for r in rows], "")
    if all("rank_bm25" in r for r in rows):
        line(
            "rank-bm25 baseline: read + tokenize + BM25Okapi (the start it needs)",
            [fmt_s(r["rank_bm25"]["start"]) for r in rows],
            "",
        )
        line(
            "rank-bm25 baseline: BM25 alone per question, p50",
            [f"{r['rank_bm25']['p50']:.1f} ms ({r['rank_bm25']['n']} q)" for r in rows],
            "",
        )
    out = "\n".join(lines)  # fmt: skip
    if seed:
        out += (
            f"\n\nSeed start-up (median of 15, interleaved): `pearlbot ask` {seed['ask']:.3f} s,"
            f' `python -c "import numpy"` {seed["numpy"]:.3f} s:'
            f" {seed['ask'] - seed['numpy']:+.3f} s (target: within 0.25 s)"
        )
    if load:
        c, n = load["cooldown"], load["no_cooldown"]
        out += (
            f"\n\nDiscord load, {c['questions']:,} distinct questions on the first corpus:"
            f" with the cooldown p50 {c['p50_ms']:.0f} ms, p99 {c['p99_ms']:.0f} ms"
            f" ({c['answered']} answered, {c['refused']} refused, {c['missing']} missing);"
            f" without it, {n['questions']:,} more: p50 {n['p50_ms']:.0f} ms,"
            f" p99 {n['p99_ms']:.0f} ms, all sent at once"
        )
        for r in load.get("rates", []):
            out += (
                f"; {r['questions']:,} more arriving at {r['rate']:g} a second: p50"
                f" {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms"
            )
        out += " (target: p99 < 1 s)"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="passages, comma-separated")
    parser.add_argument("--questions", type=int, default=1000, help="distinct questions")
    parser.add_argument("--smoke", action="store_true", help="5,000 passages, few questions")
    parser.add_argument("--no-baseline", action="store_true", help="skip rank-bm25")
    parser.add_argument("--no-discord", action="store_true", help="skip the Discord load")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed start-up")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.smoke:
        sizes, args.questions = [5_000], 50
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEARLBOT_")}
    env["PYTHONPATH"] = str(ROOT)
    rows = [measure_size(n, args, env) for n in sizes]
    seed = None if args.smoke or args.no_seed else seed_startup(env)
    load = None if args.no_discord else discord(sizes[0], args.questions, env)
    result = table(rows, seed, load)
    print(result)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "seed": seed, "discord": load}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
