"""Checked rows into the tables, through the models' tables: new rows inserted with allocated ids, changed rows
updated with their 留痕 (import_change), unchanged rows left alone; external ids and digests in import_ref.

Nothing here checks a row: `load` calls `plan` only on rows that passed every check, and `write` only
when there was no error at all and it is not a dry run.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

import shapely
import sqlalchemy as sa
from sqlmodel import Session, col

from core import boundaries
from core.auth import hash_password
from core.enums import Role
from core.i18n import term
from core.importer import cells
from core.importer.check import REF_KIND, Known, Staged
from core.importer.models import ImportChange, ImportRef, ImportRun, OneTimePassword
from core.importer.schema import SHEET_BY_KEY
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
from core.table_model import TableModel

#: Sheet → model, in the order rows are written (foreign keys first; people split into person and post).
ORDER: list[tuple[str, type[TableModel]]] = [
    ("matter_types", MatterType), ("regions", Region), ("departments", Department), ("people", Person), ("grids", Grid), ("people", Post),
    ("tasks", Task), ("task_events", TaskEvent), ("appeals", Appeal), ("appeal_events", AppealEvent),
    ("diary_visits", DiaryVisit), ("decisions", Decision), ("decision_steps", DecisionStep),
    ("evaluations", Evaluation), ("party_members", PartyMember), ("member_links", MemberLink),
    ("party_meetings", PartyMeeting), ("affairs_postings", AffairsPosting), ("trainings", Training),
    ("safety_inspections", SafetyInspection), ("key_persons", KeyPerson), ("key_person_visits", KeyPersonVisit),
    ("anti_fraud_visits", AntiFraudVisit), ("waste_checks", WasteCheck), ("bid_projects", BidProject),
    ("project_bids", ProjectBid), ("project_milestones", ProjectMilestone), ("one_thing_cases", OneThingCase),
    ("case_steps", CaseStep), ("dept_ratings", DeptRating), ("moral_households", MoralHousehold),
    ("moral_entries", MoralEntry), ("reports", DeptReport), ("rules", ScoringRule),
]
#: Reference kinds a sheet column may name, and the table of the record each stands for.
REF_TABLE = {"region": "region", "grid": "grid", "person": "person", "matter_type": "matter_type", "task": "task",
             "appeal": "appeal", "decision": "decision", "party_member": "party_member", "key_person": "key_person",
             "department": "department", "bid_project": "bid_project", "one_thing_case": "one_thing_case",
             "case_step": "case_step", "moral_household": "moral_household"}
_PERSON_FIELDS = ("name", "gender", "birth_year", "party_member", "phone")
#: Columns a later file does not overwrite on a stored row (drawn or computed when the row was made).
_KEEP = {"region": {"boundary"}, "grid": {"boundary"}}


def digest(values: dict[str, Any], keys: list[str]) -> str:
    """The digest of a row's values (the same row again: the same digest)."""
    return hashlib.md5(json.dumps([values.get(k) for k in keys], default=str, ensure_ascii=False).encode(),
                       usedforsecurity=False).hexdigest()


@dataclass
class Counts:
    """Rows of one kind: new, updated (a field changed), unchanged."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Change:
    """One row to write: its table, record id, external id, the record's values, and whether it is new."""

    kind: str
    ext: str
    record_id: int
    values: dict[str, Any]
    new: bool
    digest: str
    sheet: str
    old_digest: str | None = None


@dataclass
class Plan:
    """What a load would write, with its counts (built without writing)."""

    changes: dict[str, list[Change]] = field(default_factory=dict)  # table → changes, in ORDER
    counts: dict[str, Counts] = field(default_factory=dict)  # sheet → counts
    accounts: list[tuple[str, int, str, bool]] = field(default_factory=list)  # (username, post id, display, read-only)
    batches: dict[str, int] = field(default_factory=dict)  # department → the report batch this load makes for it


class Ids:
    """Record ids: the stored one of an external id, or the next free id of its table."""

    def __init__(self, session: Session, known: Known) -> None:
        self.session, self.known = session, known
        self.next: dict[str, int] = {}
        self.fresh: dict[tuple[str, str], int] = {}

    def of(self, kind: str, ext: str) -> tuple[int, bool]:
        """(record id, already stored) of the row `ext` of `kind` (a table name)."""
        if kind in ("region", "grid"):
            return int(ext), ext in (self.known.regions if kind == "region" else self.known.grids)
        stored = {"matter_type": self.known.matter_types, "task": self.known.tasks, **self.known.codes}.get(kind)
        if stored is not None and ext in stored:
            return stored[ext], True
        ref = self.known.refs.get(kind, {}).get(ext)
        if ref is not None:
            return ref[0], True
        if (kind, ext) not in self.fresh:
            if kind not in self.next:
                top = self.session.execute(sa.text(f"SELECT max(id) FROM {kind}")).scalar()  # noqa: S608 — a model's table
                self.next[kind] = int(top or 0) + 1
            self.fresh[(kind, ext)] = self.next[kind]
            self.next[kind] += 1
        return self.fresh[(kind, ext)], False

    def ref(self, ref: str, ext: str | None) -> int | None:
        """The record id a reference column names (None stays None)."""
        if ext is None:
            return None
        return self.of(REF_TABLE[ref], ext)[0]


