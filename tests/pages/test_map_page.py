"""AppTest: the grid map renders at city, county, township and village level; the picker drills down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import dispose_engines
from tests.apptest import open_page
from tests.sql import execute as sql_execute
from tests.sql import first_codes

APP = str(REPO_ROOT / "app.py")
PAYLOAD_LIMIT = 1_000_000  # bytes of deck JSON on the tiny DB (city preset limits: 5 MB city, 2 MB township)


def add_city_parent(db: str | Path) -> None:
    """Put the real 绍兴市 outline above the tiny DB's county, so the map has a city level to show."""
    from core import boundaries

    city = boundaries.load_boundary("330600")
    pt = city.representative_point()
    sql_execute(db, [
        ("INSERT INTO region (id, code, name, level, kind, parent_id, lon, lat, area_km2, population, households,"
         " boundary) SELECT 330600000000, '330600000000', '绍兴市', 'city', 'city', NULL, ?, ?, 0,"
         " SUM(population), SUM(households), ? FROM region WHERE level = 'county'",
         (pt.x, pt.y, shapely.to_geojson(city))),
        ("UPDATE region SET parent_id = 330600000000 WHERE level = 'county'", ()),
        # …and a city administrator to look at it (the county-rooted tiny DB has none).
        ("UPDATE post SET region_id = 330600000000, role = 'city_admin' WHERE id ="
         " (SELECT post_id FROM user_account WHERE username = 'screen_viewer')", ()),
        ("UPDATE user_account SET username = 'city_admin', read_only = FALSE WHERE username = 'screen_viewer'", ()),
    ])


@pytest.fixture
def city_env(writable_url, monkeypatch, app_env):
    """The app pointed at a private tiny copy that has a city above its county."""
    add_city_parent(writable_url)
    monkeypatch.setenv("DATABASE_URL", writable_url)
    reset_settings()
    dispose_engines()
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return writable_url


def _codes(db: str) -> dict[str, str]:
    return first_codes(db, ("city", "county", "township", "village"))


def _open_map(code: str) -> AppTest:
    return open_page("map", region=code, timeout=60)


def _deck(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1, "the map page draws exactly one deck (WebGL context budget)"
    return json.loads(charts[0].proto.json)


def _layer(spec: dict, layer_id: str) -> dict | None:
    return next((lay for lay in spec["layers"] if lay["id"] == layer_id), None)


@pytest.mark.parametrize("level,shown", [("city", "county"), ("county", "township"), ("township", "village"),
                                         ("village", "grid")])
def test_map_renders_the_level_below_at_each_level(city_env, level, shown):
    code = _codes(city_env)[level]
    at = _open_map(code)
    assert not at.exception
    assert at.title[0].value.endswith("网格地图")
    spec = _deck(at)
    assert spec.get("mapProvider") is None and "carto" not in json.dumps(spec).lower(), "a basemap would go online"
    regions = _layer(spec, "regions")
    assert regions and regions["pickable"] and regions["data"], "no pickable polygons"
    codes = {row["code"] for row in regions["data"]}
    assert all(c.startswith(code.rstrip("0")[: len(code.rstrip("0"))]) for c in codes)
    assert all(len(c) == (15 if shown == "grid" else 12) for c in codes)
    assert _layer(spec, "labels")["characterSet"] == "auto"
    assert len(charts_json := at.get("deck_gl_json_chart")[0].proto.json) < PAYLOAD_LIMIT, len(charts_json)


def test_village_map_has_appeal_points_and_grid_tooltips(city_env):
    at = _open_map(_codes(city_env)["village"])
    spec = _deck(at)
    assert _layer(spec, "appeals")["data"], "no appeal points"
    tips = [row["tip"] for row in _layer(spec, "regions")["data"]]
    assert all("网格员" in t and "户数" in t and "在办任务" in t and "在办诉求" in t for t in tips)
    at.toggle(key="map-heat").set_value(True).run()
    assert not at.exception and _layer(_deck(at), "heat") is not None
    at.toggle(key="map-appeals").set_value(False).run()
    assert _layer(_deck(at), "appeals") is None


def test_metric_choice_recolours_and_scores_never_break_the_page(city_env):
    at = _open_map(_codes(city_env)["county"])
    before = [row["fill"] for row in _layer(_deck(at), "regions")["data"]]
    at.selectbox(key="map-metric-False").select("overdue_tasks").run()
    assert not at.exception
    after = [row["fill"] for row in _layer(_deck(at), "regions")["data"]]
    assert before != after
    at.selectbox(key="map-metric-False").select("economy").run()
    assert not at.exception


def test_drill_picker_on_the_map_moves_the_whole_app(city_env):
    codes = _codes(city_env)
    at = _open_map(codes["county"])
    at.selectbox(key=f"map-drill-{codes['county']}").select(codes["township"]).run()
    assert not at.exception
    assert at.session_state["region"] == codes["township"]
    assert codes["township"] in str(at.query_params["region"])
    assert {row["code"] for row in _layer(_deck(at), "regions")["data"]} >= {codes["village"]}
