"""四大模块评分 (SPEC §4): rolled-up indicator values, peer-normalised scores, ranks and explain().

How a score is made, in order:

1. **Roll-up** — one grouped query per (level, period) sums the village rows of `indicator_value`
   by integer division of the village id (county = id // 10**6 * 10**6, …). A rate is
   Σnumerator / Σdenominator × scale, never a mean of rates; a count is Σvalue, divided by the
   households of the same villages × 100 when the catalog says ``per == "household"``.
2. **Too few** — a rate whose denominator is below ``ScoringConfig.min_count`` is marked
   ``too_few``: it gets no score and does not move the peer range. Ratings given once per region
   (前哨支部星级, 人居环境评分: unit 星/分) are assessments, not case counts, and are exempt.
3. **Normalise** — 功效系数法 (efficacy coefficient) among ALL regions of the same level in the dataset
   (not the viewer's scope, so a score does not depend on who looks): 60 + 40 × the value's position
   between the peers' 5th and 95th percentiles, clipped, inverted when lower is better, so a region
   merely behind its peers scores 60, not 0, and one outlier does not squeeze the others; when every
   peer has the same value they all get 100. An indicator with a target in `ScoringConfig.targets`
   (目标值 → 100, 及格值 → 60) is scored against it instead (down to `target_floor`).
4. **Weight** — module score = weighted mean of its scored indicators (weights renormalised over
   the indicators that have a score); composite = weighted mean of the module scores with
   ``ScoringConfig.module_weights``, renormalised the same way.
5. **Rank** — descending, ties share the best rank (method "min"), within the parent and within
   the whole level; movement = last month's rank within the parent − this month's (+ is up).

The roll-up is the only place that reads raw rows (`village_sums`); a caller may pass another
``source`` with the same signature (a rollup table, a columnar copy, a cache) — see issue #9 on province scale.

Scores are normalised against every region of the level in the dataset, so a township's children
would need all villages' indicator rows; instead `store_village_scores` (run by `rebuild_rollups`)
keeps every region's scores and ranks (villages, townships, counties, cities: each level's own
normalisation) per month in `rollup_village_score`, and the reads (`region_scores`, `region_rank`,
`score_history`, the composite `explain`) read a parent's children's rows there. A 12-month ranking
history is then 12 indexed reads instead of 12 level computations (rankings page, issue #9).
With an explicit `source` they compute instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session
from sqlmodel import col as sqlcol

from core.config import get_settings
from core.enums import child_level
from core.errors import NotFound
from core.indicators import BY_CODE, CATALOG
from core.models import IndicatorValue, Region, RollupIndicator, RollupVillageScore
from core.regions import dataset_root
from core.scope import Scope
from core.sqlfn import no_index

MODULES = ("party_building", "economy", "safety", "public_service")
LEVEL_SPAN = {"province": 10**10, "city": 10**8, "county": 10**6, "township": 1000, "village": 1}
#: Units of once-a-month assessments (denominator = number of assessments): exempt from min_count.
ASSESSMENT_UNITS = frozenset({"星", "分"})

#: (session, level, lo, hi, period) → region_id, indicator_code, value_sum, num_sum, den_sum, households.
SumsSource = Callable[[Session, str, int, int, int], pd.DataFrame]
SUM_COLUMNS = ["region_id", "indicator_code", "value_sum", "num_sum", "den_sum", "households"]


def _region_key(column, level: str):
    span = LEVEL_SPAN[level]
    return column if span == 1 else (column // span) * span


def village_sums(session: Session, level: str, lo: int, hi: int, period: int) -> pd.DataFrame:
    """Σvalue, Σnumerator, Σdenominator and Σhouseholds per region of `level` and indicator (one month).

    Township level and above read the rollup (`rollup_indicator`); villages read their own rows.
    """
    if level == "village":
        iv = IndicatorValue.__table__.c
        # no_index(village_id) keeps SQLite on the (period, …) index: with a plain range it picks a skip-scan.
        stmt = (sa.select(iv.village_id, iv.indicator_code, iv.value, iv.numerator, iv.denominator)
                .where(iv.period == int(period), no_index(iv.village_id).between(int(lo), int(hi))))
    else:
        ri = RollupIndicator.__table__.c
        stmt = (sa.select(ri.region_id, ri.indicator_code, ri.value_sum, ri.num_sum, ri.den_sum)
                .where(ri.level == level, ri.period == int(period), ri.region_id.between(int(lo), int(hi))))
    sums = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=SUM_COLUMNS[:5])
    rg = Region.__table__.c
    hkey = _region_key(rg.id, level).label("region_id")
    hh = dict(session.execute(sa.select(hkey, sa.func.sum(rg.households))
                           .where(rg.level == "village", rg.id.between(lo, hi)).group_by(hkey)).all())
    sums["households"] = sums["region_id"].map(hh).astype(float)
    return sums


def _dataset_scope(session: Session) -> Scope:
    root = dataset_root(session)
    return Scope(root.id, root.level)


def _level_regions(session: Session, level: str, lo: int, hi: int) -> pd.DataFrame:
    rg = Region.__table__.c
    rows = [tuple(r) for r in session.execute(sa.select(rg.id, rg.code, rg.name, rg.parent_id)
                                              .where(rg.level == level, rg.id.between(lo, hi)).order_by(rg.id))]
    return pd.DataFrame(rows, columns=["region_id", "code", "name", "parent_id"])


def _catalog_frame() -> pd.DataFrame:
    return pd.DataFrame([{"indicator_code": i.code, "module": i.module, "name": i.name_zh, "unit": i.unit,
                          "higher_is_better": i.higher_is_better, "weight": i.weight, "is_rate": i.is_rate,
                          "scale": i.scale, "per": i.per, "sort": n} for n, i in enumerate(CATALOG)])


def _raw_values(sums: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """Sums joined to the catalog with the rolled-up value and the too_few flag."""
    df = sums.merge(_catalog_frame(), on="indicator_code", how="inner")
    rate = df["is_rate"].astype(bool)
    den = df["den_sum"].astype(float)
    per_hh = (df["per"] == "household") & (df["households"] > 0)
    count_value = np.where(per_hh, df["value_sum"] / df["households"].where(per_hh, 1.0) * 100.0, df["value_sum"])
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_value = np.where(den > 0, df["num_sum"] / den * df["scale"], np.nan)
    df["value"] = np.where(rate, rate_value, count_value).astype(float)
    df["numerator"] = np.where(rate, df["num_sum"], df["value_sum"]).astype(float)
    df["denominator"] = np.where(rate, den, np.where(df["per"] == "household", df["households"], np.nan))
    counted = rate & ~df["unit"].isin(ASSESSMENT_UNITS)
    df["too_few"] = (counted & (den.fillna(0) < min_count)) | df["value"].isna()
    return df


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Adds peer_min/median/max, the scoring method and its bounds, and the score per indicator (功效系数法).

    Peer method: bound_low/bound_high are the peers' low/high percentiles (over non-too-few peers); score =
    base + span × clip((v − low) / (high − low), 0, 1), inverted where lower is better; equal bounds give
    every value at or beyond them full marks. Target method (configured 目标值/及格值): bound_low is the pass
    mark (scores `base`), bound_high the target (100); below the pass mark the score falls on the same
    line down to `target_floor`.
    """
    cfg = get_settings().scoring
    ok = df["value"].where(~df["too_few"])
    g = ok.groupby(df["indicator_code"])
    df["peer_min"], df["peer_median"], df["peer_max"] = g.transform("min"), g.transform("median"), g.transform("max")
    # astype: with no scorable peer the quantiles are empty and map() would keep the codes' string dtype
    lo = df["indicator_code"].map(g.quantile(cfg.low_percentile / 100.0)).astype(float)
    hi = df["indicator_code"].map(g.quantile(cfg.high_percentile / 100.0)).astype(float)
    hib = df["higher_is_better"].astype(bool)
    spread = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(spread > 0, (ok - lo) / spread, np.where(ok >= lo, 1.0, 0.0))
    pos = np.clip(pos, 0.0, 1.0)
    pos = np.where(hib, pos, np.where(spread > 0, 1.0 - pos, np.where(ok <= lo, 1.0, 0.0)))
    score = cfg.base + cfg.span * pos
    target = df["indicator_code"].map({k: t.target for k, t in cfg.targets.items()}).astype(float)
    passing = df["indicator_code"].map({k: t.passing for k, t in cfg.targets.items()}).astype(float)
    has_target = target.notna()
    with np.errstate(divide="ignore", invalid="ignore"):
        tpos = (ok - passing) / (target - passing)
    tscore = np.clip(cfg.base + (100.0 - cfg.base) * tpos, cfg.target_floor, 100.0)
    df["method"] = np.where(has_target, "target", "peer")
    df["bound_low"] = np.where(has_target, passing, lo)
    df["bound_high"] = np.where(has_target, target, hi)
    df["score"] = np.where(ok.notna(), np.where(has_target, tscore, score), np.nan)
    return df


