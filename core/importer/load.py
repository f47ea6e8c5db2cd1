"""Load a county's files (SPEC §12): read, check every row, then write all of it in one transaction or nothing.

`load_files` reads every sheet of every file, validates each row with its pydantic row model, checks rows
against each other and the database, and only when there is no error at all writes: new rows, changed
rows (with their 留痕), external ids, the run, accounts with one-time passwords, the dataset's facts (the
database is now real data, not a demo), and finally recomputes what every screen reads from the records.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import shapely
import sqlalchemy as sa
from sqlmodel import Session

from core import boundaries
from core.actors import Actor
from core.config import DEFAULT_SCORING_RULE
from core.enums import Role
from core.importer import origin, shapes
from core.importer.check import Known, Origin, Staged, check_rows
from core.importer.errors import RowError
from core.importer.read import Found, UnusableFile, read_file
from core.importer.rows import validate_row
from core.importer.schema import SHEET_BY_KEY, SHEETS, natural_id
from core.importer.store import Counts, Plan, place_regions, plan, write
from core.indicators import CATALOG
from core.models import IndicatorDef, Meta, Region, ScoringRule

Progress = Callable[[str, int, int], None]
#: Who may import: administrators of a county or above (their scope must hold the county).
IMPORT_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_ADMIN})


@dataclass
class Outcome:
    """What a load did or would do: errors (nothing written), counts per sheet, notices, time, passwords."""

    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (catalog key, params)
    seconds: float = 0.0
    dry_run: bool = False
    passwords: list[tuple[str, str, str]] = field(default_factory=list)  # (username, display name, password)
    county: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def _cells(found: Found, row: tuple) -> dict[str, Any]:
    return {k: (row[j] if j < len(row) else None) for k, j in found.index.items()}


def _is_example(sheet_key: str, values: dict[str, Any]) -> bool:
    """True for the template's untouched example row."""
    example = SHEET_BY_KEY[sheet_key].example
    if not example:
        return False
    got, _ = validate_row(sheet_key, example)
    return got is not None and all(got.get(k) == values.get(k) for k in got)


def read_and_validate(paths: list[Path], progress: Progress) -> tuple[dict[str, list[Staged]], list[RowError],
                                                                       list[tuple[str, dict[str, Any]]]]:
    """Every row of every file, validated: the staged rows per sheet, every row error, and notices."""
    staged: dict[str, list[Staged]] = {}
    errors: list[RowError] = []
    notices: list[tuple[str, dict[str, Any]]] = []
    example_cache: dict[str, bool] = {}
    read = 0
    for path in paths:
        for found in read_file(path):
            key = found.sheet.key
            letters = {k: found.letter(k) for k in found.index}
            org = Origin(found.title, letters, dict(found.headers))
            for header in found.ignored:
                notices.append(("import.summary.ignored_column", {"sheet": found.title, "header": header}))
            for miss in found.missing:
                col = found.sheet.column(miss)
                errors.append(RowError(found.title, found.header_row, "", col.header("zh"), None,
                                       "import.err.missing_column", header_en=col.header("en")))
            if found.missing:
                continue
            rows = staged.setdefault(key, [])
            for n, (number, row) in enumerate(found.rows):
                cells = _cells(found, row)
                values, problems = validate_row(key, cells)
                for column, reason, params in problems:
                    errors.append(RowError(found.title, number, letters.get(column, ""), found.headers.get(column, column),
                                           cells.get(column), reason, params))
                if values is None:
                    continue
                if n == 0 and key not in example_cache:
                    example_cache[key] = _is_example(key, values)
                    if example_cache[key]:
                        notices.append(("import.summary.skipped_example", {"sheet": found.title}))
                        continue
                rows.append(Staged(number, values, natural_id(found.sheet, values), org))
                read += 1
                if read % 20000 == 0:
                    progress("import.stage.read", read, 0)
    return staged, errors, notices