def _defaults(model: type[TableModel]) -> dict[str, Any]:
    out = {}
    for name, info in model.model_fields.items():
        if not info.is_required() and info.default is not None and not callable(info.default):
            out[name] = info.default
    return out


def _record(sheet_key: str, model: type[TableModel], values: dict[str, Any], ids: Ids) -> dict[str, Any]:
    """The table row of a checked sheet row (references resolved to ids, defaults filled in)."""
    sheet = SHEET_BY_KEY[sheet_key]
    cols = model.__table__.c
    rec = _defaults(model)
    for c in sheet.columns:
        if c.key not in cols:
            continue
        v = values.get(c.key)
        if c.kind == "ref" and c.ref in REF_TABLE:
            v = ids.ref(c.ref, v)
        if v is None and c.key in rec:
            continue
        rec[c.key] = v
    if sheet_key == "regions":
        code = values["code"]
        rec["parent_id"] = int(code[:9] + "000") if values["level"] == "village" else int(code[:6] + "000000")
    if sheet_key == "people":
        rec["person_id"] = ids.of("person", values["person_ext_id"])[0]
    for k in ("lon", "lat"):
        if k in cols and rec.get(k) is None:
            rec.pop(k, None)  # placed later (new rows) or kept as stored
    if sheet_key == "rules":
        rec["township_id"] = int(values["township_code"]) if values.get("township_code") else None
    return rec


def plan(session: Session, staged: dict[str, list[Staged]], known: Known) -> Plan:
    """What to write for the staged rows: per table the new and changed records, and the counts per sheet."""
    ids, out = Ids(session, known), Plan()
    for sheet_key, model in ORDER:
        rows = staged.get(sheet_key, [])
        table = model.__tablename__
        if sheet_key == "people" and model is Person:
            _plan_people(rows, known, ids, out)
            continue
        kind = REF_KIND[sheet_key]
        keys = [c.key for c in SHEET_BY_KEY[sheet_key].columns]
        counts = out.counts.setdefault(sheet_key, Counts())
        for s in rows:
            rid, stored = ids.of(table if sheet_key != "people" else "post", s.ext)  # type: ignore
            d = digest(s.values, keys)
            old = known.refs.get(kind, {}).get(s.ext)
            if stored and old is not None and old[1] == d:
                counts.unchanged += 1
                continue
            rec = _record(sheet_key, model, s.values, ids)
            rec["id"] = rid
            if sheet_key == "reports":
                rec["batch_id"] = out.batches.setdefault(s.values["department"], ids.of("report_batch", s.values["department"])[0])
                rec["source_row"] = s.row
            out.changes.setdefault(table, []).append(Change(kind, s.ext, rid, rec, not stored, d, sheet_key,  # type: ignore
                                                            old[1] if old else None))
            if not stored:
                counts.new += 1
            else:  # the digest differs; `write` compares field by field (equal values count as unchanged there)
                counts.updated += 1
            if sheet_key == "people" and s.values.get("username"):
                display = f"{s.values['name']}（{term('role', s.values['role'])}）"
                out.accounts.append((s.values["username"], rid, display, s.values["role"] == Role.SCREEN_VIEWER))
    return out


def _plan_people(rows: list[Staged], known: Known, ids: Ids, out: Plan) -> None:
    """One person row per person id (the first row that names them)."""
    seen: set[str] = set()
    for s in rows:
        p = s.values["person_ext_id"]
        if p in seen:
            continue
        seen.add(p)
        rid, stored = ids.of("person", p)
        d = digest(s.values, list(_PERSON_FIELDS))
        old = known.refs.get("person", {}).get(p)
        if stored and old is not None and old[1] == d:
            continue
        rec = {**_defaults(Person), **{f: s.values[f] for f in _PERSON_FIELDS if s.values[f] is not None}, "id": rid}
        out.changes.setdefault("person", []).append(Change("person", p, rid, rec, not stored, d, "people",
                                                           old[1] if old else None))


