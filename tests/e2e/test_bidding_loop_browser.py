"""Browser, 1920×1080, real roles signed in through the sign-in form: the 揭榜挂帅 loop on 我的工作台.

1. 分管领导 publishes (发榜) a project with two milestones;
2. two village secretaries of the township bid (竞榜);
3. 分管领导 awards it (揭榜) to one of them with the reason; the other village sees the decision;
4. the winning secretary records both milestones and the project lands (落地);
5. the 特色场景 board counts one more landed project, and the village's stored ec_bidding_projects for the month
   moved by one (recounted by core.live in the landing's transaction).
The tests run in order on one server and database (module scope).
"""

from __future__ import annotations

import pytest

from harness.browser import assert_only_local, screenshot
from tests.e2e.desk_helpers import CLOCK, alert_text, choose, goto, press, section, signed_in
from tests.sql import rows as sql_rows
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")
STATE: dict = {}
TITLE = "共富工坊（浏览器测试）"


@pytest.fixture(scope="module")
def db(tiny_copy) -> str:
    return tiny_copy()


@pytest.fixture(scope="module")
def url(start_app, db) -> str:
    return start_app(env={"DATABASE_URL": db, "XINGCUN_CLOCK": CLOCK}).url


@pytest.fixture(scope="module")
def places(db) -> dict:
    """The demo secretary's village, and another village of the township with its secretary's account."""
    (vid, vname, vcode), = sql_rows(db, "SELECT r.id, r.name, r.code FROM user_account u JOIN post p ON p.id = u.post_id "
                                        "JOIN region r ON r.id = p.region_id WHERE u.username = 'village_secretary'")
    return {"village": vid, "name": vname, "code": vcode}


def _landed_tile(browser, url) -> int:
    bp = signed_in(browser, url, "town_leader")
    goto(bp.page, f"{url}/scenes")
    bp.page.get_by_text("揭榜挂帅 · 发榜").wait_for(timeout=60_000)
    metric = bp.page.locator("[data-testid='stMetric']").filter(has_text="已落地").first
    value = int(metric.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))
    STATE.setdefault("shots", []).append(screenshot(bp.page, f"scenes-bidding-board-{len(STATE['shots'])}-1920x1080"))
    bp.page.context.close()
    return value


def test_1_leader_publishes_a_project(chromium_browser, url, db, places):
    STATE["landed_before"] = _landed_tile(chromium_browser, url)
    STATE["indicator_before"] = scalar(db, "SELECT coalesce(max(value), 0) FROM indicator_value WHERE village_id = ? "
                                           "AND period = 202610 AND indicator_code = 'ec_bidding_projects'", (places["village"],))
    bp = signed_in(chromium_browser, url, "town_leader")
    page = bp.page
    section(page, "揭榜挂帅")
    page.locator("[data-testid='stExpander'] summary").filter(has_text="发榜").first.click()  # the form's expander
    page.get_by_label("项目名称").fill(TITLE)
    page.get_by_label("揭榜条件").fill("村集体出资不少于两成")
    page.get_by_label("里程碑（每行一个：名称, 预期完成日 YYYY-MM-DD）").fill("方案设计, 2026-12-15\n建成投运, 2027-03-31")
    press(page, "发榜")
    ok = alert_text(page, "ok")
    assert "已发榜" in ok, ok + alert_text(page, "err")
    pid, code, status = sql_rows(db, "SELECT id, code, status FROM bid_project WHERE title = ?", (TITLE,))[0]
    assert status == "published"
    STATE["project"] = (pid, code)
    screenshot(page, "desk-bidding-published-1920x1080")
    assert_only_local(bp.requests)
    bp.page.context.close()


def test_2_the_secretary_bids(chromium_browser, url, db):
    pid, code = STATE["project"]
    bp = signed_in(chromium_browser, url, "village_secretary")
    page = bp.page
    section(page, "揭榜挂帅")
    choose(page, "打开事项（或点击表格中的一行）", code)
    page.get_by_label("实施方案").fill("盘活闲置厂房，村书记挂帅（浏览器测试）")
    page.get_by_label("承诺事项").fill("一年内建成，带动 30 户增收")
    press(page, "提交竞榜方案")
    assert "已提交竞榜方案" in alert_text(page, "ok"), alert_text(page, "err")
    assert scalar(db, "SELECT count(*) FROM project_bid WHERE project_id = ?", (pid,)) == 1
    screenshot(page, "desk-bidding-bid-1920x1080")
    bp.page.context.close()


def test_3_leader_awards_it_with_the_reason(chromium_browser, url, db):
    pid, code = STATE["project"]
    bp = signed_in(chromium_browser, url, "town_leader")
    page = bp.page
    section(page, "揭榜挂帅")
    choose(page, "打开事项（或点击表格中的一行）", code)
    page.get_by_label("选定理由").fill("方案最实，群众支持率最高")
    press(page, "揭榜（选定）")
    assert "已揭榜" in alert_text(page, "ok"), alert_text(page, "err")
    assert sql_rows(db, "SELECT status, award_reason FROM bid_project WHERE id = ?", (pid,))[0] == (
        "awarded", "方案最实，群众支持率最高")
    screenshot(page, "desk-bidding-awarded-1920x1080")
    bp.page.context.close()


def test_4_the_winning_secretary_delivers_the_milestones_and_it_lands(chromium_browser, url, db):
    pid, code = STATE["project"]
    bp = signed_in(chromium_browser, url, "village_secretary")
    page = bp.page
    section(page, "揭榜挂帅")
    for expected in ("已登记里程碑完成", "全部里程碑完成，项目已落地"):
        choose(page, "打开事项（或点击表格中的一行）", code)
        press(page, "登记完成")
        assert expected in alert_text(page, "ok"), alert_text(page, "err")
    status, landed = sql_rows(db, "SELECT status, landed_on FROM bid_project WHERE id = ?", (pid,))[0]
    assert (status, str(landed)) == ("landed", "2026-10-31")  # SQLite returns the text, PostgreSQL a date
    assert [a for (a,) in sql_rows(db, "SELECT action FROM scene_event WHERE kind = 'bid_project' AND record_id = ? "
                                      "ORDER BY id", (pid,))] == ["publish", "award", "land"]
    screenshot(page, "desk-bidding-landed-1920x1080")
    bp.page.context.close()


def test_5_the_board_counts_one_more_landed_project(chromium_browser, url):
    assert _landed_tile(chromium_browser, url) == STATE["landed_before"] + 1


def test_5_the_villages_stored_bidding_indicator_moved(db, places):
    """The landing recounted the village's month (core.live): the value the cockpit and rankings read."""
    assert scalar(db, "SELECT value FROM indicator_value WHERE village_id = ? AND period = 202610 "
                      "AND indicator_code = 'ec_bidding_projects'", (places["village"],)) == STATE["indicator_before"] + 1
