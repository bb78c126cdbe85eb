"""Synthetic English passages for the speed benchmark, reproducible from a seed.

Source text is what every machine with Python has: the prose of the Python reference
(`pydoc_data.topics`, stdlib) plus the packaged seed release. A word-bigram model trained on it
writes sentences with a natural Zipf term distribution; invented place and person names and
figures are mixed in so the vocabulary keeps growing with the corpus, as it does for news.

    python -m bench.corpus_gen 100000 > passages.txt          # one passage per line
    python -m bench.corpus_gen 20000 --articles bench/out/a   # article files for `pearlbot`
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]|\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SYLLABLES = (
    "an bei chang dong fu gan hai hua jin kang lan li ming nan ping qing rui shan tai wu xi"
    " xin yang yu zhou ba den gor hal ken lor mar nor pel ros sar tam vel win"
).split()
# Invented names and numbers per word of text: news is dense with both.
NAME_RATE = 0.08
NUMBER_RATE = 0.03


def _source_sentences() -> list[list[str]]:
    """Prose sentences (as word lists) from the Python reference and the seed article."""
    import pydoc_data.topics

    from pearlbot.seeds import seeds_path

    texts = list(pydoc_data.topics.topics.values())
    texts += [p.read_text(encoding="utf-8") for p in sorted(seeds_path().glob("*.txt"))]
    sentences = []
    for text in texts:
        # Indented lines are code and grammar, not prose.
        prose = " ".join(line for line in text.splitlines() if line and not line[0].isspace())
        for sentence in _SENTENCE_END.split(prose):
            words = _WORD.findall(sentence)
            if 5 <= len(words) <= 60:
                sentences.append(words)
    return sentences


@dataclass(frozen=True)
class BigramModel:
    """Words, and for each word its successors as one flat sorted cumulative table."""

    words: tuple[str, ...]
    starts: np.ndarray  # word ids that begin sentences (sampled uniformly)
    offsets: np.ndarray  # successors of word w: succ[offsets[w]:offsets[w + 1]]
    succ: np.ndarray
    cum: np.ndarray  # w + cumulative share of each successor, strictly inside (w, w + 1]


@lru_cache(maxsize=1)
def bigram_model() -> BigramModel:
    sentences = _source_sentences()
    vocab: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    starts = []
    end = vocab.setdefault("</s>", 0)
    for words in sentences:
        ids = [vocab.setdefault(w if w.isupper() else w.lower(), len(vocab)) for w in words]
        starts.append(ids[0])
        pairs.extend(zip(ids, [*ids[1:], end], strict=True))
    pair_arr = np.array(pairs, dtype=np.int64)
    keys, counts = np.unique(pair_arr[:, 0] * len(vocab) + pair_arr[:, 1], return_counts=True)
    first, second = keys // len(vocab), keys % len(vocab)
    offsets = np.searchsorted(first, np.arange(len(vocab) + 1))
    cum = np.empty(len(keys))
    for w in range(len(vocab)):
        lo, hi = offsets[w], offsets[w + 1]
        if hi > lo:
            share = np.cumsum(counts[lo:hi]) / counts[lo:hi].sum()
            cum[lo:hi] = w + share
    return BigramModel(tuple(vocab), np.array(starts), offsets, second, cum)


def _name_pool(size: int, rng: np.random.Generator) -> list[str]:
    """`size` distinct invented names like `Hailan` or `Dongwinxi` (two to four syllables)."""
    names: dict[str, None] = {}
    while len(names) < size:
        picks = rng.integers(0, len(_SYLLABLES), size=(size, 4))
        lengths = rng.choice([2, 3, 4], size=size, p=[0.1, 0.4, 0.5])
        for row, length in zip(picks, lengths, strict=True):
            names["".join(_SYLLABLES[i] for i in row[:length]).capitalize()] = None
    return list(names)[:size]


def generate_passages(n: int, seed: int = 0, batch: int = 50_000) -> Iterator[str]:
    """`n` sentences of 6-40 words; the same `n` and `seed` always give the same text."""
    model = bigram_model()
    rng = np.random.default_rng(seed)
    # Names follow Zipf's law over a pool that grows with the corpus (Heaps' law).
    names = _name_pool(max(200, int(40 * n**0.6)), rng)
    name_rank = np.arange(10, len(names) + 10, dtype=float) ** -1.1
    name_p = name_rank / name_rank.sum()
    words = np.array(model.words, dtype=object)
    for done in range(0, n, batch):
        m = min(batch, n - done)
        length = rng.integers(6, 41, size=m)
        current = model.starts[rng.integers(0, len(model.starts), size=m)]
        columns = [current]
        for _ in range(int(length.max()) - 1):
            # Sample each walk's successor: the cumulative table is offset by the word id.
            pos = np.searchsorted(model.cum, current + rng.random(m), side="left")
            current = model.succ[np.minimum(pos, len(model.succ) - 1)]
            # A sentence end restarts the walk so every passage has its full length.
            restart = current == 0
            current[restart] = model.starts[rng.integers(0, len(model.starts), restart.sum())]
            columns.append(current)
        grid = words[np.stack(columns, axis=1)]
        extra = rng.random(grid.shape)
        name_picks = rng.choice(len(names), size=grid.shape, p=name_p)
        numbers = rng.zipf(1.3, size=grid.shape)
        for row in range(m):
            out = []
            for col in range(int(length[row])):
                if extra[row, col] < NAME_RATE:
                    out.append(names[name_picks[row, col]])
                elif extra[row, col] < NAME_RATE + NUMBER_RATE:
                    out.append(str(numbers[row, col]))
                else:
                    out.append(grid[row, col])
            yield out[0].capitalize() + " " + " ".join(out[1:]) + "."


def generate_queries(passages: list[str], n: int = 200, seed: int = 1) -> list[str]:
    """`n` questions of 3-8 content words, each drawn from one passage (so it has matches),
    with one word in four replaced by a word from another passage."""
    from pearlbot.retrieval.search.analyzer import STOP_WORDS

    rng = np.random.default_rng(seed)
    queries = []
    while len(queries) < n:
        source = _WORD.findall(passages[rng.integers(len(passages))])
        content = [w for w in dict.fromkeys(source) if w.lower() not in STOP_WORDS]
        if len(content) < 3:
            continue
        size = min(len(content), int(rng.integers(3, 9)))
        picked = [content[i] for i in rng.choice(len(content), size=size, replace=False)]
        for i in range(size):
            if rng.random() < 0.25:
                other = _WORD.findall(passages[rng.integers(len(passages))])
                picked[i] = other[int(rng.integers(len(other)))]
        queries.append(" ".join(picked))
    return queries


def write_articles(passages: Iterator[str], folder: Path, per_article: int = 20) -> int:
    """Group passages into article files shaped like the seed release; returns files written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    chunk: list[str] = []
    for passage in passages:
        chunk.append(passage)
        if len(chunk) == per_article:
            _write_article(folder, count, chunk)
            count += 1
            chunk = []
    if chunk:
        _write_article(folder, count, chunk)
        count += 1
    return count


def _write_article(folder: Path, number: int, sentences: list[str]) -> None:
    sub = folder / f"{number // 1000:04d}"
    sub.mkdir(exist_ok=True)
    title = " ".join(sentences[0].split()[:8]).rstrip(".")
    body = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
    text = f"{title} {number}\nRelease time:2019-08-07 Browse:\n\n{body}\n"
    (sub / f"release-{number:07d}.txt").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--articles", type=Path, help="write article files here instead")
    args = parser.parse_args(argv)
    generated = generate_passages(args.passages, args.seed)
    if args.articles:
        print(write_articles(generated, args.articles), "articles", file=sys.stderr)
    else:
        sys.stdout.writelines(p + "\n" for p in generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
