"""Regions and grids: real city/county boundaries, generated townships, villages and grids."""

from __future__ import annotations

import math
from typing import cast

import shapely

from core import boundaries
from core.models import Grid, Region
from seed import geo
from seed.context import SeedContext, VillageUnit


def area_km2(geom) -> float:
    """Approximate area in km² of a lon/lat geometry."""
    lat = geom.representative_point().y
    return geom.area * (111.32**2) * math.cos(math.radians(lat))


def _region_row(code: str, name: str, level: str, kind: str, parent: str | None, geom, households=0, population=0) -> dict:
    pt = geom.representative_point()
    return {
        "id": int(code), "code": code, "name": name, "level": level, "kind": kind,
        "parent_id": int(parent) if parent else None, "lon": round(pt.x, 5), "lat": round(pt.y, 5),
        "area_km2": round(area_km2(geom), 2), "population": population, "households": households,
        "boundary": shapely.to_geojson(geom),
    }


def county_codes(preset_name: str, root_code: str) -> list[str]:
    """6-digit codes of the counties a preset covers, in code order."""
    area = boundaries.lookup(root_code)
    if area is None:
        raise ValueError(f"未知区划代码: {root_code}")
    if area.level == "county":
        return [root_code]
    if area.level == "city":
        return boundaries.counties_of_city(root_code)
    return [c for city in boundaries.cities_of_province(root_code) for c in boundaries.counties_of_city(city)]


def write_upper_levels(ctx: SeedContext, root_code: str, counties: list[str]) -> None:
    """Province and city rows above the counties (only those the preset covers)."""
    root = cast(boundaries.AdminArea, boundaries.lookup(root_code))  # a preset's root: always listed
    rows = []
    if root.level == "province":
        rows.append(_region_row(root_code + "000000", root.name, "province", "province", None, boundaries.load_boundary(root_code)))
    cities = sorted({c[:4] + "00" for c in counties}) if root.level in ("province", "city") else []
    for city in cities:
        parent = city[:2] + "0000000000" if root.level == "province" else None
        rows.append(_region_row(city + "000000", cast(boundaries.AdminArea, boundaries.lookup(city)).name, "city", "city", parent, boundaries.load_boundary(city)))
    ctx.insert(Region.__table__, rows)


def write_county(ctx: SeedContext, adcode: str, has_city_parent: bool) -> None:
    """One county with its generated townships, villages and grids."""
    area = cast(boundaries.AdminArea, boundaries.lookup(adcode))  # one of county_codes()
    boundary = boundaries.load_boundary(adcode)
    layout = geo.layout_county(adcode, boundary, ctx.preset.name, ctx.seed, ctx.preset.grid_mean)
    rng = ctx.rng(int(adcode), 1)
    county_id = int(adcode + "000000")
    kind = "district" if area.name.endswith("区") else "county"
    regions, grids, township_rows = [], [], []
    county_hh = county_pop = 0
    for town in layout.townships:
        town_hh = town_pop = 0
        for vil in town.villages:
            lo, hi = (180, 320) if vil.kind == "community" else (100, 260)
            hh = rng.integers(lo, hi, size=len(vil.grids))
            pops = (hh * rng.uniform(2.5, 3.2, size=len(vil.grids))).astype(int)
            unit = VillageUnit(int(vil.code), int(town.code), county_id, vil.name, vil.kind,
                               int(hh.sum()), int(pops.sum()), float(rng.normal(0, 1)))
            for g, h, p in zip(vil.grids, hh.tolist(), pops.tolist(), strict=True):
                grids.append({"id": int(g.code), "code": g.code, "village_id": unit.id, "name": g.name,
                              "lon": round(g.label[0], 5), "lat": round(g.label[1], 5), "households": h,
                              "population": p, "worker_id": None, "boundary": shapely.to_geojson(g.geom)})
                unit.grid_ids.append(int(g.code))
                unit.grid_households.append(h)
                unit.grid_geoms.append(g.geom)
            regions.append(_region_row(vil.code, vil.name, "village", vil.kind, town.code, vil.geom, unit.households, unit.population))
            ctx.villages.append(unit)
            town_hh, town_pop = town_hh + unit.households, town_pop + unit.population
        township_rows.append(_region_row(town.code, town.name, "township", town.kind, adcode + "000000", town.geom, town_hh, town_pop))
        county_hh, county_pop = county_hh + town_hh, county_pop + town_pop
    parent = adcode[:4] + "00000000" if has_city_parent else None
    ctx.insert(Region.__table__, [_region_row(adcode + "000000", area.name, "county", kind, parent, boundary, county_hh, county_pop)])
    ctx.insert(Region.__table__, township_rows)
    ctx.insert(Region.__table__, regions)
    ctx.insert(Grid.__table__, grids)


def fill_upper_totals(ctx: SeedContext) -> None:
    """Households and population of cities and the province as sums of their counties."""
    for level, digits in (("city", 4), ("province", 2)):
        ctx.conn.exec_driver_sql(
            f"UPDATE region SET households = (SELECT COALESCE(SUM(c.households),0) FROM region c "
            f"WHERE c.level='county' AND c.id / {10 ** (12 - digits)} = region.id / {10 ** (12 - digits)}), "
            f"population = (SELECT COALESCE(SUM(c.population),0) FROM region c "
            f"WHERE c.level='county' AND c.id / {10 ** (12 - digits)} = region.id / {10 ** (12 - digits)}) "
            f"WHERE level = '{level}'"
        )
