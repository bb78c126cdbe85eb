"""The rule that keeps extraction general: no name or figure of a corpus article in the code."""

from __future__ import annotations

import re

from pearlbot.corpus import load_corpus
from pearlbot.corpus.facts import extract_facts
from pearlbot.corpus.vocabulary import PROVINCE_SIDES
from tests.conftest import EVAL, EVAL_ARTICLES, ROOT, SEED_FILE

CODE = [p for d in ("corpus", "retrieval") for p in (ROOT / d).rglob("*.py")]


def _article_names_and_numbers() -> set[str]:
    # The blind set stays unseen until the final check; the rest are what the code met.
    folders = [EVAL_ARTICLES, EVAL / "holdout" / "articles", EVAL / "real" / "articles"]
    corpus = load_corpus([SEED_FILE, *(f for f in folders if f.is_dir())])
    found: set[str] = set()
    for doc in corpus.documents:
        for fact in extract_facts(doc, list(corpus.passages)):
            if fact.kind == "place":
                found.add(re.sub(r" (County|District|Province|City)$", "", fact.name))
                if fact.nickname:
                    found.add(fact.nickname)
            elif fact.kind == "person":
                found.add(fact.name)
            elif fact.kind == "figure" and fact.text[0].isdigit():
                number = re.match(r"[\d,.]+", fact.text)[0]
                # Round numbers (300, 1,000) occur in any code; the others identify an article.
                if float(number.replace(",", "")) % 100:
                    found.add(number)
    # The provinces on each side of East-West assistance are the genre's vocabulary
    # (corpus/vocabulary.py PROVINCE_SIDES), named in every article of it, not one article's facts.
    found -= set(PROVINCE_SIDES)
    return {n for n in found if len(n) >= (3 if n[0].isdigit() else 4)}


def test_names_and_figures_of_articles_are_not_in_extraction_or_answering_code():
    names = _article_names_and_numbers()
    assert {"Wuxi", "Minhe", "Xinwu", "Li Xiaomin", "503", "Taihu Pearl"} <= names
    offenders = []
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        for name in names:
            # Names as written (case matters: "Min" the county is not "min()").
            flags = 0 if name[0].isalpha() else re.IGNORECASE
            if re.search(rf"(?<![\w.,]){re.escape(name)}(?![\w])", text, flags):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders
