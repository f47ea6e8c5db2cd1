"""Model constraints enforced by the database itself: unique codes, parent one level up, done after dispatch."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.models import Grid, MatterType, Region, Task

COUNTY = 330624000000
TOWNSHIP = 330624001000


def region_row(rid: int, level: str, parent: int | None, code: str | None = None) -> dict:
    """A minimal region row."""
    return {"id": rid, "code": code or str(rid), "name": "测试", "level": level, "kind": level,
            "parent_id": parent, "lon": 120.9, "lat": 29.5, "boundary": "{}"}


def insert_fails(session, table, row: dict) -> bool:
    """True when the insert violates a constraint (and is rolled back)."""
    try:
        session.execute(sa.insert(table), [row])
        session.flush()
    except IntegrityError:
        session.rollback()
        return True
    session.rollback()
    return False


def test_region_codes_are_unique(session):
    assert insert_fails(session, Region.__table__, region_row(330624001999, "village", TOWNSHIP, code=str(TOWNSHIP)))


def test_grid_and_task_and_matter_codes_are_unique(session):
    grid = session.exec(sa.select(Grid)).scalars().first()
    assert insert_fails(session, Grid.__table__, {"id": grid.village_id * 1000 + 999, "code": grid.code,
                                                  "village_id": grid.village_id, "name": "x", "lon": 0, "lat": 0,
                                                  "households": 1, "population": 1, "boundary": "{}"})
    matter = session.exec(sa.select(MatterType)).scalars().first()
    assert insert_fails(session, MatterType.__table__, {"code": matter.code, "name": "重复", "level": "village",
                                                        "module": "safety"})
    task = session.exec(sa.select(Task.__table__).limit(1)).mappings().one()
    assert insert_fails(session, Task.__table__, {**task, "id": None})


def test_a_village_whose_parent_is_its_township_is_accepted(session):
    assert not insert_fails(session, Region.__table__, region_row(330624001999, "village", TOWNSHIP))


@pytest.mark.parametrize(("rid", "level", "parent"), [
    (330624001999, "village", COUNTY),  # skips the township level
    (330624001999, "village", 330624101000),  # a township, but not its own
    (330624999000, "township", 330600000000),  # a township hung under the city
    (330624999000, "village", TOWNSHIP),  # a township-shaped code claiming to be a village
    (330624001999, "township", TOWNSHIP),  # a village-shaped code claiming to be a township
])
def test_a_region_parent_must_be_exactly_one_level_up(session, rid, level, parent):
    assert insert_fails(session, Region.__table__, region_row(rid, level, parent))


def test_a_grid_must_lie_in_its_village(session):
    grid = session.exec(sa.select(Grid)).scalars().first()
    assert insert_fails(session, Grid.__table__, {"id": 330624101201999, "code": "G-TEST", "village_id": grid.village_id,
                                                  "name": "x", "lon": 0, "lat": 0, "households": 1, "population": 1,
                                                  "boundary": "{}"})


def test_a_task_cannot_be_done_before_it_was_dispatched(session):
    task = session.exec(sa.select(Task).where(Task.status == "in_progress")).scalars().first()
    with pytest.raises(IntegrityError, match="ck_task_done_after_dispatch|CHECK"):
        session.execute(sa.update(Task).where(Task.id == task.id)
                        .values(status="done", done_at=task.dispatched_at - timedelta(hours=1)))
        session.flush()
    session.rollback()
    session.execute(sa.update(Task).where(Task.id == task.id)
                    .values(status="done", done_at=task.dispatched_at + timedelta(hours=1)))
    session.flush()
    session.rollback()


def test_a_new_task_done_before_dispatch_is_refused(session):
    row = dict(session.exec(sa.select(Task.__table__).limit(1)).mappings().one())
    row.update(id=None, code="RW-TEST-1", status="done", dispatched_at=datetime(2026, 5, 1, 9),
               done_at=datetime(2026, 4, 30, 9))
    assert insert_fails(session, Task.__table__, row)
