"""The template's sheets, derived from the table models: one sheet per kind, one column per model field.

A column's type, whether it is required and its length limit come from the model's table column; a
foreign key becomes a reference by code or external id (a village by its 12-digit code, a person by the
county's own person number, a task by its code). What the schema cannot say — the header in both
languages, the meaning, the unit, the list of allowed values — is in `labels.py`. A record kind added to
`core.models` becomes a sheet by adding one `SheetDef` line here and its labels there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from core import models as m
from core.importer.labels import CHOICES, LABELS, SHEET_LABELS, Label
from core.table_model import TableModel

#: How a foreign key's target table is named in a sheet: (reference kind, code width or None).
REF_OF_TABLE: dict[str, tuple[str, int | None]] = {
    "region": ("region", 12), "grid": ("grid", 15), "person": ("person", None),
    "matter_type": ("matter_type", None), "task": ("task", None), "appeal": ("appeal", None),
    "decision": ("decision", None), "indicator_def": ("indicator", None),
    "party_member": ("party_member", None), "key_person": ("key_person", None),
    "bid_project": ("bid_project", None), "one_thing_case": ("one_thing_case", None), "case_step": ("case_step", None),
    "department": ("department", None), "moral_household": ("moral_household", None),
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the row field it fills, its headers and notes, and how its cells are read."""

    key: str  # the model field (or the sheet's own name for it)
    label: Label
    kind: str  # text | code | int | float | date | datetime | bool | enum | month | json | ref
    required: bool = False
    max_len: int | None = None
    width: int | None = None  # digits of a fixed-width code: a number that lost its leading zeros is padded
    choices: tuple[str, ...] = ()  # stored values of an enumeration (labels in labels.CHOICES)
    choice_kind: str = ""  # the vocabulary whose labels name the choices
    ref: str = ""  # reference kind (region, grid, person, task, …) of a foreign key
    ge: float | None = None
    le: float | None = None

    def header(self, lang: str = "zh") -> str:
        """The header cell's text ('任务编号*' marks a required column)."""
        text = self.label.zh if lang == "zh" else self.label.en
        return text + ("*" if self.required else "")


@dataclass(frozen=True)
class Sheet:
    """One kind of record: its sheet, columns, the column holding each row's external id, and its table."""

    key: str
    columns: tuple[Column, ...]
    id_column: str
    table: str  # the model's table (people: post)
    optional: bool = True
    example: dict[str, Any] = field(default_factory=dict)

    @property
    def zh(self) -> str:
        return SHEET_LABELS[self.key].zh

    @property
    def en(self) -> str:
        return SHEET_LABELS[self.key].en

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _kind_of(col: sa.Column) -> str:
    t = col.type
    if isinstance(t, sa.Boolean):
        return "bool"
    if isinstance(t, sa.DateTime):
        return "datetime"
    if isinstance(t, sa.Date):
        return "date"
    if isinstance(t, sa.Float):
        return "float"
    if isinstance(t, sa.Integer):
        return "int"
    return "text"


def derive(model: type[TableModel], fields: Sequence[str], *, required: Sequence[str] = (),
           optional: Sequence[str] = (), rename: dict[str, str] | None = None) -> tuple[Column, ...]:
    """Columns for `fields` of `model`, typed and bounded by its table; `required`/`optional` override
    what the column's nullability and default say; `rename` gives a field its sheet key (e.g. id → ext id)."""
    table, out = model.__table__, []
    for name in fields:
        col = table.c[name]
        key = (rename or {}).get(name, name)
        fk = next(iter(col.foreign_keys), None)
        need = (name in required) or (not col.nullable and col.default is None and name not in optional
                                       and col.server_default is None)
        choices = CHOICES.get(f"{table.name}.{name}") or CHOICES.get(name)
        label = LABELS.get(f"{table.name}.{name}") or LABELS[name]
        if fk is not None:
            ref, width = REF_OF_TABLE[fk.column.table.name]
            kind = "code" if width else "ref"
            out.append(Column(key, label, "ref", need, width=width, ref=ref, max_len=None if width else 64,
                              choices=choices[1] if choices else (), choice_kind=choices[0] if choices else ""))
            continue
        kind = _kind_of(col)
        if choices:
            kind = "enum" if kind == "text" else kind
        length = getattr(col.type, "length", None)
        bounds = BOUNDS.get(f"{table.name}.{name}", (None, None))
        out.append(Column(key, label, kind, need, max_len=length, choices=choices[1] if choices else (),
                          choice_kind=choices[0] if choices else "", ge=bounds[0], le=bounds[1]))
    return tuple(out)


