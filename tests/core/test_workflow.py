"""Task workflow services: every legal transition, every illegal one writing nothing, 过筛 and 催办."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import workflow as wf
from core.actors import Actor, first_actor
from core.db import session_scope
from core.errors import DomainError, NotFound, PermissionDenied, ScreeningRejected, TaskStateError
from core.models import DispatchScreening, Post, Region, Task, TaskEvent
from core.scope import Scope, ScopeError

NOW = datetime(2026, 10, 31, 10, 0)
ON_LIST = "T-SA-01"


@pytest.fixture
def cast(session: Session) -> dict[str, Actor]:
    """Actors around the first village: its secretary and committee member, its town leader and admin,
    a cadre of another village, a leader of another township, the county admin."""
    village_id = session.exec(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalar()
    township = Scope(village_id // 1000 * 1000, "township")
    other_village = session.exec(sa.select(Region.id).where(Region.level == "village", Region.id != village_id)
                                 .order_by(Region.id)).scalar()
    other_town = session.exec(sa.select(Region.id).where(Region.level == "township", Region.id != township.region_id)
                              .order_by(Region.id)).scalar()
    return {
        "secretary": first_actor(session, "village_secretary", within=Scope(village_id, "village")),
        "committee": first_actor(session, "village_committee", within=Scope(village_id, "village")),
        "leader": first_actor(session, "town_leader", within=township),
        "town_admin": first_actor(session, "town_admin", within=township),
        "deputy": first_actor(session, "town_party_deputy", within=township),
        "other_secretary": first_actor(session, "village_secretary", within=Scope(other_village, "village")),
        "other_leader": first_actor(session, "town_leader", within=Scope(other_town, "township")),
        "county": first_actor(session, "county_admin"),
    }


def new_task(session: Session, cast: dict[str, Actor], *, code: str = ON_LIST, category: str = "township",
             deadline: date | None = None, reason: str | None = None) -> Task:
    """A fresh dispatched task for the first village, committed."""
    task = wf.dispatch(session, actor=cast["town_admin"], village_id=cast["secretary"].region_id, matter_code=code,
                       title="测试任务", category=category, deadline=deadline or NOW.date() + timedelta(days=5),
                       owner_id=cast["secretary"].person_id, leader_id=cast["leader"].person_id, now=NOW, reason=reason)
    session.commit()
    return task


def advance(session: Session, cast, task: Task, to: str) -> Task:
    """Move a task along the happy path up to status `to`, committing each step."""
    steps = [("signed", wf.sign, "secretary", {}), ("in_progress", wf.start, "secretary", {}),
             ("done", wf.complete, "secretary", {}), ("scored", wf.score, "leader", {"quality": 88})]
    for status, fn, who, extra in steps:
        if task.status == to:
            break
        task = fn(session, actor=cast[who], task_id=task.id, now=NOW + timedelta(hours=1), **extra)
        session.commit()
        assert task.status == status
    return task


def snapshot(session: Session, task_id: int) -> tuple:
    """Everything a refused call must leave untouched: the task row and the event/screening counts."""
    session.expire_all()
    row = session.exec(sa.select(Task.__table__).where(Task.id == task_id)).one()
    n_events = session.exec(sa.select(sa.func.count()).select_from(TaskEvent)).scalar()
    n_screen = session.exec(sa.select(sa.func.count()).select_from(DispatchScreening)).scalar()
    return tuple(row), n_events, n_screen


def events_of(session: Session, task_id: int) -> list[tuple]:
    return [tuple(r) for r in session.exec(sa.select(TaskEvent.action, TaskEvent.from_status, TaskEvent.to_status,
                                                     TaskEvent.actor_id).where(TaskEvent.task_id == task_id)
                                           .order_by(TaskEvent.id)).all()]


def test_happy_path_writes_one_event_per_transition(session, cast):
    task = new_task(session, cast)
    assert task.code.startswith("RW202610") and task.status == "dispatched" and not task.emergency
    assert events_of(session, task.id) == [("dispatch", None, "dispatched", cast["town_admin"].person_id)]
    task = advance(session, cast, task, "scored")
    sec, lead = cast["secretary"].person_id, cast["leader"].person_id
    assert events_of(session, task.id) == [
        ("dispatch", None, "dispatched", cast["town_admin"].person_id), ("sign", "dispatched", "signed", sec),
        ("start", "signed", "in_progress", sec), ("complete", "in_progress", "done", sec),
        ("score", "done", "scored", lead)]
    assert task.quality_score == 88 and task.done_at and task.signed_at and task.started_at and task.scored_at


def test_each_state_change_writes_exactly_one_event(session, cast):
    task = new_task(session, cast)
    for fn, who, extra in ((wf.sign, "committee", {}), (wf.start, "committee", {}), (wf.complete, "committee", {}),
                           (wf.rate_dispatch, "committee", {"rating": 4}), (wf.score, "town_admin", {"quality": 70})):
        before = session.exec(sa.select(sa.func.count()).select_from(TaskEvent)).scalar()
        fn(session, actor=cast[who], task_id=task.id, now=NOW, **extra)
        session.commit()
        assert session.exec(sa.select(sa.func.count()).select_from(TaskEvent)).scalar() == before + 1


def test_reject_completion_by_town_leader(session, cast):
    task = advance(session, cast, new_task(session, cast), "done")
    task = wf.reject(session, actor=cast["leader"], task_id=task.id, note="材料不全", now=NOW)
    session.commit()
    assert task.status == "rejected"
    assert events_of(session, task.id)[-1] == ("reject", "done", "rejected", cast["leader"].person_id)


def test_village_returns_a_dispatch(session, cast):
    task = new_task(session, cast)
    task = wf.reject(session, actor=cast["secretary"], task_id=task.id, note="非本村职责", now=NOW)
    session.commit()
    assert task.status == "rejected"


def test_rate_dispatch_once(session, cast):
    task = advance(session, cast, new_task(session, cast), "signed")
    wf.rate_dispatch(session, actor=cast["secretary"], task_id=task.id, rating=5, now=NOW)
    session.commit()
    before = snapshot(session, task.id)
    with pytest.raises(TaskStateError):
        wf.rate_dispatch(session, actor=cast["secretary"], task_id=task.id, rating=3, now=NOW)
    assert snapshot(session, task.id) == before


def test_urge_increments_count_and_records_who_and_when(session, cast):
    task = new_task(session, cast)
    for k, who in enumerate(("leader", "county", "deputy"), start=1):
        task = wf.urge(session, actor=cast[who], task_id=task.id, note=f"第{k}次", now=NOW + timedelta(hours=k))
        session.commit()
        assert task.urge_count == k and task.last_urged_at == NOW + timedelta(hours=k)
    rows = session.exec(sa.select(TaskEvent.actor_id, TaskEvent.note, TaskEvent.at)
                        .where(TaskEvent.task_id == task.id, TaskEvent.action == "urge").order_by(TaskEvent.id)).all()
    assert [(r.actor_id, r.note) for r in rows] == [(cast["leader"].person_id, "第1次"),
                                                    (cast["county"].person_id, "第2次"),
                                                    (cast["deputy"].person_id, "第3次")]


# --- illegal calls: a domain error, and the database exactly as before --------------------------------------

ILLEGAL = [
    ("complete before signing", "dispatched", wf.complete, "secretary", {}, TaskStateError),
    ("start before signing", "dispatched", wf.start, "secretary", {}, TaskStateError),
    ("sign twice", "signed", wf.sign, "secretary", {}, TaskStateError),
    ("score before done", "in_progress", wf.score, "leader", {"quality": 90}, TaskStateError),
    ("score twice", "scored", wf.score, "leader", {"quality": 90}, TaskStateError),
    ("score by a village role", "done", wf.score, "secretary", {"quality": 90}, PermissionDenied),
    ("score by a deputy (not reviewer)", "done", wf.score, "deputy", {"quality": 90}, PermissionDenied),
    ("score out of range", "done", wf.score, "leader", {"quality": 120}, TaskStateError),
    ("urge a done task", "done", wf.urge, "leader", {"note": "快"}, TaskStateError),
    ("urge a scored task", "scored", wf.urge, "leader", {"note": "快"}, TaskStateError),
    ("urge by a village role", "dispatched", wf.urge, "secretary", {"note": "快"}, PermissionDenied),
    ("sign by a town leader", "dispatched", wf.sign, "leader", {}, PermissionDenied),
    ("sign by another village", "dispatched", wf.sign, "other_secretary", {}, ScopeError),
    ("complete by another village", "in_progress", wf.complete, "other_secretary", {}, ScopeError),
    ("urge outside scope", "dispatched", wf.urge, "other_leader", {"note": "快"}, ScopeError),
    ("score outside scope", "done", wf.score, "other_leader", {"quality": 90}, ScopeError),
    ("reject without a reason", "done", wf.reject, "leader", {"note": ""}, TaskStateError),
    ("reject a scored task", "scored", wf.reject, "leader", {"note": "x"}, TaskStateError),
    ("village returns a signed task", "signed", wf.reject, "secretary", {"note": "x"}, TaskStateError),
    ("rate before signing", "dispatched", wf.rate_dispatch, "secretary", {"rating": 4}, TaskStateError),
    ("rate out of range", "done", wf.rate_dispatch, "secretary", {"rating": 9}, TaskStateError),
    ("rate by a town role", "done", wf.rate_dispatch, "leader", {"rating": 4}, PermissionDenied),
]


@pytest.mark.parametrize(("status", "fn", "who", "extra", "error"), [c[1:] for c in ILLEGAL],
                         ids=[c[0] for c in ILLEGAL])
def test_illegal_call_raises_and_writes_nothing(session, cast, status, fn, who, extra, error):
    task = advance(session, cast, new_task(session, cast), status)
    before = snapshot(session, task.id)
    with pytest.raises(error):
        fn(session, actor=cast[who], task_id=task.id, now=NOW + timedelta(days=1), **extra)
    session.rollback()
    assert snapshot(session, task.id) == before


def test_scoring_by_a_leader_not_in_charge_is_denied(session, cast):
    task = advance(session, cast, new_task(session, cast), "done")
    session.exec(sa.update(Task).where(Task.id == task.id).values(leader_id=cast["deputy"].person_id))
    session.commit()
    before = snapshot(session, task.id)
    with pytest.raises(PermissionDenied):
        wf.score(session, actor=cast["leader"], task_id=task.id, quality=80, now=NOW)
    session.rollback()
    assert snapshot(session, task.id) == before


def test_unknown_task_is_not_found(session, cast):
    with pytest.raises(NotFound):
        wf.urge(session, actor=cast["leader"], task_id=2**31 - 1, note=None, now=NOW)


def test_domain_errors_carry_chinese_messages(session, cast):
    task = new_task(session, cast)
    with pytest.raises(DomainError, match="不能办结"):
        wf.complete(session, actor=cast["secretary"], task_id=task.id, now=NOW)


# --- dispatch and 过筛 ------------------------------------------------------------------------------------------

def _counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.exec(sa.select(sa.func.count()).select_from(t)).scalar()
                 for t in (Task, TaskEvent, DispatchScreening))


def test_off_list_matter_is_screened_out_with_reason_and_recorded(engine, cast):
    with Session(engine) as s:
        before = _counts(s)
    with (pytest.raises(ScreeningRejected, match="台账材料重复报送.*不在村级准入清单内") as info,
          session_scope(engine, write=True) as s):
        wf.dispatch(s, actor=cast["town_admin"], village_id=cast["secretary"].region_id, matter_code="X-04",
                    title="台账报送", category="township", deadline=date(2026, 11, 10),
                    owner_id=cast["secretary"].person_id, now=NOW)
    with Session(engine) as s:
        tasks, events, screened = _counts(s)
        assert (tasks, events, screened) == (before[0], before[1], before[2] + 1)
        row = s.exec(sa.select(DispatchScreening).order_by(DispatchScreening.id.desc())).scalars().first()
    assert row.matter_code == "X-04" and row.dispatcher_id == cast["town_admin"].person_id
    assert row.reason == str(info.value) and row.village_id == cast["secretary"].region_id


def test_unknown_matter_code_is_screened_out(session, cast):
    before = _counts(session)
    with pytest.raises(ScreeningRejected, match="ZZ-00"):
        new_task(session, cast, code="ZZ-00")
    session.rollback()
    assert _counts(session) == (before[0], before[1], before[2] + 1)


def test_emergency_path_passes_flagged_for_review(session, cast):
    before = _counts(session)
    with pytest.raises(TaskStateError, match="加急理由"):
        new_task(session, cast, code="E-99")  # no written reason: refused, nothing written
    session.rollback()
    assert _counts(session) == before
    task = new_task(session, cast, code="E-99", reason="台风过境，紧急排查")
    assert task.status == "dispatched" and task.emergency and task.needs_review
    assert "合规审查" in session.exec(sa.select(TaskEvent.note).where(TaskEvent.task_id == task.id)).scalar()


def test_leader_in_charge_defaults_from_module(session, cast):
    task = wf.dispatch(session, actor=cast["town_admin"], village_id=cast["secretary"].region_id,
                       matter_code="T-EC-01", title="经济任务", category="township", deadline=date(2026, 11, 20),
                       owner_id=cast["secretary"].person_id, now=NOW)
    title = session.exec(sa.select(Post.title).where(Post.person_id == task.leader_id,
                                                     Post.role == "town_leader")).scalar()
    assert "经济" in title


@pytest.mark.parametrize(("who", "category", "error"), [
    ("secretary", "township", PermissionDenied),  # a village cadre cannot dispatch top-down
    ("town_admin", "village_report", PermissionDenied),  # 村级上报 comes from the village itself
    ("deputy", "township", PermissionDenied),
    ("other_leader", "township", ScopeError),  # another township's village
    ("town_admin", "no_such_category", TaskStateError),
])
def test_dispatch_refusals_write_nothing(session, cast, who, category, error):
    before = _counts(session)
    with pytest.raises(error):
        wf.dispatch(session, actor=cast[who], village_id=cast["secretary"].region_id, matter_code=ON_LIST,
                    title="x", category=category, deadline=date(2026, 11, 10), owner_id=cast["secretary"].person_id,
                    now=NOW)
    session.rollback()
    assert _counts(session) == before


def test_dispatch_rejects_past_deadline_and_foreign_owner(session, cast):
    before = _counts(session)
    with pytest.raises(TaskStateError):
        new_task(session, cast, deadline=date(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        wf.dispatch(session, actor=cast["town_admin"], village_id=cast["secretary"].region_id, matter_code=ON_LIST,
                    title="x", category="township", deadline=date(2026, 11, 10),
                    owner_id=cast["other_secretary"].person_id, now=NOW)
    session.rollback()
    assert _counts(session) == before


def test_village_report_by_the_village(session, cast):
    task = wf.dispatch(session, actor=cast["secretary"], village_id=cast["secretary"].region_id,
                       matter_code="V-PS-01", title="民生实事", category="village_report",
                       deadline=date(2026, 11, 5), owner_id=cast["committee"].person_id, now=NOW)
    assert task.status == "dispatched" and task.dispatcher_region_id == cast["secretary"].region_id


# --- 过筛 report and the task timeline -------------------------------------------------------------------------

def test_screening_report_counts_and_share(session, cast):
    from core.screening import screening_report

    county = Scope(cast["county"].region_id, "county")
    day = NOW.date()
    before = screening_report(session, county, day, day)
    with pytest.raises(ScreeningRejected):
        new_task(session, cast, code="X-01")
    new_task(session, cast)
    rep = screening_report(session, county, day, day)
    assert (rep.screened, rep.dispatched) == (before.screened + 1, before.dispatched + 1)
    assert rep.share == pytest.approx(rep.screened / (rep.screened + rep.dispatched))
    assert cast["town_admin"].person_id in set(rep.by_dispatcher["dispatcher_id"])
    assert "X-01" in set(rep.by_matter["matter_code"])
    year = screening_report(session, county, date(2025, 11, 1), day)
    assert year.screened > 0 and 0 < year.share < 0.2
    assert year.by_matter["screened"].is_monotonic_decreasing
    village = screening_report(session, Scope(cast["other_secretary"].region_id, "village"), day, day)
    assert "X-01" not in set(village.by_matter["matter_code"])


def test_task_detail_has_the_full_timeline_and_respects_scope(session, cast):
    from core.task_queries import filter_options, task_detail

    task = advance(session, cast, new_task(session, cast), "in_progress")
    wf.urge(session, actor=cast["leader"], task_id=task.id, note="请加快", now=NOW + timedelta(hours=3))
    session.commit()
    d = task_detail(session, Scope(cast["secretary"].region_id, "village"), task.id)
    assert list(d.events["action"]) == ["dispatch", "sign", "start", "urge"]
    assert d.events["actor"].iloc[-1] == cast["leader"].name and d.facts["urge_count"] == 1
    with pytest.raises(NotFound):
        task_detail(session, Scope(cast["other_secretary"].region_id, "village"), task.id)
    opts = filter_options(session, Scope(cast["secretary"].region_id, "village"))
    assert [v for v, _ in opts["villages"]] == [cast["secretary"].region_id]
    assert cast["secretary"].person_id in {o for o, _ in opts["owners"]}
