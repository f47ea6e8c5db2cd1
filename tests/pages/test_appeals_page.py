"""AppTest: 民情与预警 renders at every level with trends, funnel, warnings with evidence and decisions."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT
from tests.apptest import open_page
from tests.sql import rows as sql_rows

APP = str(REPO_ROOT / "app.py")


def _open(code: str | None) -> AppTest:
    return open_page("appeals", region=code)


def _code(db_url: str, sql: str) -> str:
    return str(sql_rows(db_url, sql)[0][0])


@pytest.mark.parametrize("level", ["county", "township", "village"])
def test_appeals_page_renders_at_each_level(app_env, level):
    code = _code(app_env, f"SELECT code FROM region WHERE level='{level}' ORDER BY id LIMIT 1")
    at = _open(code)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.endswith("民情与预警")
    assert len(at.get("plotly_chart")) == 3, "trend, funnel, satisfaction"
    assert any(m.label == "按时办结率" for m in at.metric)


def test_warning_list_shows_evidence_of_the_planted_burst(app_env):
    code = _code(app_env, "SELECT village_id FROM planted_anomaly WHERE kind='burst'")
    at = _open(code)
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert any(lbl.startswith("突发/群发") for lbl in labels), labels
    text = " ".join(m.value for m in at.markdown)
    assert "基线" in text and "阈值" in text and "检验" in text
    assert any(b.label.endswith("在地图中查看") for b in at.button)


def test_channel_trend_and_decision_list(app_env):
    at = _open(None)
    at.segmented_control(key="appeals-by").set_value("channel").run()
    assert not at.exception, at.exception
    assert any("合规" in c.value for c in at.caption)
