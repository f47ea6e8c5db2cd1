"""AppTest: the 任务督办 page lists alerts, 催办 writes one event and the rerun shows the new count."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import dispose_engines
from core.enums import MODULE_LABEL
from tests.apptest import open_page
from tests.sql import scalar

APP = str(REPO_ROOT / "app.py")


@pytest.fixture
def writable_app(writable_url, monkeypatch):
    """The app on a private copy of the tiny database (this test writes)."""
    import streamlit as st

    copy = writable_url
    monkeypatch.setenv("DATABASE_URL", copy)
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield copy
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


def open_tasks(code: str | None = None) -> AppTest:
    """The 任务督办 page, optionally at a region code."""
    return open_page("tasks", region=code, timeout=90)


def _urges(db, task_id: int) -> tuple[int, int]:
    count = scalar(db, "SELECT urge_count FROM task WHERE id=?", (task_id,))
    events = scalar(db, "SELECT count(*) FROM task_event WHERE task_id=? AND action='urge'", (task_id,))
    return count, events


def test_page_lists_overdue_tasks_most_urgent_first(app_env):
    at = open_tasks()
    assert not at.exception, at.exception
    assert at.title[0].value.endswith("任务督办")
    df = at.dataframe[0].value
    assert len(df) > 0 and df["逾期天数"].is_monotonic_decreasing and (df["逾期天数"] >= 1).all()
    assert any("当前督办人" in c.value for c in at.caption)


def test_urge_from_the_page_writes_one_event_and_shows_the_new_count(writable_app):
    at = open_tasks()
    assert not at.exception, at.exception
    task_id = at.selectbox(key="task-pick").value
    count0, events0 = _urges(writable_app, task_id)
    df0 = at.dataframe[0].value
    code = df0.iloc[0]["任务编号"]
    assert int(df0.iloc[0]["催办次数"]) == count0
    at.text_input(key="urge-note").input("请本周内办结")
    at.button(key="urge-btn").click().run()
    assert not at.exception, at.exception
    assert _urges(writable_app, task_id) == (count0 + 1, events0 + 1)
    df1 = at.dataframe[0].value
    assert int(df1.loc[df1["任务编号"] == code, "催办次数"].iloc[0]) == count0 + 1
    assert any("累计催办" in s.value for s in at.success)
    note = scalar(writable_app, "SELECT note FROM task_event WHERE task_id=? ORDER BY id DESC LIMIT 1", (task_id,))
    assert note == "请本周内办结"
    at.run()  # another rerun: still exactly one new event
    assert _urges(writable_app, task_id) == (count0 + 1, events0 + 1)


def test_views_filters_and_screening_report(app_env):
    at = open_tasks()
    at.segmented_control(key="tasks-view").set_value("escalated").run()
    assert not at.exception, at.exception
    df = at.dataframe[0].value
    assert (df["逾期天数"] > 3).all()
    longest = int(df["逾期天数"].max())  # a threshold the data reaches, whatever the generator drew
    at.number_input(key="f-days").set_value(longest).run()
    kept = at.dataframe[0].value["逾期天数"]
    assert len(kept) >= 1 and (kept >= longest).all()
    at.number_input(key="f-days").set_value(0).run()
    label = at.dataframe[0].value["模块"].iloc[-1]
    code = {v: k for k, v in MODULE_LABEL.items()}[label]
    at.selectbox(key="f-module").select(code).run()
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["模块"]) == {label}
    assert at.selectbox(key="f-category").format_func(at.selectbox(key="f-category").value) == "全部"
    at.segmented_control(key="tasks-view").set_value("screening").run()
    assert not at.exception, at.exception
    assert any(m.label == "拦截占比" for m in at.metric)


def test_timeline_shows_the_event_chain(app_env):
    at = open_tasks()
    assert any("派发" in m.value for m in at.markdown), "timeline chain missing"
    timeline = [d.value for d in at.dataframe if "动作" in d.value.columns][0]
    assert timeline["动作"].iloc[0] == "派发"


def test_as_of_picker_changes_the_day_in_view(app_env):
    from datetime import date

    from sqlmodel import Session

    from core.db import make_engine
    from core.scope import Scope
    from core.task_alerts import alert_counts

    at = open_tasks()
    at.date_input(key="tasks-as-of").set_value("2026-06-15").run()
    assert not at.exception, at.exception
    assert str(at.session_state["as_of"]) == "2026-06-15"
    assert any("数据截至 2026年6月15日" in c.value for c in at.caption)
    eng = make_engine(app_env)
    with Session(eng) as s:
        root = s.exec(sa.text("SELECT id FROM region WHERE level='county' ORDER BY id LIMIT 1")).scalar()
        counts = alert_counts(s, Scope(int(root), "county"), date(2026, 6, 15))
    eng.dispose()
    shown = {m.label: m.value for m in at.metric}
    assert shown["临期"] == f"{counts['near_due']:,}" and shown["升级至县"] == f"{counts['county']:,}"