def _weighted(df: pd.DataFrame, by: list[str], score: str, weight: str) -> pd.Series:
    has = df[score].notna()
    w = df[weight].where(has, 0.0)
    num = (w * df[score].fillna(0.0)).groupby([df[c] for c in by]).sum()
    den = w.groupby([df[c] for c in by]).sum()
    return (num / den).where(den > 0)


def _rank(scores: pd.DataFrame, col: str, group: str | None = None) -> pd.Series:
    s = scores[col]
    if group is None:
        return s.rank(ascending=False, method="min")
    return s.groupby(scores[group]).rank(ascending=False, method="min")


def level_detail(session: Session, level: str, period: int, *, source: SumsSource | None = None) -> pd.DataFrame:
    """Long table, one row per (region of `level` in the dataset, indicator): raw, peer range, score."""
    ds = _dataset_scope(session)
    sums = (source or village_sums)(session, level, ds.lo, ds.hi, int(period))
    if sums.empty:
        return pd.DataFrame(columns=[*SUM_COLUMNS, "value", "too_few", "score"])
    return _normalise(_raw_values(sums, get_settings().scoring.min_count))


def level_scores(session: Session, level: str, period: int, *, source: SumsSource | None = None) -> pd.DataFrame:
    """Every region of `level` in the dataset: module scores, composite and ranks (in parent, in level)."""
    ds = _dataset_scope(session)
    regions = _level_regions(session, level, ds.lo, ds.hi)
    detail = level_detail(session, level, period, source=source)
    out = regions.set_index("region_id")
    if not detail.empty:
        mods = _weighted(detail, ["region_id", "module"], "score", "weight").unstack("module")
        for m in MODULES:
            out[m] = mods.get(m, np.nan)
        marked = detail[detail["too_few"]].groupby("region_id").size()
        out["too_few_count"] = marked.reindex(out.index).fillna(0).astype(int)
    else:
        for m in MODULES:
            out[m] = np.nan
        out["too_few_count"] = 0
    mw = get_settings().scoring.module_weights
    long = out[list(MODULES)].stack(future_stack=True).rename("s").reset_index()
    long.columns = ["region_id", "module", "s"]
    long["w"] = long["module"].map(mw).fillna(0.0)
    out["composite"] = _weighted(long, ["region_id"], "s", "w").reindex(out.index)
    out = out.reset_index()
    for col in ("composite", *MODULES):
        prefix = "" if col == "composite" else f"{col}_"
        out[f"{prefix}rank_in_parent"] = _rank(out, col, "parent_id")
        out[f"{prefix}rank_in_level"] = _rank(out, col)
    out["n_in_parent"] = out.groupby("parent_id")["composite"].transform("count")
    out["n_in_level"] = int(out["composite"].notna().sum())
    return out


