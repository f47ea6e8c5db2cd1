"""Browser: the 领雁指数 drill-down and a 村社档案 at 1920×1080, offline, with screenshots in tests/artifacts/.

Runs against the session's tiny database, or $XINGCUN_LEADER_E2E_DB (e.g. /tmp/xc/x3.db for fuller pictures).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.browser import assert_only_local, screenshot, wait_idle
from tests.sql import first_code, scalar, url_of

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def leader_db(tiny_url) -> str | Path:
    """The database the server reads (a file path or URL)."""
    return os.environ.get("XINGCUN_LEADER_E2E_DB") or tiny_url


@pytest.fixture(scope="module")
def leader_url(start_app, leader_db) -> str:
    """A server on the leader database, warmed through the entrypoint (deep links need app.py first)."""
    handle = start_app(env={"DATABASE_URL": url_of(leader_db)})
    return handle.url


def _open(browser_page, url: str) -> object:
    page = browser_page.page
    page.goto(url.split("/leaders")[0].split("/village")[0], wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=120_000)
    return browser_page.open(url, timeout_ms=180_000)


def _rule_township(db: str | Path) -> str:
    """A township with its own rule version (so the screenshot shows the rule diff), else the county."""
    town = scalar(db, "SELECT township_id FROM scoring_rule WHERE township_id IS NOT NULL ORDER BY id LIMIT 1")
    return str(town) if town else first_code(db, "county")


def test_leader_drill_down_renders_offline(leader_url, leader_db, browser_page):
    page = _open(browser_page, f"{leader_url}/leaders?region={_rule_township(leader_db)}")
    page.get_by_text("六维画像").first.wait_for(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 3, "radar, trend and waterfall"
    assert page.get_by_text("规则版本").count() >= 1
    screenshot(page, "leaders-ranking-1920x1080")
    page.get_by_text("查看书记").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(600)
    screenshot(page, "leaders-drilldown-1920x1080")
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors, browser_page.page_errors


def test_village_record_renders_offline(leader_url, leader_db, browser_page):
    page = _open(browser_page, f"{leader_url}/village?region={first_code(leader_db, 'village')}")
    page.get_by_text("村社档案").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=60_000)
    assert page.get_by_role("tab").count() == 7
    assert page.get_by_text("导出 Excel").count() == 1 and page.get_by_text("打印简报").count() == 1
    page.wait_for_timeout(1000)
    screenshot(page, "village-record-1920x1080")
    page.get_by_role("tab", name="议事决策（五议两公开）").click()
    page.wait_for_timeout(500)
    page.get_by_role("tab").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    screenshot(page, "village-record-decisions-1920x1080")
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors, browser_page.page_errors
