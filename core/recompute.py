"""Recompute and verify the indicator values from the definitions (SPEC §11, issue #18 item 5).

    python -m core.indicators recompute [--region CODE] [--period YYYYMM] [--check] [--database-url URL]
    python -m core.indicators rescore [--database-url URL]   (store the month scores that writes dropped)

Without --check it recounts the region's villages × months through the one code path
(core.indicator_values), then rebuilds every rollup and stored score from them. With --check it changes
nothing, prints every difference between the stored and the recounted values and exits 1 when there is one
(0: none). Bad arguments (an unknown region, a malformed period) get one line and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.config import get_settings
from core.db import make_engine
from core.indicator_values import VALUE_COLUMNS, compute_values, store_values, stored_values
from core.live import rescore_pending
from core.models import Region
from core.record_sources import Window
from core.rollups import rebuild_rollups
from core.scope import region_span
from core.task_queries import dataset_window

KEY = ["village_id", "period", "indicator_code"]


@dataclass(frozen=True)
class Target:
    """A region's villages (id range) and the months to recount."""

    lo: int
    hi: int
    periods: tuple[int, ...]


class BadArguments(ValueError):
    """An unknown region or a malformed period: one line for the user."""


def months_between(first: int, last: int) -> list[int]:
    """YYYYMM from `first` to `last` inclusive."""
    out, p = [], int(first)
    while p <= int(last):
        out.append(p)
        p = p + 1 if p % 100 < 12 else (p // 100 + 1) * 100 + 1
    return out


def resolve(session: Session, region: str | None, period: str | None) -> Target:
    """The villages and months a recompute covers (the whole dataset, or one region and/or one month)."""
    first, as_of = dataset_window(session)
    months = months_between(first.year * 100 + first.month, as_of.year * 100 + as_of.month)
    if period is not None:
        if not (period.isdigit() and len(period) == 6 and 1 <= int(period) % 100 <= 12):
            raise BadArguments(f"月份须为 YYYYMM：{period!r}")
        if int(period) not in months:
            raise BadArguments(f"月份 {period} 不在数据期间 {months[0]}–{months[-1]} 内")
        months = [int(period)]
    rg = Region.__table__.c
    if region is None:
        row = session.execute(sa.select(rg.id, rg.level).where(rg.parent_id.is_(None)).order_by(rg.id)).first()
    else:
        row = session.execute(sa.select(rg.id, rg.level).where(rg.code == region)).first()
    if row is None:
        raise BadArguments(f"没有区划代码 {region!r}" if region else "数据库中没有区划")
    lo, level = int(row[0]), str(row[1])
    return Target(lo, lo + region_span(level) - 1, tuple(months))


def differences(conn: sa.Connection, target: Target, as_of) -> pd.DataFrame:
    """Every (village, month, indicator) whose stored row differs from the recount (or exists on one side only):
    KEY, stored value, recounted value, numerators and denominators."""
    w = Window(target.lo, target.hi, target.periods, as_of)
    a, b = stored_values(conn, w), compute_values(conn, w)
    both = a.merge(b, on=KEY, how="outer", suffixes=("_stored", "_counted"), indicator=True)
    diff = both["_merge"] != "both"
    for c in ("value", "numerator", "denominator"):
        x, y = both[f"{c}_stored"].astype(float), both[f"{c}_counted"].astype(float)
        # values are stored to 4 decimals: a half-way value (8.765 / 4 = 2.19125) rounds to 2.1913 or 2.1912 as the
        # database's float arithmetic lands either side of it (SQLite vs PostgreSQL), so one unit of the last
        # decimal, plus float noise, is the same figure
        diff |= ~np.isclose(x, y, rtol=0, atol=1.5e-4, equal_nan=True)
    return both[diff].drop(columns="_merge").reset_index(drop=True)


def recompute(session: Session, target: Target) -> int:
    """Recount the target's indicator values (in blocks of one county) and rebuild the rollups and scores;
    rows written. The caller commits."""
    _, as_of = dataset_window(session)
    conn = session.connection()
    written = 0
    step = 10**6  # one county at a time keeps the frames small
    for lo in range(target.lo, target.hi + 1, step):
        w = Window(lo, min(lo + step - 1, target.hi), target.periods, as_of)
        written += store_values(conn, compute_values(conn, w), w)
    rebuild_rollups(conn)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.indicators", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rc = sub.add_parser("recompute", help="recount indicator values from the definitions")
    rc.add_argument("--region", help="区划代码 (default: the whole dataset)")
    rc.add_argument("--period", help="YYYYMM (default: every month of the data)")
    rc.add_argument("--check", action="store_true", help="change nothing; print differences; exit 1 if any")
    rc.add_argument("--database-url", help="default: the app's DATABASE_URL")
    rs = sub.add_parser("rescore", help="store again the month scores that writes dropped (debounced re-score)")
    rs.add_argument("--database-url", help="default: the app's DATABASE_URL")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    engine = make_engine(args.database_url or get_settings().database_url)
    try:
        with Session(engine) as session:
            if args.command == "rescore":
                started = datetime.now()
                done = rescore_pending(session)
                session.commit()
                print(f"{len(done)} months re-scored {done} · {(datetime.now() - started).total_seconds():.1f} s")
                return 0
            try:
                target = resolve(session, args.region, args.period)
            except BadArguments as e:
                print(e, file=sys.stderr)
                return 2
            started = datetime.now()
            if args.check:
                _, as_of = dataset_window(session)
                diff = differences(session.connection(), target, as_of)
                with pd.option_context("display.width", 200, "display.max_rows", 200):
                    if not diff.empty:
                        print(diff.to_string(index=False))
                print(f"{len(diff)} differences · {len(target.periods)} months · "
                      f"{(datetime.now() - started).total_seconds():.1f} s")
                return 1 if len(diff) else 0
            n = recompute(session, target)
            session.commit()
            print(f"{n} indicator values recounted · {(datetime.now() - started).total_seconds():.1f} s")
            return 0
    finally:
        engine.dispose()


__all__ = ["VALUE_COLUMNS", "Target", "BadArguments", "resolve", "differences", "recompute", "main", "months_between"]
