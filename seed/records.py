"""The record kinds the party-building and safety indicators count, and the departments' monthly reports.

Drawn per chunk around each village's latent strength (strong villages hold their meetings, post on
time and follow up their key persons), vectorised over villages × months: a village-month is a handful
of rows. No indicator value is drawn here: core.indicator_values counts these rows.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from core.indicators import BY_CODE
from core.models import (
    AffairsPosting,
    AntiFraudVisit,
    DeptReport,
    KeyPerson,
    KeyPersonVisit,
    MemberLink,
    PartyMeeting,
    PartyMember,
    ReportBatch,
    SafetyInspection,
    Training,
    WasteCheck,
)
from seed.chunk import Chunk
from seed.context import SeedContext, periods, sql_dates

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红文玲海燕春林金荣斌")
POSTING_ITEMS = np.array(["财务收支", "重大事项", "惠民资金", "工程项目"], dtype=object)
TRAINING_TOPICS = np.array(["党的理论学习", "乡村振兴专题", "基层治理能力", "廉政教育"], dtype=object)
KEY_CATEGORIES = np.array(["社区矫正", "精神障碍", "信访重点", "吸毒人员"], dtype=object)


def _sig(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


class _Months:
    """The chunk's months as arrays: first day, days in month, and the last day usable (≤ as-of)."""

    def __init__(self, ctx: SeedContext, months: int) -> None:
        self.first = (np.datetime64(ctx.start, "M") + np.arange(months)).astype("datetime64[D]")
        nxt = (np.datetime64(ctx.start, "M") + np.arange(1, months + 1)).astype("datetime64[D]")
        self.last = np.minimum(nxt - 1, np.datetime64(ctx.as_of, "D"))
        self.span = (self.last - self.first).astype(int) + 1
        self.periods = np.array(periods(ctx.start, ctx.as_of))

    def day(self, rng: np.random.Generator, m: np.ndarray) -> np.ndarray:
        """A random day of month index m (never after the as-of day)."""
        return self.first[m] + (rng.random(len(m)) * self.span[m]).astype(int)


