"""AppTest: 揭榜挂帅 through 我的工作台 — the town leader publishes, the village secretary bids, the town leader
awards, the secretary records the milestones and the project lands; a malformed milestone line is refused with
one message and writes nothing; the 特色场景 page shows the board by stage."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, get_settings
from tests.apptest import assert_clean, open_desk
from tests.sql import scalar


def desk(username: str, section: str = "bidding") -> AppTest:
    return open_desk(username, section)


ok = assert_clean


def test_publish_bid_award_and_milestones_through_the_desk(live_app):
    day = get_settings().as_of
    at = desk("town_leader")
    ok(at)
    at.text_input(key="bp-title").set_value("桌面揭榜项目")
    at.text_area(key="bp-conditions").set_value("村集体出资不少于两成")
    at.text_area(key="bp-milestones").set_value(f"方案设计, {day + timedelta(days=30)}\n建成, {day + timedelta(days=60)}")
    at.button[[b.label for b in at.button].index("发榜")].click().run()
    ok(at)
    pid = scalar(live_app, "SELECT id FROM bid_project WHERE title = '桌面揭榜项目'")
    assert pid and any("已发榜" in s.value for s in at.success)
    assert scalar(live_app, "SELECT count(*) FROM scene_event WHERE kind = 'bid_project' AND record_id = ?", (pid,)) == 1

    at = desk("village_secretary")
    ok(at)
    at.selectbox(key="desk-bidding-pick").set_value(pid).run()
    at.text_area(key=f"bs-plan-{pid}").set_value("流转土地，村书记挂帅")
    at.text_input(key=f"bs-commit-{pid}").set_value("一年建成")
    at.button[[b.label for b in at.button].index("提交竞榜方案")].click().run()
    ok(at)
    bid = scalar(live_app, "SELECT id FROM project_bid WHERE project_id = ?", (pid,))
    assert bid and any("已提交竞榜方案" in s.value for s in at.success)

    at = desk("town_leader")
    at.selectbox(key="desk-bidding-pick").set_value(pid).run()
    at.text_input(key=f"ba-reason-{pid}").set_value("方案最实")
    at.button[[b.label for b in at.button].index("揭榜（选定）")].click().run()
    ok(at)
    assert scalar(live_app, "SELECT status FROM bid_project WHERE id = ?", (pid,)) == "awarded"

    for _ in range(2):
        at = desk("village_secretary")
        at.selectbox(key="desk-bidding-pick").set_value(pid).run()
        at.button[[b.label for b in at.button].index("登记完成")].click().run()
        ok(at)
    assert scalar(live_app, "SELECT status FROM bid_project WHERE id = ?", (pid,)) == "landed"
    assert any("项目已落地" in s.value for s in at.success), [s.value for s in at.success]


def test_a_malformed_milestone_line_is_refused_with_one_message(live_app):
    before = scalar(live_app, "SELECT count(*) FROM bid_project")
    at = desk("town_leader")
    at.text_input(key="bp-title").set_value("格式不对")
    at.text_area(key="bp-conditions").set_value("条件")
    at.text_area(key="bp-milestones").set_value("方案设计 下个月")
    at.button[[b.label for b in at.button].index("发榜")].click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["里程碑第 1 行格式不对：应为“名称, YYYY-MM-DD”"]
    assert scalar(live_app, "SELECT count(*) FROM bid_project") == before


def test_scenes_page_shows_the_board_by_stage(app_env):
    at = AppTest.from_file(str(REPO_ROOT / "pages" / "scenes.py"), default_timeout=60)
    at.session_state["username"] = "county_admin"
    at.run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["竞榜中", "待揭榜", "落地中", "已落地"], labels
    assert sum(int(m.value.replace(",", "")) for m in at.metric[:4]) > 0
