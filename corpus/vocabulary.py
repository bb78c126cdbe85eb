"""The genre's vocabulary, in one place: what extraction and question understanding both read.

Counterpart-assistance releases, whoever writes them, name the same things: months, place types,
officials' titles, what officials did at an event, and how one place is said to help another.
A new word for any of these is added here, once.
"""

from __future__ import annotations

from typing import Final, Literal

MONTHS: Final[dict[str, int]] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH_NAMES: Final[tuple[str, ...]] = tuple(
    "January February March April May June July August September October November December".split()
)

# Place-type words, in either case ("Eastvale County", "Eastvale county"), and the type each means.
# Longest first, so "Autonomous County" is read before "County".
PLACE_TYPE_WORDS: Final[dict[str, str]] = {
    "autonomous prefecture": "city",
    "autonomous county": "county",
    "autonomous region": "province",
    "province": "province",
    "prefecture": "city",
    "city": "city",
    "district": "district",
    "county": "county",
    "township": "town",
    "town": "town",
    "village": "town",
    "new area": "district",
    "zone": "district",
}
# A place's rank in the administrative hierarchy: a larger number lies inside a smaller one.
PLACE_RANK: Final[dict[str, int]] = {
    "province": 0,
    "city": 1,
    "district": 2,
    "county": 2,
    "place": 2,
    "town": 3,
}
# Division names (corpus/data/china_divisions.tsv) that are also English words or other names
# a release uses bare: read as places only with a type word ("Guide County").
NOT_DIVISION_NAMES: Final[frozenset[str]] = frozenset(
    """Guide Mile Saga Lop Bole Anda Nima Mayi Dawa Bayan Xinhua Renmin Guangming Jiefang
    Heping Youyi Tiexi Xinxing Hongqi Gongjiang Minzhu Wenhua Jianshe""".split()
)
# Which side of East-West assistance and counterpart support each province-level division is
# on: the developed east sends aid, funds and cadres; the west and the northeast receive them
# (Tibet, Xinjiang and Qinghai's counterpart support included). Provinces on neither side are
# left out. Used to orient a pairing whose sentence does not say who helps whom.
Side = Literal["assisting", "assisted"]
PROVINCE_SIDES: Final[dict[str, Side]] = {
    **dict.fromkeys(
        "Beijing Tianjin Shanghai Jiangsu Zhejiang Fujian Shandong Guangdong Liaoning".split(),
        "assisting",
    ),
    **dict.fromkeys(
        [
            *"""Tibet Xinjiang Qinghai Gansu Ningxia Guizhou Yunnan Sichuan Guangxi Shaanxi
            Chongqing Hubei Hunan Jilin Heilongjiang Hebei Shanxi""".split(),
            "Inner Mongolia",
        ],
        "assisted",
    ),
}
# The place types a reference word stands for: "the city" may be a county-level city, "the
# prefecture" is a city. Read by the fact rules and by the answers that resolve references.
REFERENCE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "city": ("city", "county"),
    "province": ("province",),
    "county": ("county",),
    "district": ("district",),
    "prefecture": ("city",),
}
# Plural place types in questions ("which counties ...").
PLACE_TYPE_PLURALS: Final[dict[str, str]] = {
    "provinces": "province",
    "prefectures": "prefecture",
    "cities": "city",
    "districts": "district",
    "counties": "county",
    "townships": "township",
    "towns": "town",
    "villages": "village",
}

# Head words of officials' titles, lower-case: "Mayor", "deputy secretary", "Party chief".
TITLE_HEADS: Final[tuple[str, ...]] = (
    "secretary",
    "mayor",
    "governor",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "president",
    "head",
    "chief",
    "member",
    "minister",
    "commissioner",
    "leader",
    "secretary-general",
    "inspector",
    "manager",
    "dean",
    "principal",
    "officer",
    "official",
    "cadre",
    "magistrate",
    "commander",
    "vice-mayor",
    "vice-governor",
    "vice-chairman",
    "general manager",
)
# Peoples and languages, written capitalised but never places ("in Mongolian", "Tibetan herders").
ETHNIC_WORDS: Final[frozenset[str]] = frozenset(
    "chinese han tibetan mongolian uygur uyghur kazak kazakh kirgiz kyrgyz hui miao yi zhuang"
    " dong bouyei buyi tujia yao bai korean tajik salar tu english".split()
)
# Jobs that serve as titles in an apposition ("Zhao Liu, an Eastport doctor", "the chief
# planner of the bureau").
JOB_WORDS: Final[tuple[str, ...]] = (
    "planner",
    "doctor",
    "teacher",
    "engineer",
    "nurse",
    "expert",
    "volunteer",
    "technician",
    "researcher",
    "professor",
    "adviser",
    "advisor",
    "specialist",
    "reporter",
    "editor",
)
# Words that modify a title head: "deputy mayor", "executive vice governor".
TITLE_MODIFIERS: Final[tuple[str, ...]] = (
    "deputy",
    "vice",
    "executive",
    "acting",
    "former",
    "party",
    "standing",
    "chief",
    "senior",
    "general",
    "first",
    "assistant",
)
# Informal titles mapped to the formal title words they stand for. "Party chief" is the
# secretary of a Party committee: related, not the same words, so both are kept.
TITLE_EQUIVALENTS: Final[dict[str, tuple[str, ...]]] = {
    "party chief": ("party secretary", "secretary"),
    "party secretary": ("party chief", "secretary"),
    "party boss": ("party secretary", "secretary"),
    "vice mayor": ("deputy mayor",),
    "deputy mayor": ("vice mayor",),
    "vice governor": ("deputy governor",),
    "deputy governor": ("vice governor",),
}

