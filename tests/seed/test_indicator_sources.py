"""The generator writes records and department reports, never an indicator value: every stored
indicator_value row is what core's definitions count from those rows."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from core.db import make_engine
from core.definitions import DEFINITIONS, REPORTED
from core.indicator_values import compute_values, stored_values
from core.indicators import CATALOG
from core.record_sources import Window
from core.task_alerts import dataset_as_of
from core.task_queries import dataset_window

SEED = Path(__file__).resolve().parents[2] / "seed"


def test_every_indicator_has_one_definition():
    assert set(DEFINITIONS) == {i.code for i in CATALOG}
    assert "ec_bidding_projects" not in REPORTED  # 揭榜挂帅: counted from the projects that landed (#22)
    assert "ps_moral_points" not in REPORTED  # 道德银行: counted from the households' ledger (#22)


def test_the_generator_draws_no_indicator():
    """No seed module names the indicator_value table or an indicator code: it cannot draw one."""
    codes = {i.code for i in CATALOG}
    for path in sorted(SEED.glob("*.py")):
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
            n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert "IndicatorValue" not in names, path.name
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        drawn = (strings & codes) - set(REPORTED)  # a department's report names its indicator; nothing else may
        assert not drawn, f"{path.name} names record-counted indicators {sorted(drawn)}"


def test_stored_values_are_the_definitions_counted_from_records(tiny_db_path):
    engine = make_engine(f"sqlite:///{tiny_db_path}")
    with engine.connect() as conn:
        from sqlmodel import Session

        session = Session(bind=conn)
        first, _ = dataset_window(session)
        as_of = dataset_as_of(session)
        root = conn.execute(sa.text("SELECT min(id) FROM region WHERE level='county'")).scalar_one()
        months = sorted({int(p) for (p,) in conn.execute(sa.text("SELECT DISTINCT period FROM indicator_value"))})
        assert months[0] == first.year * 100 + first.month and len(months) == 12
        w = Window(root, root + 999_999, tuple(months), as_of)
        stored, counted = stored_values(conn, w), compute_values(conn, w)
    engine.dispose()
    assert len(stored) > 9000 and stored["indicator_code"].nunique() == 40
    pd.testing.assert_frame_equal(stored, counted, check_dtype=False)
