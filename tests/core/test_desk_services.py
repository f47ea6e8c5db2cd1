"""The desk's services: batch dispatch and 过筛, the compliance review, routing, decision steps, diary visits,
attachments, time travel, the desk lists, search — and every one refused (one message, nothing written) for a
role that may not take it, or on a stale form."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import appeals, attachments, compliance, desk, dispatching, evidence, search, workflow
from core import decision_steps as dsteps
from core import diary_visits as visits
from core.actors import Actor
from core.auth import actor_for_username
from core.clock import FixedClock, TimeTravel, check_live, get_clock
from core.decisions import decision_table
from core.errors import DomainError, PermissionDenied, ScreeningRejected, TaskStateError
from core.scope import Scope, ScopeError
from core.screening import screening_report

NOW = datetime(2026, 10, 31, 10, 0)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"x" * 100
TABLES = ("task", "task_event", "dispatch_screening", "appeal", "appeal_event", "decision", "decision_step",
          "decision_event", "diary_visit")


@pytest.fixture
def who(session: Session) -> dict[str, Actor]:
    """The demo accounts' actors (first township of 新昌, its first village)."""
    names = ["town_admin", "town_leader", "line_cadre", "town_party_deputy", "village_secretary", "village_committee",
             "grid_worker", "county_admin"]
    return {n: actor_for_username(session, n)[0] for n in names}


def counts(session: Session) -> dict[str, int]:
    return {t: int(session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()) for t in TABLES}  # noqa: S608


def villages(session: Session, town: int) -> list[int]:
    return [int(v) for v in session.execute(sa.text(
        "SELECT id FROM region WHERE level = 'village' AND parent_id = :t ORDER BY id"), {"t": town}).scalars()]


def batch(session, who, code="T-SA-01", n=2, reason=None, by="town_leader"):
    vs = villages(session, who[by].region_id)[:n]
    tasks = dispatching.dispatch_batch(session, actor=who[by], village_ids=vs, matter_code=code, title="排查",
                                       category="township", deadline=NOW.date() + timedelta(days=7), now=NOW,
                                       reason=reason)
    session.commit()
    return tasks


def test_batch_dispatch_gives_each_village_its_task_owned_by_its_secretary(session, who):
    tasks = batch(session, who, n=2)
    assert len(tasks) == 2 and len({t.village_id for t in tasks}) == 2
    for t in tasks:
        role = session.execute(sa.text("SELECT role FROM post WHERE person_id = :p AND region_id = :v"),
                               {"p": t.owner_id, "v": t.village_id}).scalar()
        assert role == "village_secretary" and t.status == "dispatched"


def test_off_list_batch_is_screened_out_for_every_village_and_writes_no_task(session, who):
    before = counts(session)
    with pytest.raises(ScreeningRejected, match="不在村级准入清单内"):
        batch(session, who, code="X-04", n=2)
    session.rollback()
    after = counts(session)
    assert after["task"] == before["task"] and after["task_event"] == before["task_event"]
    assert after["dispatch_screening"] == before["dispatch_screening"] + 2  # the refusals are the record


def test_emergency_needs_a_reason_then_waits_in_the_review_queue_and_the_report_counts_the_outcome(session, who):
    with pytest.raises(TaskStateError, match="加急理由"):
        batch(session, who, code="E-99", n=1)
    session.rollback()
    task = batch(session, who, code="E-99", n=1, reason="台风预警，连夜转移")[0]
    scope = who["town_admin"].scope
    assert task.id in set(compliance.review_queue(session, scope).task_id)
    rep0 = screening_report(session, scope, date(2026, 1, 1), NOW.date())
    compliance.review(session, actor=who["town_admin"], task_id=task.id, outcome="approve", note=None, now=NOW)
    session.commit()
    assert task.id not in set(compliance.review_queue(session, scope).task_id)
    rep1 = screening_report(session, scope, date(2026, 1, 1), NOW.date())
    assert (rep1.review_approved, rep1.review_pending) == (rep0.review_approved + 1, rep0.review_pending - 1)
    with pytest.raises(TaskStateError, match="已审查"):  # the second reviewer's stale form
        compliance.review(session, actor=who["town_admin"], task_id=task.id, outcome="flag", note="x", now=NOW)
    session.rollback()
    other = batch(session, who, code="E-99", n=1, reason="紧急")[0]
    with pytest.raises(DomainError, match="理由"):
        compliance.review(session, actor=who["town_admin"], task_id=other.id, outcome="flag", note="", now=NOW)
    session.rollback()
    compliance.review(session, actor=who["town_admin"], task_id=other.id, outcome="flag", note="不属于加急", now=NOW)
    session.commit()
    assert screening_report(session, scope, date(2026, 1, 1), NOW.date()).review_flagged == rep0.review_flagged + 1


