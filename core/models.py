"""SQLModel tables of the whole domain (SPEC §2–§7): one class per table.

Region ids *are* their 12-digit statistical codes as integers, so a region's subtree is a
contiguous id range (see `core.scope.Scope`) and every rollup is a range scan or an integer
division. Grid ids are the village id × 1000 + grid number (15 digits).
Timestamps are naive Asia/Shanghai local time (`NaiveDatetime`), not UTC as the house style suggests:
the product serves one province in one zone and its rules count local days (deadlines, days
overdue, weeks of diary visits), so local wall-clock time is what every rule reads.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlmodel import Field

from core.table_model import TableModel


def _enum_col(length: int = 24) -> sa.String:
    return sa.String(length)


class Meta(TableModel, table=True):
    """Key/value facts about the generated dataset (preset, seed, as-of date)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str


class DataVersion(TableModel, table=True):
    """One row (id 1) whose `version` every committed write bumps (core.freshness): app servers key their caches
    on it, so a write through one server shows on every server's screens."""

    __tablename__ = "data_version"
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = Field(default=0, sa_type=sa.BigInteger)


# A region's code shape fixes its level, and its parent is its code with its own digits zeroed:
# so "parent is exactly one level up" holds in the database itself, on SQLite and PostgreSQL.
_LEVEL_SHAPE = (
    "(level = 'village' AND id % 1000 <> 0)"
    " OR (level = 'township' AND id % 1000 = 0 AND id % 1000000 <> 0)"
    " OR (level = 'county' AND id % 1000000 = 0 AND id % 100000000 <> 0)"
    " OR (level = 'city' AND id % 100000000 = 0 AND id % 10000000000 <> 0)"
    " OR (level = 'province' AND id % 10000000000 = 0)"
)
_PARENT_ONE_UP = (
    "parent_id IS NULL"
    " OR (level = 'village' AND parent_id = id / 1000 * 1000)"
    " OR (level = 'township' AND parent_id = id / 1000000 * 1000000)"
    " OR (level = 'county' AND parent_id = id / 100000000 * 100000000)"
    " OR (level = 'city' AND parent_id = id / 10000000000 * 10000000000)"
)


class Region(TableModel, table=True):
    """行政区划: province, city, county (县/市/区), township (乡镇/街道) or village (村/社区)."""

    __tablename__ = "region"
    __table_args__ = (
        sa.CheckConstraint(_LEVEL_SHAPE, name="ck_region_code_shape"),
        sa.CheckConstraint(_PARENT_ONE_UP, name="ck_region_parent_one_level_up"),
    )
    id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=64)
    level: str = Field(sa_type=_enum_col(), index=True)
    kind: str = Field(sa_type=_enum_col())  # city/county/district/street/town/township/community/village
    parent_id: int | None = Field(default=None, foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    lon: float
    lat: float
    area_km2: float = 0.0
    population: int = 0
    households: int = 0
    boundary: str = Field(sa_type=sa.Text)  # GeoJSON geometry


class Grid(TableModel, table=True):
    """网格: part of one village, served by one 网格员 (grid worker)."""

    __tablename__ = "grid"
    __table_args__ = (sa.CheckConstraint("id / 1000 = village_id", name="ck_grid_in_village"),)
    id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    code: str = Field(max_length=15, unique=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    name: str = Field(max_length=64)
    lon: float
    lat: float
    households: int
    population: int
    worker_id: int | None = Field(default=None, foreign_key="person.id")
    boundary: str = Field(sa_type=sa.Text)


class Person(TableModel, table=True):
    """A cadre, grid worker or official."""

    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32)
    gender: str = Field(max_length=1)
    birth_year: int
    party_member: bool = True
    phone: str = Field(max_length=20)


class Post(TableModel, table=True):
    """岗位: a person's role at one region (and grid); the region subtree is their data scope."""

    __tablename__ = "post"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    region_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", sa_type=sa.BigInteger)
    role: str = Field(sa_type=_enum_col(), index=True)
    title: str = Field(max_length=64)
    since: date
    active: bool = True
    department_id: int | None = Field(default=None, foreign_key="department.id")  # 县级部门 staff (dept_staff)


class UserAccount(TableModel, table=True):
    """A local sign-in account bound to one post (its role and scope)."""

    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=128)
    post_id: int = Field(foreign_key="post.id")
    display_name: str = Field(max_length=64)
    read_only: bool = False
    active: bool = True
    failed_attempts: int = 0
    locked_until: NaiveDatetime | None = None
    #: The generator's demo accounts share a published password: they sign in only in demo mode.
    shared_password: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class AuthEvent(TableModel, table=True):
    """登录留痕: every sign-in attempt, successful or not."""

    __tablename__ = "auth_event"
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime
    username: str = Field(max_length=64, index=True)
    success: bool
    note: str = Field(default="", max_length=128)
    client: str | None = Field(default=None, max_length=64)  # the browser's address (per-client throttle)


