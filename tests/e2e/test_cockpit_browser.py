"""Browser: the cockpit at city (data/xingcun.db when built) and township level at 1920×1080, offline.

Saves screenshots in tests/artifacts/ and checks that two KPI tiles show the core values for that
region and month. $XINGCUN_COCKPIT_E2E_DB overrides the database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session

from core import kpis, scoring
from core.config import DEFAULT_AS_OF
from core.db import make_engine
from core.regions import dataset_root
from core.scope import Scope
from harness.browser import assert_only_local, screenshot, wait_idle
from tests.sql import first_code, scalar, url_of

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def cockpit_db(city_lite_url) -> str | Path:
    """$XINGCUN_COCKPIT_E2E_DB, else the session's city_lite database (real 绍兴 layout, city level)."""
    env = os.environ.get("XINGCUN_COCKPIT_E2E_DB")
    return Path(env) if env else city_lite_url


@pytest.fixture(scope="module")
def cockpit_url(start_app, cockpit_db) -> str:
    """A server on the cockpit database."""
    return start_app(env={"DATABASE_URL": url_of(cockpit_db)}).url


def _expected(db: str | Path, code: str) -> tuple[int, dict]:
    engine = make_engine(url_of(db))
    with Session(engine) as s:
        root = dataset_root(s)
        period = scoring.available_periods(s)[-1]
        k = kpis.period_kpis(s, Scope(root.id, root.level), int(code), period, scoring.previous_period(period),
                             DEFAULT_AS_OF)
    engine.dispose()
    return period, k


def _tile(page, label: str) -> str:
    return page.locator(".kpi", has_text=label).first.locator(".kpi-value").inner_text().strip()


@pytest.mark.parametrize("level", ["root", "township"])
def test_cockpit_tiles_match_core(cockpit_url, cockpit_db, browser_page, level):
    code = first_code(cockpit_db, "township") if level == "township" else None
    page = browser_page.page
    browser_page.username = "city_admin"
    browser_page.open(cockpit_url, timeout_ms=180_000)
    if code:
        browser_page.open(f"{cockpit_url}/?region={code}", timeout_ms=180_000)
    page.locator(".kpi").first.wait_for(timeout=120_000)
    wait_idle(page, timeout_ms=120_000)
    shown_code = code or str(dataset_root_code(cockpit_db))
    period, k = _expected(cockpit_db, shown_code)
    assert _tile(page, "任务完成率") == f"{k['completion'][0]:.1f}%"
    assert _tile(page, "逾期任务") == f"{k['overdue'][0]:,}"
    assert f"period={period}" in page.url
    name = "city" if len(shown_code) == 12 and shown_code.endswith("00000000") else level
    screenshot(page, f"cockpit-{name}-1920x1080")
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors


def dataset_root_code(db: str | Path) -> str:
    """Code of the dataset's root region."""
    return scalar(db, "SELECT code FROM region WHERE parent_id IS NULL ORDER BY id LIMIT 1")


#: What the issue allows on the English cockpit: the language switch's own name (中文) and little else.
ENGLISH_CJK_LIMIT = 40


def _cjk_outside_parentheses(text: str) -> list[str]:
    depth, found = 0, []
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and "\u3400" <= ch <= "\u9fff":
            found.append(ch)
    return found


@pytest.mark.parametrize("level", ["root", "township"])
def test_english_cockpit_shows_names_in_pinyin(cockpit_url, cockpit_db, browser_page, level):
    """?lang=en: places and people read "Keqiao District (柯桥区)"; Chinese stays only beside them."""
    code = first_code(cockpit_db, "township") if level == "township" else None
    browser_page.username = "city_admin"
    page = browser_page.open(f"{cockpit_url}/?lang=en" + (f"&region={code}" if code else ""), timeout_ms=180_000)
    page.locator(".kpi").first.wait_for(timeout=120_000)
    wait_idle(page, timeout_ms=120_000)
    text = page.evaluate("() => { const app = document.querySelector('[data-testid=stApp]'); let t = app.innerText;"
                         " app.querySelectorAll('svg text').forEach(e => { t += '\\n' + e.textContent; }); return t; }")
    outside = _cjk_outside_parentheses(text)
    assert len(outside) < ENGLISH_CJK_LIMIT, "".join(outside)
    assert " District (" in text or " Town (" in text or " Subdistrict (" in text or " Village (" in text or " Community (" in text
    screenshot(page, f"cockpit-en-{level}-1920x1080")
    assert not browser_page.page_errors
