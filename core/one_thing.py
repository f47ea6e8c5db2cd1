"""一件事 (cross-department cases, the Quzhou article) and 县乡双向考评 (the township rates the departments).

- `open_case`: a township leader opens a case of a listed type (core.config.ONE_THING_TYPES) in one of its
  villages; each party gets its own step with its time limit: the lead department, each co-handling department
  (county offices of the village's county) and, last, the township, which confirms closure.
- `complete_step`: a department's staff complete their department's step; the township confirms its own step
  once every department is done, and the case closes (`closed_at`). Until then the case shows who holds it up.
- `rate_step`: after closure the township rates each department's part 好/中/差 (good/fair/poor) with a note
  (a 差 needs one).
- Reads: the cases of a scope (`case_board`), the cases a department has a step in (`department_cases`), one
  case (`case_detail`) and the departments' ranking per county (`department_ranking`: ratings, on-time share of
  their steps, cases).
Every write holds the write lock, checks role and scope and appends one scene_event row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor
from core.config import ONE_THING_TYPES, DeskConfig
from core.enums import RegionLevel
from core.errors import NotFound
from core.live import codes_reading
from core.models import CaseStep, Department, DeptRating, OneThingCase, Person, Region, SceneEvent, Task
from core.rollups import touch_village
from core.scene_common import SceneDenied, SceneRefused, check_role, event, lock, text
from core.scope import Scope

OPENERS = frozenset({"town_admin", "town_leader"})
RATERS = OPENERS
DEPT_ROLE = "dept_staff"
RATINGS = ("good", "fair", "poor")
CASE_COLUMNS = ["case_id", "code", "case_type", "village", "title", "opened_at", "closed_at", "days", "steps_done",
                "steps", "holder", "holder_due", "urgency", "rated"]
STEP_COLUMNS = ["step_id", "party", "department_id", "department", "due_at", "done_at", "on_time", "urgency", "rating",
                "rating_note"]


def _county(region_id: int) -> int:
    return int(region_id) // 1_000_000 * 1_000_000


def _urgency(due: datetime, done: datetime | None, now: datetime, soon_days: int) -> str:
    if done is not None:
        return "done"
    if due < now:
        return "overdue"
    return "due_soon" if due <= now + timedelta(days=soon_days) else "ok"


def departments_of(session: Session, scope: Scope) -> pd.DataFrame:
    """The county departments of the counties the scope lies in or covers: department_id, county_id, name; by id."""
    lo, hi = _county(scope.lo), _county(scope.hi) + 999_999
    rows = session.execute(sa.select(col(Department.id), col(Department.county_id), col(Department.name))
                           .where(col(Department.county_id).between(lo, hi)).order_by(col(Department.id))).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["department_id", "county_id", "name"])


def open_case(session: Session, *, actor: Actor, village_id: int, case_type: str, title: str,
              now: datetime) -> OneThingCase:
    """一件事: a new case in a village of the actor's township, with one step per party and its time limit."""
    check_role(actor, OPENERS, "open_case")
    if actor.level != RegionLevel.TOWNSHIP:
        raise SceneDenied("scene.err.township_only")
    actor.scope.check(int(village_id))
    kind = ONE_THING_TYPES.get(case_type)
    if kind is None:
        raise SceneRefused("case.err.type")
    title = text(title, "case.err.title", 128)
    village = session.get(Region, int(village_id))
    if village is None or village.level != RegionLevel.VILLAGE:
        raise NotFound(f"村社 {village_id} 不存在")
    names = (kind.lead, *kind.co)
    found = dict(session.execute(sa.select(col(Department.name), col(Department.id)).where(
        col(Department.county_id) == _county(village.id), col(Department.name).in_(names))).tuples().all())
    missing = [n for n in names if n not in found]
    if missing:
        raise SceneRefused("case.err.no_department", names="、".join(missing))
    lock(session)
    n = session.execute(sa.select(sa.func.count()).select_from(OneThingCase).where(
        col(OneThingCase.village_id).between(actor.scope.lo, actor.scope.hi))).scalar() or 0
    case = OneThingCase(code=f"YJS{actor.region_id // 1000}{n + 1:04d}", case_type=case_type, village_id=village.id,
                        title=title, opened_by=actor.person_id, opened_at=now)
    session.add(case)
    session.flush()
    cid = cast(int, case.id)
    parties = [("lead", found[kind.lead], kind.lead_days), *(("co", found[c], kind.co_days) for c in kind.co),
               ("township", None, kind.township_days)]
    for party, dept, days in parties:
        session.add(CaseStep(case_id=cid, village_id=village.id, party=party, department_id=dept,
                             due_at=now + timedelta(days=days)))
    event(session, kind="one_thing_case", record_id=cid, region_id=village.id, actor=actor, action="open", note=title,
          now=now)
    session.flush()
    return case


