"""考核规则 (因镇制宜): the versioned scoring rule in force for a township, and how it differs from the default.

A rule is a `scoring_rule` row: township_id NULL is the default set, a township may have its own
versions ("<township_id>-v2"). The rule in force for a month is the latest version whose
`effective_from` is on or before the month's last day; without a township version the default
applies; without any row, `core.config.DEFAULT_SCORING_RULE`. Rule params may also override the
inputs of the six 领雁指数 dimensions (`leader_inputs`); otherwise `DEFAULT_LEADER_INPUTS` holds.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from core.config import DEFAULT_SCORING_RULE
from core.models import ScoringRule

#: Inputs of each 领雁指数 dimension with their weights inside the dimension (each input is 0–100).
DEFAULT_LEADER_INPUTS: dict[str, dict[str, float]] = {
    "leadership": {"team_tasks_on_time": 0.5, "demo_town_leaders": 0.5},
    "governance": {"appeals_on_time": 0.6, "five_two_compliance": 0.4},
    "development": {"economy_indicators": 1.0},
    "service": {"diary_coverage": 0.5, "satisfaction": 0.5},
    "integrity": {"warning_points_factor": 5.0, "violation_factor": 5.0},
    "reputation": {"demo_villagers": 0.6, "good_rating_share": 0.4},
}


@dataclass(frozen=True)
class Rule:
    """One rule version: cadre weights, dimension weights and dimension inputs."""

    version: str
    township_id: int | None
    effective_from: date
    note: str
    params: dict = field(hash=False, compare=False)

    @property
    def cadre(self) -> dict[str, float]:
        """以事识人 cadre weights: task_points, democratic, honor_bonus, warning_deduction."""
        return {**DEFAULT_SCORING_RULE["cadre"], **self.params.get("cadre", {})}

    @property
    def dimension_weights(self) -> dict[str, float]:
        """领雁指数 weight of each of the six dimensions (sum 1)."""
        return {**DEFAULT_SCORING_RULE["leader_index"], **self.params.get("leader_index", {})}

    @property
    def inputs(self) -> dict[str, dict[str, float]]:
        """Input weights inside each dimension."""
        out = {dim: dict(weights) for dim, weights in DEFAULT_LEADER_INPUTS.items()}  # two levels: cheaper than deepcopy
        for dim, weights in self.params.get("leader_inputs", {}).items():
            out.setdefault(dim, {}).update(weights)
        return out


def _fallback() -> Rule:
    return Rule(DEFAULT_SCORING_RULE["version"], None, date(2000, 1, 1), "系统默认规则", copy.deepcopy(DEFAULT_SCORING_RULE))


def _month_end(period: int) -> date:
    y, m = divmod(int(period), 100)
    return date(y + (m == 12), m % 12 + 1, 1)


def _to_rule(row) -> Rule:
    eff = row.effective_from if isinstance(row.effective_from, date) else date.fromisoformat(str(row.effective_from))
    return Rule(row.version, row.township_id, eff, row.note or "", json.loads(row.params))


class RuleBook:
    """Every rule version loaded once: answers "which rule is in force for this township and month"."""

    def __init__(self, rules: list[Rule]):
        self._rules = sorted(rules, key=lambda r: r.effective_from, reverse=True)
        self._own: dict[int, list[Rule]] = {}  # township → its own versions, newest first (a province has ~1,400)
        for r in self._rules:
            if r.township_id is not None:
                self._own.setdefault(int(r.township_id), []).append(r)

    def default(self, period: int) -> Rule:
        """The default (township NULL) rule in force in `period`."""
        nxt = _month_end(period)
        for r in self._rules:
            if r.township_id is None and r.effective_from < nxt:
                return r
        return _fallback()

    def for_township(self, township_id: int, period: int) -> Rule:
        """The township's own rule in force in `period`, else the default."""
        nxt = _month_end(period)
        for r in self._own.get(int(township_id), ()):
            if r.effective_from < nxt:
                return r
        return self.default(period)

    def for_village(self, village_id: int, period: int) -> Rule:
        """The rule in force for the village's township."""
        return self.for_township(int(village_id) // 1000 * 1000, period)


def load_rulebook(session: Session) -> RuleBook:
    """All scoring rule versions in the database (a small table: read whole)."""
    rows = session.execute(sa.select(col(ScoringRule.township_id), col(ScoringRule.version), col(ScoringRule.effective_from),
                                  col(ScoringRule.note), col(ScoringRule.params))).all()
    return RuleBook([_to_rule(r) for r in rows])


def rule_in_force(session: Session, township_id: int, period: int) -> Rule:
    """The rule version in force for a township in month `period` (YYYYMM)."""
    return load_rulebook(session).for_township(township_id, period)


def rule_diff(rule: Rule, default: Rule) -> list[dict]:
    """Rows {section, key, default, this} where the rule differs from the default, sorted."""
    out = []
    for section, mine, base in (("cadre", rule.cadre, default.cadre),
                                ("leader_index", rule.dimension_weights, default.dimension_weights)):
        for key in sorted(set(mine) | set(base)):
            if mine.get(key) != base.get(key):
                out.append({"section": section, "key": key, "default": base.get(key), "this": mine.get(key)})
    for dim in sorted(set(rule.inputs) | set(default.inputs)):
        mine, base = rule.inputs.get(dim, {}), default.inputs.get(dim, {})
        for key in sorted(set(mine) | set(base)):
            if mine.get(key) != base.get(key):
                out.append({"section": f"inputs.{dim}", "key": key, "default": base.get(key), "this": mine.get(key)})
    return out
