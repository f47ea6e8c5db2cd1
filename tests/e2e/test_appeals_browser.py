"""Browser: 民情与预警 at 1920×1080, offline, screenshot in tests/artifacts/.

Runs on the session's tiny database, or $XINGCUN_APPEALS_E2E_DB (e.g. /tmp/xc/x3.db for a fuller picture).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.browser import assert_only_local, screenshot, wait_idle
from tests.sql import scalar, url_of

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def appeals_db(tiny_url) -> str | Path:
    """The database the server reads (a file path or URL)."""
    return os.environ.get("XINGCUN_APPEALS_E2E_DB") or tiny_url


def _county(db: str | Path) -> str:
    return scalar(db, "SELECT code FROM region WHERE level='county' ORDER BY id LIMIT 1")


def test_appeals_page_renders_offline_with_warnings(start_app, appeals_db, browser_page):
    url = start_app(env={"DATABASE_URL": url_of(appeals_db)}).url
    page = browser_page.page
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=120_000)
    browser_page.open(f"{url}/appeals?region={_county(appeals_db)}", timeout_ms=180_000)
    page.get_by_text("民情与预警").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 3, "trend, funnel, satisfaction"
    assert page.get_by_text("在地图中查看").count() >= 1
    page.wait_for_timeout(800)
    screenshot(page, "appeals-1920x1080")
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors, browser_page.page_errors