def write_records(ctx: SeedContext, ch: Chunk) -> None:
    """Party members and their linked households, meetings, postings, trainings, inspections, key persons
    and their follow-ups, anti-fraud visits and waste-sorting checks of one chunk."""
    rng = ctx.rng(ch.county_id // 1_000_000, 81, ch.seq)
    mo, q, hh = _Months(ctx, ch.months), ch.quality, ch.households.astype(int)
    members = np.clip((ch.population * 0.03).astype(int), 8, 120)
    _members(ctx, rng, ch, members)
    _meetings(ctx, rng, ch, mo, members)
    vi, m = np.indices((ch.size, len(mo.periods))).reshape(2, -1)
    _postings(ctx, rng, ch, mo, vi, m)
    ok = rng.random(len(vi)) < _sig(2.5 + 0.5 * q[vi])
    tv, tm = vi[ok], m[ok]
    ctx.write(Training.__table__, len(tv), {
        "id": list(ctx.ids("training", len(tv))), "village_id": ch.ids[tv].tolist(),
        "topic": TRAINING_TOPICS[tm % len(TRAINING_TOPICS)].tolist(), "held_on": sql_dates(mo.day(rng, tm)),
        "expected": members[tv].tolist(), "attended": rng.binomial(members[tv], _sig(1.2 + 0.9 * q[tv])).tolist()})
    _inspections(ctx, rng, ch, mo, vi, m)
    _key_persons(ctx, rng, ch, mo)
    reach = np.minimum(hh[vi], rng.binomial(hh[vi], _sig(1.6 + 0.9 * q[vi] + rng.normal(0, 0.25, len(vi)))))
    ctx.write(AntiFraudVisit.__table__, len(vi), {
        "id": list(ctx.ids("anti_fraud_visit", len(vi))), "village_id": ch.ids[vi].tolist(),
        "form": np.where(m % 2 == 0, "door", "session").astype(object).tolist(), "held_on": sql_dates(mo.day(rng, m)),
        "households_reached": reach.tolist()})
    checked = np.full(len(vi), 50)
    ctx.write(WasteCheck.__table__, len(vi), {
        "id": list(ctx.ids("waste_check", len(vi))), "village_id": ch.ids[vi].tolist(),
        "checked_on": sql_dates(mo.day(rng, m)), "households_checked": checked.tolist(),
        "households_passed": rng.binomial(checked, _sig(2.0 + 0.9 * q[vi] + rng.normal(0, 0.25, len(vi)))).tolist()})


def _members(ctx: SeedContext, rng: np.random.Generator, ch: Chunk, members: np.ndarray) -> None:
    """党员 and their 联户 links: the village's coverage grows over the window as members take on households."""
    vi = np.repeat(np.arange(ch.size), members)
    n = len(vi)
    ids = np.array(ctx.ids("party_member", n))
    start = np.datetime64(ctx.start, "D")
    joined = start - rng.integers(30, 365 * 30, n)
    left = rng.random(n) < 0.02
    left_on = start + rng.integers(0, ctx.days, n)
    names = (np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
             + np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)]
             + np.where(rng.random(n) < 0.6, np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)], ""))
    ctx.write(PartyMember.__table__, n, {"id": ids.tolist(), "village_id": ch.ids[vi].tolist(), "name": names.tolist(),
                                         "joined_on": sql_dates(joined),
                                         "left_on": [d if x else None for d, x in zip(sql_dates(left_on), left, strict=True)]})
    cover = _sig(1.8 + 0.9 * ch.quality + rng.normal(0, 0.3, ch.size))  # the share of households linked by the end
    per = ch.households * cover / members
    households = np.maximum(1, np.round(per[vi] * rng.uniform(0.7, 1.3, n))).astype(int)
    late = rng.random(n) < 0.3  # links made during the window
    linked = np.where(late, start + rng.integers(0, ctx.days, n), start - rng.integers(1, 720, n))
    ctx.write(MemberLink.__table__, n, {"id": list(ctx.ids("member_link", n)), "member_id": ids.tolist(),
                                        "village_id": ch.ids[vi].tolist(), "households": households.tolist(),
                                        "linked_on": sql_dates(linked),
                                        "ended_on": [d if x else None for d, x in zip(sql_dates(left_on), left, strict=True)]})


def _meetings(ctx: SeedContext, rng: np.random.Generator, ch: Chunk, mo: _Months, members: np.ndarray) -> None:
    """支委会 and 党小组会 monthly, 党员大会 and 党课 once a quarter, 主题党日 monthly, with attendance."""
    q = ch.quality
    vi, m = np.indices((ch.size, len(mo.periods))).reshape(2, -1)
    parts = []
    for kind, base in (("branch_committee", 2.4), ("party_group", 2.0), ("theme_day", 3.0)):
        ok = rng.random(len(vi)) < _sig(base + 0.9 * q[vi])
        parts.append((kind, vi[ok], m[ok]))
    quarter_end = np.isin(mo.periods[m] % 100, (3, 6, 9, 12))
    for kind, base in (("branch_assembly", 2.6), ("party_lesson", 2.2)):
        ok = quarter_end & (rng.random(len(vi)) < _sig(base + 0.9 * q[vi]))
        back = np.minimum(m[ok], rng.integers(0, 3, ok.sum()))  # some month of the quarter
        parts.append((kind, vi[ok], m[ok] - back))
    kinds = np.concatenate([np.full(len(p[1]), p[0], dtype=object) for p in parts])
    v = np.concatenate([p[1] for p in parts])
    mm = np.concatenate([p[2] for p in parts])
    day = mo.day(rng, mm)
    order = np.lexsort((kinds, day, v))
    kinds, v, day = kinds[order], v[order], day[order]
    attend = _sig(np.where(kinds == "theme_day", 1.5, 2.2) + 0.9 * q[v] + rng.normal(0, 0.25, len(v)))
    n = len(v)
    ctx.write(PartyMeeting.__table__, n, {
        "id": list(ctx.ids("party_meeting", n)), "village_id": ch.ids[v].tolist(), "kind": kinds.tolist(),
        "held_on": sql_dates(day), "expected": members[v].tolist(),
        "attended": rng.binomial(members[v], attend).tolist(), "recorded_by": ch.secretary[v].tolist()})