class AlertAck(TableModel, table=True):
    """预警确认 (知道了): who acknowledged which leader alert, when, and for which scope.

    `alert_key` names the alert (core.acknowledgements.task_key / warning_key); the ack holds for
    every viewer whose scope root lies in [scope_region_id, scope_hi] (the acknowledger's scope).
    """

    __tablename__ = "alert_ack"
    __table_args__ = (sa.UniqueConstraint("alert_key", "scope_region_id", name="uq_alert_ack_scope"),
                      sa.Index("ix_alert_ack_scope", "scope_region_id", "scope_hi"))
    id: int | None = Field(default=None, primary_key=True)
    alert_key: str = Field(max_length=96)
    kind: str = Field(sa_type=_enum_col())  # task | warning
    region_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)  # the alert's village
    task_id: int | None = Field(default=None, foreign_key="task.id")
    scope_region_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    scope_hi: int = Field(sa_type=sa.BigInteger)
    person_id: int = Field(foreign_key="person.id")
    at: NaiveDatetime


class MatterType(TableModel, table=True):
    """事项类型 of the 准入清单 (access list): township and village matter types with codes."""

    __tablename__ = "matter_type"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=64)
    level: str = Field(sa_type=_enum_col())  # township | village
    module: str = Field(sa_type=_enum_col())
    on_list: bool = True  # False: known matter type that is NOT admitted (screened out)
    emergency: bool = False  # the "其他/加急" path
    difficulty: float = 1.0