def _changed(old: dict[str, Any], new: dict[str, Any], kind: str) -> dict[str, list[Any]]:
    keep = _KEEP.get(kind, set())
    out = {}
    for k, v in new.items():
        if k in keep or k == "id":
            continue
        was = old.get(k)
        if isinstance(was, datetime) and isinstance(v, datetime) or isinstance(was, date) and isinstance(v, date):
            same = was == v
        elif isinstance(was, float) or isinstance(v, float):
            same = was is not None and v is not None and abs(float(was) - float(v)) < 1e-9
        else:
            same = was == v
        if not same:
            out[k] = [was, v]
    return out


@dataclass
class Written:
    """What `write` did: counts per sheet (updated rows that turned out equal count as unchanged) and passwords."""

    counts: dict[str, Counts]
    passwords: list[tuple[str, str, str]]  # (username, display name, one-time password)
    run_id: int


Progress = Callable[[str, int, int], None]


def write(session: Session, p: Plan, *, known: Known, now: datetime, actor_id: int | None, files: list[dict],
          geometry: Callable[[Session, Plan], None], progress: Progress) -> Written:
    """Insert and update what the plan says, record the run, the external ids and the corrections."""
    conn = session.connection()
    run = ImportRun(at=now, actor_id=actor_id, files=json.dumps(files, ensure_ascii=False), summary="{}")
    session.add(run)
    session.flush()
    run_id = cast(int, run.id)
    geometry(session, p)
    if p.batches:  # one department-report batch per department that sent new or corrected figures
        names = ", ".join(f["name"] for f in files)[:128]
        conn.execute(ReportBatch.__table__.insert(), [
            {"id": bid, "department": dept, "submitted_by": actor_id, "submitted_name": dept[:32], "submitted_at": now,
             "source_kind": "import", "source_name": names} for dept, bid in p.batches.items()])
    counts = {k: Counts(v.new, 0, v.unchanged) for k, v in p.counts.items()}
    refs_new: list[dict] = []
    refs_upd: list[dict] = []
    log: list[dict] = []
    total = sum(len(v) for v in p.changes.values())
    done = 0
    for sheet_key, model in ORDER:
        table = model.__table__
        changes = [c for c in p.changes.get(table.name, []) if c.sheet == sheet_key]
        if not changes:
            continue
        new = [c.values for c in changes if c.new]
        for lo in range(0, len(new), 5000):
            conn.execute(table.insert(), new[lo:lo + 5000])
        old_ids = [c.record_id for c in changes if not c.new]
        olds: dict[int, dict] = {}
        for lo in range(0, len(old_ids), 900):
            for row in conn.execute(sa.select(table).where(table.c.id.in_(old_ids[lo:lo + 900]))).mappings():
                olds[int(row["id"])] = dict(row)
        for c in changes:
            if c.new:
                refs_new.append({"kind": c.kind, "external_id": c.ext, "record_id": c.record_id, "digest": c.digest,
                                 "run_id": run_id})
                continue
            diff = _changed(olds.get(c.record_id, {}), c.values, c.kind)
            if diff:
                conn.execute(table.update().where(table.c.id == c.record_id).values({k: v[1] for k, v in diff.items()}))
                log.append({"run_id": run_id, "kind": c.kind, "external_id": c.ext, "record_id": c.record_id, "at": now,
                            "changes": json.dumps(diff, default=str, ensure_ascii=False)})
                if c.kind != "person":
                    counts[sheet_key].updated += 1
            elif c.kind != "person":
                counts[sheet_key].unchanged += 1
            (refs_upd if c.old_digest is not None else refs_new).append(
                {"kind": c.kind, "external_id": c.ext, "record_id": c.record_id, "digest": c.digest, "run_id": run_id})
        done += len(changes)
        progress("import.stage.write", done, total)
    passwords = _accounts(session, p, known, now, run_id)
    ref_t = ImportRef.__table__
    for lo in range(0, len(refs_new), 5000):
        conn.execute(ref_t.insert(), refs_new[lo:lo + 5000])
    for r in refs_upd:
        conn.execute(ref_t.update().where(ref_t.c.kind == r["kind"], ref_t.c.external_id == r["external_id"])
                     .values(digest=r["digest"], run_id=run_id, record_id=r["record_id"]))
    if log:
        conn.execute(ImportChange.__table__.insert(), log)
    run.summary = json.dumps({k: vars(v) for k, v in counts.items()})
    session.add(run)
    _bump_sequences(conn, [*p.changes, *(["report_batch"] if p.batches else [])])
    return Written(counts, passwords, run_id)


