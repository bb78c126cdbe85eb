"""Text -> index terms: NFKC, case folding, quote and number normalisation, stop words, stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from pydantic import BaseModel, ConfigDict

# The common English function words (the NLTK list): they say nothing about which passage
# answers a question, and in a small corpus they swamp BM25's document frequencies.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t don shall may might must""".split()
)

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
    }
)
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|\d+(?:\.\d+)?|[^\W\d_{_CJK}]+")


class AnalyzerSettings(BaseModel):
    """What the analyzer does; part of the index cache key."""

    model_config = ConfigDict(frozen=True)

    stem: bool = True
    stop_words: bool = True


def normalize(text: str) -> str:
    """NFKC, case folding, straight quotes; `Dong'ao` -> `dongao`, `Eastport's` -> `eastport`,
    `4,200` -> `4200`."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _INNER_APOSTROPHE.sub("", text)
    return _THOUSANDS.sub(lambda m: m[0].replace(",", ""), text)


def words(text: str) -> list[str]:
    """Normalised surface words (no stop-word removal, no stemming)."""
    return _TOKEN.findall(normalize(text))


@lru_cache(maxsize=4)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


DEFAULT_ANALYZER = AnalyzerSettings()


@lru_cache(maxsize=65_536)
def analyze_text(text: str, settings: AnalyzerSettings = DEFAULT_ANALYZER) -> frozenset[str]:
    """The set of index terms of a passage, cached: fact scoring reads the same ones often."""
    return frozenset(analyze(text, settings))


@lru_cache(maxsize=65_536)
def analyze_word(word: str, settings: AnalyzerSettings = DEFAULT_ANALYZER) -> tuple[str, ...]:
    """`analyze` of one word, cached: highlighting asks for the same words again and again."""
    return tuple(analyze(word, settings))


def analyze(text: str, settings: AnalyzerSettings = DEFAULT_ANALYZER) -> list[str]:
    """The index terms of `text`, in order (duplicates kept: BM25 counts them)."""
    return terms_of_words(words(text), settings)


def terms_of_words(tokens: list[str], settings: AnalyzerSettings = DEFAULT_ANALYZER) -> list[str]:
    """`analyze` from the text's `words`, for callers that need both."""
    if settings.stop_words:
        tokens = [t for t in tokens if t not in STOP_WORDS]
    if settings.stem:
        tokens = _stemmer().stemWords(tokens)
    return tokens
