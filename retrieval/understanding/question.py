"""Understanding a question: its intent and the names it mentions, linked to the corpus."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pearlbot.corpus.vocabulary import WORD_FAMILIES
from pearlbot.retrieval.search.analyzer import STOP_WORDS, analyze, words
from pearlbot.retrieval.understanding.chinese import has_chinese, to_english
from pearlbot.retrieval.understanding.gazetteer import Entry, Gazetteer, place_type_word
from pearlbot.retrieval.understanding.lexicon import (
    DATE_CUES,
    FIGURE_CUES,
    NICKNAME_CUES,
    PAIRING_CUES,
    PERSON_CUES,
    PLACE_CUES,
    ROLE_CUES,
    SUFFIX_WORDS,
    SYNONYMS,
    TIME_WORDS,
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
    both roughly approximately about around altogether overall exactly approx itself figure
    figures statistic statistics stats data long big large far vs versus title job post
    position role""".split()
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
    nickname_links: tuple[Entry, ...]  # places named by a nickname ("the Mountain Pearl")
    unknown_places: tuple[str, ...]  # "Fakeville County": looks like a place, the corpus lacks it
    unknown_words: tuple[str, ...]  # words that occur nowhere in the corpus
    wants_type: str | None  # "district" in "which Eastport district ..."
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
    if has(("how much", "how many")):
        return "figure"  # "how much fiscal aid ...": aid is what is counted, not a pairing
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
    if people or has(TITLE_WORDS):
        return "person"  # "what does Zhang San do?", "Westvale vice mayor?"
    return "other"


# Words the lexicon knows are English, never typos to correct ("called" is not "Caile").
LEXICON_WORDS = frozenset(
    w
    for group in (
        SYNONYMS, *SYNONYMS.values(), DATE_CUES, FIGURE_CUES, NICKNAME_CUES, PAIRING_CUES,
        PERSON_CUES, PLACE_CUES, ROLE_CUES, TITLE_WORDS, QUESTION_FILLER, TIME_WORDS,
    )
    for phrase in group
    for w in phrase.split()
)  # fmt: skip
# Short words people mistype; corrected only towards these.
_QUESTION_WORDS = ("how", "who", "what", "when", "where", "which", "much", "many", "whose")
# A mistyped word is corrected to a corpus word only when this close (rapidfuzz ratio).
CORRECTION_SCORE = 85.0


def correct_typos(
    text: str,
    surface: frozenset[str],
    vocabulary: frozenset[str],
    stems: dict[str, str] | None = None,
) -> str:
    """Replace words the corpus lacks by a very close corpus word ("invsted" -> "invested").

    Capitalised words after the first are left alone: they are names, and an unknown name
    ("Fakeville") must stay unknown rather than become a known one. A typo keeps its first letter
    far more often than not, which also keeps real words ("carried") from turning into
    neighbours ("arrived")."""
    out = []
    tokens = re.split(r"(\s+)", text)
    for n, token in enumerate(tokens):
        bare = token.strip("?!.,;:\"'“”’()")
        low = bare.lower()
        known = not low or low in STOP_WORDS or any(t in vocabulary for t in analyze(low))
        # A word before "district"/"county" is a name: the gazetteer forgives its typos.
        before_type = n + 2 < len(tokens) and place_type_word(tokens[n + 2].strip("?!.,;:").lower())
        if known or low in LEXICON_WORDS or not bare.isalpha() or (n > 0 and bare[0].isupper()):
            out.append(token)
            continue
        best: tuple[str, float, int] | tuple[str] | None = None
        if len(low) <= 5:  # "hou", "wich", "whch": a mistyped question word
            cutoff = 66 if len(low) <= 4 else 80
            best = process.extractOne(low, _QUESTION_WORDS, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None and before_type:
            out.append(token)
            continue
        if best is None and len(low) >= 4:
            # Never into a place-type word: "count" is a word, not a mistyped "county".
            same_start = [w for w in surface if w[:1] == low[:1] and w not in SUFFIX_WORDS]
            best = process.extractOne(
                low, same_start, scorer=fuzz.ratio, score_cutoff=CORRECTION_SCORE
            )
        if best is None and len(low) >= 4:
            titles = [w for w in TITLE_WORDS if w[:1] == low[:1]]
            best = process.extractOne(low, titles, scorer=fuzz.ratio, score_cutoff=80)
        stem = analyze(low)[0] if analyze(low) else low
        if best is None and stems and len(stem) >= 5:
            # One edit away from a corpus word's stem: "invst" -> "invest" -> "invested".
            near = [s for s in stems if s[:1] == stem[:1] and abs(len(s) - len(stem)) <= 1]
            hit = process.extractOne(stem, near, scorer=Levenshtein.distance, score_cutoff=1)
            best = (stems[hit[0]],) if hit else None
        out.append(token.replace(bare, best[0]) if best else token)
    return "".join(out)


def parse_question(
    text: str,
    gazetteer: Gazetteer,
    vocabulary: frozenset[str],
    surface: frozenset[str] = frozenset(),
    stems: dict[str, str] | None = None,
) -> Question:
    """`vocabulary`: the corpus's index terms; `surface`: its words as written (for typos)."""
    english = to_english(text, gazetteer) if has_chinese(text) else text
    if surface:
        english = correct_typos(english, _typo_words(surface, gazetteer), vocabulary, stems)
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
        r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(county|district|city|province|prefecture|counties"
        r"|districts|cities|prefectures|provinces)\b",
        " ".join(q_words),
    )
    wants_type = None
    if wants:
        wants_type = {
            "counties": "county",
            "districts": "district",
            "cities": "city",
            "prefectures": "prefecture",
            "provinces": "province",
        }.get(wants[1], wants[1])
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


@lru_cache(maxsize=4096)
def related_words(word: str) -> tuple[str, ...]:
    """A question word's synonyms and the other words of its families ("avg", "average");
    kept per word, since every question looks its words up again."""
    return (
        *SYNONYMS.get(word, ()),
        *(w for f in WORD_FAMILIES if word in f for w in f if w != word),
    )


def _typo_words(surface: frozenset[str], gazetteer: Gazetteer) -> frozenset[str]:
    """`surface` and the gazetteer's keys, made once per corpus (kept on the gazetteer): the
    union cost 0.8 ms of every question at 100,000 passages."""
    made = gazetteer.__dict__.get("_typo_words")
    if made is None or made[0] is not surface or made[1] != len(gazetteer.entries):
        made = (surface, len(gazetteer.entries), surface | frozenset(gazetteer.entries))
        gazetteer.__dict__["_typo_words"] = made
    return made[2]


def _synonym_known(word: str, vocabulary: frozenset[str]) -> bool:
    """A synonym, or another word of the same family, is in the corpus."""
    return any(t in vocabulary for other in related_words(word) for t in analyze(other))


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


@lru_cache(maxsize=1)
def _filler_terms() -> frozenset[str]:
    return frozenset(t for w in QUESTION_FILLER for t in analyze(w))


def content_terms(question: Question) -> list[str]:
    """Index terms of the words that say what is asked (no filler, no names, no cue words)."""
    filler = _filler_terms()
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
        if i in q.name_positions or word in QUESTION_FILLER:
            continue
        own = [t for t in analyze(word) if t not in skip]
        if not own or set(own) <= terms:
            continue
        if any(set(analyze(s)) & terms for s in related_words(word)):
            continue
        left.append(word)
    return left
