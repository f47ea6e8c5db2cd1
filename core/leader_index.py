"""以事识人: cadre scores and the 领雁指数 (six dimensions) per person and month, with their evidence.

Every dimension is 0–100 over a trailing window of WINDOW_MONTHS months ending at the period
(decisions, which are rare, over DECISION_MONTHS):

- 领导力 leadership: the village team's tasks due in the window done by their deadline, and the
  person's 民主测评 by town leaders (镇领导).
- 治理力 governance: the village's appeals closed by their due time, and decisions that followed
  "五议两公开" (all seven steps, in order, within the limit; open ones in order so far and in time).
- 发展力 development: the village's economy indicators (ec_*) of the month, each min–max
  normalised among the villages of its county (direction-aware), equally weighted.
- 服务力 service: the person's 民情日记 visits against one a week, and citizen satisfaction
  ((好评 + ½ 中评) / rated appeals).
- 廉洁力 integrity: 100 minus the person's 负面预警 points × factor and the village's 违纪违规
  事项数 × factor, floored at 0 (the floor appears as its own contribution).
- 群众口碑 reputation: the person's 民主测评 by 村民代表, and the 好评 share of rated appeals.

Inputs without data in the window drop out and the others share their weight (the effective
weight is listed). Each contribution is rounded to 0.01 and a dimension score is the exact
`math.fsum` of its contributions; the index is Σ rule weight × dimension the same way. Cadre
score (以事识人) = task points (Σ 分值 × quality / Σ 分值) and 民主测评 by the rule's weights,
plus 荣誉表彰 × honor_bonus, plus 负面预警 (negative points) × warning_deduction.
Grouped inputs come from `core.leader_inputs` (one SQL aggregate per input over all villages in
range); the records behind a contribution from `core.leader_records`.

Stored (汇总表 `rollup_leader_month`): every secretary's dimensions, index and cadre score per month
with indicator values, written by the rollup rebuild (`store_leader_months`) and, for one village, by
the task and appeal writes (`core.rollups.touch_task` / `touch_appeal`). The ranked list and the
county peers read those rows (`stored_frame`); months without stored rows are computed.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import leader_inputs as li
from core import leader_records as lr
from core.config import get_settings
from core.models import Region, RollupIndicator, RollupLeaderMonth
from core.rules import RuleBook, load_rulebook, rule_diff
from core.scope import Scope
from core.task_alerts import dataset_as_of

WINDOW_MONTHS = 3
DECISION_MONTHS = 12
TREND_MONTHS = 12
DIMENSIONS = ("leadership", "governance", "development", "service", "integrity", "reputation")
DIMENSION_LABEL = {"leadership": "领导力", "governance": "治理力", "development": "发展力",
                   "service": "服务力", "integrity": "廉洁力", "reputation": "群众口碑"}
INPUT_LABEL = {
    "team_tasks_on_time": "两委团队任务按期办结率", "demo_town_leaders": "民主测评·镇领导",
    "appeals_on_time": "民情诉求按时办结率", "five_two_compliance": "“五议两公开”规范率",
    "diary_coverage": "民情日记（一周一记）完成度", "satisfaction": "群众满意度",
    "demo_villagers": "民主测评·村民代表", "good_rating_share": "好评率",
    "base": "基础分", "warnings": "负面预警扣分", "violations": "违纪违规事项扣分", "floor": "下限调整（不低于0）",
    "task_points": "任务得分（分值×质量）", "democratic": "民主测评（三方）",
    "honor_bonus": "荣誉表彰加分", "warning_deduction": "负面预警扣分",
}
SECRETARY = ("village_secretary",)
TEAM = ("village_secretary", "village_committee")


@dataclass(frozen=True)
class Contribution:
    """One input's share of a score: value (0–100 or raw points) × effective weight = points."""

    code: str
    label: str
    value: float
    weight: float
    points: float
    detail: str
    records: tuple[int, ...] = ()
    record_kind: str = ""


@dataclass(frozen=True)
class Dimension:
    """One 领雁指数 dimension: score = fsum(contribution points)."""

    key: str
    label: str
    weight: float
    score: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class LeaderExplain:
    """Why one person's index and cadre score are what they are, for one month and rule version."""

    person_id: int
    name: str
    role: str
    village_id: int
    village_name: str
    period: int
    window: tuple[int, int]
    rule_version: str
    rule_diff: tuple[dict, ...]
    index: float
    index_contributions: tuple[Contribution, ...]
    dimensions: tuple[Dimension, ...]
    cadre_score: float
    cadre_contributions: tuple[Contribution, ...]
    pct_township: float | None
    pct_county: float | None
    peer_median: dict
    trend: pd.DataFrame


