"""道德银行 (the Yuyao article) as records of one chunk (a township): the households that take part and their
points ledger. Deterministic per (seed, county, township); column-wise inserts (no dict per row). No indicator
is drawn here: core counts ps_moral_points (households taking part ÷ households) from the ledger.

Volumes. The article gives 45,502 households signed for credit, 89.08 亿元 of credit lines (≈ 19.6 万元 a
household: MORAL_RULE's line for a green household near 60–100 points) and 19,089 borrowing households, for
a county-level city of about 30 万 households — so about 15 % of households hold a line, and more take part in
the points. Here about half of a village's households take part (a stronger village more: TAKE_PART), 85 % of
them already before the window (their earlier points are one imported 历年积分结转 line), the rest join during
it. Each year a household gets about one evaluation of the 四级评议 (LEVEL_SHARE), a quarter of them log
volunteer hours, and the 失信被执行人 / 行政处罚 records returned by the province and the city deduct from
about 1 % / 2 % of them a year. That is ≈ 3 ledger lines per household taking part.
"""

from __future__ import annotations

import numpy as np

from core.config import MORAL_DIMENSIONS, MORAL_LEVELS, MORAL_RULE
from core.models import MoralEntry, MoralHousehold
from seed.chunk import Chunk
from seed.context import SeedContext, sql_dates
from seed.records import GIVEN, SURNAMES

TAKE_PART = 0.1  # logit of the share taking part at the as-of day, plus 0.9 × the village's quality
EARLY = 0.85  # share of those taking part who joined before the window
LEVEL_SHARE = (0.45, 0.35, 0.17, 0.03)  # evaluations by the grid, village, township, city
EVALS_PER_YEAR = 1.0
VOLUNTEER_SHARE = 0.25
VOLUNTEER_PER_YEAR = 1.5  # records a year of a volunteering household (Poisson mean)
DISHONEST_PER_YEAR = 0.01
PENALTY_PER_YEAR = 0.02
OPENING_SOURCE = "历年积分结转"
EVAL_SOURCE = {"grid": "网格评议", "village": "村级评议", "township": "镇级评议", "city": "市级评议"}
VOLUNTEER_SOURCE = "志愿浙江服务记录"
DEDUCT_SOURCE = {"dishonest": "省法院失信被执行人名单回流", "penalty": "市行政处罚信息回流"}
#: The first character of a household head's given name: characters the people generator (Faker zh_CN) never
#: uses, so a household's name never reads as a cadre's (the scope probe looks for other villages' cadres' names).
HEAD_GIVEN = "栋梓昊钰瑾睿璇彤晗骏岚煜澄珂琪翊哲逸轩宸泽皓妍晞沐舒锦航楷恺霖曦岑瀚"
EVAL_DIMENSIONS = np.array([d for d in MORAL_DIMENSIONS if d != "volunteer"], dtype=object)


def _names(rng: np.random.Generator, n: int) -> list:
    s = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    g = np.array(GIVEN, dtype=object)
    first = np.array(list(HEAD_GIVEN), dtype=object)
    return (s + first[rng.integers(0, len(first), n)] + np.where(rng.random(n) < 0.6, g[rng.integers(0, len(g), n)], "")).tolist()


