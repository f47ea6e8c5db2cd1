"""The read-only 大屏 account (SPEC §3, #7): it exists, signs in, and every write path refuses it alike.

Write services are discovered (every public function of core.workflow / core.appeals /
core.acknowledgements that takes an `actor`), so a new one is covered or fails here for want of
arguments. Each is called as the screen viewer with arguments that would succeed for a cadre
allowed to act; each must raise ReadOnlyAccount with the one message and leave the database as it
was.
"""

from __future__ import annotations

import inspect
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import (
    accounts,
    acknowledgements,
    appeals,
    bidding,
    compliance,
    decision_steps,
    diary_visits,
    dispatching,
    evidence,
    moral_bank,
    one_thing,
    records,
    workflow,
)
from core.actors import READ_ONLY_MESSAGE, ReadOnlyAccount, first_actor
from core.auth import actor_for_username, authenticate
from core.config import AuthConfig
from core.enums import Role
from core.importer import load as importer
from tests.sql import rows as sql_rows

MODULES = (workflow, appeals, acknowledgements, compliance, decision_steps, diary_visits, dispatching, evidence, bidding,
           accounts, records, one_thing, importer, moral_bank)
TABLES = ("task", "task_event", "appeal", "appeal_event", "alert_ack", "dispatch_screening", "decision", "decision_step",
          "decision_event", "diary_visit", "bid_project", "project_bid", "project_milestone", "scene_event",
          "user_account", "account_event", "user_session", "one_time_password", "waste_check", "dept_report",
          "report_batch", "record_event", "indicator_value", "one_thing_case", "case_step", "dept_rating",
          "moral_household", "moral_entry")
NOW = datetime(2026, 10, 31, 10, 0)


def write_services() -> list[tuple[str, object]]:
    """(module.name, function) of every public write service (takes `actor`)."""
    out = []
    for mod in MODULES:
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            params = inspect.signature(fn).parameters
            if not name.startswith("_") and fn.__module__ == mod.__name__ and "actor" in params and {"session", "engine"} & set(params):
                out.append((f"{mod.__name__.removeprefix('core.')}.{name}", fn))
    return out


def snapshot(db) -> dict:
    """Row counts and a digest of every status a write could change (db: a URL or a SQLite file)."""
    out = {t: sql_rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}  # noqa: S608
    out["task_state"] = ",".join(f"{s}{n}" for s, n in sql_rows(db, "SELECT status, urge_count FROM task ORDER BY id"))
    out["appeal_state"] = ",".join(f"{s}{lv}{r or ''}" for s, lv, r in sql_rows(
        db, "SELECT status, level, rating FROM appeal ORDER BY id"))
    return out


def _args(s: Session, name: str, fn) -> dict:
    """Arguments that a permitted cadre could use: an open task / appeal in the county."""
    def one(sql: str):
        return s.exec(sa.text(sql)).first()[0]

    task = one("SELECT id FROM task WHERE status IN ('dispatched', 'signed', 'in_progress') ORDER BY id LIMIT 1")
    village, owner = s.exec(sa.text(f"SELECT village_id, owner_id FROM task WHERE id = {task}")).first()
    registry = {
        "task_id": task, "appeal_id": one("SELECT id FROM appeal WHERE status != 'closed' ORDER BY id LIMIT 1"),
        "note": "大屏试图修改", "now": NOW, "village_id": village, "owner_id": owner,
        "matter_code": one("SELECT code FROM matter_type WHERE on_list ORDER BY id LIMIT 1"), "title": "测试派发",
        "deadline": date(2026, 11, 30), "quality": 90.0, "grid_id": one("SELECT id FROM grid ORDER BY id LIMIT 1"),
        "items": acknowledgements.task_alerts(s, first_actor(s, "county_admin").scope),
        "scope": first_actor(s, "county_admin").scope,
        "decision_id": one("SELECT id FROM decision WHERE closed_on IS NULL ORDER BY id LIMIT 1"),
        "village_ids": [village], "done_on": NOW.date(), "opened_on": NOW.date(), "visited_on": NOW.date(),
        "household_no": 1, "minutes": "会议纪要", "paths": [],
        # 揭榜挂帅: the refusal comes before any lookup, so the first rows (or none yet) will do
        "project_id": 1, "bid_id": 1, "milestone_id": 1, "plan": "方案", "commitments": "承诺", "reason": "理由",
        "module": "economy", "budget": 100.0, "conditions": "条件", "bid_deadline": date(2026, 11, 30),
        "milestones": [("建成", date(2026, 12, 31))],
        "account_id": one("SELECT id FROM user_account WHERE username = 'town_leader'"), "actor_username": "screen_viewer",
        "post_id": one("SELECT post_id FROM user_account WHERE username = 'town_admin'"), "username": "new_person",
        "case_type": "违建处置", "step_id": 1, "rating": "good",
        # 道德银行: the refusal comes before any lookup
        "household_id": one("SELECT id FROM moral_household ORDER BY id LIMIT 1"), "dimension": "virtue", "points": 1.0,
        "hours": 2.0, "kind": "penalty", "source": "处罚决定书", "source_ref": None, "head_name": "王栋", "members": 3,
    }
    special = {"workflow.dispatch": {"category": "township"}, "workflow.rate_dispatch": {"rating": 5},
               "workflow.village_step": {"action": "sign"},
               "appeals.rate": {"rating": "good"}, "appeals.report": {"category": "环境卫生"},
               "compliance.review": {"outcome": "approve", "task_id": one("SELECT id FROM task WHERE needs_review LIMIT 1")},
               "decision_steps.record_step": {"step": 1}, "diary_visits.record_visit": {"topic": "政策宣传"},
               "dispatching.dispatch_batch": {"category": "township"},
               "appeals.route_to_department": {"department": "县住建局"}, "accounts.set_active": {"active": False},
               "records.add_record": {"kind": "waste_check", "values": {"checked_on": "2026-10-30",
                                                                       "households_checked": 5, "households_passed": 4}},
               "records.submit_report": {"period": 202610, "indicator_code": "ps_family_doctor", "numerator": 80,
                                         "denominator": 100}}
    kwargs = {}
    for p, spec in inspect.signature(fn).parameters.items():
        if p in ("session", "engine", "actor"):
            continue
        if p in special.get(name, {}):
            kwargs[p] = special[name][p]
        elif p in registry:
            kwargs[p] = registry[p]
        elif spec.default is inspect.Parameter.empty:
            pytest.fail(f"{name}: no argument for {p!r} — teach test_read_only.py how to call it")
    return kwargs