def _postings(ctx, rng, ch: Chunk, mo: _Months, vi: np.ndarray, m: np.ndarray) -> None:
    """Two 村务公开 items a month (财务收支 on the 10th, another on the 25th); posted on time or some days late."""
    k = np.tile([0, 1], len(vi))
    v, mm = np.repeat(vi, 2), np.repeat(m, 2)
    due = mo.first[mm] + np.where(k == 0, 9, 24)
    keep = due <= np.datetime64(ctx.as_of, "D")
    v, mm, k, due = v[keep], mm[keep], k[keep], due[keep]
    on_time = rng.random(len(v)) < _sig(2.0 + 0.9 * ch.quality[v])
    posted = np.where(on_time, due - rng.integers(0, 5, len(v)), due + rng.integers(1, 12, len(v)))
    done = posted <= np.datetime64(ctx.as_of, "D")
    item = np.where(k == 0, "财务收支", POSTING_ITEMS[1 + (mm % 3)])
    n = len(v)
    ctx.write(AffairsPosting.__table__, n, {
        "id": list(ctx.ids("affairs_posting", n)), "village_id": ch.ids[v].tolist(), "item": item.tolist(),
        "due_on": sql_dates(due), "posted_on": [d if x else None for d, x in zip(sql_dates(posted), done, strict=True)]})


