"""议事决策 compliance (SPEC §6): "五议两公开" steps done in order, none skipped, closed within the limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.config import WarningConfig, get_settings
from core.early_warning import EarlyWarning, evidence
from core.enums import DECISION_STEPS
from core.models import Decision, DecisionStep, Region, RollupDecisionCheck
from core.scope import Scope


@dataclass(frozen=True)
class StepCheck:
    """What is wrong with one decision's steps: the skipped step numbers and the first out-of-order pair."""

    skipped: tuple[int, ...]
    reordered: tuple[int, int] | None


def check_steps(steps_in_order: list[int]) -> StepCheck:
    """Skipped steps (missing below the highest step done) and the first step done before a lower one."""
    done = set(steps_in_order)
    top = max(done, default=0)
    skipped = tuple(s for s in range(1, top + 1) if s not in done)
    reordered = None
    for a, b in zip(steps_in_order, steps_in_order[1:], strict=False):
        if b < a:
            reordered = (a, b)
            break
    return StepCheck(skipped, reordered)


_PREFIXES = {tuple(range(1, k + 1)) for k in range(len(DECISION_STEPS) + 1)}
_IN_ORDER = StepCheck((), None)


def _steps_in_order(session: Session, where) -> dict[int, tuple[int, ...]]:
    """decision id → step numbers in the order done (packed here: SQL string aggregates differ by dialect)."""
    rows = session.connection().execute(  # Core rows, not ORM loading: ~7 steps per decision
        sa.select(col(DecisionStep.decision_id), col(DecisionStep.step))
        .join(Decision, col(Decision.id) == DecisionStep.decision_id).where(*where)
        .order_by(col(DecisionStep.decision_id), col(DecisionStep.seq)))
    packed: dict[int, list[int]] = {}
    for did, step in rows:
        packed.setdefault(did, []).append(step)
    return {did: tuple(steps) for did, steps in packed.items()}


#: Scopes that check their decisions' steps live (a few hundred decisions); wider ones read rollup_decision_check.
LIVE_LEVELS = ("village", "township")
COLUMNS = ["decision_id", "village_id", "village", "title", "opened_on", "closed_on", "days_open", "steps", "skipped",
           "reordered", "issues", "compliant"]


def decision_table(session: Session, scope: Scope, as_of: date | None = None, cfg: WarningConfig | None = None, *,
                   limit: int | None = None, problems_only: bool = False) -> pd.DataFrame:
    """Decisions of the scope with their steps in the order done, days open and issues: problems first,
    then newest first (at most `limit` rows; only non-compliant ones with `problems_only`)."""
    as_of = as_of or get_settings().as_of
    cfg = cfg or get_settings().warnings
    if scope.level in LIVE_LEVELS:
        frame = _live_table(session, scope, as_of, cfg)
        frame = frame[~frame.compliant] if problems_only else frame
        return (frame if limit is None else frame.head(limit)).reset_index(drop=True)
    return _stored_table(session, scope, as_of, cfg, limit, problems_only)


def decision_summary(session: Session, scope: Scope, as_of: date | None = None,
                     cfg: WarningConfig | None = None) -> dict[str, int]:
    """How many decisions the scope has (opened by as_of) and how many of them are not compliant."""
    as_of = as_of or get_settings().as_of
    cfg = cfg or get_settings().warnings
    if scope.level in LIVE_LEVELS:
        frame = _live_table(session, scope, as_of, cfg)
        return {"total": len(frame), "problems": int((~frame.compliant).sum())}
    c = RollupDecisionCheck.__table__.c
    problem = _stored_problem(c, as_of, cfg)
    total, bad = session.connection().execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((problem, 1), else_=0)), 0))
        .where(c.village_id.between(scope.lo, scope.hi), c.opened_on <= as_of)).tuples().one()
    return {"total": int(total), "problems": int(bad)}


def _stored_problem(c, as_of: date, cfg: WarningConfig):
    """Not compliant: a step skipped or out of order, or open (or closed) past the limit — plain comparisons
    per row (an open decision is late once opened before as_of − limit), no date arithmetic."""
    cutoff = as_of - timedelta(days=cfg.decision_limit_days)
    late = sa.case((c.closed_on.is_(None), c.opened_on < cutoff), else_=c.days_taken > cfg.decision_limit_days)
    return sa.or_(c.flawed, late)


def _issues(skipped: tuple, reordered: tuple | None, days: int, cfg: WarningConfig) -> tuple[str, ...]:
    issues = (["skipped_step"] if skipped else []) + (["reordered_step"] if reordered else [])
    return tuple(issues + (["overdue"] if days > cfg.decision_limit_days else []))


