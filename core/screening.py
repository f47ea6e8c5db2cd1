"""过筛 (SPEC §5): the rule (a matter type off the 准入清单 is refused at dispatch) and its report
(dispatches refused, by dispatcher and by matter type)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.models import DispatchScreening, MatterType, Person, Region, Task, TaskEvent
from core.scope import Scope


def refusal_reason(matter: MatterType | None, code: str) -> str | None:
    """过筛: why a dispatch of matter `code` is refused (stored with the refusal), or None when the 准入清单 admits it."""
    if matter is None:
        return f"事项编码 {code} 不在准入清单内"
    if not matter.on_list:
        return off_list_reason(matter.name, matter.code, matter.level)
    return None


def off_list_reason(name: str, code: str, level: str) -> str:
    """The refusal of a known matter type that the 准入清单 of its level does not hold."""
    return f"事项「{name}」({code}) 不在{'村级' if level == 'village' else '镇级'}准入清单内"


@dataclass(frozen=True)
class ScreeningReport:
    """Screened-out counts in a scope and window, and the share of all dispatch attempts they make."""

    screened: int
    dispatched: int
    by_dispatcher: pd.DataFrame  # dispatcher_id, dispatcher, region, screened — most first
    by_matter: pd.DataFrame  # matter_code, matter, screened, reason — most first
    emergency: int  # tasks that took the 其他/加急 path (flagged for review)
    review_approved: int = 0  # emergency-path tasks the compliance review approved (合规审查通过)
    review_flagged: int = 0  # … and flagged as a problem (标记问题)

    @property
    def review_pending(self) -> int:
        """Emergency-path tasks still waiting for their compliance review."""
        return max(self.emergency - self.review_approved - self.review_flagged, 0)

    @property
    def share(self) -> float:
        """screened / (screened + dispatched), 0.0 when nothing was attempted."""
        total = self.screened + self.dispatched
        return self.screened / total if total else 0.0


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())


def screening_report(session: Session, scope: Scope, start: date, end: date) -> ScreeningReport:
    """过筛 report for dispatches to villages in scope between `start` and `end` (inclusive days)."""
    lo, hi = _window(start, end)
    in_scope = (col(DispatchScreening.village_id).between(scope.lo, scope.hi), col(DispatchScreening.at) >= lo,
                col(DispatchScreening.at) < hi)
    screened = int(session.execute(sa.select(sa.func.count()).where(*in_scope)).scalar() or 0)
    task_where = (col(Task.village_id).between(scope.lo, scope.hi), col(Task.dispatched_at) >= lo, col(Task.dispatched_at) < hi)
    dispatched, emergency = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((col(Task.emergency), 1), else_=0)), 0))
        .where(*task_where)).tuples().one()
    reviews = dict(session.execute(
        sa.select(col(TaskEvent.action), sa.func.count()).join(Task, col(Task.id) == TaskEvent.task_id)
        .where(*task_where, col(TaskEvent.action).in_(("review_ok", "review_flag"))).group_by(col(TaskEvent.action))).tuples().all())
    n = sa.func.count().label("screened")
    by_disp = session.execute(
        sa.select(col(DispatchScreening.dispatcher_id), col(Person.name).label("dispatcher"), col(Region.name).label("region"), n)
        .join(Person, col(Person.id) == DispatchScreening.dispatcher_id)
        .join(Region, col(Region.id) == DispatchScreening.dispatcher_region_id)
        .where(*in_scope).group_by(col(DispatchScreening.dispatcher_id), Person.name, Region.name)
        .order_by(n.desc(), col(DispatchScreening.dispatcher_id))).all()
    by_matter = session.execute(
        sa.select(col(DispatchScreening.matter_code), sa.func.coalesce(col(MatterType.name), "（未知编码）").label("matter"), n,
                  sa.func.min(col(DispatchScreening.reason)).label("reason"))
        .outerjoin(MatterType, col(MatterType.id) == DispatchScreening.matter_type_id)
        .where(*in_scope).group_by(DispatchScreening.matter_code, MatterType.name)
        .order_by(n.desc(), DispatchScreening.matter_code)).all()
    return ScreeningReport(
        screened=screened, dispatched=int(dispatched or 0), emergency=int(emergency or 0),
        review_approved=int(reviews.get("review_ok", 0)), review_flagged=int(reviews.get("review_flag", 0)),
        by_dispatcher=pd.DataFrame([tuple(r) for r in by_disp], columns=["dispatcher_id", "dispatcher", "region", "screened"]),
        by_matter=pd.DataFrame([tuple(r) for r in by_matter], columns=["matter_code", "matter", "screened", "reason"]),
    )
