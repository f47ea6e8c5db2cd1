"""The one code path that makes `indicator_value` rows: from the definitions (core.definitions) over the
records (core.record_sources) and the latest department reports, for a window of villages and months.

The generator calls it per county for every month (bulk: one grouped query per record table), a write
per village and month (`core.live`), and `python -m core.indicators recompute` per region and month.
"""

from __future__ import annotations

import sqlite3
from typing import cast

import numpy as np
import pandas as pd
import sqlalchemy as sa

from core.config import get_settings
from core.definitions import DEFINITIONS, DIARY_DUE, HOUSEHOLDS, MEETINGS_DUE, REPORTED, Records, sources_of
from core.indicators import BY_CODE
from core.models import DeptReport, IndicatorValue, Region
from core.record_sources import KEY, Window, days_in_month, gather

VALUE_COLUMNS = ["village_id", "period", "indicator_code", "value", "numerator", "denominator"]


def _villages(conn: sa.Connection, w: Window) -> pd.DataFrame:
    rg = Region.__table__.c
    rows = conn.execute(sa.select(rg.id, rg.households).where(rg.level == "village", rg.id.between(w.lo, w.hi))
                        .order_by(rg.id))
    return pd.DataFrame([tuple(r) for r in rows], columns=["village_id", "households"])


def latest_reports(conn: sa.Connection, w: Window, codes=REPORTED) -> pd.DataFrame:
    """The latest version of each department report in the window (village_id, period, indicator_code, value,
    numerator, denominator, version)."""
    r = DeptReport.__table__.c
    village = w.village(r.village_id)
    stmt = (sa.select(r.village_id, r.period, r.indicator_code, r.value, r.numerator, r.denominator, r.version)
            .where(r.period.in_(w.periods), village, r.indicator_code.in_(list(codes))))
    df = pd.DataFrame([tuple(x) for x in conn.execute(stmt)], columns=[*VALUE_COLUMNS, "version"])
    return (df.sort_values([*VALUE_COLUMNS[:3], "version"]).drop_duplicates(VALUE_COLUMNS[:3], keep="last")
            .reset_index(drop=True))


def _sum(frame: pd.DataFrame, cols: tuple[str, ...], special: dict[str, np.ndarray]) -> np.ndarray:
    total = np.zeros(len(frame))
    for c in cols:
        total = total + (special[c] if c.startswith("@") else frame[c].to_numpy(dtype=float)
                         if c in frame else 0.0)
    return total


