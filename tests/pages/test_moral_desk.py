"""AppTest: 道德银行 through 我的工作台 — the village secretary records an evaluation and volunteer hours, the town
admin records a deduction with its source (and a deduction without a source is refused with one message and
writes nothing); the 特色场景 page's 道德银行 tab shows the rankings, the ledger and a household's rule version."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import MORAL_RULE, REPO_ROOT
from tests.apptest import assert_clean, open_desk
from tests.sql import scalar
from ui.text import md


def desk(username: str, section: str = "moral") -> AppTest:
    return open_desk(username, section)


ok = assert_clean


def button(at: AppTest, label: str):
    return at.button[[b.label for b in at.button].index(label)]


def test_evaluation_volunteer_hours_and_deduction_through_the_desk(live_app):
    entries = "SELECT count(*) FROM moral_entry"
    before = scalar(live_app, entries)
    at = desk("village_secretary")
    ok(at)
    hid = at.selectbox(key="me-household").value
    at.selectbox(key="me-dimension").set_value("virtue")
    at.number_input(key="me-points").set_value(3.0)
    at.text_input(key="me-note").set_value("孝老爱亲")
    button(at, "记入评议").click().run()
    ok(at)
    assert any("已记入台账" in s.value for s in at.success), [s.value for s in at.success]
    assert scalar(live_app, "SELECT level FROM moral_entry WHERE household_id = ? ORDER BY id DESC LIMIT 1",
                  (hid,)) == "village"
    at.selectbox(key="mv-household").set_value(hid)
    at.number_input(key="mv-hours").set_value(4.0)
    button(at, "记入志愿服务").click().run()
    ok(at)
    assert scalar(live_app, entries) == before + 2
    assert scalar(live_app, "SELECT count(*) FROM scene_event WHERE kind = 'moral_entry'") == 2
    at.text_input(key="mr-name").set_value("王栋梁")
    at.number_input(key="mr-members").set_value(4)
    button(at, "建档").click().run()
    ok(at)
    assert scalar(live_app, "SELECT members FROM moral_household WHERE head_name = '王栋梁'") == 4

    at = desk("town_admin")
    ok(at)
    at.selectbox(key="md-kind").set_value("penalty")
    button(at, "记入扣分").click().run()  # no source: refused, nothing written
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["请填写扣分记录的来源"]
    assert scalar(live_app, entries) == before + 2
    at.selectbox(key="md-kind").set_value("penalty")
    at.text_input(key="md-source").set_value("县综合行政执法局处罚决定书")
    at.text_input(key="md-ref").set_value("新综执罚〔2026〕8号")
    button(at, "记入扣分").click().run()
    ok(at)
    assert scalar(live_app, entries) == before + 3
    assert scalar(live_app, "SELECT source_ref FROM moral_entry ORDER BY id DESC LIMIT 1") == "新综执罚〔2026〕8号"


def test_scenes_page_moral_tab(app_env):
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "scenes.py"), default_timeout=60)
    at.session_state["username"] = "town_admin"
    at.run()
    at.segmented_control(key="scenes-tab").set_value("moral").run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert {"绿码", "黄码", "红码"} <= set(labels), labels
    assert len(at.dataframe) >= 3  # village ranking, 红榜, ledger
    shown = [e.value for e in [*at.success, *at.warning, *at.error]]
    assert any(md(MORAL_RULE.version) in (v or "") for v in shown), shown  # the household's figure names its rule
    names = [str(x) for df in at.dataframe for c in df.value.columns if c == "户主" for x in df.value[c]]
    assert names and all(set(n[1:]) == {"*"} for n in names), names[:5]  # a township user sees names masked


def test_scenes_wall_shows_the_moral_panels(app_env, monkeypatch):
    from ui import wall

    shown: list[str] = []
    monkeypatch.setattr(wall, "show", lambda html, key, pal: shown.append(html))
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "scenes.py"), default_timeout=60)
    at.session_state["username"] = "county_admin"
    at.query_params["screen"] = "big"
    at.run()
    assert not at.exception, at.exception
    assert shown and "道德银行" in shown[0] and "绿码" in shown[0] and "参与率%" in shown[0]


@pytest.mark.parametrize("username", ["town_admin", "village_secretary"])
def test_moral_tab_in_english(app_env, username):
    import re

    from tests.apptest import open_page

    at = open_page("scenes", username=username, lang="en", timeout=180)
    at.segmented_control(key="scenes-tab").set_value("moral").run()
    assert not at.exception, at.exception
    labels = [e.value for kind in ("subheader", "caption") for e in getattr(at, kind)]
    labels += [m.label for m in at.metric] + [str(c) for df in at.dataframe for c in df.value.columns]
    labels += [e.value for e in at.markdown if e.value.startswith(("1.", "####"))]
    assert "Green" in labels and "Moral code" in labels
    places = re.compile(r"&#40;[^&]*&#41;|\([^)]*\)")  # place names are data, shown "Pinyin (汉字)" in English
    assert not [x for x in labels if re.search(r"[\u4e00-\u9fff]", places.sub("", x))], labels
