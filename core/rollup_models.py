"""Rollup tables (汇总表): small tables kept current by the writing services, rebuilt by core.rollups.

Rows exist per village and per ancestor region (township, county, city, province: `level`), so a page
reads one region's row instead of scanning raw history. See core/rollups.py. `core.models` re-exports
every class here, so `from core.models import RollupX` and the table metadata stay as they were.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from core.table_model import TableModel


def _enum_col(length: int = 24) -> sa.String:
    return sa.String(length)


class RollupIndicator(TableModel, table=True):
    """indicator_value summed per region of township level and above × month × indicator."""

    __tablename__ = "rollup_indicator"
    __table_args__ = (sa.Index("ix_rollup_indicator_region", "region_id", "period"),)
    level: str = Field(primary_key=True, sa_type=_enum_col())
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    indicator_code: str = Field(primary_key=True, max_length=32)
    value_sum: float | None = None
    num_sum: float | None = None
    den_sum: float | None = None
    value_min: float | None = None
    value_max: float | None = None
    n: int = 0


class RollupTaskMonth(TableModel, table=True):
    """Tasks (not rejected) by deadline month per region: due, finished (办结/评分), finished on time."""

    __tablename__ = "rollup_task_month"
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    level: str = Field(sa_type=_enum_col())
    due: int = 0
    finished: int = 0
    on_time: int = 0


class RollupTaskLate(TableModel, table=True):
    """Tasks finished after the month `period` ended whose deadline was before its last day (overdue then)."""

    __tablename__ = "rollup_task_late"
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    level: str = Field(sa_type=_enum_col())
    n: int = 0


class RollupTaskOwner(TableModel, table=True):
    """Scored tasks per village × owner × month finished: Σ difficulty × quality, Σ difficulty, count."""

    __tablename__ = "rollup_task_owner"
    village_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    owner_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    weighted: float = 0.0
    difficulty: float = 0.0
    n: int = 0


class RollupAppealMonth(TableModel, table=True):
    """Appeals by month reported per region: count, closed on time, rated, 好评, 中评."""

    __tablename__ = "rollup_appeal_month"
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    level: str = Field(sa_type=_enum_col())
    n: int = 0
    on_time: int = 0
    rated: int = 0
    good: int = 0
    mid: int = 0


class RollupAppealGrid(TableModel, table=True):
    """Appeals per grid × category × month reported: count (what the early-warning detectors and 民情
    cube read), closed on time, rated, 好评, 中评 (the village rows of rollup_appeal_month sum these)."""

    __tablename__ = "rollup_appeal_grid"
    grid_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    category: str = Field(primary_key=True, max_length=16)
    n: int = 0
    on_time: int = 0
    rated: int = 0
    good: int = 0
    mid: int = 0


class RollupAppealDay(TableModel, table=True):
    """Busy days: grid × category × day holding two or more appeals (burst candidates)."""

    __tablename__ = "rollup_appeal_day"
    grid_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    day: str = Field(primary_key=True, max_length=10)  # YYYY-MM-DD
    category: str = Field(primary_key=True, max_length=16)
    n: int = 0


class RollupAppealCube(TableModel, table=True):
    """民情 cube: appeals per region of township level and above × month reported × category × channel ×
    closing level × on time × rating, with the summed hours to first response and to closing (the 民情
    page reads one region's rows; a village's page groups its own raw rows by index).

    Open appeals have closing_level '' and on_time -1 (1 closed by the due time, 0 late); unrated '' —
    sentinels instead of NULL so the key can be the primary key.
    """

    __tablename__ = "rollup_appeal_cube"
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    category: str = Field(primary_key=True, max_length=16)
    channel: str = Field(primary_key=True, max_length=16)
    closing_level: str = Field(primary_key=True, max_length=16)
    on_time: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    rating: str = Field(primary_key=True, max_length=8)
    level: str = Field(sa_type=_enum_col())
    n: int = 0
    resp_h: float = 0.0
    close_h: float = 0.0


class RollupDiaryMonth(TableModel, table=True):
    """民情日记 visits per village × cadre × month."""

    __tablename__ = "rollup_diary_month"
    village_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    person_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    visits: int = 0


class RollupVillageScore(TableModel, table=True):
    """Every region's (each level below the dataset's root: villages, townships, counties, cities) 0–100
    module and composite scores and ranks per month (core.scoring.level_scores).

    Scores are normalised against all regions of the level in the dataset, so they are computed once per
    month at rebuild; indicator values are written only by the generator, so no write keeps them current.
    """

    __tablename__ = "rollup_village_score"
    __table_args__ = (sa.Index("ix_rollup_village_score_parent", "period", "parent_id"),)
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    region_id: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    parent_id: int = Field(sa_type=sa.BigInteger)
    composite: float | None = None
    party_building: float | None = None
    economy: float | None = None
    safety: float | None = None
    public_service: float | None = None
    too_few_count: int = 0
    rank_in_parent: float | None = None
    rank_in_level: float | None = None
    party_building_rank_in_parent: float | None = None
    party_building_rank_in_level: float | None = None
    economy_rank_in_parent: float | None = None
    economy_rank_in_level: float | None = None
    safety_rank_in_parent: float | None = None
    safety_rank_in_level: float | None = None
    public_service_rank_in_parent: float | None = None
    public_service_rank_in_level: float | None = None
    n_in_parent: int = 0
    n_in_level: int = 0


class RollupWarning(TableModel, table=True):
    """Appeal early warnings (事件预警: 突发, 高发, 顽疾, 新苗头, 停报) of every village for the dataset's
    as-of day with the default thresholds, as core.appeal_warnings computes them (one row per EarlyWarning).

    Filled by the rebuild for the whole dataset; an appeal write recomputes its village's rows.
    """

    __tablename__ = "rollup_warning"
    __table_args__ = (sa.Index("ix_rollup_warning_village", "village_id"),)
    id: int | None = Field(default=None, primary_key=True)
    as_of: date
    kind: str = Field(max_length=32)
    village_id: int = Field(sa_type=sa.BigInteger)
    grid_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    category: str | None = Field(default=None, max_length=16)
    window_start: date
    window_end: date
    count: float
    baseline: float
    test: str = Field(max_length=128)
    threshold: float
    score: float
    counts: str = Field(default="", max_length=256)  # the series the test read, comma-separated
    note: str = Field(default="", max_length=128)


class RollupLeaderMonth(TableModel, table=True):
    """领雁指数 of every village Party secretary (村党组织书记) × month with its six dimension scores and
    cadre score, as core.leader_index.score_frame computes them (core.leader_index.store_leader_months).

    Filled by the rebuild for every month with indicator values; a task or appeal write recomputes the
    rows of its village's secretaries (tasks and appeals are the only inputs a service writes; indicators,
    evaluations, decisions, 民情日记, posts and rules are written only by the generator). Ranks and
    percentiles depend on the viewer's scope, so they are computed when read.
    """

    __tablename__ = "rollup_leader_month"
    __table_args__ = (sa.Index("ix_rollup_leader_month_village", "period", "village_id"),)
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    person_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    village_id: int = Field(sa_type=sa.BigInteger)
    rule_version: str = Field(max_length=32)
    leadership: float | None = None
    governance: float | None = None
    development: float | None = None
    service: float | None = None
    integrity: float | None = None
    reputation: float | None = None
    score: float | None = None  # the 领雁指数
    cadre_score: float | None = None


class RollupDecisionCheck(TableModel, table=True):
    """议事决策 "五议两公开" step check of every decision: its steps in the order done, the steps skipped and
    the first out-of-order pair (core.decisions.check_steps), so a county or wider scope counts and lists
    its non-compliant decisions without reading every step. 超期 depends on the day asked about, so it is
    computed when read from the decision's dates. Decisions and their steps are written only by the
    generator, so a rebuild (core.rollups.build_base) keeps this current; village and township scopes
    read the raw steps.
    """

    __tablename__ = "rollup_decision_check"
    __table_args__ = (sa.Index("ix_rollup_decision_check_village", "village_id", "opened_on"),
                      sa.Index("ix_rollup_decision_check_opened", "opened_on"))
    decision_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    village_id: int = Field(sa_type=sa.BigInteger)
    opened_on: date
    closed_on: date | None = None
    days_taken: int | None = None  # closed_on − opened_on in days; NULL while open (then it grows with the day asked)
    steps: str = Field(max_length=64)  # step numbers in the order done, comma-separated ("1,2,4,3")
    skipped: str = Field(default="", max_length=64)  # "" when none
    reordered: str = Field(default="", max_length=16)  # "4,3": the first step done before a lower one
    flawed: bool = False  # skipped or reordered