def _inspections(ctx, rng, ch: Chunk, mo: _Months, vi: np.ndarray, m: np.ndarray) -> None:
    """A fire-safety round every month (premises due and checked) and a safety round each quarter; hazards
    found and fixed on both."""
    q = ch.quality
    safety = np.isin(mo.periods[m] % 100, (3, 6, 9, 12))
    v = np.concatenate([vi, vi[safety]])
    mm = np.concatenate([m, m[safety]])
    kind = np.concatenate([np.full(len(vi), "fire", dtype=object), np.full(int(safety.sum()), "safety", dtype=object)])
    due = np.maximum(4, ch.households[v] // 25).astype(int)
    checked = rng.binomial(due, _sig(1.8 + 0.9 * q[v] + rng.normal(0, 0.25, len(v))))
    found = rng.poisson(0.12 * checked * np.exp(-0.3 * q[v]))
    fixed = rng.binomial(found, _sig(1.5 + 0.9 * q[v]))
    n = len(v)
    ctx.write(SafetyInspection.__table__, n, {
        "id": list(ctx.ids("safety_inspection", n)), "village_id": ch.ids[v].tolist(), "kind": kind.tolist(),
        "inspected_on": sql_dates(mo.day(rng, mm)), "premises_due": due.tolist(), "premises_checked": checked.tolist(),
        "hazards_found": found.tolist(), "hazards_fixed": fixed.tolist()})


def _key_persons(ctx, rng, ch: Chunk, mo: _Months) -> None:
    """重点人员 registers (a few per village, some registered or released during the window) and the
    follow-up visits: each registered person is visited in most months."""
    k = 1 + ch.households.astype(int) // 300
    vi = np.repeat(np.arange(ch.size), k)
    n = len(vi)
    ids = np.array(ctx.ids("key_person", n))
    start = np.datetime64(ctx.start, "D")
    new = rng.random(n) < 0.15
    registered = np.where(new, start + rng.integers(0, ctx.days, n), start - rng.integers(30, 2000, n))
    released = rng.random(n) < 0.1
    released_on = np.maximum(registered + 30, start + rng.integers(0, ctx.days, n))
    ctx.write(KeyPerson.__table__, n, {
        "id": ids.tolist(), "village_id": ch.ids[vi].tolist(),
        "category": KEY_CATEGORIES[rng.integers(0, len(KEY_CATEGORIES), n)].tolist(), "registered_on": sql_dates(registered),
        "released_on": [d if x else None for d, x in zip(sql_dates(released_on), released, strict=True)]})
    pi, m = np.indices((n, len(mo.periods))).reshape(2, -1)
    active = (registered[pi] <= mo.last[m]) & (~released[pi] | (released_on[pi] > mo.last[m]))
    visit = active & (rng.random(len(pi)) < _sig(2.2 + 0.9 * ch.quality[vi[pi]]))
    pi, m = pi[visit], m[visit]
    day = np.maximum(mo.day(rng, m), registered[pi])
    order = np.lexsort((pi, day))
    pi, day = pi[order], day[order]
    ctx.write(KeyPersonVisit.__table__, len(pi), {
        "id": list(ctx.ids("key_person_visit", len(pi))), "key_person_id": ids[pi].tolist(),
        "village_id": ch.ids[vi[pi]].tolist(), "visited_on": sql_dates(day),
        "visitor_id": ch.grid_workers[ch.grid_start[vi[pi]]].tolist()})


#: indicator → (department, how its figure is drawn: (env) → value, numerator, denominator; None: a count).
def _share(e, base: float, spread: float = 0.9) -> np.ndarray:
    return _sig(base + spread * e.q + e.rng.normal(0, 0.25, e.q.shape))


class _Env:
    def __init__(self, rng, q, hh, pop, t) -> None:
        self.rng, self.q, self.hh, self.pop, self.t = rng, q, hh, pop, t


def _rate(num, den):
    return np.asarray(num, dtype=float), np.asarray(den, dtype=float)


REPORTS = {
    "pb_outpost_stars": lambda e: _rate(np.clip(np.round(3 + 1.1 * e.q + e.rng.normal(0, 0.3, e.q.shape)), 1, 5), np.ones(e.q.shape)),
    "ec_collective_income": lambda e: np.round(e.hh * 0.012 * np.exp(0.35 * e.q + e.rng.normal(0, 0.15, e.q.shape)) * (1 + 0.004 * e.t), 2),
    "ec_operating_growth": lambda e: _rate(np.round(e.hh * (0.06 + 0.04 * e.q + e.rng.normal(0, 0.03, e.q.shape)), 2), e.hh),
    "ec_disposable_income": lambda e: _rate(np.round(e.pop * 4200 * np.exp(0.12 * e.q + e.rng.normal(0, 0.03, e.q.shape)) * (1 + 0.005 * e.t)), e.pop),
    "ec_common_prosperity_funds": lambda e: np.round(np.where(e.rng.random(e.q.shape) < 0.3, e.rng.gamma(1.2, 4 * np.exp(0.4 * e.q)), 0.0), 2),
    "ec_living_environment": lambda e: _rate(np.round(np.clip(e.rng.normal(85 + 5 * e.q, 4), 50, 100), 1), np.ones(e.q.shape)),
    "ec_new_entities": lambda e: e.rng.poisson(0.15 * np.exp(0.4 * e.q)).astype(float),
    "sa_public_security": lambda e: _rate(e.rng.poisson(e.pop * 0.0004 * np.exp(-0.4 * e.q)), e.pop),
    "sa_violations": lambda e: e.rng.poisson(0.03 * np.exp(-0.8 * e.q)).astype(float),
    "ps_elderly_care": lambda e: _rate(e.rng.binomial((e.pop // 5).astype(int), _share(e, 0.9)), e.pop // 5),
    "ps_family_doctor": lambda e: _rate(e.rng.binomial(e.pop.astype(int), _share(e, 0.8, 0.5)), e.pop),
    "ps_digital_active": lambda e: _rate(e.rng.binomial(e.hh.astype(int), _sig(0.3 + 0.03 * e.t + 0.9 * e.q + e.rng.normal(0, 0.25, e.q.shape))), e.hh),
}
DEPARTMENT = {"pb_outpost_stars": "镇党委", "ec_collective_income": "农业农村局", "ec_operating_growth": "农业农村局",
              "ec_disposable_income": "统计局", "ec_common_prosperity_funds": "财政局",
              "ec_living_environment": "镇人居办", "ec_new_entities": "市场监管局", "sa_public_security": "公安局",
              "sa_violations": "纪委", "ps_elderly_care": "民政局",
              "ps_family_doctor": "卫健局", "ps_digital_active": "大数据中心"}


def write_reports(ctx: SeedContext, ch: Chunk) -> None:
    """Each department's monthly figures for the chunk's villages, one import batch per department and month;
    about 1 % corrected by a second version. Counts of events (projects, funds, violations) are reported only
    where there was one."""
    rng = ctx.rng(ch.county_id // 1_000_000, 83, ch.seq)
    mo = _Months(ctx, ch.months)
    vi, m = np.indices((ch.size, len(mo.periods))).reshape(2, -1)
    env = _Env(rng, ch.quality[vi], ch.households[vi], ch.population[vi], m.astype(float))
    batches: dict[str, list] = {k: [] for k in ("id", "department", "submitted_name", "submitted_at", "source_kind",
                                                "source_name")}
    cols: dict[str, list] = {k: [] for k in ("village_id", "period", "indicator_code", "version", "value", "numerator",
                                             "denominator", "batch_id", "source_row", "note")}
    for code, draw in REPORTS.items():
        got = draw(env)
        rate = isinstance(got, tuple)
        num, den = (got[0], got[1]) if rate else (np.asarray(got, dtype=float), np.zeros(len(vi)))
        scale = BY_CODE[code].scale
        value = np.where(den > 0, num / np.where(den > 0, den, 1) * scale, 0.0) if rate else num
        keep = den > 0 if rate else num > 0
        ids = np.array(ctx.ids("report_batch", len(mo.periods)))
        for k, p in enumerate(mo.periods):
            batches["id"].append(int(ids[k]))
            batches["department"].append(DEPARTMENT[code])
            batches["submitted_name"].append(f"{DEPARTMENT[code]}填报员")
            day = min(mo.last[k], mo.first[k] + 27).astype(datetime)
            batches["submitted_at"].append(f"{day.isoformat()} 17:00:00.000000")
            batches["source_kind"].append("import")
            batches["source_name"].append(f"{DEPARTMENT[code]}_{ch.county_id // 1_000_000}_{ch.seq}_{p}.xlsx")
        sel = np.nonzero(keep)[0]
        for version in (1, 2):
            if version == 2:  # corrections: a later version with another figure
                sel = sel[rng.random(len(sel)) < 0.01]
                num = np.round(num * rng.uniform(0.9, 1.1, len(num)), 2)
                value = np.where(den > 0, num / np.where(den > 0, den, 1) * scale, 0.0) if rate else num
            cols["village_id"] += ch.ids[vi[sel]].tolist()
            cols["period"] += mo.periods[m[sel]].tolist()
            cols["indicator_code"] += [code] * len(sel)
            cols["version"] += [version] * len(sel)
            cols["value"] += np.round(value[sel], 4).tolist()
            cols["numerator"] += (np.round(num[sel], 4).tolist() if rate else [None] * len(sel))
            cols["denominator"] += (den[sel].tolist() if rate else [None] * len(sel))
            cols["batch_id"] += ids[m[sel]].tolist()
            cols["source_row"] += (vi[sel] + 2).tolist()
            cols["note"] += [None if version == 1 else "更正"] * len(sel)
    ctx.write(ReportBatch.__table__, len(batches["id"]), batches)
    n = len(cols["village_id"])
    ctx.write(DeptReport.__table__, n, {**cols, "id": list(ctx.ids("dept_report", n))})
