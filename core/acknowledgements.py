"""预警确认 (知道了): the alerts that need a leader's attention, and who acknowledged which of them.

A *leader alert* is either an open task overdue at the top escalation level (`BigScreenConfig.
flash_task_levels`, by default 升级·县: more than `escalate_county_after` days overdue) or a recent
事件预警 (`core.appeal_warnings`) of a flashing kind. Each has a stable key:

    task:<task_id>:<level>                                   (a task that escalates again flashes again)
    warning:<kind>:<village_id>:<grid_id|->:<category|->:<window_start>

`acknowledge()` is the write: it records one `AlertAck` row per alert (who, which alert, when, for
which scope) and, for a task alert, a `TaskEvent` "acknowledge" in the task's timeline. An ack made
with scope S silences the alert for every viewer whose own scope root lies inside S; a viewer above
S (a county screen when a township leader acknowledged) still sees it flash. Read-only accounts (the
大屏 role `screen_viewer`) may look but never acknowledge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.config import get_settings
from core.early_warning import EarlyWarning
from core.errors import DomainError, PermissionDenied
from core.models import AlertAck, Person, Region, TaskEvent
from core.scope import Scope
from core.task_alerts import AlertFilters, alerts
from core.wall_stats import child_ids
from core.warning_feed import all_warnings

ACK_ACTION = "acknowledge"
#: Catalog key of the refusal shown to a read-only account (core.i18n; the message below is its zh text).
READ_ONLY_KEY = "bigscreen.ack.read_only"


class ReadOnlyAccount(PermissionDenied):
    """A read-only (大屏) account tried to acknowledge an alert."""

    key = READ_ONLY_KEY

    def __init__(self) -> None:
        super().__init__("只读大屏账号不能确认预警，请由领导账号点「知道了」。")


@dataclass(frozen=True)
class LeaderAlert:
    """One alert that needs a leader's attention, with the facts a screen shows about it."""

    key: str
    kind: str  # "task" | "warning"
    region_id: int  # the village the alert is about
    severity: str  # task level (county/town/…) or warning kind (burst/high/…)
    title: str  # task title, or the warning's category
    village: str
    days_overdue: int | None = None
    task_id: int | None = None
    owner: str | None = None
    count: float | None = None  # warnings: observed count in the window
    baseline: float | None = None
    window_end: date | None = None


@dataclass(frozen=True)
class AlertGroup:
    """Unacknowledged alerts of one region (a child of the viewer's root) and one kind: "越城区 · 12 项升级至县"."""

    region_id: int
    kind: str  # "task" | "warning"
    severity: str  # task level (county/town) or warning kind (burst/high/chronic/new)
    n: int


@dataclass(frozen=True)
class LastAck:
    """The newest acknowledgement that holds for a viewer: who pressed 知道了, when, and how many alerts it covered."""

    at: datetime
    person: str
    n: int


def group_alerts(items: Sequence[LeaderAlert], level: str) -> list[AlertGroup]:
    """`items` counted per child region of a `level` root (a county screen: per township) and per kind and
    severity; most alerts first, then region id. The counts add up to len(items)."""
    if not items:
        return []
    import pandas as pd  # local: the rest of this module works on plain rows

    frame = pd.DataFrame({"village": [int(a.region_id) for a in items], "kind": [a.kind for a in items],
                          "severity": [a.severity for a in items]})
    frame["region"] = child_ids(frame["village"], level)
    g = frame.groupby(["region", "kind", "severity"]).size().reset_index(name="n")
    g = g.sort_values(["n", "region", "kind", "severity"], ascending=[False, True, True, True])
    return [AlertGroup(region_id=int(r.region), kind=str(r.kind), severity=str(r.severity), n=int(r.n))
            for r in g.itertuples()]


def task_key(task_id: int, level: str) -> str:
    """Key of an overdue-task alert at one escalation level."""
    return f"task:{int(task_id)}:{level}"


def warning_key(w: EarlyWarning) -> str:
    """Key of an early warning: kind, place, category and the start of its window."""
    grid = "-" if w.grid_id is None else str(int(w.grid_id))
    return f"warning:{w.kind}:{int(w.village_id)}:{grid}:{w.category or '-'}:{w.window_start:%Y-%m-%d}"


def task_alerts(session: Session, scope: Scope, as_of: date | None = None,
                levels: Sequence[str] | None = None) -> list[LeaderAlert]:
    """Open tasks in scope overdue at the flashing levels, newest escalation first (least overdue of them)."""
    levels = tuple(levels or get_settings().big_screen.flash_task_levels)
    df = alerts(session, scope, as_of, filters=AlertFilters(levels=levels))
    rows = df.sort_values(["days_overdue", "task_id"], ascending=[True, False]).itertuples()
    return [LeaderAlert(key=task_key(r.task_id, r.level), kind="task", region_id=int(r.village_id),
                        severity=str(r.level), title=str(r.title), village=str(r.village or ""),
                        days_overdue=int(r.days_overdue), task_id=int(r.task_id), owner=r.owner)
            for r in rows]


def warning_alerts(warnings: Iterable[EarlyWarning], village_names: dict[int, str], as_of: date,
                   kinds: Sequence[str] | None = None, recent_days: int | None = None) -> list[LeaderAlert]:
    """The early warnings of flashing kinds whose window ended within `recent_days` of as_of, newest first."""
    cfg = get_settings().big_screen
    kinds = tuple(kinds or cfg.flash_warning_kinds)
    since = as_of - timedelta(days=cfg.flash_warning_days if recent_days is None else recent_days)
    found = sorted((w for w in warnings if w.kind in kinds and w.window_end > since),
                   key=lambda w: (w.window_end, w.score), reverse=True)
    return [LeaderAlert(key=warning_key(w), kind="warning", region_id=int(w.village_id), severity=w.kind,
                        title=w.category or "", village=village_names.get(int(w.village_id), ""),
                        count=float(w.count), baseline=float(w.baseline), window_end=w.window_end)
            for w in found]