def _c(code: str, value: float, weight: float, detail: str, label: str | None = None) -> Contribution:
    return Contribution(code, label or INPUT_LABEL.get(code, code), float(value), float(weight),
                        round(float(value) * float(weight), 2), detail)


def weighted(items: list[tuple[str, float | None, float, str, str | None]]) -> tuple[float, tuple[Contribution, ...]]:
    """(score, contributions) of a weighted mean over the inputs that have a value; NaN when none do."""
    avail = [i for i in items if i[1] is not None and not math.isnan(i[1])]
    total = sum(i[2] for i in avail)
    if not avail or total <= 0:
        return math.nan, ()
    parts = tuple(_c(code, cast(float, val), w / total, detail, label) for code, val, w, detail, label in avail)
    return math.fsum(p.points for p in parts), parts


def _integrity(f: li.PersonFacts, rule_inputs: dict) -> tuple[float, tuple[Contribution, ...]]:
    fw, fv = rule_inputs.get("warning_points_factor", 5.0), rule_inputs.get("violation_factor", 5.0)
    parts = [_c("base", 100.0, 1.0, "满分起算"),
             _c("warnings", f.warning_points, fw, f"负面预警 {f.warning_n} 条，合计 {f.warning_points:g} 分 × {fw:g}"),
             _c("violations", -f.violations, fv, f"违纪违规事项 {f.violations:g} 件 × {fv:g}")]
    total = math.fsum(p.points for p in parts)
    if total < 0:
        parts.append(Contribution("floor", INPUT_LABEL["floor"], -total, 1.0, round(-total, 2), "廉洁力不低于0"))
    return math.fsum(p.points for p in parts), tuple(parts)


def _pct(num: float, den: float) -> float | None:
    return None if not den else 100.0 * num / den


def dimensions(f: li.PersonFacts, rule) -> tuple[Dimension, ...]:
    """The six dimensions of one person's facts under one rule."""
    inp, out = rule.inputs, []
    specs = {
        "leadership": [("team_tasks_on_time", _pct(f.tasks_on_time, f.tasks_due), f"按期 {f.tasks_on_time} / 到期 {f.tasks_due} 件"),
                       ("demo_town_leaders", f.demo.get("镇领导"), f"镇领导测评 {f.demo_n.get('镇领导', 0)} 次")],
        "governance": [("appeals_on_time", _pct(f.appeals_on_time, f.appeals), f"按时办结 {f.appeals_on_time} / 受理 {f.appeals} 件"),
                       ("five_two_compliance", _pct(f.decisions_ok, f.decisions), f"规范 {f.decisions_ok} / 议事 {f.decisions} 项")],
        "service": [("diary_coverage", None if f.weeks <= 0 else min(100.0, 100.0 * f.visits / f.weeks),
                     f"走访 {f.visits} 户次 / 应记 {f.weeks:g} 周"),
                    ("satisfaction", _pct(f.good + 0.5 * f.mid, f.rated), f"好评 {f.good}、中评 {f.mid} / 评价 {f.rated} 件")],
        "reputation": [("demo_villagers", f.demo.get("村民代表"), f"村民代表测评 {f.demo_n.get('村民代表', 0)} 次"),
                       ("good_rating_share", _pct(f.good, f.rated), f"好评 {f.good} / 评价 {f.rated} 件")],
    }
    weights = rule.dimension_weights
    for key in DIMENSIONS:
        if key == "integrity":
            score, parts = _integrity(f, inp.get("integrity", {}))
        elif key == "development":
            items = [(code, norm, 1.0, f"原值 {raw:g}（县内 {lo:g}–{hi:g}）", name) for code, name, raw, norm, lo, hi in f.economy]
            score, parts = weighted(items)
        else:
            items = [(code, val, inp.get(key, {}).get(code, 0.0), detail, None) for code, val, detail in specs[key]]
            score, parts = weighted(items)
        out.append(Dimension(key, DIMENSION_LABEL[key], float(weights.get(key, 0.0)), score, parts))
    return tuple(out)


def index_of(dims: tuple[Dimension, ...]) -> tuple[float, tuple[Contribution, ...]]:
    """(领雁指数, contributions) = Σ rule weight × dimension over dimensions with a score."""
    return weighted([(d.key, d.score, d.weight, f"{d.label} {d.score:.2f} × 权重 {d.weight:g}", d.label) for d in dims])