def test_village_loop_with_a_photo_then_scored(session, who, tmp_path, monkeypatch):
    monkeypatch.setenv(attachments.FILES_ENV, str(tmp_path))
    vs = who["village_secretary"]
    task = dispatching.dispatch_batch(session, actor=who["town_leader"], village_ids=[vs.region_id], matter_code="T-SA-01",
                                      title="隐患整改", category="township", deadline=NOW.date() + timedelta(days=3), now=NOW)[0]
    session.commit()
    workflow.sign(session, actor=vs, task_id=task.id, now=NOW + timedelta(hours=1))
    workflow.start(session, actor=vs, task_id=task.id, now=NOW + timedelta(hours=2))
    session.commit()
    with pytest.raises(attachments.AttachmentRejected, match="不是照片"):
        evidence.complete_with_files(session, actor=vs, task_id=task.id, note="x", files=[("a.jpg", b"MZ\x90\x00")],
                                     now=NOW + timedelta(hours=3))
    session.rollback()
    assert session.get(workflow.Task, task.id, populate_existing=True).status == "in_progress"
    evidence.complete_with_files(session, actor=vs, task_id=task.id, note="已整改", files=[("现场.jpg", JPEG), ("记录.pdf", PDF)],
                                 now=NOW + timedelta(hours=3))
    session.commit()
    event = session.execute(sa.text("SELECT id FROM task_event WHERE task_id = :t AND action = 'complete'"), {"t": task.id}).scalar()
    stored = attachments.files_of("task_event", event)
    assert sorted(f.mime for f in stored) == ["application/pdf", "image/jpeg"]
    assert all(f.path.is_file() and f.person_id == vs.person_id for f in stored)
    workflow.score(session, actor=who["town_leader"], task_id=task.id, quality=92, now=NOW + timedelta(hours=4))
    session.commit()
    assert session.get(workflow.Task, task.id, populate_existing=True).status == "scored"


def test_attachments_are_checked_by_content_and_size():
    assert attachments.sniff(JPEG) == ("image/jpeg", "jpg") and attachments.sniff(PDF) == ("application/pdf", "pdf")
    assert attachments.sniff(b"<html>") is None
    with pytest.raises(attachments.AttachmentRejected, match="超过 10 MB"):
        attachments.check_files([("big.jpg", JPEG + b"\x00" * (10 * 1024 * 1024))])
    with pytest.raises(attachments.AttachmentRejected, match="不是照片"):
        attachments.check_files([("photo.jpg", b"GIF89a")])  # named .jpg, is not one


def test_stale_form_two_cadres_sign_the_same_task(session, who):
    vs, vc = who["village_secretary"], who["village_committee"]
    task = dispatching.dispatch_batch(session, actor=who["town_leader"], village_ids=[vs.region_id], matter_code="T-SA-01",
                                      title="同时签收", category="township", deadline=NOW.date() + timedelta(days=3), now=NOW)[0]
    session.commit()
    workflow.sign(session, actor=vs, task_id=task.id, now=NOW + timedelta(minutes=5))
    session.commit()
    before = counts(session)
    with pytest.raises(TaskStateError, match="已签收"):
        workflow.sign(session, actor=vc, task_id=task.id, now=NOW + timedelta(minutes=6))
    session.rollback()
    assert counts(session) == before
    events = session.execute(sa.text("SELECT actor_id FROM task_event WHERE task_id = :t AND action = 'sign'"),
                             {"t": task.id}).scalars().all()
    assert events == [vs.person_id]  # the first cadre's action stands