# What a person did at the event, normalised to one role word.
ROLE_VERBS: Final[dict[str, str]] = {
    "led": "led",
    "headed": "led",
    "accompanied": "accompanied",
    "participated": "participated",
    "took part": "participated",
    "joined": "participated",
    "attended": "attended",
    "met with": "met",
    "met": "met",
    "visited": "visited",
    "inspected": "inspected",
    "presided": "presided",
    "chaired": "presided",
    "signed": "signed",
    "delivered": "spoke",
    "spoke": "spoke",
    "said": "spoke",
    "in the delegation": "participated",
    "gave a briefing": "spoke",
}

# One family of words for "A helps B": a question using any of them may be answered by a
# sentence using another ("which province assists Upland?" / "Eastport will deepen its support").
ASSISTANCE_WORDS: Final[tuple[str, ...]] = (
    "help",
    "helps",
    "helped",
    "helping",
    "assist",
    "assists",
    "assisted",
    "assisting",
    "assistance",
    "support",
    "supports",
    "supported",
    "supporting",
    "aid",
    "aids",
    "aided",
    "partner",
    "partners",
    "partnered",
    "partnership",
    "pair",
    "pairs",
    "paired",
    "pairing",
    "twinned",
    "counterpart",
    "cooperation",
    "cooperate",
    "collaboration",
)

