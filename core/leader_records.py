"""The records behind each 领雁指数 / cadre-score contribution: ids by input, and readable rows by kind.

The id queries repeat the conditions of the grouped aggregates in `core.leader_inputs` for one
person and village, so the number of records always matches the counts in a contribution.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.config import get_settings
from core.leader_inputs import DECISION_WINDOW, WINDOW, PersonFacts, end_of, person_post, shift, start_of
from core.models import Appeal, Decision, DecisionStep, DiaryVisit, Evaluation, IndicatorValue, Task
from core.scope import Scope

#: Per record kind, the columns of `records_frame` that hold vocabulary codes and their kind (ui shows terms).
RECORD_VOCAB: dict[str, dict[str, str]] = {
    "task": {"status": "task_status", "on_schedule": "bool"},
    "evaluation": {"category": "evaluation"},
    "appeal": {"category": "appeal_category", "channel": "appeal_channel", "closing_level": "appeal_level",
               "rating": "rating", "on_time": "bool"},
    "decision": {"steps": "decision_step", "compliant": "bool"},
    "diary": {},
    "indicator": {},
}


def _ids(session: Session, stmt) -> tuple[int, ...]:
    return tuple(int(i) for i in session.exec(stmt).scalars().all())


def load_records(session: Session, f: PersonFacts, period: int,
                 codes: Collection[str] | None = None) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Contribution code → (record kind, ids) for one person, village and month; only `codes` when given."""
    return _records(session, f.person_id, f.village_id, period, codes)


def person_records(session: Session, scope: Scope, person_id: int, period: int,
                   codes: Collection[str] | None = None) -> dict[str, tuple[str, tuple[int, ...]]]:
    """`load_records` of a person resolved inside the viewer's scope (their active post's village).

    The drill-down asks only for the contributions on screen: on a province file each id query is a
    cold index walk over tens of millions of rows, and a person has a dozen of them.
    """
    post = person_post(session, scope, person_id)
    return _records(session, int(person_id), post.village_id, period, codes)


def _records(session: Session, person_id: int, v: int, period: int,
             codes: Collection[str] | None) -> dict[str, tuple[str, tuple[int, ...]]]:
    m0 = shift(period, 1 - WINDOW)
    d0, d1 = start_of(m0), end_of(period)

    def evals(kind: str, source: str | None = None) -> Callable[[], tuple[int, ...]]:
        stmt = sa.select(col(Evaluation.id)).where(col(Evaluation.person_id) == person_id, col(Evaluation.village_id) == v,
                                              col(Evaluation.period).between(m0, period), col(Evaluation.kind) == kind)
        return lambda: _ids(session, stmt.where(col(Evaluation.source) == source) if source else stmt)

    def ids(stmt) -> Callable[[], tuple[int, ...]]:
        return lambda: _ids(session, stmt)

    appeals = ids(sa.select(col(Appeal.id)).where(col(Appeal.village_id) == v, col(Appeal.reported_at) >= d0, col(Appeal.reported_at) < d1))
    warnings = evals("warning")
    lazy = {
        "team_tasks_on_time": ("task", ids(sa.select(col(Task.id)).where(
            col(Task.village_id) == v, col(Task.deadline) >= d0, col(Task.deadline) < d1, col(Task.status) != "rejected"))),
        "task_points": ("task", ids(sa.select(col(Task.id)).where(
            col(Task.village_id) == v, col(Task.owner_id) == person_id, col(Task.done_at) >= d0, col(Task.done_at) < d1,
            col(Task.quality_score).is_not(None)))),
        "demo_town_leaders": ("evaluation", evals("democratic", "镇领导")),
        "demo_villagers": ("evaluation", evals("democratic", "村民代表")),
        "democratic": ("evaluation", evals("democratic")),
        "honor_bonus": ("evaluation", evals("honor")),
        "warnings": ("evaluation", warnings), "warning_deduction": ("evaluation", warnings),
        "appeals_on_time": ("appeal", appeals), "satisfaction": ("appeal", appeals), "good_rating_share": ("appeal", appeals),
        "five_two_compliance": ("decision", ids(sa.select(col(Decision.id)).where(
            col(Decision.village_id) == v, col(Decision.opened_on) >= start_of(shift(period, 1 - DECISION_WINDOW)),
            col(Decision.opened_on) < d1))),
        "diary_coverage": ("diary", ids(sa.select(col(DiaryVisit.id)).where(
            col(DiaryVisit.person_id) == person_id, col(DiaryVisit.village_id) == v, col(DiaryVisit.visited_on) >= d0,
            col(DiaryVisit.visited_on) < d1))),
        "violations": ("indicator", ids(sa.select(col(IndicatorValue.id)).where(
            col(IndicatorValue.village_id) == v, col(IndicatorValue.period).between(m0, period),
            col(IndicatorValue.indicator_code) == "sa_violations"))),
    }
    wanted = set(lazy) if codes is None else set(codes)
    loaded: dict[Callable, tuple[int, ...]] = {}  # shared queries (appeals, warnings) run once
    out = {}
    for code, (kind, load) in lazy.items():
        if code in wanted:
            if load not in loaded:
                loaded[load] = load()
            out[code] = (kind, loaded[load])
    if codes is None or any(c.startswith("ec_") for c in wanted):
        for iid, code in session.execute(sa.select(col(IndicatorValue.id), col(IndicatorValue.indicator_code)).where(
                col(IndicatorValue.village_id) == v, col(IndicatorValue.period) == period,
                col(IndicatorValue.indicator_code).like("ec\\_%", escape="\\"))).tuples().all():
            if codes is None or code in wanted:
                out[code] = ("indicator", (int(iid),))
    return out


