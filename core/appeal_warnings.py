"""事件预警 of appeals (SPEC §6): 新苗头, 高发/多发, 突发/群发, 顽疾, 停报 — each with its evidence.

(The 议事决策 checks are in core.decisions; core.warning_feed lists both.)

Counts are aggregated in SQL (appeals per grid × category × month over the twelve months up to
`as_of`, and grid × category × day only where a day holds several), then the detectors work on
that small table with numpy. Every test is a one-sided Poisson test on the Anscombe scale,
z = 2·(√(n+3/8) − √(μ+3/8)), where μ is the expected count from the place's own baseline (the
trimmed mean of earlier months: the largest month dropped); the threshold is `WarningConfig.high_z`.

The aggregates are memoised per (database, scope, window, newest appeal id): reporting a new
appeal invalidates them; status changes do not touch what the detectors count.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session
from sqlmodel import col as sqlcol

from core import sqlfn
from core.config import WarningConfig, get_settings
from core.early_warning import EarlyWarning, evidence
from core.models import Appeal, Region, RollupAppealDay, RollupAppealGrid, RollupWarning
from core.regions import dataset_root
from core.scope import Scope
from core.task_alerts import dataset_as_of

MONTHS = 12
_MEMO: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}
_BURST_MEMO: dict = {}


def anscombe_z(n, mu):
    """Poisson excess of observed `n` over expected `mu` on the Anscombe (≈ normal) scale."""
    return 2.0 * (np.sqrt(np.asarray(n, float) + 0.375) - np.sqrt(np.maximum(np.asarray(mu, float), 0.0) + 0.375))


def trimmed_mean(x: np.ndarray) -> np.ndarray:
    """Row-wise mean after dropping each row's largest value (a robust Poisson baseline)."""
    if x.shape[1] <= 1:
        return x.mean(axis=1) if x.shape[1] else np.zeros(len(x))
    return (x.sum(axis=1) - x.max(axis=1)) / (x.shape[1] - 1)


def month_starts(as_of: date, months: int = MONTHS) -> list[date]:
    """First days of the `months` calendar months ending with as_of's month, oldest first."""
    y, m = as_of.year, as_of.month
    out = []
    for _ in range(months):
        out.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _village_col(scope: Scope):
    # Over a county or more, a plain table scan beats walking the (village, time) index row by row.
    col = Appeal.village_id
    return sqlfn.no_index(col) if scope.level in ("province", "city", "county") else col


def _in_window(scope: Scope, start: date, end: date):
    col = _village_col(scope)
    return sa.and_(col.between(scope.lo, scope.hi), sqlcol(Appeal.reported_at) >= datetime.combine(start, datetime.min.time()),
                   sqlcol(Appeal.reported_at) < datetime.combine(end + timedelta(days=1), datetime.min.time()))


