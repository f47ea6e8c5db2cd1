"""Helpers for the every-read scope test: what a returned value says about regions, and a pruned copy.

`foreign_refs(value, world)` walks any returned structure (DataFrames, dataclasses, dicts, lists,
GeoJSON-like dicts, strings) and lists every reference to a region outside the scope: 12-digit
region ids/codes, 15-digit grid ids/codes (grid id = village id × 1000 + n), persons (person_id, owner_id,
leader_id, actor_id, …), tasks, appeals and decisions that belong to another village (also as a bare `id`),
ids stored as floats, and the names of regions and of people outside the scope.

`prune_to_scope(path, scope)` deletes every raw row of other villages from a database copy (and
rebuilds the rollups), so a scoped read that still depends on them returns something different.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core.scope import Scope

#: Keys whose values may name an ancestor of the scope root (a village row says which township it is in).
ANCESTOR_KEYS = frozenset({"parent_id", "township_id", "county_id", "city_id", "所属", "dispatcher_region_id",
                           "scope_region_id"})
#: Keys holding geometry: long decimal numbers there are coordinates, not ids.
GEOMETRY_KEYS = frozenset({"polygon", "rings", "boundary", "lon", "lat", "coordinates", "geometry", "path"})
#: Keys holding a person's id (whoever did or owns something): each must hold a post inside or above the scope.
PERSON_KEYS = frozenset({"person_id", "owner_id", "leader_id", "actor_id", "secretary_id", "cadre_id", "handler_id",
                         "reporter_id", "dispatcher_id", "reviewer_id", "rater_id", "visitor_id", "assignee_id"})
ENTITY_KEYS = {"task_id": "task", "appeal_id": "appeal", "decision_id": "decision"}
_ID12 = re.compile(r"(?<!\d)(\d{12}|\d{15})(?!\d)")
_TASK_KEY = re.compile(r"\btask:(\d+):")


@dataclass
class World:
    """What the database says about regions and ownership, seen from one scope."""

    scope: Scope
    regions: dict[int, str]  # region id → name
    parents: dict[int, int | None]
    grids: dict[int, str]  # grid id → name
    person_regions: dict[int, set[int]]  # person id → regions of their posts
    owner_village: dict[str, dict[int, int]]  # table → id → village id
    id_table: str | None = None  # what a bare "id" column means in the value being walked
    person_names: dict[int, str] = field(default_factory=dict)
    foreign_names: list[str] = field(default_factory=list)
    foreign_people: list[str] = field(default_factory=list)  # names of people who hold posts only outside the scope

    @classmethod
    def load(cls, db: Path, scope: Scope) -> World:
        con = sqlite3.connect(db)
        try:
            regions = {int(i): n for i, n in con.execute("SELECT id, name FROM region")}
            parents = {int(i): (int(p) if p is not None else None) for i, p in con.execute("SELECT id, parent_id FROM region")}
            grids = {int(i): n for i, n in con.execute("SELECT id, name FROM grid")}
            person_regions: dict[int, set[int]] = {}
            for pid, rid in con.execute("SELECT person_id, region_id FROM post"):
                person_regions.setdefault(int(pid), set()).add(int(rid))
            owner = {t: {int(i): int(v) for i, v in con.execute(f"SELECT id, village_id FROM {t}")}  # noqa: S608
                     for t in ("task", "appeal", "decision", "evaluation", "diary_visit", "indicator_value")}
            names = {int(i): n for i, n in con.execute("SELECT id, name FROM person")}
        finally:
            con.close()
        world = cls(scope, regions, parents, grids, person_regions, owner, person_names=names)
        world.foreign_names = world._foreign_names()
        world.foreign_people = world._foreign_people()
        return world

    def person_inside(self, person: int) -> bool:
        """True when the person holds a post inside the scope or above it (a township leader acting on a village)."""
        anc = self.ancestors()
        return any(self.scope.contains(r) or r in anc for r in self.person_regions.get(person, ()))

    def _foreign_people(self) -> list[str]:
        """Names of people with posts only outside the scope, unless someone inside (or a region) has the same name."""
        inside = {n for p, n in self.person_names.items() if self.person_inside(p)}
        inside |= {n for i, n in self.regions.items() if self.scope.contains(i) or i in self.ancestors()}
        outside = {n for p, n in self.person_names.items() if p in self.person_regions and not self.person_inside(p)}
        return sorted(n for n in outside if len(n) >= 2 and not any(n in a for a in inside))

    def ancestors(self) -> set[int]:
        """Regions above the scope root (a village's township, county, …)."""
        out, cur = set(), self.parents.get(self.scope.region_id)
        while cur is not None:
            out.add(cur)
            cur = self.parents.get(cur)
        return out

    def _foreign_names(self) -> list[str]:
        allowed = {n for i, n in self.regions.items() if self.scope.contains(i) or i in self.ancestors()}
        allowed |= {n for g, n in self.grids.items() if self.scope.contains_grid(g)}
        names = {n for i, n in self.regions.items() if not self.scope.contains(i) and i not in self.ancestors()}
        names |= {n for g, n in self.grids.items() if not self.scope.contains_grid(g)}
        # a foreign name that is part of an allowed one ("南山" in "南山社区") cannot be told apart
        return sorted(n for n in names if len(n) >= 2 and not any(n in a for a in allowed))

    def outside_regions(self) -> list[int]:
        """Region ids outside the scope and not above it."""
        anc = self.ancestors()
        return [i for i in self.regions if not self.scope.contains(i) and i not in anc]

    def with_id_table(self, table: str | None) -> World:
        """The same world, reading bare "id" columns as ids of `table`."""
        return dataclasses.replace(self, id_table=table)


def foreign_refs(value, world: World, key: str = "", path: str = "") -> list[str]:
    """Every reference in `value` to something outside `world.scope` (empty when none)."""
    out: list[str] = []
    _walk(value, world, key, path or "result", out)
    return out


def _walk(value, world: World, key: str, path: str, out: list[str]) -> None:
    if key in GEOMETRY_KEYS or value is None:
        return
    if isinstance(value, pd.DataFrame):
        for col in value.columns:
            _walk_column(value[col], world, str(col), f"{path}[{col!r}]", out)
    elif isinstance(value, pd.Series):
        _walk_column(value, world, key, path, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _walk(getattr(value, f.name), world, f.name, f"{path}.{f.name}", out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk(v, world, str(k), f"{path}[{k!r}]", out)
    elif isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        for i, v in enumerate(value):
            _walk(v, world, key, f"{path}[{i}]", out)
    elif hasattr(value, "model_dump"):  # SQLModel rows
        _walk(value.model_dump(), world, key, path, out)
    else:
        _scalar(value, world, key, path, out)


def _walk_column(col: pd.Series, world: World, key: str, path: str, out: list[str]) -> None:
    if key in GEOMETRY_KEYS or pd.api.types.is_bool_dtype(col):
        return
    for i, v in enumerate(col.tolist()):
        _walk(v, world, key, f"{path}[{i}]", out)


def _id_like(key: str) -> bool:
    return key in PERSON_KEYS or key in ENTITY_KEYS or key == "id" or key.endswith(("_id", "_code")) or key == "code"


def _scalar(value, world: World, key: str, path: str, out: list[str]) -> None:
    if isinstance(value, (bool, np.bool_)):
        return
    if isinstance(value, (float, np.floating)):
        # an id stored as a float (a column with a missing value turns int64 into float64) is still an id: whole
        # values in id columns, and anything as large as a region or grid code anywhere; scores and rates are neither
        if np.isfinite(value) and float(value).is_integer() and (_id_like(key) or abs(value) >= 1e11):
            _number(int(value), world, key, path, out)
        return
    if isinstance(value, (int, np.integer)):
        _number(int(value), world, key, path, out)
    elif isinstance(value, str):
        _text(value, world, key, path, out)


def _number(n: int, world: World, key: str, path: str, out: list[str]) -> None:
    scope = world.scope
    if key in PERSON_KEYS and n in world.person_regions:
        if not world.person_inside(n):
            out.append(f"{path}: person {n} holds posts only outside the scope ({sorted(world.person_regions[n])})")
        return
    if key == "id" and world.id_table is None:  # a bare id nobody said the table of: outside in one, inside in none
        owners = [(t, ids[n]) for t, ids in world.owner_village.items() if n in ids]
        if owners and not any(scope.contains(v) for _, v in owners):
            out.append(f"{path}: bare id {n} is only ever a row of another village ({owners[:3]})")
        if owners:
            return
    table = ENTITY_KEYS.get(key) or (world.id_table if key == "id" else None)
    if table and n in world.owner_village.get(table, {}):
        if not scope.contains(world.owner_village[table][n]):
            out.append(f"{path}: {table} {n} belongs to village {world.owner_village[table][n]}")
        return
    if n in world.grids and not scope.contains_grid(n):
        out.append(f"{path}: grid {n} ({world.grids[n]}) is outside the scope")
    elif n in world.regions and not scope.contains(n) and not (key in ANCESTOR_KEYS and n in world.ancestors()):
        out.append(f"{path}: region {n} ({world.regions[n]}) is outside the scope")


def _text(s: str, world: World, key: str, path: str, out: list[str]) -> None:
    for m in _ID12.finditer(s):
        n = int(m.group(1))
        if (n in world.regions and not world.scope.contains(n) and n not in world.ancestors()) or (
                n in world.grids and not world.scope.contains_grid(n)):
            out.append(f"{path}: code {m.group(1)} in {s[:60]!r} is outside the scope")
    for m in _TASK_KEY.finditer(s):
        village = world.owner_village["task"].get(int(m.group(1)))
        if village is not None and not world.scope.contains(village):
            out.append(f"{path}: {s[:60]!r} is about task {m.group(1)} of village {village}")
    for name in world.foreign_names:
        if name in s:
            out.append(f"{path}: {s[:60]!r} names {name}, a region outside the scope")
    for name in world.foreign_people:
        if name in s:
            out.append(f"{path}: {s[:60]!r} names {name}, who holds posts only outside the scope")


def prune_to_scope(src: Path, dst: Path, scope: Scope) -> None:
    """Copy `src` to `dst` keeping only the scope's rows (and the regions above it), then rebuild rollups."""
    import shutil

    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    try:
        anc = World.load(src, scope).ancestors()
        keep_regions = f"(id BETWEEN {scope.lo} AND {scope.hi} OR id IN ({','.join(map(str, anc)) or 'NULL'}))"
        con.execute(f"DELETE FROM region WHERE NOT {keep_regions}")  # noqa: S608
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            cols = {r[1] for r in con.execute(f"PRAGMA table_info({t})")}
            if "village_id" in cols:
                con.execute(f"DELETE FROM {t} WHERE village_id IS NOT NULL AND village_id NOT BETWEEN ? AND ?",  # noqa: S608
                            (scope.lo, scope.hi))
            if "grid_id" in cols:
                con.execute(f"DELETE FROM {t} WHERE grid_id IS NOT NULL AND grid_id / 1000 NOT BETWEEN ? AND ?",  # noqa: S608
                            (scope.lo, scope.hi))
            if t.startswith("rollup_") and "region_id" in cols:
                con.execute(f"DELETE FROM {t}")  # noqa: S608 — rebuilt below from the kept rows
            elif "region_id" in cols and t != "post":
                con.execute(f"DELETE FROM {t} WHERE region_id NOT BETWEEN ? AND ?", (scope.lo, scope.hi))  # noqa: S608
        con.execute("DELETE FROM task_event WHERE task_id NOT IN (SELECT id FROM task)")
        con.execute("DELETE FROM appeal_event WHERE appeal_id NOT IN (SELECT id FROM appeal)")
        con.execute("DELETE FROM decision_step WHERE decision_id NOT IN (SELECT id FROM decision)")
        con.execute(f"DELETE FROM post WHERE NOT {keep_regions.replace('id', 'region_id')}")  # noqa: S608
        con.execute("DELETE FROM user_account WHERE post_id NOT IN (SELECT id FROM post)")
        con.commit()
    finally:
        con.close()
    _rebuild_rollups(dst)


def _rebuild_rollups(db: Path) -> None:
    try:
        from core import rollups
    except ImportError:
        return
    rebuild = getattr(rollups, "rebuild_rollups", None)
    if rebuild is None:
        return
    from sqlmodel import Session

    from core.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as s:
            rebuild(s)
            s.commit()
    finally:
        engine.dispose()


def canonical(value):
    """A comparable, order-preserving plain form of a returned value (DataFrames as rows, NaN as None)."""
    if isinstance(value, pd.DataFrame):
        return {"columns": [str(c) for c in value.columns],
                "rows": [[canonical(v) for v in row] for row in value.astype(object).itertuples(index=False)]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [canonical(v) for v in list(value)]
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 9)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value