def _dataset(session: Session, staged: dict[str, list[Staged]]) -> tuple[str, dict[str, str]]:
    """The county code and the dataset's facts (as-of, start), from the file or from the database."""
    meta = dict(session.execute(sa.select(Meta.key, Meta.value)).tuples().all())  # type: ignore
    stored = (meta.get("root_code") or "")[:6]
    if origin.is_generated(meta):
        raise UnusableFile("import.bad.generated")
    rows = staged.get("dataset", [])
    county = rows[0].values["county_code"] if rows else stored
    if not county:
        raise UnusableFile("import.bad.missing_sheet", sheet=SHEET_BY_KEY["dataset"].zh)
    if stored and county != stored:
        raise UnusableFile("import.bad.other_county", county=stored)
    area = boundaries.lookup(county)
    if area is None or area.level != "county":
        raise UnusableFile("import.bad.unknown_county", code=county)
    facts = {"as_of": rows[0].values["as_of"].isoformat(), "start": rows[0].values["start"].isoformat()} if rows else {}
    return county, facts


def _ensure_county(session: Session, county: str) -> None:
    """The county's own row (and the catalog rows every county needs) when the database has none yet."""
    conn = session.connection()
    cid = int(county + "000000")
    if session.get(Region, cid) is None:
        area = cast(boundaries.AdminArea, boundaries.lookup(county))
        geom = boundaries.load_boundary(county)
        parent = int(county[:4] + "00000000")
        pt = geom.representative_point()
        conn.execute(Region.__table__.insert(), [{
            "id": cid, "code": county + "000000", "name": area.name, "level": "county",
            "kind": "district" if area.name.endswith("区") else "county",
            "parent_id": parent if session.get(Region, parent) is not None else None,
            "lon": round(pt.x, 5), "lat": round(pt.y, 5), "area_km2": 0.0, "population": 0, "households": 0,
            "boundary": shapely.to_geojson(geom)}])
    if not session.execute(sa.select(sa.func.count()).select_from(IndicatorDef)).scalar():
        conn.execute(IndicatorDef.__table__.insert(), [{**i.__dict__, "sort": n} for n, i in enumerate(CATALOG)])


def _finish(session: Session, county: str, facts: dict[str, str], staged: dict[str, list[Staged]], now: datetime) -> None:
    """The dataset's facts in meta (real data from now on), the default rules if none, county totals."""
    conn = session.connection()
    if not session.execute(sa.select(sa.func.count()).select_from(ScoringRule)).scalar():
        import json

        conn.execute(ScoringRule.__table__.insert(), [{
            "township_id": None, "version": DEFAULT_SCORING_RULE["version"],
            "effective_from": facts.get("start") and datetime.fromisoformat(facts["start"]).date() or now.date(),
            "params": json.dumps(DEFAULT_SCORING_RULE, ensure_ascii=False), "note": ""}])
    values = {"root_code": county + "000000", **facts, origin.ORIGIN_KEY: origin.IMPORTED,
              "imported_at": now.isoformat(timespec="seconds")}
    for key, value in values.items():
        conn.execute(sa.delete(Meta).where(Meta.key == key))  # type: ignore[arg-type]
        conn.execute(Meta.__table__.insert(), [{"key": key, "value": value}])


def _boundaries(paths: list[Path], county: str) -> dict[str, tuple[Any, str]]:
    """Code → (outline in WGS84, file name) from the boundary files (UnusableFile on the first bad feature)."""
    out: dict[str, tuple[Any, str]] = {}
    if not paths:
        return out
    outline = boundaries.load_boundary(county)
    for path in paths:
        for code, geom in shapes.read_boundaries(path, outline).items():
            if code in out:
                raise UnusableFile("import.bad.shape_duplicate", name=path.name, n="—", code=code)
            out[code] = (geom, path.name)
    return out


def _check_boundary_codes(given: dict[str, tuple[Any, str]], staged: dict[str, list[Staged]], known: Known) -> None:
    """Every outline names a township, village or grid of the county (in the files or already stored)."""
    regions = set(known.regions) | {s.values["code"] for s in staged.get("regions", [])}
    grids = set(known.grids) | {s.values["code"] for s in staged.get("grids", [])}
    for code, (_, name) in sorted(given.items()):
        if code not in (regions if len(code) == 12 else grids):
            raise UnusableFile("import.bad.shape_unknown", name=name, code=code)


def may_import(viewer: Actor) -> bool:
    """Whether the page offers the uploader: an administrator of a county or above on a writable account."""
    return viewer.may_write and viewer.role in IMPORT_ROLES