#: Ranges the models do not state (scores 0–100, a rating 1–5, a step 1–7).
BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "task.quality_score": (0, 100), "task.dispatch_rating": (1, 5), "task.difficulty": (0, 100),
    "task.urge_count": (0, None), "grid.households": (0, None), "grid.population": (0, None),
    "region.population": (0, None), "region.households": (0, None), "region.area_km2": (0, None),
    "region.lon": (73, 136), "region.lat": (3, 54), "grid.lon": (73, 136), "grid.lat": (3, 54),
    "appeal.lon": (73, 136), "appeal.lat": (3, 54), "person.birth_year": (1920, 2015),
    "decision.limit_days": (1, 3650), "decision_step.seq": (1, 7), "diary_visit.household_no": (0, None),
    "matter_type.difficulty": (0, 100), "decision_step.step": (1, 7), "dept_report.version": (1, 99),
    "member_link.households": (0, None), "party_meeting.expected": (0, None), "party_meeting.attended": (0, None),
    "training.expected": (0, None), "training.attended": (0, None), "safety_inspection.premises_due": (0, None),
    "safety_inspection.premises_checked": (0, None), "safety_inspection.hazards_found": (0, None),
    "safety_inspection.hazards_fixed": (0, None), "anti_fraud_visit.households_reached": (0, None),
    "waste_check.households_checked": (0, None), "waste_check.households_passed": (0, None),
    "bid_project.budget": (0, None), "project_milestone.seq": (1, None),
    "moral_household.members": (1, 20), "moral_entry.hours": (0, None),
}


def _ext(key: str) -> Column:
    return Column(key, LABELS[key], "text", True, max_len=64)


def _month(key: str) -> Column:
    return Column(key, LABELS[key], "month", True)


def _code(key: str, width: int, label: str = "", required: bool = True) -> Column:
    return Column(key, LABELS[label or key], "code", required, width=width)


