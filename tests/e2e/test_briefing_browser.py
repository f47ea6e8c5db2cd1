"""Browser: 生成简报 in the sidebar downloads the briefing of the region in view as PDF and Word (offline)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from harness.browser import assert_only_local, screenshot, wait_idle
from tests.sql import scalar

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def briefing_url(start_app, tiny_url) -> str:
    """A server on the tiny database."""
    return start_app(env={"DATABASE_URL": tiny_url}).url


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_sidebar_downloads_the_region_briefing(briefing_url, tiny_db_path, browser_page, tmp_path):
    code = scalar(tiny_db_path, "SELECT code FROM region WHERE level='township' ORDER BY id LIMIT 1")
    name = scalar(tiny_db_path, "SELECT name FROM region WHERE code=?", (code,))
    page = browser_page.page
    browser_page.open(f"{briefing_url}/tasks?region={code}", timeout_ms=180_000)
    wait_idle(page, timeout_ms=120_000)
    sidebar = page.get_by_test_id("stSidebar")
    button = sidebar.get_by_role("button", name="生成简报 · PDF")
    button.wait_for(timeout=60_000)
    screenshot(page, "briefing-sidebar-tasks")
    with page.expect_download(timeout=120_000) as got:
        button.click()
    pdf = tmp_path / "b.pdf"
    got.value.save_as(pdf)
    assert got.value.suggested_filename.startswith(f"briefing-{code}-") and pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert f"{name}" in text and "四大模块排名" in text
    with page.expect_download(timeout=120_000) as got:
        sidebar.get_by_role("button", name="生成简报 · Word").click()
    doc = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    assert doc.paragraphs[0].text.startswith(name)
    assert_only_local(browser_page.requests)
    assert not browser_page.page_errors