def _accounts(session: Session, p: Plan, known: Known, now: datetime, run_id: int) -> list[tuple[str, str, str]]:
    """New accounts for posts with a username not yet taken by them: a one-time password each (hashed; the clear
    text goes back to the caller once, to be written to the file the importer names)."""
    out, conn = [], session.connection()
    for username, post_id, display, read_only in p.accounts:
        if known.usernames.get(username) == post_id:
            continue
        password = secrets.token_urlsafe(9)
        account = UserAccount(username=username, password_hash=hash_password(password), post_id=post_id,
                              display_name=display, read_only=read_only)
        session.add(account)
        session.flush()
        conn.execute(OneTimePassword.__table__.insert(), [{"account_id": account.id, "issued_at": now, "run_id": run_id}])
        out.append((username, display, password))
    return out


def _bump_sequences(conn: sa.Connection, tables: list[str]) -> None:
    """PostgreSQL: move each table's id sequence past the ids the import allocated itself."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "  # noqa: S608 — a model's table
                             f"(SELECT coalesce(max(id), 1) FROM {t}))"))


def place_regions(session: Session, p: Plan, county_code: str, given: dict[str, Any] | None = None) -> None:
    """Boundaries (and points where the file gave none) for new regions and grids: the outline a boundary file
    gave (`given`: code → WGS84 geometry), else a cell of their parent; stored regions and grids a boundary file
    names take its outline."""
    given = given or {}
    new_regions = [c for c in p.changes.get("region", []) if c.new]
    new_grids = [c for c in p.changes.get("grid", []) if c.new]
    _replace_outlines(session, p, given)
    if not new_regions and not new_grids:
        _place_appeals(session, p, {})
        return
    shapes: dict[int, Any] = {}

    def shape_of(rid: int) -> Any:
        if rid not in shapes:
            raw = session.execute(sa.select(Region.boundary).where(Region.id == rid)).scalar()  # type: ignore
            shapes[rid] = shapely.from_geojson(raw) if raw else boundaries.load_boundary(county_code)
        return shapes[rid]

    def place(parent: Any, kids: list[Change]) -> None:
        own = [k for k in kids if str(k.record_id) in given]
        for k in own:
            geom = given[str(k.record_id)]
            lon, lat = k.values.get("lon"), k.values.get("lat")
            if lon is None or lat is None:
                rp = geom.representative_point()
                lon, lat = round(rp.x, 5), round(rp.y, 5)
            k.values.update(boundary=shapely.to_geojson(geom), lon=lon, lat=lat)
            shapes[k.record_id] = geom
        rest = [k for k in kids if str(k.record_id) not in given]
        if rest:
            placed = cells.cells(parent, {str(k.record_id): (k.values.get("lon"), k.values.get("lat")) for k in rest})
            for k in rest:
                geom, lon, lat = placed[str(k.record_id)]
                k.values.update(boundary=shapely.to_geojson(geom), lon=lon, lat=lat)
                shapes[k.record_id] = geom

    for level in ("township", "village"):
        by_parent: dict[int, list[Change]] = {}
        for c in new_regions:
            if c.values["level"] == level:
                by_parent.setdefault(int(c.values["parent_id"]), []).append(c)
        for parent, kids in sorted(by_parent.items()):
            place(shape_of(parent), kids)
    by_village: dict[int, list[Change]] = {}
    for c in new_grids:
        by_village.setdefault(int(c.values["village_id"]), []).append(c)
    for village, kids in sorted(by_village.items()):
        place(shape_of(village), kids)
    _place_appeals(session, p, {c.record_id: (c.values["lon"], c.values["lat"]) for c in new_grids})


def _replace_outlines(session: Session, p: Plan, given: dict[str, Any]) -> None:
    """Stored regions and grids named by a boundary file take its outline (new ones are placed by the caller)."""
    new = {str(c.record_id) for kind in ("region", "grid") for c in p.changes.get(kind, []) if c.new}
    conn = session.connection()
    for code, geom in sorted(given.items()):
        if code in new:
            continue
        table = (Region if len(code) == 12 else Grid).__table__
        conn.execute(table.update().where(table.c.id == int(code)).values(boundary=shapely.to_geojson(geom)))


def _place_appeals(session: Session, p: Plan, grid_points: dict[int, tuple[float, float]]) -> None:
    """Appeals the file gave no point: their grid's point."""
    for c in p.changes.get("appeal", []):
        if c.values.get("lon") is None or c.values.get("lat") is None:
            gid = int(c.values["grid_id"])
            lon, lat = grid_points.get(gid) or tuple(session.execute(
                sa.select(col(Grid.lon), col(Grid.lat)).where(col(Grid.id) == gid)).one())
            c.values.update(lon=lon, lat=lat)