def cadre(f: li.PersonFacts, rule) -> tuple[float, tuple[Contribution, ...]]:
    """(cadre score, contributions): task points and 民主测评 blended, plus honours, minus warnings."""
    w = rule.cadre
    base, parts = weighted([
        ("task_points", _pct(f.task_weighted, f.task_difficulty * 100.0) if f.task_difficulty else None, w["task_points"],
         f"已评分任务 {f.task_n} 件，分值 {f.task_difficulty:g}", None),
        ("democratic", f.demo_all, w["democratic"], f"三方测评 {sum(f.demo_n.values())} 次", None)])
    extra = (_c("honor_bonus", f.honor_points, w["honor_bonus"], f"荣誉表彰 {f.honor_n} 项"),
             _c("warning_deduction", f.warning_points, w["warning_deduction"], f"负面预警 {f.warning_n} 条"))
    parts = parts + extra
    return (math.nan if math.isnan(base) else math.fsum(p.points for p in parts)), parts


def _score_row(f: li.PersonFacts, book: RuleBook, period: int) -> dict:
    rule = book.for_village(f.village_id, period)
    dims = dimensions(f, rule)
    idx, _ = index_of(dims)
    cs, _ = cadre(f, rule)
    return {"person_id": f.person_id, "name": f.name, "role": f.role, "title": f.title,
            "village_id": f.village_id, "village_name": f.village_name, "township_id": f.village_id // 1000 * 1000,
            "rule_version": rule.version, **{d.key: d.score for d in dims}, "index": idx, "cadre_score": cs}


def score_frame(facts: list[li.PersonFacts], book: RuleBook, period: int) -> pd.DataFrame:
    """One row per person: six dimensions, index, cadre score and the rule version, unrounded."""
    rows = [_score_row(f, book, period) for f in facts]
    cols = ["person_id", "name", "role", "title", "village_id", "village_name", "township_id", "rule_version",
            *DIMENSIONS, "index", "cadre_score"]
    return pd.DataFrame(rows, columns=cols)


# ---- stored rows (rollup_leader_month) ----

STORED = ["period", "person_id", "village_id", "rule_version", *DIMENSIONS, "score", "cadre_score"]
FRAME_COLUMNS = ["person_id", "name", "role", "title", "village_id", "village_name", "township_id", "rule_version",
                 *DIMENSIONS, "index", "cadre_score"]


STORED_MONTHS = TREND_MONTHS + 1  # the leaders page's twelve months and the month before (movement)


def stored_periods(session: Session) -> list[int]:
    """Months (YYYYMM) whose secretaries' scores the rebuild stores: the STORED_MONTHS months ending at the
    last month with indicator values or the as-of month (the dataset's or the settings'), whichever is
    later, from the first month with indicator values on. Older months are computed when asked for."""
    ri = RollupIndicator.__table__.c
    first, last = session.execute(sa.select(sa.func.min(ri.period), sa.func.max(ri.period))
                                  .where(ri.level == "province")).tuples().one()
    if first is None:
        return []
    days = [dataset_as_of(session), get_settings().as_of]
    last = max(int(last), *(d.year * 100 + d.month for d in days))
    out = [max(int(first), li.shift(last, 1 - STORED_MONTHS))]
    while out[-1] < last:
        out.append(li.shift(out[-1], 1))
    return out


def store_leader_months(conn: sa.Connection, village_id: int | None = None) -> int:
    """(Re)write `rollup_leader_month`: every secretary × stored month (rebuild, county by county), or the
    secretaries of one village (after a task or appeal write there); rows written."""
    session = Session(bind=conn)
    table = RollupLeaderMonth.__table__
    if village_id is None:
        conn.execute(table.delete())
        ranges = county_ranges(conn)
    else:
        conn.execute(table.delete().where(table.c.village_id == int(village_id)))
        ranges = [(int(village_id), int(village_id))]
    periods, book, written = stored_periods(session), load_rulebook(session), 0
    if not periods:
        return 0
    for lo, hi in ranges:
        rows = leader_month_rows(session, lo, hi, periods, book)
        if rows:
            conn.execute(table.insert(), rows)
        written += len(rows)
    return written


def county_ranges(conn: sa.Connection) -> list[tuple[int, int]]:
    """(lo, hi) village-id range of every county, in id order (the unit of a leader-month rebuild)."""
    rg = Region.__table__.c
    return [(int(c), int(c) + 999_999) for (c,) in conn.execute(
        sa.select(rg.id).where(rg.level == "county").order_by(rg.id)).tuples()]


def leader_month_rows(session: Session, lo: int, hi: int, periods: list[int], book: RuleBook) -> list[dict]:
    """`rollup_leader_month` rows of the secretaries of villages lo..hi for `periods` (read only)."""
    facts = li.load_facts_periods(session, lo, hi, periods, SECRETARY)
    return [_stored_row(p, _score_row(f, book, p)) for p in periods for f in facts[p]]  # no frame per month