# One family for putting money into a place: "invested" is answered by "put ... into".
INVESTMENT_WORDS: Final[tuple[str, ...]] = (
    "invest",
    "invested",
    "investing",
    "investment",
    "put",
    "poured",
    "allocated",
    "spent",
    "provided",
    "earmarked",
    "injected",
    "funded",
    "funds",
    "fund",
    "allocate",
    "allocating",
    "aside",  # "set aside"
)
# Sending people, however it is put.
SENDING_WORDS: Final[tuple[str, ...]] = (
    "send",
    "sends",
    "sent",
    "sending",
    "dispatch",
    "dispatched",
    "dispatching",
    "deploy",
    "deployed",
    "assign",
    "assigned",
    "second",
    "seconded",
)
# People sent or serving, however a release names them.
STAFF_WORDS: Final[tuple[str, ...]] = (
    "staff",
    "personnel",
    "cadres",
    "officials",
    "officers",
    "workers",
    "talents",
    "professionals",
)
# Irregular verbs the stemmer keeps apart ("send" / "sent"): each line is one verb's forms.
IRREGULAR_VERBS: Final[tuple[tuple[str, ...], ...]] = (
    ("spend", "spends", "spent", "spending"),
    ("lead", "leads", "led", "leading", "headed", "heads"),
    ("meet", "meets", "met", "meeting"),
    ("give", "gives", "gave", "given", "giving"),
    ("take", "takes", "took", "taken", "taking"),
    ("hold", "holds", "held", "holding"),
    ("build", "builds", "built", "building"),
    ("make", "makes", "made", "making"),
    ("find", "finds", "found", "finding"),
    ("bring", "brings", "brought", "bringing"),
    ("begin", "begins", "began", "begun", "beginning"),
    ("get", "gets", "got", "gotten", "getting"),
    ("buy", "buys", "bought", "buying"),
    ("sell", "sells", "sold", "selling"),
    ("raise", "raises", "raised", "raising"),
    ("lift", "lifts", "lifted", "lifting"),
    ("go", "goes", "went", "gone", "going"),
    ("come", "comes", "came", "coming"),
    ("run", "runs", "ran", "running"),
    ("set", "sets", "setting"),
    ("see", "sees", "saw", "seen", "seeing"),
    ("say", "says", "said", "saying"),
    ("teach", "teaches", "taught", "teaching"),
    ("grow", "grows", "grew", "grown", "growing"),
)
# When something began: "when did Eastport start helping Westvale" is answered by "since 2013",
# "launched in", "formed their pairing in".
BEGINNING_WORDS: Final[tuple[str, ...]] = (
    "start", "starts", "started", "starting", "begin", "began", "begun", "beginning", "since",
    "launch", "launched", "established", "formed", "first", "initiated", "kicked",
)  # fmt: skip
# Choosing, however put: "who picked Westvale" is answered by "designated", "selected".
CHOOSING_WORDS: Final[tuple[str, ...]] = (
    "pick", "picked", "choose", "chose", "chosen", "select", "selected", "designate",
    "designated", "name", "named", "identified", "assigned",
)  # fmt: skip
# A lower bound, however put: "the minimum" is "at least", "no less than", "not less than".
LEAST_WORDS: Final[tuple[str, ...]] = ("minimum", "least", "less")
# "per year" is "a year", "each year", "annually".
EVERY_WORDS: Final[tuple[str, ...]] = ("per", "each", "every", "annually", "annual", "yearly")
# A visiting party, however a newsroom names it.
DELEGATION_WORDS: Final[tuple[str, ...]] = (
    "delegation",
    "delegations",
    "contingent",
    "entourage",
    "team",
    "group",
    "visitors",
)
# Verbs that carry no meaning of their own in a question ("where did the money go?").
LIGHT_VERBS: Final[frozenset[str]] = frozenset(
    "go goes went gone going come comes came do does did done make makes"
    " made happen happened".split()
)
# Words that make a figure an intention, a plan or a target rather than a result: such a figure
# answers only a question that asks about intentions, plans or targets.
HEDGE_WORDS: Final[frozenset[str]] = frozenset(
    "intention intentions intended plan plans planned target targets targeted expected expects"
    " aim aims goal goals pledged pledge proposed potential".split()
)
# More of something, however put: "extra", "additional", "further", "fresh", "new".
MORE_WORDS: Final[tuple[str, ...]] = ("extra", "additional", "further", "fresh", "new", "another")
# Chat shorthands and their words.
SHORTHANDS: Final[tuple[tuple[str, ...], ...]] = (
    ("avg", "average"),
    ("ppl", "people", "persons"),
    ("govt", "government"),
    ("yrs", "years"),
    ("approx", "approximately"),
)
# Word families a question word may be answered by, in any member.
WORD_FAMILIES: Final[tuple[tuple[str, ...], ...]] = (
    ASSISTANCE_WORDS,
    INVESTMENT_WORDS,
    DELEGATION_WORDS,
    MORE_WORDS,
    BEGINNING_WORDS,
    CHOOSING_WORDS,
    LEAST_WORDS,
    EVERY_WORDS,
    *SHORTHANDS,
    SENDING_WORDS,
    STAFF_WORDS,
    *IRREGULAR_VERBS,
)

# Money: currency words and signs, and the scale words of amounts.
CURRENCY_WORDS: Final[tuple[str, ...]] = (
    "yuan", "rmb", "cny", "dollars", "us dollars", "euros", "hong kong dollars", "patacas",
)  # fmt: skip
CURRENCY_SIGNS: Final[tuple[str, ...]] = ("¥", "￥", "RMB", "CNY", "US$", "HK$", "MOP", "$")
SCALE_WORDS: Final[dict[str, float]] = {
    "hundred million": 1e8,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mln": 1e6,
    "m": 1e6,
    "k": 1e3,
}

# What questions ask for, by their cue words. See retrieval/understanding/expected.py.
MONEY_NOUNS: Final[tuple[str, ...]] = (
    "earmarked",
    "money",
    "fund",
    "funds",
    "funding",
    "invest",
    "invested",
    "investment",
    "investments",
    "yuan",
    "budget",
    "spent",
    "spend",
    "cost",
    "worth",
    "capital",
    "donation",
    "donations",
    "donated",
    "allocated",
    "aid",
    "assistance",
    "financial",
    "fiscal",
    "value",
    "output",
    "revenue",
    "income",
    "sales",
    "turnover",
    "raised",
)
ORGANISATION_HEADS: Final[tuple[str, ...]] = (
    "company",
    "companies",
    "co",
    "corporation",
    "corp",
    "group",
    "enterprise",
    "enterprises",
    "firm",
    "firms",
    "university",
    "college",
    "school",
    "hospital",
    "bank",
    "bureau",
    "committee",
    "department",
    "office",
    "association",
    "federation",
    "park",
    "institute",
    "center",
    "centre",
    "cooperative",
    "ltd",
    "factory",
    "base",
    "commission",
    "administration",
    "government",
    "congress",
)
