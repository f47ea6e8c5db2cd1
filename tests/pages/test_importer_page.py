"""AppTest: 数据导入 (SPEC §12, #21) on a database made by importing the tiny county (not a demo).

The page offers the template; an upload
is checked first (every row error with sheet, row and column, nothing written), an unusable file gets one
message and changes nothing, a correction is listed as an update and written only on confirm; the page is
refused to roles that may not import and says why on a demo database.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import dispose_engines, make_engine
from core.importer.__main__ import main as cli
from core.importer.load import load_files
from core.migrate import upgrade
from tests.sql import rows as sql_rows

APP = str(REPO_ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def imported(tiny_db_path, tmp_path_factory) -> tuple[str, Path, dict[str, str]]:
    """(URL of a database holding the imported tiny county, the exported workbook, one-time passwords)."""
    folder = tmp_path_factory.mktemp("imported-app")
    book = folder / "xinchang.xlsx"
    assert cli(["export", "--region", "330624", "--out", str(book), "--db", f"sqlite:///{tiny_db_path}"]) == 0
    url = f"sqlite:///{folder / 'county.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        out = load_files(s, [book], now=datetime(2026, 11, 2, 9, 0))
        assert out.ok
        s.commit()
    engine.dispose()
    return url, book, {u: p for u, _, p in out.passwords}


@pytest.fixture
def app_on(imported, monkeypatch):
    """The app pointed at the imported database."""
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", imported[0])
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield imported
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


def _db_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _sha(url: str) -> str:
    dispose_engines()
    return hashlib.sha256(_db_file(url).read_bytes()).hexdigest()


def _texts(at: AppTest) -> str:
    return " ".join(e.value for e in (*at.title, *at.caption, *at.info, *at.warning, *at.error, *at.success))


def _signed_in(username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["username"] = username
    return at.run()


def _importer(passwords: dict[str, str], username: str = "county_admin") -> AppTest:
    """The import page as `username` (every imported account got a one-time password)."""
    assert username in passwords
    at = _signed_in(username)
    at.switch_page("pages/importer.py")
    return at.run()


def _tasks_only(book: Path, edit) -> bytes:
    """A workbook with the 任务 sheet only: its header and the rows `edit(rows)` returns."""
    src = openpyxl.load_workbook(book, read_only=True)["任务"]
    rows = [list(r) for r in src.iter_rows(values_only=True)]
    out = openpyxl.Workbook()
    ws = out.active
    ws.title = "任务"
    ws.append(rows[0])
    for row in edit(rows[0], rows[1:]):
        ws.append(row)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_the_page_checks_first_reports_every_error_and_writes_nothing(app_on):
    url, book, passwords = app_on
    at = _importer(passwords)
    assert not at.exception and not at.warning, _texts(at)  # real data: no demo notice
    assert any(b.proto.label == "下载导入模板" for b in at.get("download_button"))

    def broken(head, rows):
        status, done = head.index("状态*"), head.index("办结时间")
        bad = [list(r) for r in rows[:3]]
        bad[0][status] = "不知道"
        bad[1][done] = "2026-13-45"
        bad[2][head.index("任务编号*")] = None
        return bad

    before = _sha(url)
    at.file_uploader(key="import-files").set_value(("任务.xlsx", _tasks_only(book, broken), XLSX)).run()
    at = at.button(key="import-check").click().run()
    assert "3 处错误" in " ".join(e.value for e in at.error)
    errors = at.dataframe[0].value
    assert list(errors["工作表"]) == ["任务"] * 3 and list(errors["行"]) == [2, 3, 4]
    assert set(errors["列"]) >= {"A"} and all(errors["原因"])
    assert not at.get("button") or all(b.key != "import-confirm" for b in at.button)
    assert _sha(url) == before


def test_an_unusable_file_gets_one_message_and_changes_nothing(app_on):
    url, _, passwords = app_on
    at = _importer(passwords)
    before = _sha(url)
    at.file_uploader(key="import-files").set_value(("任务.xlsx", b"PK\x03\x04 not really a workbook", XLSX)).run()
    at = at.button(key="import-check").click().run()
    assert len(at.error) == 1 and "损坏" in at.error[0].value and not at.exception
    assert _sha(url) == before


def test_a_correction_is_listed_then_written_on_confirm(app_on):
    url, book, passwords = app_on
    at = _importer(passwords)

    def corrected(head, rows):
        q = head.index("质量分")
        row = next(list(r) for r in rows if r[q] is not None)
        row[q] = 33.5
        return [row]

    body = _tasks_only(book, corrected)
    code = openpyxl.load_workbook(io.BytesIO(body))["任务"].cell(row=2, column=1).value
    at.file_uploader(key="import-files").set_value(("任务.xlsx", body, XLSX)).run()
    at = at.button(key="import-check").click().run()
    counts = at.dataframe[0].value
    assert counts.iloc[0]["更新"] == 1 and counts.iloc[0]["新增"] == 0, (counts.to_dict(), _texts(at))
    assert sql_rows(url, f"SELECT quality_score FROM task WHERE code = '{code}'")[0][0] != 33.5  # noqa: S608
    at = at.button(key="import-confirm").click().run()
    assert "导入完成" in " ".join(s.value for s in at.success)
    assert sql_rows(url, f"SELECT quality_score FROM task WHERE code = '{code}'") == [(33.5,)]  # noqa: S608
    assert sql_rows(url, f"SELECT count(*) FROM import_change WHERE external_id = '{code}'")[0][0] == 1  # noqa: S608


def test_only_administrators_may_open_it(app_on):
    _, _, passwords = app_on
    assert "town_admin" in passwords
    at = _signed_in("town_admin")
    assert "pages/importer.py" not in at.session_state["_pages"]
    assert "pages/importer.py" in _signed_in("county_admin").session_state["_pages"]


def test_on_a_demo_database_the_page_says_to_import_into_a_new_one(app_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["username"] = "county_admin"
    at.run()
    at.switch_page("pages/importer.py")
    at.run()
    assert any("演示" in w.value for w in at.warning) and not at.get("file_uploader")
