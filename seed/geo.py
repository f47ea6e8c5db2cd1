"""Generated townships, villages and grids inside a real county polygon (pure, seeded).

Cells are clipped Voronoi regions of seed points relaxed by a sample-based Lloyd step, so a
level's cells tile their parent exactly (up to the 1e-5° coordinate grid). Names are
Zhejiang-style stems drawn from curated character lists; codes follow the 12-digit
statistical shape (6-digit county + 3-digit township + 3-digit village) plus 3 digits for a grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TypeAlias

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

PRECISION = 1e-5  # degrees, ≈1 m
KM_PER_DEG = 111.32
LLOYD_ITERS = 2
SAMPLES_PER_CELL = 40

Cell: TypeAlias = Polygon | MultiPolygon

# --- counts ---------------------------------------------------------------------------------

#: Real-ish (townships, villages + communities) of the 绍兴 counties; they sum to 103 / 2,100.
KNOWN_COUNTS: dict[str, tuple[int, int]] = {
    "330602": (17, 330),  # 越城区
    "330603": (16, 330),  # 柯桥区
    "330604": (20, 400),  # 上虞区
    "330624": (12, 270),  # 新昌县
    "330681": (23, 515),  # 诸暨市
    "330683": (15, 255),  # 嵊州市
}
KM2_PER_TOWNSHIP = 80.5  # tuned so 浙江's 90 counties total ≈1,360 townships
KM2_PER_VILLAGE = 4.54  # … and ≈24,000 villages/communities
MIN_TOWNSHIPS, MIN_VILLAGES, MIN_VILLAGES_PER_TOWNSHIP = 5, 40, 3
PRESET_NAMES = ("county", "city", "province", "tiny", "city_lite")
TINY_COUNTS = (4, 24)  # the test-suite preset: a handful of townships, two dozen villages


def counts_for_county(adcode: str, area_km2: float, preset: str) -> tuple[int, int]:
    """(townships, villages + communities) of a county: real figures if known, else by area."""
    if preset not in PRESET_NAMES:
        raise ValueError(f"unknown preset {preset!r}")
    if preset == "tiny":
        return TINY_COUNTS
    if adcode in KNOWN_COUNTS:
        return KNOWN_COUNTS[adcode]
    towns = max(MIN_TOWNSHIPS, round(area_km2 / KM2_PER_TOWNSHIP))
    villages = max(MIN_VILLAGES, round(area_km2 / KM2_PER_VILLAGE))
    return towns, max(villages, MIN_VILLAGES_PER_TOWNSHIP * towns)


def grids_for_village(kind: str, rng: np.random.Generator, mean: float) -> int:
    """Grids (网格) of one village: 3–30, communities about twice a village's (≈`mean` overall)."""
    target = mean * (1.6 if kind == "community" else 0.8)  # 1:3 communities:villages → mean
    return int(min(30, 3 + rng.poisson(max(target - 3.0, 0.0))))


def is_urban_district(adcode: str) -> bool:
    """True for 市辖区 codes (last two digits 01–19), which have more 街道 and 社区."""
    return 1 <= int(adcode[4:6]) <= 19


# --- partition ------------------------------------------------------------------------------


def partition(polygon: Cell, n: int, rng: np.random.Generator, x_scale: float = 1.0) -> list[Cell]:
    """`n` cells tiling `polygon` (Voronoi + Lloyd, clipped, on the 1e-5 grid), in seed order."""
    if n <= 1:
        return [polygon]
    shapely.prepare(polygon)
    for _ in range(8):
        samples = _sample_inside(polygon, max(SAMPLES_PER_CELL * n, 200), rng)
        seeds = samples[:n]
        for _ in range(LLOYD_ITERS):
            seeds = _lloyd_step(polygon, seeds, samples, x_scale)
        cells = _voronoi_cells(polygon, seeds, x_scale)
        if all(not c.is_empty for c in cells):
            return _absorb_fragments(cells, seeds)
    raise RuntimeError(f"could not split polygon into {n} non-empty cells")


