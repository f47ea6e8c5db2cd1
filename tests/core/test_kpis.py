"""Cockpit KPIs against direct counts on the tiny database."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from core import geo_layers, geometry, kpis
from core.regions import dataset_root
from core.scope import Scope

AS_OF = date(2026, 10, 31)


def _scope(session):
    root = dataset_root(session)
    return Scope(root.id, root.level)


def test_completion_and_overdue_match_direct_counts(session, tiny_db):
    scope = _scope(session)
    con = sqlite3.connect(tiny_db)
    due, fin = con.execute("SELECT COUNT(*), SUM(status IN ('done','scored')) FROM task WHERE status <> 'rejected'"
                           " AND deadline BETWEEN '2026-10-01' AND '2026-10-31'").fetchone()
    open_over = con.execute("SELECT COUNT(*) FROM task WHERE status IN ('dispatched','signed','in_progress')"
                            " AND deadline < '2026-10-31'").fetchone()[0]
    prev_over = con.execute("SELECT COUNT(*) FROM task WHERE status <> 'rejected' AND deadline < '2026-09-30'"
                            " AND (done_at IS NULL OR done_at >= '2026-10-01')").fetchone()[0]
    good, rated = con.execute("SELECT SUM(numerator), SUM(denominator) FROM indicator_value"
                              " WHERE period=202610 AND indicator_code='ps_satisfaction'").fetchone()
    con.close()
    k = kpis.period_kpis(session, scope, scope.region_id, 202610, 202609, AS_OF)
    assert k["completion"][0] == round(fin / due * 100, 1)
    assert k["overdue"] == (open_over, prev_over)
    assert k["satisfaction"][0] == round(good / rated * 100, 1)


def test_monthly_kpis_one_row_per_month(session):
    scope = _scope(session)
    df = kpis.monthly_kpis(session, scope, scope.region_id, [202608, 202609, 202610], AS_OF)
    assert list(df["period"]) == [202608, 202609, 202610]
    assert df["completion"].between(0, 100).all() and df["on_time_rate"].between(0, 100).all()


def test_most_overdue_tasks_oldest_deadline_first(session):
    df = kpis.most_overdue_tasks(session, _scope(session), AS_OF, 5)
    assert len(df) <= 5
    assert list(df["days_overdue"]) == sorted(df["days_overdue"], reverse=True)
    assert (df["days_overdue"] > 0).all()


def test_child_shapes_are_simplified_rings(session):
    scope = _scope(session)
    shapes = geo_layers.child_shapes(session, scope, scope.region_id)
    assert shapes and all(s["rings"] and len(s["rings"][0][0]) == 2 for s in shapes)


def test_outline_tolerance_follows_the_extent_of_what_is_drawn():
    from shapely.geometry import box

    from core.config import OUTLINES

    county = [box(120.0, 29.5, 120.3, 29.8), box(120.3, 29.5, 120.6, 29.8)]  # 0.6° across
    province = [box(118.0, 27.0, 120.5, 31.2), box(120.5, 27.0, 123.0, 31.2)]  # 5° across
    assert geometry.outline_tolerance(county) == OUTLINES.min_tolerance  # small areas keep the finest outline
    assert geometry.outline_tolerance(province) == pytest.approx(5.0 / OUTLINES.extent_steps)
    assert geometry.outline_tolerance([]) == OUTLINES.min_tolerance


def test_child_shapes_simplify_coarser_when_asked(session):
    scope = _scope(session)
    fine = geo_layers.child_shapes(session, scope, scope.region_id, tolerance=0.0005)
    coarse = geo_layers.child_shapes(session, scope, scope.region_id, tolerance=0.01)
    points = [sum(len(r) for s in shapes for r in s["rings"]) for shapes in (fine, coarse)]
    assert points[1] < points[0]
    assert [s["code"] for s in fine] == [s["code"] for s in coarse]


def test_month_bounds():
    assert kpis.month_bounds(202602) == (date(2026, 2, 1), date(2026, 2, 28))
    assert kpis.month_bounds(202512) == (date(2025, 12, 1), date(2025, 12, 31))
