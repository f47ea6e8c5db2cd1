"""Every public read function in `core`, called with a village scope, returns nothing of another village (#7).

Public functions are discovered by walking `core` (pkgutil + inspect). Each one must be classified
here: READS (called with the scope), UNSCOPED (reads the whole dataset on purpose, with the
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
from sqlmodel import Session

import core
from core.db import make_engine
from core.errors import DomainError
from core.scope import Scope, ScopeError
from seed.cli import main as seed_main

#: Reads called with the scope: qualified name → list of argument variants (extra or overriding kwargs;
#: "_empty_ok" marks a variant that may rightly return nothing).
READS: dict[str, list[dict]] = {
    "core.acknowledgements.acknowledged_exact": [{}],
    "core.acknowledgements.acknowledged_keys": [{}],
    "core.acknowledgements.acknowledgements": [{}],
    "core.acknowledgements.pending": [{}],
    "core.acknowledgements.recent_warning_alerts": [{}],
    "core.acknowledgements.task_alerts": [{}],
    "core.alerts.alert_counts": [{}],
    "core.alerts.alerts": [{}],
    "core.appeals.appeal_cube": [{}],
    "core.appeals.appeal_events": [{}],
    "core.decisions.decision_summary": [{}],
    "core.decisions.decision_table": [{}, {"limit": 5}, {"problems_only": True, "_empty_ok": True}],
    "core.decisions.decision_warnings": [{}],
    "core.diary.cadre_coverage": [{}],
    "core.diary.unvisited_households": [{}],
    "core.diary.village_coverage": [{}],
    "core.geo_layers.appeal_points": [{}],
    "core.geo_layers.layer_metrics": [{}],
    "core.geo_layers.layer_shapes": [{}],
    "core.geo_layers.overdue_points": [{}],
    "core.geo_layers.region_outline": [{}],
    "core.kpis.child_shapes": [{}],
    "core.kpis.monthly_kpis": [{}],
    "core.kpis.most_overdue_tasks": [{}],
    "core.kpis.overdue_counts": [{}],
    "core.kpis.period_kpis": [{}],
    "core.leader_index.explain_leader_index": [{}],
    "core.leader_index.leader_table": [{}, {"roles": ("village_secretary", "village_committee")}],
    "core.leader_index.person_trend": [{}],
    "core.leader_index.ranked_secretaries": [{}],
    "core.leader_index.team_table": [{}],
    "core.leader_inputs.person_post": [{}],
    "core.leader_records.person_records": [{}, {"codes": ("appeals_on_time", "diary_coverage")}],
    "core.leader_records.records_frame": [{"kind": k} for k in ("task", "evaluation", "appeal", "decision",
                                                                 "diary", "indicator")],
    "core.regions.breadcrumb": [{}],
    "core.regions.child_summary": [{}],
    "core.regions.children": [{}],
    "core.regions.get_region": [{}],
    "core.regions.grid_summary": [{}],
    "core.regions.resolve_region": [{}],
    "core.scoring.explain": [{}],
    # a village viewer asking for township or county rows gets none (the level is above the scope)
    "core.scoring.indicator_table": [{"level": "village"}, {"level": "township", "_empty_ok": True},
                                     {"level": "county", "_empty_ok": True}],
    "core.scoring.region_rank": [{}],
    "core.scoring.region_scores": [{}],
    "core.scoring.score_history": [{}],
    "core.screening.screening_report": [{}],
    "core.task_queries.filter_options": [{}],
    "core.task_queries.task_detail": [{}],
    "core.village_record.task_timeline": [{}],
    "core.village_record.village_ids": [{}],
    "core.village_record.village_record": [{}],
    "core.warnings.all_warnings": [{}],
    "core.warnings.warning_counts": [{}],
}

#: Reads whose figures are normalised among peers outside the scope by design (ranks, percentiles,
#: min–max bounds): their rows are still checked, but the pruned-database comparison is skipped.
PEER_NORMALISED = {
    "core.scoring.explain": "module scores normalised among all villages of the level (SPEC §4)",
    "core.scoring.region_rank": "rank across the whole level (SPEC §4)",
    "core.scoring.indicator_table": "too_few flags count peers at the level",
    "core.leader_index.explain_leader_index": "percentile and median among county peers (SPEC §7)",
    "core.leader_index.leader_table": "发展力 min–max normalised among the county's villages (SPEC §7)",
    "core.leader_index.person_trend": "发展力 min–max normalised among the county's villages (SPEC §7)",
    "core.leader_index.ranked_secretaries": "发展力 min–max normalised among the county's villages (SPEC §7)",
    "core.leader_index.team_table": "发展力 min–max normalised among the county's villages (SPEC §7)",
    "core.village_record.village_record": "team section carries the 领雁指数 (peer-normalised 发展力)",
}

#: Reads that see the whole dataset on purpose; none of them is given a viewer's scope.
UNSCOPED: dict[str, str] = {
    "core.alerts.dataset_as_of": "the data's as-of day (meta)",
    "core.auth.actor_for_username": "sign-in: the account's own post",
    "core.auth.authenticate": "sign-in: the account's own post (records the attempt)",
    "core.auth.demo_accounts": "demo sign-in list (demo mode only)",
    "core.freshness.data_signature": "max ids/counters for the auto-refresh check, no rows",
    "core.leader_index.county_context": "county peers for percentiles; only medians/percentiles leave core",
    "core.leader_index.peer_table": "county peers for percentiles; only medians/percentiles leave core",
    "core.leader_inputs.economy_bounds": "min–max bounds among the county's villages (no rows leave core)",
    "core.leader_inputs.load_facts": "takes an explicit id range; callers pass scope.lo/scope.hi",
    "core.leader_inputs.load_facts_periods": "takes an explicit id range; callers pass scope.lo/scope.hi",
    "core.leader_inputs.people": "takes an explicit id range; callers pass scope.lo/scope.hi",
    "core.leader_index.stored_frame": "takes an explicit id range; callers pass scope.lo/scope.hi",
    "core.leader_index.stored_periods": "months whose leader scores are stored (no rows)",
    "core.leader_index.store_leader_months": "rebuilds the stored 领雁指数 of the dataset or of a written village",
    "core.leader_index.county_ranges": "county id ranges: the unit of the 领雁指数 rebuild (no village rows)",
    "core.leader_index.leader_month_rows": "takes an explicit id range: one county of the generator's rebuild",
    "core.leader_records.load_records": "ids of one person's records (caller resolved the person in scope)",
    "core.regions.dataset_root": "the top region, to know the database is there",
    "core.rules.load_rulebook": "scoring rules (configuration, not village data)",
    "core.rules.rule_in_force": "scoring rules (configuration, not village data)",
    "core.scoring.available_periods": "months present in the data",
    "core.scoring.level_detail": "peer normalisation input over a whole level (scoped callers filter)",
    "core.scoring.level_scores": "peer normalisation input over a whole level (scoped callers filter)",
    "core.scoring.month_score_rows": "one month of the stored village scores for every level (generator's rebuild)",
    "core.scoring.village_sums": "takes an explicit id range; the scoring source for a level",
    "core.task_queries.dataset_window": "first and as-of day of the data (meta)",
    "core.task_queries.urge_events": "count of 催办 on a task the caller already resolved in scope",
    "core.warnings.detect_burst": "stage of all_warnings (inputs already scoped)",
    "core.warnings.detect_silent": "stage of all_warnings (inputs already scoped)",
    "core.migrate.alembic_config": "schema migrations",
    "core.migrate.current_revision": "schema migrations",
    "core.migrate.head_revision": "schema migrations",
    "core.migrate.main": "schema migrations",
    "core.migrate.stamp": "schema migrations",
    "core.migrate.upgrade": "schema migrations",
    "core.rollups.rebuild_rollups": "rebuilds every rollup from raw rows (generator)",
    "core.rollups.build_base": "rebuilds the village-level rollups from raw rows (generator's county workers)",
    "core.rollups.roll_up_regions": "rebuilds the region rollups from the village rows (generator)",
    "core.scoring.store_village_scores": "rebuilds the stored village scores (rollup rebuild)",
    "core.decisions.store_decision_checks": "rebuilds the stored 议事决策 step checks (rollup rebuild)",
    "core.warnings.store_warnings": "rebuilds the stored warnings of the dataset or of a written appeal's village",
    "core.rollups.touch_appeal": "rollup upkeep inside a service's write (the service checked the actor)",
    "core.rollups.touch_task": "rollup upkeep inside a service's write (the service checked the actor)",
    "core.actors.actor_for_post": "who acts: the post's own region",
    "core.actors.first_actor": "demo/test helper: first post with a role",
    "core.config.default_database_url": "configuration",
    "core.db.create_schema": "schema",
    "core.db.dispose_engines": "engines",
    "core.db.get_engine": "engines",
    "core.db.is_sqlite": "engines",
    "core.db.make_engine": "engines",
    "core.db.session_scope": "engines",
    "core.demo.county_db_path": "demo county picker (files, not rows)",
    "core.demo.county_options": "demo county picker (cnmaps index, not rows)",
    "core.demo.ensure_county_db": "demo county picker: generates a database; core refuses all but city admins (test_demo_switch)",
    "core.demo.may_switch_dataset": "demo county picker: a role check, reads nothing",
}

#: Services that change state: they take an `actor` and check `actor.scope` (tests/core/test_read_only.py,
#: test_workflow.py, test_appeals.py).
WRITES = {
    "core.acknowledgements.acknowledge",
    "core.appeals.close", "core.appeals.escalate", "core.appeals.rate", "core.appeals.report", "core.appeals.respond",
    "core.workflow.complete", "core.workflow.dispatch", "core.workflow.rate_dispatch", "core.workflow.reject",
    "core.workflow.score", "core.workflow.sign", "core.workflow.start", "core.workflow.urge",
}

#: Pure helpers: no session, no data access.
PURE = {
    "core.acknowledgements.task_key", "core.acknowledgements.warning_alerts", "core.acknowledgements.warning_key",
    "core.db.is_postgres_url", "core.db.normalize_url", "core.i18n.format_date", "core.i18n.format_month",
    "core.i18n.format_number", "core.i18n.format_percent", "core.i18n.has", "core.i18n.normalize_lang",
    "core.i18n.term", "core.i18n.translate", "core.rollups.ancestors", "core.rollups.last_day",
    "core.rollups.shift_month", "core.sqlfn.no_index", "core.sqlfn.next_month",
    "core.alerts.level_of", "core.appeals.monthly_stats", "core.appeals.summary", "core.auth.deterministic_salt",
    "core.auth.hash_password", "core.auth.issue_token", "core.auth.verify_token", "core.config.reset_settings",
    "core.decisions.check_steps", "core.diary.coverage_summary", "core.enums.child_level", "core.enums.parent_level",
    "core.export.briefing_html", "core.export.excel_bytes", "core.geo_layers.bounds_of", "core.geo_layers.drill_target",
    "core.geo_layers.fit_view", "core.geo_layers.metrics_for", "core.geo_layers.polygons_of",
    "core.geo_layers.selected_code", "core.geo_layers.view_level", "core.indicators.indicators_of",
    "core.kpis.month_bounds", "core.leader_index.cadre", "core.leader_index.dimensions", "core.leader_index.index_of",
    "core.leader_index.score_frame", "core.leader_index.weighted", "core.leader_inputs.county_of",
    "core.leader_inputs.decision_ok", "core.leader_inputs.end_of", "core.leader_inputs.shift",
    "core.leader_inputs.start_of", "core.leader_records.attach", "core.rules.rule_diff", "core.scope.level_of_code",
    "core.scope.region_span", "core.scoring.indicator_catalog", "core.scoring.previous_period",
    "core.warnings.anscombe_z", "core.warnings.detect_chronic", "core.warnings.detect_high",
    "core.warnings.detect_new", "core.warnings.month_starts", "core.warnings.trimmed_mean",
    "core.warnings.warnings_frame",
}

#: Reads that may legitimately return no rows for the chosen village (it has no children regions).
MAY_BE_EMPTY = {"core.regions.children", "core.kpis.child_shapes", "core.scoring.region_scores",
                "core.scoring.score_history", "core.decisions.decision_warnings", "core.diary.unvisited_households",
                "core.geo_layers.overdue_points", "core.kpis.most_overdue_tasks", "core.alerts.alerts",
                "core.appeals.appeal_events", "core.warnings.all_warnings", "core.geo_layers.region_outline",
                "core.acknowledgements.task_alerts", "core.acknowledgements.pending",
                "core.acknowledgements.recent_warning_alerts"}


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
    "start": lambda c: (c.as_of - timedelta(days=365), []),
    "end": lambda c: (c.as_of, []),
    "weeks": lambda c: (12, []),
    "days": lambda c: ([c.as_of - timedelta(days=k) for k in range(0, 90, 7)], []),
    "keys": lambda c: (list(c.ack_keys), []),
    "found": lambda c: (list(c.alerts), []),
}


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
    assert not [n for n in UNSCOPED if "scope" in params[n] and n not in {"core.warnings.detect_silent"}], \
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
