"""Browser, 1920×1080, signed in through the form: the remaining desks (五议两公开 steps, 民情日记, the
township's dispatches) and find-anything in the sidebar; every screen is saved under tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from harness.browser import assert_only_local, screenshot, wait_idle
from tests.e2e.desk_helpers import CLOCK, alert_text, choose, press, section, signed_in
from tests.sql import rows as sql_rows
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def db(tiny_copy) -> str:
    return tiny_copy()


@pytest.fixture(scope="module")
def url(start_app, db) -> str:
    return start_app(env={"DATABASE_URL": db, "XINGCUN_CLOCK": CLOCK}).url


def test_village_secretary_opens_a_decision_and_records_a_step(chromium_browser, url, db):
    bp = signed_in(chromium_browser, url, "village_secretary")
    page = bp.page
    section(page, "议事决策")
    page.get_by_text("发起议事", exact=True).first.click()
    page.get_by_label("议事事项").fill("村道拓宽工程（浏览器测试）")
    page.get_by_role("button", name="发起议事", exact=True).click()
    wait_idle(page)
    assert "村道拓宽工程" in alert_text(page, "ok"), alert_text(page, "err")
    did = scalar(db, "SELECT id FROM decision WHERE title = '村道拓宽工程（浏览器测试）'")
    choose(page, "打开事项（或点击表格中的一行）", "村道拓宽工程")
    choose(page, "五议两公开步骤", "村党组织提议")  # step 2 before step 1: recorded, and flagged
    page.get_by_label("会议纪要").fill("支委会提议拓宽村道（浏览器测试）")
    press(page, "记录步骤")
    assert "已记录步骤" in alert_text(page, "ok"), alert_text(page, "err")
    assert sql_rows(db, "SELECT step, seq FROM decision_step WHERE decision_id = ?", (did,)) == [(2, 1)]
    assert scalar(db, "SELECT count(*) FROM decision_event WHERE decision_id = ?", (did,)) == 2
    choose(page, "打开事项（或点击表格中的一行）", "村道拓宽工程")
    warn = " ".join(e.inner_text() for e in page.query_selector_all("[data-testid='stAlertContentWarning']"))
    assert "缺少" in warn and "党员群众建议" in warn, warn
    screenshot(page, "desk-village-decisions-1920x1080")
    assert_only_local(bp.requests)
    bp.page.context.close()


def test_grid_worker_records_a_household_visit(chromium_browser, url, db):
    bp = signed_in(chromium_browser, url, "grid_worker")
    page = bp.page
    before = scalar(db, "SELECT count(*) FROM diary_visit")
    section(page, "民情日记")
    page.get_by_text(re.compile(r"未走访 \d+ 户")).first.wait_for(timeout=30_000)
    press(page, "记录走访")
    assert "已记录走访" in alert_text(page, "ok"), alert_text(page, "err")
    assert scalar(db, "SELECT count(*) FROM diary_visit") == before + 1
    screenshot(page, "desk-grid-diary-1920x1080")
    section(page, "回访评价")
    screenshot(page, "desk-grid-callbacks-1920x1080")
    bp.page.context.close()


def _opened(page, key: str) -> str:
    """The code of the item the pick box `key` names."""
    text = page.locator(f".st-key-{key}").evaluate(
        "e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value + ' ' + (i.getAttribute('aria-label') || '')).join(' ')")
    found = re.search(r"RW\d+", text)
    assert found, text
    return found.group(0)


def _shown(page) -> str:
    """The code in the opened item's facts."""
    found = re.search(r"任务编号\s*[：:]\s*(RW\d+)", page.inner_text("[data-testid='stMain']"))
    assert found, "no task facts shown"
    return found.group(1)


def test_township_desks_of_the_other_roles(chromium_browser, url):
    for username, shot in (("line_cadre", "desk-line-cadre-1920x1080"), ("town_admin", "desk-town-admin-1920x1080")):
        bp = signed_in(chromium_browser, url, username)
        section(bp.page, "我派发的" if username == "line_cadre" else "待评分")
        assert not bp.page.query_selector("[data-testid='stException']")
        screenshot(bp.page, shot)
        bp.page.context.close()


def test_one_click_on_a_row_opens_it_and_the_pick_box_stays_free(chromium_browser, url):
    bp = signed_in(chromium_browser, url, "town_admin")
    page = bp.page
    section(page, "待评分")
    first = _opened(page, "score-pick")
    assert _shown(page) == first
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 * 1.5)  # the row marker of the second row
    wait_idle(page)
    second = _opened(page, "score-pick")
    assert second != first and _shown(page) == second
    box = page.get_by_role("combobox", name="打开事项（或点击表格中的一行）")
    box.click()
    page.get_by_role("option").nth(2).click()  # the third item, picked in the box while the second row stays clicked
    wait_idle(page)
    third = _opened(page, "score-pick")
    assert third not in (first, second) and _shown(page) == third
    screenshot(page, "desk-town-admin-picked-1920x1080")
    bp.page.context.close()


def test_find_anything_by_pinyin_initials_jumps_to_the_village(chromium_browser, url, db):
    name, code = sql_rows(db, "SELECT r.name, r.code FROM user_account u JOIN post p ON p.id = u.post_id "
                              "JOIN region r ON r.id = p.region_id WHERE u.username = 'village_secretary'")[0]
    from core.search import initials

    bp = signed_in(chromium_browser, url, "town_leader")
    page = bp.page
    box = page.get_by_label("查找")
    box.fill(initials(name, phrase=True))
    box.press("Enter")
    wait_idle(page)
    hit = page.locator("[data-testid='stSidebar'] button", has_text=name).first
    hit.wait_for(timeout=30_000)
    screenshot(page, "desk-search-results-1920x1080")
    hit.click()
    wait_idle(page, timeout_ms=120_000)
    assert f"region={code}" in page.url, page.url
    assert name in page.inner_text("h1"), page.inner_text("h1")
    page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=60_000)
    wait_idle(page, settle_ms=1500)
    screenshot(page, "desk-search-jumped-1920x1080")
    box = page.get_by_label("查找")
    box.fill("张")  # people too, within the township only
    box.press("Enter")
    wait_idle(page)
    screenshot(page, "desk-search-people-1920x1080")
    assert_only_local(bp.requests)
    bp.page.context.close()