def _sample_inside(polygon: Cell, m: int, rng: np.random.Generator) -> np.ndarray:
    """`m` points (m × 2 array) drawn uniformly inside the polygon by rejection."""
    x0, y0, x1, y1 = polygon.bounds
    fill = max(polygon.area / max((x1 - x0) * (y1 - y0), 1e-18), 0.02)
    chunks, have = [], 0
    while have < m:
        k = int((m - have) / fill * 1.2) + 16
        pts = rng.uniform((x0, y0), (x1, y1), size=(k, 2))
        pts = pts[shapely.contains_xy(polygon, pts[:, 0], pts[:, 1])]
        chunks.append(pts)
        have += len(pts)
    return np.concatenate(chunks)[:m]


def _lloyd_step(polygon: Cell, seeds: np.ndarray, samples: np.ndarray, x_scale: float) -> np.ndarray:
    """Seeds moved to the mean of the samples nearest to them (kept inside the polygon)."""
    scale = np.array([x_scale, 1.0])
    d = (((samples[:, None, :] - seeds[None, :, :]) * scale) ** 2).sum(axis=2)
    owner = d.argmin(axis=1)
    out = seeds.copy()
    for i in range(len(seeds)):
        mine = samples[owner == i]
        if len(mine) == 0:
            continue
        mean = mine.mean(axis=0)
        if shapely.contains_xy(polygon, mean[0], mean[1]):
            out[i] = mean
        else:  # concave cell: the owned sample nearest to its mean is inside by construction
            out[i] = mine[(((mine - mean) * scale) ** 2).sum(axis=1).argmin()]
    return out


def _voronoi_cells(polygon: Cell, seeds: np.ndarray, x_scale: float) -> list[Cell]:
    """Voronoi regions of the seeds (metric with x scaled) clipped to the polygon, seed order."""
    scale = np.array([x_scale, 1.0])
    x0, y0, x1, y1 = polygon.bounds
    frame = shapely.box(x0 * x_scale, y0, x1 * x_scale, y1)
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds * scale), extend_to=frame, ordered=True)
    regions = shapely.transform(shapely.get_parts(diagram), lambda c: c / scale)
    clipped = shapely.intersection(regions, polygon, grid_size=PRECISION)
    return [_polygonal(g) for g in clipped]


def _polygonal(geom: BaseGeometry) -> Cell:
    """Only the area parts of an overlay result: a Polygon, a MultiPolygon or an empty Polygon."""
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    for p in shapely.get_parts(geom):
        if isinstance(p, MultiPolygon | shapely.GeometryCollection):
            parts.extend(q for q in shapely.get_parts(p) if isinstance(q, Polygon) and q.area > 0)
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _absorb_fragments(cells: list[Cell], seeds: np.ndarray) -> list[Cell]:
    """Cells with detached pieces (away from their seed) merged into the neighbour they touch most."""
    cells = list(cells)
    for i, cell in enumerate(cells):
        if not isinstance(cell, MultiPolygon):
            continue
        parts = list(cell.geoms)
        home = next(
            (p for p in parts if p.contains(shapely.Point(seeds[i]))),
            max(parts, key=lambda p: p.area),
        )
        kept = [home]
        for frag in (p for p in parts if p is not home):
            j = _best_neighbour(cells, i, frag)
            if j is None:
                kept.append(frag)  # an island nobody else touches stays with this cell
            else:
                cells[j] = _polygonal(shapely.union(cells[j], frag, grid_size=PRECISION))
        cells[i] = kept[0] if len(kept) == 1 else MultiPolygon(kept)
    return cells


def _best_neighbour(cells: list[Cell], i: int, frag: Polygon) -> int | None:
    """Index of the other cell sharing the longest border with `frag`, or None."""
    best, best_len = None, 0.0
    edge = frag.boundary
    for j, other in enumerate(cells):
        if j == i or not other.intersects(frag):
            continue
        shared = shapely.intersection(edge, other.boundary).length
        if shared > best_len:
            best, best_len = j, shared
    return best


