"""Checks across rows and against the database: ids unique, references found (in the file or already stored),
codes inside the county and of the right shape, grids inside their village, one person described one way.

`Known` holds what the database already has; `check_rows` adds what the files bring and reports every
problem as a RowError. An external id of digits that lost its leading zeros (Excel made it a number) is
matched to the one id it can only be.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from core.importer.errors import RowError
from core.importer.models import ImportRef
from core.importer.schema import SHEET_BY_KEY, Column, natural_id
from core.models import (
    BidProject,
    Department,
    Grid,
    MatterType,
    MoralHousehold,
    OneThingCase,
    Region,
    Task,
    UserAccount,
)


def _fetch(session: Session, stmt: Any) -> list[Any]:
    """The rows of a select (typed loosely: model attributes as columns are not typed for SQLAlchemy)."""
    return list(session.execute(stmt))


@dataclass
class Origin:
    """Where a sheet's rows came from: the tab (or file) name and each column's letter and header."""

    title: str
    letters: dict[str, str]
    headers: dict[str, str]


@dataclass
class Staged:
    """A row that passed its own checks: its number, values, external id and origin."""

    row: int
    values: dict[str, Any]
    ext: str
    origin: Origin


#: Reference kind → the sheet whose rows define it (and its column holding the id).
DEFINED_BY = {"region": ("regions", "code"), "grid": ("grids", "code"), "person": ("people", "person_ext_id"),
              "matter_type": ("matter_types", "code"), "task": ("tasks", "code"), "appeal": ("appeals", "appeal_ext_id"),
              "decision": ("decisions", "decision_ext_id"), "party_member": ("party_members", "record_ext_id"),
              "key_person": ("key_persons", "record_ext_id"), "department": ("departments", "name"),
              "bid_project": ("bid_projects", "code"), "one_thing_case": ("one_thing_cases", "code"),
              "case_step": ("case_steps", "record_ext_id"), "moral_household": ("moral_households", "record_ext_id")}
#: The ref kind under which each sheet's rows are stored in import_ref.
REF_KIND = {"matter_types": "matter_type", "regions": "region", "grids": "grid", "people": "post", "tasks": "task",
            "task_events": "task_event", "appeals": "appeal", "appeal_events": "appeal_event",
            "diary_visits": "diary_visit", "decisions": "decision", "decision_steps": "decision_step",
            "evaluations": "evaluation", "party_members": "party_member", "member_links": "member_link",
            "party_meetings": "party_meeting", "affairs_postings": "affairs_posting", "trainings": "training",
            "safety_inspections": "safety_inspection", "key_persons": "key_person", "key_person_visits": "key_person_visit",
            "anti_fraud_visits": "anti_fraud_visit", "waste_checks": "waste_check", "reports": "dept_report",
            "rules": "scoring_rule", "departments": "department", "bid_projects": "bid_project",
            "project_bids": "project_bid", "project_milestones": "project_milestone", "one_thing_cases": "one_thing_case",
            "case_steps": "case_step", "dept_ratings": "dept_rating", "moral_households": "moral_household",
            "moral_entries": "moral_entry"}


@dataclass
class Known:
    """What the database already holds, by the keys the sheets use."""

    regions: dict[str, str] = field(default_factory=dict)  # code → level
    grids: dict[str, str] = field(default_factory=dict)  # code → village code
    refs: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)  # kind → ext id → (record id, digest)
    matter_types: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, int] = field(default_factory=dict)  # username → post id
    #: Records stored under their own code or name (projects, cases; departments of the county): kind → key → id.
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: 道德银行 households of the county: record id → (village code, 户号, joining day).
    households: dict[int, tuple[str, str, date]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, county_id: int | None) -> Known:
        """Everything of the county the checks compare with (regions, grids, refs, codes, usernames)."""
        out = cls()
        if county_id is not None:
            lo, hi = county_id, county_id + 999_999
            out.regions = {c: lv for c, lv in _fetch(session, sa.select(Region.code, Region.level).where(  # type: ignore[call-overload]
                Region.id.between(lo, hi)))}  # type: ignore[attr-defined]
            out.grids = {c: str(v) for c, v in _fetch(session, sa.select(Grid.code, Grid.village_id).where(  # type: ignore[call-overload]
                Grid.village_id.between(lo, hi)))}  # type: ignore[attr-defined]
            out.codes["department"] = {n: int(i) for n, i in _fetch(session, sa.select(
                col(Department.name), col(Department.id)).where(col(Department.county_id) == lo))}
            out.households = {int(i): (str(v), str(c), j) for i, v, c, j in _fetch(session, sa.select(
                col(MoralHousehold.id), col(MoralHousehold.village_id), col(MoralHousehold.code),
                col(MoralHousehold.joined_on)).where(col(MoralHousehold.village_id).between(lo, hi)))}
        out.codes["bid_project"] = {c: int(i) for c, i in _fetch(session, sa.select(col(BidProject.code), col(BidProject.id)))}
        out.codes["one_thing_case"] = {c: int(i) for c, i in _fetch(session, sa.select(col(OneThingCase.code),
                                                                                      col(OneThingCase.id)))}
        for kind, ext, rid, digest in _fetch(session, sa.select(ImportRef.kind, ImportRef.external_id,  # type: ignore[call-overload]
                                                                ImportRef.record_id, ImportRef.digest)):
            out.refs.setdefault(kind, {})[ext] = (int(rid), digest)
        out.matter_types = {c: int(i) for c, i in _fetch(session, sa.select(MatterType.code, MatterType.id))}  # type: ignore[call-overload]
        out.tasks = {c: int(i) for c, i in _fetch(session, sa.select(Task.code, Task.id))}  # type: ignore[call-overload]
        out.usernames = {u: int(p) for u, p in _fetch(session, sa.select(UserAccount.username, UserAccount.post_id))}  # type: ignore[call-overload]
        return out

    def defined(self, kind: str) -> set[str]:
        """External ids of a reference kind the database has."""
        if kind == "region":
            return set(self.regions)
        if kind == "grid":
            return set(self.grids)
        if kind == "matter_type":
            return set(self.matter_types)
        if kind == "task":
            return set(self.tasks)
        return set(self.refs.get(kind, {})) | set(self.codes.get(kind, {}))


def _error(s: Staged, column: str, key: str, value: Any = None, **params: Any) -> RowError:
    return RowError(s.origin.title, s.row, s.origin.letters.get(column, ""), s.origin.headers.get(column, column),
                    s.values.get(column) if value is None else value, key, params)


class Resolver:
    """External ids (as typed) → the ids they name, from the files and the database, with lost zeros restored."""

    def __init__(self, known: Known, staged: dict[str, list[Staged]]) -> None:
        self.ids: dict[str, set[str]] = {}
        for kind, (sheet, id_col) in DEFINED_BY.items():
            self.ids[kind] = known.defined(kind) | {str(s.values[id_col]) for s in staged.get(sheet, [])}
        self.unpadded: dict[str, dict[str, str | None]] = {}

    def find(self, kind: str, value: str) -> str | None:
        """The id `value` names ('123' finds '000123' when that is the only id it can be), or None."""
        ids = self.ids[kind]
        if value in ids:
            return value
        if value.isdigit():
            if kind not in self.unpadded:
                table: dict[str, str | None] = {}
                for x in ids:
                    if x.isdigit() and x != x.lstrip("0"):
                        short = x.lstrip("0") or "0"
                        table[short] = None if short in table else x
                self.unpadded[kind] = table
            return self.unpadded[kind].get(value.lstrip("0") or "0")
        return None


def _county_codes(county: str, code: str, level: str) -> str | None:
    """None when a township/village code fits its level inside the county, else the reason's key."""
    if not code.startswith(county):
        return "import.err.outside_county"
    town, village = code[6:9], code[9:12]
    ok = (level == "township" and town != "000" and village == "000") or (
        level == "village" and town != "000" and village != "000")
    return None if ok else "import.err.level_shape"


