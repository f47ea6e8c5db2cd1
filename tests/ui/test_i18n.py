"""ui.i18n: rank movement arrows, and names as the viewer reads them (pinyin beside the Chinese in English)."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import i18n


@pytest.fixture
def english(monkeypatch):
    """Outside a script run ui.i18n.lang() answers with the last run's language: make that English."""
    monkeypatch.setitem(i18n._last, "lang", "en")


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setitem(i18n._last, "lang", "zh")


def test_movement_arrows():
    assert i18n.movements(pd.Series([3, -1, 0, None, float("nan")])) == ["▲3", "▼1", "—", "—", "—"]
    assert i18n.movement(2) == "▲2" and i18n.movement(None) == "—"


def test_names_in_english_carry_the_chinese_beside_them(english):
    assert i18n.place("柯桥区") == "Keqiao District (柯桥区)"
    assert i18n.person("李楠") == "Li Nan (李楠)"
    assert i18n.place_short("枫桥镇") == "Fengqiao Town"
    frame = pd.DataFrame({"name": ["华康社区", None], "owner": ["欧阳明华", "王晶"], "score": [1.0, 2.0]})
    shown = i18n.named(frame, places=("name",), people=("owner",))
    assert shown["name"].tolist()[0] == "Huakang Community (华康社区)" and shown["name"].isna().tolist()[1]
    assert shown["owner"].tolist() == ["Ouyang Minghua (欧阳明华)", "Wang Jing (王晶)"]
    assert frame["name"].tolist()[0] == "华康社区", "the cached frame it was given is not changed"


def test_names_in_chinese_are_as_stored(chinese):
    frame = pd.DataFrame({"name": ["华康社区"]})
    assert i18n.place("柯桥区") == "柯桥区" and i18n.person("李楠") == "李楠"
    assert i18n.named(frame) is frame


def test_matter_types_by_code(english, chinese):
    assert i18n.matter("T-EC-02", "人居环境整治检查整改") == "人居环境整治检查整改"


def test_matter_types_by_code_in_english(english):
    assert i18n.matter("T-EC-02", "人居环境整治检查整改") == "Living-environment inspection and rectification"
    assert i18n.matter("COUNTY-07", "本县自定事项") == "(本县自定事项)", "an unknown code keeps its data, marked"
