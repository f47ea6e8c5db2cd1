"""议事决策 compliance (SPEC §6): "五议两公开" steps done in order, none skipped, closed within the limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.config import WarningConfig, get_settings
from core.enums import DECISION_STEPS
from core.models import Decision, DecisionStep, Region
from core.scope import Scope
from core.warnings import EarlyWarning

ISSUE_LABEL = {"skipped_step": "跳步", "reordered_step": "顺序颠倒", "overdue": "超期"}


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


def _step_names(steps: list[int]) -> str:
    return " → ".join(DECISION_STEPS[s - 1] for s in steps if 1 <= s <= len(DECISION_STEPS))


def _steps_in_order(session: Session, where) -> dict[int, tuple[int, ...]]:
    """decision id → step numbers in the order done (packed here: SQL string aggregates differ by dialect)."""
    rows = session.connection().execute(  # Core rows, not ORM loading: ~7 steps per decision
        sa.select(DecisionStep.decision_id, DecisionStep.step)
        .join(Decision, Decision.id == DecisionStep.decision_id).where(*where)
        .order_by(DecisionStep.decision_id, DecisionStep.seq))
    packed: dict[int, list[int]] = {}
    for did, step in rows:
        packed.setdefault(did, []).append(step)
    return {did: tuple(steps) for did, steps in packed.items()}


def decision_table(session: Session, scope: Scope, as_of: date | None = None,
                   cfg: WarningConfig | None = None) -> pd.DataFrame:
    """Every decision of the scope with its steps in the order done, days open and issues (problems first)."""
    as_of = as_of or get_settings().as_of
    cfg = cfg or get_settings().warnings
    in_scope = (Decision.village_id.between(scope.lo, scope.hi), Decision.opened_on <= as_of)
    steps = _steps_in_order(session, in_scope)  # the scope's decisions only: no full scan
    rows = session.connection().execute(
        sa.select(Decision.id, Decision.village_id, Region.name, Decision.title, Decision.opened_on, Decision.closed_on)
        .join(Region, Region.id == Decision.village_id).where(*in_scope)).all()
    out = []
    for did, vid, vname, title, opened, closed in rows:
        order = steps.get(did, ())
        chk = _IN_ORDER if order in _PREFIXES else check_steps(list(order))
        days = ((closed or as_of) - opened).days
        issues = (["skipped_step"] if chk.skipped else []) + (["reordered_step"] if chk.reordered else [])
        if days > cfg.decision_limit_days:
            issues.append("overdue")
        out.append({"decision_id": int(did), "village_id": int(vid), "village": vname, "title": title,
                    "opened_on": opened, "closed_on": closed, "days_open": days, "steps": order,
                    "skipped": chk.skipped, "reordered": chk.reordered, "issues": tuple(issues),
                    "status": "、".join(ISSUE_LABEL[i] for i in issues) or "合规"})
    frame = pd.DataFrame(out, columns=["decision_id", "village_id", "village", "title", "opened_on", "closed_on",
                                       "days_open", "steps", "skipped", "reordered", "issues", "status"])
    return frame.sort_values(["status", "opened_on"], key=lambda s: s.eq("合规") if s.name == "status" else s,
                             ascending=[True, False], ignore_index=True)


def decision_warnings(session: Session, scope: Scope, as_of: date | None = None,
                      cfg: WarningConfig | None = None) -> list[EarlyWarning]:
    """One warning per issue of each non-compliant decision (跳步, 顺序颠倒, 超期), with the steps as evidence."""
    as_of = as_of or get_settings().as_of
    cfg = cfg or get_settings().warnings
    table = decision_table(session, scope, as_of, cfg)
    out = []
    for r in table[table.status != "合规"].itertuples():
        end = r.closed_on or as_of
        for issue in r.issues:
            if issue == "skipped_step":
                test, score = f"缺少：{_step_names(list(r.skipped))}", float(len(r.skipped))
            elif issue == "reordered_step":
                test, score = f"「{_step_names([r.reordered[0]])}」先于「{_step_names([r.reordered[1]])}」", 1.0
            else:
                test, score = f"办理{r.days_open}天，超过{cfg.decision_limit_days}天时限", float(r.days_open)
            out.append(EarlyWarning(f"decision_{issue}", r.village_id, None, None, r.opened_on, end,
                                    float(len(r.steps)), 7.0, "五议两公开顺序校验：" + test,
                                    float(cfg.decision_limit_days if issue == "overdue" else 0), score,
                                    r.steps, decision_id=r.decision_id, note=r.title))
    return out