def compute_values(conn: sa.Connection, w: Window, codes=None) -> pd.DataFrame:
    """indicator_value rows of the window from the definitions, sorted by (period, indicator_code, village_id).

    A rate gets a row where its denominator is positive; a count (not a rate) gets a row for every village
    and month (no record: 0); a reported indicator where a report exists.
    """
    codes = list(DEFINITIONS) if codes is None else list(codes)
    villages = _villages(conn, w)
    if villages.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    grid = villages.merge(pd.DataFrame({"period": list(w.periods)}), how="cross")
    sums = gather(conn, w, sources_of(codes))
    frame = grid.merge(sums, on=KEY, how="left").fillna(0.0) if not sums.empty else grid
    period = frame["period"].to_numpy()
    cadres = get_settings().scoring.diary_cadres
    special = {HOUSEHOLDS: frame["households"].to_numpy(dtype=float),
               DIARY_DUE: np.round(days_in_month(period) / 7 * cadres, 2),
               MEETINGS_DUE: np.where(np.isin(period % 100, (3, 6, 9, 12)), 4.0, 2.0)}
    parts = []
    for code in codes:
        d, ind = DEFINITIONS[code], BY_CODE[code]
        if not isinstance(d, Records):
            continue
        num, den = _sum(frame, d.num, special), _sum(frame, d.den, special)
        if d.cap:
            num = np.minimum(num, den)
        if ind.is_rate:
            keep = den > 0
            value = np.where(keep, num / np.where(keep, den, 1.0) * ind.scale, 0.0)
        else:
            keep, value = np.ones(len(frame), dtype=bool), num
        parts.append(pd.DataFrame({"village_id": frame["village_id"].to_numpy()[keep], "period": period[keep],
                                   "indicator_code": code, "value": value[keep],
                                   "numerator": num[keep] if ind.is_rate else np.nan,
                                   "denominator": den[keep] if ind.is_rate else np.nan}))
    reported = [c for c in codes if c in REPORTED]
    if reported:
        rep = latest_reports(conn, w, reported).drop(columns="version")
        rate = rep["indicator_code"].map(lambda c: BY_CODE[c].is_rate).astype(bool)
        scale = rep["indicator_code"].map(lambda c: BY_CODE[c].scale).astype(float)
        den = rep["denominator"].astype(float)
        has = rate & (den > 0)
        rep["value"] = np.where(has, rep["numerator"].astype(float) / den.where(has, 1.0) * scale, rep["value"])
        rep.loc[~rate, ["numerator", "denominator"]] = np.nan
        counts = [c for c in reported if not BY_CODE[c].is_rate]  # an event count: no report means none happened
        if counts:
            full = grid[KEY].merge(pd.DataFrame({"indicator_code": counts}), how="cross")
            full = full.merge(rep[rep["indicator_code"].isin(counts)], on=[*KEY, "indicator_code"], how="left")
            rep = pd.concat([rep[~rep["indicator_code"].isin(counts)], full.fillna({"value": 0.0})], ignore_index=True)
        parts.append(rep)
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if parts else pd.DataFrame(columns=VALUE_COLUMNS)
    if out.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    for c in ("value", "numerator", "denominator"):
        out[c] = out[c].astype(float).round(4)
    out = out.astype({"village_id": np.int64, "period": np.int64})
    return out.sort_values(["period", "indicator_code", "village_id"]).reset_index(drop=True)[VALUE_COLUMNS]


def stored_values(conn: sa.Connection, w: Window, codes=None) -> pd.DataFrame:
    """The stored indicator_value rows of the window, in compute_values' order and shape."""
    iv = IndicatorValue.__table__.c
    stmt = sa.select(*(iv[c] for c in VALUE_COLUMNS)).where(w.village(iv.village_id), iv.period.in_(w.periods))
    if codes is not None:
        stmt = stmt.where(iv.indicator_code.in_(list(codes)))
    df = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=VALUE_COLUMNS)
    df = df.astype({"village_id": np.int64, "period": np.int64, "value": float, "numerator": float,
                    "denominator": float})
    return df.sort_values(["period", "indicator_code", "village_id"]).reset_index(drop=True)


def store_values(conn: sa.Connection, rows: pd.DataFrame, w: Window, *, first_id: int | None = None,
                 replace: bool = True, codes: list[str] | None = None) -> int:
    """Replace the window's indicator_value rows (of `codes`, None: all) by `rows` (compute_values' frame);
    rows written.

    `first_id` numbers the rows (the generator's id blocks); otherwise the database assigns ids.
    """
    table = IndicatorValue.__table__
    if replace:
        c = table.c
        gone = table.delete().where(w.village(c.village_id), c.period.in_(w.periods))
        conn.execute(gone if codes is None else gone.where(c.indicator_code.in_(codes)))
    if rows.empty:
        return 0
    cols = [rows[c].astype(object).where(rows[c].notna(), None).tolist() for c in VALUE_COLUMNS]
    names = list(VALUE_COLUMNS)
    if first_id is not None:
        cols.insert(0, list(range(first_id, first_id + len(rows))))
        names.insert(0, "id")
    tuples = list(zip(*cols, strict=True))
    if conn.dialect.name == "sqlite":
        driver = cast(sqlite3.Connection, conn.connection.driver_connection)
        driver.executemany(f"INSERT INTO indicator_value ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                           tuples)
    else:
        conn.execute(table.insert(), [dict(zip(names, t, strict=True)) for t in tuples])
    return len(tuples)
