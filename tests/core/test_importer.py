"""The importer (SPEC §12, issue 21): template, round trip, idempotence, corrections, one-time passwords.

The round trip exports the tiny generated county in the template, imports it into an empty database and
compares every stored figure (scores of every region and month, 领雁指数, warnings, decision checks).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.auth import AuthError, authenticate
from core.db import make_engine
from core.importer.__main__ import main as cli
from core.importer.accounts import WeakPassword, change_password, must_change_password
from core.importer.origin import is_generated_database
from core.importer.read import read_file
from core.importer.schema import SHEETS
from core.migrate import upgrade
from tests.core.importer_helpers import load  # one transaction, committed only when there is no error

NOW = datetime(2026, 11, 2, 9, 0)


def empty_db(tmp_path: Path, name: str = "empty.db") -> str:
    """A new database with the app's schema and no data."""
    url = f"sqlite:///{tmp_path / name}"
    upgrade(url)
    return url


def rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def exported(tiny_db_path, tmp_path_factory) -> Path:
    """The tiny county in the template."""
    out = tmp_path_factory.mktemp("export") / "xinchang.xlsx"
    assert cli(["export", "--region", "330624", "--out", str(out), "--db", f"sqlite:///{tiny_db_path}"]) == 0
    return out


@pytest.fixture(scope="module")
def imported(exported, tmp_path_factory) -> str:
    """An empty database with the exported county imported into it."""
    url = empty_db(tmp_path_factory.mktemp("imported"))
    out = load(url, exported)
    assert out.ok, [e.text() for e in out.errors[:5]]
    return url


