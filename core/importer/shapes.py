"""Boundaries in (边界): regions' and grids' outlines from a GeoJSON file or a zipped Shapefile, in any coordinate
system PROJ knows (a projected one such as EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger 120E, named by the
Shapefile's .prj or the GeoJSON's `crs` member), reprojected to WGS84 longitude/latitude and put on the
stored boundaries' 1e-5° grid, as the generated ones are (`core.boundaries.PRECISION`).

Each feature names its region or grid by a code property (代码, 区划代码, 网格编码, code, adcode, XZQDM …): 12
digits a township or village, 15 digits a grid. A file that cannot be read, has no coordinate system where
one is needed, or holds a feature that is not a valid polygon inside the county raises `UnusableFile` with
one line naming the file, the feature and the reason: nothing is written.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import shapefile  # pyshp
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from core.boundaries import PRECISION
from core.importer.read import UnusableFile, fold_header

SUFFIXES = (".geojson", ".json", ".zip")
#: Property names that hold a feature's code (folded: lower case, no spaces).
CODE_KEYS = ("代码", "区划代码", "统计用区划代码", "行政区划代码", "村代码", "乡镇代码", "网格编码", "网格代码", "编码",
             "code", "adcode", "xzqdm", "xzqhdm", "gridcode", "grid_code")
WGS84 = CRS.from_epsg(4326)
#: Where a longitude/latitude in China can lie (a coordinate outside it is projected, or wrong).
_LON, _LAT = (73.0, 136.0), (3.0, 54.0)


def is_boundary_file(path: str | Path) -> bool:
    """True for a file this module reads (GeoJSON, or a zip holding a Shapefile)."""
    return Path(path).suffix.lower() in SUFFIXES


def read_boundaries(path: str | Path, county_outline: BaseGeometry | None = None) -> dict[str, BaseGeometry]:
    """Code → outline in WGS84 of every feature of the file (raises UnusableFile on the first problem)."""
    path = Path(path)
    if not path.is_file():
        raise UnusableFile("import.bad.not_found", name=path.name)
    out: dict[str, BaseGeometry] = {}
    for n, (props, geom, crs) in enumerate(_features(path), start=1):
        code = _code(props)
        if code is None:
            raise UnusableFile("import.bad.shape_code", name=path.name, n=n)
        if code in out:
            raise UnusableFile("import.bad.shape_duplicate", name=path.name, n=n, code=code)
        out[code] = _checked(path.name, n, code, geom, crs, county_outline)
    if not out:
        raise UnusableFile("import.bad.shape_empty", name=path.name)
    return out


def _features(path: Path) -> Iterator[tuple[dict[str, Any], Any, CRS | None]]:
    if path.suffix.lower() == ".zip":
        yield from _shapefile(path)
    else:
        yield from _geojson(path)


def _geojson(path: Path) -> Iterator[tuple[dict[str, Any], Any, CRS | None]]:
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise UnusableFile("import.bad.shape_read", name=path.name) from None
    if not isinstance(doc, dict):
        raise UnusableFile("import.bad.shape_read", name=path.name)
    named = doc.get("crs")
    props = named.get("properties") if isinstance(named, dict) else None
    crs = _crs_of(path.name, props.get("name") if isinstance(props, dict) else None)
    feats = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc] if doc.get("type") == "Feature" else None
    if not isinstance(feats, list):
        raise UnusableFile("import.bad.shape_read", name=path.name)
    for f in feats:
        f = f if isinstance(f, dict) else {}
        yield (f.get("properties") or {}), f.get("geometry"), crs


def _shapefile(path: Path) -> Iterator[tuple[dict[str, Any], Any, CRS | None]]:
    try:
        zf = zipfile.ZipFile(path)
        names = {n.lower(): n for n in zf.namelist() if not n.startswith("__MACOSX")}
    except (zipfile.BadZipFile, OSError):
        raise UnusableFile("import.bad.shape_read", name=path.name) from None
    shps = sorted(n for n in names if n.endswith(".shp"))
    if not shps:
        raise UnusableFile("import.bad.shape_no_shp", name=path.name)
    for shp in shps:
        stem = shp[:-4]
        part = {ext: zf.read(names[stem + ext]) for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg") if stem + ext in names}
        if ".dbf" not in part:
            raise UnusableFile("import.bad.shape_no_dbf", name=path.name)
        prj = part.get(".prj", b"").decode("utf-8", "replace").strip()
        crs = _crs_of(path.name, prj or None)
        cpg = part.get(".cpg", b"").decode("ascii", "replace").strip().lower()
        encodings = [{"936": "gbk", "utf8": "utf-8"}.get(cpg, cpg)] if cpg else ["utf-8", "gb18030"]
        yield from _shapes(path.name, part, encodings, crs)


def _shapes(name: str, part: dict[str, bytes], encodings: list[str], crs: CRS | None) -> Iterator[tuple[dict, Any, CRS | None]]:
    for enc in encodings:
        try:
            reader = shapefile.Reader(shp=io.BytesIO(part[".shp"]), dbf=io.BytesIO(part[".dbf"]),
                                      shx=io.BytesIO(part[".shx"]) if ".shx" in part else None, encoding=enc)
            rows = [(sr.record.as_dict(), sr.shape.__geo_interface__ if sr.shape.shapeType else None)
                    for sr in reader.iterShapeRecords()]
        except (UnicodeDecodeError, LookupError):
            continue
        except Exception:  # noqa: BLE001 — pyshp raises plain exceptions (struct errors, ShapefileException) on a damaged file
            raise UnusableFile("import.bad.shape_read", name=name) from None
        for props, geom in rows:
            yield props, geom, crs
        return
    raise UnusableFile("import.bad.shape_read", name=name)


def _crs_of(name: str, text: str | None) -> CRS | None:
    """The coordinate system a file names (WKT of a .prj, or 'EPSG:4549' / an OGC URN), None when it names none."""
    if not text:
        return None
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise UnusableFile("import.bad.shape_crs_unknown", name=name) from None


def _code(props: dict[str, Any]) -> str | None:
    folded = {fold_header(k): v for k, v in props.items()}
    for key in CODE_KEYS:
        v = folded.get(fold_header(key))
        if v is None or v == "":
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        if text.isdigit() and len(text) in (12, 15):
            return text
    return None


def _checked(name: str, n: int, code: str, raw: Any, crs: CRS | None, county: BaseGeometry | None) -> BaseGeometry:
    """The feature's outline in WGS84 on the stored grid, or UnusableFile saying what is wrong with it."""

    def bad(reason: str, **params: Any) -> UnusableFile:
        return UnusableFile(f"import.bad.geometry_{reason}", name=name, n=n, code=code, **params)

    try:
        geom = shape(raw) if raw else None
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException):
        raise bad("unreadable") from None
    if geom is None or geom.is_empty:
        raise bad("empty")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise bad("not_polygon", kind=geom.geom_type)
    if not geom.is_valid:
        raise bad("invalid", detail=shapely.is_valid_reason(geom))
    minx, miny, maxx, maxy = geom.bounds
    lonlat = _LON[0] <= minx and maxx <= _LON[1] and _LAT[0] <= miny and maxy <= _LAT[1]
    if crs is None and not lonlat:
        raise UnusableFile("import.bad.shape_crs", name=name)
    if crs is not None and not crs.equals(WGS84, ignore_axis_order=True):
        t = Transformer.from_crs(crs, WGS84, always_xy=True)
        geom = shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    geom = shapely.set_precision(geom, PRECISION)
    minx, miny, maxx, maxy = geom.bounds
    if geom.is_empty or not geom.is_valid:
        raise bad("invalid", detail=shapely.is_valid_reason(geom))
    if not (_LON[0] <= minx and maxx <= _LON[1] and _LAT[0] <= miny and maxy <= _LAT[1]) or (
            county is not None and not county.buffer(0.01).contains(geom.representative_point())):
        raise bad("outside")
    return geom
