"""Make a corpus of a few hundred coherent articles by varying the project's test articles.

    .venv/bin/python -m bench.generate_articles                # 300 articles -> bench/out/generated
    .venv/bin/python -m bench.generate_articles --count 600 --seed 7 --out bench/out/g7
    .venv/bin/pearlbot eval bench/out/generated/questions.jsonl   # seeds + generated articles

Sources are the seed articles and eval/articles/*.txt, grouped into families by city pair
(`<east>-<west>-<date>.txt`). One variant rewrites every article of a family with one
consistent substitution: each place, person and nickname gets an invented name used nowhere
else in the output, every figure is scaled by one factor (so orders, shares and subsets
still hold), every date moves by the same number of years and days. Questions about the
family in eval/questions.jsonl are rewritten the same way and kept only if they name a renamed
place, person or nickname (otherwise every variant answers them differently) and their answers
and gold passage are still found in the generated text; manifest.json records each mapping.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script too, not only with -m

from pearlbot.corpus.articles import date_line  # noqa: E402
from pearlbot.seeds import seeds_path  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "out" / "generated"
DEFAULT_SOURCES = (seeds_path(), ROOT / "eval" / "articles")
DEFAULT_QUESTIONS = ROOT / "eval" / "questions.jsonl"
# Questions whose wording cannot follow an English substitution.
SKIPPED_TAGS = frozenset({"chinese", "typo"})

MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?" \
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # fmt: skip
# Cities that set the nickname pattern: `"Taihu Pearl" Wuxi`.
_NICKNAME = re.compile(r"[\"“]([A-Z][^\"“”\n]{2,40})[\"”]\s+(?:of\s+)?([A-Z][a-z]+(?:['’][a-z]+)?)")
_PLACE_TYPES = (
    r"District|County|City|Town|Township|Village|village|town|Prefecture|Municipal"
    r"|Province|Provincial|Autonomous County|Hui Autonomous Prefecture"
)
_BASE = r"[A-Z][a-z]+(?:['’][a-z]+)?"
_PLACE = re.compile(rf"\b({_BASE}) (?:{_PLACE_TYPES})\b")
_PROVINCE = re.compile(rf"\b({_BASE}) (?:Province|Provincial)\b")
_TITLE_AFTER_NAME = r",\s+(?:the\s+)?(?:Secretary|Deputy|Vice|Mayor|Director|Governor|President" \
    r"|Member|Chairman|Chairwoman|head|general manager|a\s)"  # fmt: skip
# In a lookahead so that "Province Li Xiaomin" still finds "Li Xiaomin" (overlapping matches).
_PERSON = re.compile(rf"(?=\b({_BASE}) ({_BASE})\b({_TITLE_AFTER_NAME})?)")

SURNAMES = frozenset(
    """li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo ma luo liang
    song zheng xie han tang feng yu dong xiao cheng cao yuan deng fu shen zeng peng su lu jiang
    cai jia ding wei xue ye yan pan du dai xia zhong tian ren fan fang shi yao tan liao zou xiong
    jin hao kong bai cui kang mao qiu qin gu hou shao meng long wan duan lei qian yin yi chang
    qiao lai gong wen niao qi""".split()
)
EAST_PROVINCES = ("Jiangsu", "Zhejiang", "Fujian", "Shandong", "Guangdong", "Liaoning")
WEST_PROVINCES = ("Qinghai", "Gansu", "Shaanxi", "Guizhou", "Yunnan", "Sichuan", "Ningxia")
# English words that happen to spell pinyin ("Lake" = la + ke) are never names here.
ENGLISH = frozenset(
    """lake river sea mountain park road street avenue bay island city county district town
    village school hospital university centre center daily hall plant garden farm long man
    sun fan pin gang bang hang tang hen men then when than one gone none same came name game
    more core here there where chain china yellow taihu new each the and""".split()
)
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo"
    r"|ue|ui|er|a|o|e|i|u))+"
)
SYLLABLES = (
    "an bai bao bei bin cai chang chen cheng chun da dan de dong du fang feng fu gao guang gui"
    " hai han hao he heng hong hua huai hui jia jian jiang jin jing jun kai kang lan lang le li"
    " lian liang lin ling long lu luo mei meng min ming mu nan ning pan ping pu qi qian qiao qing"
    " quan rong rui sha shan shang shen sheng shi shu shun song tai tang tian ting tong wan wei"
    " wen xi xia xian xiang xin xing xiu xu ya yan yang yao ye yi ying yong you yu yuan yue yun"
    " ze zhang zhao zhen zheng zhi zhong zhou zi zong"
).split()
NICK_ADJECTIVES = (
    "Jade Silver Golden Crystal Emerald Azure Crimson Misty Spring Autumn Northern Southern"
    " Eastern Western Ancient Green Blue Snowy Sunny Quiet Silk Pearl Lotus Bamboo Cloud"
).split()
NICK_NOUNS = (
    "Crane Lake Pearl Gate Valley Terrace Garden Harbour Bridge Plateau Meadow River Peak"
    " Island Spring Orchard Pavilion Lantern Phoenix Citadel Grove Bay Summit Oasis"
).split()


def is_pinyin(word: str) -> bool:
    parts = re.split(r"['’]", word.lower())
    return all(_PINYIN.fullmatch(p) for p in parts) and word.lower() not in ENGLISH


@dataclass(frozen=True)
class Source:
    stem: str
    text: str
    east: str
    west: str
    released: dt.date


@dataclass(frozen=True)
class Entities:
    """The names in a family of articles that a variant renames."""

    places: frozenset[str]
    provinces: frozenset[str]
    people: frozenset[str]
    nicknames: frozenset[str]


def find_entities(texts: Iterable[str], cities: Iterable[str]) -> Entities:
    places: set[str] = set(cities)
    provinces: set[str] = set()
    people: set[str] = set()
    nicknames: set[str] = set()
    for text in texts:
        for match in _NICKNAME.finditer(text):
            nicknames.add(match[1])
        unquoted = re.sub(r"[\"“][^\"“”\n]*[\"”]", " ", text)
        provinces |= {m[1] for m in _PROVINCE.finditer(unquoted) if is_pinyin(m[1])}
        provinces |= {p for p in (*EAST_PROVINCES, *WEST_PROVINCES) if p in unquoted}
        places |= {m[1] for m in _PLACE.finditer(unquoted) if is_pinyin(m[1]) and len(m[1]) >= 4}
        for match in _PERSON.finditer(unquoted):
            surname, given = match[1], match[2]
            known = surname.lower() in SURNAMES or match[3]
            if known and is_pinyin(given) and len(surname) <= 5:
                people.add(f"{surname} {given}")
    places -= provinces
    people = {p for p in people if not set(p.split()) & places}
    return Entities(
        frozenset(places), frozenset(provinces), frozenset(people), frozenset(nicknames)
    )


@dataclass
class NameMaker:
    """Invented names, each used once across the whole output and never a source name."""

    rng: random.Random
    used: set[str] = field(default_factory=set)
    # Names of the variant being made: none may contain another, or the eval's substring
    # checks (`must_not_contain`) would confuse "Wanyi" with "Wanyiya".
    variant: set[str] = field(default_factory=set)

    def new_variant(self, keep: Iterable[str] = ()) -> None:
        self.variant = {name.casefold() for name in keep}

    def _fresh(self, make: Callable[[], str]) -> str:
        for _ in range(10_000):
            name = make()
            folded = name.casefold()
            if folded in self.used or any(folded in n or n in folded for n in self.variant):
                continue
            self.used.add(folded)
            self.variant.add(folded)
            return name
        raise RuntimeError("ran out of invented names; use fewer articles")

    def place(self) -> str:
        return self._fresh(
            lambda: "".join(
                self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 2, 3)))
            ).capitalize()
        )

    def person(self) -> str:
        def make() -> str:
            surname = self.rng.choice(sorted(SURNAMES)).capitalize()
            syllables = self.rng.choice((1, 2, 2))
            return f"{surname} {''.join(self.rng.choice(SYLLABLES) for _ in range(syllables))}"

        return self._fresh(lambda: " ".join(part.capitalize() for part in make().split()))

    def nickname(self) -> str:
        return self._fresh(
            lambda: f"{self.rng.choice(NICK_ADJECTIVES)} {self.rng.choice(NICK_NOUNS)}"
        )


def _match_case(source: str, new: str) -> str:
    if source.islower():
        return new.lower()
    if source.isupper():
        return new.upper()
    return new


def _shift_date(date: dt.date, years: int, days: int) -> dt.date:
    try:
        moved = date.replace(year=date.year + years)
    except ValueError:  # 29 February in a year that has none
        moved = date.replace(year=date.year + years, day=28)
    return moved + dt.timedelta(days=days)


def _month_number(name: str) -> int:
    return next(
        n for n, month in enumerate(MONTHS, 1) if month.lower().startswith(name[:3].lower())
    )


@dataclass(frozen=True)
class Substitution:
    """One variant's consistent rewrite: names, a factor for figures, a shift for dates."""

    names: dict[str, str]  # casefolded source name -> invented name
    factor: float
    years: int
    days: int

    def _pattern(self) -> re.Pattern[str]:
        names = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        end = r"(?!\w)(?!['’](?!s\b)\w)"  # "Linxia's" renames Linxia; "Zhen'an" is one name
        return re.compile(
            rf"(?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)"
            rf"|(?P<mdy>\b(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})\b)"
            rf"|(?P<dmy>\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})\b)"
            rf"|(?P<md>\b(?P<m3>{_MONTH})\.?\s+(?P<d3>\d{{1,2}})\b(?!,?\s*\d))"
            rf"|(?P<dm>\b(?P<d4>\d{{1,2}})\s+(?P<m4>{_MONTH})\b)"
            rf"|(?P<my>\b(?P<m5>{_MONTH})\s+(?P<y5>\d{{4}})\b)"
            + (rf"|(?P<name>(?<![\w'’])(?:{names}){end})" if names else "")
            + r"|(?P<year>(?<![\w.,])(?:19[5-9]\d|20[0-4]\d)(?![\w]|,\d|\.\d))"
            r"|(?P<num>(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|,\d|\.\d))",
            re.IGNORECASE,
        )

    def apply(self, text: str, year: int) -> str:
        """Rewrite `text`; `year` places month-day dates ("August 6") in time."""
        pattern = self._pattern()

        def full(date: dt.date) -> dt.date:
            return _shift_date(date, self.years, self.days)

        def replace(m: re.Match[str]) -> str:
            try:
                if m["iso"]:
                    return full(dt.date(int(m["iy"]), int(m["im"]), int(m["id"]))).isoformat()
                if m["mdy"]:
                    d = full(dt.date(int(m["y1"]), _month_number(m["m1"]), int(m["d1"])))
                    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
                if m["dmy"]:
                    d = full(dt.date(int(m["y2"]), _month_number(m["m2"]), int(m["d2"])))
                    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
                if m["md"]:
                    d = full(dt.date(year, _month_number(m["m3"]), int(m["d3"])))
                    return f"{MONTHS[d.month - 1]} {d.day}"
                if m["dm"]:
                    d = full(dt.date(year, _month_number(m["m4"]), int(m["d4"])))
                    return f"{d.day} {MONTHS[d.month - 1]}"
            except ValueError:
                return m[0]  # "February 30" stays as written
            if m["my"]:
                return f"{m['m5']} {int(m['y5']) + self.years}"
            if m["name"]:
                return _match_case(m["name"], self.names[m["name"].casefold()])
            if m["year"]:
                return str(int(m["year"]) + self.years)
            return self._number(m["num"], text[m.end() : m.end() + 10])

        return pattern.sub(replace, text)

    def _number(self, written: str, after: str) -> str:
        value = float(written.replace(",", ""))
        decimals = len(written.split(".")[1]) if "." in written else 0
        if value < 13 and not decimals:
            return written  # small counts match lists in the text ("six counties")
        new = value * self.factor
        if re.match(r"\s*(?:%|percent|per cent)", after, re.IGNORECASE):
            new = min(new, 99.9 if decimals else 99)
        if not decimals:
            digits = len(str(int(value)))
            keep = min(digits, 3)  # as many significant digits as a release would print
            new = round(new, keep - len(str(int(new))))
            return f"{int(new):,}" if "," in written or new >= 10_000 else str(int(new))
        return f"{new:,.{decimals}f}" if "," in written else f"{new:.{decimals}f}"


