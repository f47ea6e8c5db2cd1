"""Every public read function in `core`, called with a village scope, returns nothing of another village (#7).

Public functions are discovered by walking `core` (pkgutil + inspect). Each one must be classified
in tests/core/scope_registry.py: READS (called with the scope), UNSCOPED (reads the whole dataset on purpose, with the
reason), WRITES (services: scope comes from the actor) or PURE (takes no session). A new public
function that is in none of them fails `test_every_public_core_function_is_classified`, and a read
whose parameter has no entry in ARGS fails with the parameter's name: the list cannot silently rot.

Three checks per read:
- inside: called with the village scope and in-scope arguments, the result (walked to every
  DataFrame cell, dataclass field, dict, list and string) names no region, grid, person, task,
  appeal or decision of another village, and no other region's name or code;
- outside: with a region/person/task/appeal argument from a sibling village or the parent
  township it refuses (DomainError / ScopeError) or returns nothing outside the scope;
- pruned: on a copy of the database without any other village's rows (rollups rebuilt), the
  result is identical, so it does not depend on other villages — except the reads listed in
  PEER_NORMALISED, whose scores are normalised among peers by design (SPEC §4, §7).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from scope_probe import World, canonical, foreign_refs, prune_to_scope
from scope_registry import MAY_BE_EMPTY, PEER_NORMALISED, PURE, READS, UNSCOPED, WRITES
from sqlmodel import Session

import core
from core.accounts import AuditFilters
from core.config import get_settings
from core.db import make_engine
from core.errors import DomainError
from core.scope import Scope, ScopeError
from seed.cli import main as seed_main


def public_functions() -> dict[str, Callable]:
    """Qualified name → function, for every public function defined in a module of `core`."""
    found = {}
    for info in pkgutil.walk_packages(core.__path__, "core."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = fn
    return found


# ---- the world: a fresh tiny database, a village scope and its arguments ----------------------------


@dataclass(frozen=True)
class Case:
    """Arguments for the scope under test: inside values and outside (sibling village, parent township)."""

    db: Path
    pruned: Path
    scope: Scope
    village: int
    sibling: int
    township: int
    as_of: date
    person: int
    sibling_person: int
    task: int
    sibling_task: int
    appeal: int
    sibling_appeal: int
    all_ids: dict[str, tuple[int, ...]]
    sibling_ids: dict[str, tuple[int, ...]]
    ack_keys: tuple[str, ...]  # every acknowledged alert key (acked county-wide by the county admin)
    alerts: tuple  # the village's own LeaderAlerts


KIND_TABLE = {"task": "task", "evaluation": "evaluation", "appeal": "appeal", "decision": "decision",
              "diary": "diary_visit", "indicator": "indicator_value"}


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Case:
    """A freshly generated tiny database, the busiest village that has a sibling in its township, and its pruned copy."""
    root = tmp_path_factory.mktemp("scope-every-read")
    db = root / "tiny.db"
    assert seed_main(["--preset", "tiny", "--out", str(db), "--quiet"]) == 0
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        def one(sql: str, **kw):
            return s.exec(sa.text(sql), params=kw).first()

        village = int(one("SELECT t.village_id FROM task t JOIN appeal a ON a.village_id = t.village_id "
                          "GROUP BY t.village_id ORDER BY count(*) DESC LIMIT 1")[0])
        township = village // 1000 * 1000
        sibling = int(one("SELECT village_id FROM task WHERE village_id BETWEEN :lo AND :hi AND village_id != :v "
                          "GROUP BY village_id ORDER BY count(*) DESC LIMIT 1", lo=township, hi=township + 999, v=village)[0])
        as_of = date.fromisoformat(one("SELECT value FROM meta WHERE key = 'as_of'")[0])

        def secretary(v: int) -> int:
            return int(one("SELECT person_id FROM post WHERE region_id = :v AND role = 'village_secretary'", v=v)[0])

        def busiest(table: str, v: int) -> int:
            return int(one(f"SELECT id FROM {table} WHERE village_id = :v ORDER BY id DESC LIMIT 1", v=v)[0])  # noqa: S608

        all_ids = {k: tuple(int(r[0]) for r in s.exec(sa.text(f"SELECT id FROM {t} ORDER BY id"))) for k, t in KIND_TABLE.items()}  # noqa: S608
        sib_ids = {k: tuple(int(r[0]) for r in s.exec(sa.text(f"SELECT id FROM {t} WHERE village_id = :v"),  # noqa: S608
                                                       params={"v": sibling})) for k, t in KIND_TABLE.items()}
        ack_keys, alerts = _acknowledge_county(s, Scope(village, "village"), as_of)
        built = Case(db, root / "pruned.db", Scope(village, "village"), village, sibling, township, as_of,
                     secretary(village), secretary(sibling), busiest("task", village), busiest("task", sibling),
                     busiest("appeal", village), busiest("appeal", sibling), all_ids, sib_ids, ack_keys, alerts)
    engine.dispose()
    prune_to_scope(db, built.pruned, built.scope)
    return built


def _acknowledge_county(s: Session, village: Scope, as_of: date) -> tuple[tuple[str, ...], tuple]:
    """The county admin acknowledges every flashing alert of the county (so acks of other villages exist)."""
    from datetime import datetime

    from core import acknowledgements as ack
    from core.actors import first_actor

    admin = first_actor(s, "county_admin")
    found = ack.task_alerts(s, admin.scope, as_of) + ack.recent_warning_alerts(s, admin.scope, as_of)
    ack.acknowledge(s, actor=admin, scope=admin.scope, items=found, now=datetime.combine(as_of, datetime.min.time()))
    s.commit()
    mine = ack.task_alerts(s, village, as_of) + ack.recent_warning_alerts(s, village, as_of)
    assert {a.region_id for a in found} - {a.region_id for a in mine}, "no alert of another village to acknowledge"
    return tuple(a.key for a in found), tuple(mine)


def _period(d: date) -> int:
    return d.year * 100 + d.month


def _shift(period: int, k: int) -> int:
    y, m = divmod(period // 100 * 12 + period % 100 - 1 + k, 12)
    return y * 100 + m + 1


#: How to fill each parameter: name → (inside value, outside values) from the case.
ARGS: dict[str, Callable[[Case], tuple[object, list[object]]]] = {
    "scope": lambda c: (c.scope, []),
    "region_id": lambda c: (c.village, [c.sibling, c.township]),
    "village_id": lambda c: (c.village, [c.sibling, c.township]),
    "parent_id": lambda c: (c.village, [c.sibling, c.township]),
    "code": lambda c: (str(c.village), [str(c.sibling), str(c.township)]),
    "person_id": lambda c: (c.person, [c.sibling_person]),
    "task_id": lambda c: (c.task, [c.sibling_task]),
    "appeal_id": lambda c: (c.appeal, [c.sibling_appeal]),
    "level": lambda c: ("village", []),
    "period": lambda c: (_period(c.as_of), []),
    "prev": lambda c: (_shift(_period(c.as_of), -1), []),
    "periods": lambda c: ([_shift(_period(c.as_of), -k) for k in range(12)], []),
    "as_of": lambda c: (c.as_of, []),
    "cfg": lambda c: (get_settings().warnings, []),
    "region_ids": lambda c: ([c.village], [[c.sibling, c.township]]),
    "start": lambda c: (c.as_of - timedelta(days=365), []),
    "end": lambda c: (c.as_of, []),
    "weeks": lambda c: (12, []),
    "days": lambda c: ([c.as_of - timedelta(days=k) for k in range(0, 90, 7)], []),
    "keys": lambda c: (list(c.ack_keys), []),
    "found": lambda c: (list(c.alerts), []),
    "filters": lambda c: (AuditFilters(), []),
    "decision_id": lambda c: (_first(c.db, "decision", c.village), [_first(c.db, "decision", c.sibling)]),
    "grid_id": lambda c: (_first(c.db, "grid", c.village), [_first(c.db, "grid", c.sibling)]),
    "case_id": lambda c: (_first(c.db, "one_thing_case", c.village), [_first(c.db, "one_thing_case", c.sibling)]),
    "household_id": lambda c: (_first(c.db, "moral_household", c.village), [_first(c.db, "moral_household", c.sibling)]),
}


def _first(db: Path, table: str, village: int) -> int:
    """The lowest id of `table` in one village (decisions, grids)."""
    import sqlite3

    with sqlite3.connect(db) as con:
        return int(con.execute(f"SELECT min(id) FROM {table} WHERE village_id = ?", (village,)).fetchone()[0])  # noqa: S608


def _kwargs(name: str, fn: Callable, case: Case, session: Session, variant: dict) -> tuple[dict, dict[str, list]]:
    """(inside kwargs, parameter → outside values) for one call; fails on a parameter nobody taught us."""
    inside: dict = {"session": session}
    outside: dict[str, list] = {}
    for p, spec in inspect.signature(fn).parameters.items():
        if p in ("session", "ids"):  # ids: filled below from the record kind
            continue
        if p in variant:
            inside[p] = variant[p]
        elif spec.default is not inspect.Parameter.empty:
            continue  # optional parameters keep their defaults unless a variant sets them
        elif p in ARGS:
            inside[p], outside[p] = ARGS[p](case)
        else:
            pytest.fail(f"{name}: no registry entry for required parameter {p!r} — add it to ARGS or the variant")
    if name == "core.leader_records.records_frame":
        kind = inside["kind"]
        inside["ids"], outside["ids"] = case.all_ids[kind], [case.sibling_ids[kind]]
    return inside, outside


def _world(case: Case, name: str, variant: dict) -> World:
    world = World.load(case.db, case.scope)
    return world.with_id_table(KIND_TABLE[variant["kind"]]) if "kind" in variant else world


def _read_cases() -> list:
    return [pytest.param(name, v, id=f"{name.removeprefix('core.')}-{i}") for name, vs in READS.items()
            for i, v in enumerate(vs)]


def _call(name: str, db: Path, kwargs_of: Callable[[Callable, Session], dict]):
    fn = public_functions()[name]
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as s:
            return fn(**kwargs_of(fn, s))
    finally:
        engine.dispose()


def _is_empty(value) -> bool:
    if value is None:
        return True
    if hasattr(value, "empty"):
        return bool(value.empty)
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


# ---- the tests ----------------------------------------------------------------------------------------


def test_every_public_core_function_is_classified():
    found = public_functions()
    lists = {"READS": set(READS), "UNSCOPED": set(UNSCOPED), "WRITES": WRITES, "PURE": PURE}
    classified = set().union(*lists.values())
    missing = sorted(set(found) - classified)
    assert not missing, ("public core functions nobody classified (add each to READS with its arguments, or to "
                         "UNSCOPED/WRITES/PURE with a reason):\n" +
                         "\n".join(f"  {n}{inspect.signature(found[n])}" for n in missing))
    stale = sorted(classified - set(found))
    assert not stale, f"classified functions that no longer exist: {stale}"
    names = [n for s in lists.values() for n in s]
    assert len(names) == len(set(names)), "a function is classified twice"
    params = {n: set(inspect.signature(fn).parameters) for n, fn in found.items()}
    assert all("scope" in params[n] for n in READS), [n for n in READS if "scope" not in params[n]]
    assert all("actor" in params[n] for n in WRITES), [n for n in WRITES if "actor" not in params[n]]
    assert not [n for n in PURE if params[n] & {"session", "engine", "scope"}], "a PURE helper reads data"
    # 揭榜挂帅: a township publishes its projects to every village of it (#22), so a village's board holds its
    # township's projects; another village's award shows as core.bidding.OTHER_VILLAGE, never by name
    # (tests/core/test_bidding.py and tests/pages/test_roles.py check who sees what)
    # 道德红榜 is likewise the township's board (公示): another village's households masked, their village shown as
    # core.moral_bank.OTHER_VILLAGE (tests/core/test_moral_bank.py)
    shared = {"core.appeal_warnings.detect_silent", "core.bidding.project_board", "core.bidding.project_detail",
              "core.bidding.stage_counts", "core.moral_bank.honor_board"}
    assert not [n for n in UNSCOPED if "scope" in params[n] and n not in shared], \
        "a function that takes a scope must be tested as a READ"


@pytest.mark.parametrize(("name", "variant"), _read_cases())
def test_read_with_village_scope_returns_only_that_village(case, name, variant):
    result = _call(name, case.db, lambda fn, s: _kwargs(name, fn, case, s, variant)[0])
    leaks = foreign_refs(result, _world(case, name, variant))
    assert not leaks, f"{name} with {case.scope} returned other villages' data:\n" + "\n".join(leaks[:20])
    if name not in MAY_BE_EMPTY and not variant.get("_empty_ok"):
        assert not _is_empty(result), f"{name} returned nothing for a busy village: the check proved nothing"


@pytest.mark.parametrize(("name", "variant"), _read_cases())
def test_read_refuses_or_hides_arguments_outside_the_scope(case, name, variant):
    fn = public_functions()[name]
    engine = make_engine(f"sqlite:///{case.db}")
    try:
        with Session(engine) as s:
            inside, outside = _kwargs(name, fn, case, s, variant)
            tried = 0
            for param, values in outside.items():
                for value in values:
                    tried += 1
                    try:
                        result = fn(**{**inside, param: value})
                    except (DomainError, ScopeError, LookupError):
                        s.rollback()
                        continue
                    leaks = foreign_refs(result, _world(case, name, variant))
                    assert not leaks, (f"{name}({param}={value}) with {case.scope} returned data outside it:\n"
                                       + "\n".join(leaks[:20]))
    finally:
        engine.dispose()
    if not tried:
        pytest.skip("takes no region, person or record argument")


@pytest.mark.parametrize(("name", "variant"), _read_cases())
def test_read_does_not_depend_on_other_villages(case, name, variant):
    if name in PEER_NORMALISED:
        pytest.skip(PEER_NORMALISED[name])
    full = _call(name, case.db, lambda fn, s: _kwargs(name, fn, case, s, variant)[0])
    alone = _call(name, case.pruned, lambda fn, s: _kwargs(name, fn, case, s, variant)[0])
    assert canonical(full) == canonical(alone), (
        f"{name} with {case.scope} changes when other villages' rows are removed: it reads outside its scope")


def test_pruned_database_still_holds_the_village(case):
    """The pruned copy keeps the village's own rows (so equal results are not two empty ones)."""
    import sqlite3

    con = sqlite3.connect(case.pruned)
    try:
        tasks = con.execute("SELECT count(*), count(DISTINCT village_id) FROM task").fetchone()
        appeals = con.execute("SELECT count(*), count(DISTINCT village_id) FROM appeal").fetchone()
    finally:
        con.close()
    assert tasks[0] > 0 and tasks[1] == 1 and appeals[0] > 0 and appeals[1] == 1


