"""The type of answer a question expects: a person, a place, an amount of money, a date, ...

This is the first step of the classic open-domain QA pipeline (question analysis -> expected
answer type -> passage retrieval -> candidate extraction by type -> ranking). The rules are an
ordered table: the first rule whose pattern matches the question decides.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from pearlbot.corpus.vocabulary import MONEY_NOUNS, ORGANISATION_HEADS, PLACE_TYPE_PLURALS

AnswerType = Literal[
    "help",
    "about",
    "credit",
    "author",
    "comparison",
    "yesno",
    "duration",
    "date",
    "weekday",
    "percent",
    "money",
    "count",
    "title",
    "organisation",
    "kind",
    "place",
    "person",
    "other",
]

_PLACE_TYPES = "|".join(
    [*PLACE_TYPE_PLURALS, *PLACE_TYPE_PLURALS.values(), "prefecture", "region", "place", "places"]
)
_ORGS = "|".join(ORGANISATION_HEADS)
_MONEY = "|".join(MONEY_NOUNS)

# Ordered: the first match wins. Precedence, from the top: requests about the bot or the
# article itself; yes/no and comparisons (their shape decides, not their words); then the most
# specific wh-phrases ("how much ... percent" is a percentage; "how many yuan" is money).
EXPECTED_TYPE_RULES: Final[tuple[tuple[AnswerType, re.Pattern[str]], ...]] = (
    ("help", re.compile(r"^\W*/?(?:help|usage|commands|what can you do)\W*$")),
    (
        "about",
        re.compile(
            r"\b(?:what(?:'s| is| was)? (?:this|the) (?:article|story|release|news|piece|report)"
            r"(?: \w+){0,2} about|summar(?:y|ise|ize)|main (?:point|idea|topic)|gist|headline"
            r"|what(?:'s| is) (?:this|it) about)\b"
        ),
    ),
    (
        "credit",
        re.compile(
            r"\b(?:photo|photos|picture|pictures|image|images|photograph\w*)\b.*"
            r"\b(?:took|take|taken|credit|by|who)\b|\bphoto credit\b|\bwho (?:took|shot) the\b"
        ),
    ),
    (
        "author",
        re.compile(
            r"\b(?:who (?:wrote|authored|reported)|author|byline|reporter|writer|who is the editor"
            r"|editor)\b"
        ),
    ),
    # "which province's delegation ... when he visited": the opening wh-phrase decides.
    (
        "place",
        re.compile(
            r"^(?:which|what)(?:'s| is| was)? (?:\w+ )?(?:province|provinces|city|cities|county"
            r"|counties|district|districts|prefecture|town|township|village|region)(?:'s)?\b"
        ),
    ),
    (
        "comparison",
        re.compile(
            r"\b(?:which|what) (?:is|was|one is|was) (?:bigger|larger|greater|higher|more|smaller"
            r"|less|lower|fewer)\b|\b(?:bigger|larger|greater|higher|more|smaller|less|lower"
            r"|fewer) than\b|\bcompare\b|\b(?:more|less) (?:on|to|for|in) .+ or (?:on|to|for|in)\b"
        ),
    ),
    (
        "yesno",
        re.compile(
            r"^(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would|should)\b"
            r"(?! (?:there|it) (?:any|a|an)? ?(?:how|what|when|where|who|which)\b)"
        ),
    ),
    ("duration", re.compile(r"\bhow long\b|\bfor how many (?:years|months|days)\b")),
    (
        "date",
        re.compile(
            r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|year|month)\b"
            r"|\bsince when\b|\bwhat dates\b"
        ),
    ),
    # "how much did incomes grow": a change, stated as a rate more often than as an amount.
    (
        "percent",
        re.compile(
            r"\bhow much\b.*\b(?:grow|grew|grown|rise|rose|risen|increase|increased|fall|fell"
            r"|drop|dropped|decline|declined|go up|went up)\b"
        ),
    ),
    (
        "percent",
        re.compile(
            r"\b(?:percent|percentage|per cent|proportion|share|rate|ratio)\b|%|\bby how much\b"
        ),
    ),
    (
        "money",
        re.compile(
            r"\bhow (?:many|much)\b(?:\s+\w+){0,3}?\s+(?:funds?|funding|money|yuan|rmb|dollars"
            r"|capital|donations?|budget)\b"
        ),
    ),
    (
        "money",
        re.compile(
            rf"\bhow much\b|\bhow many (?:yuan|dollars|rmb)\b|\bwhat (?:amount|sum)\b"
            rf"|\b(?:{_MONEY})\b.*\b(?:worth|amount|total)\b"
            rf"|^(?:the\s+)?total\b.*\b(?:{_MONEY})\b"
        ),
    ),
    ("count", re.compile(r"\bhow many\b|\bnumber of\b|\bcount of\b")),
    (
        "title",
        re.compile(
            r"\b(?:what|which) (?:is|was|are|were) (?:\w+(?:'s|’s)?\s+){1,4}"
            r"(?:title|titles|job|position|post|role|office)\b"
            r"|\b(?:title|job|position|post|role) of\b|\bwhat does \w+(?: \w+)? do\b"
            r"|(?:'s|s) (?:job|jobs|title|titles|position|positions|post|posts|role|roles)\b"
            r"|\b(?:what|which) (?:position|positions|post|posts|title|titles|job|jobs|role|roles"
            r"|office|offices)\b"
        ),
    ),
    ("organisation", re.compile(rf"\b(?:which|what) (?:\w+ )?(?:{_ORGS})\b")),
    # "what kind of plantation ...", "what tea is grown ...": a thing named by its modifier.
    ("kind", re.compile(r"\bwhat (?:kind|kinds|type|types|sort|sorts) of \w+")),
    (
        "place",
        re.compile(
            rf"\bwhere\b|\b(?:which|what) (?:\w+ ){{0,2}}(?:{_PLACE_TYPES})\b"
            r"|\bin which (?:\w+ )?(?:province|city|county|region)\b"
        ),
    ),
    (
        "place",
        re.compile(
            r"\bwho\s+(?:(?:is|are|was|were|has|have|had)\s+(?:\w+\s+)?|(?:does|do|did|will)\s+"
            r"[\w']+(?:\s+[\w']+)?\s+)?(?:pair|pairs|paired|pairing|partner|partners|partnered|help|helps|helped"
            r"|assist|assists|assisted|support|supports|supported|aid|aids|aided|twinned)\b"
        ),
    ),
    (
        "person",
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhose\b|\b(?:which|what) (?:\w+ )?(?:official|officials|leader"
            r"|leaders|person|people|mayor|secretary|governor|director|chief)\b|\bname of the\b"
        ),
    ),
)


def expected_type(english: str) -> AnswerType:
    """The answer type an English question asks for ("other" when no rule matches)."""
    text = " ".join(english.casefold().replace("’", "'").split())
    for answer_type, pattern in EXPECTED_TYPE_RULES:
        if pattern.search(text):
            return answer_type
    return "other"