def recent_warning_alerts(session: Session, scope: Scope, as_of: date | None = None) -> list[LeaderAlert]:
    """`warning_alerts` over every early warning of the scope (core.warning_feed.all_warnings), with village names."""
    as_of = as_of or get_settings().as_of
    found = all_warnings(session, scope, as_of)
    ids = sorted({int(w.village_id) for w in found})
    names = dict(session.execute(sa.select(col(Region.id), col(Region.name)).where(col(Region.id).in_(ids))).all()) if ids else {}
    return warning_alerts(found, names, as_of)


def acknowledged_keys(session: Session, scope: Scope, keys: Iterable[str] | None = None) -> set[str]:
    """Keys acknowledged for a viewer with `scope`: acks whose scope contains the viewer's scope root."""
    stmt = sa.select(col(AlertAck.alert_key)).where(col(AlertAck.scope_region_id) <= scope.region_id,
                                               col(AlertAck.scope_hi) >= scope.region_id,
                                               col(AlertAck.region_id).between(scope.lo, scope.hi))
    wanted = None if keys is None else set(keys)
    if wanted is not None and len(wanted) <= 500:
        stmt = stmt.where(col(AlertAck.alert_key).in_(sorted(wanted)))
    found = {k for (k,) in session.execute(stmt).tuples().all()}
    return found if wanted is None else found & wanted


def pending(session: Session, scope: Scope, found: Sequence[LeaderAlert]) -> list[LeaderAlert]:
    """The alerts of `found` not yet acknowledged for `scope`, in the same order."""
    done = acknowledged_keys(session, scope, (a.key for a in found))
    return [a for a in found if a.key not in done]


def acknowledge(session: Session, *, actor: Actor, scope: Scope, items: Sequence[LeaderAlert],
                now: datetime) -> int:
    """知道了: record that `actor` acknowledged `items` for `scope`; returns how many were new.

    Refuses read-only accounts (ReadOnlyAccount) and anything outside the actor's scope (ScopeError)
    before writing. Acknowledging an alert already acknowledged for the same scope writes nothing.
    Call inside a write transaction (`session_scope(engine, write=True)`) or commit afterwards.
    """
    if not actor.may_write:
        raise ReadOnlyAccount()
    if not (actor.scope.lo <= scope.lo and scope.hi <= actor.scope.hi):
        actor.scope.check(-1)  # raises ScopeError: the viewer's scope reaches outside the actor's
    for item in items:
        scope.check(item.region_id)
        if item.kind not in ("task", "warning"):
            raise DomainError(f"未知预警类型：{item.kind}")
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})
    have = acknowledged_exact(session, scope, [i.key for i in items])
    new = [i for i in dict((i.key, i) for i in items).values() if i.key not in have]
    for item in new:
        session.add(AlertAck(alert_key=item.key[:96], kind=item.kind, region_id=item.region_id,
                             task_id=item.task_id, scope_region_id=scope.region_id, scope_hi=scope.hi,
                             person_id=actor.person_id, at=now))
        if item.task_id is not None:
            session.add(TaskEvent(task_id=item.task_id, at=now, actor_id=actor.person_id, action=ACK_ACTION,
                                  note=f"预警确认（{item.severity}）"))
    session.flush()
    return len(new)


def acknowledged_exact(session: Session, scope: Scope, keys: Sequence[str]) -> set[str]:
    """Keys already acknowledged with exactly this scope root (the unique pair of an AlertAck)."""
    if not keys:
        return set()
    rows = session.execute(sa.select(col(AlertAck.alert_key)).where(col(AlertAck.scope_region_id) == scope.region_id,
                                                            col(AlertAck.alert_key).in_(sorted(set(keys))))).tuples().all()
    return {k for (k,) in rows}


def acknowledgements(session: Session, scope: Scope, limit: int = 100) -> list[AlertAck]:
    """The newest acks made inside `scope` (who acknowledged which alert and when), newest first."""
    return list(session.execute(sa.select(AlertAck).where(col(AlertAck.region_id).between(scope.lo, scope.hi))
                             .order_by(col(AlertAck.at).desc(), col(AlertAck.id).desc()).limit(limit)).scalars())


def last_acknowledgement(session: Session, scope: Scope) -> LastAck | None:
    """The newest 知道了 that holds for a viewer with `scope` (same rule as `acknowledged_keys`): when,
    by whom, and how many alerts that press acknowledged; None when nobody has acknowledged yet."""
    holds = (col(AlertAck.scope_region_id) <= scope.region_id, col(AlertAck.scope_hi) >= scope.region_id,
             col(AlertAck.region_id).between(scope.lo, scope.hi))
    row = session.execute(sa.select(col(AlertAck.at), col(AlertAck.person_id)).where(*holds)
                          .order_by(col(AlertAck.at).desc(), col(AlertAck.id).desc()).limit(1)).first()
    if row is None:
        return None
    at, person_id = row
    name = session.execute(sa.select(col(Person.name)).where(col(Person.id) == person_id)).scalar() or ""
    n = session.execute(sa.select(sa.func.count()).where(*holds, col(AlertAck.at) == at,
                                                         col(AlertAck.person_id) == person_id)).scalar() or 0
    return LastAck(at=cast(datetime, at), person=str(name), n=int(n))