def test_probe_sees_a_planted_leak(case):
    """The walker is not blind: another village's id, task and name are each reported; the village's own are not."""
    import pandas as pd

    world = World.load(case.db, case.scope)
    sibling_name = world.regions[case.sibling]
    planted = pd.DataFrame({"village_id": [case.village, case.sibling], "task_id": [case.task, case.sibling_task],
                            "note": ["—", f"{sibling_name}的任务"]})
    assert len(foreign_refs(planted, world)) == 3
    own = pd.DataFrame({"village_id": [case.village], "task_id": [case.task], "note": [world.regions[case.village]]})
    assert foreign_refs(own, world) == []


def _planted_leaks(case: Case, world: World) -> dict[str, object]:
    """The eight kinds of leak the checker must see (#19 finding 8; main's checker saw 2 of them)."""
    import pandas as pd

    inside = {v for ids in world.owner_village.values() for v_id, v in ids.items() if case.scope.contains(v)}
    inside_ids = {i for ids in world.owner_village.values() for i, v in ids.items() if case.scope.contains(v)}
    assert inside
    bare = next(i for i in case.sibling_ids["task"] if i not in inside_ids)
    sibling_secretary = world.person_names[case.sibling_person]
    assert sibling_secretary in world.foreign_people, "pick a sibling whose secretary's name is not also inside"
    return {
        "region id": pd.DataFrame({"village_id": [case.village, case.sibling]}),
        "task id": pd.DataFrame({"task_id": [case.task, case.sibling_task]}),
        "region id as float": pd.DataFrame({"village_id": [float(case.village), float(case.sibling), None]}),
        "task id as float": pd.DataFrame({"task_id": [float(case.task), float(case.sibling_task), None]}),
        "leader_id": pd.DataFrame({"leader_id": [case.person, case.sibling_person]}),
        "actor_id": [{"actor_id": case.sibling_person, "action": "urge"}],
        "another person's name": pd.DataFrame({"secretary": [world.person_names[case.person], sibling_secretary]}),
        "bare id": pd.DataFrame({"id": [bare]}),
    }


def test_the_checker_sees_each_kind_of_planted_leak(case):
    """Each of the eight planted leaks is reported on its own; the village's own values in the same shapes are not."""
    import pandas as pd

    world = World.load(case.db, case.scope)
    missed = [kind for kind, value in _planted_leaks(case, world).items() if not foreign_refs(value, world)]
    assert missed == [], f"the checker missed: {missed}"
    own = pd.DataFrame({"village_id": [float(case.village)], "task_id": [float(case.task)], "leader_id": [case.person],
                        "actor_id": [case.person], "secretary": [world.person_names[case.person]], "id": [case.task],
                        "score": [87.0], "rate": [0.93]})
    assert foreign_refs(own, world) == []
