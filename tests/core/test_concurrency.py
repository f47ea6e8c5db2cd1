"""8 threads urge and complete tasks on one database at once: every action recorded exactly once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core import workflow as wf
from core.actors import Actor, first_actor
from core.db import make_engine, session_scope
from core.models import Task, TaskEvent
from core.scope import Scope

THREADS = 8
URGES_PER_THREAD = 12
NOW = datetime(2026, 10, 31, 9)


def _open_tasks(session: Session, n: int) -> list[tuple[int, int]]:
    """(task id, village id) of n in-progress tasks whose village has a secretary."""
    rows = session.exec(sa.select(Task.id, Task.village_id).where(Task.status == "in_progress").order_by(Task.id)).all()
    return [(int(r.id), int(r.village_id)) for r in rows[:n]]


def test_eight_threads_urge_and_complete_without_losing_an_action(writable_url):
    url = writable_url  # a SQLite file, or a PostgreSQL database under make test-pg
    engine = make_engine(url)  # one engine (pool) shared by the threads, one session per action
    with Session(engine) as s:
        county = first_actor(s, "county_admin")
        urge_targets = _open_tasks(s, 4)
        done_targets = _open_tasks(s, 12)[4:]
        cadres = {vid: first_actor(s, "village_secretary", within=Scope(vid, "village")) for _, vid in done_targets}
        before_urges = {tid: s.get(Task, tid).urge_count for tid, _ in urge_targets}
        before_events = s.exec(sa.select(sa.func.count()).select_from(TaskEvent)).scalar()
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> None:
        try:
            barrier.wait()
            for i in range(URGES_PER_THREAD):
                tid = urge_targets[(k + i) % len(urge_targets)][0]
                with session_scope(engine, write=True) as s:
                    wf.urge(s, actor=county, task_id=tid, note=f"t{k}-{i}", now=NOW + timedelta(seconds=i))
            tid, vid = done_targets[k]
            actor: Actor = cadres[vid]
            with session_scope(engine, write=True) as s:
                wf.complete(s, actor=actor, task_id=tid, note=f"t{k}", now=NOW)
        except BaseException as err:  # noqa: BLE001 — collected and asserted on below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors  # in particular no "database is locked"
    with Session(engine) as s:
        notes = s.exec(sa.select(TaskEvent.note).where(TaskEvent.action == "urge", TaskEvent.note.like("t%-%"))).scalars().all()
        assert sorted(notes) == sorted(f"t{k}-{i}" for k in range(THREADS) for i in range(URGES_PER_THREAD))
        total = THREADS * URGES_PER_THREAD
        after = {tid: s.get(Task, tid).urge_count for tid, _ in urge_targets}
        assert sum(after.values()) - sum(before_urges.values()) == total
        for tid, _ in urge_targets:
            n = s.exec(sa.select(sa.func.count()).where(TaskEvent.task_id == tid, TaskEvent.action == "urge",
                                                        TaskEvent.note.like("t%-%"))).scalar()
            assert after[tid] - before_urges[tid] == n
        for tid, _ in done_targets:
            assert s.get(Task, tid).status == "done"
            assert s.exec(sa.select(sa.func.count()).where(TaskEvent.task_id == tid,
                                                           TaskEvent.action == "complete")).scalar() == 1
        assert s.exec(sa.select(sa.func.count()).select_from(TaskEvent)).scalar() == before_events + total + THREADS
    engine.dispose()
