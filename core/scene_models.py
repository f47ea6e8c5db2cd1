"""The seeds' remaining scenes (SPEC §8) as records: 揭榜挂帅 projects with their bids and milestones, county
departments with 一件事 cases, their per-party steps and the township's 双向考评 ratings, and the 道德银行
households with their points ledger; one append-only event table (留痕) for all of them. `core.models`
re-exports every class.

Every row carries the region it belongs to (a project its township and, once awarded, its village; a case its
village; a household its village), so scope is the usual id range.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlmodel import Field

from core.table_model import TableModel


def _region(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, foreign_key="region.id", sa_type=sa.BigInteger)
    return Field(foreign_key="region.id", sa_type=sa.BigInteger)


class BidProject(TableModel, table=True):
    """揭榜挂帅: a project a township publishes (发榜) for its villages to bid on (竞榜); the township awards it to
    one bid (揭榜, with the reason), and the winning village delivers its milestones (落地)."""

    __tablename__ = "bid_project"
    __table_args__ = (sa.Index("ix_bid_project_township", "township_id", "status"),
                      sa.Index("ix_bid_project_village_landed", "village_id", "landed_on"))
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    township_id: int = _region()
    title: str = Field(max_length=128)
    module: str = Field(max_length=16)
    budget: float  # 万元
    conditions: str = Field(max_length=512)
    bid_deadline: date
    status: str = Field(max_length=16)  # published | awarded | landed | withdrawn
    published_by: int = Field(foreign_key="person.id")
    published_at: NaiveDatetime
    village_id: int | None = _region(nullable=True)  # the winner (揭榜村)
    winner_id: int | None = Field(default=None, foreign_key="person.id")  # the winning bid's cadre (挂帅人)
    awarded_at: NaiveDatetime | None = None
    award_reason: str | None = Field(default=None, max_length=512)
    landed_on: date | None = None


class ProjectBid(TableModel, table=True):
    """竞榜: one village's bid on a project, with its plan and commitments (outcome: pending | won | lost)."""

    __tablename__ = "project_bid"
    __table_args__ = (sa.UniqueConstraint("project_id", "village_id", name="uq_project_bid_village"),
                      sa.Index("ix_project_bid_village", "village_id"))
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="bid_project.id")
    village_id: int = _region()
    bidder_id: int = Field(foreign_key="person.id")
    plan: str = Field(max_length=1024)
    commitments: str = Field(max_length=512)
    submitted_at: NaiveDatetime
    outcome: str = Field(default="pending", max_length=8)


class ProjectMilestone(TableModel, table=True):
    """落地: a milestone of a project, due on `due_on`, done on `done_on` (None: not yet)."""

    __tablename__ = "project_milestone"
    __table_args__ = (sa.Index("ix_project_milestone_project", "project_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="bid_project.id")
    seq: int
    title: str = Field(max_length=128)
    due_on: date
    done_on: date | None = None
    done_by: int | None = Field(default=None, foreign_key="person.id")
    note: str | None = Field(default=None, max_length=256)


class SceneEvent(TableModel, table=True):
    """留痕 of the scenes: who did what to which record (kind: the record's table), when, in which region."""

    __tablename__ = "scene_event"
    __table_args__ = (sa.Index("ix_scene_event_record", "kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    record_id: int
    region_id: int = _region()
    at: NaiveDatetime
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=512)


class Department(TableModel, table=True):
    """县级部门: a county-level office (住建局, 自然资源和规划局 …) that leads or co-handles 一件事 cases; its staff
    hold posts at the county with `post.department_id`."""

    __tablename__ = "department"
    __table_args__ = (sa.UniqueConstraint("county_id", "name", name="uq_department_county_name"),)
    id: int | None = Field(default=None, primary_key=True)
    county_id: int = _region()
    name: str = Field(max_length=32)


class OneThingCase(TableModel, table=True):
    """一件事: one cross-department case of a listed type in a village, opened by its township; it closes when
    every party's step is done."""

    __tablename__ = "one_thing_case"
    __table_args__ = (sa.Index("ix_one_thing_case_village", "village_id", "closed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    case_type: str = Field(max_length=16)
    village_id: int = _region()
    title: str = Field(max_length=128)
    opened_by: int = Field(foreign_key="person.id")
    opened_at: NaiveDatetime
    closed_at: NaiveDatetime | None = None


class CaseStep(TableModel, table=True):
    """A party's step of a case: the lead department, a co-handling department or the township (department_id
    None), due by `due_at`, done at `done_at`."""

    __tablename__ = "case_step"
    __table_args__ = (sa.Index("ix_case_step_case", "case_id"), sa.Index("ix_case_step_department", "department_id", "done_at"))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="one_thing_case.id")
    village_id: int = _region()
    party: str = Field(max_length=8)  # lead | co | township
    department_id: int | None = Field(default=None, foreign_key="department.id")
    due_at: NaiveDatetime
    done_at: NaiveDatetime | None = None
    done_by: int | None = Field(default=None, foreign_key="person.id")
    note: str | None = Field(default=None, max_length=256)


class DeptRating(TableModel, table=True):
    """县乡双向考评: the township's rating (good | fair | poor, 好/中/差) of a department's part in a closed case."""

    __tablename__ = "dept_rating"
    __table_args__ = (sa.UniqueConstraint("step_id", name="uq_dept_rating_step"),
                      sa.Index("ix_dept_rating_department", "department_id", "rated_at"))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="one_thing_case.id")
    step_id: int = Field(foreign_key="case_step.id")
    department_id: int = Field(foreign_key="department.id")
    village_id: int = _region()
    rating: str = Field(max_length=8)
    note: str | None = Field(default=None, max_length=256)
    rated_by: int = Field(foreign_key="person.id")
    rated_at: NaiveDatetime


class MoralHousehold(TableModel, table=True):
    """道德银行: a household of a village that takes part (its head's name, its 户号 in the village)."""

    __tablename__ = "moral_household"
    __table_args__ = (sa.UniqueConstraint("village_id", "code", name="uq_moral_household_code"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _region()
    code: str = Field(max_length=16)
    head_name: str = Field(max_length=32)
    members: int = 1
    joined_on: date


class MoralEntry(TableModel, table=True):
    """A line of a household's points ledger: an evaluation (评议, by the grid, village, township or city), volunteer
    hours (志愿奉献) or a deduction (失信被执行人, 行政处罚: a reported or imported record, with its source)."""

    __tablename__ = "moral_entry"
    __table_args__ = (sa.Index("ix_moral_entry_household", "household_id", "recorded_on"),
                      sa.Index("ix_moral_entry_village", "village_id", "recorded_on"))
    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="moral_household.id")
    village_id: int = _region()
    kind: str = Field(max_length=12)  # evaluation | volunteer | dishonest | penalty
    dimension: str = Field(max_length=12)  # core.config.MORAL_DIMENSIONS
    level: str | None = Field(default=None, max_length=8)  # evaluations: grid | village | township | city
    points: float
    hours: float | None = None
    source: str = Field(max_length=64)
    source_ref: str | None = Field(default=None, max_length=64)
    recorded_by: int | None = Field(default=None, foreign_key="person.id")
    recorded_on: date
    note: str | None = Field(default=None, max_length=256)