def attach(parts: tuple, records: dict) -> tuple:
    """The contributions with their record kind and ids filled in."""
    return tuple(dataclasses.replace(p, record_kind=records[p.code][0], records=records[p.code][1])
                 if p.code in records else p for p in parts)


def records_frame(session: Session, scope: Scope, kind: str, ids: tuple[int, ...]) -> pd.DataFrame:
    """Rows (key columns, vocabulary codes: see RECORD_VOCAB) of records of one kind, only those inside the scope."""
    if not ids:
        return pd.DataFrame()
    ids = tuple(int(i) for i in ids)
    fn = {"task": _tasks, "evaluation": _evals, "appeal": _appeals, "decision": _decisions,
          "diary": _diary, "indicator": _indicators}[kind]
    return fn(session, scope, ids)


def _q(session: Session, stmt, cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in session.execute(stmt).all()], columns=cols)


def _tasks(session: Session, scope: Scope, ids) -> pd.DataFrame:
    df = _q(session, sa.select(col(Task.id), col(Task.code), col(Task.title), col(Task.difficulty), col(Task.deadline), col(Task.done_at), col(Task.status),
                               col(Task.quality_score)).where(col(Task.id).in_(ids), col(Task.village_id).between(scope.lo, scope.hi))
            .order_by(col(Task.deadline)), ["id", "number", "task", "difficulty", "deadline_short", "closed_at", "status", "quality"])
    df["on_schedule"] = [bool(pd.notna(d) and d.date() <= dl) for d, dl in zip(df["closed_at"], df["deadline_short"], strict=True)]
    return df


def _evals(session: Session, scope: Scope, ids) -> pd.DataFrame:
    df = _q(session, sa.select(col(Evaluation.id), col(Evaluation.period), col(Evaluation.kind), col(Evaluation.source), col(Evaluation.points),
                               col(Evaluation.note)).where(col(Evaluation.id).in_(ids), col(Evaluation.village_id).between(scope.lo, scope.hi))
            .order_by(col(Evaluation.period), col(Evaluation.id)), ["id", "month", "category", "source", "points", "remark"])
    return df


def _appeals(session: Session, scope: Scope, ids) -> pd.DataFrame:
    df = _q(session, sa.select(col(Appeal.id), col(Appeal.category), col(Appeal.channel), col(Appeal.reported_at), col(Appeal.due_at), col(Appeal.closed_at),
                               col(Appeal.closing_level), col(Appeal.rating)).where(col(Appeal.id).in_(ids), col(Appeal.village_id).between(scope.lo, scope.hi))
            .order_by(col(Appeal.reported_at)), ["id", "category", "channel", "reported_at", "due_at", "closed_at",
                                            "closing_level", "rating"])
    df["on_time"] = [bool(c is not None and c <= d) for c, d in zip(df["closed_at"], df["due_at"], strict=True)]
    return df


def _decisions(session: Session, scope: Scope, ids) -> pd.DataFrame:
    from core.leader_inputs import decision_ok

    steps = _q(session, sa.select(col(DecisionStep.decision_id), col(DecisionStep.step), col(DecisionStep.seq), col(DecisionStep.done_on))
               .join(Decision, col(Decision.id) == col(DecisionStep.decision_id))
               .where(col(DecisionStep.decision_id).in_(ids), col(Decision.village_id).between(scope.lo, scope.hi))
               .order_by(col(DecisionStep.decision_id), col(DecisionStep.seq)), ["decision_id", "step", "seq", "done_on"])
    df = _q(session, sa.select(col(Decision.id), col(Decision.title), col(Decision.opened_on), col(Decision.closed_on), col(Decision.limit_days))
            .where(col(Decision.id).in_(ids), col(Decision.village_id).between(scope.lo, scope.hi)).order_by(col(Decision.opened_on)),
            ["id", "matter", "started", "finished", "limit_days_paren"])
    by = {k: g for k, g in steps.groupby("decision_id")} if len(steps) else {}
    seqs, oks = [], []
    for r in df.itertuples(index=False):
        g = by.get(r.id, pd.DataFrame(columns=steps.columns))
        seqs.append(tuple(int(s) for s in g["step"]))
        oks.append(decision_ok(len(g), int((g["seq"] == g["step"]).sum()), g["step"].min() if len(g) else 0,
                               g["step"].max() if len(g) else 0, r.started, r.finished, r.limit_days_paren,
                               today=get_settings().as_of))
    return df.assign(steps=seqs, compliant=oks)


def _diary(session: Session, scope: Scope, ids) -> pd.DataFrame:
    return _q(session, sa.select(col(DiaryVisit.id), col(DiaryVisit.visited_on), col(DiaryVisit.grid_id), col(DiaryVisit.household_no), col(DiaryVisit.topic))
              .where(col(DiaryVisit.id).in_(ids), col(DiaryVisit.village_id).between(scope.lo, scope.hi)).order_by(col(DiaryVisit.visited_on)),
              ["id", "visit_date", "grid", "household_no", "topic"])


def _indicators(session: Session, scope: Scope, ids) -> pd.DataFrame:
    return _q(session, sa.select(col(IndicatorValue.id), col(IndicatorValue.indicator_code), col(IndicatorValue.period), col(IndicatorValue.value),
                                 col(IndicatorValue.numerator), col(IndicatorValue.denominator))
              .where(col(IndicatorValue.id).in_(ids), col(IndicatorValue.village_id).between(scope.lo, scope.hi))
              .order_by(col(IndicatorValue.period)), ["id", "indicator", "month", "value", "numerator", "denominator"])
