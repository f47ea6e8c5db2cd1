"""AppTest: 我的工作台 renders for every role that has one, is their first page with a count in the menu,
refuses actions in time travel with one message, and an action through the page writes one event."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import dispose_engines
from tests.sql import scalar

APP = str(REPO_ROOT / "app.py")
DESK_ROLES = ["town_admin", "town_party_deputy", "town_leader", "stationed_cadre", "line_cadre", "village_admin",
              "village_secretary", "village_committee", "grid_worker", "dept_staff"]
#: Sections per desk (道德银行 on the township, village and grid desks since #22).
SECTIONS = {"dept_staff": 1, "town_admin": 8, "town_leader": 7, "line_cadre": 3, "town_party_deputy": 3, "stationed_cadre": 2,
            "village_admin": 6, "village_secretary": 6, "village_committee": 6, "grid_worker": 5}


@pytest.fixture
def writable_app(writable_url, monkeypatch):
    """The app on a private copy of the tiny database (these tests write)."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", writable_url)
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield writable_url
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


def open_desk(username: str, **params: str) -> AppTest:
    """The app signed in as `username`, on its first page."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["username"] = username
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def section_keys(username: str) -> list[str]:
    """The section keys the desk of `username` shows (from the page's own code)."""
    from ui import desk_village

    if username == "dept_staff":
        return ["dept_cases"]
    if username.startswith(("town", "stationed", "line")):
        town = {"town_admin": ["dispatch", "to_score", "dispatched", "review", "town_appeals", "bidding", "one_thing"],
                "town_leader": ["dispatch", "to_score", "dispatched", "town_appeals", "bidding", "one_thing"],
                "line_cadre": ["dispatch", "dispatched", "town_appeals"]}
        return town.get(username, ["dispatched", "town_appeals"])
    return list(desk_village.GRID_SECTIONS if username == "grid_worker" else desk_village.VILLAGE_SECTIONS)


def _texts(at: AppTest) -> str:
    return " ".join([e.value for e in (*at.title, *at.caption, *at.info, *at.warning, *at.error, *at.success)]
                    + [m.label + str(m.value) for m in at.metric])


@pytest.mark.parametrize("username", DESK_ROLES)
def test_every_desk_renders_as_the_first_page_of_its_role(app_env, username):
    at = open_desk(username)
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("我的工作台"), at.title[0].value
    labels = [m.label for m in at.metric]
    assert labels == ["待我处理", "临期", "逾期"], labels
    options = [o.content for o in at.get("button_group")[0].proto.options]
    assert len(options) == SECTIONS[username], options
    for key in section_keys(username):  # every section of the role opens without an error
        at.session_state["desk-section"] = key
        at.run()
        assert not at.exception, (key, at.exception)
        assert not at.error, (key, [e.value for e in at.error])


def test_the_dispatch_form_starts_on_an_ordinary_matter(app_env):
    """Not on 其他/加急 (which needs a reason and a review) nor on an off-list matter."""
    from sqlmodel import Session

    from core.db import make_engine
    from core.dispatching import matter_catalog

    at = open_desk("town_leader")
    code = at.selectbox(key="d-matter").value
    engine = make_engine(app_env)
    try:
        with Session(engine) as s:
            cat = matter_catalog(s).set_index("code")
    finally:
        engine.dispose()
    assert bool(cat.loc[code, "on_list"]) and not bool(cat.loc[code, "emergency"]), code


@pytest.mark.parametrize("username", ["county_admin", "screen_viewer"])
def test_roles_without_a_desk_keep_the_cockpit_first_and_no_desk_in_the_menu(app_env, username):
    at = open_desk(username)
    assert not at.exception, at.exception
    assert not at.title[0].value.startswith("我的工作台")
    assert "pages/desk.py" not in at.session_state["_pages"]


def test_time_travel_turns_actions_off_with_one_message(app_env):
    at = open_desk("village_secretary", as_of="2026-09-30")
    assert not at.exception, at.exception
    assert any("只读时间回溯" in w.value for w in at.warning), [w.value for w in at.warning]
    assert all(b.disabled for b in at.button if b.label in ("签收", "开始办理", "退回"))


def _dispatch_to_secretary(url: str) -> int:
    """A task dispatched by the town leader to the demo secretary's village (through core); its id."""
    from datetime import datetime, timedelta

    from sqlmodel import Session

    from core import dispatching
    from core.auth import actor_for_username
    from core.db import make_engine, session_scope

    engine = make_engine(url)
    try:
        with Session(engine) as s:
            leader, _ = actor_for_username(s, "town_leader")
            village = actor_for_username(s, "village_secretary")[0].region_id
        now = datetime(2026, 10, 31, 9, 0)
        with session_scope(engine, write=True) as s:
            task = dispatching.dispatch_batch(s, actor=leader, village_ids=[village], matter_code="T-SA-01", title="桌面测试",
                                              category="township", deadline=now.date() + timedelta(days=5), now=now)[0]
            return int(task.id)
    finally:
        engine.dispose()


def test_sign_from_the_desk_writes_one_event(writable_app):
    tid = _dispatch_to_secretary(writable_app)
    before = scalar(writable_app, "SELECT count(*) FROM task_event WHERE task_id = ?", (tid,))
    at = open_desk("village_secretary")
    at.selectbox(key="inbox-pick").set_value(tid).run()
    at.button(key=f"sign-{tid}").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert scalar(writable_app, "SELECT status FROM task WHERE id = ?", (tid,)) == "signed"
    assert scalar(writable_app, "SELECT count(*) FROM task_event WHERE task_id = ?", (tid,)) == before + 1
    assert any("已签收" in s.value for s in at.success), [s.value for s in at.success]


def test_a_household_visit_from_the_desk_is_recorded_and_the_next_household_comes_first(writable_app):
    before = scalar(writable_app, "SELECT count(*) FROM diary_visit")
    at = open_desk("grid_worker")
    at.segmented_control(key="desk-section").set_value("diary").run()
    house = next(s for s in at.selectbox if str(s.key).startswith("diary-house-"))
    first = house.value
    assert first is not None
    at.button(key="FormSubmitter:diary-记录走访").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert scalar(writable_app, "SELECT count(*) FROM diary_visit") == before + 1
    assert scalar(writable_app, "SELECT household_no FROM diary_visit ORDER BY id DESC LIMIT 1") == first
    assert any(f"第 {first} 户" in s.value for s in at.success), [s.value for s in at.success]
    nxt = next(s for s in at.selectbox if str(s.key).startswith("diary-house-"))
    assert nxt.value != first  # the visited household moved behind the unvisited ones


def test_the_pick_box_opens_the_next_item_when_the_opened_one_leaves_the_list(writable_app):
    tid = _dispatch_to_secretary(writable_app)
    at = open_desk("village_secretary")
    at.selectbox(key="inbox-pick").set_value(tid).run()
    at.button(key=f"sign-{tid}").click().run()
    at.button(key=f"start-{tid}").click().run()
    at.button(key=f"FormSubmitter:complete-{tid}-办结").click().run()
    assert not at.exception, at.exception
    assert scalar(writable_app, "SELECT status FROM task WHERE id = ?", (tid,)) == "done"
    pick = at.selectbox(key="inbox-pick")
    assert pick.value is not None and pick.value != tid  # the box names the item whose actions are shown
    assert scalar(writable_app, "SELECT status FROM task WHERE id = ?", (pick.value,)) in ("dispatched", "signed", "in_progress")