def _row(did, vid, vname, title, opened, closed, days, order, chk: StepCheck, cfg: WarningConfig) -> dict:
    issues = _issues(chk.skipped, chk.reordered, days, cfg)
    return {"decision_id": int(did), "village_id": int(vid), "village": vname, "title": title, "opened_on": opened,
            "closed_on": closed, "days_open": int(days), "steps": tuple(order), "skipped": chk.skipped,
            "reordered": chk.reordered, "issues": issues, "compliant": not issues}


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Problems first, then the newest opened, then by id."""
    frame = frame.assign(_ok=frame.compliant.astype(bool))
    return frame.sort_values(["_ok", "opened_on", "decision_id"], ascending=[True, False, True],
                             ignore_index=True).drop(columns="_ok")


def _live_table(session: Session, scope: Scope, as_of: date, cfg: WarningConfig) -> pd.DataFrame:
    in_scope = (col(Decision.village_id).between(scope.lo, scope.hi), col(Decision.opened_on) <= as_of)
    steps = _steps_in_order(session, in_scope)  # the scope's decisions only: no full scan
    rows = session.connection().execute(
        sa.select(col(Decision.id), col(Decision.village_id), col(Region.name), col(Decision.title), col(Decision.opened_on), col(Decision.closed_on))
        .join(Region, col(Region.id) == Decision.village_id).where(*in_scope)).all()
    out = []
    for did, vid, vname, title, opened, closed in rows:
        order = steps.get(cast(int, did), ())
        out.append(_row(did, vid, vname, title, opened, closed, ((closed or as_of) - opened).days, order,
                        _IN_ORDER if order in _PREFIXES else check_steps(list(order)), cfg))
    return _ordered(pd.DataFrame(out, columns=COLUMNS))


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text else ()


def _stored_table(session: Session, scope: Scope, as_of: date, cfg: WarningConfig, limit: int | None,
                  problems_only: bool) -> pd.DataFrame:
    """Problems (a scan of the scope's checks, few rows to sort), then — up to `limit` — the newest compliant
    ones (walked on the opened_on index): no sort of every decision of a province."""
    c = RollupDecisionCheck.__table__.c
    problem = _stored_problem(c, as_of, cfg)
    stmt = (sa.select(c.decision_id, c.village_id, col(Region.name), col(Decision.title), c.opened_on, c.closed_on,
                      c.steps, c.skipped, c.reordered)
            .join(Decision, col(Decision.id) == c.decision_id).join(Region, col(Region.id) == c.village_id)
            .where(c.village_id.between(scope.lo, scope.hi), c.opened_on <= as_of)
            .order_by(c.opened_on.desc(), c.decision_id))
    rows = list(session.connection().execute(stmt.where(problem).limit(limit)).tuples())
    if not problems_only and (limit is None or len(rows) < limit):
        rest = stmt.where(sa.not_(problem))
        rows += list(session.connection().execute(rest if limit is None else rest.limit(limit - len(rows))).tuples())
    out = []
    for did, vid, vname, title, opened, closed, steps, skipped, reordered in rows:
        pair = _numbers(reordered)
        out.append(_row(did, vid, vname, title, opened, closed, ((closed or as_of) - opened).days, _numbers(steps),
                        StepCheck(_numbers(skipped), cast(tuple[int, int], pair) if pair else None), cfg))
    return pd.DataFrame(out, columns=COLUMNS)


def store_decision_checks(conn: sa.Connection) -> int:
    """(Re)write rollup_decision_check from every decision's raw steps (generator, rebuild); rows written."""
    table = RollupDecisionCheck.__table__
    conn.execute(table.delete())
    session = Session(bind=conn)
    steps = _steps_in_order(session, ())
    rows = []
    for did, vid, opened, closed in conn.execute(sa.select(col(Decision.id), col(Decision.village_id), col(Decision.opened_on),
                                                            col(Decision.closed_on)).order_by(col(Decision.id))):
        did = cast(int, did)  # a stored row's primary key
        order = steps.get(did, ())
        chk = _IN_ORDER if order in _PREFIXES else check_steps(list(order))
        rows.append({"decision_id": int(did), "village_id": int(vid), "opened_on": opened, "closed_on": closed,
                     "days_taken": (closed - opened).days if closed is not None else None,
                     "steps": ",".join(map(str, order)), "skipped": ",".join(map(str, chk.skipped)),
                     "reordered": ",".join(map(str, chk.reordered or ())), "flawed": bool(chk.skipped or chk.reordered)})
    for i in range(0, len(rows), 5000):
        conn.execute(table.insert(), rows[i:i + 5000])
    return len(rows)


def decision_warnings(session: Session, scope: Scope, as_of: date | None = None,
                      cfg: WarningConfig | None = None) -> list[EarlyWarning]:
    """One warning per issue of each non-compliant decision (跳步, 顺序颠倒, 超期), with the steps as evidence."""
    as_of = as_of or get_settings().as_of
    cfg = cfg or get_settings().warnings
    table = decision_table(session, scope, as_of, cfg, problems_only=True)
    out = []
    for r in table.itertuples():
        end = r.closed_on or as_of
        for issue in r.issues:
            if issue == "skipped_step":
                test, score = evidence("warning_test.decision_skipped", steps=[int(s) for s in r.skipped]), float(len(r.skipped))
            elif issue == "reordered_step":
                test, score = evidence("warning_test.decision_reordered", first=int(r.reordered[0]),
                                         second=int(r.reordered[1])), 1.0
            else:
                test = evidence("warning_test.decision_overdue", days=int(r.days_open), limit=cfg.decision_limit_days)
                score = float(r.days_open)
            out.append(EarlyWarning(f"decision_{issue}", r.village_id, None, None, r.opened_on, end,
                                    float(len(r.steps)), 7.0, test,
                                    float(cfg.decision_limit_days if issue == "overdue" else 0), score,
                                    r.steps, decision_id=r.decision_id, note=r.title))
    return out
