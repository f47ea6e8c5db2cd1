"""ui.charts: the ticker and best/worst lines escape their data and name places as the viewer reads them;
the rankings table is the order core ranked."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import charts, i18n


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setitem(i18n._last, "lang", "en")


def _overdue() -> pd.DataFrame:
    return pd.DataFrame({"code": ["T1"], "title": ["鉴府社区·人居环境整治检查整改"], "matter_code": ["T-EC-02"],
                         "village": ["鉴府社区"], "owner": ["<img src=x onerror=alert(1)>"],
                         "deadline": [pd.Timestamp("2026-10-01")], "urge_count": [3], "days_overdue": [30]})


def test_ticker_escapes_data_text():
    html = charts.ticker_html(_overdue())
    assert "<img" not in html and "&lt;img" in html
    assert "逾期30天" in html and "鉴府社区·人居环境整治检查整改" in html


def test_ticker_in_english_names_the_village_and_the_matter(english):
    html = charts.ticker_html(_overdue())
    assert "Jianfu Community (鉴府社区)" in html and "Living-environment inspection and rectification" in html
    assert "鉴府社区·" not in html, "the Chinese title is replaced by the matter type's English name"


def test_ticker_without_overdue_tasks_says_so():
    assert "item good" in charts.ticker_html(_overdue().iloc[0:0])


def _scores() -> pd.DataFrame:
    modules = {m: [50.0, 70.0, 60.0] for m in charts.MODULE_KEYS}
    extra = {f"{m}_{k}": [1, 2, 3] for m in charts.MODULE_KEYS for k in ("rank_in_parent", "rank_in_level", "movement")}
    return pd.DataFrame({"region_id": [1, 2, 3], "code": ["A", "B", "C"], "name": ["甲镇", "乙镇", "丙镇"],
                         "composite": [50.0, 70.0, 60.0], "rank_in_parent": [3, 1, 2], "rank_in_level": [3, 1, 2],
                         "movement": [0, 1, -1], "too_few_count": [0, 0, 0], **modules, **extra})


def test_ranking_frame_follows_cores_ranks():
    table = charts.ranking_frame(_scores(), "composite", pd.DataFrame())
    assert table[i18n.t("col.code")].tolist() == ["B", "C", "A"]
    assert table[i18n.t("col.movement")].tolist() == ["▲1", "▼1", "—"]


def test_best_worst_names_the_top_and_bottom():
    html = charts.best_worst_html(_scores(), n=1)
    top, bottom = html.index("乙镇"), html.index("甲镇")
    assert top < bottom
