"""English names: places as pinyin + suffix word, people as Surname Given, the Chinese beside them."""

import pytest

from core.romanize import bilingual, person_en, place_en


@pytest.mark.parametrize(("zh", "en"), [
    ("柯桥区", "Keqiao District"), ("诸暨市", "Zhuji City"), ("新昌县", "Xinchang County"), ("枫桥镇", "Fengqiao Town"),
    ("东阳乡", "Dongyang Township"), ("北海街道", "Beihai Subdistrict"), ("华康社区", "Huakang Community"),
    ("西安村", "Xi'an Village"), ("枫溪1网格", "Fengxi Grid 1"), ("浙江省", "Zhejiang Province"),
    ("景宁畲族自治县", "Jingningshezu Autonomous County"),
])
def test_places_take_their_suffix_as_a_word(zh: str, en: str) -> None:
    assert place_en(zh) == en


@pytest.mark.parametrize(("zh", "en"), [
    ("李楠", "Li Nan"), ("欧阳明华", "Ouyang Minghua"), ("单雄信", "Shan Xiongxin"), ("曾国藩", "Zeng Guofan"),
    ("吕小军", "Lü Xiaojun"), ("张", "Zhang"),
])
def test_people_are_surname_then_given_name(zh: str, en: str) -> None:
    assert person_en(zh) == en


def test_bilingual_keeps_the_chinese_beside_and_leaves_latin_alone() -> None:
    assert bilingual("柯桥区") == "Keqiao District (柯桥区)"
    assert bilingual("李楠", "person") == "Li Nan (李楠)"
    assert bilingual("Team A") == "Team A" and bilingual("") == ""
