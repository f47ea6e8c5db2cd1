"""AppTest: the region browser renders at every level and drills down."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT
from tests.apptest import open_page
from tests.sql import first_codes

APP = str(REPO_ROOT / "app.py")


def open_regions(code: str | None = None) -> AppTest:
    """The region browser, optionally at a region code."""
    return open_page("regions", region=code)


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_region_page_renders_at_each_level(app_env, level):
    code = first_codes(app_env)[level]
    at = open_regions(code)
    assert not at.exception
    assert at.dataframe, "children table missing"
    assert at.query_params["region"] == [code] or at.query_params["region"] == code


def test_drill_down_changes_breadcrumb_and_url(app_env):
    codes = first_codes(app_env)
    at = open_regions()
    assert at.title[0].value.startswith("新昌县")
    at.selectbox(key="drill-regions").select(codes["township"]).run()
    assert not at.exception
    assert at.session_state["region"] == codes["township"]
    assert codes["township"] in str(at.query_params["region"])
    assert any("新昌县" in b.label for b in at.button), "breadcrumb lost its county crumb"


def test_outside_code_in_url_is_clamped_to_scope(app_env):
    at = open_regions("110101000000")  # 北京东城: not in this dataset or scope
    assert not at.exception
    assert at.title[0].value.startswith("新昌县")


def test_city_region_page_lists_the_six_real_counties(city_env):
    at = open_regions("330600000000")
    assert not at.exception
    names = [n for n in at.dataframe[0].value["名称"]]
    assert names == ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]
