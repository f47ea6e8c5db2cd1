"""民情 appeals over the window, inside their grids, with planted anomalies recorded as truth."""

from __future__ import annotations

import json

import numpy as np
import shapely

from core.enums import APPEAL_CATEGORIES, APPEAL_CHANNELS, AppealLevel, AppealStatus
from core.models import Appeal, PlantedAnomaly
from seed.context import SeedContext, VillageUnit, sql_datetimes
from seed.tasks import day_weights

CHANNEL_P = [0.45, 0.2, 0.15, 0.12, 0.08]
CATEGORY_BASE = np.array([0.24, 0.14, 0.1, 0.18, 0.14, 0.1, 0.04, 0.06])
LEVELS = [AppealLevel.GRID, AppealLevel.VILLAGE, AppealLevel.TOWNSHIP, AppealLevel.COUNTY]
LEVEL_P = [0.55, 0.26, 0.14, 0.05]
LEVEL_CLOSE_DAYS = np.array([0.8, 2.0, 5.0, 10.0])
DUE_DAYS = 5
NEW_CATEGORY = APPEAL_CATEGORIES.index("治安防控")


def _points_in(geom, n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniform random points inside a polygon (rejection sampling on its bounds)."""
    minx, miny, maxx, maxy = geom.bounds
    out = np.empty((0, 2))
    shapely.prepare(geom)
    while len(out) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(max(16, 2 * (n - len(out))), 2))
        out = np.vstack([out, cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]])
    return out[:n].round(5)


class AppealBatch:
    """Column lists of the appeals of one county, appended grid by grid."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {k: [] for k in ("vi", "grid", "cat", "t", "xy")}

    def add(self, vi: int, grid: int, cats: np.ndarray, times: np.ndarray, xy: np.ndarray) -> None:
        """Append len(cats) appeals of village index `vi`, grid id `grid`."""
        n = len(cats)
        self.cols["vi"].append(np.full(n, vi))
        self.cols["grid"].append(np.full(n, grid, dtype=np.int64))
        self.cols["cat"].append(cats)
        self.cols["t"].append(times)
        self.cols["xy"].append(xy)

    def arrays(self) -> dict[str, np.ndarray]:
        """The collected columns as arrays."""
        return {k: np.concatenate(v) if v else np.empty(0) for k, v in self.cols.items()}


def write_appeals(ctx: SeedContext, villages: list[VillageUnit], county_id: int) -> list[dict]:
    """All appeals of one county's villages, plus the anomalies planted among them."""
    rng = ctx.rng(county_id // 1_000_000, 21)
    plan = _plan_anomalies(ctx, rng, villages, county_id)
    w = day_weights(ctx)
    rate = ctx.preset.appeals_per_village_year * ctx.preset.months / 12 / (ctx.preset.grid_mean * 190)  # per household
    batch = AppealBatch()
    for vi, v in enumerate(villages):
        cat_p = rng.dirichlet(CATEGORY_BASE * 25)
        if v.id == plan["new_village"]:
            cat_p[NEW_CATEGORY] = 0.0
            cat_p /= cat_p.sum()
        for grid, hh, geom in zip(v.grid_ids, v.grid_households, v.grid_geoms, strict=True):
            n = int(rng.poisson(rate * hh * np.exp(-0.25 * v.quality)))
            days = rng.choice(ctx.days, size=n, p=w)
            if v.id == plan["silent_village"]:
                days = days[days < ctx.days - 45]
            secs = days * 86400 + rng.integers(7 * 3600, 21 * 3600, len(days))
            batch.add(vi, grid, rng.choice(len(cat_p), size=len(days), p=cat_p), secs, _points_in(geom, len(days), rng))
    for extra in plan["extras"]:
        v = villages[extra["vi"]]
        geom = v.grid_geoms[v.grid_ids.index(extra["grid"])]
        batch.add(extra["vi"], extra["grid"], np.full(len(extra["secs"]), extra["cat"]), extra["secs"],
                  _points_in(geom, len(extra["secs"]), rng))
    rows = _write(ctx, rng, villages, batch.arrays())
    ctx.insert(PlantedAnomaly.__table__, plan["truth"])
    return rows


def _write(ctx: SeedContext, rng, villages: list[VillageUnit], a: dict[str, np.ndarray]) -> list[dict]:
    order = np.lexsort((a["grid"], a["t"]))
    a = {k: v[order] for k, v in a.items()}
    n = len(order)
    q = np.array([v.quality for v in villages])[a["vi"].astype(int)]
    reported = np.datetime64(ctx.start, "s") + a["t"].astype("timedelta64[s]")
    lvl = rng.choice(4, size=n, p=LEVEL_P)
    resp_h = rng.exponential(5.0 * np.exp(-0.35 * q)) + 0.2
    first = reported + (resp_h * 3600).astype("timedelta64[s]")
    close_d = rng.exponential(LEVEL_CLOSE_DAYS[lvl] * np.exp(-0.25 * q)) + resp_h / 24
    closed = reported + (close_d * 86400).astype("timedelta64[s]")
    as_of_end = np.datetime64(ctx.as_of, "s") + np.timedelta64(86399, "s")
    is_closed = closed <= as_of_end
    responded = first <= as_of_end
    good_p = 1 / (1 + np.exp(-(1.9 + 0.7 * q - 0.5 * (close_d > DUE_DAYS))))
    u = rng.random(n)
    rating = np.where(u < good_p, "good", np.where(u < good_p + (1 - good_p) * 0.7, "mid", "bad"))
    rated = is_closed & (rng.random(n) < 0.85)
    channel = rng.choice(len(APPEAL_CHANNELS), size=n, p=CHANNEL_P)
    ids = ctx.ids("appeal", n)
    cols = dict(rep=sql_datetimes(reported), first=sql_datetimes(first), closed=sql_datetimes(closed),
                due=sql_datetimes(reported + np.timedelta64(DUE_DAYS * 86400, "s")))
    workers = {g: w for v in villages for g, w in zip(v.grid_ids, v.grid_workers, strict=True)}
    rows = []
    for i in range(n):
        vi, g = int(a["vi"][i]), int(a["grid"][i])
        done = bool(is_closed[i])
        rows.append({
            "id": ids[i], "village_id": villages[vi].id, "grid_id": g, "category": APPEAL_CATEGORIES[int(a["cat"][i])],
            "channel": APPEAL_CHANNELS[int(channel[i])], "lon": float(a["xy"][i][0]), "lat": float(a["xy"][i][1]),
            "reported_at": cols["rep"][i], "due_at": cols["due"][i],
            "first_response_at": cols["first"][i] if responded[i] else None,
            "closed_at": cols["closed"][i] if done else None,
            "status": str(AppealStatus.CLOSED if done else AppealStatus.HANDLING if responded[i] else AppealStatus.REPORTED),
            "level": str(LEVELS[int(lvl[i])]), "closing_level": str(LEVELS[int(lvl[i])]) if done else None,
            "rating": str(rating[i]) if rated[i] else None, "handler_id": workers[g],
        })
    ctx.insert(Appeal.__table__, rows)
    return rows


def _plan_anomalies(ctx: SeedContext, rng, villages: list[VillageUnit], county_id: int) -> dict:
    """Pick distinct villages and grids for each planted anomaly kind; return extras and truth rows."""
    picks = rng.choice(len(villages), size=min(5, len(villages)), replace=False).tolist()
    days = ctx.days
    extras, truth = [], []

    def record(kind, vi, grid, cat, d0, d1, detail):
        truth.append({"kind": kind, "village_id": villages[vi].id, "grid_id": grid, "category": cat,
                      "start_on": ctx.day(d0), "end_on": ctx.day(d1), "detail": json.dumps(detail, ensure_ascii=False)})

    vi = picks[0]  # 突发/群发: a burst of disputes in one grid within two days
    g = villages[vi].grid_ids[0]
    d0 = days - int(rng.integers(20, 80))
    secs = d0 * 86400 + rng.integers(0, 2 * 86400, 18)
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("矛盾纠纷"), "secs": secs})
    record("burst", vi, g, "矛盾纠纷", d0, d0 + 1, {"added": 18, "window_hours": 48})
    vi = picks[1]  # 高发/多发: a month at several times the grid's baseline
    g = villages[vi].grid_ids[-1]
    d0 = days - 30
    secs = d0 * 86400 + rng.integers(0, 30 * 86400, 30)
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("环境卫生"), "secs": secs})
    record("high", vi, g, "环境卫生", d0, days - 1, {"added": 30, "window_days": 30})
    vi = picks[2]  # 顽疾: the same problem at the same grid month after month
    g = villages[vi].grid_ids[len(villages[vi].grid_ids) // 2]
    d0 = days - 180
    secs = np.concatenate([(d0 + 30 * k) * 86400 + rng.integers(0, 30 * 86400, 6) for k in range(6)])
    extras.append({"vi": vi, "grid": g, "cat": APPEAL_CATEGORIES.index("基础设施"), "secs": secs})
    record("chronic", vi, g, "基础设施", d0, days - 1, {"added_per_month": 6, "months": 6})
    vi = picks[3]  # 新苗头: a category the village never had appears
    g = villages[vi].grid_ids[0]
    d0 = days - 25
    secs = d0 * 86400 + rng.integers(0, 20 * 86400, 5)
    extras.append({"vi": vi, "grid": g, "cat": NEW_CATEGORY, "secs": secs})
    record("new", vi, g, APPEAL_CATEGORIES[NEW_CATEGORY], d0, days - 1, {"added": 5})
    vi = picks[4]  # 停报: the village stops reporting for the last 45 days
    record("silent", vi, None, None, days - 45, days - 1, {"silent_days": 45})
    return {"extras": extras, "truth": truth, "new_village": villages[picks[3]].id,
            "silent_village": villages[picks[4]].id}
