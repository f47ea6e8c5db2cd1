"""AppTest: cockpit at every level, rankings for every module, dictionary; drilling moves breadcrumb and URL."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import i18n, scoring
from core.config import DATA_DIR, REPO_ROOT
from core.db import make_engine
from core.regions import dataset_root
from core.scope import Scope
from tests.apptest import open_page
from tests.sql import first_codes, scalar

APP = str(REPO_ROOT / "app.py")
CITY_DB = DATA_DIR / "xingcun.db"


def drawn(at: AppTest, key: str) -> str:
    """The markup a cockpit drawing (ui.svg_view component) was given, by widget key ('' when absent)."""
    for el in at.get("bidi_component"):
        if str(el.proto.id).endswith(f"-{key}"):
            return json.loads(el.proto.json)["svg"]
    return ""


def _run(page: str | None = None, **params) -> AppTest:
    return open_page(page, **params)


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_cockpit_renders_at_each_level(app_env, level):
    code = first_codes(app_env)[level]
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
    codes = first_codes(app_env)
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


MODULES = ["composite", "party_building", "economy", "safety", "public_service"]


def _core_ranking(db_url: str, module: str) -> list[tuple[str, float]]:
    """(code, score) of the root's children for `module`, in the order core ranks them, for the newest month."""
    engine = make_engine(db_url)
    with Session(engine) as s:
        root = dataset_root(s)
        period = scoring.available_periods(s)[-1]
        scores = scoring.region_scores(s, Scope(root.id, root.level), root.id, period)
    engine.dispose()
    rank = "rank_in_parent" if module == "composite" else f"{module}_rank_in_parent"
    ordered = scores.sort_values([rank, "code"], na_position="last")
    return [(str(c), round(float(v), 1)) for c, v in zip(ordered["code"], ordered[module], strict=True)]


@pytest.mark.parametrize("module", MODULES)
def test_rankings_show_each_modules_own_scores(app_env, module):
    """Each module's table is that module's ranking from core: its order and its scores, not another module's."""
    at = _run("pages/rankings.py")
    at.session_state["rank-module"] = module
    at.run()
    assert not at.exception, at.exception
    assert len(at.dataframe) >= 2  # ranking table + why-this-rank panel
    assert len(at.main.get("download_button")) == 2  # the sidebar adds the briefing's two
    table = at.dataframe[0].value
    label = "综合得分" if module == "composite" else i18n.term("module", module)
    shown = [(str(c), round(float(v), 1)) for c, v in zip(table[i18n.translate("col.code")], table[label], strict=True)]
    assert shown == _core_ranking(app_env, module)


def test_module_rankings_differ_from_each_other(app_env):
    """Five modules, five different orders or score lists: a page showing one module's table for all would fail."""
    rankings = {m: tuple(_core_ranking(app_env, m)) for m in MODULES}
    assert len(set(rankings.values())) == len(MODULES)


def test_dictionary_lists_forty_indicators(app_env):
    at = _run("pages/dictionary.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 40