def _aggregates(session: Session, scope: Scope, as_of: date, day_min: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(monthly counts per grid × category × YYYYMM, busy days per grid × category with ≥ day_min)."""
    start = month_starts(as_of)[0]
    top = session.execute(sa.select(sa.func.max(Appeal.id))).scalar() or 0
    key = (str(session.get_bind().engine.url), scope, as_of, day_min, top)
    if key in _MEMO:
        return _MEMO[key]
    if as_of >= dataset_as_of(session):  # the rollups hold whole months: exact when nothing follows as_of
        monthly, busy = _from_rollups(session, scope, start, as_of, day_min)
    else:
        monthly, busy = _from_appeals(session, scope, start, as_of, day_min)
    out = (pd.DataFrame(monthly, columns=["grid_id", "category", "ym", "n"]),
           pd.DataFrame(busy, columns=["grid_id", "category", "day", "n"]))
    if len(_MEMO) > 32:
        _MEMO.clear()
    _MEMO[key] = out
    return out


def _grid_range(scope: Scope) -> tuple[int, int]:
    return scope.lo * 1000, scope.hi * 1000 + 999


def _from_rollups(session: Session, scope: Scope, start: date, as_of: date, day_min: int) -> tuple[list, list]:
    """Monthly and busy-day counts from rollup_appeal_grid / rollup_appeal_day (core.rollups)."""
    lo, hi = _grid_range(scope)
    g, d = RollupAppealGrid.__table__.c, RollupAppealDay.__table__.c
    monthly = session.connection().execute(
        sa.select(g.grid_id, g.category, g.period, g.n).where(
            g.grid_id.between(lo, hi), g.period.between(start.year * 100 + start.month, as_of.year * 100 + as_of.month)))
    busy = session.connection().execute(
        sa.select(d.grid_id, d.category, d.day, d.n).where(
            d.grid_id.between(lo, hi), d.day.between(start.isoformat(), as_of.isoformat()), d.n >= day_min))
    return [tuple(r) for r in monthly], [tuple(r) for r in busy]


def _from_appeals(session: Session, scope: Scope, start: date, as_of: date, day_min: int) -> tuple[list, list]:
    """The same counts from the raw appeals of the window (an as-of day before the dataset's own)."""
    where = _in_window(scope, start, as_of)
    ym = sqlfn.ym(Appeal.reported_at).label("ym")
    monthly = session.execute(sa.select(sqlcol(Appeal.grid_id), sqlcol(Appeal.category), ym, sa.func.count().label("n"))
                           .where(where).group_by(sqlcol(Appeal.grid_id), Appeal.category, ym)).all()
    day = sqlfn.day_of(Appeal.reported_at).label("day")
    busy = session.execute(sa.select(sqlcol(Appeal.grid_id), sqlcol(Appeal.category), day, sa.func.count().label("n")).where(where)
                        .group_by(sqlcol(Appeal.grid_id), Appeal.category, day).having(sa.func.count() >= day_min)).all()
    return [tuple(r) for r in monthly], [(g, c, str(dd)[:10], n) for g, c, dd, n in busy]


def _matrix(monthly: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, np.ndarray, list[date]]:
    """(index frame of grid_id/category, counts matrix rows × months, month starts)."""
    starts = month_starts(as_of)
    cols = [d.year * 100 + d.month for d in starts]
    if monthly.empty:
        return pd.DataFrame(columns=["grid_id", "category"]), np.zeros((0, len(cols))), starts
    wide = monthly.pivot_table(index=["grid_id", "category"], columns="ym", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=cols, fill_value=0)
    return wide.index.to_frame(index=False), wide.to_numpy(dtype=float), starts


def _month_end(start: date, as_of: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return min(nxt - timedelta(days=1), as_of)


def detect_high(idx: pd.DataFrame, x: np.ndarray, starts: list[date], as_of: date, cfg: WarningConfig,
                skip: set[tuple] | frozenset[tuple] = frozenset()) -> list[EarlyWarning]:
    """高发/多发: a grid × category month far above the trimmed mean of its previous six months."""
    out = []
    for j in range(3, x.shape[1]):
        base = trimmed_mean(x[:, max(0, j - 6):j])
        z = anscombe_z(x[:, j], base)
        for i in np.nonzero((z >= cfg.high_z) & (x[:, j] >= cfg.high_min_count))[0]:
            g, c = int(idx.grid_id.iat[i]), idx.category.iat[i]
            if (g, c, j) in skip:
                continue
            out.append(EarlyWarning("high", g // 1000, g, c, starts[j], _month_end(starts[j], as_of), x[i, j],
                                    round(float(base[i]), 2), evidence("warning_test.high", months=6), cfg.high_z,
                                    round(float(z[i]), 2), tuple(int(v) for v in x[i, max(0, j - 6):j + 1])))
    return out


def detect_chronic(idx: pd.DataFrame, x: np.ndarray, starts: list[date], as_of: date,
                   cfg: WarningConfig) -> list[EarlyWarning]:
    """顽疾: the last `chronic_months` months together far above the earlier baseline, most of them raised."""
    k = cfg.chronic_months
    if x.shape[1] <= k + 2:
        return []
    base = np.maximum(trimmed_mean(x[:, :-k]), 0.25)
    recent = x[:, -k:]
    # The largest recent month is left out, so one spike (高发) does not pass for a recurring problem.
    trimmed = recent.sum(axis=1) - recent.max(axis=1)
    z = anscombe_z(trimmed, base * (k - 1))
    raised = (recent > base[:, None] + np.sqrt(base[:, None])).sum(axis=1)
    out = []
    for i in np.nonzero((z >= cfg.high_z) & (raised >= k - 1) & (trimmed >= cfg.high_min_count))[0]:
        g = int(idx.grid_id.iat[i])
        out.append(EarlyWarning("chronic", g // 1000, g, idx.category.iat[i], starts[-k], as_of, trimmed[i],
                                round(float(base[i] * (k - 1)), 2),
                                evidence("warning_test.chronic", k=k, raised=k - 1),
                                cfg.high_z, round(float(z[i]), 2), tuple(int(v) for v in x[i])))
    return out


def detect_new(idx: pd.DataFrame, x: np.ndarray, starts: list[date], as_of: date,
               cfg: WarningConfig) -> list[EarlyWarning]:
    """新苗头: a category seen ≥ new_min_count times in a month in a village with none in the months before."""
    if idx.empty:
        return []
    frame = pd.DataFrame(x, columns=range(x.shape[1]))
    frame["village_id"] = idx.grid_id.to_numpy() // 1000
    frame["category"] = idx.category.to_numpy()
    v = frame.groupby(["village_id", "category"], sort=False).sum()
    vx, lb = v.to_numpy(dtype=float), cfg.new_lookback_months
    out = []
    for j in range(lb, vx.shape[1]):
        prior = vx[:, j - lb:j].sum(axis=1)
        for i in np.nonzero((prior == 0) & (vx[:, j] >= cfg.new_min_count))[0]:
            vid, cat = v.index[i]
            grids = idx[(idx.grid_id // 1000 == vid) & (idx.category == cat)].index
            top = int(idx.grid_id.iat[int(grids[np.argmax(x[grids, j])])]) if len(grids) else None
            out.append(EarlyWarning("new", int(vid), top, cat, starts[j], _month_end(starts[j], as_of), vx[i, j], 0.0,
                                    evidence("warning_test.new", months=lb), cfg.new_min_count, float(vx[i, j]),
                                    tuple(int(c) for c in vx[i, j - lb:j + 1])))
    return out


def _burst_candidates(busy: pd.DataFrame, day_min: int, need: int) -> list[tuple[int, str, date, date]]:
    """(grid, category, first day, last day) spans that could hold `need` appeals within three calendar days.

    A day missing from `busy` holds fewer than `day_min`, so at most day_min − 1 is assumed for it.
    """
    known: dict[tuple[int, str], dict[date, int]] = {}
    for g, cat, d, n in zip(busy.grid_id.tolist(), busy.category.tolist(), busy.day.tolist(), busy.n.tolist(), strict=True):
        known.setdefault((int(g), cat), {})[date.fromisoformat(d)] = int(n)
    out = []
    for (g, cat), days in known.items():
        spans = [first for d in days for first in (d - timedelta(days=2), d - timedelta(days=1), d)
                 if sum(days.get(first + timedelta(days=i), day_min - 1) for i in range(3)) >= need]
        if spans:
            out.append((g, cat, min(spans), max(spans) + timedelta(days=2)))
    return out


_TIMES_SQL = sa.text("SELECT reported_at FROM appeal WHERE grid_id = :g AND reported_at >= :lo AND reported_at < :hi"
                     " AND category = :c ORDER BY reported_at")


def detect_burst(session: Session, busy: pd.DataFrame, idx: pd.DataFrame, x: np.ndarray, as_of: date,
                 cfg: WarningConfig, day_min: int = 3) -> list[EarlyWarning]:
    """突发/群发: ≥ burst_min_count appeals of one category at one grid within burst_window_hours."""
    if busy.empty:
        return []
    hours = cfg.burst_window_hours
    rate = trimmed_mean(x) / 30.4 * hours / 24
    base_rate = dict(zip(zip(idx.grid_id, idx.category, strict=True), rate, strict=True))
    memo_key = (hours, cfg.burst_min_count, day_min)  # `busy` is memoised with the aggregates
    # Identity of the frame itself (held here), not id(): a freed frame's id is reused by the next one.
    if _BURST_MEMO.get("busy") is not busy or _BURST_MEMO.get("key") != memo_key:
        _BURST_MEMO.update(busy=busy, key=memo_key, best=_densest_per_candidate(session, busy, day_min, cfg))
    out = []
    for (g, cat), (n, t0, t1) in _BURST_MEMO["best"].items():
        mu = float(base_rate.get((g, cat), 0.0))
        z = float(anscombe_z(n, mu))
        if z >= cfg.high_z:
            out.append(EarlyWarning("burst", g // 1000, g, cat, t0.date(), t1.date(), n, round(mu, 2),
                                    evidence("warning_test.burst", hours=hours), cfg.high_z, round(z, 2),
                                    (n,), note=evidence("appeals.note_span", start=f"{t0:%m-%d %H:%M}", end=f"{t1:%m-%d %H:%M}")))
    return out


def _densest_per_candidate(session: Session, busy: pd.DataFrame, day_min: int,
                            cfg: WarningConfig) -> dict[tuple[int, str], tuple[int, datetime, datetime]]:
    """Densest window per candidate grid × category holding ≥ burst_min_count appeals."""
    conn = session.connection()
    best: dict[tuple[int, str], tuple[int, datetime, datetime]] = {}
    for g, cat, first, last in _burst_candidates(busy, day_min, cfg.burst_min_count):
        rows = conn.execute(_TIMES_SQL, {"g": g, "c": cat, "lo": str(first), "hi": str(last + timedelta(days=1))})
        times = [pd.Timestamp(t).to_pydatetime() for (t,) in rows]
        found = _densest(times, timedelta(hours=cfg.burst_window_hours))
        if found and found[0] >= cfg.burst_min_count and found[0] > best.get((g, cat), (0,))[0]:
            best[(g, cat)] = found
    return best


def _densest(times: list[datetime], span: timedelta) -> tuple[int, datetime, datetime] | None:
    """(count, first, last) of the densest window of length `span` over sorted times."""
    best, j = None, 0
    for i, t in enumerate(times):
        while t - times[j] > span:
            j += 1
        if best is None or i - j + 1 > best[0]:
            best = (i - j + 1, times[j], t)
    return best


def detect_silent(session: Session, scope: Scope, x_village: pd.Series, as_of: date,
                  cfg: WarningConfig) -> list[EarlyWarning]:
    """停报: a village with no appeal in the last silent_days days although its baseline expects several."""
    last = sa.select(sa.func.max(Appeal.reported_at)).where(sqlcol(Appeal.village_id) == Region.id).scalar_subquery()
    rows = session.execute(sa.select(sqlcol(Region.id), last).where(sqlcol(Region.level) == "village",
                                                         sqlcol(Region.id).between(scope.lo, scope.hi))).tuples().all()
    cut = datetime.combine(as_of - timedelta(days=cfg.silent_days - 1), datetime.min.time())
    out = []
    for vid, seen in rows:
        seen = pd.Timestamp(seen).to_pydatetime() if seen is not None else None
        if seen is not None and seen >= cut:
            continue
        mu = float(x_village.get(int(vid), 0.0)) / 30.4 * cfg.silent_days
        if mu < cfg.silent_min_expected:  # too quiet a village for silence to mean anything
            continue
        since = (seen.date() + timedelta(days=1)) if seen else as_of - timedelta(days=cfg.silent_days - 1)
        out.append(EarlyWarning("silent", int(vid), None, None, since, as_of, 0, round(mu, 1),
                                evidence("warning_test.silent", days=cfg.silent_days), cfg.silent_days,
                                round(float(anscombe_z(mu, 0)), 2), note=(evidence("appeals.note_last_report", day=f"{seen:%Y-%m-%d}") if seen
                                                       else evidence("appeals.note_never"))))
    return out


def appeal_warnings(session: Session, scope: Scope, as_of: date, cfg: WarningConfig) -> list[EarlyWarning]:
    """The appeal detectors' warnings of the scope (burst, high, chronic, new, silent), computed now."""
    day_min = max(2, -(-cfg.burst_min_count // 3))  # a 48 h window spans at most three calendar days
    monthly, busy = _aggregates(session, scope, as_of, day_min)
    if _BURST_MEMO.get("matrix_of") is not monthly:  # the pivot is memoised with the aggregates too
        _BURST_MEMO.update(matrix_of=monthly, matrix=_matrix(monthly, as_of))
    idx, x, starts = _BURST_MEMO["matrix"]
    chronic = detect_chronic(idx, x, starts, as_of, cfg)
    burst = detect_burst(session, busy, idx, x, as_of, cfg, day_min)
    skip = {(w.grid_id, w.category, j) for w in chronic for j in range(len(starts)) if starts[j] >= w.window_start}
    skip |= {(w.grid_id, w.category, j) for w in burst for j in range(len(starts))
             if starts[j] <= w.window_start <= _month_end(starts[j], as_of)}
    high = detect_high(idx, x, starts, as_of, cfg, skip)
    new = detect_new(idx, x, starts, as_of, cfg)
    per_village = pd.Series(trimmed_mean(x), index=idx.grid_id // 1000 if len(idx) else []).groupby(level=0).sum() \
        if len(idx) else pd.Series(dtype=float)
    silent = detect_silent(session, scope, per_village, as_of, cfg)
    return burst + high + chronic + new + silent


# ---- stored warnings (rollup_warning): the default thresholds at the dataset's as-of day ----

_STORED = [c.name for c in RollupWarning.__table__.c if c.name not in ("id", "as_of")]


def _stored_as_of(session: Session) -> date | None:
    return session.execute(sa.select(sqlcol(RollupWarning.as_of)).limit(1)).scalar()


def store_warnings(conn: sa.Connection, *, as_of: date | None = None, village_id: int | None = None) -> int:
    """Recompute the stored appeal warnings of one village (an appeal write) or of the whole dataset; rows written.

    The whole dataset is done by the rollup rebuild (as of `as_of`, else the dataset's day); a village
    keeps the as-of day already stored (nothing stored: nothing to keep current).
    """
    session = Session(bind=conn)
    if village_id is None:
        try:
            root = dataset_root(session)
        except LookupError:  # no regions yet (a new, empty database): nothing to warn about
            return 0
        scope, as_of = Scope(root.id, root.level), as_of or dataset_as_of(session)
    else:
        scope, as_of = Scope(int(village_id), "village"), as_of or _stored_as_of(session)
        if as_of is None:
            return 0
    w = RollupWarning.__table__
    conn.execute(w.delete().where(w.c.village_id.between(scope.lo, scope.hi)))
    found = appeal_warnings(session, scope, as_of, get_settings().warnings)
    rows = [{**{k: getattr(x, k) for k in _STORED if k != "counts"}, "as_of": as_of,
             "counts": ",".join(str(int(c)) for c in x.counts)} for x in found]
    for row in rows:
        row.update(count=float(row["count"]), baseline=float(row["baseline"]), score=float(row["score"]),
                   threshold=float(row["threshold"]), grid_id=None if row["grid_id"] is None else int(row["grid_id"]))
    if rows:
        conn.execute(w.insert(), rows)
    return len(rows)


def stored_warnings(session: Session, scope: Scope, as_of: date) -> list[EarlyWarning] | None:
    """The stored appeal warnings of the scope (an indexed read), or None when none are stored for as_of."""
    if _stored_as_of(session) != as_of:
        return None
    c = RollupWarning.__table__.c
    rows = session.execute(sa.select(*(c[k] for k in _STORED)).where(c.village_id.between(scope.lo, scope.hi)))
    out = []
    for r in rows:
        d: dict[str, Any] = dict(zip(_STORED, r, strict=True))
        d["counts"] = tuple(int(x) for x in d["counts"].split(",")) if d["counts"] else ()
        out.append(EarlyWarning(**d))
    return out


