"""Finding 5a: every Excel/CSV export goes through core.export and has 0 live formula cells.

The database's every free-text field (names, titles, notes) is rewritten as a formula (= + - @ tab CR);
the tasks list, the ranking (Excel and CSV) and the village record are exported from it and every cell
is read back. Before the helper, the tasks export kept 4 live cells and the village record 22.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from core import export, scoring, village_record
from core import task_alerts as al
from core.db import make_engine
from core.scope import Scope
from tests.security.poison import formula, poison
from tests.sql import rows
from ui import charts, tasks_data

PERIOD = 202610


@pytest.fixture(scope="module")
def formula_db(tiny_db_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("formula") / "tiny.db"
    shutil.copy(tiny_db_path, path)
    assert poison(path, formula) > 1000
    return path


@pytest.mark.parametrize("text", ["=1+2", "+A1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"])
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    assert export.neutralise(text) == "'" + text
    data = export.workbook_bytes({"s": pd.DataFrame({text: [text]})})
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.data_type for row in ws.iter_rows() for c in row] == ["s", "s"]
    assert export.live_formula_cells(data) == [] and export.live_formula_cells(export.csv_bytes(pd.DataFrame({"a": [text]}))) == []


@pytest.mark.parametrize("value", ["-3", "+1.5", "-12.5%", "1,234", "普通文字", 42, -7.5, None])
def test_numbers_and_plain_text_are_unchanged(value):
    assert export.neutralise(value) == value


def _exports(db: Path) -> dict[str, bytes]:
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    county = int(rows(url, "SELECT id FROM region WHERE level='county' ORDER BY id")[0][0])
    village = int(rows(url, "SELECT village_id FROM task GROUP BY village_id ORDER BY count(*) DESC")[0][0])
    try:
        with Session(engine) as s:
            scope = Scope(county, "county")
            tasks = al.alerts(s, scope)
            scores = scoring.region_scores(s, scope, county, PERIOD)
            history = scoring.score_history(s, scope, county, [PERIOD - 1, PERIOD])
            record = village_record.village_record(s, Scope(village, "village"), village, PERIOD)
    finally:
        engine.dispose()
    ranking = charts.ranking_frame(scores, "composite", history)
    return {"tasks.xlsx": tasks_data.excel(tasks, "tasks"), "ranking.xlsx": charts.excel_bytes(ranking),
            "ranking.csv": charts.csv_bytes(ranking), "village.xlsx": export.excel_bytes(record),
            "village-en.xlsx": export.excel_bytes(record, lang="en")}


def test_every_export_has_no_live_formula_cell(formula_db):
    found = {name: export.live_formula_cells(data) for name, data in _exports(formula_db).items()}
    print("\nexports from a database whose every text field is a formula:")
    for name, cells in found.items():
        print(f"  {name:<16} live formula cells: {len(cells)}")
    assert all(not cells for cells in found.values()), {k: v[:5] for k, v in found.items() if v}


def test_the_payload_is_kept_as_text_not_dropped(formula_db):
    data = _exports(formula_db)["tasks.xlsx"]
    texts = [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith(("'=", "'+", "'-", "'@", "'\t", "'\r")) for v in texts), texts[:20]


def test_no_export_writer_outside_the_helper():
    from core.config import REPO_ROOT

    writers = []
    for folder in ("core", "ui", "pages", "app.py"):
        for path in ([REPO_ROOT / folder] if folder.endswith(".py") else sorted((REPO_ROOT / folder).rglob("*.py"))):
            if path.name == "export.py" and path.parent.name == "core":
                continue
            text = path.read_text()
            writers += [f"{path.relative_to(REPO_ROOT)}: {w}" for w in ("to_excel(", "to_csv(", "ExcelWriter(") if w in text]
    assert writers == [], "write spreadsheets through core.export (workbook_bytes / csv_bytes)"
