"""Browser, 1920×1080, real roles signed in through the sign-in form: the task loop on 我的工作台.

1. 分管领导 tries an off-list matter → the 过筛 refusal with its reason, no task;
2. dispatches an on-list matter to two villages;
3. 村书记 signs, starts and completes it with a photo;
4. 分管领导 scores it;
5. the village's completion figure on the cockpit moved: down when the task due this month was dispatched, up
   again when it was completed (on-time and module score come from indicator values: see the xfail test).
The tests run in order on one server and database (module scope).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.attachments import files_root
from harness.browser import assert_only_local, screenshot
from tests.e2e.desk_helpers import CLOCK, alert_text, choose, goto, press, section, set_date, signed_in, tiles
from tests.sql import rows as sql_rows
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")
PHOTO = Path(__file__).with_name("site-photo.jpg")
STATE: dict = {}


@pytest.fixture(scope="module")
def db(tiny_copy) -> str:
    return tiny_copy()


@pytest.fixture(scope="module")
def url(start_app, db) -> str:
    return start_app(env={"DATABASE_URL": db, "XINGCUN_CLOCK": CLOCK}).url


@pytest.fixture(scope="module")
def places(db) -> dict:
    """The secretary's village and another village of the leader's township (names, codes)."""
    (vid, vname, vcode), = sql_rows(db, "SELECT r.id, r.name, r.code FROM user_account u JOIN post p ON p.id = u.post_id "
                                        "JOIN region r ON r.id = p.region_id WHERE u.username = 'village_secretary'")
    other = sql_rows(db, "SELECT id, name FROM region WHERE parent_id = ? AND id != ? ORDER BY id LIMIT 1",
                     (vid // 1000 * 1000, vid))[0]
    return {"village": vid, "name": vname, "code": vcode, "other": other[0], "other_name": other[1]}


def _cockpit_tiles(browser, url, places) -> dict[str, str]:
    bp = signed_in(browser, url, "town_leader")
    goto(bp.page, f"{url}/cockpit?region={places['code']}")
    bp.page.wait_for_selector(".kpi-row", timeout=60_000)
    out = tiles(bp.page)
    STATE.setdefault("shots", []).append(screenshot(bp.page, f"desk-cockpit-village-{len(STATE['shots'])}-1920x1080"))
    bp.page.context.close()
    return out


def _dispatch_form(page, places, matter: str, title: str, villages: bool = True) -> None:
    choose(page, "事项类型", matter)
    if villages:  # the form keeps its values after a refusal
        choose(page, "派发村社（可多选）", places["name"])
        choose(page, "派发村社（可多选）", places["other_name"])
    page.get_by_label("任务标题").fill(title)
    set_date(page, "办理期限", 2026, 10, 31)
    press(page, "派发")


def test_1_leader_tries_an_off_list_matter_and_sees_the_screening_refusal(chromium_browser, url, db, places):
    STATE["before"] = _cockpit_tiles(chromium_browser, url, places)
    tasks = scalar(db, "SELECT count(*) FROM task")
    bp = signed_in(chromium_browser, url, "town_leader")
    page = bp.page
    assert "我的工作台" in page.inner_text("[data-testid='stSidebarNav']")
    page.get_by_text("派发任务（准入清单过筛）").wait_for(timeout=60_000)
    _dispatch_form(page, places, "X-04", "台账材料报送（浏览器测试）")
    err = alert_text(page, "err")
    assert "过筛未通过" in err and "不在村级准入清单内" in err and "X-04" in err, err
    assert scalar(db, "SELECT count(*) FROM task") == tasks
    assert scalar(db, "SELECT count(*) FROM dispatch_screening WHERE matter_code = 'X-04' AND title LIKE '%浏览器测试%'") == 2
    screenshot(page, "desk-town-screening-refused-1920x1080")
    STATE["page"] = bp


def _pct(text: str) -> float:
    return float(text.split("%")[0])


def test_2_leader_dispatches_an_on_list_matter_to_two_villages(chromium_browser, url, db, places):
    page = STATE["page"].page
    chips = page.locator("[data-testid='stMultiSelect']").first.inner_text()
    assert places["name"] in chips and places["other_name"] in chips, chips
    _dispatch_form(page, places, "T-SA-01", "矛盾纠纷排查（浏览器测试）", villages=False)
    ok = alert_text(page, "ok")
    assert "已派发 2 个任务" in ok, ok + alert_text(page, "err")
    rows = sql_rows(db, "SELECT id, code, village_id, status, leader_id FROM task WHERE title = '矛盾纠纷排查（浏览器测试）' "
                        "ORDER BY village_id")
    assert sorted(r[2] for r in rows) == sorted([places["village"], places["other"]])
    assert all(r[3] == "dispatched" for r in rows)
    STATE["task"] = next(r for r in rows if r[2] == places["village"])
    events = sql_rows(db, "SELECT at FROM task_event WHERE task_id = ? AND action = 'dispatch'", (STATE["task"][0],))
    assert str(events[0][0]).startswith("2026-10-31 15:00")  # stamped by the injected clock
    screenshot(page, "desk-town-dispatched-1920x1080")
    assert_only_local(STATE["page"].requests)
    STATE["page"].page.context.close()
    STATE["dispatched"] = _cockpit_tiles(chromium_browser, url, places)  # one more task due this month, not done yet
    assert _pct(STATE["dispatched"]["任务完成率"]) < _pct(STATE["before"]["任务完成率"]), (STATE["before"], STATE["dispatched"])


def test_3_secretary_signs_starts_and_completes_with_a_photo(chromium_browser, url, db):
    tid, code = STATE["task"][0], STATE["task"][1]
    bp = signed_in(chromium_browser, url, "village_secretary")
    page = bp.page
    section(page, "任务收件箱")
    choose(page, "打开事项（或点击表格中的一行）", code)
    screenshot(page, "desk-village-inbox-1920x1080")
    press(page, "签收")
    assert "已签收" in alert_text(page, "ok"), alert_text(page, "err")
    choose(page, "打开事项（或点击表格中的一行）", code)
    press(page, "开始办理")
    assert scalar(db, "SELECT status FROM task WHERE id = ?", (tid,)) == "in_progress"
    choose(page, "打开事项（或点击表格中的一行）", code)
    page.get_by_label("办结说明").fill("已逐户排查，调处纠纷 2 起（浏览器测试）")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(PHOTO))
    page.wait_for_timeout(800)
    press(page, "办结")
    assert "已办结" in alert_text(page, "ok"), alert_text(page, "err")
    assert scalar(db, "SELECT status FROM task WHERE id = ?", (tid,)) == "done"
    note = scalar(db, "SELECT note FROM task_event WHERE task_id = ? AND action = 'complete'", (tid,))
    assert "附件 1 个" in note
    files = files_root(db) / "task_event"  # the run's XINGCUN_FILES_DIR (tests/conftest.py), as the server has it
    assert any(p.suffix == ".jpg" for p in files.rglob("*")), list(files.rglob("*"))
    screenshot(page, "desk-village-completed-1920x1080")
    assert_only_local(bp.requests)
    bp.page.context.close()


def test_4_leader_scores_it(chromium_browser, url, db):
    tid, code = STATE["task"][0], STATE["task"][1]
    bp = signed_in(chromium_browser, url, "town_leader")
    page = bp.page
    section(page, "待评分")
    choose(page, "打开事项（或点击表格中的一行）", code)
    page.get_by_label("质量评分（0–100）").fill("95")
    press(page, "评分")
    assert "已评分" in alert_text(page, "ok"), alert_text(page, "err")
    assert sql_rows(db, "SELECT status, quality_score FROM task WHERE id = ?", (tid,))[0] == ("scored", 95.0)
    screenshot(page, "desk-town-scored-1920x1080")
    bp.page.context.close()


def test_5_the_villages_completion_changed_on_the_cockpit(chromium_browser, url, places):
    after = _cockpit_tiles(chromium_browser, url, places)
    STATE["after"] = after
    # dispatch (due this month) lowered it; the completion through the desk raised it again
    assert _pct(after["任务完成率"]) > _pct(STATE["dispatched"]["任务完成率"]), (STATE["dispatched"], after)


@pytest.mark.xfail(strict=False, reason="the tiny preset's village is at 100 % on time in every task module for "
                   "2026-10 (1/1, 1/1, 1/1, 4/4), so an on-time completion leaves the figure and the score where they "
                   "were; tests/core/test_live.py moves them with an overdue completion")
def test_5_the_villages_on_time_figure_and_module_score_changed_on_the_cockpit():
    before, after = STATE["dispatched"], STATE["after"]
    assert after["按时办结率"] != before["按时办结率"], (before, after)
    assert after["综合得分"] != before["综合得分"], (before, after)