def _released(text: str) -> dt.date:
    for line in text.splitlines()[1:6]:
        is_date, date = date_line(line)
        if is_date and date:
            return date
    raise ValueError("no Release time line")


def load_sources(paths: Iterable[Path]) -> dict[tuple[str, str], list[Source]]:
    """Source articles grouped by city pair, from files named `<east>-<west>-<date>.txt`."""
    families: dict[tuple[str, str], list[Source]] = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(root.glob("*.txt"))
        for file in files:
            match = re.fullmatch(r"([a-z]+)-([a-z]+)-\d{4}-\d{2}-\d{2}", file.stem)
            if not match:
                print(f"skipping {file}: not named <east>-<west>-<date>.txt", file=sys.stderr)
                continue
            text = file.read_text(encoding="utf-8")
            east, west = match[1].capitalize(), match[2].capitalize()
            source = Source(file.stem, text, east, west, _released(text))
            families.setdefault((east, west), []).append(source)
    return families


def make_substitution(entities: Entities, rng: random.Random, maker: NameMaker) -> Substitution:
    names: dict[str, str] = {}
    east = rng.sample(EAST_PROVINCES, len(EAST_PROVINCES))
    west = rng.sample(WEST_PROVINCES, len(WEST_PROVINCES))
    for province in sorted(entities.provinces):
        pool = east if province in EAST_PROVINCES else west
        names[province.casefold()] = pool.pop(0) if pool else province
    maker.new_variant(names.values())
    for place in sorted(entities.places):
        names[place.casefold()] = maker.place()
    for person in sorted(entities.people):
        names[person.casefold()] = maker.person()
    for nickname in sorted(entities.nicknames):
        names[nickname.casefold()] = maker.nickname()
    return Substitution(
        names=names,
        factor=round(rng.uniform(0.55, 1.9), 3),
        years=rng.choice((-3, -2, -1, 1, 2, 3, 4)),
        days=rng.randint(-12, 12),
    )


