"""Names the corpus knows (places, nicknames, people), and linking typed text to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import fuzz, process

from pearlbot.corpus.facts.models import Fact
from pearlbot.retrieval.search.analyzer import STOP_WORDS, words
from pearlbot.retrieval.understanding.lexicon import SUFFIX_WORDS

# A typo must be this close (rapidfuzz ratio, 0-100) to a known name to be taken for it.
TYPO_SCORE = 85.0
# "Did you mean" only for names this close; a distant suggestion misleads more than it helps.
SUGGEST_SCORE = 75.0


# Words that go before "city"/"county" without being a name ("which eastern city").
GENERIC_MODIFIERS = frozenset(
    """eastern western northern southern central coastal inland partner paired assisting
    assisted neighbouring neighboring nearby big small large poor rural urban whole same
    another other home local each every any""".split()
)


@lru_cache(maxsize=65_536)
def key(text: str) -> str:
    """Lookup key: normalised words joined by spaces ("Dong'ao District" -> "dongao district")."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Entry:
    name: str  # canonical: "Riverbend County", "Westvale", "Zhang San"
    kind: str  # place type ("county", "city", ...) or "person"
    via: str = "name"  # "name", "base" (no suffix), "nickname"


@dataclass(frozen=True)
class Link:
    entry: Entry
    start: int  # word positions in the question
    end: int
    fuzzy: bool = False