def check_rows(staged: dict[str, list[Staged]], known: Known, county: str) -> tuple[list[RowError], Resolver]:
    """Every cross-row and database problem of the staged rows (references are rewritten to the ids they name)."""
    errors: list[RowError] = []
    res = Resolver(known, staged)
    res.ids["region"].add(county + "000000")
    for key, rows in staged.items():
        seen: dict[str, int] = {}
        sheet = SHEET_BY_KEY[key]
        id_col = sheet.id_column or "village_id"
        for s in rows:
            if s.ext in seen:
                errors.append(_error(s, id_col, "import.err.duplicate_id", s.ext, other=seen[s.ext]))
            else:
                seen[s.ext] = s.row
    regions = {**known.regions, **{s.values["code"]: s.values["level"] for s in staged.get("regions", [])}}
    regions.setdefault(county + "000000", "county")
    for s in staged.get("regions", []):
        code, level = s.values["code"], s.values["level"]
        reason = _county_codes(county, code, level)
        if reason:
            errors.append(_error(s, "code", reason, county=county, level=level))
            continue
        parent = code[:9] + "000" if level == "village" else county + "000000"
        if regions.get(parent) != ("township" if level == "village" else "county"):
            errors.append(_error(s, "code", "import.err.parent_missing", parent=parent))
    grids = {**known.grids, **{s.values["code"]: s.values["village_id"] for s in staged.get("grids", [])}}
    for s in staged.get("grids", []):
        if s.values["code"][:12] != s.values["village_id"]:
            errors.append(_error(s, "code", "import.err.grid_not_in_village", grid=s.values["code"],
                                 village=s.values["village_id"]))
    _check_people(staged.get("people", []), known, errors)
    for key, rows in staged.items():
        refs = [c for c in SHEET_BY_KEY[key].columns if c.kind == "ref" and c.ref in DEFINED_BY]
        for s in rows:
            for c in refs:
                _check_ref(s, c, res, regions, grids, county, errors)
    _check_moral(staged, known, errors)
    return errors, res


