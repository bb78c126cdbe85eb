"""Speed benchmark: Pearlbot's BM25 engines against plain rank-bm25, 1k to 1M passages.

    python -m bench.speed                       # 1k, 10k, 100k, 1M: prints the README table
    python -m bench.speed --sizes 1k,10k        # a quick run
    python -m bench.speed --smoke               # seconds: 300 passages, few queries

For every size and engine, each phase runs in a fresh process so memory is that engine's own:
build (from analysed passages to a ready index, then persisted), load (persisted index to
memory; RSS growth is "index in memory"), then top-10 queries repeated `--repeat` times (each
statistic is the median over the repeats). Ratios divide rank-bm25's latency, measured in the
same run, by the engine's. bm25s (if installed) is measured too, for comparison only: it was
the other candidate (its scores differ from rank-bm25's for common words).

Corpora come from bench/corpus_gen.py and live in bench/out/speed/ (git-ignored). Results go
to bench/results/speed.{md,json,png}. Start-up (`pearlbot ask` against `import numpy`) is
measured at the end.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "speed"
RESULTS = ROOT / "bench" / "results"
ENGINES = ("rank-bm25", "numpy", "numba", "bm25s")
SIZES = {"300": 300, "1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
TOP_K = 10
QUESTION = "How many assistance projects?"


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


# -- corpora ------------------------------------------------------------------------------------


def prepare(n: int, n_queries: int) -> dict[str, Any]:
    """Passages, queries and analysed postings for size n (made once, then reused)."""
    from bench.corpus_gen import generate_passages, generate_queries
    from pearlbot.retrieval.search import index_store as cache
    from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze

    OUT.mkdir(parents=True, exist_ok=True)
    passages_file = OUT / f"passages-{n}.txt"
    if not passages_file.exists():
        tmp = passages_file.with_suffix(".tmp")
        tmp.write_text("".join(p + "\n" for p in generate_passages(n)), encoding="utf-8")
        tmp.replace(passages_file)
    texts = passages_file.read_text(encoding="utf-8").splitlines()
    queries_file = OUT / f"queries-{n}-{n_queries}.json"
    if not queries_file.exists():
        raw = generate_queries(texts, n_queries)
        queries_file.write_text(json.dumps([analyze(q) for q in raw]), encoding="utf-8")
    postings_file = OUT / f"postings-{n}.npz"
    if not postings_file.exists():
        cache.save(postings_file, cache.postings_from_texts(texts, AnalyzerSettings()), "bench")
    return {
        "n": n,
        "passages": str(passages_file),
        "queries": str(queries_file),
        "postings": str(postings_file),
    }


def _load_postings(job: dict[str, Any]):
    from pearlbot.retrieval.search import index_store as cache

    return cache.load(Path(job["postings"]), "bench", job["n"])


def _tokens(job: dict[str, Any]) -> list[list[str]]:
    from pearlbot.retrieval.search.bm25 import _bags

    return _bags(_load_postings(job))


# -- phases, each run in its own process ----------------------------------------------------------


def phase_build(job: dict[str, Any]) -> dict[str, Any]:
    """From analysed passages (token lists) to a ready index, then persist it."""
    from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings

    engine, store = job["engine"], Path(job["store"])
    tokenized = _tokens(job)
    gc.collect()
    start = time.perf_counter()
    if engine == "bm25s":
        import bm25s

        index = bm25s.BM25(method="bm25+", k1=1.2, b=0.75, delta=1.0, backend="numba")
        index.index(tokenized, show_progress=False)
        build = time.perf_counter() - start
        index.save(str(store))
    else:
        index = BM25Index(tokenized, BM25Settings(), engine=engine)
        build = time.perf_counter() - start
        if engine == "rank-bm25":
            with open(store, "wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            from pearlbot.retrieval.search import index_store as cache

            cache.save(store, index._impl.postings, "bench")
    size = (
        sum(p.stat().st_size for p in store.rglob("*")) if store.is_dir() else store.stat().st_size
    )
    return {"build_s": build, "build_peak_mb": peak_rss_mb(), "disk_mb": size / 1e6}


def phase_query(job: dict[str, Any]) -> dict[str, Any]:
    """Load the persisted index, then time top-10 queries."""
    engine, store = job["engine"], Path(job["store"])
    queries: list[list[str]] = json.loads(Path(job["queries"]).read_text(encoding="utf-8"))
    import numpy  # noqa: F401  (imported before the baseline: not part of the index)

    from pearlbot.retrieval.search import index_store as cache
    from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, warm_up

    warm = 0.0
    if engine == "bm25s":
        import bm25s
    elif engine == "numba":
        # Loading numba and its compiled kernels is the runtime's cost, paid once at start-up
        # by warm_up(): timed as warm-up, and kept out of the index's load time and memory.
        warm = warm_up()

    gc.collect()
    base = rss_mb()
    start = time.perf_counter()
    if engine == "rank-bm25":
        with open(store, "rb") as f:
            index = pickle.load(f)
    elif engine == "bm25s":
        index = bm25s.BM25.load(str(store))
        index.backend = "numba"
    else:
        postings = cache.load(store, "bench", job["n"])
        index = BM25Index.from_postings(postings, BM25Settings(), engine=engine)
    load = time.perf_counter() - start
    memory = rss_mb() - base
    start = time.perf_counter()
    if engine == "bm25s":
        index.compile()  # bm25s 0.3.16 compiles its numba functions only when told to
        index.retrieve([queries[0]], k=TOP_K, show_progress=False, n_threads=1)
    else:
        warm_up(index)  # touches the index's pages with one query
    warm += time.perf_counter() - start

    def run(query: list[str]) -> None:
        if engine == "bm25s":
            index.retrieve([query], k=TOP_K, show_progress=False, n_threads=1)
        else:
            index.top(query, TOP_K)

    limit = job.get("max_queries") or len(queries)
    passes = []
    for _ in range(job["repeat"]):
        times = []
        for query in queries[:limit]:
            if not query:
                continue
            t = time.perf_counter()
            run(query)
            times.append(time.perf_counter() - t)
        passes.append(np.asarray(times) * 1e3)
    return {
        "load_s": load,
        "index_mb": memory,
        "warm_s": warm,
        "queries": len(passes[0]),
        "passes": len(passes),
        "p50_ms": statistics.median(float(np.percentile(p, 50)) for p in passes),
        "p95_ms": statistics.median(float(np.percentile(p, 95)) for p in passes),
        "max_ms": statistics.median(float(p.max()) for p in passes),
    }


def phase_first_start(job: dict[str, Any]) -> dict[str, Any]:
    """What starting the project costs on this corpus: the first start (hash the passages,
    analyse them, build the index, write the cache entry) and the next one (hash, load and
    verify the entry, build the engine), through retrieval.search.index_store as the app does it."""
    from pearlbot.retrieval.search import index_store as cache
    from pearlbot.retrieval.search.analyzer import AnalyzerSettings
    from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, engine_for, warm_up

    texts = Path(job["passages"]).read_text(encoding="utf-8").splitlines()
    directory = Path(job["store"])
    shutil.rmtree(directory, ignore_errors=True)
    analyzer, bm25 = AnalyzerSettings(), BM25Settings()
    out: dict[str, Any] = {"engine": engine_for(len(texts))}
    if len(texts) >= cache.CACHE_MIN_PASSAGES:
        steps = {}
        t = time.perf_counter()
        key = cache.corpus_key(texts, analyzer)
        steps["hash_s"], t = time.perf_counter() - t, time.perf_counter()
        postings = cache.postings_from_texts(texts, analyzer)
        steps["analysis_s"], t = time.perf_counter() - t, time.perf_counter()
        BM25Index.from_postings(postings, bm25)
        steps["index_s"], t = time.perf_counter() - t, time.perf_counter()
        cache.save(cache.entry_path(directory, key), postings, key)
        steps["save_s"] = time.perf_counter() - t
        out.update(steps, first_start_s=sum(steps.values()))
        del postings
    t = time.perf_counter()
    index = cache.open_index(texts, analyzer, bm25, directory=directory)
    out["next_start_s"] = time.perf_counter() - t
    out.setdefault("first_start_s", out["next_start_s"])  # small corpora are not cached
    out["warm_s"] = warm_up(index)
    shutil.rmtree(directory, ignore_errors=True)
    return out


PHASES = {"build": phase_build, "query": phase_query, "first_start": phase_first_start}


def in_subprocess(phase: str, job: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.speed", "--phase", phase, json.dumps(job)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- start-up -----------------------------------------------------------------------------------


def startup(runs: int) -> dict[str, Any]:
    """Wall time of `pearlbot ask` on the seed against `python -c "import numpy"` (the floor),
    interleaved so both see the same machine load; medians of `runs`."""
    pearlbot = Path(sys.executable).with_name("pearlbot")
    ask = [str(pearlbot), "ask", QUESTION] if pearlbot.exists() else None
    ask = ask or [sys.executable, "-m", "pearlbot", "ask", QUESTION]
    floor_cmd = [sys.executable, "-c", "import numpy"]
    env = {k: v for k, v in os.environ.items() if k != "PEARLBOT_CORPUS"}
    times: dict[str, list[float]] = {"ask": [], "floor": []}
    for _ in range(runs):
        for name, cmd in (("floor", floor_cmd), ("ask", ask)):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - t)
    probe = (
        f"import sys; from bot.cli import main; main(['ask', {QUESTION!r}]); "
        "print(*(m for m in ('discord', 'numba', 'bm25s') if m in sys.modules), file=sys.stderr)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stderr.split()
    ask_s, floor_s = statistics.median(times["ask"]), statistics.median(times["floor"])
    return {
        "runs": runs,
        "ask_s": ask_s,
        "floor_s": floor_s,
        "above_floor_s": ask_s - floor_s,
        "heavy_modules_loaded": loaded,
    }


# -- report -------------------------------------------------------------------------------------


def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.{digits}f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| passages | engine | build s | build peak MB | on disk MB | load s | index MB "
        "| warm-up s | p50 ms | p95 ms | max ms | p50 speed-up | p95 speed-up |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n']:,} | {r['engine']} | error: {r['error'][:80]} |")
            continue
        engine = r["engine"] + (" (auto)" if r.get("auto") else "")
        if r.get("max_queries"):
            engine += f" ({r['queries']} q)"
        lines.append(
            f"| {r['n']:,} | {engine} | {fmt(r['build_s'])} | {fmt(r['build_peak_mb'])} "
            f"| {fmt(r['disk_mb'])} | {fmt(r['load_s'])} | {fmt(r['index_mb'])} "
            f"| {fmt(r['warm_s'])} | {fmt(r['p50_ms'], 3)} | {fmt(r['p95_ms'], 3)} "
            f"| {fmt(r['max_ms'], 3)} | {fmt(r.get('speedup_p50'), 0)}x "
            f"| {fmt(r.get('speedup_p95'), 0)}x |"
        )
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for engine in ENGINES:
        points = sorted((r["n"], r["p50_ms"], r["p95_ms"]) for r in rows if r["engine"] == engine)
        points = [p for p in points if p[1] is not None]
        if not points:
            continue
        n, p50, p95 = zip(*points, strict=True)
        label = f"{engine} p50" + (
            " (comparison; not rank-bm25's ranking)" if engine == "bm25s" else ""
        )
        (line,) = ax.plot(n, p50, marker="o", label=label)
        ax.plot(n, p95, marker="x", linestyle="--", color=line.get_color(), alpha=0.6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("passages")
    ax.set_ylabel("top-10 query latency, ms (solid p50, dashed p95)")
    ax.set_title("BM25 query latency vs corpus size (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated: 1k,10k,...")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="query passes per engine")
    parser.add_argument(
        "--reference-budget",
        type=float,
        default=120.0,
        help="seconds of rank-bm25 querying per size (1M: ~1.7 s a query) before sampling",
    )
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="tiny and fast; no files saved")
    parser.add_argument("--replot", action="store_true", help="redraw the PNG from speed.json")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("job", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](json.loads(args.job))))
        return 0
    if args.replot:
        rows = json.loads((RESULTS / "speed.json").read_text(encoding="utf-8"))["rows"]
        plot([r for r in rows if "error" not in r], RESULTS / "speed.png")
        return 0
    if args.smoke:
        args.sizes, args.queries, args.repeat, args.startup_runs = "300", 20, 1, 2
    from pearlbot.retrieval.search.bm25 import engine_for

    engines = [e for e in args.engines.split(",") if e]
    if "bm25s" in engines:
        try:
            import bm25s  # noqa: F401
        except ImportError:
            engines.remove("bm25s")
    rows: list[dict[str, Any]] = []
    extras: list[dict[str, Any]] = []
    for label in args.sizes.split(","):
        n = SIZES[label] if label in SIZES else int(label)
        job = prepare(n, args.queries)
        first = in_subprocess("first_start", {**job, "store": str(OUT / f"cache-{n}")})
        extras.append({"n": n, **first})
        print(f"{n:,} passages: {first}", file=sys.stderr, flush=True)
        reference_p50 = reference_p95 = None
        for engine in engines:
            suffix = "" if engine in ("bm25s",) else (".pkl" if engine == "rank-bm25" else ".npz")
            store = OUT / f"index-{n}-{engine}{suffix}"
            shutil.rmtree(store, ignore_errors=True) if store.is_dir() else store.unlink(True)
            row: dict[str, Any] = {"n": n, "engine": engine, "auto": engine_for(n) == engine}
            row.update(in_subprocess("build", {**job, "engine": engine, "store": str(store)}))
            if "error" not in row:
                spec = {**job, "engine": engine, "store": str(store), "repeat": args.repeat}
                if engine == "rank-bm25":
                    # rank-bm25 costs ~1.7 ms per 1,000 passages a query: sample it at 1M.
                    per_query = 1.7e-6 * n
                    budget = max(10, int(args.reference_budget / max(per_query, 1e-9)))
                    if budget < args.queries * args.repeat:
                        spec["repeat"] = 1
                        spec["max_queries"] = min(args.queries, budget)
                        row["max_queries"] = spec["max_queries"]
                row.update(in_subprocess("query", spec))
            if engine == "rank-bm25" and "error" not in row:
                reference_p50, reference_p95 = row["p50_ms"], row["p95_ms"]
            if reference_p50 and "error" not in row:
                row["speedup_p50"] = reference_p50 / row["p50_ms"]
                row["speedup_p95"] = reference_p95 / row["p95_ms"]
            rows.append(row)
            print(table([row]).splitlines()[-1], file=sys.stderr, flush=True)
            if store.is_dir():
                shutil.rmtree(store, ignore_errors=True)
            else:
                store.unlink(True)
    start = startup(args.startup_runs)
    report = [
        table(rows),
        "",
        "| passages | engine | hash s | analysis s | index s | cache write s | first start s "
        "| next start s | warm-up s |",
        "|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {e['n']:,} | {e.get('engine', '?')} | {fmt(e.get('hash_s'))} "
            f"| {fmt(e.get('analysis_s'))} | {fmt(e.get('index_s'))} | {fmt(e.get('save_s'))} "
            f"| {fmt(e.get('first_start_s'))} | {fmt(e.get('next_start_s'))} "
            f"| {fmt(e.get('warm_s'))} |"
            for e in extras
        ),
        "",
        f"Start-up, median of {start['runs']} interleaved runs: `pearlbot ask` on the seed "
        f'{start["ask_s"]:.3f} s, `python -c "import numpy"` {start["floor_s"]:.3f} s, '
        f"difference {start['above_floor_s']:.3f} s; heavy modules loaded: "
        f"{', '.join(start['heavy_modules_loaded']) or 'none'}.",
        f"Machine: {os.cpu_count()} cores, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
    ]
    print("\n".join(report))
    if not args.smoke:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "speed.md").write_text("\n".join(report) + "\n", encoding="utf-8")
        raw = {"rows": rows, "starts": extras, "startup": start, "argv": argv or sys.argv[1:]}
        (RESULTS / "speed.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
        plot([r for r in rows if "error" not in r], RESULTS / "speed.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
