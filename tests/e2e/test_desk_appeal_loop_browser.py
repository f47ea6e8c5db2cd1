"""Browser, 1920×1080, real roles signed in through the sign-in form: the appeal loop and the emergency path.

Appeals: 网格员 reports (category, own grid, a place clicked on the grid map, address, description, channel) →
村书记 closes it → 网格员 records the citizen's 差评 → the village's satisfaction moves on 民情与预警 (raw appeals,
live) and on the cockpit (indicator values: xfail until issue 18).
Emergency: 分管领导 dispatches 其他/加急 without a reason (refused), then with one → it waits in the 镇级管理员's
compliance review queue → approving it changes the 过筛 report (审查通过 +1, 待审查 −1).
"""

from __future__ import annotations

import re

import pytest

from harness.browser import assert_only_local, screenshot
from tests.e2e.desk_helpers import CLOCK, alert_text, choose, goto, press, section, set_date, signed_in, tiles
from tests.sql import rows as sql_rows
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")
STATE: dict = {}


@pytest.fixture(scope="module")
def db(tiny_copy) -> str:
    return tiny_copy()


@pytest.fixture(scope="module")
def url(start_app, db) -> str:
    return start_app(env={"DATABASE_URL": db, "XINGCUN_CLOCK": CLOCK}).url


@pytest.fixture(scope="module")
def village(db) -> tuple[int, str]:
    return sql_rows(db, "SELECT r.id, r.code FROM user_account u JOIN post p ON p.id = u.post_id "
                        "JOIN region r ON r.id = p.region_id WHERE u.username = 'grid_worker'")[0]


def _satisfaction(browser, url, code) -> tuple[str, dict]:
    """(满意度 on 民情与预警, cockpit tiles) of the village, as the village secretary sees them."""
    bp = signed_in(browser, url, "village_secretary")
    goto(bp.page, f"{url}/appeals?region={code}")
    metric = bp.page.locator("[data-testid='stMetric']", has_text="满意度（好评率）").first
    metric.wait_for(timeout=90_000)  # the first visit of a fresh server builds the page's caches (slow on a busy machine)
    value = metric.locator("[data-testid='stMetricValue']").inner_text()
    goto(bp.page, f"{url}/cockpit?region={code}")
    bp.page.wait_for_selector(".kpi-row", timeout=60_000)
    out = (value, tiles(bp.page))
    bp.page.context.close()
    return out


def test_grid_worker_reports_an_appeal_on_the_grid_map(chromium_browser, url, db, village):
    STATE["before"] = _satisfaction(chromium_browser, url, village[1])
    bp = signed_in(chromium_browser, url, "grid_worker")
    page = bp.page
    assert page.get_by_role("radio", name=re.compile("^上报诉求")).get_attribute("aria-checked") == "true"
    plot = page.locator("[data-testid='stPlotlyChart']").first
    plot.wait_for(timeout=60_000)
    point = page.locator("[data-testid='stPlotlyChart'] .scatterlayer .trace:last-child .point").nth(20)
    point.click(force=True)
    page.wait_for_timeout(800)
    from harness.browser import wait_idle

    wait_idle(page)
    picked = page.get_by_text(re.compile(r"^已选位置："))
    has_point = picked.count() > 0
    choose(page, "诉求类别", "安全隐患")
    choose(page, "渠道", "随手拍")
    page.get_by_label("地址（在地图上点选或填写）").fill("村文化礼堂东侧路口")
    page.get_by_label("诉求描述（必填）").fill("路灯损坏，夜间通行不安全（浏览器测试）")
    screenshot(page, "desk-grid-report-1920x1080")
    press(page, "上报诉求")
    ok = alert_text(page, "ok")
    m = re.search(r"#(\d+)", ok)
    assert m, ok + alert_text(page, "err")
    STATE["appeal"] = int(m.group(1))
    row = sql_rows(db, "SELECT category, channel, level, status, reported_at, lon, lat, grid_id FROM appeal WHERE id = ?",
                   (STATE["appeal"],))[0]
    assert row[:4] == ("安全隐患", "随手拍", "grid", "reported") and str(row[4]).startswith("2026-10-31 15:00")
    grid_centre = sql_rows(db, "SELECT lon, lat FROM grid WHERE id = ?", (row[7],))[0]
    assert (tuple(row[5:7]) != tuple(grid_centre)) == has_point  # a clicked place is stored, else the grid's centre
    note = scalar(db, "SELECT note FROM appeal_event WHERE appeal_id = ? AND action = 'report'", (STATE["appeal"],))
    assert "路灯损坏" in note and "文化礼堂" in note
    assert_only_local(bp.requests)
    bp.page.context.close()