def _case(session: Session, case_id: int) -> OneThingCase:
    case = session.get(OneThingCase, int(case_id))
    if case is None:
        raise NotFound(f"一件事 {case_id} 不存在")
    return case


def complete_step(session: Session, *, actor: Actor, step_id: int, now: datetime, note: str | None = None) -> CaseStep:
    """Complete a party's step: a department's by its staff, the township's (last) by its leaders; the last step
    closes the case."""
    actor.check_may_write()
    step = session.get(CaseStep, int(step_id))
    if step is None:
        raise NotFound(f"办理环节 {step_id} 不存在")
    case = _case(session, step.case_id)
    if step.party == "township":
        check_role(actor, OPENERS, "confirm_case")
        actor.scope.check(case.village_id)
    else:
        check_role(actor, {DEPT_ROLE}, "department_step")
        if actor.department_id != step.department_id:
            raise SceneDenied("case.err.other_department")
    if step.done_at is not None:
        raise SceneRefused("case.err.step_done")
    lock(session)
    open_steps: list[CaseStep] = list(session.execute(sa.select(CaseStep).where(col(CaseStep.case_id) == case.id,
                                                           col(CaseStep.done_at).is_(None))).scalars().all())
    if step.party == "township" and any(s.id != step.id for s in open_steps):
        raise SceneRefused("case.err.departments_first")
    step.done_at, step.done_by, step.note = now, actor.person_id, (note or "").strip()[:256] or None
    session.add(step)
    event(session, kind="case_step", record_id=cast(int, step.id), region_id=case.village_id, actor=actor,
          action="step", note=step.note, now=now)
    if len(open_steps) == 1:
        case.closed_at = now
        session.add(case)
        event(session, kind="one_thing_case", record_id=cast(int, case.id), region_id=case.village_id, actor=actor,
              action="close", note=case.code, now=now)
    session.flush()
    if len(open_steps) == 1:  # “一件事”办理时长 of the village's closing month (core.live)
        touch_village(session, case.village_id, {now.year * 100 + now.month}, now=now,
                      cause=f"one_thing_case:{case.id}", codes=codes_reading("one_thing"))
    return step


def rate_step(session: Session, *, actor: Actor, step_id: int, rating: str, now: datetime,
              note: str | None = None) -> DeptRating:
    """县乡双向考评: the township rates a department's part of a closed case (once); 差 (poor) needs a note."""
    check_role(actor, RATERS, "rate_department")
    step = session.get(CaseStep, int(step_id))
    if step is None or step.department_id is None:
        raise NotFound(f"部门办理环节 {step_id} 不存在")
    case = _case(session, step.case_id)
    actor.scope.check(case.village_id)
    if case.closed_at is None:
        raise SceneRefused("case.err.not_closed", code=case.code)
    if rating not in RATINGS:
        raise SceneRefused("case.err.rating")
    note = (note or "").strip()[:256] or None
    if rating == "poor" and not note:
        raise SceneRefused("case.err.poor_note")
    lock(session)
    if session.execute(sa.select(col(DeptRating.id)).where(col(DeptRating.step_id) == step.id)).first() is not None:
        raise SceneRefused("case.err.rated")
    row = DeptRating(case_id=cast(int, case.id), step_id=cast(int, step.id), department_id=step.department_id,
                     village_id=case.village_id, rating=rating, note=note, rated_by=actor.person_id, rated_at=now)
    session.add(row)
    session.flush()
    event(session, kind="dept_rating", record_id=cast(int, row.id), region_id=case.village_id, actor=actor,
          action=f"rate_{rating}", note=note, now=now)
    session.flush()
    return row


