"""AppTest: cockpit at every level, rankings for every module, dictionary; drilling moves breadcrumb and URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import DATA_DIR, REPO_ROOT
from tests.sql import scalar

APP = str(REPO_ROOT / "app.py")
CITY_DB = DATA_DIR / "xingcun.db"


def _codes(db_url: str) -> dict[str, str]:
    return {lvl: scalar(db_url, "SELECT code FROM region WHERE level=? ORDER BY id LIMIT 1", (lvl,))
            for lvl in ("county", "township", "village")}


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
    assert "综合得分" in "".join(m.value for m in at.markdown)
    assert str(at.query_params["period"]).strip("[]'") == "202610"
    if level != "village":
        assert at.dataframe, "ranking matrix missing"


def test_cockpit_renders_at_city_level(city_env):
    at = _run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("绍兴市")
    assert at.dataframe, "ranking matrix of the six counties missing"


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
    assert len(at.get("download_button")) == 2


def test_dictionary_lists_forty_indicators(app_env):
    at = _run("pages/dictionary.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 40