def test_template_has_every_sheet_with_notes_drop_downs_and_an_example(tmp_path):
    path = tmp_path / "template.xlsx"
    assert cli(["template", "--out", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        ws = book[sheet.zh]
        headers = [c.value for c in ws[1]]
        assert headers == [c.header("zh") for c in sheet.columns]
        assert all(ws.cell(row=1, column=j + 1).comment for j in range(len(sheet.columns)))
        assert any(ws.cell(row=2, column=j + 1).value is not None for j in range(len(sheet.columns)))
        enums = [c for c in sheet.columns if c.choices or c.kind == "bool"]
        assert len(ws.data_validations.dataValidation) == len(enums), sheet.key
    tasks = book["任务"]
    note = tasks.cell(row=1, column=[c.value for c in tasks[1]].index("状态*") + 1).comment.text
    assert "必填" in note and "已办结" in note
    # every sheet of the template is found again by the reader, with no required column missing
    found = {f.sheet.key: f for f in read_file(path)}
    assert set(found) == {s.key for s in SHEETS}
    assert not any(f.missing for f in found.values())


def test_untouched_template_imports_nothing_and_says_which_sheet_is_missing(tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    cli(["template", "--out", str(path)])
    code = cli(["load", str(path), "--db", empty_db(tmp_path), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "数据集" in err[0]


def test_round_trip_gives_the_same_stored_figures(tiny_db_path, imported):
    source = f"sqlite:///{tiny_db_path}"
    for table, key in (("rollup_village_score", "period, region_id"), ("rollup_indicator", "period, region_id, indicator_code"),
                       ("rollup_task_month", "*"), ("rollup_appeal_month", "*"), ("rollup_appeal_cube", "*"),
                       ):
        order = "" if key == "*" else f" ORDER BY {key}"
        a = sorted(rows(source, f"SELECT * FROM {table}{order}"), key=repr)
        b = sorted(rows(imported, f"SELECT * FROM {table}{order}"), key=repr)
        assert a and a == b, table
    assert len(rows(imported, "SELECT * FROM rollup_village_score")) == 336
    # indicator values are counted again by core's definitions from the imported records and reports
    values = "SELECT village_id, period, indicator_code, value, numerator, denominator FROM indicator_value"
    assert sorted(rows(source, values)) == sorted(rows(imported, values))
    for table in ("party_member", "member_link", "party_meeting", "affairs_posting", "training", "safety_inspection",
                  "key_person", "key_person_visit", "anti_fraud_visit", "waste_check", "dept_report", "department",
                  "bid_project", "project_bid", "project_milestone", "one_thing_case", "case_step", "dept_rating",
                  "moral_household", "moral_entry"):
        n = rows(source, f"SELECT count(*) FROM {table}")[0][0]
        assert n and rows(imported, f"SELECT count(*) FROM {table}")[0][0] == n, table
    diary = "SELECT * FROM rollup_diary_month"  # keyed by person: compare without the (database's own) person id
    assert sorted(r[:1] + r[2:] for r in rows(source, diary)) == sorted(r[:1] + r[2:] for r in rows(imported, diary))
    # 领雁指数: person ids differ between the two databases; the exported person id P<id> links them
    pmap = dict(rows(imported, "SELECT external_id, record_id FROM import_ref WHERE kind = 'person'"))
    src = rows(source, "SELECT * FROM rollup_leader_month ORDER BY period, person_id")
    mine = {(r[0], r[1]): r for r in rows(imported, "SELECT * FROM rollup_leader_month")}
    assert src and len(mine) == len(src)
    for r in src:
        got = mine[(r[0], pmap[f"P{r[1]}"])]
        assert got[2:] == r[2:]
    warn = ("SELECT as_of, kind, village_id, grid_id, category, window_start, window_end, count, baseline, test, score,"
            " counts, note FROM rollup_warning ORDER BY 2, 3, 4, 5")
    assert rows(source, warn) == rows(imported, warn)
    checks = ("SELECT village_id, opened_on, closed_on, days_taken, steps, skipped, reordered, flawed"
              " FROM rollup_decision_check ORDER BY 1, 2, 5")
    assert rows(source, checks) == rows(imported, checks)


def test_imported_database_is_real_data_not_a_demo(imported):
    engine = make_engine(imported)
    with Session(engine) as session:
        assert not is_generated_database(session)
    engine.dispose()
    assert rows(imported, "SELECT value FROM meta WHERE key = 'data_origin'") == [("import",)]


def test_loading_the_same_file_twice_changes_nothing(exported, imported):
    out = load(imported, exported)
    assert out.ok
    assert sum(c.new for c in out.counts.values()) == 0
    assert sum(c.updated for c in out.counts.values()) == 0
    assert sum(c.unchanged for c in out.counts.values()) > 25_000


def test_a_corrected_row_is_updated_and_the_change_recorded(exported, imported, tmp_path):
    book = openpyxl.load_workbook(exported)
    ws = book["任务"]
    heads = [c.value for c in ws[1]]
    q = heads.index("质量分") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=q).value is not None)
    code = ws.cell(row=row, column=1).value
    ws.cell(row=row, column=q, value=12.5)
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    dry = load(imported, fixed, dry_run=True)
    assert dry.ok and dry.counts["tasks"].updated == 1 and dry.counts["tasks"].new == 0
    out = load(imported, fixed)
    assert out.ok and out.counts["tasks"].updated == 1 and out.counts["tasks"].new == 0
    assert rows(imported, f"SELECT quality_score FROM task WHERE code = '{code}'") == [(12.5,)]
    (changes,) = rows(imported, f"SELECT changes FROM import_change WHERE kind = 'task' AND external_id = '{code}'")[0]
    assert json.loads(changes)["quality_score"][1] == 12.5


def test_imported_people_sign_in_with_the_one_time_password_and_must_change_it(exported, tmp_path):
    url = empty_db(tmp_path)
    out = load(url, exported)
    assert out.ok and out.passwords
    username, _, password = out.passwords[0]
    stored = rows(url, f"SELECT password_hash FROM user_account WHERE username = '{username}'")[0][0]
    assert password not in stored and stored.startswith("$2b$")
    engine = make_engine(url)
    with Session(engine) as session:
        actor = authenticate(session, username, password, now=NOW)
        assert actor.person_id
        assert must_change_password(session, username)
        with pytest.raises(WeakPassword):
            change_password(session, username=username, old=password, new="short", now=NOW)
        change_password(session, username=username, old=password, new="a-new-passw0rd", now=NOW)
        session.commit()
        assert not must_change_password(session, username)
        with pytest.raises(AuthError):
            authenticate(session, username, password, now=NOW)
        assert authenticate(session, username, "a-new-passw0rd", now=NOW).person_id == actor.person_id
    engine.dispose()


def test_cli_writes_the_passwords_once_to_a_file_it_names(exported, tiny_db_path, tmp_path, capsys):
    src = tmp_path / "county.xlsx"
    src.write_bytes(exported.read_bytes())
    assert cli(["load", str(src), "--db", empty_db(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    files = list(tmp_path.glob("county.一次性密码-*.csv"))
    assert len(files) == 1 and str(files[0]) in out
    assert files[0].stat().st_mode & 0o077 == 0
    accounts = rows(f"sqlite:///{tiny_db_path}", "SELECT count(*) FROM user_account")[0][0]
    assert len(files[0].read_text(encoding="utf-8-sig").splitlines()) == 1 + accounts  # header + every account


@pytest.mark.parametrize("name, body", [
    ("notes.txt", b"hello"), ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), ("broken.xlsx", b"PK\x03\x04broken"),
])
def test_an_unusable_file_gets_one_line_and_exit_code_2(tmp_path, capsys, name, body):
    path = tmp_path / name
    path.write_bytes(body)
    url = empty_db(tmp_path)
    assert cli(["load", str(path), "--db", url, "--quiet"]) == 2
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err + captured.out


def test_a_workbook_without_any_template_sheet_is_unusable(tmp_path, capsys):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(path)
    assert cli(["load", str(path), "--db", empty_db(tmp_path), "--quiet"]) == 2
    assert "没有可识别的工作表" in capsys.readouterr().err


def test_dry_run_writes_nothing(exported, tmp_path):
    url = empty_db(tmp_path)
    db = tmp_path / "empty.db"
    before = sha(db)
    out = load(url, exported, dry_run=True)
    assert out.ok and out.counts["tasks"].new == 989
    assert sha(db) == before