def previous_period(period: int) -> int:
    """The month before YYYYMM (202601 → 202512)."""
    y, m = divmod(int(period), 100)
    return (y - 1) * 100 + 12 if m == 1 else y * 100 + m - 1


def _region_level(session: Session, scope: Scope, region_id: int) -> str:
    if not scope.contains(region_id):
        raise NotFound("该区域不在您的数据权限范围内")
    level = session.execute(sa.select(sqlcol(Region.level)).where(sqlcol(Region.id) == int(region_id))).scalar_one_or_none()
    if level is None:
        raise NotFound(f"区域 {region_id} 不存在")
    return str(level)


# ---- stored village scores (rollup_village_score) ----

SCORE_COLUMNS = [c.name for c in RollupVillageScore.__table__.c]
STORED_LEVELS = ("village", "township", "county", "city", "province")


def store_village_scores(conn: sa.Connection) -> int:
    """Recompute `rollup_village_score` (every region of every level) for every month with indicator values;
    rows written.

    Run by `core.rollups.rebuild_rollups` after `rollup_indicator` (which lists the months). A service write
    re-scores the month it changed (core.live.rescore_month). The generator computes the months in its
    worker processes (`month_score_rows`) and inserts them itself.
    """
    table = RollupVillageScore.__table__
    conn.execute(table.delete())
    session = Session(bind=conn)
    written = 0
    for period in available_periods(session):
        rows = month_score_rows(session, period)
        if rows:
            conn.execute(table.insert(), rows)
        written += len(rows)
    return written


