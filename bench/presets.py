"""Which database each preset (预设) uses, building it when allowed, and what the bench looks at in it.

county → data/county-<code>.db, city → data/xingcun.db, province → data/province.db (or the generator's
default data/province-330000.db). county and city are generated when missing; province only when asked
(`--build-province`): a province run takes tens of minutes. A reused file is first brought to the newest
schema: regenerated when building is allowed for the preset, else migrated (`core.migrate`).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.config import DATA_DIR, PRESETS, REPO_ROOT

PRESET_NAMES = ("county", "city", "province")


@dataclass(frozen=True)
class Region:
    """One region row: 12-digit code, name and level."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Target:
    """What the bench opens in one database: the top region, who looks at it, and where the city map is."""

    db: Path
    top: Region
    username: str
    read_only: bool
    city: Region  # the map's "city level" view: the root when it is a city, else the first city below it
    children: tuple[Region, ...]  # regions one level below the top (the 10 sessions spread over them)
    screen_username: str | None = None  # the read-only 大屏 account posted at the root (the wall views)


def candidates(preset: str) -> list[Path]:
    """Files that hold the preset's database, preferred first."""
    if preset == "county":
        return [DATA_DIR / f"county-{PRESETS['county'].root_code}.db"]
    if preset == "city":
        return [DATA_DIR / "xingcun.db"]
    return [DATA_DIR / "province.db", DATA_DIR / f"province-{PRESETS['province'].root_code}.db"]


def find_db(preset: str) -> Path | None:
    """The preset's database file when it exists (a '.part' file is a run still in progress)."""
    return next((p for p in candidates(preset) if p.is_file()), None)


def build_db(preset: str) -> Path:
    """Generate the preset's database with the seed command line (it renames its file into place at the end)."""
    out = find_db(preset) or candidates(preset)[0]
    cmd = [sys.executable, "-m", "seed", "--preset", preset, "--out", str(out), "--force"]
    print(f"[bench] 生成 {preset} 数据库: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=REPO_ROOT, check=True, stdout=sys.stderr)  # its summary is not the bench's table
    return out


def schema_revision(db: Path) -> str | None:
    """The Alembic revision a database file is stamped with (None: older than the migrations)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _up_to_date(db: Path, preset: str, build: bool) -> tuple[Path | None, str]:
    """A reused file at the newest schema: regenerated when building is allowed (same preset and seed give
    the same data), else migrated the way a deployment is (`core.migrate`), else skipped with the reason."""
    from core import migrate

    head, rev = migrate.head_revision(), schema_revision(db)
    if rev == head:
        return db, "reused"
    if build:
        return build_db(preset), f"rebuilt: the file was at schema {rev or 'none'}, head is {head}"
    if rev is None:
        return None, f"skipped: {db.name} predates the migrations (regenerate it)"
    print(f"[bench] {db.name}: 迁移 {rev} → {head}", file=sys.stderr, flush=True)
    try:
        migrate.upgrade(f"sqlite:///{db}")
    except Exception as err:  # noqa: BLE001 — report and skip; the bench must not die on one stale file
        return None, f"skipped: {db.name} at schema {rev} could not be migrated to {head}: {type(err).__name__}"
    return db, f"reused, migrated {rev}→{head}"


def resolve(preset: str, *, build: bool) -> tuple[Path | None, str]:
    """(database, note): the existing file at the newest schema, or a freshly built one when `build`."""
    db = find_db(preset)
    if db is not None:
        return _up_to_date(db, preset, build)
    if not build:
        names = " or ".join(str(p.relative_to(REPO_ROOT)) for p in candidates(preset))
        return None, f"skipped: {names} not found"
    return build_db(preset), "built"


def _region(row: tuple) -> Region:
    return Region(code=str(row[0]), name=str(row[1]), level=str(row[2]))


def target(db: Path) -> Target:
    """The dataset root, the account posted there (writable first) and the regions the map and sessions use."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        root_id, *root = con.execute(
            "SELECT id, code, name, level FROM region WHERE parent_id IS NULL ORDER BY id LIMIT 1").fetchone()
        account = con.execute(
            "SELECT u.username, u.read_only FROM user_account u JOIN post p ON p.id = u.post_id"
            " WHERE p.region_id = ? AND u.active ORDER BY u.read_only, u.id LIMIT 1", (root_id,)).fetchone()
        if account is None:
            raise LookupError(f"{db}: no active account is posted at the dataset root {root[1]}")
        screen = con.execute(
            "SELECT u.username FROM user_account u JOIN post p ON p.id = u.post_id"
            " WHERE p.region_id = ? AND u.active AND u.read_only ORDER BY u.id LIMIT 1", (root_id,)).fetchone()
        kids = tuple(_region(r) for r in con.execute(
            "SELECT code, name, level FROM region WHERE parent_id = ? ORDER BY id", (root_id,)))
    finally:
        con.close()
    top = _region(tuple(root))
    city = top if top.level != "province" else next((k for k in kids if k.level == "city"), top)
    return Target(db=db, top=top, username=str(account[0]), read_only=bool(account[1]), city=city, children=kids,
                  screen_username=str(screen[0]) if screen else None)