@dataclass
class Gazetteer:
    entries: dict[str, list[Entry]] = field(default_factory=dict)

    def add(self, surface: str, entry: Entry) -> None:
        bucket = self.entries.setdefault(key(surface), [])
        if entry not in bucket:
            bucket.append(entry)

    @cached_property
    def single_word_keys(self) -> list[str]:
        return [k for k in self.entries if " " not in k and len(k) >= 4]

    @cached_property
    def multi_word_keys(self) -> list[str]:
        return [k for k in self.entries if k.count(" ") == 1]

    @cached_property
    def compact(self) -> dict[str, list[Entry]]:
        """Keys without spaces, for matching pinyin ("he ping" and "heping" alike)."""
        out: dict[str, list[Entry]] = {}
        for k, entries in self.entries.items():
            out.setdefault(k.replace(" ", ""), []).extend(entries)
        return out

    def names(self, kind: str | None = None) -> list[str]:
        seen: dict[str, None] = {}
        for entries in self.entries.values():
            for entry in entries:
                if (
                    kind is None
                    or entry.kind == kind
                    or (kind == "place" and entry.kind != "person")
                ):
                    seen[entry.name] = None
        return list(seen)

    def link(
        self, text: str, vocabulary: frozenset[str] = frozenset()
    ) -> tuple[list[Link], list[str]]:
        """Known names in text (longest first, typos forgiven) and unknown place-like names."""
        tokens = words(text)
        links: list[Link] = []
        unknown: list[str] = []
        i = 0
        while i < len(tokens):
            found = self._exact(tokens, i) or self._fuzzy(tokens, i, vocabulary)
            if found:
                links.append(found)
                i = found.end
                continue
            word = tokens[i]
            # Only a type word as typed marks an unknown place ("count" is not "county" here).
            suffix = (
                tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1] in SUFFIX_WORDS else None
            )
            generic = word in STOP_WORDS or word in GENERIC_MODIFIERS or word.isdigit()
            if suffix and not generic and word not in vocabulary:
                unknown.append(f"{word.title()} {suffix.title()}")
            i += 1
        return links, unknown

    def _exact(self, tokens: list[str], i: int) -> Link | None:
        for n in range(min(5, len(tokens) - i), 0, -1):
            entries = self.entries.get(" ".join(tokens[i : i + n]))
            if entries:
                return self._withplace_type_word(entries, tokens, i, i + n, fuzzy=False)
        return None

    def _fuzzy(self, tokens: list[str], i: int, vocabulary: frozenset[str]) -> Link | None:
        pair = " ".join(tokens[i : i + 2])
        if i + 1 < len(tokens) and not place_type_word(tokens[i + 1]):
            # Two-word names ("zhang sna" for Zhang San) are compared whole.
            match = process.extractOne(
                pair, self.multi_word_keys, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE
            )
            if match:
                return self._withplace_type_word(
                    self.entries[match[0]], tokens, i, i + 2, fuzzy=True
                )
        token = tokens[i]
        if len(token) < 5 or token in STOP_WORDS or token in vocabulary or place_type_word(token):
            return None
        wanted = place_type_word(tokens[i + 1]) if i + 1 < len(tokens) else None
        if wanted:
            # "qinhaui distrct": only names that have a district are candidates.
            keys = [
                k
                for k in self.single_word_keys
                if any(e.kind == SUFFIX_WORDS[wanted] for e in self.entries[k])
            ]
            match = process.extractOne(token, keys, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
            if match:
                return self._withplace_type_word(
                    self.entries[match[0]], tokens, i, i + 1, fuzzy=True
                )
        match = process.extractOne(
            token, self.single_word_keys, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE
        )
        if not match:
            return None
        return self._withplace_type_word(self.entries[match[0]], tokens, i, i + 1, fuzzy=True)

    def _withplace_type_word(
        self, entries: list[Entry], tokens: list[str], i: int, end: int, fuzzy: bool
    ) -> Link:
        """Take a following type word ("county", or a typo of it) and prefer the entry it names."""
        wanted = place_type_word(tokens[end]) if end < len(tokens) else None
        typed = [e for e in entries if wanted and e.kind == SUFFIX_WORDS[wanted]]
        if typed:  # "eastport district" keeps "district" as a hint; "riverbend county" consumes it
            end += 1
            entries = typed
        best = sorted(entries, key=lambda e: (e.via != "name", e.kind == "person"))[0]
        return Link(best, i, end, fuzzy)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Known place names really close to an unknown one (compared without type words)."""
        base = " ".join(t for t in words(name) if not place_type_word(t))
        candidates = {
            k: e
            for k, es in self.entries.items()
            for e in es
            if e.kind != "person" and e.via != "nickname"
        }
        scored = process.extract(
            base, list(candidates), scorer=fuzz.ratio, limit=limit, score_cutoff=SUGGEST_SCORE
        )
        return list(dict.fromkeys(candidates[k].name for k, _s, _i in scored))


def place_type_word(token: str) -> str | None:
    """The place-type word a token is, allowing one typo ("country", "distrct")."""
    if token in SUFFIX_WORDS:
        return token
    if len(token) < 4:
        return None
    match = process.extractOne(token, list(SUFFIX_WORDS), scorer=fuzz.ratio, score_cutoff=80)
    # "country" is a real word, but after a place name it is nearly always "county" mistyped.
    return match[0] if match else None


_SUFFIXES = re.compile(
    r"\s+(?:Autonomous\s+)?(?:County|District|City|Province|Prefecture|Town|Township|Village)$"
)


def build_gazetteer(facts: tuple[Fact, ...] | list[Fact]) -> Gazetteer:
    gazetteer = Gazetteer()
    for fact in facts:
        if fact.kind == "place":
            entry = Entry(fact.name, fact.place_type)
            gazetteer.add(fact.name, entry)
            base = _SUFFIXES.sub("", fact.name)
            if base != fact.name:
                gazetteer.add(base, Entry(fact.name, fact.place_type, via="base"))
            if fact.place_type == "city" and not fact.name.endswith(" City"):
                gazetteer.add(f"{fact.name} City", Entry(fact.name, fact.place_type, via="base"))
            if fact.nickname:
                gazetteer.add(fact.nickname, Entry(fact.name, fact.place_type, via="nickname"))
        elif fact.kind == "person":
            gazetteer.add(fact.name, Entry(fact.name, "person"))
    return gazetteer