def month_score_rows(session: Session, period: int) -> list[dict]:
    """`rollup_village_score` rows of one month: every region below the dataset's root, each level
    normalised among its own peers (read only; the root has no peers and is computed when read)."""
    rg = Region.__table__.c
    present = {str(x) for (x,) in session.execute(sa.select(rg.level).where(rg.parent_id.is_not(None)).distinct())}
    out: list[dict] = []
    for level in (lv for lv in STORED_LEVELS if lv in present):
        df = level_scores(session, level, period).assign(period=int(period))
        df = df[df["parent_id"].notna()]
        out += df[SCORE_COLUMNS].astype(object).where(df[SCORE_COLUMNS].notna(), None).to_dict("records")
    return out


def _stored_village_scores(session: Session, level: str, period: int, *, parent_id: int | None = None,
                           region_id: int | None = None) -> pd.DataFrame | None:
    """Stored scores of one month (a parent's children, or one region); None when none are stored (then they
    are computed: a database rebuilt before every level was stored has village rows only)."""
    vs, rg = RollupVillageScore.__table__.c, Region.__table__.c
    stmt = (sa.select(rg.code, rg.name, *(vs[c] for c in SCORE_COLUMNS))
            .join_from(RollupVillageScore.__table__, Region.__table__, rg.id == vs.region_id)
            .where(vs.period == int(period), rg.level == level))
    if parent_id is not None:
        stmt = stmt.where(vs.parent_id == int(parent_id))
    if region_id is not None:
        stmt = stmt.where(vs.region_id == int(region_id))
    rows = [tuple(r) for r in session.execute(stmt)]
    if not rows:
        return None
    df = pd.DataFrame(rows, columns=["code", "name", *SCORE_COLUMNS]).drop(columns="period")
    return df.astype({c: float for c in SCORE_COLUMNS if c not in ("period", "region_id", "parent_id", "too_few_count",
                                                                    "n_in_parent", "n_in_level")})


def _scores(session: Session, level: str, period: int, source: SumsSource | None, *, parent_id: int | None = None,
            region_id: int | None = None) -> pd.DataFrame:
    """level_scores rows of a parent's children or of one region (the stored rows when present and no source given)."""
    out = None
    if source is None:
        out = _stored_village_scores(session, level, period, parent_id=parent_id, region_id=region_id)
    if out is None:
        out = level_scores(session, level, period, source=source)
        if parent_id is not None:
            out = out[out["parent_id"] == int(parent_id)]
        if region_id is not None:
            out = out[out["region_id"] == int(region_id)]
    return out.reset_index(drop=True)