def _sheets() -> tuple[Sheet, ...]:
    region_fields = ["name", "level", "kind", "lon", "lat", "area_km2", "population", "households"]
    task_fields = ["title", "category", "module", "matter_type_id", "difficulty", "dispatcher_id",
                   "dispatcher_region_id", "village_id", "grid_id", "owner_id", "leader_id", "co_office", "status",
                   "dispatched_at", "deadline", "signed_at", "started_at", "done_at", "scored_at", "quality_score",
                   "dispatch_rating", "urge_count", "last_urged_at", "emergency", "needs_review"]
    appeal_fields = ["village_id", "grid_id", "category", "channel", "lon", "lat", "reported_at", "due_at",
                     "first_response_at", "closed_at", "status", "level", "closing_level", "rating", "handler_id"]
    return (
        Sheet("dataset", (_code("county_code", 6), Column("as_of", LABELS["as_of"], "date", True),
                          Column("start", LABELS["start"], "date", True)), "county_code", "meta", optional=False,
              example={"county_code": "999999", "as_of": "2026-10-31", "start": "2025-11-01"}),
        Sheet("matter_types", (Column("code", LABELS["matter_code"], "text", True, max_len=16),
                               *derive(m.MatterType, ["name", "level", "module", "on_list", "emergency", "difficulty"])),
              "code", "matter_type",
              example={"code": "T-SA-01", "name": "矛盾纠纷排查化解", "level": "township", "module": "safety",
                       "on_list": True, "emergency": False, "difficulty": 4}),
        Sheet("regions", (_code("code", 12), *derive(m.Region, region_fields, optional=["lon", "lat"])), "code", "region",
              example={"code": "330624101001", "name": "石门村", "level": "village", "kind": "village",
                       "lon": 120.95, "lat": 29.42, "area_km2": 6.3, "population": 1860, "households": 640}),
        Sheet("grids", (_code("code", 15, "grid.code"), *derive(m.Grid, ["village_id", "name", "lon", "lat", "households",
                                                             "population", "worker_id"], optional=["lon", "lat"])),
              "code", "grid",
              example={"code": "330624101001001", "village_id": "330624101001", "name": "石门1网格", "lon": 120.95,
                       "lat": 29.42, "households": 210, "population": 610, "worker_id": "P0001"}),
        Sheet("people", (_ext("post_ext_id"), _ext("person_ext_id"),
                         *derive(m.Person, ["name", "gender", "birth_year", "party_member", "phone"]),
                         *derive(m.Post, ["region_id", "grid_id", "role", "title", "since", "active", "department_id"]),
                         Column("username", LABELS["username"], "text", False, max_len=64)),
              "post_ext_id", "post",
              example={"post_ext_id": "G0001", "person_ext_id": "P0001", "name": "王建国", "gender": "M",
                       "birth_year": 1978, "party_member": True, "phone": "13800000000",
                       "region_id": "330624101001", "grid_id": "330624101001001", "role": "grid_worker",
                       "title": "石门1网格 网格员", "since": "2024-01-01", "active": True, "username": "wangjianguo"}),
        Sheet("tasks", (Column("code", LABELS["task_code"], "text", True, max_len=24), *derive(m.Task, task_fields)),
              "code", "task",
              example={"code": "RW2026030001", "title": "石门村·矛盾纠纷排查化解", "category": "township",
                       "module": "safety", "matter_type_id": "T-SA-01", "difficulty": 4,
                       "dispatcher_id": "P0100", "dispatcher_region_id": "330624101000", "village_id": "330624101001",
                       "owner_id": "P0002", "status": "done", "dispatched_at": "2026-03-05 09:00",
                       "deadline": "2026-03-20", "signed_at": "2026-03-05 10:00", "started_at": "2026-03-06 08:30",
                       "done_at": "2026-03-18 17:00", "urge_count": 0, "emergency": False, "needs_review": False}),
        Sheet("task_events", (_ext("event_ext_id"), *derive(m.TaskEvent, ["task_id", "at", "actor_id", "action",
                                                                           "from_status", "to_status", "note"])),
              "event_ext_id", "task_event",
              example={"event_ext_id": "TE0001", "task_id": "RW2026030001", "at": "2026-03-05 10:00",
                       "actor_id": "P0002", "action": "sign", "from_status": "dispatched", "to_status": "signed"}),
        Sheet("appeals", (_ext("appeal_ext_id"), *derive(m.Appeal, appeal_fields, optional=["lon", "lat"])),
              "appeal_ext_id", "appeal",
              example={"appeal_ext_id": "SQ0001", "village_id": "330624101001", "grid_id": "330624101001001",
                       "category": "环境卫生", "channel": "12345", "reported_at": "2026-03-05 09:12",
                       "due_at": "2026-03-10 09:12", "first_response_at": "2026-03-05 11:00",
                       "closed_at": "2026-03-07 16:00", "status": "closed", "level": "village",
                       "closing_level": "village", "rating": "good", "handler_id": "P0002"}),
        Sheet("appeal_events", (_ext("event_ext_id"), *derive(m.AppealEvent, ["appeal_id", "at", "actor_id", "action",
                                                                               "from_level", "to_level", "note"])),
              "event_ext_id", "appeal_event",
              example={"event_ext_id": "AE0001", "appeal_id": "SQ0001", "at": "2026-03-05 11:00",
                       "actor_id": "P0002", "action": "respond"}),
        Sheet("diary_visits", (_ext("visit_ext_id"), *derive(m.DiaryVisit, ["person_id", "village_id", "grid_id",
                                                                             "household_no", "visited_on", "topic"])),
              "visit_ext_id", "diary_visit",
              example={"visit_ext_id": "RJ0001", "person_id": "P0002", "village_id": "330624101001",
                       "grid_id": "330624101001001", "household_no": 12, "visited_on": "2026-03-05", "topic": "困难帮扶"}),
        Sheet("decisions", (_ext("decision_ext_id"), *derive(m.Decision, ["village_id", "title", "opened_on",
                                                                           "closed_on", "limit_days"])),
              "decision_ext_id", "decision",
              example={"decision_ext_id": "YS0001", "village_id": "330624101001", "title": "石门村道路硬化工程",
                       "opened_on": "2026-03-01", "closed_on": "2026-05-20", "limit_days": 90}),
        Sheet("decision_steps", (_ext("step_ext_id"), *derive(m.DecisionStep, ["decision_id", "step", "seq", "done_on"])),
              "step_ext_id", "decision_step",
              example={"step_ext_id": "YS0001-1", "decision_id": "YS0001", "step": 1, "seq": 1, "done_on": "2026-03-03"}),
        Sheet("evaluations", (_ext("evaluation_ext_id"), *derive(m.Evaluation, ["person_id", "village_id"]),
                              _month("period"), *derive(m.Evaluation, ["kind", "points", "source", "note"])),
              "evaluation_ext_id", "evaluation",
              example={"evaluation_ext_id": "PJ0001", "person_id": "P0002", "village_id": "330624101001",
                       "period": "2026-03", "kind": "democratic", "points": 92.5, "source": "村民代表",
                       "note": "季度民主测评"}),
        *_record_sheets(),
        *_scene_sheets(),
        *_moral_sheets(),
        Sheet("reports", (*derive(m.DeptReport, ["village_id"]), _month("period"),
                          *derive(m.DeptReport, ["indicator_code", "version", "value", "numerator", "denominator"]),
                          Column("department", LABELS["department"], "text", True, max_len=32),
                          *derive(m.DeptReport, ["note"])),
              "", "dept_report",
              example={"village_id": "330624101001", "period": "2026-03", "indicator_code": "ps_family_doctor",
                       "version": 1, "value": 78.5, "numerator": 1460, "denominator": 1860, "department": "卫健局"}),
        Sheet("rules", (Column("township_code", LABELS["township_code"], "code", False, width=12),
                        *derive(m.ScoringRule, ["version", "effective_from", "params", "note"])),
              "version", "scoring_rule",
              example={"township_code": "", "version": "default-v1", "effective_from": "2025-11-01",
                       "params": '{"version": "default-v1", "cadre": {"task_points": 0.6, "democratic": 0.4, '
                                 '"honor_bonus": 1.0, "warning_deduction": 1.0}, "leader_index": {"leadership": 0.2, '
                                 '"governance": 0.2, "development": 0.15, "service": 0.15, "integrity": 0.15, '
                                 '"reputation": 0.15}}', "note": "默认考核规则"}),
    )