def _rewrite_question(
    question: dict, sub: Substitution, year: int, doc: str, article: str, family: str
) -> dict | None:
    """The question for the generated article, or None if it can no longer be checked.

    The gold passage must be in the article itself; answers may be in any article of the
    family (questions tagged multi-doc or latest draw on two releases).
    """
    new = dict(question)
    new["question"] = sub.apply(question["question"], year)
    for key in ("answers_any", "answers_all", "must_not_contain"):
        new[key] = [sub.apply(a, year) for a in question[key]]
    if question["gold_passage"]:
        new["gold_passage"] = sub.apply(question["gold_passage"], year)
    new["doc"] = doc
    flat = " ".join(article.split()).casefold()
    if new["gold_passage"] and " ".join(new["gold_passage"].split()).casefold() not in flat:
        return None
    everywhere = " ".join(family.split()).casefold()
    if any(a.casefold() not in everywhere for a in new["answers_all"]):
        return None
    if new["answers_any"] and not any(a.casefold() in everywhere for a in new["answers_any"]):
        return None
    answers = {a.casefold() for a in new["answers_any"] + new["answers_all"]}
    if any(bad.casefold() in answers for bad in new["must_not_contain"]):
        return None
    return new


def generate(
    count: int,
    out: Path,
    seed: int = 1,
    sources: Iterable[Path] = DEFAULT_SOURCES,
    questions: Path | None = DEFAULT_QUESTIONS,
) -> dict:
    """Write `count` articles (whole families, so up to one family more) and their questions."""
    families = load_sources(sources)
    if not families:
        raise SystemExit("no source articles named <east>-<west>-<date>.txt")
    asked: dict[str, list[dict]] = {}
    if questions and questions.is_file():
        for line in questions.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                q = json.loads(line)
                if q.get("doc") and not SKIPPED_TAGS & set(q.get("tags", ())):
                    asked.setdefault(q["doc"], []).append(q)
    rng = random.Random(seed)
    maker = NameMaker(random.Random(seed + 1))
    entities = {
        pair: find_entities((s.text for s in family), pair) for pair, family in families.items()
    }
    for found in entities.values():
        maker.used |= {n.casefold() for n in (*found.places, *found.people, *found.nicknames)}
    if out.exists() and any(out.iterdir()):
        if not (out / "manifest.json").is_file():
            raise SystemExit(f"{out} is not empty and holds no manifest.json; not overwriting it")
        shutil.rmtree(out)  # a previous run's output
    (out / "articles").mkdir(parents=True)
    (out / "manifest.json").write_text("[]\n")  # marks the folder as ours from the start
    manifest: list[dict] = []
    rewritten: list[dict] = []
    dropped = {"unchecked": 0, "unanchored": 0}
    variant = 0
    pairs = sorted(families)
    while len(manifest) < count:
        pair = pairs[variant % len(pairs)]
        variant += 1
        sub = make_substitution(entities[pair], rng, maker)
        anchors = (*entities[pair].places, *entities[pair].people, *entities[pair].nicknames)
        names_pattern = r"\b(?:" + "|".join(re.escape(n) for n in anchors) + r")\b"
        east, west = (sub.names[c.casefold()] for c in pair)
        texts = [sub.apply(source.text, source.released.year) for source in families[pair]]
        for source, text in zip(families[pair], texts, strict=True):
            year = source.released.year
            released = _shift_date(source.released, sub.years, sub.days)
            stem = f"{east}-{west}-{released.isoformat()}".lower()
            (out / "articles" / f"{stem}.txt").write_text(text, encoding="utf-8")
            manifest.append(
                {
                    "article": f"articles/{stem}.txt",
                    "source": source.stem,
                    "variant": variant,
                    "names": {k: v for k, v in sub.names.items()},
                    "factor": sub.factor,
                    "years": sub.years,
                    "days": sub.days,
                }
            )
            for question in asked.get(source.stem, []):
                # A question naming no renamed place or person matches every variant alike.
                named = re.search(names_pattern, question["question"], re.IGNORECASE)
                new = _rewrite_question(question, sub, year, stem, text, "\n".join(texts))
                if new is None or not named:
                    dropped[("unchecked" if new is None else "unanchored")] += 1
                    continue
                new["id"] = f"{question['id']}@{variant}"
                rewritten.append(new)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    with (out / "questions.jsonl").open("w", encoding="utf-8") as file:
        for question in rewritten:
            file.write(json.dumps(question, ensure_ascii=False) + "\n")
    return {"articles": len(manifest), "questions": len(rewritten), "dropped": dropped}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300, help="articles to write (default 300)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="emptied, then written")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--source",
        type=Path,
        action="append",
        help="article file or folder (repeatable; default: the seeds and eval/articles)",
    )
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    args = parser.parse_args(argv)
    summary = generate(
        args.count, args.out, args.seed, args.source or DEFAULT_SOURCES, args.questions
    )
    dropped = summary["dropped"]
    print(
        f"{summary['articles']} articles and {summary['questions']} questions in {args.out};"
        f" rewritten questions dropped: {dropped['unanchored']} name no renamed place or person"
        f" (ambiguous across variants), {dropped['unchecked']} no longer checkable in the text"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
