"""Map layers: simplification per level, SQL metrics, points, view fitting and the click → drill target."""

from __future__ import annotations

import json
from datetime import date

import pytest
import shapely
import sqlalchemy as sa

from core import geo_layers as g
from core import geometry
from core.models import Appeal, Grid, Region, Task
from core.scope import Scope

AS_OF = date(2026, 10, 31)


@pytest.fixture
def root(session) -> Scope:
    rid, level = session.exec(sa.select(Region.id, Region.level).where(Region.parent_id.is_(None))).one()
    return Scope(int(rid), level)


def _first(session, level: str) -> int:
    return int(session.exec(sa.select(sa.func.min(Region.id)).where(Region.level == level)).scalar_one())


def test_view_level_goes_one_down_and_grids_below_villages():
    assert [g.view_level(lv) for lv in ("city", "county", "township", "village")] == \
        ["county", "township", "village", "grid"]
    assert "composite" not in g.metrics_for("village") and "overdue_tasks" in g.metrics_for("village")
    assert "composite" in g.metrics_for("county")


def test_polygons_are_simplified_and_rounded_to_five_decimals():
    circle = shapely.Point(120.5, 29.5).buffer(0.05, quad_segs=64)
    fine = geometry.polygons_of(shapely.to_geojson(circle), 0.0)
    coarse = geometry.polygons_of(shapely.to_geojson(circle), g.TOLERANCE["city"])
    assert len(coarse[0][0]) < len(fine[0][0]) / 4
    assert all(round(x, 5) == x and round(y, 5) == y for x, y in coarse[0][0])


def test_multipolygon_parts_become_separate_polygons():
    multi = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])
    assert len(geometry.polygons_of(shapely.to_geojson(multi), 0.001)) == 2


def test_county_view_draws_every_township_once_with_coarser_geometry(session, root):
    shapes = g.layer_shapes(session, root, root.region_id, root.level)
    towns = session.exec(sa.select(sa.func.count()).where(Region.level == "township")).scalar_one()
    assert shapes["code"].nunique() == towns and set(shapes["level"]) == {"township"}
    raw = sum(len(shapely.get_coordinates(shapely.from_geojson(b)))
              for b in session.exec(sa.select(Region.boundary).where(Region.level == "township")).scalars().all())
    assert sum(len(p[0]) for p in shapes["polygon"]) <= raw


def test_village_view_draws_grids_with_their_worker(session, root):
    village = _first(session, "village")
    shapes = g.layer_shapes(session, root, village, "village")
    metrics = g.layer_metrics(session, root, village, "village", AS_OF)
    grids = session.exec(sa.select(Grid.code).where(Grid.village_id == village)).scalars().all()
    assert set(shapes["code"]) == set(grids) == set(metrics["code"])
    assert metrics["worker"].notna().all()


def test_metrics_match_direct_counts(session, root):
    town = _first(session, "township")
    m = g.layer_metrics(session, root, root.region_id, root.level, AS_OF).set_index("code")
    lo, hi = town, town + 999  # a township spans 1000 ids
    open_s = ["dispatched", "signed", "in_progress"]
    overdue = session.exec(sa.select(sa.func.count()).select_from(Task).where(
        Task.village_id.between(lo, hi), Task.status.in_(open_s), Task.deadline < AS_OF)).scalar_one()
    appeals = session.exec(sa.select(sa.func.count()).select_from(Appeal).where(
        Appeal.village_id.between(lo, hi), Appeal.status != "closed")).scalar_one()
    row = m.loc[str(town)]
    assert row["overdue_tasks"] == overdue and row["open_appeals"] == appeals
    assert row["appeals_per_100hh"] == pytest.approx(round(appeals * 100 / row["households"], 2))


def test_reads_outside_the_scope_return_nothing(session):
    elsewhere = Scope(110101000000, "county")
    assert g.layer_shapes(session, elsewhere, 330624000000, "county").empty
    assert g.region_outline(session, elsewhere, 330624000000) == []
    assert g.appeal_points(session, elsewhere, 330624001001, AS_OF).empty


def test_appeal_points_are_open_or_recent(session, root):
    village = _first(session, "village")
    pts = g.appeal_points(session, root, village, AS_OF)
    assert not pts.empty
    recent = pts["reported"] >= "2026-08-02"
    assert (recent | pts["status"].isin(g.OPEN_APPEAL_STATUSES)).all()


def test_fit_view_centres_and_zooms_in_for_smaller_areas():
    lon, lat, z_big = geometry.fit_view((120.0, 29.0, 121.0, 30.0))
    assert lon == pytest.approx(120.5) and 29.4 < lat < 29.6
    assert geometry.fit_view((120.0, 29.0, 120.01, 29.01))[2] > z_big + 5


def _event(layer: str, obj: dict) -> dict:
    """The shape of st.pydeck_chart's event.selection after a single-object click."""
    return {"indices": {layer: [0]}, "objects": {layer: [obj]}}


def test_clicking_a_village_polygon_drills_to_that_village(session, root):
    town = _first(session, "township")
    shapes = g.layer_shapes(session, root, town, "township")
    row = json.loads(shapes.iloc[0][["code", "name"]].to_json())  # what the browser sends back
    assert g.drill_target(_event("regions", row)) == row["code"]
    assert g.drill_target(_event("regions", {"properties": {"code": row["code"]}})) == row["code"]


def test_clicks_that_are_not_a_region_do_not_drill():
    assert g.drill_target(None) is None
    assert g.drill_target({"indices": {}, "objects": {}}) is None
    assert g.drill_target(_event("appeals", {"code": "330624001001"})) is None
    assert g.drill_target(_event("regions", {"code": "330624001001001"})) is None  # a grid: nothing below
    assert g.selected_code(_event("regions", {"code": "330624001001001"})) == "330624001001001"
    assert g.drill_target(_event("regions", {"code": "<script>"})) is None
