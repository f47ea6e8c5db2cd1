"""Record tables the indicators count (SPEC §11): party members and their linked households (党员联户),
三会一课 and 主题党日 meetings, 村务公开 postings, trainings, safety and fire inspections, key persons and their
follow-ups, anti-fraud visits, waste-sorting checks; the department reports (部门报送) with their versions
and batches; one append-only event table for all of them. `core.models` re-exports every class.

Every row carries its village (the scope key). Counts live on the row where one event covers many units
(an inspection round checks many premises; a meeting has 应到/实到), so a month of a village is a handful of
rows, not thousands.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlmodel import Field

from core.table_model import TableModel


def _village() -> Any:
    return Field(foreign_key="region.id", sa_type=sa.BigInteger)


class PartyMember(TableModel, table=True):
    """党员: a Party member registered in a village branch (left_on: moved away or transferred)."""

    __tablename__ = "party_member"
    __table_args__ = (sa.Index("ix_party_member_village", "village_id"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    name: str = Field(max_length=32)
    joined_on: date
    left_on: date | None = None


class MemberLink(TableModel, table=True):
    """党员联户: the households one member is linked to, from `linked_on` until `ended_on` (None: still)."""

    __tablename__ = "member_link"
    __table_args__ = (sa.Index("ix_member_link_village", "village_id", "linked_on"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="party_member.id")
    village_id: int = _village()
    households: int
    linked_on: date
    ended_on: date | None = None


class PartyMeeting(TableModel, table=True):
    """三会一课 (branch_committee, party_group monthly; branch_assembly, party_lesson quarterly) or 主题党日
    (theme_day), with 应到 (expected) and 实到 (attended) members."""

    __tablename__ = "party_meeting"
    __table_args__ = (sa.Index("ix_party_meeting_village_day", "village_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    kind: str = Field(max_length=24)
    held_on: date
    expected: int
    attended: int
    recorded_by: int | None = Field(default=None, foreign_key="person.id")


class AffairsPosting(TableModel, table=True):
    """村务公开: an item due for disclosure by `due_on`, posted on `posted_on` (None: not yet)."""

    __tablename__ = "affairs_posting"
    __table_args__ = (sa.Index("ix_affairs_posting_village_due", "village_id", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    item: str = Field(max_length=32)
    due_on: date
    posted_on: date | None = None


class Training(TableModel, table=True):
    """党员教育培训: one session with 应到/实到 members."""

    __tablename__ = "training"
    __table_args__ = (sa.Index("ix_training_village_day", "village_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    topic: str = Field(max_length=32)
    held_on: date
    expected: int
    attended: int


class SafetyInspection(TableModel, table=True):
    """安全/消防检查: one inspection round of a village (kind fire | safety): premises due and checked,
    hazards found and fixed (整改)."""

    __tablename__ = "safety_inspection"
    __table_args__ = (sa.Index("ix_safety_inspection_village_day", "village_id", "inspected_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    kind: str = Field(max_length=16)
    inspected_on: date
    premises_due: int
    premises_checked: int
    hazards_found: int = 0
    hazards_fixed: int = 0


class KeyPerson(TableModel, table=True):
    """重点人员: registered for follow-up (稳控) from `registered_on` until `released_on`."""

    __tablename__ = "key_person"
    __table_args__ = (sa.Index("ix_key_person_village", "village_id"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    category: str = Field(max_length=16)
    registered_on: date
    released_on: date | None = None


class KeyPersonVisit(TableModel, table=True):
    """重点人员走访: one follow-up visit of a key person."""

    __tablename__ = "key_person_visit"
    __table_args__ = (sa.Index("ix_key_person_visit_village_day", "village_id", "visited_on"),)
    id: int | None = Field(default=None, primary_key=True)
    key_person_id: int = Field(foreign_key="key_person.id")
    village_id: int = _village()
    visited_on: date
    visitor_id: int | None = Field(default=None, foreign_key="person.id")


class AntiFraudVisit(TableModel, table=True):
    """反诈宣传: one outreach (door-to-door or a session) and the households it reached."""

    __tablename__ = "anti_fraud_visit"
    __table_args__ = (sa.Index("ix_anti_fraud_visit_village_day", "village_id", "held_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    form: str = Field(max_length=16)
    held_on: date
    households_reached: int


class WasteCheck(TableModel, table=True):
    """垃圾分类抽查: households checked and passed in one spot check."""

    __tablename__ = "waste_check"
    __table_args__ = (sa.Index("ix_waste_check_village_day", "village_id", "checked_on"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    checked_on: date
    households_checked: int
    households_passed: int


class ReportBatch(TableModel, table=True):
    """部门报送批次: who sent which figures, when, through what (a form or a file)."""

    __tablename__ = "report_batch"
    id: int | None = Field(default=None, primary_key=True)
    department: str = Field(max_length=32)
    submitted_by: int | None = Field(default=None, foreign_key="person.id")
    submitted_name: str = Field(max_length=32)
    submitted_at: NaiveDatetime
    source_kind: str = Field(max_length=16)  # form | import
    source_name: str = Field(max_length=128)  # the form's name or the file name


class DeptReport(TableModel, table=True):
    """部门报送: one department's figure of one indicator for one village and month. A correction is a new
    row with the next `version`; the highest version counts, the older ones stay as history."""

    __tablename__ = "dept_report"
    __table_args__ = (
        sa.UniqueConstraint("village_id", "period", "indicator_code", "version", name="uq_dept_report_version"),
        sa.Index("ix_dept_report_period", "period", "indicator_code", "village_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = _village()
    period: int
    indicator_code: str = Field(foreign_key="indicator_def.code", max_length=32)
    version: int = 1
    value: float
    numerator: float | None = None
    denominator: float | None = None
    batch_id: int = Field(foreign_key="report_batch.id")
    source_row: int | None = None  # the row in the batch's file (import)
    note: str | None = Field(default=None, max_length=128)


class RecordEvent(TableModel, table=True):
    """留痕 of the record kinds above and the reports: who added or changed which row, when."""

    __tablename__ = "record_event"
    __table_args__ = (sa.Index("ix_record_event_record", "kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)  # the record's table
    record_id: int
    village_id: int = _village()
    at: NaiveDatetime
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=256)


class ScoreStamp(TableModel, table=True):
    """When the stored scores of a month were computed (计算于), and from which data write."""

    __tablename__ = "score_stamp"
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    computed_at: NaiveDatetime
    cause: str = Field(default="", max_length=64)