def _check_importer(actor: Actor | None, county: str | None = None) -> None:
    """Refuse an actor who may not import (read-only, not an administrator, or the county outside their scope);
    None is the command line, which has the database itself."""
    if actor is None:
        return
    actor.check_may_write()
    if actor.role not in IMPORT_ROLES or (county is not None and not actor.scope.contains(int(county + "000000"))):
        raise UnusableFile("import.bad.no_rights")


def months(start: date, as_of: date) -> tuple[int, ...]:
    """The months (YYYYMM) from `start` to `as_of`."""
    out, y, mo = [], start.year, start.month
    while (y, mo) <= (as_of.year, as_of.month):
        out.append(y * 100 + mo)
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return tuple(out)


def recompute(session: Session, county: str, start: str, as_of: str) -> None:
    """Every figure the screens read, from the records just written: the county's indicator values counted by
    core's definitions (core.indicator_values over the records and the latest department reports), then the
    rollups (汇总表), the stored 四大模块 scores, warnings, 领雁指数 and decision checks."""
    from core.indicator_values import compute_values, store_values
    from core.record_sources import Window
    from core.rollups import rebuild_rollups

    conn, day = session.connection(), date.fromisoformat(as_of)
    lo = int(county + "000000")
    window = Window(lo, lo + 999_999, months(date.fromisoformat(start), day), day)
    store_values(conn, compute_values(conn, window), window)
    rebuild_rollups(conn, as_of=day)


def load_files(session: Session, paths: list[str | Path], *, now: datetime, actor: Actor | None = None,
               dry_run: bool = False, progress: Progress | None = None) -> Outcome:
    """Load `paths` into the database of `session`: all or nothing (the caller commits on `ok`, else rolls back).

    Raises UnusableFile for a file (or a database) that cannot be used at all; returns every row error
    otherwise. With `dry_run` nothing is written whatever the outcome.
    """
    _check_importer(actor)
    say = progress or (lambda *_: None)
    t0 = time.perf_counter()
    files = [Path(p) for p in paths]
    outlines = [f for f in files if shapes.is_boundary_file(f)]
    staged, errors, notices = read_and_validate([f for f in files if f not in outlines], say)
    county, facts = _dataset(session, staged)
    _check_importer(actor, county)
    given = _boundaries(outlines, county)
    if not facts and not session.execute(sa.select(Meta.value).where(Meta.key == "as_of")).scalar():  # type: ignore
        raise UnusableFile("import.bad.missing_sheet", sheet=SHEET_BY_KEY["dataset"].zh)
    county_id = int(county + "000000")
    known = Known.load(session, county_id)
    if not known.regions and "regions" not in staged:
        raise UnusableFile("import.bad.missing_sheet", sheet=SHEET_BY_KEY["regions"].zh)
    say("import.stage.check", 0, 1)
    more, _ = check_rows(staged, known, county)
    errors += more
    _check_boundary_codes(given, staged, known)
    if given:
        notices.append(("import.summary.boundaries", {"n": len(given)}))
    out = Outcome(errors=errors, notices=notices, dry_run=dry_run, county=county)
    if errors:
        out.seconds = time.perf_counter() - t0
        return out
    p: Plan = plan(session, staged, known)
    out.counts = {s.key: p.counts.get(s.key, Counts()) for s in SHEETS if s.key in staged and s.key != "dataset"}
    if dry_run:
        out.seconds = time.perf_counter() - t0
        return out
    _ensure_county(session, county)
    digests = [{"name": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()} for f in files]
    written = write(session, p, known=known, now=now, actor_id=actor.person_id if actor else None, files=digests,
                    geometry=lambda s, pl: place_regions(s, pl, county, {c: g for c, (g, _) in given.items()}),
                    progress=say)
    _finish(session, county, facts, staged, now)
    out.counts = {k: v for k, v in written.counts.items() if k in out.counts}
    out.passwords = written.passwords
    changed = any(c.new or c.updated for c in out.counts.values())
    if changed:
        say("import.stage.recompute", 0, 1)
        stored = dict(session.execute(sa.select(Meta.key, Meta.value)).tuples().all())  # type: ignore
        recompute(session, county, stored["start"], stored["as_of"])
    say("import.stage.recompute", 1, 1)
    out.seconds = time.perf_counter() - t0
    return out