def label_point(geom: BaseGeometry) -> tuple[float, float]:
    """A point guaranteed inside the geometry (lon, lat); stored as the region's 'centroid'."""
    p = geom.representative_point()
    return (p.x, p.y)


# --- names ----------------------------------------------------------------------------------

RURAL_HEAD = (
    "枫陶浣东西南北上下中大小新前后青白黄石金马长高横清龙凤双三五安永兴和平岩竹梅桃杨柳松"
    "茶桐荷沙赵孙周吴郑王陈何章俞应楼蒋斯宣郦孝义仁溪湖江塘岭山泉云琴璜暨姚樟栗杜湄檀紫丰"
    "富盛宝华瑶泗汤浦"
)
RURAL_TAIL = "桥店阳山溪塘埠岭湖江里坞岙坑畈墩湾浦港洋田林源泉岩峰园宅圩垟渡堰亭池潭墅坪坂庙铺"
SURNAMES = "王陈张李赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕楼斯俞蒋"
WHOLE_RURAL = (
    "店口 牌头 江口 溪口 岭头 港口 湖头 桥头 墩头 山口 塘头 岩头 溪头 坑口 埠头 岙口 石门 龙门 "
    "枫桥 陶朱 浣东 暨阳 大唐 次坞 璜山 草塔 应店 赵家 五泄 同山 安华 马剑 东白湖 王家井 "
    "斯宅 东和 岭北 陈宅 街亭 璜溪 浬浦 里浦 直埠 姚江 山下湖 东溪 西岙 下叶 上坞 杜黄"
)  # space-separated
STREET_STEMS = (
    "城东 城南 城西 城北 城中 城关 江东 江南 江北 江滨 湖滨 府山 塔山 稽山 鉴湖 龙山 凤山 秀山 "
    "梅山 东湖 南湖 北湖 望江 东关 西关 南门 北门 东门 西门 北海 鹿山 羽山 七星 南明 浦阳 仙华 "
    "石城 锦城 丹城 新安 文昌 兰亭 柯岩 齐贤 安昌 华舍 马鞍 皋埠 斗门 东浦 灵芝 迪荡 大通 桐君 "
    "凤凰 双江 三江 白塔 翠屏 金山 銮峰 龙泉 紫阳 长乐 宝山 青山 海棠 云溪 枫林 剡湖 鼓山 梁湖"
)  # space-separated
URBAN_HEAD = "城东西南北新文锦望滨华和安康福兴瑞秀光明金银翠阳鉴府塔越"
URBAN_TAIL = "东西南北湖江山苑园城桥华安康泰和庭景盛兴阳光明都府塘岸滨河源"
DIRECTIONS = set("东西南北")
SILLY = {
    "江湖", "山庄", "山里", "中里", "长城", "长江", "小店", "马里", "钱庄", "黄泉", "孙山",
    "东西", "和和", "下坑", "白坑", "中坑",
}  # fmt: skip


@cache
def _rural_stems() -> tuple[str, ...]:
    """Two-character village/town stems in a fixed order (curated heads × tails, filtered)."""
    combos = [h + t for h in RURAL_HEAD for t in RURAL_TAIL if h != t and h + t not in SILLY]
    return tuple(dict.fromkeys(WHOLE_RURAL.split() + combos))


@cache
def _clan_stems() -> tuple[str, ...]:
    """Three-character stems like 王家坞 (surname + 家 + landform)."""
    return tuple(s + "家" + t for s in SURNAMES for t in RURAL_TAIL)


@cache
def _urban_stems() -> tuple[str, ...]:
    """Two-character street/community stems (城东, 望江, 锦苑 …) in a fixed order."""
    return tuple(
        h + t
        for h in URBAN_HEAD
        for t in URBAN_TAIL
        if h != t and not (h in DIRECTIONS and t in DIRECTIONS) and h + t not in SILLY
    )