def _record(key: str, model: type[TableModel], fields: list[str], example: dict[str, Any],
            optional: Sequence[str] = ()) -> Sheet:
    """A sheet of one record kind the indicators count (SPEC §11): its record id, then the model's fields."""
    return Sheet(key, (_ext("record_ext_id"), *derive(model, fields, optional=optional)), "record_ext_id",
                 model.__tablename__,  # type: ignore
                 example={"record_ext_id": f"{key[:2].upper()}0001", "village_id": "330624101001", **example})


def _record_sheets() -> tuple[Sheet, ...]:
    """The record kinds of "Live numbers": party members and links, meetings, postings, trainings, inspections,
    key persons and their visits, anti-fraud outreach, waste-sorting checks."""
    return (
        _record("party_members", m.PartyMember, ["village_id", "name", "joined_on", "left_on"],
                {"name": "李红", "joined_on": "2001-07-01"}),
        _record("member_links", m.MemberLink, ["member_id", "village_id", "households", "linked_on", "ended_on"],
                {"member_id": "PA0001", "households": 8, "linked_on": "2025-01-01"}),
        _record("party_meetings", m.PartyMeeting, ["village_id", "kind", "held_on", "expected", "attended",
                                                   "recorded_by"],
                {"kind": "theme_day", "held_on": "2026-03-05", "expected": 42, "attended": 39}),
        _record("affairs_postings", m.AffairsPosting, ["village_id", "item", "due_on", "posted_on"],
                {"item": "财务收支", "due_on": "2026-03-31", "posted_on": "2026-03-28"}),
        _record("trainings", m.Training, ["village_id", "topic", "held_on", "expected", "attended"],
                {"topic": "乡村振兴专题", "held_on": "2026-03-12", "expected": 42, "attended": 37}),
        _record("safety_inspections", m.SafetyInspection, ["village_id", "kind", "inspected_on", "premises_due",
                                                           "premises_checked", "hazards_found", "hazards_fixed"],
                {"kind": "fire", "inspected_on": "2026-03-15", "premises_due": 30, "premises_checked": 28,
                 "hazards_found": 3, "hazards_fixed": 2}),
        _record("key_persons", m.KeyPerson, ["village_id", "category", "registered_on", "released_on"],
                {"category": "信访重点", "registered_on": "2025-06-01"}),
        _record("key_person_visits", m.KeyPersonVisit, ["key_person_id", "village_id", "visited_on", "visitor_id"],
                {"key_person_id": "KE0001", "visited_on": "2026-03-09"}),
        _record("anti_fraud_visits", m.AntiFraudVisit, ["village_id", "form", "held_on", "households_reached"],
                {"form": "door", "held_on": "2026-03-20", "households_reached": 85}),
        _record("waste_checks", m.WasteCheck, ["village_id", "checked_on", "households_checked", "households_passed"],
                {"checked_on": "2026-03-25", "households_checked": 40, "households_passed": 36}),
    )


