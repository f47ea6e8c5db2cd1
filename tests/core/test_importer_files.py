"""The importer on files people make by hand (issue 21): twenty kinds of mistakes in one file, all reported and
nothing written; a GB18030 CSV, codes that lost their leading zeros, a title row over merged headers.

Every file is built here from a few rows of a small county (新昌 330624: one township, two villages).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from core.importer.schema import SHEET_BY_KEY
from tests.core.importer_helpers import appeal, base, empty_db, load, scalar, sha, task, workbook


def letter(sheet_key: str, column: str) -> str:
    return get_column_letter([c.key for c in SHEET_BY_KEY[sheet_key].columns].index(column) + 1)


#: (sheet, column, reason) of each planted mistake; the row it sits on is found below.
PLANTED: list[tuple[str, dict[str, Any], str, str]] = [
    # sheet, the row, the column the error shows in, its reason
    ("regions", {"code": "3306241010031", "name": "丙村", "level": "village", "kind": "village"}, "code",
     "import.err.code_shape"),
    ("regions", {"code": "330624102000", "name": "丁村", "level": "village", "kind": "village"}, "code",
     "import.err.level_shape"),
    ("regions", {"code": "330624101003", "name": "戊村", "level": "village", "kind": "village", "area_km2": "很大"},
     "area_km2", "import.err.number"),
    ("grids", {"code": "330624101002002", "village_id": "330624101002", "name": "乙村2网格", "households": 12.5,
               "population": 30}, "households", "import.err.integer"),
    ("grids", {"code": "330624101001002", "village_id": "330624101002", "name": "乙村3网格", "households": 12,
               "population": 30}, "code", "import.err.grid_not_in_village"),
    ("people", {"post_ext_id": "G3", "person_ext_id": "P1", "name": "张三丰", "gender": "M", "birth_year": 1980,
                "phone": "13800000001", "region_id": "330624101002", "role": "village_committee", "title": "乙村 委员",
                "since": "2024-01-01"}, "name", "import.err.person_conflict"),
    ("people", {"post_ext_id": "G4", "person_ext_id": "P4", "name": "王五", "gender": "M", "birth_year": 1990,
                "phone": "13800000004", "region_id": "330624101002", "role": "village_admin", "title": "乙村 管理员",
                "since": "2024-01-01", "username": "zhangsan"}, "username", "import.err.username_taken"),
    ("tasks", task("RW2", title=None), "title", "import.err.required"),
    ("tasks", task("RW3", status="不知道"), "status", "import.err.choice"),
    ("tasks", task("RW4", dispatched_at="昨天上午"), "dispatched_at", "import.err.datetime"),
    ("tasks", task("RW5", status="done", done_at="2026-03-18 17:00", quality_score=140), "quality_score",
     "import.err.above"),
    ("tasks", task("RW6", status="done"), "done_at", "import.err.status_time"),
    ("tasks", task("RW7", owner_id="P999"), "owner_id", "import.err.unknown_ref"),
    ("tasks", task("RW8", emergency="也许"), "emergency", "import.err.bool"),
    ("appeals", appeal("SQ1", channel="随手拍"), "appeal_ext_id", "import.err.duplicate_id"),
    ("appeals", appeal("SQ2", closed_at="2026-03-01 10:00"), "closed_at", "import.err.order"),
    ("party_meetings", {"record_ext_id": "MT2", "village_id": "330624101001", "kind": "theme_day",
                        "held_on": "2026-04-05", "expected": 20, "attended": 25}, "attended", "import.err.more_than"),
    ("party_meetings", {"record_ext_id": "MT3", "village_id": "330624101001", "kind": "theme_day",
                        "held_on": "2026-13-45", "expected": 20, "attended": 18}, "held_on", "import.err.date"),
    ("party_meetings", {"record_ext_id": "MT4", "village_id": "330625101001", "kind": "theme_day",
                        "held_on": "2026-05-05", "expected": 20, "attended": 18}, "village_id",
     "import.err.outside_county"),
    ("evaluations", {"evaluation_ext_id": "PJ1", "person_id": "P1", "village_id": "330624101001", "period": "2026-15",
                     "kind": "democratic", "points": 90, "source": "村民代表", "note": "季度测评"}, "period",
     "import.err.month"),
]


def test_twenty_kinds_of_mistakes_in_one_file_are_all_reported_and_nothing_is_written(tmp_path):
    sheets = base()
    expected = set()
    for key, row, column, reason in PLANTED:
        sheets.setdefault(key, []).append(row)
        expected.add((SHEET_BY_KEY[key].zh, len(sheets[key]) + 1, letter(key, column), reason))
    assert len({reason for *_, reason in expected}) == 20
    path = workbook(tmp_path / "county.xlsx", sheets)
    url, db = empty_db(tmp_path)
    before = sha(db)
    for dry_run in (True, False):
        out = load(url, path, dry_run=dry_run)
        got = {(e.sheet, e.row, e.column, e.key) for e in out.errors}
        assert got == expected, (got - expected, expected - got)
        assert len(out.errors) == 20
        assert all(e.header and e.reason("zh") and e.reason("en") for e in out.errors)
        assert sha(db) == before
    english = [e.reason("en") for e in out.errors]
    assert not [r for r in english if any("\u4e00" <= ch <= "\u9fff" for ch in r)], english


def test_the_same_county_without_the_mistakes_loads(tmp_path):
    url, _ = empty_db(tmp_path)
    out = load(url, workbook(tmp_path / "county.xlsx", base()))
    assert out.ok, [e.text() for e in out.errors]
    assert scalar(url, "SELECT count(*) FROM region WHERE level = 'village'") == 2
    assert scalar(url, "SELECT count(*) FROM task") == 1


def _csv_text(key: str, rows: list[dict[str, Any]], *, title: str | None = None) -> str:
    sheet = SHEET_BY_KEY[key]
    buf = io.StringIO()
    w = csv.writer(buf)
    if title:
        w.writerow([title])
    w.writerow([c.header("zh") for c in sheet.columns])
    for row in rows:
        w.writerow(["" if row.get(c.key) is None else row[c.key] for c in sheet.columns])
    return buf.getvalue()


def test_a_gb18030_csv_imports(tmp_path):
    sheets = base()
    appeals = sheets.pop("appeals")
    appeals[0]["category"] = "矛盾纠纷"  # characters outside ASCII, as Excel's 'CSV' writes them on a Chinese system
    xlsx = workbook(tmp_path / "county.xlsx", sheets)
    csv_path = tmp_path / "民情诉求.csv"
    csv_path.write_bytes(_csv_text("appeals", appeals).encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        csv_path.read_bytes().decode("utf-8")
    url, _ = empty_db(tmp_path)
    out = load(url, xlsx, csv_path)
    assert out.ok, [e.text() for e in out.errors]
    assert scalar(url, "SELECT category FROM appeal") == "矛盾纠纷"


def test_codes_that_lost_their_leading_zeros_are_padded(tmp_path):
    """Excel turns a code typed as a number into a number: 330624101001 survives, but a grid's 15 digits typed
    as 0-led external ids and a region code read as a float (3.30624101001E11) must come back as text."""
    sheets = base()
    sheets["people"][0]["person_ext_id"] = "007"
    sheets["grids"][0]["worker_id"] = 7  # the sheet refers to person 007 as the number 7
    sheets["regions"][1]["code"] = 330624101001.0  # a float cell
    sheets["grids"][0]["code"] = 330624101001001  # an int cell
    sheets["tasks"][0]["owner_id"] = 7
    url, _ = empty_db(tmp_path)
    out = load(url, workbook(tmp_path / "county.xlsx", sheets))
    assert out.ok, [e.text() for e in out.errors]
    assert scalar(url, "SELECT code FROM region WHERE id = 330624101001") == "330624101001"
    assert scalar(url, "SELECT external_id FROM import_ref WHERE kind = 'person' AND record_id = "
                       "(SELECT worker_id FROM grid)") == "007"
    assert scalar(url, "SELECT count(*) FROM task t JOIN grid g ON g.worker_id = t.owner_id") == 1


def test_a_title_row_and_merged_header_cells_are_read(tmp_path):
    """A county's own sheet: a title merged across the top, then a two-row header whose group cells are merged."""
    sheets = base()
    path = workbook(tmp_path / "county.xlsx", sheets)
    book = openpyxl.load_workbook(path)
    ws = book[SHEET_BY_KEY["regions"].zh]
    ws.insert_rows(1, 2)
    width = ws.max_column
    ws.cell(row=1, column=1, value="新昌县区划一览（2026年）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    # row 2: a group header over 人口/户数; the other headers merged down from row 2 into row 3
    heads = [ws.cell(row=3, column=j).value for j in range(1, width + 1)]
    for j, head in enumerate(heads, start=1):
        if head in ("人口", "户数"):
            continue
        ws.cell(row=2, column=j, value=head)
        ws.cell(row=3, column=j, value=None)
        ws.merge_cells(start_row=2, start_column=j, end_row=3, end_column=j)
    first = heads.index("人口") + 1
    ws.cell(row=2, column=first, value="人口与户数")
    ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 1)
    book.save(path)
    url, _ = empty_db(tmp_path)
    out = load(url, path)
    assert out.ok, [e.text() for e in out.errors]
    assert scalar(url, "SELECT population FROM region WHERE code = '330624101001'") == 900
    assert scalar(url, "SELECT count(*) FROM region WHERE level IN ('township', 'village')") == 3