def _draw_stems(
    pools: tuple[tuple[tuple[str, ...], float], ...],
    n: int,
    rng: np.random.Generator,
    exclude: frozenset[str] | set[str],
) -> list[str]:
    """`n` distinct stems not in `exclude`, each from a pool chosen with the given weights."""
    weights = np.array([w for _, w in pools]) / sum(w for _, w in pools)
    out: list[str] = []
    seen = set(exclude)
    for _ in range(n * 50 + 100 if n > 0 else 0):
        pool = pools[int(rng.choice(len(pools), p=weights))][0]
        stem = pool[int(rng.integers(len(pool)))]
        if stem not in seen:
            seen.add(stem)
            out.append(stem)
            if len(out) == n:
                break
    if len(out) < n:
        raise ValueError(f"name pools exhausted drawing {n} stems")
    return out


def township_names(
    n: int, rng: np.random.Generator, street_share: float = 0.2, xiang_share: float = 0.15
) -> list[tuple[str, str]]:
    """(name, kind) of `n` townships: 街道 ('street') first, then 镇, then 乡 (both 'town')."""
    streets = round(n * street_share)
    xiangs = round((n - streets) * xiang_share)
    curated = tuple(STREET_STEMS.split())
    pools = ((curated, 1.0),) if streets <= len(curated) // 2 else ((_urban_stems(), 1.0),)
    urban = _draw_stems(pools, streets, rng, frozenset())
    rural = _draw_stems(((_rural_stems(), 1.0),), n - streets, rng, frozenset(urban))
    towns = [(s + "镇", "town") for s in rural[: n - streets - xiangs]]
    return [(s + "街道", "street") for s in urban] + towns + [(s + "乡", "town") for s in rural[len(towns) :]]