def test_route_an_escalated_appeal_to_a_county_department(session, who):
    worker = who["grid_worker"]
    grid = session.execute(sa.text("SELECT id FROM grid WHERE worker_id = :p"), {"p": worker.person_id}).scalar()
    a = appeals.report(session, actor=worker, grid_id=grid, category="安全隐患", note="桥梁护栏松动", address="村口桥",
                       now=NOW)
    appeals.escalate(session, actor=who["village_secretary"], appeal_id=a.id, now=NOW + timedelta(hours=1))
    appeals.escalate(session, actor=who["village_secretary"], appeal_id=a.id, now=NOW + timedelta(hours=2))
    session.commit()
    with pytest.raises(DomainError, match="未知的县级部门"):
        appeals.route_to_department(session, actor=who["town_admin"], appeal_id=a.id, department="外星局", now=NOW)
    session.rollback()
    appeals.route_to_department(session, actor=who["town_admin"], appeal_id=a.id, department="县住建局", now=NOW + timedelta(hours=3))
    session.commit()
    a = session.get(appeals.Appeal, a.id, populate_existing=True)
    assert a.level == "county"
    note = session.execute(sa.text("SELECT note FROM appeal_event WHERE appeal_id = :a AND action = 'route'"), {"a": a.id}).scalar()
    assert "县住建局" in note
    report_note = session.execute(sa.text("SELECT note FROM appeal_event WHERE appeal_id = :a AND action = 'report'"), {"a": a.id}).scalar()
    assert "村口桥" in report_note and "护栏" in report_note


def test_decision_steps_out_of_order_raise_the_warning_and_closing_records_the_day(session, who):
    vs = who["village_secretary"]
    d = dsteps.open_decision(session, actor=vs, title="村道拓宽", opened_on=NOW.date() - timedelta(days=10), now=NOW)
    session.commit()
    dsteps.record_step(session, actor=vs, decision_id=d.id, step=1, done_on=NOW.date() - timedelta(days=9), minutes="收集建议", now=NOW)
    dsteps.record_step(session, actor=vs, decision_id=d.id, step=3, done_on=NOW.date() - timedelta(days=5), minutes="联席会议",
                       now=NOW)  # 村党组织提议 skipped
    session.commit()
    row = decision_table(session, Scope(vs.region_id, "village"), NOW.date()).set_index("decision_id").loc[d.id]
    assert "skipped_step" in row.issues and row.skipped == (2,)
    stored = session.execute(sa.text("SELECT skipped, flawed FROM rollup_decision_check WHERE decision_id = :d"), {"d": d.id}).one()
    assert stored == ("2", 1)
    with pytest.raises(DomainError, match="会议纪要"):
        dsteps.record_step(session, actor=vs, decision_id=d.id, step=2, done_on=NOW.date(), now=NOW)
    session.rollback()
    with pytest.raises(DomainError, match="已记录过"):
        dsteps.record_step(session, actor=vs, decision_id=d.id, step=1, done_on=NOW.date(), minutes="x", now=NOW)
    session.rollback()
    dsteps.record_step(session, actor=vs, decision_id=d.id, step=7, done_on=NOW.date(), minutes="公开", now=NOW)
    session.commit()
    assert session.get(dsteps.Decision, d.id, populate_existing=True).closed_on == NOW.date()
    assert len(dsteps.decision_log(session, vs.scope, d.id)) == 4  # open + three steps


def test_diary_visit_of_a_household_of_the_workers_grid(session, who):
    worker = who["grid_worker"]
    grid = session.execute(sa.text("SELECT id FROM grid WHERE worker_id = :p"), {"p": worker.person_id}).scalar()
    houses = visits.grid_households(session, worker.scope, grid)
    v = visits.record_visit(session, actor=worker, grid_id=grid, household_no=houses[0], topic="政策宣传",
                            visited_on=NOW.date(), now=NOW)
    session.commit()
    assert v.person_id == worker.person_id
    with pytest.raises(DomainError, match="不在"):
        visits.record_visit(session, actor=worker, grid_id=grid, household_no=houses[-1] + 1, topic="政策宣传",
                            visited_on=NOW.date(), now=NOW)
    session.rollback()
    with pytest.raises(DomainError, match="晚于今天"):
        visits.record_visit(session, actor=worker, grid_id=grid, household_no=houses[0], topic="政策宣传",
                            visited_on=NOW.date() + timedelta(days=1), now=NOW)
    session.rollback()