def region_scores(session: Session, scope: Scope, parent_id: int, period: int, *,
                  source: SumsSource | None = None) -> pd.DataFrame:
    """Children of `parent_id` (in scope) with 0–100 module and composite scores, ranks and movement, best first."""
    level = child_level(_region_level(session, scope, parent_id))
    if level is None:
        return pd.DataFrame()
    now = _scores(session, level, period, source, parent_id=parent_id)
    prev = _scores(session, level, previous_period(period), source, parent_id=parent_id)
    out = now[(now["parent_id"] == int(parent_id)) & now["region_id"].between(scope.lo, scope.hi)].copy()
    prev = prev.set_index("region_id")
    for col in ("composite", *MODULES):
        prefix = "" if col == "composite" else f"{col}_"
        before = out["region_id"].map(prev[f"{prefix}rank_in_parent"]) if not prev.empty else np.nan
        out[f"{prefix}rank_prev"] = before
        out[f"{prefix}movement"] = before - out[f"{prefix}rank_in_parent"]
    out["n_in_parent"] = out["composite"].notna().sum()
    return out.sort_values(["rank_in_parent", "code"], na_position="last").reset_index(drop=True)


def region_rank(session: Session, scope: Scope, region_id: int, period: int, *,
                source: SumsSource | None = None) -> dict:
    """The region's own composite, rank among its parent's children and in its level, and last month's rank."""
    level = _region_level(session, scope, region_id)
    row = _scores(session, level, period, source, region_id=region_id)
    if row.empty:
        return {"composite": None, "rank_in_parent": None, "n_in_parent": None, "rank_in_level": None,
                "n_in_level": None, "rank_prev": None}
    r = row.iloc[0]
    p = _scores(session, level, previous_period(period), source, region_id=region_id)
    n_parent = None if pd.isna(r["n_in_parent"]) else int(r["n_in_parent"])  # a peerless root has no parent rank
    n_level = None if pd.isna(r["n_in_level"]) else int(r["n_in_level"])
    return {"composite": _num(r["composite"]), "rank_in_parent": _num(r["rank_in_parent"]), "n_in_parent": n_parent,
            "rank_in_level": _num(r["rank_in_level"]), "n_in_level": n_level,
            "rank_prev": _num(p.iloc[0]["rank_in_parent"]) if not p.empty else None}


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def indicator_table(session: Session, scope: Scope, level: str, period: int, *,
                    source: SumsSource | None = None) -> pd.DataFrame:
    """Regions of `level` in scope × indicators: rolled-up value, numerator, denominator, too_few, by region and catalog order."""
    detail = level_detail(session, level, period, source=source)
    cols = ["region_id", "indicator_code", "module", "value", "numerator", "denominator", "households", "too_few"]
    if detail.empty:
        return pd.DataFrame(columns=cols)
    inside = detail[detail["region_id"].between(scope.lo, scope.hi)]
    return inside.sort_values(["region_id", "sort"])[cols].reset_index(drop=True)


def explain(session: Session, scope: Scope, region_id: int, period: int, module: str | None = None, *,
            source: SumsSource | None = None) -> pd.DataFrame:
    """Why a score is what it is: one row per indicator (module None: per module, with module weights)."""
    level = _region_level(session, scope, region_id)
    if module is None:
        return _explain_composite(session, level, int(region_id), period, source)
    detail = level_detail(session, level, period, source=source)
    mine = detail[detail["region_id"] == int(region_id)]
    base = _catalog_frame()[lambda c: c["module"] == module]
    rows = base.merge(mine.drop(columns=[c for c in base.columns if c != "indicator_code"]), on="indicator_code",
                      how="left")
    rows["too_few"] = rows["too_few"].fillna(True).astype(bool)
    rows["method"] = rows["indicator_code"].map(scoring_method)
    w = rows["weight"].where(rows["score"].notna(), 0.0)
    rows["weight_share"] = w / w.sum() if w.sum() > 0 else 0.0
    rows["contribution"] = rows["score"].fillna(0.0) * rows["weight_share"]
    return rows[["indicator_code", "name", "unit", "higher_is_better", "value", "numerator", "denominator",
                 "peer_min", "peer_median", "peer_max", "method", "bound_low", "bound_high", "score", "weight", "weight_share", "contribution",
                 "too_few"]].reset_index(drop=True)