def _board(session: Session, where: list, as_of: date, cfg: DeskConfig) -> pd.DataFrame:
    now = datetime.combine(as_of, datetime.max.time())
    stmt = (sa.select(col(OneThingCase.id), col(OneThingCase.code), col(OneThingCase.case_type), col(Region.name),
                      col(OneThingCase.title), col(OneThingCase.opened_at), col(OneThingCase.closed_at))
            .join(Region, col(Region.id) == OneThingCase.village_id)
            .where(*where, col(OneThingCase.opened_at) <= now)
            .order_by(col(OneThingCase.closed_at).is_not(None), col(OneThingCase.opened_at).desc()).limit(cfg.list_rows))
    cases = session.execute(stmt).tuples().all()
    ids = [int(c[0]) for c in cases]
    steps = session.execute(sa.select(col(CaseStep.case_id), col(CaseStep.party), col(Department.name), col(CaseStep.due_at),
                                      col(CaseStep.done_at), col(CaseStep.id))
                            .outerjoin(Department, col(Department.id) == CaseStep.department_id)
                            .where(col(CaseStep.case_id).in_(ids)).order_by(col(CaseStep.id))).tuples().all()
    rated = {int(r[0]) for r in session.execute(sa.select(col(DeptRating.case_id)).where(col(DeptRating.case_id).in_(ids)))}
    by_case: dict[int, list] = {}
    for s in steps:
        by_case.setdefault(int(s[0]), []).append(s)
    rows = []
    for cid, code, kind, village, title, opened, closed in cases:
        closed = closed if closed is not None and closed <= now else None
        mine = by_case.get(int(cid), [])
        done = [s for s in mine if s[4] is not None and s[4] <= now]
        waiting = [s for s in mine if s[4] is None or s[4] > now]
        # who holds it up: the departments not done yet (earliest due first), else the township's confirmation
        holder = min((s for s in waiting if s[1] != "township"), key=lambda s: s[3], default=None) or \
            next((s for s in waiting), None)
        end = closed or now
        rows.append((int(cid), code, kind, village, title, opened, closed, round((end - opened).total_seconds() / 86400, 1),
                     len(done), len(mine), (holder[2] or "township") if holder else None,
                     holder[3] if holder else None,
                     _urgency(holder[3], None, now, cfg.due_soon_days) if holder else "done", int(cid) in rated))
    return pd.DataFrame(rows, columns=CASE_COLUMNS)


def case_board(session: Session, scope: Scope, as_of: date, cfg: DeskConfig | None = None) -> pd.DataFrame:
    """The 一件事 cases of villages in the scope (CASE_COLUMNS), open first, newest first: steps done, who holds
    the case up (a department's name, or "township") with that step's due time and urgency, and whether it is rated."""
    return _board(session, [col(OneThingCase.village_id).between(scope.lo, scope.hi)], as_of, cfg or DeskConfig())


def department_cases(session: Session, viewer: Actor, as_of: date, cfg: DeskConfig | None = None) -> pd.DataFrame:
    """The cases the viewer's department has a step in (its county only), as case_board plus its own step (my_step,
    my_due, my_done); `urgency` is that step's."""
    if viewer.department_id is None:
        return pd.DataFrame(columns=CASE_COLUMNS)
    cfg = cfg or DeskConfig()
    mine = sa.select(col(CaseStep.case_id)).where(col(CaseStep.department_id) == viewer.department_id)
    board = _board(session, [col(OneThingCase.id).in_(mine),
                             col(OneThingCase.village_id).between(viewer.scope.lo, viewer.scope.hi)], as_of, cfg)
    own = {int(c): (int(i), due, done) for c, i, due, done in session.execute(
        sa.select(col(CaseStep.case_id), col(CaseStep.id), col(CaseStep.due_at), col(CaseStep.done_at))
        .where(col(CaseStep.department_id) == viewer.department_id,
               col(CaseStep.case_id).in_([int(x) for x in board.case_id]))).tuples()}
    now = datetime.combine(as_of, datetime.max.time())
    board["my_step"] = [own[int(c)][0] for c in board.case_id]
    board["my_due"] = [own[int(c)][1] for c in board.case_id]
    done = [own[int(c)][2] if own[int(c)][2] is not None and own[int(c)][2] <= now else None for c in board.case_id]
    board["my_done"] = done
    board["urgency"] = [_urgency(due, d, now, cfg.due_soon_days) for due, d in zip(board.my_due, done, strict=True)]
    return board


