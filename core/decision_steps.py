"""议事决策 services (SPEC §6): a village opens a major matter and records its "五议两公开" steps.

A step is recorded as it happened (the day it was done, the minutes, optionally attachments). Steps are
not refused for being out of order: a skipped or reordered step is exactly what the 议事决策 warning must
show the discipline office, so the record keeps it and the check (core.decisions) flags it. Recording
step 7 (实施结果公开) closes the decision. Each call appends one `DecisionEvent` and keeps the stored check
(rollup_decision_check) of the decision current. Call inside `session_scope(engine, write=True)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core import attachments
from core.actors import Actor
from core.decisions import check_steps
from core.enums import DECISION_STEPS
from core.errors import DomainError, NotFound, PermissionDenied
from core.live import codes_reading
from core.models import Decision, DecisionEvent, DecisionStep, Person, RollupDecisionCheck
from core.rollups import touch_village
from core.scope import Scope

VILLAGE_CADRES = frozenset({"village_secretary", "village_committee", "village_admin"})
LIMIT_DAYS = 90


def _lock(session: Session) -> None:
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


def _village_cadre(actor: Actor, village_id: int, what: str) -> None:
    actor.check_may_write()
    actor.scope.check(village_id)
    if actor.role not in VILLAGE_CADRES or actor.region_id != village_id:
        raise PermissionDenied(f"{actor.name}无权{what}（仅本村社两委干部）")


def open_decision(session: Session, *, actor: Actor, title: str, opened_on: date, now: datetime,
                  note: str | None = None) -> Decision:
    """A new 议事决策 of the actor's own village, opened on `opened_on`; returns it."""
    _lock(session)
    _village_cadre(actor, actor.region_id, "发起议事决策")
    if not (title or "").strip():
        raise DomainError("请填写议事事项名称")
    if opened_on > now.date():
        raise DomainError("发起日期不能晚于今天")
    decision = Decision(village_id=actor.region_id, title=title.strip()[:128], opened_on=opened_on, limit_days=LIMIT_DAYS)
    session.add(decision)
    session.flush()
    session.add(DecisionEvent(decision_id=cast(int, decision.id), step=None, at=now, actor_id=actor.person_id,
                              action="open", note=(note or "").strip()[:512] or None))
    _refresh_check(session, decision)
    return decision


def record_step(session: Session, *, actor: Actor, decision_id: int, step: int, done_on: date, now: datetime,
                minutes: str | None = None, files: Sequence[tuple[str, bytes]] = ()) -> DecisionStep:
    """Record one "五议两公开" step (1–7) done on `done_on`, with minutes or attachments; step 7 closes it."""
    _lock(session)
    actor.check_may_write()
    decision = session.get(Decision, decision_id, populate_existing=True, with_for_update=True)
    if decision is None:
        raise NotFound(f"议事决策 {decision_id} 不存在")
    _village_cadre(actor, decision.village_id, "记录议事步骤")
    if decision.closed_on is not None:
        raise DomainError(f"议事决策「{decision.title}」已办结，不能再记录步骤")
    if int(step) not in range(1, len(DECISION_STEPS) + 1):
        raise DomainError("步骤须为 1–7（五议两公开）")
    if not (minutes or "").strip() and not files:
        raise DomainError("请填写会议纪要或上传附件")
    if done_on > now.date() or done_on < decision.opened_on:
        raise DomainError(f"办理日期须在发起日期（{decision.opened_on:%Y-%m-%d}）与今天之间")
    attachments.check_files(files)  # before anything is written
    done = session.execute(sa.select(col(DecisionStep.step), col(DecisionStep.seq))
                           .where(col(DecisionStep.decision_id) == decision_id)).tuples().all()
    if any(s == int(step) for s, _ in done):
        raise DomainError(f"「{DECISION_STEPS[int(step) - 1]}」已记录过")
    row = DecisionStep(decision_id=int(decision_id), step=int(step), seq=max((q for _, q in done), default=0) + 1,
                       done_on=done_on)
    session.add(row)
    if int(step) == len(DECISION_STEPS):
        decision.closed_on = done_on
        session.add(decision)
    session.flush()
    session.add(DecisionEvent(decision_id=int(decision_id), step=int(step), at=now, actor_id=actor.person_id,
                              action="step", note=(minutes or "").strip()[:512] or None))
    if files:
        attachments.store_files("decision_step", cast(int, row.id), files, person_id=actor.person_id, now=now)
    _refresh_check(session, decision)
    if decision.closed_on is not None:  # “五议两公开”规范率 counts a decision in the month it closed (core.live)
        touch_village(session, decision.village_id, {done_on.year * 100 + done_on.month}, now=now,
                      cause=f"decision:{decision.id}", codes=codes_reading("decision"))
    return row


def _refresh_check(session: Session, decision: Decision) -> None:
    """Rewrite the decision's stored step check (what wide scopes read) from its steps."""
    session.flush()
    stmt = sa.select(col(DecisionStep.step)).where(col(DecisionStep.decision_id) == decision.id).order_by(col(DecisionStep.seq))
    order = [int(row[0]) for row in session.execute(stmt).tuples()]
    chk = check_steps(order)
    table = RollupDecisionCheck.__table__
    conn = session.connection()
    conn.execute(table.delete().where(table.c.decision_id == decision.id))
    conn.execute(table.insert().values(
        decision_id=decision.id, village_id=decision.village_id, opened_on=decision.opened_on, closed_on=decision.closed_on,
        days_taken=(decision.closed_on - decision.opened_on).days if decision.closed_on else None,
        steps=",".join(map(str, order)), skipped=",".join(map(str, chk.skipped)),
        reordered=",".join(map(str, chk.reordered or ())), flawed=bool(chk.skipped or chk.reordered)))


def decision_log(session: Session, scope: Scope, decision_id: int) -> pd.DataFrame:
    """The 议事留痕 of one decision of the scope (empty outside it): at, action, step, actor, note; oldest first."""
    rows = session.execute(
        sa.select(col(DecisionEvent.at), col(DecisionEvent.action), col(DecisionEvent.step), col(Person.name), col(DecisionEvent.note))
        .join(Decision, col(Decision.id) == DecisionEvent.decision_id).join(Person, col(Person.id) == DecisionEvent.actor_id)
        .where(col(DecisionEvent.decision_id) == decision_id, col(Decision.village_id).between(scope.lo, scope.hi))
        .order_by(col(DecisionEvent.id))).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["at", "action", "step", "actor", "note"])
