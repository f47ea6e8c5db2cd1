"""AppTest: cockpit at every level, rankings for every module, dictionary; drilling moves breadcrumb and URL."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from core.config import DATA_DIR, REPO_ROOT
from tests.sql import scalar

APP = str(REPO_ROOT / "app.py")
CITY_DB = DATA_DIR / "xingcun.db"


def _codes(db_url: str) -> dict[str, str]:
    return {lvl: scalar(db_url, "SELECT code FROM region WHERE level=? ORDER BY id LIMIT 1", (lvl,))
            for lvl in ("county", "township", "village")}


def drawn(at: AppTest, key: str) -> str:
    """The markup a cockpit drawing (ui.svg_view component) was given, by widget key ('' when absent)."""
    for el in at.get("bidi_component"):
        if str(el.proto.id).endswith(f"-{key}"):
            return json.loads(el.proto.json)["svg"]
    return ""


def _run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_cockpit_renders_at_each_level(app_env, level):
    code = _codes(app_env)[level]
    at = _run(region=code)
    assert not at.exception, at.exception
    assert at.title[0].value.endswith("驾驶舱")
    assert "综合得分" in "".join(m.value for m in [*at.markdown, *at.html])
    assert str(at.query_params["period"]).strip("[]'") == "202610"
    matrix, trend = drawn(at, "cockpit-matrix"), drawn(at, "cockpit-trend")
    assert trend.startswith("<svg") and trend.count("<circle") >= 12, "12 months of trend points"
    if level != "village":
        children = int(scalar(app_env, "SELECT count(*) FROM region WHERE parent_id = (SELECT id FROM region WHERE code=?)",
                              (code,)))
        assert len(re.findall(r"<tr data-code='(\d{12})'", matrix)) == children, "one matrix row per child"
        assert drawn(at, "cockpit-map").count("data-code=") == children, "one map area per child"
    else:
        assert not matrix, "a village has nothing below it to rank"


def test_cockpit_renders_at_city_level(city_env):
    at = _run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("绍兴市")
    rows = re.findall(r"<tr data-code='(\d{12})'", drawn(at, "cockpit-matrix"))
    assert len(rows) == 6, "ranking matrix of the six counties"


def test_drilling_changes_breadcrumb_and_query_params(app_env):
    codes = _codes(app_env)
    at = _run()
    assert at.title[0].value.startswith("新昌县")
    at.selectbox(key="drill-cockpit").select(codes["township"]).run()
    assert not at.exception
    assert codes["township"] in str(at.query_params["region"])
    assert "period" in at.query_params
    assert any("新昌县" in b.label for b in at.button), "breadcrumb lost its county crumb"
    assert not at.title[0].value.startswith("新昌县")


def test_period_in_url_is_kept(app_env):
    at = _run(period="202605")
    assert not at.exception
    assert at.selectbox(key="cockpit-period").value == 202605
    assert "202605" in str(at.query_params["period"])


@pytest.mark.parametrize("module", ["composite", "party_building", "economy", "safety", "public_service"])
def test_rankings_render_for_each_module(app_env, module):
    at = _run("pages/rankings.py")
    at.session_state["rank-module"] = module
    at.run()
    assert not at.exception, at.exception
    assert len(at.dataframe) >= 2  # ranking table + why-this-rank panel
    assert len(at.main.get("download_button")) == 2  # the sidebar adds the briefing's two


def test_dictionary_lists_forty_indicators(app_env):
    at = _run("pages/dictionary.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 40
