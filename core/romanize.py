"""Place and person names in pinyin for the English UI (地名、人名的拼音写法).

Places follow the Chinese convention for English maps: the proper part in pinyin written as one word, the
administrative suffix translated as a word — 柯桥区 → "Keqiao District", 华康社区 → "Huakang Community",
枫桥镇 → "Fengqiao Town". People: surname, then the given name as one word — 李楠 → "Li Nan", 欧阳明华 →
"Ouyang Minghua". `bilingual()` puts the Chinese beside it, as the English UI shows every name:
"Keqiao District (柯桥区)". Pure functions, cached: a province has ~25,000 region names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

#: Administrative suffixes, longest first so 街道/社区/自治县 win over 道/区/县.
PLACE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("自治县", "Autonomous County"), ("街道", "Subdistrict"), ("社区", "Community"), ("网格", "Grid"),
    ("开发区", "Development Zone"), ("省", "Province"), ("市", "City"), ("区", "District"), ("县", "County"),
    ("镇", "Town"), ("乡", "Township"), ("村", "Village"),
)
#: Two-character surnames (复姓): written as one word, "Ouyang".
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙",
                               "夏侯", "长孙", "宇文", "司徒", "端木", "西门", "南宫", "独孤", "万俟", "呼延"})
#: Surnames read differently from the common reading of the character.
SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "查": "zha", "朴": "piao",
                    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai", "种": "chong", "尉": "yu",
                    "秘": "bi", "员": "yun", "召": "shao", "句": "gou", "阚": "kan", "繁": "po"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_VOWEL_START = ("a", "o", "e")


def _word(text: str) -> str:
    """Pinyin of `text` as one capitalised word, with the apostrophe before a/o/e syllables (Xi'an)."""
    out = ""
    for syllable in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default"):
        if out and syllable[:1] in _VOWEL_START and _CJK.match(out[-1:]) is None and out[-1:].isalpha():
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:]


def _spaced(text: str) -> str:
    """Pinyin of text that may hold digits or Latin letters: CJK runs become words, the rest is kept."""
    parts = re.split(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)", text)
    return " ".join(p.strip() if not _CJK.match(p) else _word(p) for p in parts if p.strip())


@lru_cache(maxsize=65536)
def place_en(name: str) -> str:
    """A region or grid name in English: pinyin of its proper part, its suffix as a word.

    >>> place_en("柯桥区"), place_en("华康社区"), place_en("北海街道")
    ('Keqiao District', 'Huakang Community', 'Beihai Subdistrict')
    """
    if not name or not _CJK.search(name):
        return name
    for zh, en in PLACE_SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            number = re.search(r"\d+$", stem) if zh == "网格" else None
            if number:  # 枫溪1网格 → Fengxi Grid 1
                return f"{_spaced(stem[: number.start()])} {en} {number.group()}".strip()
            return f"{_spaced(stem)} {en}"
    return _spaced(name)


@lru_cache(maxsize=65536)
def person_en(name: str) -> str:
    """A person's name in English: Surname Givenname (李楠 → Li Nan, 欧阳明华 → Ouyang Minghua)."""
    if not name or not _CJK.search(name) or len(name) < 2:
        return _word(name) if name and _CJK.search(name) else name
    split = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:split], name[split:]
    family = SURNAME_READINGS.get(surname, "") if split == 1 else ""
    family = family.capitalize() if family else _word(surname)
    return f"{family} {_word(given)}" if given else family


def bilingual(name: str, kind: str = "place") -> str:
    """The English UI's form of a name: pinyin with the Chinese beside it — "Keqiao District (柯桥区)".

    `kind` is "place" or "person". A name with no Chinese is returned as it is.
    """
    if not name or not _CJK.search(name):
        return name
    english = person_en(name) if kind == "person" else place_en(name)
    return f"{english} ({name})"
