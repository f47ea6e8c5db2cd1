"""Generated cells (生成边界): a region without a boundary of its own gets a Voronoi cell of its parent around its
point (a point drawn inside the parent when the file gives none), deterministic by code — as the demo does."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry


def _rng(code: str) -> random.Random:
    return random.Random(int(hashlib.sha256(code.encode()).hexdigest()[:12], 16))


def point_inside(parent: BaseGeometry, code: str) -> tuple[float, float]:
    """A point inside `parent`, drawn from the code (the same code, the same point)."""
    rng = _rng(code)
    minx, miny, maxx, maxy = parent.bounds
    for _ in range(500):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if parent.contains(p):
            return round(p.x, 5), round(p.y, 5)
    rp = parent.representative_point()
    return round(rp.x, 5), round(rp.y, 5)


def cells(parent: BaseGeometry, points: dict[str, tuple[float | None, float | None]]) -> dict[str, tuple[Any, float, float]]:
    """Code → (cell geometry, lon, lat) for each child: its own point (or one drawn inside the parent), the cell
    of the parent nearest to it; two children on one point are moved apart slightly."""
    placed: dict[str, tuple[float, float]] = {}
    taken: set[tuple[float, float]] = set()
    for code in sorted(points):
        lon, lat = points[code]
        xy = (float(lon), float(lat)) if lon is not None and lat is not None else point_inside(parent, code)
        while xy in taken:
            rng = _rng(code + str(len(taken)))
            xy = (round(xy[0] + rng.uniform(-2e-4, 2e-4), 5), round(xy[1] + rng.uniform(-2e-4, 2e-4), 5))
        taken.add(xy)
        placed[code] = xy
    if len(placed) == 1:
        code, xy = next(iter(placed.items()))
        return {code: (parent, xy[0], xy[1])}
    regions = shapely.voronoi_polygons(MultiPoint(list(placed.values())), extend_to=parent)
    out: dict[str, tuple[Any, float, float]] = {}
    polys = list(regions.geoms)
    for code, xy in placed.items():
        p = Point(xy)
        poly = next((g for g in polys if g.covers(p)), None)
        cell = parent.intersection(poly) if poly is not None else parent
        if cell.is_empty:
            cell = p.buffer(0.002)
        out[code] = (cell, xy[0], xy[1])
    return out