def _grid(session, who):
    return session.execute(sa.text("SELECT id FROM grid WHERE worker_id = :p"), {"p": who["grid_worker"].person_id}).scalar()


def _done_task(session, who):
    t = batch(session, who, n=1)[0]
    vs = who["village_secretary"] if t.village_id == who["village_secretary"].region_id else None
    assert vs is not None
    for fn in (workflow.sign, workflow.start, workflow.complete):
        fn(session, actor=vs, task_id=t.id, now=NOW + timedelta(hours=1))
    session.commit()
    return t


#: (action, role that may not take it, call) — each refused with one message, nothing written.
REFUSALS = [
    ("dispatch", "village_secretary", lambda s, w, a: dispatching.dispatch_batch(
        s, actor=a, village_ids=[w["village_secretary"].region_id], matter_code="T-SA-01", title="x", category="township",
        deadline=NOW.date() + timedelta(days=3), now=NOW)),
    ("dispatch", "town_party_deputy", lambda s, w, a: dispatching.dispatch_batch(
        s, actor=a, village_ids=[w["village_secretary"].region_id], matter_code="T-SA-01", title="x", category="township",
        deadline=NOW.date() + timedelta(days=3), now=NOW)),
    ("score", "line_cadre", lambda s, w, a: workflow.score(s, actor=a, task_id=_done_task(s, w).id, quality=80, now=NOW)),
    ("score", "village_secretary", lambda s, w, a: workflow.score(s, actor=a, task_id=_done_task(s, w).id, quality=80, now=NOW)),
    ("review", "town_leader", lambda s, w, a: compliance.review(
        s, actor=a, task_id=batch(s, w, code="E-99", n=1, reason="急")[0].id, outcome="approve", note=None, now=NOW)),
    ("sign", "town_leader", lambda s, w, a: workflow.sign(s, actor=a, task_id=batch(s, w, n=1)[0].id, now=NOW)),
    ("sign", "grid_worker", lambda s, w, a: workflow.sign(s, actor=a, task_id=batch(s, w, n=1)[0].id, now=NOW)),
    ("route", "village_secretary", lambda s, w, a: appeals.route_to_department(
        s, actor=a, appeal_id=_township_appeal(s, w), department="县住建局", now=NOW)),
    ("report", "town_admin", lambda s, w, a: appeals.report(s, actor=a, grid_id=_grid(s, w), category="环境卫生", now=NOW)),
    ("rate_appeal", "town_admin", lambda s, w, a: appeals.rate(s, actor=a, appeal_id=_closed_appeal(s, w), rating="good", now=NOW)),
    ("decision_step", "grid_worker", lambda s, w, a: dsteps.record_step(
        s, actor=a, decision_id=_open_decision(s, w), step=1, done_on=NOW.date(), minutes="x", now=NOW)),
    ("decision_step", "town_admin", lambda s, w, a: dsteps.record_step(
        s, actor=a, decision_id=_open_decision(s, w), step=1, done_on=NOW.date(), minutes="x", now=NOW)),
    ("diary", "town_admin", lambda s, w, a: visits.record_visit(
        s, actor=a, grid_id=_grid(s, w), household_no=1, topic="政策宣传", visited_on=NOW.date(), now=NOW)),
    ("rate_dispatch", "town_leader", lambda s, w, a: workflow.rate_dispatch(
        s, actor=a, task_id=_done_task(s, w).id, rating=5, now=NOW)),
]


def _township_appeal(s, w):
    a = appeals.report(s, actor=w["grid_worker"], grid_id=_grid(s, w), category="环境卫生", note="x", now=NOW)
    appeals.escalate(s, actor=w["village_secretary"], appeal_id=a.id, now=NOW)
    appeals.escalate(s, actor=w["village_secretary"], appeal_id=a.id, now=NOW)
    s.commit()
    return a.id


def _closed_appeal(s, w):
    a = appeals.report(s, actor=w["grid_worker"], grid_id=_grid(s, w), category="环境卫生", note="x", now=NOW)
    appeals.close(s, actor=w["village_secretary"], appeal_id=a.id, now=NOW + timedelta(hours=1))
    s.commit()
    return a.id


def _open_decision(s, w):
    d = dsteps.open_decision(s, actor=w["village_secretary"], title="议事", opened_on=NOW.date(), now=NOW)
    s.commit()
    return d.id