class Task(TableModel, table=True):
    """任务: dispatched top-down to a village, with deadline, owner and quality score."""

    __tablename__ = "task"
    __table_args__ = (
        sa.Index("ix_task_open_due", "status", "deadline", "village_id"),
        sa.Index("ix_task_village_due", "village_id", "deadline"),
        sa.CheckConstraint("done_at IS NULL OR done_at >= dispatched_at", name="ck_task_done_after_dispatch"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=24, unique=True)
    title: str = Field(max_length=128)
    category: str = Field(sa_type=_enum_col())
    module: str = Field(sa_type=_enum_col())
    matter_type_id: int = Field(foreign_key="matter_type.id")
    difficulty: float  # 分值
    dispatcher_id: int = Field(foreign_key="person.id")
    dispatcher_region_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", sa_type=sa.BigInteger)
    owner_id: int = Field(foreign_key="person.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="person.id")  # 分管领导 in charge
    co_office: str | None = Field(default=None, max_length=32)  # co-handling town office
    status: str = Field(sa_type=_enum_col())
    dispatched_at: NaiveDatetime
    deadline: date
    signed_at: NaiveDatetime | None = None
    started_at: NaiveDatetime | None = None
    done_at: NaiveDatetime | None = None
    scored_at: NaiveDatetime | None = None
    quality_score: float | None = None  # 0–100, by the town leader in charge
    dispatch_rating: int | None = None  # 派单评价 1–5 by the village
    urge_count: int = 0
    last_urged_at: NaiveDatetime | None = None
    emergency: bool = False
    needs_review: bool = False  # emergency path: compliance review afterwards


class TaskEvent(TableModel, table=True):
    """任务留痕: one append-only row per state change or 催办."""

    __tablename__ = "task_event"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    at: NaiveDatetime
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(sa_type=_enum_col())
    from_status: str | None = Field(default=None, sa_type=_enum_col())
    to_status: str | None = Field(default=None, sa_type=_enum_col())
    note: str | None = Field(default=None, max_length=256)


class DispatchScreening(TableModel, table=True):
    """过筛: a dispatch refused because its matter type is not on the access list."""

    __tablename__ = "dispatch_screening"
    __table_args__ = (sa.Index("ix_dispatch_screening_village_at", "village_id", "at"),)  # 过筛 report of a scope
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime
    dispatcher_id: int = Field(foreign_key="person.id")
    dispatcher_region_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    matter_type_id: int | None = Field(default=None, foreign_key="matter_type.id")
    matter_code: str = Field(max_length=16)
    title: str = Field(max_length=128)
    reason: str = Field(max_length=128)


class Appeal(TableModel, table=True):
    """民情诉求 / 网格事件: reported bottom-up at a grid, closed at some level, rated by the citizen."""

    __tablename__ = "appeal"
    __table_args__ = (
        sa.Index("ix_appeal_village_time", "village_id", "reported_at"),
        sa.Index("ix_appeal_grid_time", "grid_id", "reported_at"),
        sa.Index("ix_appeal_open", "status", "village_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    grid_id: int = Field(foreign_key="grid.id", sa_type=sa.BigInteger)
    category: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    lon: float
    lat: float
    reported_at: NaiveDatetime
    due_at: NaiveDatetime
    first_response_at: NaiveDatetime | None = None
    closed_at: NaiveDatetime | None = None
    status: str = Field(sa_type=_enum_col())
    level: str = Field(sa_type=_enum_col())  # current handling level
    closing_level: str | None = Field(default=None, sa_type=_enum_col())
    rating: str | None = Field(default=None, max_length=8)  # good | mid | bad
    handler_id: int | None = Field(default=None, foreign_key="person.id")


class AppealEvent(TableModel, table=True):
    """民情留痕: one append-only row per change of an appeal made through the services."""

    __tablename__ = "appeal_event"
    id: int | None = Field(default=None, primary_key=True)
    appeal_id: int = Field(foreign_key="appeal.id", index=True)
    at: NaiveDatetime
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(sa_type=_enum_col())
    from_level: str | None = Field(default=None, sa_type=_enum_col())
    to_level: str | None = Field(default=None, sa_type=_enum_col())
    note: str | None = Field(default=None, max_length=256)


class DiaryVisit(TableModel, table=True):
    """民情日记: a cadre's household visit (一周一记、一户一记)."""

    __tablename__ = "diary_visit"
    __table_args__ = (sa.Index("ix_diary_village_day", "village_id", "visited_on"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    grid_id: int = Field(foreign_key="grid.id", sa_type=sa.BigInteger)
    household_no: int
    visited_on: date
    topic: str = Field(max_length=16)


class Decision(TableModel, table=True):
    """议事决策: a major village matter that must follow "五议两公开"."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    title: str = Field(max_length=128)
    opened_on: date
    closed_on: date | None = None
    limit_days: int = 90


class DecisionStep(TableModel, table=True):
    """One performed step of a decision: `step` is 1–7 of DECISION_STEPS, `seq` the order done."""

    __tablename__ = "decision_step"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    step: int
    seq: int
    done_on: date


class DecisionEvent(TableModel, table=True):
    """议事留痕: who recorded a decision (opened it or performed a "五议两公开" step), when, with the minutes."""

    __tablename__ = "decision_event"
    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", index=True)
    step: int | None = None  # 1–7 of DECISION_STEPS; None when the decision was opened
    at: NaiveDatetime
    actor_id: int = Field(foreign_key="person.id")
    action: str = Field(sa_type=_enum_col())  # open | step
    note: str | None = Field(default=None, max_length=512)  # 会议纪要 (minutes)


class IndicatorDef(TableModel, table=True):
    """指标目录: one indicator of a module, with definition, unit, direction and weight."""

    __tablename__ = "indicator_def"
    code: str = Field(primary_key=True, max_length=32)
    module: str = Field(sa_type=_enum_col())
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=64)
    definition_zh: str = Field(max_length=256)
    definition_en: str = Field(max_length=256)
    unit: str = Field(max_length=16)
    higher_is_better: bool = True
    weight: float = 1.0
    is_rate: bool = False  # value = numerator / denominator × scale; parents re-divide the sums
    scale: float = 100.0
    per: str = Field(default="", max_length=16)  # "" | "household" (per-100-households normalisation)
    sort: int = 0


class IndicatorValue(TableModel, table=True):
    """Monthly value of one indicator for one village (parents are recomputed, never stored)."""

    __tablename__ = "indicator_value"
    __table_args__ = (sa.UniqueConstraint("period", "indicator_code", "village_id", name="uq_indicator_value"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    period: int  # YYYYMM
    indicator_code: str = Field(foreign_key="indicator_def.code", max_length=32)
    value: float
    numerator: float | None = None
    denominator: float | None = None


class Evaluation(TableModel, table=True):
    """评价: 民主测评 score, 荣誉表彰 bonus or 负面预警 deduction for one person and month."""

    __tablename__ = "evaluation"
    __table_args__ = (sa.Index("ix_evaluation_person_period", "person_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger, index=True)
    period: int
    kind: str = Field(sa_type=_enum_col())
    points: float
    source: str = Field(max_length=32)
    note: str = Field(max_length=128)


class ScoringRule(TableModel, table=True):
    """考核规则 (因镇制宜): weights as JSON; township_id NULL is the default rule set."""

    __tablename__ = "scoring_rule"
    __table_args__ = (sa.UniqueConstraint("township_id", "version", name="uq_rule_version"),)
    id: int | None = Field(default=None, primary_key=True)
    township_id: int | None = Field(default=None, foreign_key="region.id", sa_type=sa.BigInteger)
    version: str = Field(max_length=16)
    effective_from: date
    params: str = Field(sa_type=sa.Text)
    note: str = Field(default="", max_length=128)


class PlantedAnomaly(TableModel, table=True):
    """What the generator planted on purpose (the truth that detectors are tested against)."""

    __tablename__ = "planted_anomaly"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    village_id: int = Field(foreign_key="region.id", sa_type=sa.BigInteger)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", sa_type=sa.BigInteger)
    category: str | None = Field(default=None, max_length=16)
    start_on: date
    end_on: date
    detail: str = Field(sa_type=sa.Text)


# Rollups (汇总表) live in core/rollup_models.py; re-exported here so every import of core.models sees them.
from core import rollup_models as _rollups  # noqa: E402 — after the raw tables: the same metadata, in the same order

RollupIndicator = _rollups.RollupIndicator
RollupTaskMonth = _rollups.RollupTaskMonth
RollupTaskLate = _rollups.RollupTaskLate
RollupTaskOwner = _rollups.RollupTaskOwner
RollupAppealMonth = _rollups.RollupAppealMonth
RollupAppealGrid = _rollups.RollupAppealGrid
RollupAppealDay = _rollups.RollupAppealDay
RollupAppealCube = _rollups.RollupAppealCube
RollupDiaryMonth = _rollups.RollupDiaryMonth
RollupVillageScore = _rollups.RollupVillageScore
RollupWarning = _rollups.RollupWarning
RollupLeaderMonth = _rollups.RollupLeaderMonth
RollupDecisionCheck = _rollups.RollupDecisionCheck


class UserSession(TableModel, table=True):
    """登录会话: one signed-in browser. Sign-out, disabling the account, a password reset and
    `python -m core.accounts rotate-secret` delete rows, which ends those sessions at once."""

    __tablename__ = "user_session"
    key_hash: str = Field(primary_key=True, max_length=64)  # HMAC-SHA256(secret, cookie token): the token is not stored
    account_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: NaiveDatetime
    expires_at: NaiveDatetime


class SignInGuard(TableModel, table=True):
    """Failed sign-ins counted per typed user name (known or not: the same lockout for both) and per client."""

    __tablename__ = "sign_in_guard"
    key: str = Field(primary_key=True, max_length=128)  # "user:<name>" or "client:<address>"
    failures: int = 0
    window_start: NaiveDatetime
    locked_until: NaiveDatetime | None = None


class AccountEvent(TableModel, table=True):
    """账号留痕: an administrator's (or the owner's) change to an account: who, when, what, to whom."""

    __tablename__ = "account_event"
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    actor_username: str = Field(max_length=64)
    username: str = Field(max_length=64, index=True)
    action: str = Field(max_length=24)  # create | disable | enable | reset_password | change_post | change_password | rotate_secret
    note: str = Field(default="", max_length=128)


# Record kinds the indicators count and the department reports (core/record_models.py), re-exported likewise.
from core import record_models as _records  # noqa: E402 — after the rollups: the same metadata, in the same order

PartyMember = _records.PartyMember
MemberLink = _records.MemberLink
PartyMeeting = _records.PartyMeeting
AffairsPosting = _records.AffairsPosting
Training = _records.Training
SafetyInspection = _records.SafetyInspection
KeyPerson = _records.KeyPerson
KeyPersonVisit = _records.KeyPersonVisit
AntiFraudVisit = _records.AntiFraudVisit
WasteCheck = _records.WasteCheck
ReportBatch = _records.ReportBatch
DeptReport = _records.DeptReport
RecordEvent = _records.RecordEvent
ScoreStamp = _records.ScoreStamp

# The importer's own tables (core/importer/models.py: runs, external ids, corrections), re-exported likewise.
from core.importer import models as _importer  # noqa: E402 — after the rollups: the same metadata, in the same order

ImportRun = _importer.ImportRun
ImportRef = _importer.ImportRef
ImportChange = _importer.ImportChange
OneTimePassword = _importer.OneTimePassword

# The seeds' remaining scenes (core/scene_models.py: 揭榜挂帅, 一件事, 道德银行), re-exported likewise.
from core import scene_models as _scenes  # noqa: E402 — after the records: the same metadata, in the same order

BidProject = _scenes.BidProject
ProjectBid = _scenes.ProjectBid
ProjectMilestone = _scenes.ProjectMilestone
SceneEvent = _scenes.SceneEvent
Department = _scenes.Department
OneThingCase = _scenes.OneThingCase
CaseStep = _scenes.CaseStep
DeptRating = _scenes.DeptRating
MoralHousehold = _scenes.MoralHousehold
MoralEntry = _scenes.MoralEntry
