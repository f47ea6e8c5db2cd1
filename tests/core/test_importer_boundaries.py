"""Boundaries in (issue 21): outlines from a GeoJSON file and from a zipped Shapefile in a projected coordinate
system (EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger 120E), reprojected to WGS84 and stored like the generated
ones; a malformed outline is one clear error and nothing changes. Fixtures are built here, in a temp dir."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapefile  # pyshp
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import box, mapping

from core import boundaries
from core.importer.read import UnusableFile
from tests.core.importer_helpers import base, empty_db, load, scalar, sha, workbook

TOWNSHIP, VILLAGE, OTHER, GRID = "330624101000", "330624101001", "330624101002", "330624101001001"


def outlines() -> dict[str, shapely.Geometry]:
    """A township cut from the real county outline, split into its two villages; the grid: a piece of one."""
    county = boundaries.load_boundary("330624")
    c = county.representative_point()
    town = shapely.set_precision(county.intersection(box(c.x - 0.05, c.y - 0.04, c.x + 0.05, c.y + 0.04)), 1e-5)
    west = shapely.set_precision(town.intersection(box(c.x - 0.05, c.y - 0.04, c.x, c.y + 0.04)), 1e-5)
    east = shapely.set_precision(town.intersection(box(c.x, c.y - 0.04, c.x + 0.05, c.y + 0.04)), 1e-5)
    grid = shapely.set_precision(west.intersection(box(c.x - 0.03, c.y - 0.02, c.x - 0.01, c.y)), 1e-5)
    return {TOWNSHIP: town, VILLAGE: west, OTHER: east, GRID: grid}


def geojson(path: Path, shapes: dict[str, object], key: str = "区划代码", crs: str | None = None) -> Path:
    doc: dict = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {key: code, "名称": "x"}, "geometry": g if isinstance(g, dict) else mapping(g)}
        for code, g in shapes.items()]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def zipped_shapefile(path: Path, shapes: dict[str, shapely.Geometry], epsg: int = 4549, encoding: str = "gbk") -> Path:
    """A Shapefile (.shp .shx .dbf .prj .cpg) of the outlines in EPSG:`epsg`, attributes in `encoding`, zipped."""
    t = Transformer.from_crs(4326, epsg, always_xy=True)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding=encoding) as w:
        w.field("XZQDM", "C", size=15)
        w.field("XZQMC", "C", size=40)
        for code, geom in shapes.items():
            projected = shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
            w.shape(mapping(projected))
            w.record(code, "石门村")
    with zipfile.ZipFile(path, "w") as z:
        for ext, buf in ((".shp", shp), (".shx", shx), (".dbf", dbf)):
            z.writestr(f"村界{ext}", buf.getvalue())
        z.writestr("村界.prj", CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"))
        z.writestr("村界.cpg", encoding.upper())
    return path


def stored(url: str, table: str, code: str) -> shapely.Geometry:
    return shapely.from_geojson(scalar(url, f"SELECT boundary FROM {table} WHERE code = '{code}'"))  # noqa: S608


def test_outlines_from_a_geojson_file_are_stored_and_the_others_are_cut_inside_them(tmp_path):
    given = outlines()
    url, _ = empty_db(tmp_path)
    xlsx = workbook(tmp_path / "county.xlsx", base())
    out = load(url, xlsx, geojson(tmp_path / "边界.geojson", {TOWNSHIP: given[TOWNSHIP], VILLAGE: given[VILLAGE]}))
    assert out.ok, [e.text() for e in out.errors]
    assert ("import.summary.boundaries", {"n": 2}) in out.notices
    assert shapely.hausdorff_distance(stored(url, "region", TOWNSHIP), given[TOWNSHIP]) < 1e-7
    assert shapely.hausdorff_distance(stored(url, "region", VILLAGE), given[VILLAGE]) < 1e-7
    # the village without an outline of its own gets a generated cell inside the given township
    other = stored(url, "region", OTHER)
    assert not other.is_empty and given[TOWNSHIP].buffer(1e-4).contains(other)
    # its point lies in its outline
    lon, lat = scalar(url, f"SELECT lon FROM region WHERE code = '{VILLAGE}'"), scalar(
        url, f"SELECT lat FROM region WHERE code = '{VILLAGE}'")
    assert given[VILLAGE].buffer(1e-4).contains(shapely.Point(lon, lat))


def test_a_zipped_shapefile_in_a_projected_crs_is_reprojected_to_wgs84(tmp_path):
    given = outlines()
    url, _ = empty_db(tmp_path)
    assert load(url, workbook(tmp_path / "county.xlsx", base())).ok
    generated = stored(url, "region", VILLAGE)
    path = zipped_shapefile(tmp_path / "村界.zip", {VILLAGE: given[VILLAGE], OTHER: given[OTHER], GRID: given[GRID]})
    out = load(url, path)  # only the boundaries, for a county already imported
    assert out.ok, [e.text() for e in out.errors]
    for table, code in (("region", VILLAGE), ("region", OTHER), ("grid", GRID)):
        got = stored(url, table, code)
        assert got.geom_type in ("Polygon", "MultiPolygon")
        assert shapely.hausdorff_distance(got, given[code]) < 2e-5, code  # back in degrees, on the 1e-5 grid
        coords = shapely.get_coordinates(got)
        assert np.allclose(coords, np.round(coords, 5), atol=1e-9)
    assert not stored(url, "region", VILLAGE).equals(generated)


def test_a_geojson_naming_its_projected_crs_is_reprojected(tmp_path):
    given = outlines()
    t = Transformer.from_crs(4326, 4549, always_xy=True)
    projected = shapely.transform(given[VILLAGE], lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    url, _ = empty_db(tmp_path)
    out = load(url, workbook(tmp_path / "county.xlsx", base()),
               geojson(tmp_path / "b.geojson", {VILLAGE: projected}, key="code", crs="urn:ogc:def:crs:EPSG::4549"))
    assert out.ok
    assert shapely.hausdorff_distance(stored(url, "region", VILLAGE), given[VILLAGE]) < 2e-5


BOW_TIE = {"type": "Polygon", "coordinates": [[[120.95, 29.38], [121.0, 29.42], [121.0, 29.38], [120.95, 29.42],
                                               [120.95, 29.38]]]}


@pytest.mark.parametrize("name, make, key", [
    ("self-intersecting", lambda p: geojson(p / "b.geojson", {VILLAGE: BOW_TIE}), "import.bad.geometry_invalid"),
    ("a line", lambda p: geojson(p / "b.geojson", {VILLAGE: {"type": "LineString", "coordinates": [[120.9, 29.4],
                                                                                              [121.0, 29.4]]}}),
     "import.bad.geometry_not_polygon"),
    ("no coordinates", lambda p: geojson(p / "b.geojson", {VILLAGE: {"type": "Polygon", "coordinates": [[[1]]]}}),
     "import.bad.geometry_unreadable"),
    ("projected without a crs", lambda p: geojson(p / "b.geojson", {VILLAGE: box(580000, 3250000, 590000, 3260000)}),
     "import.bad.shape_crs"),
    ("in another county", lambda p: geojson(p / "b.geojson", {VILLAGE: box(116.3, 39.9, 116.4, 40.0)}),
     "import.bad.geometry_outside"),
    ("an unknown code", lambda p: geojson(p / "b.geojson", {"330624109009": outlines()[VILLAGE]}),
     "import.bad.shape_unknown"),
    ("a zip without a shapefile", lambda p: _zip_of(p / "b.zip", {"readme.txt": b"hi"}), "import.bad.shape_no_shp"),
    ("not json", lambda p: _file(p / "b.geojson", b"{oops"), "import.bad.shape_read"),
])
def test_a_malformed_boundary_file_is_one_clear_error_and_changes_nothing(tmp_path, name, make, key):
    url, db = empty_db(tmp_path)
    assert load(url, workbook(tmp_path / "county.xlsx", base())).ok
    before = sha(db)
    with pytest.raises(UnusableFile) as exc:
        load(url, workbook(tmp_path / "more.xlsx", base()), make(tmp_path))
    assert exc.value.key == key, name
    from core.i18n import translate
    zh, en = translate(exc.value.key, "zh", **exc.value.params), translate(exc.value.key, "en", **exc.value.params)
    assert "{" not in zh + en and not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace("b.geojson", ""))
    assert sha(db) == before


def _zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for n, body in members.items():
            z.writestr(n, body)
    return path


def _file(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path
