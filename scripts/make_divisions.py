"""Regenerate corpus/data/china_divisions.tsv: China's administrative divisions in English.

    pip install cpca pypinyin && python scripts/make_divisions.py > corpus/data/china_divisions.tsv

The names come from cpca's table of administrative division codes (MIT licence; 2021 data),
romanised with pypinyin; names whose English form is not their pinyin (Tibetan, Uyghur and
Mongolian names, Shaanxi, Inner Mongolia) come from EXONYMS below. One row per division:
English name, type (province, city, county, county-city, district), province, prefecture, other
spellings.
Only types are used by Pearlbot (to know that a bare "Tongren" is a city); which province a
place is in is always read from the article itself.
"""

from __future__ import annotations

import csv
import re
import sys
from importlib.resources import files

from pypinyin import lazy_pinyin

# Chinese name (without its type word) -> English spellings, the usual one first.
EXONYMS: dict[str, list[str]] = {
    "陕西": ["Shaanxi"],
    "内蒙古": ["Inner Mongolia"],
    "西藏": ["Tibet", "Xizang"],
    "香港": ["Hong Kong"],
    "澳门": ["Macao", "Macau"],
    "拉萨": ["Lhasa"],
    "日喀则": ["Shigatse", "Xigaze", "Rikaze"],
    "昌都": ["Qamdo", "Chamdo", "Changdu"],
    "林芝": ["Nyingchi", "Linzhi"],
    "山南": ["Shannan", "Lhoka"],
    "那曲": ["Nagqu", "Naqu"],
    "阿里": ["Ngari", "Ali"],
    "乌鲁木齐": ["Urumqi"],
    "克拉玛依": ["Karamay"],
    "吐鲁番": ["Turpan"],
    "哈密": ["Hami", "Kumul"],
    "昌吉": ["Changji"],
    "博尔塔拉": ["Bortala"],
    "巴音郭楞": ["Bayingolin"],
    "阿克苏": ["Aksu", "Akesu"],
    "克孜勒苏": ["Kizilsu", "Kezilesu"],
    "克孜勒苏柯尔克孜": ["Kizilsu"],
    "喀什": ["Kashgar", "Kashi"],
    "和田": ["Hotan", "Hetian"],
    "伊犁": ["Ili", "Yili"],
    "塔城": ["Tacheng"],
    "阿勒泰": ["Altay", "Aletai"],
    "石河子": ["Shihezi"],
    "阿拉尔": ["Aral", "Alar"],
    "图木舒克": ["Tumxuk"],
    "五家渠": ["Wujiaqu"],
    "阿合奇": ["Akqi", "Aheqi"],
    "塔什库尔干": ["Taxkorgan", "Tashkurgan", "Tashikuergan"],
    "阿图什": ["Artux", "Atushi"],
    "阿克陶": ["Akto", "Aketao"],
    "乌恰": ["Ulugqat", "Wuqia"],
    "疏勒": ["Shule"],
    "疏附": ["Shufu"],
    "英吉沙": ["Yengisar", "Yingjisha"],
    "莎车": ["Yarkant", "Shache"],
    "叶城": ["Kargilik", "Yecheng"],
    "泽普": ["Poskam", "Zepu"],
    "麦盖提": ["Makit", "Maigaiti"],
    "岳普湖": ["Yopurga", "Yuepuhu"],
    "伽师": ["Payzawat", "Jiashi"],
    "巴楚": ["Maralbexi", "Bachu"],
    "墨玉": ["Karakax", "Moyu"],
    "皮山": ["Pishan", "Guma"],
    "洛浦": ["Lop", "Luopu"],
    "策勒": ["Qira", "Cele"],
    "于田": ["Keriya", "Yutian"],
    "民丰": ["Niya", "Minfeng"],
    "库车": ["Kuqa", "Kuche"],
    "温宿": ["Wensu"],
    "阿瓦提": ["Awat", "Awati"],
    "柯坪": ["Kalpin", "Keping"],
    "乌什": ["Uqturpan", "Wushi"],
    "拜城": ["Baicheng"],
    "新和": ["Xinhe", "Toksu"],
    "沙雅": ["Xayar", "Shaya"],
    "玉树": ["Yushu"],
    "果洛": ["Golog", "Guoluo"],
    "玛沁": ["Maqen", "Maqin"],
    "海西": ["Haixi"],
    "海北": ["Haibei"],
    "黄南": ["Huangnan"],
    "甘孜": ["Garze", "Ganzi"],
    "阿坝": ["Ngawa", "Aba"],
    "迪庆": ["Dechen", "Diqing"],
    "甘南": ["Gannan"],
    "呼和浩特": ["Hohhot"],
    "包头": ["Baotou"],
    "乌海": ["Wuhai"],
    "赤峰": ["Chifeng"],
    "通辽": ["Tongliao"],
    "鄂尔多斯": ["Ordos"],
    "呼伦贝尔": ["Hulunbuir"],
    "巴彦淖尔": ["Bayannur"],
    "乌兰察布": ["Ulanqab"],
    "兴安": ["Hinggan", "Xing'an"],
    "锡林郭勒": ["Xilingol"],
    "阿拉善": ["Alxa"],
    "堆龙德庆": ["Doilungdeqen", "Duilongdeqing"],
    "达孜": ["Dagze", "Dazi"],
    "林周": ["Lhundrub", "Linzhou"],
    "当雄": ["Damxung", "Dangxiong"],
    "尼木": ["Nyemo", "Nimu"],
    "曲水": ["Qushui"],
    "墨竹工卡": ["Maizhokunggar", "Mozhugongka"],
    "城关": ["Chengguan"],
    "工布江达": ["Gongbo'gyamda", "Gongbujiangda"],
    "米林": ["Mainling", "Milin"],
    "墨脱": ["Medog", "Motuo"],
    "波密": ["Bomi"],
    "察隅": ["Zayu", "Chayu"],
    "朗县": ["Nang"],
    "巴宜": ["Bayi"],
    "桑珠孜": ["Samzhubze", "Sangzhuzi"],
    "色尼": ["Seni"],
    "德令哈": ["Delingha"],
    "格尔木": ["Golmud", "Geermu"],
    "同仁": ["Tongren", "Rebkong"],
    "朝阳": ["Chaoyang"],  # pypinyin reads 朝 as "zhao" here
    "闵行": ["Minhang"],  # and 行 as "xing"
}
_TYPE_WORDS = [  # longest first: the type word a Chinese name ends with, and its type here
    ("特别行政区", "province"),
    ("自治区", "province"),
    ("自治州", "city"),
    ("自治县", "county"),
    ("自治旗", "county"),
    ("地区", "city"),
    ("林区", "county"),
    ("特区", "county"),
    ("省", "province"),
    ("盟", "city"),
    ("市", None),  # by level: municipality, prefecture-level or county-level city
    ("县", "county"),
    ("旗", "county"),
    ("区", "district"),
]