@dataclass(frozen=True)
class CaseDetail:
    """One case: facts, its steps (STEP_COLUMNS) with their rating, and the 留痕 (at, actor, action, note)."""

    facts: dict
    steps: pd.DataFrame
    events: pd.DataFrame


def case_detail(session: Session, scope: Scope, case_id: int, as_of: date, cfg: DeskConfig | None = None) -> CaseDetail:
    """The case `case_id` of a village in the scope (NotFound otherwise)."""
    cfg = cfg or DeskConfig()
    case = _case(session, case_id)
    if not scope.contains(case.village_id):
        raise NotFound(f"一件事 {case_id} 不存在或不在您的数据权限范围内")
    return _detail(session, case, as_of, cfg)


def department_case_detail(session: Session, viewer: Actor, case_id: int, as_of: date) -> CaseDetail:
    """A case the viewer's department has a step in (NotFound otherwise)."""
    case = _case(session, case_id)
    has = session.execute(sa.select(col(CaseStep.id)).where(col(CaseStep.case_id) == case.id,
                                                            col(CaseStep.department_id) == viewer.department_id)).first()
    if has is None or not viewer.scope.contains(case.village_id):
        raise NotFound(f"一件事 {case_id} 不存在或不在您的数据权限范围内")
    return _detail(session, case, as_of, DeskConfig())


def _detail(session: Session, case: OneThingCase, as_of: date, cfg: DeskConfig) -> CaseDetail:
    now = datetime.combine(as_of, datetime.max.time())
    village = session.get(Region, case.village_id)
    kind = ONE_THING_TYPES.get(case.case_type)
    facts = {"code": case.code, "case_type": case.case_type, "title": case.title, "village": village.name if village else "",
             "opened_at": case.opened_at, "closed_at": case.closed_at if case.closed_at and case.closed_at <= now else None,
             "limit_days": kind.township_days if kind else None}
    rows = session.execute(
        sa.select(col(CaseStep.id), col(CaseStep.party), col(CaseStep.department_id), col(Department.name),
                  col(CaseStep.due_at), col(CaseStep.done_at), col(DeptRating.rating), col(DeptRating.note))
        .outerjoin(Department, col(Department.id) == CaseStep.department_id)
        .outerjoin(DeptRating, col(DeptRating.step_id) == CaseStep.id)
        .where(col(CaseStep.case_id) == case.id).order_by(col(CaseStep.id))).tuples().all()
    steps = pd.DataFrame([(int(i), p, d, n, due, done if done and done <= now else None,
                           None if not done or done > now else bool(done <= due),
                           _urgency(due, done if done and done <= now else None, now, cfg.due_soon_days), r, rn)
                          for i, p, d, n, due, done, r, rn in rows], columns=STEP_COLUMNS)
    step_ids = [int(i) for i in steps.step_id]
    rating_ids = sa.select(col(DeptRating.id)).where(col(DeptRating.case_id) == case.id)
    ev = session.execute(
        sa.select(col(SceneEvent.at), col(Person.name), col(SceneEvent.action), col(SceneEvent.note))
        .outerjoin(Person, col(Person.id) == SceneEvent.actor_id)
        .where(sa.or_(sa.and_(col(SceneEvent.kind) == "one_thing_case", col(SceneEvent.record_id) == case.id),
                      sa.and_(col(SceneEvent.kind) == "case_step", col(SceneEvent.record_id).in_(step_ids)),
                      sa.and_(col(SceneEvent.kind) == "dept_rating", col(SceneEvent.record_id).in_(rating_ids))),
               col(SceneEvent.at) <= now)
        .order_by(col(SceneEvent.at), col(SceneEvent.id))).tuples().all()
    return CaseDetail(facts, steps, pd.DataFrame([tuple(r) for r in ev], columns=["at", "actor", "action", "note"]))


