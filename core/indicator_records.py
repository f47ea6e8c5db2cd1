"""Why this number: the records (or report versions) behind one village-month's indicator (SPEC §11, #18).

`indicator_records` lists, for a counted indicator, every record of the definition's tables in the
village-month with what it adds to the numerator and to the denominator. The per-record contributions are
the same rules as core.record_sources' grouped sums, so they add up to the stored numerator and denominator
(tests/core/test_indicator_records.py checks every counted indicator). A fixed denominator (the village's
households, the diary's 一周一记, the meetings due) is given as a figure. For a reported indicator it lists
the report's versions, latest (the one that counts) first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.config import get_settings
from core.definitions import DEFINITIONS, DIARY_DUE, HOUSEHOLDS, MEETINGS_DUE, Records
from core.enums import Module, TaskCategory
from core.errors import NotFound
from core.indicators import BY_CODE
from core.models import (
    AffairsPosting,
    AntiFraudVisit,
    Appeal,
    BidProject,
    Decision,
    DecisionStep,
    DiaryVisit,
    Evaluation,
    IndicatorValue,
    KeyPerson,
    KeyPersonVisit,
    MemberLink,
    MoralEntry,
    MoralHousehold,
    OneThingCase,
    PartyMeeting,
    Region,
    SafetyInspection,
    Task,
    Training,
    WasteCheck,
)
from core.record_sources import (
    FINISHED,
    MONTHLY_MEETINGS,
    QUARTERLY_MEETINGS,
    Window,
    days_in_month,
    month_first,
)
from core.records import report_versions
from core.scope import Scope
from core.sqlfn import hours_between
from core.task_queries import dataset_window

#: Columns of the listed records: table, id, day, what (a short label), detail, and the two contributions.
RECORD_COLUMNS = ["table", "record_id", "day", "what", "detail", "num", "den"]


def _rows(session: Session, stmt: sa.Select, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=names)


def _tasks(session: Session, w: Window) -> pd.DataFrame:
    t = Task.__table__.c
    df = _rows(session, sa.select(t.id, t.deadline, t.code, t.title, t.status, t.module, t.category, t.done_at)
               .where(t.village_id == w.lo, t.deadline.between(w.first, min(w.last, w.as_of)), t.status != "rejected")
               .order_by(t.deadline, t.id), ["record_id", "day", "what", "title", "status", "module", "category", "done_at"])
    done = pd.to_datetime(df["done_at"])
    on_time = (done.notna() & (done.dt.date <= df["day"])).astype(float)
    fin = df["status"].isin(FINISHED).astype(float)
    for m in Module:
        mine = (df["module"] == str(m)).astype(float)
        df[f"{m}_due"], df[f"{m}_on_time"] = mine, mine * on_time
    pledge = (df["category"] == str(TaskCategory.PLEDGE)).astype(float)
    report = (df["category"] == str(TaskCategory.VILLAGE_REPORT)).astype(float)
    df["pledge_due"], df["pledge_on_time"] = pledge, pledge * on_time
    df["village_report_due"], df["village_report_fin"] = report, report * fin
    df["detail"] = df["title"] + " · " + df["status"] + done.dt.strftime(" · 办结 %Y-%m-%d").fillna("")
    return df


def _appeals(session: Session, w: Window) -> pd.DataFrame:
    a = Appeal.__table__.c
    df = _rows(session, sa.select(a.id, a.reported_at, a.category, a.channel, a.status, a.closed_at, a.due_at, a.rating,
                                  a.first_response_at, hours_between(a.reported_at, a.first_response_at))
               .where(a.village_id == w.lo, w.times(a.reported_at)).order_by(a.reported_at, a.id),
               ["record_id", "day", "category", "channel", "status", "closed_at", "due_at", "rating", "responded_at",
                "hours"])
    closed = df["closed_at"].notna()
    df["n"] = 1.0
    df["closed"] = closed.astype(float)
    df["on_time"] = (closed & (pd.to_datetime(df["closed_at"]) <= pd.to_datetime(df["due_at"]))).astype(float)
    df["rated"], df["good"] = df["rating"].notna().astype(float), (df["rating"] == "good").astype(float)
    df["responded"], df["resp_hours"] = df["responded_at"].notna().astype(float), df["hours"].astype(float).fillna(0.0)
    df["petitions"] = (df["channel"] == "浙里访").astype(float)
    for col, cat in (("disputes", "矛盾纠纷"), ("hazards", "安全隐患")):
        df[col] = (df["category"] == cat).astype(float)
        df[f"{col}_closed"] = df[col] * df["closed"]
    df["what"] = df["category"] + " · " + df["channel"]
    df["detail"] = df["status"] + df["rating"].map(lambda r: f" · 评价 {r}" if isinstance(r, str) else "")
    return df


def _diary(session: Session, w: Window) -> pd.DataFrame:
    d = DiaryVisit.__table__.c
    df = _rows(session, sa.select(d.id, d.visited_on, d.household_no, d.topic).where(d.village_id == w.lo,
                                                                                    w.days(d.visited_on))
               .order_by(d.visited_on, d.id), ["record_id", "day", "household", "topic"])
    return df.assign(visits=1.0, what=lambda f: f["topic"].astype(str), detail=lambda f: "户 " + f["household"].astype(str))


def _decisions(session: Session, w: Window) -> pd.DataFrame:
    d, s = Decision.__table__.c, DecisionStep.__table__.c
    steps = (sa.select(s.decision_id, sa.func.count().label("k"),
                       sa.func.sum(sa.case((s.step == s.seq, 1), else_=0)).label("ok")).group_by(s.decision_id).subquery())
    df = _rows(session, sa.select(d.id, d.closed_on, d.title, steps.c.k, steps.c.ok)
               .select_from(Decision.__table__.outerjoin(steps, steps.c.decision_id == d.id))
               .where(d.village_id == w.lo, d.closed_on.is_not(None), w.days(d.closed_on)).order_by(d.closed_on, d.id),
               ["record_id", "day", "what", "k", "ok"])
    df["closed"] = 1.0
    df["compliant"] = ((df["k"] == 7) & (df["ok"] == 7)).astype(float)
    df["detail"] = df["k"].fillna(0).astype(int).astype(str) + " 步，按序 " + df["ok"].fillna(0).astype(int).astype(str)
    return df


def _evaluations(session: Session, w: Window) -> pd.DataFrame:
    e = Evaluation.__table__.c
    df = _rows(session, sa.select(e.id, e.period, e.source, e.note).where(
        e.village_id == w.lo, e.period.in_(w.periods), e.kind == "warning").order_by(e.id),
        ["record_id", "day", "what", "detail"])
    return df.assign(warnings=1.0)


def _meetings(session: Session, w: Window) -> pd.DataFrame:
    """Each kind counts once: a monthly kind in its month, a quarterly kind in the quarter's last month."""
    m = PartyMeeting.__table__.c
    period = w.periods[0]
    q_first = month_first(period // 100 * 100 + (period % 100 - 1) // 3 * 3 + 1)
    df = _rows(session, sa.select(m.id, m.held_on, m.kind, m.expected, m.attended)
               .where(m.village_id == w.lo, w.days(m.held_on, first=q_first)).order_by(m.held_on, m.id),
               ["record_id", "day", "what", "expected", "attended"])
    in_month = df["day"].map(lambda d: d.year * 100 + d.month == period)
    quarter_end = period % 100 in (3, 6, 9, 12)
    keep = in_month | (df["what"].isin(QUARTERLY_MEETINGS) & quarter_end)
    df = df[keep].reset_index(drop=True)
    in_month = df["day"].map(lambda d: d.year * 100 + d.month == period)
    theme = (df["what"] == "theme_day") & in_month
    df["theme_expected"] = np.where(theme, df["expected"], 0.0)
    df["theme_attended"] = np.where(theme, df["attended"], 0.0)
    counted = (df["what"].isin(MONTHLY_MEETINGS) & in_month) | df["what"].isin(QUARTERLY_MEETINGS)
    df["meetings_held"] = (counted & ~df.duplicated("what")).astype(float)
    df["detail"] = "应到 " + df["expected"].astype(str) + " · 实到 " + df["attended"].astype(str)
    return df


def _postings(session: Session, w: Window) -> pd.DataFrame:
    p = AffairsPosting.__table__.c
    df = _rows(session, sa.select(p.id, p.due_on, p.item, p.posted_on).where(
        p.village_id == w.lo, w.days(p.due_on, last=min(w.last, w.as_of))).order_by(p.due_on, p.id),
        ["record_id", "day", "what", "posted_on"])
    df["postings_due"] = 1.0
    df["postings_on_time"] = df.apply(lambda r: float(r["posted_on"] is not None and r["posted_on"] <= r["day"]),
                                      axis=1) if len(df) else 0.0
    df["detail"] = df["posted_on"].map(lambda d: f"公开于 {d}" if d is not None else "未公开")
    return df


def _simple(table: sa.Table, day: str, what: str | None, cols: dict[str, Callable[[pd.DataFrame], pd.Series]],
            detail: Callable[[pd.DataFrame], pd.Series]) -> Callable[[Session, Window], pd.DataFrame]:
    def rows(session: Session, w: Window) -> pd.DataFrame:
        c = table.c
        df = _rows(session, sa.select(*list(c)).where(c.village_id == w.lo, w.days(c[day])).order_by(c[day], c.id),
                   [x.name for x in c])
        df = df.rename(columns={"id": "record_id"}).assign(day=df[day] if len(df) else [])
        df["what"] = df[what].astype(str) if what else table.name
        for name, fn in cols.items():
            df[name] = fn(df).astype(float) if len(df) else []
        df["detail"] = detail(df) if len(df) else []
        return df
    return rows


_trainings = _simple(Training.__table__, "held_on", "topic", {
    "training_expected": lambda f: f["expected"], "training_attended": lambda f: f["attended"]},
    lambda f: "应到 " + f["expected"].astype(str) + " · 实到 " + f["attended"].astype(str))
_inspections = _simple(SafetyInspection.__table__, "inspected_on", "kind", {
    "fire_due": lambda f: f["premises_due"].where(f["kind"] == "fire", 0),
    "fire_checked": lambda f: f["premises_checked"].where(f["kind"] == "fire", 0),
    "hazards_found": lambda f: f["hazards_found"], "hazards_fixed": lambda f: f["hazards_fixed"]},
    lambda f: ("场所 " + f["premises_checked"].astype(str) + "/" + f["premises_due"].astype(str) + " · 隐患 "
               + f["hazards_fixed"].astype(str) + "/" + f["hazards_found"].astype(str)))
_fraud = _simple(AntiFraudVisit.__table__, "held_on", "form", {"fraud_reached": lambda f: f["households_reached"]},
                 lambda f: "覆盖 " + f["households_reached"].astype(str) + " 户")
_waste = _simple(WasteCheck.__table__, "checked_on", None, {
    "waste_checked": lambda f: f["households_checked"], "waste_passed": lambda f: f["households_passed"]},
    lambda f: "合格 " + f["households_passed"].astype(str) + "/" + f["households_checked"].astype(str))


def _links(session: Session, w: Window) -> pd.DataFrame:
    c, last = MemberLink.__table__.c, w.last
    df = _rows(session, sa.select(c.id, c.linked_on, c.member_id, c.households, c.ended_on).where(
        c.village_id == w.lo, c.linked_on <= last, sa.or_(c.ended_on.is_(None), c.ended_on > last)).order_by(c.id),
        ["record_id", "day", "member", "households", "ended_on"])
    return df.assign(linked=df["households"].astype(float), what="党员 " + df["member"].astype(str),
                     detail="联系 " + df["households"].astype(str) + " 户")


def _key_persons(session: Session, w: Window) -> pd.DataFrame:
    k, v, last = KeyPerson.__table__.c, KeyPersonVisit.__table__.c, w.last
    df = _rows(session, sa.select(k.id, k.registered_on, k.category).where(
        k.village_id == w.lo, k.registered_on <= last, sa.or_(k.released_on.is_(None), k.released_on > last))
        .order_by(k.id), ["record_id", "day", "what"])
    visits = session.execute(sa.select(v.key_person_id).where(v.village_id == w.lo, w.days(v.visited_on)).distinct())
    seen = [int(r[0]) for r in visits]
    df["registered"] = 1.0
    df["visited"] = df["record_id"].astype(int).isin(seen).astype(float) if len(df) else []
    df["detail"] = df["visited"].map(lambda x: "本月已走访" if x else "本月未走访") if len(df) else []
    return df


def _bidding(session: Session, w: Window) -> pd.DataFrame:
    b = BidProject.__table__.c
    df = _rows(session, sa.select(b.id, b.landed_on, b.code, b.title).where(
        b.village_id == w.lo, b.landed_on.is_not(None), w.days(b.landed_on, last=min(w.last, w.as_of)))
        .order_by(b.landed_on, b.id), ["record_id", "day", "what", "detail"])
    return df.assign(landed=1.0)


def _one_thing(session: Session, w: Window) -> pd.DataFrame:
    c = OneThingCase.__table__.c
    df = _rows(session, sa.select(c.id, c.closed_at, c.code, c.title, c.opened_at).where(
        c.village_id == w.lo, c.closed_at.is_not(None), c.closed_at >= w.first,
        c.closed_at < min(w.last, w.as_of) + timedelta(days=1)).order_by(c.closed_at, c.id),
        ["record_id", "day", "what", "title", "opened_at"])
    hours = (pd.to_datetime(df["day"]) - pd.to_datetime(df["opened_at"])).dt.total_seconds() / 3600.0
    return df.assign(closed=1.0, days=hours / 24.0, detail=df["title"].astype(str) + " · "
                     + (hours / 24.0).round(1).astype(str) + " 天")


def _moral(session: Session, w: Window) -> pd.DataFrame:
    """Households taking part at the month's end: 户号 only (the name is private to the village's cadres)."""
    from core.record_sources import MORAL_TAKING_PART

    e, h = MoralEntry.__table__.c, MoralHousehold.__table__.c
    first = sa.func.min(e.recorded_on)
    df = _rows(session, sa.select(h.id, first, h.code).select_from(
        MoralEntry.__table__.join(MoralHousehold.__table__, h.id == e.household_id)).where(
        e.village_id == w.lo, e.kind.in_(MORAL_TAKING_PART), e.recorded_on <= min(w.last, w.as_of))
        .group_by(h.id, h.code).order_by(first, h.id), ["record_id", "day", "code"])
    return df.assign(taking_part=1.0, what="户号 " + df["code"].astype(str), detail="首次计分 " + df["day"].astype(str))


ROWS: dict[str, tuple[str, Callable[[Session, Window], pd.DataFrame]]] = {
    "task": ("task", _tasks), "appeal": ("appeal", _appeals), "diary": ("diary_visit", _diary),
    "decision": ("decision", _decisions), "evaluation": ("evaluation", _evaluations),
    "meeting": ("party_meeting", _meetings), "posting": ("affairs_posting", _postings),
    "training": ("training", _trainings), "inspection": ("safety_inspection", _inspections),
    "fraud": ("anti_fraud_visit", _fraud), "waste": ("waste_check", _waste), "link": ("member_link", _links),
    "key_person": ("key_person", _key_persons), "bidding": ("bid_project", _bidding),
    "one_thing": ("one_thing_case", _one_thing), "moral": ("moral_household", _moral),
}


def _fixed(session: Session, name: str, village_id: int, period: int) -> float:
    if name == HOUSEHOLDS:
        return float(session.execute(sa.select(Region.__table__.c.households).where(Region.__table__.c.id == village_id)).scalar() or 0)
    if name == DIARY_DUE:
        return float(np.round(days_in_month(np.array([period]))[0] / 7 * get_settings().scoring.diary_cadres, 2))
    if name == MEETINGS_DUE:
        return 4.0 if period % 100 in (3, 6, 9, 12) else 2.0
    raise KeyError(name)


def _stored(session: Session, village_id: int, period: int, code: str) -> dict:
    iv = IndicatorValue.__table__.c
    row = session.execute(sa.select(iv.value, iv.numerator, iv.denominator).where(
        iv.village_id == village_id, iv.period == period, iv.indicator_code == code)).first()
    return dict(zip(("value", "numerator", "denominator"), (None, None, None) if row is None else row, strict=True))


def indicator_records(session: Session, scope: Scope, village_id: int, period: int, indicator_code: str) -> dict:
    """{"kind": "records" | "report", "stored": {value, numerator, denominator}, "num": total, "den": total,
    "num_text", "den_text" (zh, en), "fixed": {name: figure} (a denominator not counted from rows), "rows":
    DataFrame RECORD_COLUMNS (records adding to the numerator or the denominator), "capped": bool}; for a
    report, "versions": the report's versions, latest first (core.records.report_versions)."""
    scope.check(int(village_id))
    if indicator_code not in DEFINITIONS:
        raise NotFound(f"没有指标 {indicator_code}")
    d, vid, period = DEFINITIONS[indicator_code], int(village_id), int(period)
    region = session.get(Region, vid)
    if region is None or region.level != "village":
        raise NotFound(f"没有村社 {village_id}")
    out: dict = {"kind": d.kind, "stored": _stored(session, vid, period, indicator_code),
                 "num_text": d.num_text, "den_text": d.den_text}
    if not isinstance(d, Records):
        out["versions"] = report_versions(session, scope, vid, period, indicator_code)
        return out
    _, as_of = dataset_window(session)
    w = Window(vid, vid, (period,), as_of)
    needed = {c.split(".")[0] for c in (*d.num, *d.den) if not c.startswith("@")}
    frames = []
    fixed: dict[str, float] = {}
    for col in (*d.num, *d.den):
        if col.startswith("@"):
            fixed[col] = _fixed(session, col, vid, period)
    num_total = sum(fixed[c] for c in d.num if c in fixed)
    den_total = sum(fixed[c] for c in d.den if c in fixed)
    for source in sorted(needed):
        table, fn = ROWS[source]
        df = fn(session, w)
        if df.empty:
            continue
        num = sum((df[c.split(".")[1]] for c in d.num if c.startswith(source + ".")), pd.Series(0.0, index=df.index))
        den = sum((df[c.split(".")[1]] for c in d.den if c.startswith(source + ".")), pd.Series(0.0, index=df.index))
        part = pd.DataFrame({"table": table, "record_id": df["record_id"].astype(int), "day": df["day"].astype(str),
                             "what": df["what"].astype(str), "detail": df["detail"].astype(str),
                             "num": num.astype(float), "den": den.astype(float)})
        frames.append(part[(part["num"] != 0) | (part["den"] != 0)])
        num_total += float(num.sum())
        den_total += float(den.sum())
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RECORD_COLUMNS)
    capped = bool(d.cap and num_total > den_total)
    out.update(num=min(num_total, den_total) if capped else num_total, den=den_total, fixed=fixed, rows=rows,
               capped=capped, is_rate=BY_CODE[indicator_code].is_rate)
    return out
