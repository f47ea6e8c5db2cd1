"""Generated geometry inside a real county: reproducible, nested, tiling, well coded and named."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from core import boundaries
from seed import geo

XINCHANG = "330624"  # 新昌县: one small, single-part real county keeps the test quick
TOLERANCE = 0.005  # 0.5 % of the parent's area (coordinates are rounded to 1e-5°)


@pytest.fixture(scope="module")
def boundary() -> shapely.MultiPolygon:
    """新昌's real land boundary."""
    return boundaries.load_boundary(XINCHANG)


@pytest.fixture(scope="module")
def layout(boundary: shapely.MultiPolygon) -> geo.CountyLayout:
    """One generated layout of 新昌 at the city preset's grid density."""
    return geo.layout_county(XINCHANG, boundary, "city", 42, 4.0)


def _children(layout: geo.CountyLayout, boundary: shapely.Geometry) -> list[tuple]:
    """(parent code, parent geometry, children) for the county and every township and village."""
    out = [(XINCHANG, boundary, layout.townships)]
    for town in layout.townships:
        out.append((town.code, town.geom, town.villages))
        out.extend((v.code, v.geom, v.grids) for v in town.villages)
    return out


def test_lookup_and_counties_of_shaoxing_use_real_names() -> None:
    area = boundaries.lookup("330681")
    assert area == boundaries.AdminArea("330681", "诸暨市", "county", "浙江省", "绍兴市")
    counties = boundaries.counties_of_city("330600")
    names = [boundaries.lookup(code).name for code in counties]  # type: ignore[union-attr]
    assert counties == ["330602", "330603", "330604", "330624", "330681", "330683"]
    assert names == ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]
    assert boundaries.lookup("330600").name == "绍兴市"  # type: ignore[union-attr]
    assert boundaries.lookup("999999") is None


def test_zhejiang_has_eleven_cities_and_ninety_counties() -> None:
    cities = boundaries.cities_of_province("330000")
    assert len(cities) == 11
    assert sum(len(boundaries.counties_of_city(c)) for c in cities) == 90


def test_same_inputs_give_identical_layout(layout: geo.CountyLayout, boundary: shapely.MultiPolygon) -> None:
    assert geo.layout_county(XINCHANG, boundary, "city", 42, 4.0) == layout


def test_counts_follow_the_real_figures(layout: geo.CountyLayout) -> None:
    villages = [v for t in layout.townships for v in t.villages]
    grids = [g for v in villages for g in v.grids]
    assert (len(layout.townships), len(villages)) == geo.KNOWN_COUNTS[XINCHANG]
    assert all(len(t.villages) >= 3 for t in layout.townships)
    assert all(3 <= len(v.grids) <= 30 for v in villages)
    assert 3.0 * len(villages) < len(grids) < 5.5 * len(villages)


def test_label_points_lie_inside_themselves_and_their_parent(
    layout: geo.CountyLayout, boundary: shapely.MultiPolygon
) -> None:
    for parent_code, parent, kids in _children(layout, boundary):
        for kid in kids:
            point = shapely.Point(kid.label)
            assert kid.geom.contains(point), kid.code
            assert parent.buffer(1e-6).contains(point), (parent_code, kid.code)


def test_children_tile_their_parent_without_overlap(layout: geo.CountyLayout, boundary: shapely.MultiPolygon) -> None:
    for code, parent, kids in _children(layout, boundary):
        union = shapely.union_all([k.geom for k in kids], grid_size=geo.PRECISION)
        total = sum(k.geom.area for k in kids)
        assert abs(union.area - parent.area) < TOLERANCE * parent.area, code
        assert total - parent.area < TOLERANCE * parent.area, code
        assert union.symmetric_difference(parent).area < TOLERANCE * parent.area, code
        assert all(k.geom.is_valid and not k.geom.is_empty for k in kids), code


def test_codes_have_statistical_shape_and_prefixes(layout: geo.CountyLayout) -> None:
    for town in layout.townships:
        assert len(town.code) == 12 and town.code.startswith(XINCHANG) and town.code.isdigit()
        first = int(town.code[6:9])
        assert (1 <= first <= 99) if town.kind == "street" else (100 <= first <= 299)
        for village in town.villages:
            assert len(village.code) == 12 and village.code[:9] == town.code[:9]
            last = int(village.code[9:])
            assert (1 <= last <= 199) if village.kind == "community" else (200 <= last <= 399)
            assert [g.code for g in village.grids] == [
                f"{village.code}{i:03d}" for i in range(1, len(village.grids) + 1)
            ]


def test_names_are_unique_within_parent_and_carry_their_kind(layout: geo.CountyLayout) -> None:
    suffix = {"street": ("街道",), "town": ("镇", "乡"), "community": ("社区",), "village": ("村",)}
    towns = layout.townships
    assert len({t.name for t in towns}) == len(towns)
    for town in towns:
        assert town.name.endswith(suffix[town.kind])
        assert len({v.name for v in town.villages}) == len(town.villages)
        for village in town.villages:
            assert village.name.endswith(suffix[village.kind])
            assert len({g.name for g in village.grids}) == len(village.grids)
            assert all(g.name.endswith("网格") for g in village.grids)


def test_partition_tiles_a_square_with_exactly_n_cells() -> None:
    square = shapely.box(120.0, 30.0, 120.1, 30.1)
    cells = geo.partition(square, 7, np.random.default_rng(1))
    assert len(cells) == 7
    assert abs(sum(c.area for c in cells) - square.area) < 1e-3 * square.area
    assert shapely.union_all(cells).symmetric_difference(square).area < 1e-3 * square.area


def test_county_counts_by_area_respect_floors() -> None:
    assert geo.counts_for_county("330681", 2322.0, "county") == (23, 515)
    assert geo.counts_for_county("330102", 121.0, "province") == (5, 40)
    towns, villages = geo.counts_for_county("330127", 4438.0, "province")
    assert 50 <= towns <= 60 and 950 <= villages <= 1050