def write_moral(ctx: SeedContext, ch: Chunk) -> None:
    """The chunk's households taking part and their ledger lines."""
    rng = ctx.rng(ch.county_id // 1_000_000, 99, ch.seq)
    share = 1 / (1 + np.exp(-(TAKE_PART + 0.9 * ch.quality)))
    n_v = rng.binomial(ch.households.astype(int), share)
    n = int(n_v.sum())
    if n == 0:
        return
    vi = np.repeat(np.arange(ch.size), n_v)
    seq = np.arange(n) - np.repeat(np.cumsum(n_v) - n_v, n_v) + 1
    start = np.datetime64(ctx.start, "D")
    days = ctx.days
    early = rng.random(n) < EARLY
    joined = np.where(early, start - rng.integers(30, 5 * 365, n), start + rng.integers(0, days, n)).astype("datetime64[D]")
    hid = np.array(ctx.ids("moral_household", n), dtype=np.int64)
    ctx.write(MoralHousehold.__table__, n, {
        "id": hid.tolist(), "village_id": ch.ids[vi].tolist(),
        "code": [f"{int(v) % 1000:03d}{int(s):04d}" for v, s in zip(ch.ids[vi].tolist(), seq.tolist(), strict=True)],
        "head_name": _names(rng, n), "members": rng.integers(1, 6, n).tolist(), "joined_on": sql_dates(joined)})
    q = ch.quality[vi]
    years = days / 365.0
    cols: dict[str, list] = {k: [] for k in ("household_id", "village_id", "kind", "dimension", "level", "points", "hours",
                                            "source", "source_ref", "recorded_by", "recorded_on")}

    def add(idx: np.ndarray, kind: str, dim, level, points, hours, source, ref, by, on) -> None:
        k = len(idx)
        cols["household_id"] += hid[idx].tolist()
        cols["village_id"] += ch.ids[vi[idx]].tolist()
        cols["kind"] += [kind] * k
        cols["dimension"] += list(dim) if not isinstance(dim, str) else [dim] * k
        cols["level"] += list(level) if not isinstance(level, str | type(None)) else [level] * k
        cols["points"] += np.round(points, 1).tolist()
        cols["hours"] += list(hours) if hours is not None else [None] * k
        cols["source"] += list(source) if not isinstance(source, str) else [source] * k
        cols["source_ref"] += list(ref) if ref is not None else [None] * k
        cols["recorded_by"] += list(by) if by is not None else [None] * k
        cols["recorded_on"] += sql_dates(on)

    # 历年积分结转: the points of an early household before the window, one imported line on its joining day
    e = np.nonzero(early)[0]
    add(e, "evaluation", "evaluation", "village", np.clip(rng.normal(58 + 10 * q[e], 14), 5, 110), None, OPENING_SOURCE,
        None, None, joined[e])
    # 四级评议: about one a year, on a day after the household joined
    lo = np.maximum(joined, start)
    span = (start + days - lo).astype(int).clip(1)
    k = rng.poisson(EVALS_PER_YEAR * years * span / days)
    ev = np.repeat(np.arange(n), k)
    if len(ev):
        lvl = rng.choice(len(MORAL_LEVELS), len(ev), p=LEVEL_SHARE)
        cap = np.array([MORAL_RULE.level_max[x] for x in MORAL_LEVELS])[lvl]
        pts = np.ceil(cap * np.clip(rng.beta(np.clip(4 + 2 * q[ev], 1.0, None), 2), 0.05, 1.0))
        grid_worker = ch.grid_workers[ch.grid_start[vi[ev]]]
        by = np.where(lvl == 0, grid_worker, np.where(lvl == 1, ch.secretary[vi[ev]], 0))
        add(ev, "evaluation", EVAL_DIMENSIONS[rng.integers(0, len(EVAL_DIMENSIONS), len(ev))],
            np.array(MORAL_LEVELS, dtype=object)[lvl], pts, None, [EVAL_SOURCE[MORAL_LEVELS[x]] for x in lvl], None,
            [int(b) or None for b in by.tolist()], lo[ev] + (rng.random(len(ev)) * span[ev]).astype(int))
    # 志愿奉献
    vol = np.nonzero(rng.random(n) < VOLUNTEER_SHARE + 0.1 * q)[0]
    kv = rng.poisson(VOLUNTEER_PER_YEAR * years * span[vol] / days)
    vx = np.repeat(vol, kv)
    if len(vx):
        hours = rng.integers(2, 9, len(vx)).astype(float)
        add(vx, "volunteer", "volunteer", None, hours * MORAL_RULE.points_per_hour, hours.tolist(), VOLUNTEER_SOURCE, None,
            ch.grid_workers[ch.grid_start[vi[vx]]].tolist(), lo[vx] + (rng.random(len(vx)) * span[vx]).astype(int))
    # deductions returned by the province / city (imported records with their source and reference)
    for kind, rate in (("dishonest", DISHONEST_PER_YEAR), ("penalty", PENALTY_PER_YEAR)):
        d = np.nonzero(rng.random(n) < rate * years * np.exp(-0.6 * q))[0]
        if len(d):
            on = start + rng.integers(0, days, len(d))
            on = np.maximum(on, joined[d]).astype("datetime64[D]")
            refs = [f"{'SX' if kind == 'dishonest' else 'CF'}{int(x):08d}" for x in rng.integers(0, 10**8, len(d))]
            add(d, kind, MORAL_RULE.deduction_dimension[kind], None, -np.full(len(d), MORAL_RULE.deduction[kind]), None,
                DEDUCT_SOURCE[kind], refs, None, on)
    m = len(cols["household_id"])
    end = np.datetime64(ctx.as_of, "D")
    keep = np.array(cols["recorded_on"], dtype="datetime64[D]") <= end
    if not keep.all():
        cols = {c: [x for x, ok in zip(v, keep.tolist(), strict=True) if ok] for c, v in cols.items()}
        m = len(cols["household_id"])
    cols["id"] = list(ctx.ids("moral_entry", m))
    ctx.write(MoralEntry.__table__, m, cols)