def _check_ref(s: Staged, c: Column, res: Resolver, regions: dict[str, str], grids: dict[str, str], county: str,
               errors: list[RowError]) -> None:
    value = s.values.get(c.key)
    if value is None:
        return
    found = res.find(c.ref, str(value))
    if found is None:
        key = "import.err.outside_county" if c.ref in ("region", "grid") and not str(value).startswith(county) else \
            "import.err.unknown_ref"
        errors.append(_error(s, c.key, key, target=c.ref, county=county))
        return
    s.values[c.key] = found
    if c.ref == "region" and c.key == "village_id" and regions.get(found) != "village":
        errors.append(_error(s, c.key, "import.err.level_shape", level="village", level_en="village"))
    if c.ref == "grid" and c.key == "grid_id" and s.values.get("village_id") and grids.get(found) != s.values["village_id"]:
        errors.append(_error(s, c.key, "import.err.grid_not_in_village", grid=found, village=s.values["village_id"]))


_PERSON_FIELDS = ("name", "gender", "birth_year", "party_member", "phone")


def _check_moral(staged: dict[str, list[Staged]], known: Known, errors: list[RowError]) -> None:
    """道德银行: a 户号 once per village (file and database), a ledger line in its household's village and not
    before the household joined."""
    refs = known.refs.get("moral_household", {})
    households = {ext: known.households[rid] for ext, (rid, _d) in refs.items() if rid in known.households}
    taken = {(v, c): rid for rid, (v, c, _j) in known.households.items()}  # desk-registered households too
    rows: dict[tuple[str, str], int] = {}
    for s in staged.get("moral_households", []):
        v = s.values
        key, mine = (str(v["village_id"]), str(v["code"])), refs.get(s.ext, (None, ""))[0]
        if key in rows:
            errors.append(_error(s, "code", "import.err.moral_code", other=rows[key]))
        elif taken.get(key, mine) != mine:
            errors.append(_error(s, "code", "import.err.moral_code_stored"))
        rows.setdefault(key, s.row)
        households[s.ext] = (str(v["village_id"]), str(v["code"]), v["joined_on"])
    for s in staged.get("moral_entries", []):
        hh = households.get(str(s.values.get("household_id")))
        if hh is None:  # an unknown household is reported by the reference check
            continue
        village, _code, joined = hh
        if str(s.values.get("village_id")) != village:
            errors.append(_error(s, "village_id", "import.err.moral_village", village=village))
        on = s.values.get("recorded_on")
        if on is not None and joined is not None and on < joined:
            errors.append(_error(s, "recorded_on", "import.err.moral_before_joining", joined=str(joined)))


def _check_people(rows: list[Staged], known: Known, errors: list[RowError]) -> None:
    first: dict[str, Staged] = {}
    users: dict[str, Staged] = {}
    for s in rows:
        p = s.values["person_ext_id"]
        if p in first:
            for f in _PERSON_FIELDS:
                if first[p].values[f] != s.values[f]:
                    errors.append(_error(s, f, "import.err.person_conflict", other=first[p].row))
        else:
            first[p] = s
        u = s.values.get("username")
        if u:
            mine = known.refs.get("post", {}).get(s.ext)
            taken = u in known.usernames and (mine is None or known.usernames[u] != mine[0])
            if u in users or taken:
                errors.append(_error(s, "username", "import.err.username_taken"))
            users[u] = s


def group_errors(errors: list[RowError]) -> dict[tuple[str, int], list[RowError]]:
    """Errors by (sheet, row) (the page shows them row by row)."""
    out: dict[tuple[str, int], list[RowError]] = defaultdict(list)
    for e in errors:
        out[(e.sheet, e.row)].append(e)
    return dict(out)


__all__ = ["DEFINED_BY", "REF_KIND", "Known", "Origin", "Resolver", "Staged", "check_rows", "group_errors", "natural_id"]
