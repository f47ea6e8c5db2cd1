"""AppTest: 一件事 through 我的工作台 — the town leader opens a case with two co-handling departments, each
department's staff complete their own step on their desk, the township confirms closure and rates the departments;
the 特色场景 page shows the cases and the department ranking."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.auth import hash_password
from core.config import REPO_ROOT, AuthConfig, reset_settings
from core.db import dispose_engines
from tests.apptest import assert_clean, open_desk
from tests.sql import execute, rows, scalar


@pytest.fixture
def writable_app(writable_url, monkeypatch):
    """The app on a private copy of the tiny database, clock on the demo's live day; an account per department."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", writable_url)
    monkeypatch.setenv("XINGCUN_CLOCK", "2026-10-31T15:00:00")
    county = scalar(writable_url, "SELECT p.region_id FROM user_account u JOIN post p ON p.id = u.post_id "
                                  "WHERE u.username = 'county_admin'")
    pw = hash_password(AuthConfig().demo_password)
    heads = rows(writable_url, "SELECT d.name, min(p.id) FROM department d JOIN post p ON p.department_id = d.id "
                               "WHERE d.county_id = ? GROUP BY d.id, d.name", (county,))
    execute(writable_url, [("INSERT INTO user_account (username, password_hash, post_id, display_name, read_only, active, "
                            "failed_attempts) VALUES (?, ?, ?, ?, FALSE, TRUE, 0)", (f"dept-{name}", pw, post, name))
                           for name, post in heads])
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield writable_url
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


desk, ok = open_desk, assert_clean


def press(at: AppTest, label: str) -> AppTest:
    return at.button[[b.label for b in at.button].index(label)].click().run()


def test_a_case_with_two_departments_closes_and_is_rated_through_the_desks(writable_app):
    at = desk("town_leader", "one_thing")
    ok(at)
    at.selectbox(key="co-type").set_value("矛盾纠纷联调")
    at.text_input(key="co-title").set_value("土地流转纠纷（页面测试）")
    press(at, "发起")
    ok(at)
    cid, code = rows(writable_app, "SELECT id, code FROM one_thing_case WHERE title = '土地流转纠纷（页面测试）'")[0]
    assert scalar(writable_app, "SELECT count(*) FROM case_step WHERE case_id = ?", (cid,)) == 4
    for name in ("县公安局", "县民政局", "县人力社保局"):
        at = desk(f"dept-{name}", "dept_cases")
        ok(at)
        at.selectbox(key="desk-dept-cases-pick").set_value(cid).run()
        press(at, "本部门环节办结")
        ok(at)
        assert any("本部门环节已办结" in s.value for s in at.success)
    at = desk("town_leader", "one_thing")
    at.selectbox(key="desk-cases-pick").set_value(cid).run()
    press(at, "确认办结")
    ok(at)
    assert scalar(writable_app, "SELECT closed_at IS NOT NULL FROM one_thing_case WHERE id = ?", (cid,)) == 1
    at.selectbox(key="desk-cases-pick").set_value(cid).run()
    press(at, "提交评价")  # the first department's form: 好评 by default
    ok(at)
    assert rows(writable_app, "SELECT rating FROM dept_rating WHERE case_id = ?", (cid,)) == [("good",)]
    assert code.startswith("YJS")


def test_scenes_page_shows_cases_and_the_department_ranking(app_env):
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "scenes.py"), default_timeout=60)
    at.session_state["username"] = "county_admin"
    at.session_state["scenes-tab"] = "one_thing"
    at.run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric] == ["办理中", "已办结", "超时卡点", "平均办理天数"]
    ranking = at.dataframe[0].value
    assert len(ranking) >= 5 and list(ranking["排名"]) == list(range(1, len(ranking) + 1))
