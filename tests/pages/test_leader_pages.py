"""AppTest: 领雁指数 and 村社档案 render for a county-level viewer and for one village (secretary's view)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT
from tests.apptest import open_page
from tests.sql import first_code
from tests.sql import rows as sql_rows

APP = str(REPO_ROOT / "app.py")


def _secretaries(db_url: str) -> list[int]:
    return [r[0] for r in sql_rows(db_url, "SELECT person_id FROM post WHERE role='village_secretary' ORDER BY id")]


def _open(page: str, code: str | None) -> AppTest:
    return open_page(page, region=code)


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_leaders_page_renders_ranking_and_drill_down(app_env, level):
    at = _open("pages/leaders.py", first_code(app_env, level))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.endswith("领雁指数")
    assert len(at.dataframe) >= 2, "ranked list and contribution table expected"
    assert any(m.label == "规则版本" for m in at.metric)
    charts = at.get("plotly_chart")
    assert len(charts) == 3, "radar, trend and waterfall"


def test_leaders_page_switches_person_and_dimension(app_env):
    at = _open("pages/leaders.py", None)
    assert not at.exception, at.exception
    first = at.subheader[0].value
    other = next(i for i in _secretaries(app_env) if i != at.session_state["leader-pick"])
    at.selectbox(key="leader-pick").select(other).run()
    assert not at.exception
    assert at.subheader[0].value != first
    at.segmented_control(key="leader-dim").set_value("integrity").run()
    assert not at.exception


def test_village_page_at_village_renders_every_section(app_env):
    at = _open("pages/village.py", first_code(app_env, "village"))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.endswith("村社档案")
    assert len(at.tabs) == 7
    assert len(at.dataframe) >= 7
    assert at.get("deck_gl_json_chart"), "village outline map missing"
    assert len(at.main.get("download_button")) == 2  # the sidebar adds the briefing's two


def test_village_page_above_village_offers_picker(app_env):
    at = _open("pages/village.py", first_code(app_env, "township"))
    assert not at.exception
    village = first_code(app_env, "village")
    at.selectbox(key="village-pick").select(village).run()
    assert not at.exception
    assert at.session_state["region"] == village
    assert len(at.tabs) == 7, "the picked village's record opens"
