"""Write services for the record kinds the indicators count and for department reports (SPEC §11, #18).

    add_record(session, actor=…, kind="party_meeting", village_id=…, values={…}, now=…)  → the new row's id
    submit_report(session, actor=…, village_id=…, period=…, indicator_code=…, value=…, now=…) → the new version

Each checks who may write (never the 大屏), the village against the actor's scope and every value (one clear
message, nothing written), adds the row and its 留痕 (`record_event`), and moves the numbers above it in the
same transaction through core.live (the village-month's indicator values, the rollups above, the month's
scores and ranks, the 领雁指数 of its secretaries). The caller commits.

A report's correction is a new version of (village, month, indicator): the latest counts, the older versions
stay readable (`report_versions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core.actors import Actor
from core.definitions import DEFINITIONS, Report
from core.errors import DomainError, NotFound, PermissionDenied
from core.indicators import BY_CODE
from core.live import codes_reading
from core.models import (
    AffairsPosting,
    AntiFraudVisit,
    DeptReport,
    KeyPerson,
    KeyPersonVisit,
    PartyMeeting,
    RecordEvent,
    Region,
    ReportBatch,
    SafetyInspection,
    Training,
    WasteCheck,
)
from core.record_sources import MONTHLY_MEETINGS, QUARTERLY_MEETINGS
from core.rollups import touch_village
from core.scope import Scope
from core.task_queries import dataset_window
from core.workflow import VILLAGE_CADRES


class RecordError(DomainError):
    """A record or report that cannot be entered as given (the message says which value and why)."""


#: Who enters records of a village: its cadres and grid workers, and the township's staff within scope.
RECORDERS = VILLAGE_CADRES | {"grid_worker", "town_admin", "town_party_deputy", "stationed_cadre", "line_cadre"}
#: Who enters a department's figures (the county's and the city's operators, a township for its own office).
REPORTERS = frozenset({"town_admin", "county_admin", "city_admin", "city_operator"})


@dataclass(frozen=True)
class Kind:
    """One record kind: its table, the date that places it in a month, its fields (name → type or choices)
    and the pairs where the first may not exceed the second (实到 ≤ 应到, …)."""

    model: Any
    label: str
    source: str  # the core.record_sources aggregation that counts it
    day: str
    fields: dict[str, Any]
    at_most: tuple[tuple[str, str], ...] = ()
    optional: tuple[str, ...] = ()


MEETING_KINDS = (*MONTHLY_MEETINGS, *QUARTERLY_MEETINGS, "theme_day")
KINDS: dict[str, Kind] = {
    "party_meeting": Kind(PartyMeeting, "三会一课/主题党日", "meeting", "held_on",
                          {"kind": MEETING_KINDS, "held_on": date, "expected": int, "attended": int},
                          (("attended", "expected"),)),
    "affairs_posting": Kind(AffairsPosting, "村务公开", "posting", "due_on",
                            {"item": str, "due_on": date, "posted_on": date}, optional=("posted_on",)),
    "training": Kind(Training, "党员教育培训", "training", "held_on",
                     {"topic": str, "held_on": date, "expected": int, "attended": int}, (("attended", "expected"),)),
    "safety_inspection": Kind(SafetyInspection, "安全/消防检查", "inspection", "inspected_on",
                              {"kind": ("fire", "safety"), "inspected_on": date, "premises_due": int,
                               "premises_checked": int, "hazards_found": int, "hazards_fixed": int},
                              (("premises_checked", "premises_due"), ("hazards_fixed", "hazards_found"))),
    "key_person_visit": Kind(KeyPersonVisit, "重点人员走访", "key_person", "visited_on", {"key_person_id": int, "visited_on": date}),
    "anti_fraud_visit": Kind(AntiFraudVisit, "反诈宣传", "fraud", "held_on",
                             {"form": ("door", "session"), "held_on": date, "households_reached": int}),
    "waste_check": Kind(WasteCheck, "垃圾分类抽查", "waste", "checked_on",
                        {"checked_on": date, "households_checked": int, "households_passed": int},
                        (("households_passed", "households_checked"),)),
}


#: The fields' names in messages.
FIELD_LABELS = {"kind": "类别", "held_on": "日期", "expected": "应到人数", "attended": "实到人数", "item": "公开事项",
                "due_on": "应公开日期", "posted_on": "公开日期", "topic": "主题", "inspected_on": "检查日期",
                "premises_due": "应查场所数", "premises_checked": "已查场所数", "hazards_found": "发现隐患数",
                "hazards_fixed": "已整改隐患数", "key_person_id": "重点人员", "visited_on": "走访日期",
                "form": "形式", "households_reached": "覆盖户数", "checked_on": "抽查日期",
                "households_checked": "抽查户数", "households_passed": "合格户数"}


def _name(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _check_writer(actor: Actor, roles: frozenset[str], what: str, village_id: int) -> None:
    actor.check_may_write()  # 大屏 / read-only accounts: one message on every write path
    if actor.role not in roles:
        raise PermissionDenied(f"{actor.name} 无权{what}")
    actor.scope.check(int(village_id))


def _village(session: Session, village_id: int) -> Region:
    region = session.get(Region, int(village_id))
    if region is None or region.level != "village":
        raise NotFound(f"没有村社 {village_id}")
    return region


def _value(kind: Kind, name: str, spec: Any, raw: Any) -> Any:
    label = f"{kind.label}的{_name(name)}"
    if spec is date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise RecordError(f"{label} 须为日期（YYYY-MM-DD），收到 {raw!r}") from None
    if spec is int:
        try:
            n = int(raw)
        except (TypeError, ValueError):
            raise RecordError(f"{label} 须为整数，收到 {raw!r}") from None
        if n < 0 or n != float(raw):
            raise RecordError(f"{label} 须为非负整数，收到 {raw!r}")
        return n
    if isinstance(spec, tuple):
        if raw not in spec:
            raise RecordError(f"{label} 须为 {'、'.join(spec)} 之一，收到 {raw!r}")
        return raw
    text = str(raw or "").strip()
    if not text or len(text) > 32:
        raise RecordError(f"{label} 须为 1–32 个字")
    return text


def _checked(session: Session, kind: Kind, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    unknown = set(values) - set(kind.fields)
    if unknown:
        raise RecordError(f"{kind.label}没有字段 {'、'.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for name, spec in kind.fields.items():
        raw = values.get(name)
        if raw is None or raw == "":
            if name in kind.optional:
                out[name] = None
                continue
            raise RecordError(f"{kind.label}缺少{_name(name)}")
        out[name] = _value(kind, name, spec, raw)
    for small, big in kind.at_most:
        if out[small] > out[big]:
            raise RecordError(f"{kind.label}的{_name(small)}（{out[small]}）不能大于{_name(big)}（{out[big]}）")
    first, as_of = dataset_window(session)
    for name, spec in kind.fields.items():
        if spec is date and out[name] is not None and not first <= out[name] <= max(as_of, now.date()):
            raise RecordError(f"{kind.label}的{_name(name)}（{out[name]}）不在数据期间 {first} 至 {max(as_of, now.date())} 内")
    return out


def _period(day: date) -> int:
    return day.year * 100 + day.month


def add_record(session: Session, *, actor: Actor, kind: str, village_id: int, values: dict[str, Any],
               now: datetime, note: str | None = None) -> int:
    """Enter one record of `kind` (KINDS) for a village; returns its id. The month it counts in moves at once."""
    if kind not in KINDS:
        raise RecordError(f"没有记录类型 {kind!r}（可选：{'、'.join(KINDS)}）")
    spec = KINDS[kind]
    _check_writer(actor, RECORDERS, f"登记{spec.label}", village_id)
    _village(session, village_id)
    row = _checked(session, spec, values, now)
    if kind == "key_person_visit":
        person = session.get(KeyPerson, row["key_person_id"])
        if person is None or int(person.village_id) != int(village_id):
            raise NotFound(f"本村没有重点人员 {row['key_person_id']}")
        row["visitor_id"] = actor.person_id
    if kind == "party_meeting":
        row["recorded_by"] = actor.person_id
    record = spec.model(village_id=int(village_id), **row)
    session.add(record)
    session.flush()
    session.add(RecordEvent(kind=kind, record_id=int(record.id), village_id=int(village_id), at=now,
                            actor_id=actor.person_id, action="add", note=(note or None) and note[:256]))
    session.flush()
    periods = {_period(row[spec.day])}
    if kind == "affairs_posting" and row["posted_on"] is not None:
        periods.add(_period(row["posted_on"]))
    touch_village(session, int(village_id), periods, now=now, cause=f"{kind}:{record.id}",
                  codes=codes_reading(spec.source))
    return int(record.id)


def submit_report(session: Session, *, actor: Actor, village_id: int, period: int, indicator_code: str,
                  value: float | None = None, numerator: float | None = None, denominator: float | None = None,
                  now: datetime, source_name: str = "表单填报", note: str | None = None) -> int:
    """A department's figure of a reported indicator for one village and month; returns the version written
    (1, or the next one: a correction keeps the earlier versions as history). A rate is given as numerator and
    denominator (its value is computed); a count or score as `value`."""
    d = DEFINITIONS.get(indicator_code)
    if not isinstance(d, Report):
        raise RecordError(f"指标 {indicator_code!r} 不是部门报送指标")
    _check_writer(actor, REPORTERS, f"报送{BY_CODE[indicator_code].name_zh}", village_id)
    _village(session, village_id)
    first, as_of = dataset_window(session)
    if not isinstance(period, int) or not _period(first) <= period <= _period(as_of):
        raise RecordError(f"月份 {period!r} 不在数据期间 {_period(first)}–{_period(as_of)} 内")
    ind = BY_CODE[indicator_code]
    try:
        num = None if numerator is None else float(numerator)
        den = None if denominator is None else float(denominator)
        val = None if value is None else float(value)
    except (TypeError, ValueError):
        raise RecordError("报送数值须为数字") from None
    if ind.is_rate and d.den_text[0]:
        if num is None or den is None:
            raise RecordError(f"{ind.name_zh}须填写{d.num_text[0]}和{d.den_text[0]}")
        if num < 0 or den <= 0:
            raise RecordError(f"{ind.name_zh}的{d.num_text[0]}须不小于 0，{d.den_text[0]}须大于 0")
        val = num / den * ind.scale
    elif val is None or val < 0:
        raise RecordError(f"{ind.name_zh}须填写不小于 0 的数值")
    r = DeptReport.__table__.c
    last = session.execute(sa.select(sa.func.max(r.version)).where(
        r.village_id == int(village_id), r.period == int(period), r.indicator_code == indicator_code)).scalar()
    version = int(last or 0) + 1
    batch = ReportBatch(department=d.department[0][:32], submitted_by=actor.person_id, submitted_name=actor.name[:32],
                        submitted_at=now, source_kind="form", source_name=source_name[:128])
    session.add(batch)
    session.flush()
    report = DeptReport(village_id=int(village_id), period=int(period), indicator_code=indicator_code, version=version,
                        value=round(float(val), 4), numerator=None if num is None else round(num, 4),
                        denominator=den, batch_id=int(batch.id),  # type: ignore[arg-type]
                        note=(note or ("更正" if version > 1 else ""))[:128] or None)
    session.add(report)
    session.flush()
    session.add(RecordEvent(kind="dept_report", record_id=int(report.id), village_id=int(village_id), at=now,  # type: ignore[arg-type]
                            actor_id=actor.person_id, action="correct" if version > 1 else "report",
                            note=f"{indicator_code} {period} 第{version}版"))
    session.flush()
    touch_village(session, int(village_id), {int(period)}, now=now, cause=f"dept_report:{report.id}",
                  codes=(indicator_code,))
    return version


def report_versions(session: Session, scope: Scope, village_id: int, period: int, indicator_code: str) -> list[dict]:
    """Every version of one village-month's report of an indicator, latest first, with its batch (who, when,
    from what); the first row is the one that counts."""
    scope.check(int(village_id))
    r, b = DeptReport.__table__.c, ReportBatch.__table__.c
    rows = session.execute(
        sa.select(r.version, r.value, r.numerator, r.denominator, r.note, r.source_row, b.department, b.submitted_name,
                  b.submitted_at, b.source_kind, b.source_name)
        .join_from(DeptReport.__table__, ReportBatch.__table__, b.id == r.batch_id)
        .where(r.village_id == int(village_id), r.period == int(period), r.indicator_code == indicator_code)
        .order_by(r.version.desc())).mappings()
    return [dict(x) for x in rows]