def test_generator_creates_one_read_only_screen_account(session):
    rows = session.exec(sa.text("SELECT u.username, u.read_only, p.role, p.region_id FROM user_account u "
                                "JOIN post p ON p.id = u.post_id WHERE u.read_only")).all()
    assert [(r[0], r[2]) for r in rows] == [("screen_viewer", str(Role.SCREEN_VIEWER))]
    root = session.exec(sa.text("SELECT min(id) FROM region WHERE parent_id IS NULL")).scalar()
    assert rows[0][3] == root, "the big screen sees the whole dataset"


def test_screen_viewer_signs_in_as_read_only(session):
    actor = authenticate(session, "screen_viewer", AuthConfig().demo_password, now=NOW)
    assert actor.role == Role.SCREEN_VIEWER and actor.read_only and not actor.may_write
    found = actor_for_username(session, "screen_viewer")
    assert found is not None and found[1] is True
    assert actor_for_username(session, "county_admin")[1] is False


@pytest.mark.parametrize(("name", "fn"), write_services(), ids=[n for n, _ in write_services()])
def test_every_write_refuses_the_screen_viewer_and_changes_nothing(session, writable_url, name, fn):
    viewer = authenticate(session, "screen_viewer", AuthConfig().demo_password, now=NOW)
    kwargs = _args(session, name, fn)
    before = snapshot(writable_url)
    # 知道了 keeps its own wording (core.acknowledgements.ReadOnlyAccount, a catalog key); the rest share one
    with pytest.raises((ReadOnlyAccount, acknowledgements.ReadOnlyAccount)) as err:
        first = session.get_bind() if "engine" in inspect.signature(fn).parameters else session  # accounts take the engine
        fn(first, actor=viewer, **kwargs)
    session.rollback()
    assert name.startswith("acknowledgements.") or str(err.value) == READ_ONLY_MESSAGE
    assert snapshot(writable_url) == before


def test_a_read_only_flag_on_any_account_refuses_writes(session, writable_url):
    """read_only on the account wins over the post's role (a county admin's post shown on a screen)."""
    session.exec(sa.text("UPDATE user_account SET read_only = TRUE WHERE username = 'county_admin'"))
    session.commit()
    actor, read_only = actor_for_username(session, "county_admin")
    assert read_only and not actor.may_write
    before = snapshot(writable_url)
    task = session.exec(sa.text("SELECT id FROM task WHERE status = 'in_progress' LIMIT 1")).scalar()
    with pytest.raises(ReadOnlyAccount, match=READ_ONLY_MESSAGE):
        workflow.urge(session, actor=actor, task_id=task, note="x", now=NOW)
    session.rollback()
    assert snapshot(writable_url) == before


def test_the_same_call_succeeds_for_a_cadre_allowed_to_act(session, writable_url):
    """Control: 催办 by the county admin goes through, so the refusal above is about the account."""
    admin = authenticate(session, "county_admin", AuthConfig().demo_password, now=NOW)
    task = session.exec(sa.text("SELECT id FROM task WHERE status = 'in_progress' LIMIT 1")).scalar()
    before = snapshot(writable_url)["task_event"]
    workflow.urge(session, actor=admin, task_id=task, note="请尽快办结", now=NOW + timedelta(minutes=1))
    session.commit()
    assert snapshot(writable_url)["task_event"] == before + 1
