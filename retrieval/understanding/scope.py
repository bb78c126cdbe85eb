"""Scoping a question to the documents that mention what it names.

A question that names a place or person is answered only from documents that mention it: a
figure or an official from another release is never the answer. A name the corpus never
mentions means the corpus cannot answer at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pearlbot.corpus.divisions import division_types
from pearlbot.corpus.vocabulary import PLACE_TYPE_WORDS
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.search.analyzer import STOP_WORDS, words
from pearlbot.retrieval.understanding.chinese import is_pinyin_word
from pearlbot.retrieval.understanding.question import QUESTION_FILLER, Question

# Words after which an unknown word is a name, not a typo: "the mayor of Bijie".
_NAME_BEFORE = frozenset({"of", "in", "to", "from", "with"})
_CAPITAL_WORD = re.compile(r"(?<![\w'’])([A-Z][a-z]+(?:['’-][a-z]+)?)")
# Capitalised words that start questions or are titles, never names to scope by.
_NOT_NAMES = frozenset(
    """what which who whom whose when where why how is are was were does do did has have had can
    could will would should tell name list give show please the a an in of and or but mayor
    secretary governor director deputy vice party chief chairman president head member
    county district city province town village prefecture region autonomous cpc""".split()
)


def place_like_words(kb: KnowledgeBase) -> frozenset[str]:
    """Lower-cased words the corpus writes where places stand (KnowledgeBase.place_words)."""
    return kb.place_words


@dataclass(frozen=True)
class Scope:
    """`docs`: the documents that may answer (None: any); `missing`: names no document has."""

    docs: frozenset[str] | None
    names: tuple[str, ...]
    missing: tuple[str, ...]

    def allows(self, doc_id: str) -> bool:
        return self.docs is None or doc_id in self.docs


def _docs_naming(kb: KnowledgeBase, name: str) -> frozenset[str]:
    tokens = [t for t in words(name) if t not in PLACE_TYPE_WORDS] or words(name)
    found: frozenset[str] | None = None
    for token in tokens:
        docs = kb.docs_with(token)
        found = docs if found is None else found & docs
    return found or frozenset()


def question_names(kb: KnowledgeBase, q: Question) -> list[str]:
    """What the question names: linked places and people, capitalised words, and unknown words
    in a name's position ("the mayor of bijie")."""
    names = [e.name for e in (*q.places, *q.people, *q.nickname_links)]
    linked = {t for n in names for t in words(n)}
    for match in _CAPITAL_WORD.finditer(q.english):
        word = match[1]
        if match.start() == 0 or word.casefold() in _NOT_NAMES or word.casefold() in linked:
            continue
        if word.casefold() in STOP_WORDS or word.casefold() in QUESTION_FILLER:
            continue
        names.append(word)
    for i, word in enumerate(re.sub(r"(?:'s|’s)$", "", w) for w in q.words):
        if i in q.name_positions or word in linked or word in _NOT_NAMES or word in STOP_WORDS:
            continue
        if (
            word in kb.proper_words
            and word not in QUESTION_FILLER
            and len(word) >= 3  # given names are often three letters (Wen, Hao)
            and (
                is_pinyin_word(word) or word in kb.gazetteer.entries or word in place_like_words(kb)
            )
        ):
            names.append(word)
            continue
        if word not in q.unknown_words:
            continue
        if len(word) >= 4 and division_types().get(word.capitalize()) in ("province", "city"):
            names.append(word)  # "does tianjin help X?": a province or prefecture by its name
            continue
        before = q.words[i - 1] if i else ""
        after = q.words[i + 1] if i + 1 < len(q.words) else ""
        if before in _NAME_BEFORE and (after in PLACE_TYPE_WORDS or i + 1 >= len(q.words)):
            names.append(word)
    unique: dict[str, str] = {}
    for name in names:  # one entry per name, as first written
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


# A distinctive number the question names ("the 913 projects", "the 6th conference") anchors
# it to the releases that state it; years are what questions ask about, not anchors.
_YEAR_WORD = re.compile(r"^(?:19|20)\d\d$")


# "the 913 projects", "Eastport's 913 projects", "the 6th conference".
_ANCHORED_NUMBER = re.compile(
    r"\b(?:the|those|these|[A-Za-z]+(?:'s|’s))\s+(\d{2,}|\d+(?:st|nd|rd|th))\b"
    r"|\b(\d+(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)


def _number_anchors(q: Question) -> list[str]:
    """Numbers the question uses as a reference ("the 913 projects", "X's 913 projects", "the
    6th conference"), not as a value it states or asks about ("invested 900 million")."""
    found = [m[1] or m[2] for m in _ANCHORED_NUMBER.finditer(q.english)]
    return [n.casefold() for n in found if not _YEAR_WORD.match(n)]


def scope_question(kb: KnowledgeBase, q: Question) -> Scope:
    """The documents that mention every name the question names, and the names none mention."""
    names = question_names(kb, q) + _number_anchors(q)
    if not names:
        return Scope(None, (), ())
    docs: frozenset[str] | None = None
    missing = []
    for name in names:
        found = _docs_naming(kb, name)
        if not found:
            missing.append(name)
            continue
        docs = found if docs is None else docs & found
    return Scope(docs, tuple(names), tuple(missing))
