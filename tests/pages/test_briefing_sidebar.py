"""AppTest: 生成简报 in the sidebar of every page offers the briefing of the region in view (PDF and Word)
for this month, quarter or year, in the viewer's language; the file is made on the click (a deferred
download), and what the click runs makes a PDF / .docx of that region and period.

AppTest has no Runtime, so Streamlit does not register the deferred callable there (the proto's url stays
empty); the tests record the callables `ui.briefing` hands to st.download_button and run them as the click
would. The real click and download are tests/e2e/test_briefing_browser.py."""

from __future__ import annotations

import io
import os

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

import ui.briefing
from core import briefing as core_briefing
from core.config import REPO_ROOT
from core.romanize import bilingual
from tests.sql import scalar

APP = str(REPO_ROOT / "app.py")


def _run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _buttons(at: AppTest) -> dict[str, object]:
    """The sidebar's briefing download buttons by format."""
    return {str(b.proto.id).rsplit("-", 1)[-1]: b for b in at.sidebar.get("download_button")
            if "briefing-" in str(b.proto.id)}


@pytest.fixture
def makers(monkeypatch) -> list[dict]:
    """Every callable ui.briefing gives a download button, with the arguments it was made from (newest last)."""
    made: list[dict] = []
    real = ui.briefing._maker

    def recording(scope, region_id, period, fmt, language, as_of):
        fn = real(scope, region_id, period, fmt, language, as_of)
        made.append({"region_id": region_id, "period": period.code, "fmt": fmt, "lang": language, "make": fn})
        return fn

    monkeypatch.setattr(ui.briefing, "_maker", recording)
    return made


def _last(makers: list[dict], fmt: str) -> dict:
    return next(m for m in reversed(makers) if m["fmt"] == fmt)


def _township(db_url: str) -> tuple[str, str]:
    code = scalar(db_url, "SELECT code FROM region WHERE level='township' ORDER BY id LIMIT 1")
    return code, scalar(db_url, "SELECT name FROM region WHERE code=?", (code,))


@pytest.mark.parametrize("page", ["pages/cockpit.py", "pages/tasks.py", "pages/appeals.py", "pages/leaders.py"])
def test_every_page_offers_the_briefing_of_the_region_in_view(app_env, page):
    code, name = _township(app_env)
    at = _run(page, region=code)
    assert not at.exception, at.exception
    buttons = _buttons(at)
    assert set(buttons) == {"pdf", "docx"}
    assert [b.proto.label for b in buttons.values()] == ["生成简报 · PDF", "生成简报 · Word"]
    for b in buttons.values():
        assert name in b.proto.help and "2026年10月" in b.proto.help


@pytest.mark.skipif(bool(core_briefing.pdf_engine_missing()) and not os.environ.get("CI"),
                    reason=str(core_briefing.pdf_engine_missing()))
def test_the_click_makes_the_region_briefing_as_pdf_and_word(app_env, makers):
    code, name = _township(app_env)
    at = _run("pages/tasks.py", region=code)
    assert set(_buttons(at)) == {"pdf", "docx"}
    rid = int(scalar(app_env, "SELECT id FROM region WHERE code=?", (code,)))
    pdf, docx = _last(makers, "pdf"), _last(makers, "docx")
    assert (pdf["region_id"], pdf["period"], pdf["lang"]) == (rid, "202610", "zh")
    data = pdf["make"]()
    assert data[:5] == b"%PDF-" and len(data) > 50_000
    doc = Document(io.BytesIO(docx["make"]()))
    assert doc.paragraphs[0].text == f"{name}2026年10月运行简报"


def test_quarter_and_english_follow_the_choice_and_language(app_env, makers):
    code, name = _township(app_env)
    at = _run("pages/cockpit.py", region=code, lang="en")
    assert not at.exception, at.exception
    at.sidebar.get("button_group")[0].set_value("quarter").run()
    buttons = _buttons(at)
    assert [b.proto.label for b in buttons.values()] == ["Briefing · PDF", "Briefing · Word"]
    assert "Q4 2026" in buttons["pdf"].proto.help and bilingual(name).split(" (")[0] in buttons["pdf"].proto.help
    made = _last(makers, "docx")
    assert (made["period"], made["lang"]) == ("2026Q4", "en")
    doc = Document(io.BytesIO(made["make"]()))
    assert doc.paragraphs[0].text == f"{bilingual(name)} briefing, Q4 2026"  # the English UI's form of the name


def test_big_screen_has_no_briefing_buttons(app_env):
    at = _run(screen="big")
    assert not at.exception, at.exception
    assert not _buttons(at)


def test_without_pango_the_pdf_button_is_off_and_says_why(app_env, monkeypatch):
    monkeypatch.setattr(core_briefing, "pdf_engine_missing", lambda: "WeasyPrint cannot load pango: test")
    at = _run("pages/cockpit.py")
    buttons = _buttons(at)
    assert buttons["pdf"].proto.disabled and "pango" in buttons["pdf"].proto.help
    assert not buttons["docx"].proto.disabled