def _moral(**entry: Any) -> dict[str, list[dict[str, Any]]]:
    """道德银行 sheets: two households of 甲村 and a ledger line of each kind (the evaluation's source left blank)."""
    households = [{"record_ext_id": "MH1", "village_id": "330624101001", "code": "0010001", "head_name": "赵大",
                   "members": 4, "joined_on": "2025-06-01"},
                  {"record_ext_id": "MH2", "village_id": "330624101001", "code": "0010002", "head_name": "钱二",
                   "members": 2, "joined_on": "2026-01-10"}]
    lines = [{"record_ext_id": "ME1", "household_id": "MH1", "village_id": "330624101001", "kind": "evaluation",
              "dimension": "道德评议", "level": "grid", "points": 3, "recorded_by": "P1", "recorded_on": "2026-03-05"},
             {"record_ext_id": "ME2", "household_id": "MH1", "village_id": "330624101001", "kind": "志愿服务",
              "dimension": "volunteer", "points": 4, "hours": 4, "source": "志愿服务登记", "recorded_by": "P1",
              "recorded_on": "2026-04-01"},
             {"record_ext_id": "ME3", "household_id": "MH2", "village_id": "330624101001", "kind": "penalty",
              "dimension": "law", "points": -10, "source": "县综合行政执法局", "source_ref": "CF00000001",
              "recorded_on": "2026-05-20", **entry}]
    return {"moral_households": households, "moral_entries": lines}