def _explain_composite(session: Session, level: str, region_id: int, period: int,
                       source: SumsSource | None) -> pd.DataFrame:
    scores = _scores(session, level, period, source)
    row = scores[scores["region_id"] == region_id]
    mw = get_settings().scoring.module_weights
    out = pd.DataFrame({"module": list(MODULES), "weight": [mw.get(m, 0.0) for m in MODULES]})
    out["score"] = [float(row.iloc[0][m]) if not row.empty else np.nan for m in MODULES]
    out["peer_min"] = [scores[m].min() for m in MODULES]
    out["peer_median"] = [scores[m].median() for m in MODULES]
    out["peer_max"] = [scores[m].max() for m in MODULES]
    w = out["weight"].where(out["score"].notna(), 0.0)
    out["weight_share"] = w / w.sum() if w.sum() > 0 else 0.0
    out["contribution"] = out["score"].fillna(0.0) * out["weight_share"]
    out["too_few"] = out["score"].isna()
    return out


def score_history(session: Session, scope: Scope, parent_id: int, periods: list[int], *,
                  source: SumsSource | None = None) -> pd.DataFrame:
    """Children of `parent_id`: composite and module scores per period (long: region_id, period, …)."""
    level = child_level(_region_level(session, scope, parent_id))
    if level is None:
        return pd.DataFrame()
    if source is None and (stored := _stored_history(session, level, parent_id, periods)) is not None:
        return stored[stored["region_id"].between(scope.lo, scope.hi)].reset_index(drop=True)
    parts = []
    for p in periods:
        s = _scores(session, level, p, source, parent_id=parent_id)
        s = s[s["region_id"].between(scope.lo, scope.hi)]
        parts.append(s[["region_id", "composite", *MODULES]].assign(period=int(p)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _stored_history(session: Session, level: str, parent_id: int, periods: list[int]) -> pd.DataFrame | None:
    """A parent's children's stored scores over `periods` in one read (ordered as `_scores` is: by region id
    within each month); None unless every month has stored rows."""
    vs, rg = RollupVillageScore.__table__.c, Region.__table__.c
    cols = ["region_id", "composite", *MODULES]
    stmt = (sa.select(*(vs[c] for c in cols), vs.period)
            .join_from(RollupVillageScore.__table__, Region.__table__, rg.id == vs.region_id)
            .where(vs.period.in_([int(p) for p in periods]), vs.parent_id == int(parent_id), rg.level == level))
    df = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=[*cols, "period"])
    if set(df["period"]) != {int(p) for p in periods}:
        return None
    order = {int(p): k for k, p in enumerate(periods)}
    df = df.assign(_k=df["period"].map(order)).sort_values(["_k", "region_id"]).drop(columns="_k")
    return df.astype({c: float for c in ("composite", *MODULES)}).astype({"region_id": int, "period": int})


def available_periods(session: Session) -> list[int]:
    """Months (YYYYMM) that have indicator values, oldest first."""
    ri = RollupIndicator.__table__.c
    rows = session.execute(sa.select(ri.period).where(ri.level == "province").distinct().order_by(ri.period))
    return [int(r[0]) for r in rows]


def scoring_method(code: str) -> str:
    """'target' when configuration gives the indicator a 目标值/及格值, else 'peer' (功效系数法 among peers)."""
    return "target" if code in get_settings().scoring.targets else "peer"


def indicator_catalog() -> pd.DataFrame:
    """The 40 indicators with module, name, definition, unit, direction, weight, scoring method (with the
    target and pass mark where configured) and where the number comes from, in catalog order."""
    targets = get_settings().scoring.targets
    return pd.DataFrame([{"code": i.code, "module": i.module, "name": i.name_zh, "name_en": i.name_en,
                          "definition": i.definition_zh, "unit": i.unit, "higher_is_better": i.higher_is_better,
                          "weight": i.weight, "is_rate": i.is_rate, "per": i.per, "method": scoring_method(i.code),
                          "target": targets[i.code].target if i.code in targets else None,
                          "passing": targets[i.code].passing if i.code in targets else None} for i in CATALOG])


__all__ = ["indicator_table", "region_scores", "region_rank", "explain", "score_history", "level_scores",
           "level_detail", "village_sums", "available_periods", "indicator_catalog", "scoring_method", "previous_period", "BY_CODE",
           "store_village_scores", "month_score_rows"]
