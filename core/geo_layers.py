"""Map layers: simplified polygons of the level in view, their SQL-aggregated metrics, and points.

The level in view is one below the region looked at (市 → 县, 县 → 镇, 镇 → 村, 村 → 网格). Polygons
are simplified for that zoom (``TOLERANCE``) and rounded to 5 decimals (~1 m), so a city view does not
ship every vertex of every grid. Every read takes a Scope and filters by id range in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core import geometry
from core.enums import OPEN_TASK_STATUSES, child_level
from core.models import Appeal, Grid, Person, Region, Task
from core.scope import Scope, region_span

#: Simplification tolerance in degrees, by the level of the region looked at (1e-3° ≈ 100 m).
TOLERANCE: Mapping[str, float] = {"province": 0.01, "city": 0.003, "county": 0.001, "township": 0.0003,
                                  "village": 0.00005}
#: Appeal points on the grid map: open ones plus those reported in the last POINT_DAYS days.
POINT_DAYS = 90
POINT_LIMIT = 3000
OPEN_APPEAL_STATUSES = ("reported", "handling")


@dataclass(frozen=True)
class Metric:
    """A map colouring metric: key (label: `metric.<key>` in the catalog), unit and direction."""

    key: str
    unit: str
    higher_is_better: bool
    is_score: bool


METRICS: Mapping[str, Metric] = {m.key: m for m in (
    Metric("composite", "分", True, True),
    Metric("party_building", "分", True, True),
    Metric("economy", "分", True, True),
    Metric("safety", "分", True, True),
    Metric("public_service", "分", True, True),
    Metric("overdue_tasks", "件", False, False),
    Metric("appeals_per_100hh", "件/百户", False, False),
)}
SCORE_METRICS = tuple(k for k, m in METRICS.items() if m.is_score)


def view_level(level: str) -> str:
    """The level drawn when looking at a region of `level` ("grid" below a village)."""
    sub = child_level(level)
    return str(sub) if sub is not None else "grid"


def metrics_for(level: str) -> list[str]:
    """Metric keys that make sense when looking at a region of `level` (grids have no scores)."""
    return [k for k, m in METRICS.items() if not (m.is_score and level == "village")]


def region_outline(session: Session, scope: Scope, region_id: int) -> list[list[list[list[float]]]]:
    """The outline polygons of the region looked at, simplified for its own view; [] outside the scope."""
    if not scope.contains(region_id):
        return []
    row = session.execute(sa.select(col(Region.boundary), col(Region.level)).where(col(Region.id) == int(region_id))).first()
    return geometry.polygons_of(row.boundary, TOLERANCE.get(row.level, 0.0)) if row and row.boundary else []


def layer_shapes(session: Session, scope: Scope, region_id: int, level: str) -> pd.DataFrame:
    """One row per polygon part of the units in view: code, name, level, lon, lat, households, polygon.

    A unit drawn as a MultiPolygon gives several rows with the same code; label points (lon, lat)
    are the representative points stored with the unit.
    """
    cols = ["code", "name", "level", "lon", "lat", "households", "polygon"]
    if not scope.contains(region_id):
        return pd.DataFrame(columns=cols)
    tol = TOLERANCE.get(level, 0.0)
    if level == "village":
        stmt = (sa.select(col(Grid.code), col(Grid.name), sa.literal("grid"), col(Grid.lon), col(Grid.lat), col(Grid.households), col(Grid.boundary))
                .where(col(Grid.village_id) == int(region_id)).order_by(col(Grid.id)))
    else:
        stmt = (sa.select(col(Region.code), col(Region.name), col(Region.level), col(Region.lon), col(Region.lat), col(Region.households),
                          col(Region.boundary))
                .where(col(Region.parent_id) == int(region_id), col(Region.id).between(scope.lo, scope.hi)).order_by(col(Region.id)))
    rows = []
    for code, name, lvl, lon, lat, hh, boundary in session.execute(stmt).tuples().all():
        for poly in geometry.polygons_of(boundary, tol):
            rows.append((code, name, lvl, lon, lat, int(hh or 0), poly))
    return pd.DataFrame(rows, columns=cols)


def _open_task(as_of: date | None = None):
    cond = col(Task.status).in_([str(s) for s in OPEN_TASK_STATUSES])
    return sa.and_(cond, col(Task.deadline) < as_of) if as_of is not None else cond


def _count_by(session: Session, key, where) -> dict[int, int]:
    return {int(k): int(n) for k, n in session.execute(sa.select(key.label("k"), sa.func.count())
                                                   .where(*where).group_by(key)).tuples().all() if k is not None}


def layer_metrics(session: Session, scope: Scope, region_id: int, level: str, as_of: date) -> pd.DataFrame:
    """Per unit in view: code, households, open_tasks, overdue_tasks, open_appeals, appeals_per_100hh.

    Grids (village view) also carry ``worker`` (网格员). Counts are SQL GROUP BYs over the id range.
    """
    if not scope.contains(region_id):
        return pd.DataFrame(columns=["code"])
    open_appeal = col(Appeal.status).in_(OPEN_APPEAL_STATUSES)
    if level == "village":
        units = session.execute(sa.select(col(Grid.id), col(Grid.code), col(Grid.households), col(Person.name))
                             .join(Person, col(Person.id) == Grid.worker_id, isouter=True)
                             .where(col(Grid.village_id) == int(region_id)).order_by(col(Grid.id))).tuples().all()
        in_v = (Task.village_id == int(region_id),)
        tasks = _count_by(session, Task.grid_id, (*in_v, _open_task()))
        overdue = _count_by(session, Task.grid_id, (*in_v, _open_task(as_of)))
        appeals = _count_by(session, Appeal.grid_id, (Appeal.village_id == int(region_id), open_appeal))
    else:
        span = region_span(view_level(level))
        lo, hi = max(int(region_id), scope.lo), min(int(region_id) + region_span(level) - 1, scope.hi)
        units = [(i, c, h, None) for i, c, h in session.execute(
            sa.select(col(Region.id), col(Region.code), col(Region.households))
            .where(col(Region.parent_id) == int(region_id), col(Region.id).between(scope.lo, scope.hi)).order_by(col(Region.id))).tuples().all()]
        tkey, akey = (Task.village_id // span) * span, (Appeal.village_id // span) * span
        tasks = _count_by(session, tkey, (col(Task.village_id).between(lo, hi), _open_task()))
        overdue = _count_by(session, tkey, (col(Task.village_id).between(lo, hi), _open_task(as_of)))
        appeals = _count_by(session, akey, (col(Appeal.village_id).between(lo, hi), open_appeal))
    rows = [{"code": code, "households": int(hh or 0), "worker": worker, "open_tasks": tasks.get(int(uid), 0),
             "overdue_tasks": overdue.get(int(uid), 0), "open_appeals": appeals.get(int(uid), 0)}
            for uid, code, hh, worker in units]
    out = pd.DataFrame(rows, columns=["code", "households", "worker", "open_tasks", "overdue_tasks", "open_appeals"])
    out["appeals_per_100hh"] = (out["open_appeals"] * 100.0 / out["households"].where(out["households"] > 0)).round(2)
    return out


def appeal_points(session: Session, scope: Scope, village_id: int, as_of: date,
                  days: int = POINT_DAYS, limit: int = POINT_LIMIT) -> pd.DataFrame:
    """Appeals of one village to plot: open ones and those of the last `days` days, newest first."""
    cols = ["lon", "lat", "category", "status", "reported", "grid_code"]
    if not scope.contains(village_id):
        return pd.DataFrame(columns=cols)
    since = datetime.combine(as_of - timedelta(days=days), datetime.min.time())
    stmt = (sa.select(col(Appeal.lon), col(Appeal.lat), col(Appeal.category), col(Appeal.status), col(Appeal.reported_at), col(Appeal.grid_id))
            .where(col(Appeal.village_id) == int(village_id),
                   sa.or_(col(Appeal.status).in_(OPEN_APPEAL_STATUSES), col(Appeal.reported_at) >= since))
            .order_by(col(Appeal.reported_at).desc()).limit(limit))
    rows = [(round(lon, 5), round(lat, 5), cat, st, at.strftime("%Y-%m-%d"), str(g))
            for lon, lat, cat, st, at, g in session.execute(stmt).tuples().all()]
    return pd.DataFrame(rows, columns=cols)


def overdue_points(session: Session, scope: Scope, village_id: int, as_of: date) -> pd.DataFrame:
    """Overdue open tasks of one village counted per grid (village-level tasks at the village point)."""
    cols = ["lon", "lat", "name", "overdue"]
    if not scope.contains(village_id):
        return pd.DataFrame(columns=cols)
    where = (col(Task.village_id) == int(village_id), _open_task(as_of))
    per_grid = session.execute(sa.select(col(Grid.lon), col(Grid.lat), col(Grid.name), sa.func.count(col(Task.id)))
                            .join(Grid, col(Grid.id) == Task.grid_id).where(*where)
                            .group_by(col(Grid.id), col(Grid.lon), col(Grid.lat), Grid.name)).tuples().all()
    village = session.execute(sa.select(col(Region.lon), col(Region.lat), col(Region.name), sa.func.count(col(Task.id)))
                           .join(Region, col(Region.id) == Task.village_id)
                           .where(*where, col(Task.grid_id).is_(None))
                           .group_by(col(Region.id), col(Region.lon), col(Region.lat), Region.name)).tuples().all()
    rows = [(lon, lat, name, int(n)) for lon, lat, name, n in [*per_grid, *village] if n]
    return pd.DataFrame(rows, columns=cols)


def drill_target(selection: Mapping[str, Any] | None, layer: str = "regions") -> str | None:
    """The 12-digit region code a pydeck selection event points at, or None (nothing, or a grid).

    Accepts the ``event.selection`` of ``st.pydeck_chart``: ``{"objects": {layer: [obj, …]}}`` where
    ``obj["code"]`` (PolygonLayer rows) or ``obj["properties"]["code"]`` (GeoJSON features) holds it.
    """
    code = selected_code(selection, layer)
    return code if code is not None and len(code) == 12 and code.isdigit() else None


def selected_code(selection: Mapping[str, Any] | None, layer: str = "regions") -> str | None:
    """The code (region or 15-digit grid) of the first selected object of `layer`, or None."""
    objects = ((selection or {}).get("objects") or {}).get(layer) or []
    if not objects or not isinstance(objects[0], Mapping):
        return None
    obj = objects[0]
    code = obj.get("code")
    if code is None and isinstance(obj.get("properties"), Mapping):
        code = obj["properties"].get("code")
    return str(code) if code is not None and str(code).isdigit() else None


def child_shapes(session: Session, scope: Scope, parent_id: int, tolerance: float | None = None) -> list[dict]:
    """Children of a region (in scope) as {region_id, code, name, lon, lat, rings} with simplified outer rings.

    `tolerance` (degrees) defaults to the one that suits the children's extent (core.config.OUTLINES).
    """
    scope.check(parent_id)
    rg = Region.__table__.c
    rows = session.execute(sa.select(rg.id, rg.code, rg.name, rg.lon, rg.lat, rg.boundary)
                           .where(rg.parent_id == int(parent_id), rg.id.between(scope.lo, scope.hi))
                           .order_by(rg.id)).all()
    geoms = [geometry.parse(r.boundary) for r in rows]
    tol = geometry.outline_tolerance([g for g in geoms if g is not None]) if tolerance is None else tolerance
    return [{"region_id": int(r.id), "code": r.code, "name": r.name, "lon": r.lon, "lat": r.lat,
             "rings": geometry.outer_rings(g, tol)} for r, g in zip(rows, geoms, strict=True)]