def test_moral_bank_sheets_load_once_and_count_the_households_taking_part(tmp_path):
    url, _ = empty_db(tmp_path)
    path = workbook(tmp_path / "county.xlsx", {**base(), **_moral()})
    out = load(url, path)
    assert out.ok, [e.text() for e in out.errors]
    assert (out.counts["moral_households"].new, out.counts["moral_entries"].new) == (2, 3)
    assert scalar(url, "SELECT source FROM moral_entry WHERE kind = 'evaluation'") == "网格评议"
    assert scalar(url, "SELECT head_name FROM moral_household WHERE code = '0010002'") == "钱二"
    # ps_moral_points is counted again from the ledger: one household of 甲村 takes part (a deduction alone does not)
    assert scalar(url, "SELECT numerator FROM indicator_value WHERE village_id = 330624101001 AND period = 202610 "
                       "AND indicator_code = 'ps_moral_points'") == 1
    again = load(url, path)
    assert again.ok and sum(c.new + c.updated for c in again.counts.values()) == 0


def test_a_deduction_without_a_source_is_reported_and_nothing_is_written(tmp_path):
    url, db = empty_db(tmp_path)
    path = workbook(tmp_path / "county.xlsx", {**base(), **_moral(source=None)})
    before = sha(db)
    for dry_run in (True, False):
        out = load(url, path, dry_run=dry_run)
        got = [(e.sheet, e.row, e.column, e.key) for e in out.errors]
        assert got == [("道德银行积分", 4, letter("moral_entries", "source"), "import.err.moral_source")]
        assert out.errors[0].header == "来源" and out.errors[0].reason("en").isascii()
        assert sha(db) == before
    assert scalar(url, "SELECT count(*) FROM moral_entry") == 0


def test_moral_bank_rows_across_sheets_are_checked(tmp_path):
    """户号 once per village, a ledger line in its household's village and not before it joined, an evaluation with
    its level, a deduction taking points off, an unknown household: each reported where it is."""
    sheets = {**base(), **_moral()}
    sheets["moral_households"].append({"record_ext_id": "MH3", "village_id": "330624101001", "code": "0010002",
                                       "head_name": "孙三", "joined_on": "2026-02-01"})
    line = sheets["moral_entries"][0]
    sheets["moral_entries"] += [
        {**line, "record_ext_id": "ME4", "village_id": "330624101002"},
        {**line, "record_ext_id": "ME5", "recorded_on": "2025-01-01"},
        {**line, "record_ext_id": "ME6", "level": None},
        {**line, "record_ext_id": "ME7", "kind": "dishonest", "dimension": "integrity", "level": None, "points": 30,
         "source": "省信用平台"},
        {**line, "record_ext_id": "ME8", "household_id": "MH9"},
    ]
    url, db = empty_db(tmp_path)
    before = sha(db)
    out = load(url, workbook(tmp_path / "county.xlsx", sheets))
    got = {(e.sheet, e.row, e.column, e.key) for e in out.errors}
    ledger, col = "道德银行积分", lambda c: letter("moral_entries", c)
    assert got == {("道德银行农户", 4, letter("moral_households", "code"), "import.err.moral_code"),
                   (ledger, 5, col("village_id"), "import.err.moral_village"),
                   (ledger, 6, col("recorded_on"), "import.err.moral_before_joining"),
                   (ledger, 7, col("level"), "import.err.moral_level"),
                   (ledger, 8, col("points"), "import.err.moral_minus"),
                   (ledger, 9, col("household_id"), "import.err.unknown_ref")}, got
    assert all(e.reason("en").isascii() for e in out.errors)
    assert sha(db) == before