def _scene_sheets() -> tuple[Sheet, ...]:
    """The scenes' records the indicators and desks read: county departments, 揭榜挂帅 projects with their bids and
    milestones, 一件事 cases with their steps and the township's ratings of the departments."""
    return (
        Sheet("departments", (Column("name", LABELS["department.name"], "text", True, max_len=32),
                              *derive(m.Department, ["county_id"])), "name", "department",
              example={"name": "县住房和城乡建设局", "county_id": "999999000000"}),
        Sheet("bid_projects", (Column("code", LABELS["bid_code"], "text", True, max_len=24),
                               *derive(m.BidProject, ["township_id", "title", "module", "budget", "conditions",
                                                      "bid_deadline", "status", "published_by", "published_at",
                                                      "village_id", "winner_id", "awarded_at", "award_reason",
                                                      "landed_on"])), "code", "bid_project",
              example={"code": "JB101-001", "township_id": "330624101000", "title": "石门村茶园提质", "module": "economy",
                       "budget": 50.0, "conditions": "有集体茶园", "bid_deadline": "2026-03-20", "status": "landed",
                       "published_by": "P0100", "published_at": "2026-03-01 09:00", "village_id": "330624101001",
                       "winner_id": "P0002", "awarded_at": "2026-03-25 10:00", "award_reason": "方案最优",
                       "landed_on": "2026-06-30"}),
        _record("project_bids", m.ProjectBid, ["project_id", "village_id", "bidder_id", "plan", "commitments",
                                               "submitted_at", "outcome"],
                {"project_id": "JB101-001", "bidder_id": "P0002", "plan": "村集体经营", "commitments": "年增收10万元",
                 "submitted_at": "2026-03-10 15:00", "outcome": "won"}),
        _record("project_milestones", m.ProjectMilestone, ["project_id", "seq", "title", "due_on", "done_on",
                                                           "done_by", "note"],
                {"project_id": "JB101-001", "seq": 1, "title": "完成改造", "due_on": "2026-06-30",
                 "done_on": "2026-06-28", "done_by": "P0002"}),
        Sheet("one_thing_cases", (Column("code", LABELS["case_code"], "text", True, max_len=24),
                                  *derive(m.OneThingCase, ["case_type", "village_id", "title", "opened_by", "opened_at",
                                                           "closed_at"])), "code", "one_thing_case",
              example={"code": "YJ101-0001", "case_type": "违建处置", "village_id": "330624101001", "title": "违建拆除",
                       "opened_by": "P0100", "opened_at": "2026-03-02 09:00", "closed_at": "2026-03-09 17:00"}),
        _record("case_steps", m.CaseStep, ["case_id", "village_id", "party", "department_id", "due_at", "done_at",
                                           "done_by", "note"],
                {"case_id": "YJ101-0001", "party": "lead", "department_id": "县住建局", "due_at": "2026-03-07 17:00",
                 "done_at": "2026-03-06 16:00", "done_by": "P0200"}),
        _record("dept_ratings", m.DeptRating, ["case_id", "step_id", "department_id", "village_id", "rating", "note",
                                               "rated_by", "rated_at"],
                {"case_id": "YJ101-0001", "step_id": "CA0001", "department_id": "县住建局", "rating": "good",
                 "rated_by": "P0100", "rated_at": "2026-03-10 09:00"}),
    )


def _moral_sheets() -> tuple[Sheet, ...]:
    """道德银行: the households of a village that take part (户号 unique in the village, the head's name) and their
    points ledger (evaluations, volunteer hours, deductions with their source)."""
    return (
        _record("moral_households", m.MoralHousehold, ["village_id", "code", "head_name", "members", "joined_on"],
                {"record_ext_id": "MH0001", "code": "0010001", "head_name": "张三", "members": 4,
                 "joined_on": "2025-06-01"}),
        _record("moral_entries", m.MoralEntry, ["household_id", "village_id", "kind", "dimension", "level", "points",
                                                "hours", "source", "source_ref", "recorded_by", "recorded_on", "note"],
                {"record_ext_id": "ME0001", "household_id": "MH0001", "kind": "dishonest", "dimension": "integrity",
                 "points": -30, "source": "省信用平台", "source_ref": "SX00000001", "recorded_on": "2026-03-05"},
                optional=["source"]),
    )


SHEETS: tuple[Sheet, ...] = _sheets()
SHEET_BY_KEY = {s.key: s for s in SHEETS}


def natural_id(sheet: Sheet, row: dict[str, Any]) -> str:
    """The external id of a row: its id column, or (department reports) village:month:indicator:version."""
    if sheet.id_column:
        return str(row[sheet.id_column])
    return f"{row['village_id']}:{row['period']}:{row['indicator_code']}:{row.get('version') or 1}"