def test_village_secretary_closes_it(chromium_browser, url, db):
    bp = signed_in(chromium_browser, url, "village_secretary")
    page = bp.page
    section(page, "民情诉求")
    choose(page, "打开事项（或点击表格中的一行）", f"#{STATE['appeal']}")
    page.get_by_label("说明（可选）").fill("已更换路灯")
    screenshot(page, "desk-village-appeals-1920x1080")
    press(page, "办结诉求")
    assert "已办结诉求" in alert_text(page, "ok"), alert_text(page, "err")
    assert scalar(db, "SELECT status FROM appeal WHERE id = ?", (STATE["appeal"],)) == "closed"
    bp.page.context.close()


def test_grid_worker_records_the_citizens_rating(chromium_browser, url, db):
    bp = signed_in(chromium_browser, url, "grid_worker")
    page = bp.page
    section(page, "回访评价")
    choose(page, "打开事项（或点击表格中的一行）", f"#{STATE['appeal']}")
    page.get_by_text("差评", exact=True).click()
    screenshot(page, "desk-grid-callback-1920x1080")
    press(page, "登记评价")
    assert "已登记评价" in alert_text(page, "ok"), alert_text(page, "err")
    assert scalar(db, "SELECT rating FROM appeal WHERE id = ?", (STATE["appeal"],)) == "bad"
    bp.page.context.close()


def test_the_villages_satisfaction_moved_on_the_appeals_page(chromium_browser, url, village):
    STATE["after"] = _satisfaction(chromium_browser, url, village[1])
    before, after = STATE["before"][0], STATE["after"][0]
    assert float(after.rstrip("%")) < float(before.rstrip("%")), (before, after)


def test_the_villages_satisfaction_moved_on_the_cockpit():
    assert STATE["after"][1]["群众满意度"] != STATE["before"][1]["群众满意度"], (STATE["before"][1], STATE["after"][1])


def _report_numbers(page) -> tuple[int, int, int, int]:
    text = page.get_by_text(re.compile("^过筛报告：")).first.inner_text()
    return tuple(int(x) for x in re.findall(r"(\d+) 件", text))  # emergency, approved, flagged, pending


def test_emergency_dispatch_waits_for_review_and_clearing_it_changes_the_screening_report(chromium_browser, url, db, village):
    admin = signed_in(chromium_browser, url, "town_admin")
    section(admin.page, "合规审查")
    before = _report_numbers(admin.page)
    leader = signed_in(chromium_browser, url, "town_leader")
    page = leader.page
    choose(page, "事项类型", "E-99")
    name = scalar(db, "SELECT name FROM region WHERE id = ?", (village[0],))
    choose(page, "派发村社（可多选）", name)
    page.get_by_label("任务标题").fill("台风过境紧急排查（浏览器测试）")
    set_date(page, "办理期限", 2026, 11, 2)
    press(page, "派发")
    assert "加急理由" in alert_text(page, "err"), alert_text(page, "err")
    assert scalar(db, "SELECT count(*) FROM task WHERE title LIKE '台风过境%'") == 0
    page.get_by_label("加急理由（其他/加急事项必填，事后合规审查）").fill("台风红色预警，须当晚完成转移排查")
    press(page, "派发")
    assert "已派发 1 个任务" in alert_text(page, "ok"), alert_text(page, "err")
    tid, code, review = sql_rows(db, "SELECT id, code, needs_review FROM task WHERE title LIKE '台风过境%'")[0]
    assert review
    leader.page.context.close()
    page = admin.page
    goto(page, url + "/")
    section(page, "合规审查")
    mid = _report_numbers(page)
    assert (mid[0], mid[3]) == (before[0] + 1, before[3] + 1), (before, mid)
    choose(page, "打开事项（或点击表格中的一行）", code)
    screenshot(page, "desk-town-review-queue-1920x1080")
    page.get_by_label("审查意见").fill("确属紧急，程序合规")
    press(page, "审查通过")
    assert "已审查通过" in alert_text(page, "ok"), alert_text(page, "err")
    after = _report_numbers(page)
    assert (after[1], after[3]) == (mid[1] + 1, mid[3] - 1), (mid, after)
    assert scalar(db, "SELECT needs_review FROM task WHERE id = ?", (tid,)) == 0
    assert scalar(db, "SELECT count(*) FROM task_event WHERE task_id = ? AND action = 'review_ok'", (tid,)) == 1
    goto(page, f"{url}/tasks")
    page.get_by_role("radio", name="过筛报告").click()
    from harness.browser import wait_idle

    wait_idle(page)
    body = page.inner_text("[data-testid='stApp']")
    assert re.search(r"审查通过 \d+ 件", body), body[:500]
    screenshot(page, "desk-tasks-screening-report-1920x1080")
    assert_only_local(admin.requests)
    admin.page.context.close()
