"""Browser: at 1920×1080 pick an overdue task on 任务督办, click 催办, see its count rise; offline; screenshots."""

from __future__ import annotations

import re

import pytest

from harness.browser import assert_only_local, screenshot, wait_idle
from tests.sql import rows as sql_rows
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def tasks_db(tiny_copy) -> str:
    """URL of a private copy of the tiny database (the test writes a 催办)."""
    return tiny_copy()


@pytest.fixture(scope="module")
def tasks_url(start_app, tasks_db) -> str:
    """A server on the private database."""
    return start_app(env={"DATABASE_URL": tasks_db}).url


def _picked(page) -> tuple[str, int]:
    """(task code, urge count): the code from the 选中任务 select box, the count from the task's details."""
    text = page.get_by_role("combobox", name="选中任务（点击表格中的一行）").input_value()
    m = re.search(r"(RW\d+) · ", text)
    assert m, text
    fact = page.get_by_text(re.compile(r"^催办次数[:：]\s*\d+$")).first.inner_text()
    return m.group(1), int(re.search(r"(\d+)$", fact).group(1))


def _db_count(db: str, code: str) -> tuple[int, int]:
    tid, count = sql_rows(db, "SELECT id, urge_count FROM task WHERE code=?", (code,))[0]
    events = scalar(db, "SELECT count(*) FROM task_event WHERE task_id=? AND action='urge'", (tid,))
    return count, events


def test_urge_an_overdue_task_and_see_the_count_rise(tasks_url, tasks_db, browser_page):
    page = browser_page.page
    page.goto(tasks_url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=120_000)
    browser_page.open(f"{tasks_url}/tasks", timeout_ms=120_000)
    page.get_by_text("任务督办").first.wait_for(timeout=60_000)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=60_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 35 * 1.5)  # the row marker of the second row
    wait_idle(page)
    screenshot(page, "tasks-before-urge-1920x1080")
    code, before = _picked(page)
    db_before = _db_count(tasks_db, code)
    assert db_before[0] == before
    page.get_by_label("催办说明（可选）").fill("请本周内办结（浏览器测试）")
    page.get_by_role("button", name="催办", exact=True).click()
    page.get_by_text("累计催办").first.wait_for(timeout=60_000)
    wait_idle(page)
    code_after, after = _picked(page)
    assert code_after == code and after == before + 1
    assert _db_count(tasks_db, code) == (db_before[0] + 1, db_before[1] + 1)
    page.get_by_text("累计催办").first.scroll_into_view_if_needed()
    screenshot(page, "tasks-urge-1920x1080")
    page.get_by_text("选中任务").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)
    screenshot(page, "tasks-timeline-1920x1080")
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors, browser_page.page_errors