def _peoples() -> list[str]:
    text = (files("cpca") / "resources" / "56_nations.csv").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip()]
    both = names + [n.removesuffix("族") for n in names if len(n) > 2]
    return sorted(set(both), key=len, reverse=True)


def _strip(name: str, peoples: list[str]) -> tuple[str, str | None]:
    for word, kind in _TYPE_WORDS:
        if name.endswith(word) and len(name) > len(word):
            base = name[: -len(word)]
            if word.startswith("自治") or word == "特别行政区":
                changed = True
                while changed:  # "民和回族土族" -> "民和": the peoples come before the type word
                    changed = False
                    for people in peoples:
                        if base.endswith(people) and len(base) > len(people):
                            base, changed = base[: -len(people)], True
                            break
            return base, kind
    return name, None


def _pinyin(chinese: str) -> list[str]:
    # pypinyin writes ü as "v"; English writes "u" ("Lueyang", "Luliang"), sometimes "v".
    spelled_v = _join(lazy_pinyin(chinese))
    spelled_u = _join([s.replace("v", "u") for s in lazy_pinyin(chinese)])
    return list(dict.fromkeys([*spelled_u, *spelled_v]))


def _join(syllables: list[str]) -> list[str]:
    word = syllables[0]
    for s in syllables[1:]:
        word += ("'" if s[0] in "aeo" else "") + s  # "Xi'an", "Ping'an"
    spelled = word.capitalize()
    plain = spelled.replace("'", "")
    # "Yu'an" written "Yuan" would be a surname: only a plain form that is no one syllable.
    return [spelled] + ([plain] if "'" in spelled and not ONE_SYLLABLE.fullmatch(plain) else [])


# One pinyin syllable ("Yuan", "Jian", "Xian"): as a bare name, a surname or a word.
ONE_SYLLABLE = re.compile(r"(?:Zh|Ch|Sh|[BPMFDTNLGKHJQXRZCSYW])?[aeiouv]+(?:n|ng|r)?")


def main() -> None:
    table = (files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    peoples = _peoples()
    rows = list(csv.DictReader(table.splitlines()))
    english: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        code, name = row["adcode"], row["name"]
        if name.endswith("市辖区") or (code[:2] in ("71", "81", "82") and code[2:] != "0" * 10):
            continue  # "city districts" placeholders; Taiwan, Hong Kong, Macao's subdivisions
        base, kind = _strip(name, peoples)
        if code[2:] == "0" * 10:
            kind = "province"
        elif code[4:] == "0" * 8:
            kind = "city"
        elif kind is None:
            kind = "county-city"  # a county-level city: a county, written bare or "X City"
        if len(base) < 2 and base + name[-1:] not in EXONYMS:
            continue  # one-syllable names ("宁县") are only read with their type word
        names = EXONYMS.get(base) or EXONYMS.get(name) or _pinyin(base)
        english[code] = names
        kinds[code] = kind
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["name", "type", "province", "prefecture", "also"])
    for code in sorted(english):
        province = english.get(code[:2] + "0" * 10, [""])[0]
        lower = kinds[code] in ("county", "county-city", "district")
        prefecture = english.get(code[:4] + "0" * 8, [""])[0] if lower else ""
        names = english[code]
        province = "" if kinds[code] == "province" else province
        out.writerow([names[0], kinds[code], province, prefecture, "|".join(names[1:])])


if __name__ == "__main__":
    main()
