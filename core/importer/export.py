"""A county's data in the import template (backup, a move to PostgreSQL, the round trip): every sheet, every row
of the county, external ids as they were imported (or made from the record ids of data that was never
imported: P123 for person 123)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlmodel import Session, col

from core.importer.models import ImportRef
from core.importer.schema import SHEETS, Sheet
from core.importer.template import new_book, write_sheet
from core.models import (
    AffairsPosting,
    AntiFraudVisit,
    Appeal,
    AppealEvent,
    BidProject,
    CaseStep,
    Decision,
    DecisionStep,
    Department,
    DeptRating,
    DeptReport,
    DiaryVisit,
    Evaluation,
    Grid,
    KeyPerson,
    KeyPersonVisit,
    MatterType,
    MemberLink,
    Meta,
    MoralEntry,
    MoralHousehold,
    OneThingCase,
    PartyMeeting,
    PartyMember,
    Person,
    Post,
    ProjectBid,
    ProjectMilestone,
    Region,
    ReportBatch,
    SafetyInspection,
    ScoringRule,
    Task,
    TaskEvent,
    Training,
    UserAccount,
    WasteCheck,
)
from core.scope import Scope

#: Prefix of the external ids made for rows that were never imported, by ref kind.
PREFIX = {"person": "P", "post": "G", "task_event": "TE", "appeal": "A", "appeal_event": "AE", "diary_visit": "D",
          "decision": "J", "decision_step": "S", "evaluation": "E", "party_member": "PM", "member_link": "ML",
          "party_meeting": "MT", "affairs_posting": "AP", "training": "TR", "safety_inspection": "SI", "key_person": "KP",
          "key_person_visit": "KV", "anti_fraud_visit": "AF", "waste_check": "WC", "project_bid": "PB",
          "project_milestone": "PS", "case_step": "CS", "dept_rating": "DR",
          "moral_household": "MH", "moral_entry": "ME"}


class _Ext:
    """Record id → external id, per kind: the imported one, else a prefix and the id."""

    def __init__(self, session: Session) -> None:
        self.stored: dict[str, dict[int, str]] = {}
        for kind, ext, rid in session.execute(sa.select(ImportRef.kind, ImportRef.external_id, ImportRef.record_id)):  # type: ignore[call-overload]
            self.stored.setdefault(kind, {})[int(rid)] = ext  # type: ignore

    def __call__(self, kind: str, rid: int | None) -> str | None:
        if rid is None:
            return None
        return self.stored.get(kind, {}).get(int(rid)) or f"{PREFIX[kind]}{rid}"


def _rows(session: Session, stmt: Any) -> Iterator[dict[str, Any]]:
    for row in session.execute(stmt).mappings():
        yield dict(row)


def county_rows(session: Session, county: Scope) -> dict[str, Iterator[dict[str, Any]]]:
    """Each sheet's rows of the county (values as the sheet's columns hold them), streamed."""
    lo, hi, ext = county.lo, county.hi, _Ext(session)
    code_of: dict[int, str] = {}
    for rid, code in session.execute(sa.select(MatterType.id, MatterType.code)):  # type: ignore[call-overload]
        code_of[int(rid)] = code  # type: ignore
    task_code = dict(session.execute(sa.select(Task.id, Task.code).where(Task.village_id.between(lo, hi))).tuples().all())  # type: ignore
    meta = dict(session.execute(sa.select(Meta.key, Meta.value)).tuples().all())  # type: ignore
    r, g, t, a = Region.__table__.c, Grid.__table__.c, Task.__table__.c, Appeal.__table__.c

    def regions() -> Iterator[dict]:
        yield from _rows(session, sa.select(r).where(r.id.between(lo + 1, hi), r.level.in_(("township", "village")))  # type: ignore
                         .order_by(r.id))

    def grids() -> Iterator[dict]:
        for row in _rows(session, sa.select(g).where(g.village_id.between(lo, hi)).order_by(g.id)):  # type: ignore
            yield {**row, "village_id": str(row["village_id"]), "worker_id": ext("person", row["worker_id"])}

    def people() -> Iterator[dict]:
        p, s, u = Person.__table__.c, Post.__table__.c, UserAccount.__table__.c
        stmt = (sa.select(s, p.name, p.gender, p.birth_year, p.party_member, p.phone, u.username)  # type: ignore
                .join(Person, p.id == s.person_id).outerjoin(UserAccount, u.post_id == s.id)
                .where(s.region_id.between(lo, hi)).order_by(s.id))
        for row in _rows(session, stmt):
            yield {**row, "post_ext_id": ext("post", row["id"]), "person_ext_id": ext("person", row["person_id"]),
                   "region_id": str(row["region_id"]), "grid_id": row["grid_id"] and str(row["grid_id"])}

    def tasks() -> Iterator[dict]:
        for row in _rows(session, sa.select(t).where(t.village_id.between(lo, hi)).order_by(t.id)):  # type: ignore
            yield {**row, "matter_type_id": code_of[row["matter_type_id"]],
                   **{k: ext("person", row[k]) for k in ("dispatcher_id", "owner_id", "leader_id")},
                   **{k: row[k] and str(row[k]) for k in ("dispatcher_region_id", "village_id", "grid_id")}}

    def task_events() -> Iterator[dict]:
        e = TaskEvent.__table__.c
        stmt = sa.select(e).join(Task, t.id == e.task_id).where(t.village_id.between(lo, hi)).order_by(e.id)  # type: ignore
        for row in _rows(session, stmt):
            yield {**row, "event_ext_id": ext("task_event", row["id"]), "task_id": task_code[row["task_id"]],
                   "actor_id": ext("person", row["actor_id"])}

    def appeals() -> Iterator[dict]:
        for row in _rows(session, sa.select(a).where(a.village_id.between(lo, hi)).order_by(a.id)):  # type: ignore
            yield {**row, "appeal_ext_id": ext("appeal", row["id"]), "village_id": str(row["village_id"]),
                   "grid_id": str(row["grid_id"]), "handler_id": ext("person", row["handler_id"])}

    def appeal_events() -> Iterator[dict]:
        e = AppealEvent.__table__.c
        stmt = sa.select(e).join(Appeal, a.id == e.appeal_id).where(a.village_id.between(lo, hi)).order_by(e.id)  # type: ignore
        for row in _rows(session, stmt):
            yield {**row, "event_ext_id": ext("appeal_event", row["id"]), "appeal_id": ext("appeal", row["appeal_id"]),
                   "actor_id": ext("person", row["actor_id"])}

    def simple(model: Any, kind: str, id_key: str, persons: tuple[str, ...] = (),
               refs: dict[str, str] | None = None) -> Iterator[dict]:
        c = model.__table__.c
        for row in _rows(session, sa.select(c).where(c.village_id.between(lo, hi)).order_by(c.id)):
            yield {**row, id_key: ext(kind, row["id"]), "village_id": str(row["village_id"]),
                   **({"grid_id": str(row["grid_id"])} if "grid_id" in row else {}),
                   **{k: ext("person", row[k]) for k in persons},
                   **{k: ext(target, row[k]) for k, target in (refs or {}).items()}}

    def record(model: Any, persons: tuple[str, ...] = (), refs: dict[str, str] | None = None) -> Iterator[dict]:
        return simple(model, model.__tablename__, "record_ext_id", persons, refs)

    def decision_steps() -> Iterator[dict]:
        s, d = DecisionStep.__table__.c, Decision.__table__.c
        stmt = sa.select(s).join(Decision, d.id == s.decision_id).where(d.village_id.between(lo, hi)).order_by(s.id)  # type: ignore
        for row in _rows(session, stmt):
            yield {**row, "step_ext_id": ext("decision_step", row["id"]), "decision_id": ext("decision", row["decision_id"])}

    def reports() -> Iterator[dict]:
        v, b = DeptReport.__table__.c, ReportBatch.__table__.c
        stmt = (sa.select(v, b.department).join(ReportBatch, b.id == v.batch_id).where(v.village_id.between(lo, hi))  # type: ignore
                .order_by(v.village_id, v.period, v.indicator_code, v.version))
        for row in _rows(session, stmt):
            yield {**row, "village_id": str(row["village_id"])}

    dept_name: dict[int, str] = dict(session.execute(sa.select(col(Department.id), col(Department.name))
                                                     .where(col(Department.county_id) == lo)).tuples().all())

    def people_with_departments() -> Iterator[dict]:
        for row in people():
            yield {**row, "department_id": dept_name.get(row["department_id"])}

    def departments() -> Iterator[dict]:
        for _dept_id, name in sorted(dept_name.items()):
            yield {"name": name, "county_id": str(lo)}

    bp, oc = BidProject.__table__.c, OneThingCase.__table__.c
    project_code = dict(session.execute(sa.select(bp.id, bp.code).where(bp.township_id.between(lo, hi))).tuples().all())
    case_code = dict(session.execute(sa.select(oc.id, oc.code).where(oc.village_id.between(lo, hi))).tuples().all())

    def scene(model: Any, where: Any, persons: tuple[str, ...], key: str = "") -> Iterator[dict]:
        """Rows of a scene table: regions as codes, people, projects, cases, steps and departments as their ids."""
        c = model.__table__.c
        for row in _rows(session, sa.select(c).where(where(c)).order_by(c.id)):
            out = {**row, **{k: ext("person", row[k]) for k in persons},
                   **{k: row[k] and str(row[k]) for k in ("township_id", "village_id") if k in row}}
            if key:
                out[key] = ext(model.__tablename__, row["id"])
            if "project_id" in row:
                out["project_id"] = project_code[row["project_id"]]
            if "case_id" in row:
                out["case_id"] = case_code[row["case_id"]]
            if "step_id" in row:
                out["step_id"] = ext("case_step", row["step_id"])
            if "department_id" in row:
                out["department_id"] = dept_name.get(row["department_id"])
            yield out

    def in_projects(c: Any) -> Any:
        return c.project_id.in_(sa.select(bp.id).where(bp.township_id.between(lo, hi)))

    def rules() -> Iterator[dict]:
        c = ScoringRule.__table__.c
        stmt = sa.select(c).where(sa.or_(c.township_id.is_(None), c.township_id.between(lo, hi))).order_by(c.id)  # type: ignore
        for row in _rows(session, stmt):
            yield {**row, "township_code": row["township_id"] and str(row["township_id"])}

    return {
        "dataset": iter([{"county_code": str(lo)[:6], "as_of": meta.get("as_of"), "start": meta.get("start")}]),
        "matter_types": _rows(session, sa.select(MatterType.__table__).order_by(MatterType.id)),  # type: ignore[arg-type]
        "regions": regions(), "grids": grids(), "people": people_with_departments(), "tasks": tasks(), "task_events": task_events(),
        "appeals": appeals(), "appeal_events": appeal_events(),
        "diary_visits": simple(DiaryVisit, "diary_visit", "visit_ext_id", ("person_id",)),
        "decisions": simple(Decision, "decision", "decision_ext_id"), "decision_steps": decision_steps(),
        "evaluations": simple(Evaluation, "evaluation", "evaluation_ext_id", ("person_id",)),
        "party_members": record(PartyMember), "member_links": record(MemberLink, refs={"member_id": "party_member"}),
        "party_meetings": record(PartyMeeting, ("recorded_by",)), "affairs_postings": record(AffairsPosting),
        "trainings": record(Training), "safety_inspections": record(SafetyInspection), "key_persons": record(KeyPerson),
        "key_person_visits": record(KeyPersonVisit, ("visitor_id",), {"key_person_id": "key_person"}),
        "anti_fraud_visits": record(AntiFraudVisit), "waste_checks": record(WasteCheck),
        "departments": departments(),
        "bid_projects": scene(BidProject, lambda c: c.township_id.between(lo, hi), ("published_by", "winner_id")),
        "project_bids": scene(ProjectBid, in_projects, ("bidder_id",), "record_ext_id"),
        "project_milestones": scene(ProjectMilestone, in_projects, ("done_by",), "record_ext_id"),
        "one_thing_cases": scene(OneThingCase, lambda c: c.village_id.between(lo, hi), ("opened_by",)),
        "case_steps": scene(CaseStep, lambda c: c.village_id.between(lo, hi), ("done_by",), "record_ext_id"),
        "dept_ratings": scene(DeptRating, lambda c: c.village_id.between(lo, hi), ("rated_by",), "record_ext_id"),
        "moral_households": record(MoralHousehold),
        "moral_entries": record(MoralEntry, ("recorded_by",), {"household_id": "moral_household"}),
        "reports": reports(), "rules": rules(),
    }


def export_county(session: Session, county: Scope, out: str | Path | IO[bytes], *, lang: str = "zh") -> dict[str, int]:
    """Write the county's data in the template to `out`; rows written per sheet."""
    book, lists, cache = new_book(lang)
    rows = county_rows(session, county)
    counts: dict[str, int] = {}
    for sheet in SHEETS:
        seen = _Counted(rows[sheet.key])
        write_sheet(book, sheet, seen, lang, example=False, lists=lists, cache=cache)
        counts[sheet.key] = seen.n
    book.move_sheet(lists, offset=len(book.sheetnames))
    book.save(out)
    return counts


class _Counted:
    def __init__(self, rows: Iterator[dict]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            self.n += 1
            yield row


def _sheet(key: str) -> Sheet:
    return next(s for s in SHEETS if s.key == key)
