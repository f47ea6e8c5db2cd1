"""Plane geometry of boundaries for drawing: parse, simplify for a zoom, rings rounded to 5 decimals (~1 m),
bounds and the deck.gl view that fits them. The one place outlines are simplified."""

from __future__ import annotations

import math

import shapely
from shapely.errors import GEOSException

from core.config import OUTLINES


def parse(geojson: str | None) -> shapely.Geometry | None:
    """The geometry of a stored GeoJSON boundary; None when missing or malformed."""
    if not geojson:
        return None
    try:
        return shapely.from_geojson(geojson)
    except (GEOSException, ValueError, TypeError):
        return None


def simplified_polygons(geom: shapely.Geometry | None, tolerance: float) -> list[list[list[list[float]]]]:
    """Polygons of a geometry as [[outer ring, *holes] of [lon, lat]], simplified by `tolerance` degrees."""
    if geom is None:
        return []
    if tolerance > 0:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon) and not g.is_empty]
    return [[_ring(p.exterior)] + [_ring(r) for r in p.interiors] for p in parts]


def polygons_of(geojson: str, tolerance: float) -> list[list[list[list[float]]]]:
    """Polygons of a GeoJSON geometry as [[ring of [lon, lat]], …], simplified and rounded to 5 decimals."""
    return simplified_polygons(parse(geojson), tolerance)


def outer_rings(geom: shapely.Geometry | None, tolerance: float) -> list[list[list[float]]]:
    """The outer ring of every polygon of a geometry, simplified (holes are not drawn at this size)."""
    return [poly[0] for poly in simplified_polygons(geom, tolerance)]


def outline_tolerance(geoms: list) -> float:
    """Simplification tolerance in degrees for outlines drawn together: finer than a pixel of their extent."""
    if not geoms:
        return OUTLINES.min_tolerance
    bounds = [g.bounds for g in geoms]
    extent = max(max(b[2] for b in bounds) - min(b[0] for b in bounds),
                 max(b[3] for b in bounds) - min(b[1] for b in bounds))
    return max(OUTLINES.min_tolerance, extent / OUTLINES.extent_steps)


def _ring(ring) -> list[list[float]]:
    return [[round(x, 5), round(y, 5)] for x, y in ring.coords]


def bounds_of(polygons: list[list[list[list[float]]]]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of polygons in the ``polygons_of`` shape."""
    xs = [pt[0] for poly in polygons for pt in poly[0]]
    ys = [pt[1] for poly in polygons for pt in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def fit_view(bounds: tuple[float, float, float, float], width: int = 1100, height: int = 640,
             padding: float = 0.06) -> tuple[float, float, float]:
    """(lon, lat, zoom) that fits the bounds into a width×height px deck.gl view (512-px world tiles)."""
    x0, y0, x1, y1 = bounds

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max(x1 - x0, 1e-6) / 360.0
    dy = max(merc(y1) - merc(y0), 1e-8) / (2 * math.pi)
    usable = 1.0 - 2 * padding
    zoom = min(math.log2(width * usable / (512 * dx)), math.log2(height * usable / (512 * dy)))
    lat_c = math.degrees(2 * math.atan(math.exp((merc(y0) + merc(y1)) / 2)) - math.pi / 2)
    return (x0 + x1) / 2, lat_c, round(min(zoom, 18.0), 2)