def village_names(
    n: int, rng: np.random.Generator, urban_share: float, exclude: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(name, kind) of `n` villages: 社区 ('community') first, then 村 ('village'); stems not in `exclude`."""
    communities = int(round(n * urban_share))
    urban = _draw_stems(((_urban_stems(), 1.0),), communities, rng, exclude)
    rural_pools = ((_rural_stems(), 0.85), (_clan_stems(), 0.15))
    rural = _draw_stems(rural_pools, n - communities, rng, exclude | set(urban))
    return [(s + "社区", "community") for s in urban] + [(s + "村", "village") for s in rural]


def stem_of(name: str) -> str:
    """The name without its 街道/镇/乡/社区/村 suffix."""
    for suffix in ("街道", "社区", "镇", "乡", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# --- county layout --------------------------------------------------------------------------

COMMUNITY_SHARE = {"street": 0.6, "town": 0.1, "xiang": 0.03}  # 社区 share of villages by parent


@dataclass(frozen=True)
class GridLayout:
    """One 网格: 15-digit code, name, polygon and label point (lon, lat)."""

    code: str
    name: str
    geom: Cell
    label: tuple[float, float]


@dataclass(frozen=True)
class VillageLayout:
    """One 村/社区 (kind 'village' | 'community') with its grids in code order."""

    code: str
    name: str
    kind: str
    geom: Cell
    label: tuple[float, float]
    grids: tuple[GridLayout, ...]


@dataclass(frozen=True)
class TownshipLayout:
    """One 街道/镇/乡 (kind 'street' | 'town'; code 6+3 digits + '000') with villages in code order."""

    code: str
    name: str
    kind: str
    geom: Cell
    label: tuple[float, float]
    villages: tuple[VillageLayout, ...]


@dataclass(frozen=True)
class CountyLayout:
    """All generated regions of one real county, townships in code order."""

    adcode: str
    townships: tuple[TownshipLayout, ...]


def area_km2(geom: BaseGeometry) -> float:
    """Approximate area in km² of a lon/lat geometry (equirectangular at its centroid)."""
    return geom.area * KM_PER_DEG**2 * math.cos(math.radians(geom.centroid.y))


def layout_county(adcode: str, boundary: Cell, preset: str, seed: int, grid_mean: float) -> CountyLayout:
    """Townships, villages and grids generated inside `boundary`, reproducible from (seed, adcode)."""
    rng = np.random.default_rng([seed, int(adcode)])
    x_scale = math.cos(math.radians(boundary.centroid.y))
    n_towns, n_villages = counts_for_county(adcode, area_km2(boundary), preset)
    seat = max(shapely.get_parts(boundary), key=lambda p: p.area).representative_point()
    cells = _by_distance(partition(boundary, n_towns, rng, x_scale), seat, x_scale)
    urban = is_urban_district(adcode)
    names = township_names(n_towns, rng, 0.45 if urban else 0.2, 0.05 if urban else 0.2)
    quotas = _allocate(n_villages, [c.area for c in cells], MIN_VILLAGES_PER_TOWNSHIP)
    used: set[str] = set()  # village stems stay unique within the county
    next_code = {"street": 1, "town": 101, "xiang": 201}
    townships = []
    for cell, (name, kind), quota in zip(cells, names, quotas, strict=True):
        tier = "xiang" if name.endswith("乡") else kind
        code = f"{adcode}{next_code[tier]:03d}000"  # 12-digit shape: the last 3 are the village
        next_code[tier] += 1
        villages = _layout_villages(code, tier, cell, quota, rng, x_scale, grid_mean, used)
        townships.append(TownshipLayout(code, name, kind, cell, label_point(cell), villages))
    return CountyLayout(adcode, tuple(sorted(townships, key=lambda t: t.code)))


def _layout_villages(
    code: str,
    tier: str,
    geom: Cell,
    n: int,
    rng: np.random.Generator,
    x_scale: float,
    grid_mean: float,
    used: set[str],
) -> tuple[VillageLayout, ...]:
    """Villages of one township; 社区 (codes 001…) sit nearest its centre, 村 get 201…."""
    cells = _by_distance(partition(geom, n, rng, x_scale), shapely.Point(label_point(geom)), x_scale)
    names = village_names(n, rng, COMMUNITY_SHARE[tier], frozenset(used))
    used.update(stem_of(name) for name, _ in names)
    out, next_code = [], {"community": 1, "village": 201}
    for cell, (name, kind) in zip(cells, names, strict=True):
        vcode = f"{code[:9]}{next_code[kind]:03d}"
        next_code[kind] += 1
        count = grids_for_village(kind, rng, grid_mean)
        grids = _layout_grids(vcode, stem_of(name), cell, count, rng, x_scale)
        out.append(VillageLayout(vcode, name, kind, cell, label_point(cell), grids))
    return tuple(sorted(out, key=lambda v: v.code))


def _layout_grids(
    code: str, stem: str, geom: Cell, n: int, rng: np.random.Generator, x_scale: float
) -> tuple[GridLayout, ...]:
    """Grids of one village numbered north-west first: codes <village>001…, names 枫溪1网格…."""
    cells = partition(geom, n, rng, x_scale)
    labels = [label_point(c) for c in cells]
    order = sorted(range(n), key=lambda i: (-round(labels[i][1], 3), labels[i][0]))
    return tuple(
        GridLayout(f"{code}{k + 1:03d}", f"{stem}{k + 1}网格", cells[i], labels[i]) for k, i in enumerate(order)
    )


def _by_distance(cells: list[Cell], origin: shapely.Point, x_scale: float) -> list[Cell]:
    """Cells sorted by distance of their label point from `origin`, nearest first."""

    def dist(cell: Cell) -> float:
        x, y = label_point(cell)
        return math.hypot((x - origin.x) * x_scale, y - origin.y)

    return sorted(cells, key=dist)


def _allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """`total` split by weight with a floor of `minimum` each (largest remainder, stable ties)."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError(f"{total} cannot give {minimum} to each of {len(weights)}")
    share = np.array(weights) / sum(weights) * spare
    base = np.floor(share).astype(int)
    rest = spare - int(base.sum())
    for i in sorted(range(len(weights)), key=lambda i: (base[i] - share[i], i))[:rest]:
        base[i] += 1
    return [minimum + int(b) for b in base]