def _stored_row(period: int, r: dict) -> dict:
    def num(x) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
    return {"period": int(period), "person_id": int(r["person_id"]), "village_id": int(r["village_id"]),
            "rule_version": r["rule_version"], **{d: num(r[d]) for d in DIMENSIONS}, "score": num(r["index"]),
            "cadre_score": num(r["cadre_score"])}


def stored_frame(session: Session, lo: int, hi: int, period: int,
                 people: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """Secretaries of villages lo..hi in `period` from the stored rows, in `score_frame`'s columns;
    None when the month is not stored (then it must be computed). `people` is `li.people` of the same
    range when the caller already has it (two months of one ranking share it)."""
    t = RollupLeaderMonth.__table__.c
    rows = session.execute(sa.select(*(t[c] for c in STORED)).where(t.period == int(period),
                                                                    t.village_id.between(int(lo), int(hi)))).all()
    if not rows and session.execute(sa.select(t.person_id).where(t.period == int(period)).limit(1)).first() is None:
        return None
    people = li.people(session, lo, hi, SECRETARY) if people is None else people
    stored = pd.DataFrame([tuple(r) for r in rows], columns=STORED).drop(columns=["period", "village_id"])
    df = people.merge(stored.rename(columns={"score": "index"}), on="person_id", how="inner")
    df["township_id"] = df["village_id"] // 1000 * 1000
    return df.astype({c: float for c in (*DIMENSIONS, "index", "cadre_score")})[FRAME_COLUMNS]


def _secretary_frame(session: Session, lo: int, hi: int, period: int,
                     people: pd.DataFrame | None = None) -> pd.DataFrame:
    """Secretaries of villages lo..hi scored for `period`: the stored rows, computed when the month is not
    stored; townships whose rule in force is no longer the stored rows' version (a rule added since the
    rebuild; only the generator and tests add rules) are computed under the current rule."""
    book = load_rulebook(session)
    df = stored_frame(session, lo, hi, period, people)
    if df is None:
        return score_frame(li.load_facts(session, lo, hi, period, SECRETARY), book, period)
    current = {t: book.for_township(t, period).version for t in set(df["township_id"].tolist())}
    stale = sorted({int(t) for t, v in zip(df["township_id"], df["rule_version"], strict=True) if current[t] != v})
    if not stale:
        return df
    fresh = [score_frame(li.load_facts(session, max(lo, t), min(hi, t + 999), period, SECRETARY), book, period)
             for t in stale]
    kept = df[~df["township_id"].isin(stale)]
    out = pd.concat([kept, *fresh], ignore_index=True).sort_values("village_id", kind="stable")
    return out.reset_index(drop=True)[FRAME_COLUMNS]


def leader_table(session: Session, scope: Scope, period: int, roles: tuple[str, ...] = SECRETARY) -> pd.DataFrame:
    """Everyone with `roles` in scope for `period`, best index first, with rank and percentile in scope
    (secretaries: the stored rows)."""
    if tuple(roles) == SECRETARY:
        return _ranked(_secretary_frame(session, scope.lo, scope.hi, period))
    facts = li.load_facts(session, scope.lo, scope.hi, period, roles)
    return _ranked(score_frame(facts, load_rulebook(session), period))


def _ranked(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(["index", "person_id"], ascending=[False, True], na_position="last").reset_index(drop=True)
    df["rank"] = range(1, len(df) + 1)
    df["pct"] = (df["index"].rank(pct=True, method="max") * 100.0).round(1)
    return df


def ranked_secretaries(session: Session, scope: Scope, period: int) -> pd.DataFrame:
    """Village secretaries in scope ranked by 领雁指数 with rank movement against the previous month (▲ > 0)."""
    prev_p = li.shift(period, -1)
    who = li.people(session, scope.lo, scope.hi, SECRETARY)  # the same secretaries for both months
    now = _ranked(_secretary_frame(session, scope.lo, scope.hi, period, who))
    prev = _ranked(_secretary_frame(session, scope.lo, scope.hi, prev_p, who))[["person_id", "rank", "index"]]
    out = now.merge(prev.rename(columns={"rank": "prev_rank", "index": "prev_index"}), on="person_id", how="left")
    out["movement"] = (out["prev_rank"] - out["rank"]).astype("Int64")
    return out


@dataclass(frozen=True)
class CountyContext:
    """What every drill-down in one county and month shares: the peer table and the economy bounds."""

    county_id: int
    period: int
    peers: pd.DataFrame
    bounds: pd.DataFrame


def peer_table(session: Session, village_id: int, period: int, role: str = "village_secretary") -> pd.DataFrame:
    """Everyone with `role` in the village's county (peers for percentiles and medians)."""
    county = li.county_of(village_id)
    if (role,) == SECRETARY:
        return _secretary_frame(session, county, county + 999_999, period)
    return score_frame(li.load_facts(session, county, county + 999_999, period, (role,)), load_rulebook(session), period)


def county_context(session: Session, village_id: int, period: int, role: str = "village_secretary") -> CountyContext:
    """Peers and 12 months of economy bounds of the village's county (compute once per county and month)."""
    county = li.county_of(village_id)
    periods = [li.shift(period, -k) for k in range(TREND_MONTHS)]
    return CountyContext(county, period, peer_table(session, village_id, period, role),
                         li.economy_bounds(session, county, county + 999_999, periods))


def team_table(session: Session, scope: Scope, village_id: int, period: int) -> pd.DataFrame:
    """雁阵: the village's two-committee team (secretary first) with dimensions, index and cadre score."""
    scope.check(village_id)
    df = leader_table(session, Scope(int(village_id), "village"), period, TEAM)
    df["is_secretary"] = df["role"] == "village_secretary"
    return df.sort_values(["is_secretary", "index"], ascending=[False, False]).drop(columns="is_secretary").reset_index(drop=True)


def person_trend(session: Session, scope: Scope, person_id: int, period: int, months: int = TREND_MONTHS,
                 bounds: pd.DataFrame | None = None) -> pd.DataFrame:
    """Index, dimensions and cadre score of one person for the `months` months ending at `period`, oldest first."""
    post = li.person_post(session, scope, person_id)
    periods = [li.shift(period, -k) for k in range(months - 1, -1, -1)]
    facts = li.load_facts_periods(session, post.village_id, post.village_id, periods, (post.role,), person_id, bounds)
    return _trend_frame(facts, load_rulebook(session))


def _trend_frame(facts: dict, book: RuleBook) -> pd.DataFrame:
    frames = [score_frame(fs, book, p).assign(period=p) for p, fs in sorted(facts.items()) if fs]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def explain_leader_index(session: Session, scope: Scope, person_id: int, period: int,
                         county: CountyContext | None = None,
                         record_codes: Collection[str] | None = None) -> LeaderExplain:
    """Dimensions, contributions and their records, percentiles, peer median and trend of one person.

    `county` is `county_context(...)` of the person's county and month (computed here when not given).
    `record_codes` limits the records attached to those contributions (`()`: none; the drill-down then
    asks `leader_records.person_records` for the ones it shows).
    """
    post = li.person_post(session, scope, person_id)
    if county is None or county.county_id != li.county_of(post.village_id) or county.period != period:
        county = county_context(session, post.village_id, period, post.role)
    book = load_rulebook(session)
    rule = book.for_village(post.village_id, period)
    periods = [li.shift(period, -k) for k in range(TREND_MONTHS - 1, -1, -1)]
    by_period = li.load_facts_periods(session, post.village_id, post.village_id, periods, (post.role,), person_id,
                                      county.bounds)
    if not by_period.get(period):
        raise li.NotFound("该人员在本月没有可计算的数据")
    f = by_period[period][0]
    recs = lr.load_records(session, f, period, record_codes)
    dims = dimensions(f, rule)
    dims = tuple(Dimension(d.key, d.label, d.weight, d.score, lr.attach(d.contributions, recs)) for d in dims)
    idx, idx_parts = index_of(dims)
    cs, cs_parts = cadre(f, rule)
    peers = county.peers
    town = peers[peers["township_id"] == post.village_id // 1000 * 1000]
    return LeaderExplain(
        person_id, f.name, f.role, f.village_id, f.village_name, period, (li.shift(period, 1 - WINDOW_MONTHS), period),
        rule.version, tuple(rule_diff(rule, book.default(period))), idx, idx_parts, dims, cs,
        lr.attach(cs_parts, recs), _percentile(town, person_id), _percentile(peers, person_id),
        {k: float(peers[k].median()) for k in (*DIMENSIONS, "index")} if len(peers) else {},
        _trend_frame(by_period, book))


def _percentile(df: pd.DataFrame, person_id: int) -> float | None:
    if df.empty or person_id not in set(df["person_id"]):
        return None
    pct = df["index"].rank(pct=True, method="max") * 100.0
    return round(float(pct[df["person_id"] == person_id].iloc[0]), 1)
