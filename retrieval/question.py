"""Understanding a question: its intent and the names it mentions, linked to the corpus."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval.analyzer import STOP_WORDS, analyze, words
from retrieval.chinese import has_chinese, to_english
from retrieval.gazetteer import Entry, Gazetteer
from retrieval.lexicon import (
    DATE_CUES,
    FIGURE_CUES,
    NICKNAME_CUES,
    PAIRING_CUES,
    PERSON_CUES,
    PLACE_CUES,
    ROLE_CUES,
    SUFFIX_WORDS,
    SYNONYMS,
    TITLE_WORDS,
)

Intent = (
    str  # "pairing" | "figure" | "person" | "date" | "place" | "nickname" | "definition" | "other"
)

# Words that shape a question but never name what is asked about.
QUESTION_FILLER = frozenset(
    """many much tell know name names list give show please say says said according article
    source sources news pearlbot hey hi hello thanks thank ok okay kind sort exactly actually
    really happen happened one ones anyone anybody someone somebody something thing things get
    got make made take took go went let like total number amount also all exist there
    both""".split()
)
_DEFINITION = re.compile(r"^(?:what|who)\s+(?:is|are|was|were)\b|^tell me about\b|^what about\b")


@dataclass(frozen=True)
class Question:
    original: str
    english: str  # the question in English (Chinese questions are translated)
    words: tuple[str, ...]  # normalised words of `english`
    intent: Intent
    places: tuple[Entry, ...]
    people: tuple[Entry, ...]
    nickname_links: tuple[Entry, ...]  # places named by a nickname ("the Plateau Pearl")
    unknown_places: tuple[str, ...]  # "Datong County": looks like a place, the corpus lacks it
    unknown_words: tuple[str, ...]  # words that occur nowhere in the corpus
    wants_type: str | None  # "district" in "which Wuxi district ..."
    fuzzy: bool  # some name was linked despite a typo
    name_positions: frozenset[int]  # indexes into `words` taken by linked names

    @property
    def phrase(self) -> str:
        return " " + " ".join(self.words) + " "

    def has(self, *cues: str) -> bool:
        return any(f" {cue} " in self.phrase for cue in cues)

    @property
    def search_text(self) -> str:
        """What BM25 sees: the English question plus the canonical names it linked."""
        names = [e.name for e in (*self.places, *self.people)]
        return " ".join([self.english, *names])


def _intent(
    q_words: tuple[str, ...], places: list[Entry], people: list[Entry], nicknames: list[Entry]
) -> Intent:
    phrase = " " + " ".join(q_words) + " "

    def has(cues: tuple[str, ...]) -> bool:
        return any(f" {cue} " in phrase for cue in cues)

    if has(DATE_CUES):
        return "date"
    if has(PAIRING_CUES):
        return "pairing"
    if has(NICKNAME_CUES):
        return "nickname"
    if has(FIGURE_CUES):
        return "figure"
    if has(PLACE_CUES) and (places or has(("where",))):
        return "place"
    if (
        has(PERSON_CUES)
        or (has(TITLE_WORDS) and has(("which", "what")))
        or (people and has(ROLE_CUES))
    ):
        return "person"
    if nicknames:
        return "nickname"
    if (people or places) and _DEFINITION.search(" ".join(q_words)):
        return "definition"
    return "other"


def parse_question(text: str, gazetteer: Gazetteer, vocabulary: frozenset[str]) -> Question:
    """`vocabulary`: the corpus's index terms, to tell unknown words from known ones."""
    english = to_english(text, gazetteer) if has_chinese(text) else text
    links, unknown_places = gazetteer.link(
        english, frozenset(_surface_vocabulary(vocabulary, english))
    )
    linked_positions = {i for link in links for i in range(link.start, link.end)}
    q_words = tuple(words(english))
    places = [
        link.entry for link in links if link.entry.kind != "person" and link.entry.via != "nickname"
    ]
    people = [link.entry for link in links if link.entry.kind == "person"]
    nicknames = [link.entry for link in links if link.entry.via == "nickname"]
    unknown = []
    for i, word in enumerate(q_words):
        if i in linked_positions or word in STOP_WORDS or word in QUESTION_FILLER or word.isdigit():
            continue
        terms = analyze(word)
        if (
            terms
            and not any(t in vocabulary for t in terms)
            and not _synonym_known(word, vocabulary)
        ):
            unknown.append(word)
    wants = re.search(
        r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(county|district|city|province|counties|districts|cities)\b",
        " ".join(q_words),
    )
    wants_type = None
    if wants:
        wants_type = {"counties": "county", "districts": "district", "cities": "city"}.get(
            wants[1], wants[1]
        )
        wants_type = SUFFIX_WORDS.get(wants_type, wants_type)
    return Question(
        original=text,
        english=english,
        words=q_words,
        intent=_intent(q_words, places, people, nicknames),
        places=tuple(dict.fromkeys(places)),
        people=tuple(dict.fromkeys(people)),
        nickname_links=tuple(dict.fromkeys(nicknames)),
        unknown_places=tuple(dict.fromkeys(unknown_places)),
        unknown_words=tuple(dict.fromkeys(unknown)),
        wants_type=wants_type,
        fuzzy=any(link.fuzzy for link in links),
        name_positions=frozenset(linked_positions),
    )


def _synonym_known(word: str, vocabulary: frozenset[str]) -> bool:
    return any(t in vocabulary for syn in SYNONYMS.get(word, ()) for t in analyze(syn))


def _surface_vocabulary(vocabulary: frozenset[str], text: str) -> set[str]:
    """Question words whose index term the corpus has: such words are not typos of names."""
    return {w for w in words(text) if any(t in vocabulary for t in analyze(w))}


def expanded_terms(question: Question) -> set[str]:
    """The question's index terms plus those of its words' synonyms."""
    terms = set(analyze(question.english))
    for word in question.words:
        for synonym in SYNONYMS.get(word, ()):
            terms.update(analyze(synonym))
    return terms


def content_terms_of(word: str) -> list[str]:
    """Index terms of one question word, unless it is filler."""
    return [] if word in QUESTION_FILLER else analyze(word)


def content_terms(question: Question) -> list[str]:
    """Index terms of the words that say what is asked (no filler, no names, no cue words)."""
    filler = {t for w in QUESTION_FILLER for t in analyze(w)}
    out: list[str] = []
    for i, word in enumerate(question.words):
        if i in question.name_positions:
            continue
        for term in analyze(word):
            if term not in filler and term not in out:
                out.append(term)
    return out


def unaccounted_words(q: Question, terms: set[str], ignore: Iterable[str] = ()) -> list[str]:
    """Question words that neither the cited text nor their synonyms account for."""
    skip = set(ignore)
    left = []
    for i, word in enumerate(q.words):
        if i in q.name_positions:
            continue
        own = [t for t in analyze(word) if t not in skip]
        if not own or set(own) <= terms:
            continue
        if any(set(analyze(s)) & terms for s in SYNONYMS.get(word, ())):
            continue
        left.append(word)
    return left
