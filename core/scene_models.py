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
