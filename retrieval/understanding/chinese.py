"""Chinese questions -> English ones: traditional characters made simplified (OpenCC), then a
glossary for question words and pinyin for place names."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from pearlbot.retrieval.understanding.gazetteer import Gazetteer
from pearlbot.retrieval.understanding.lexicon import CHINESE_GLOSSARY, CHINESE_SUFFIXES

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def has_chinese(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # loads its dictionary: only for Chinese questions

    return "".join(lazy_pinyin(text))


def _place(chars: str, gazetteer: Gazetteer) -> str | None:
    """The English name of a Chinese place name, matched by its pinyin."""
    suffix = CHINESE_SUFFIXES.get(chars[-1])
    base = chars[:-1] if suffix else chars
    if len(base) < (1 if suffix else 2):  # "岷县" is a name of one character and a type
        return None
    entries = gazetteer.compact.get(_pinyin(base))
    if not entries:
        return None
    if suffix:
        typed = [e for e in entries if e.name.endswith(suffix) or e.kind == suffix.lower()]
        entries = typed or entries
    return entries[0].name


def _translate_run(run: str, gazetteer: Gazetteer) -> str:
    """Longest place names first, then glossary words; anything left is dropped."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for size in range(min(6, len(run) - i), 1, -1):
            # "西宁市长" is Xining + mayor: leave the suffix to the glossary word it starts.
            if run[i + size - 1 : i + size + 1] in CHINESE_GLOSSARY:
                continue
            name = _place(run[i : i + size], gazetteer)
            if name:
                out.append(f" {name} ")
                i += size
                break
        else:
            for size in range(min(4, len(run) - i), 0, -1):
                word = CHINESE_GLOSSARY.get(run[i : i + size])
                if word:
                    out.append(word)
                    i += size
                    break
            else:
                i += 1
    return "".join(out)


@functools.cache
def _traditional_to_simplified() -> Callable[[str], str]:
    from opencc import OpenCC  # pure Python; only Chinese questions pay for its tables

    return OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones ("民和縣" -> "民和县"); the glossary and
    the pinyin of place names are written in simplified characters."""
    return _traditional_to_simplified()(text) if has_chinese(text) else text


def to_english(question: str, gazetteer: Gazetteer) -> str:
    """Replace each run of Chinese characters by what it means in English."""
    question = to_simplified(question)
    text = _CJK_RUN.sub(lambda m: _translate_run(m[0], gazetteer), question)
    text = text.replace("？", "?").replace("，", ",")
    return re.sub(r"\s+", " ", text).strip()


# Romanised Mandarin: the syllables a place or person name is spelt with ("huzhou" = hu + zhou).
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
             "x", "r", "z", "c", "s", "y", "w", "")  # fmt: skip
_FINALS = ("iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "van",
           "ai", "ei", "ao", "ou", "an", "en", "in", "un", "ia", "ie", "iu", "ua", "uo", "ui", "ue",
           "ve", "er", "a", "o", "e", "i", "u", "v")  # fmt: skip
PINYIN_SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS if i + f)


def is_pinyin_word(word: str) -> bool:
    """Whether a lower-case word splits wholly into pinyin syllables (an apostrophe may part
    them, "xi'an"): how romanised Chinese names are spelt, and most English words are not."""
    word = word.replace("'", "").replace("’", "")
    if not word.isascii() or not word.isalpha():
        return False
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(
            reachable[start] and word[start:end] in PINYIN_SYLLABLES
            for start in range(max(0, end - 6), end)
        )
    return reachable[-1]