@pytest.mark.parametrize(("action", "role", "call"), REFUSALS, ids=[f"{a}-{r}" for a, r, _ in REFUSALS])
def test_every_desk_action_is_refused_for_a_role_that_may_not_take_it(session, who, action, role, call):
    from unittest import mock

    real_commit = session.commit
    before: dict[str, int] = {}

    def arm():  # the counts are taken after the set-up's own commits, right before the refused call
        before.update(counts(session))

    with mock.patch.object(session, "commit", side_effect=lambda: (real_commit(), arm())):
        arm()
        with pytest.raises((PermissionDenied, ScopeError)) as err:
            call(session, who, who[role])
    session.rollback()
    assert str(err.value) and "\n" not in str(err.value)
    assert counts(session) == before, f"{action} by {role} wrote something"


def test_time_travel_refuses_and_the_clock_is_injected(monkeypatch):
    with pytest.raises(TimeTravel, match="只读"):
        check_live(date(2026, 9, 30), date(2026, 10, 31))
    check_live(date(2026, 10, 31), date(2026, 10, 31))
    monkeypatch.setenv("XINGCUN_CLOCK", "2026-10-31T15:30:00")
    assert get_clock() == FixedClock(datetime(2026, 10, 31, 15, 30))
    monkeypatch.delenv("XINGCUN_CLOCK")
    assert abs((get_clock().now() - datetime.now(tz=None)).total_seconds()) < 24 * 3600


def test_desks_list_what_waits_on_each_role(session, who):
    t = _done_task(session, who)
    town = desk.desk(session, who["town_leader"], NOW.date())
    assert t.id in set(town.lists["to_score"].task_id) and town.counts["waiting"] >= 1
    fresh = batch(session, who, n=1)[0]
    village = desk.desk(session, who["village_secretary"], NOW.date())
    assert fresh.id in set(village.lists["inbox"].task_id)
    assert set(village.lists["inbox"].urgency) <= {"ok", "due_soon", "overdue"}
    grid = desk.desk(session, who["grid_worker"], NOW.date())
    assert grid.kind == "grid" and set(grid.lists) == {"appeals", "to_rate"}


def test_search_by_name_code_and_initials_within_scope(session, who):
    idx = search.build_index(session)
    assert search.initials("华康社区") == "hksq"
    county = who["county_admin"].scope
    vs = who["village_secretary"]
    name, code = session.execute(sa.text("SELECT name, code FROM region WHERE id = :v"), {"v": vs.region_id}).one()
    for q in (name, code, search.initials(name, phrase=True)):
        hits = idx.search(county, q)
        assert hits and hits[0].code == code and hits[0].kind == "village", (q, hits[:3])
    other = session.execute(sa.text("SELECT name FROM region WHERE level='village' AND id NOT BETWEEN :lo AND :hi LIMIT 1"),
                            {"lo": who["town_admin"].scope.lo, "hi": who["town_admin"].scope.hi}).scalar()
    assert all(who["town_admin"].scope.contains(h.region_id) for h in idx.search(who["town_admin"].scope, other))
    assert all(who["town_admin"].scope.contains(h.region_id) for h in idx.search(who["town_admin"].scope, "z"))
    t0 = time.perf_counter()
    for q in ("z", "l", "hk", "3306", "村", "李"):
        idx.search(county, q)
    assert (time.perf_counter() - t0) / 6 < 0.1


def test_a_diary_visit_moves_the_villages_diary_indicator_live(session, who):
    worker = who["grid_worker"]
    grid, village = session.execute(sa.text("SELECT id, village_id FROM grid WHERE worker_id = :p"),
                                    {"p": worker.person_id}).one()
    period = NOW.year * 100 + NOW.month
    q = sa.text("SELECT numerator FROM indicator_value WHERE village_id = :v AND period = :p AND indicator_code = 'pb_diary'")
    before = session.execute(q, {"v": village, "p": period}).scalar()
    houses = visits.grid_households(session, worker.scope, grid)
    visits.record_visit(session, actor=worker, grid_id=grid, household_no=houses[0], topic="政策宣传",
                        visited_on=NOW.date(), now=NOW)
    session.commit()
    after = session.execute(q, {"v": village, "p": period}).scalar()
    assert after == (before or 0) + 1, (before, after)