def department_ranking(session: Session, scope: Scope, start: date, end: date) -> pd.DataFrame:
    """县乡双向考评: the county departments ranked by their steps in the scope's villages' cases opened in
    [start, end]: county_id, department_id, department, cases, steps_done, on_time (share of done steps done by
    their due time, %), good, fair, poor, good_share (% of ratings), rank within the county (good share, then on
    time; best first)."""
    lo, hi = datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.max.time())
    s, c = CaseStep, OneThingCase
    steps = session.execute(
        sa.select(col(Department.county_id), col(s.department_id), col(Department.name), sa.func.count(sa.distinct(col(s.case_id))),
                  sa.func.count(col(s.done_at)), sa.func.sum(sa.case((col(s.done_at) <= col(s.due_at), 1), else_=0)))
        .join(c, col(c.id) == s.case_id).join(Department, col(Department.id) == s.department_id)
        .where(col(s.village_id).between(scope.lo, scope.hi), col(c.opened_at).between(lo, hi),
               col(s.department_id).is_not(None), sa.or_(col(s.done_at).is_(None), col(s.done_at) <= hi))
        .group_by(col(Department.county_id), col(s.department_id), col(Department.name))).tuples().all()
    r = DeptRating
    ratings = session.execute(
        sa.select(col(r.department_id), col(r.rating), sa.func.count()).join(c, col(c.id) == r.case_id)
        .where(col(r.village_id).between(scope.lo, scope.hi), col(c.opened_at).between(lo, hi), col(r.rated_at) <= hi)
        .group_by(col(r.department_id), col(r.rating))).tuples().all()
    df = pd.DataFrame([tuple(x) for x in steps], columns=["county_id", "department_id", "department", "cases", "steps_done",
                                                           "on_time_n"])
    counts: dict[int, dict[str, int]] = {}
    for dep, rating, n in ratings:
        counts.setdefault(int(dep), {})[rating] = int(n)
    for k in RATINGS:
        df[k] = [counts.get(int(d), {}).get(k, 0) for d in df.department_id]
    rated = df[list(RATINGS)].sum(axis=1)
    df["on_time"] = (df.on_time_n / df.steps_done.where(df.steps_done > 0) * 100).round(1)
    df["good_share"] = (df["good"] / rated.where(rated > 0) * 100).round(1)
    df = df.drop(columns="on_time_n").sort_values(["county_id", "good_share", "on_time"], ascending=[True, False, False],
                                                  na_position="last")
    df["rank"] = df.groupby("county_id").cumcount() + 1
    return df.reset_index(drop=True)


def co_office_counts(session: Session, scope: Scope, start: date, end: date) -> pd.DataFrame:
    """协办科室: the tasks of the scope's villages (deadline in [start, end], not rejected) that a town office
    co-handles, per office: office, tasks, finished, on_time (finished by the deadline), overdue (open past it at
    `end`); most tasks first."""
    t = Task
    finished = col(t.status).in_(("done", "scored"))
    on_time = sa.and_(col(t.done_at).is_not(None), sa.func.date(col(t.done_at)) <= col(t.deadline))
    rows = session.execute(
        sa.select(col(t.co_office), sa.func.count(), sa.func.sum(sa.case((finished, 1), else_=0)),
                  sa.func.sum(sa.case((on_time, 1), else_=0)),
                  sa.func.sum(sa.case((sa.and_(sa.not_(finished), col(t.deadline) < end), 1), else_=0)))
        .where(col(t.village_id).between(scope.lo, scope.hi), col(t.co_office).is_not(None),
               col(t.deadline).between(start, end), col(t.status) != "rejected")
        .group_by(col(t.co_office)).order_by(sa.func.count().desc(), col(t.co_office))).tuples().all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["office", "tasks", "finished", "on_time", "overdue"])
