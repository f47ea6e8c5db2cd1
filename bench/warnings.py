"""Bench: all warnings of the dataset root (cold and warm seconds), precision and recall per detector.

`run()` prints a table; `python -m bench.warnings [DATABASE_URL ...]` runs on given databases
(default: the configured DATABASE_URL). A warning is a hit when a planted anomaly of the same kind
lies in the same village (and grid and category when the truth names them), with overlapping
windows; decision kinds match on the decision id.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from core.config import WarningConfig, get_settings
from core.db import make_engine
from core.models import PlantedAnomaly
from core.regions import dataset_root
from core.scope import Scope
from core.warning_feed import all_warnings
from harness.planted import Score, score


def evaluate(url: str, cfg: WarningConfig | None = None, as_of: date | None = None) -> tuple[list[Score], float, float]:
    """(scores, cold seconds, median warm seconds) for the root scope of the database at `url`."""
    engine = make_engine(url)
    with Session(engine) as s:
        root = dataset_root(s)
        scope = Scope(root.id, root.level)
        t0 = time.perf_counter()
        found = all_warnings(s, scope, as_of or get_settings().as_of, cfg)
        cold = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            all_warnings(s, scope, as_of or get_settings().as_of, cfg)
            runs.append(time.perf_counter() - t0)
        warm = sorted(runs)[1]  # median of three warm runs
        planted = list(s.exec(sa.select(PlantedAnomaly)).scalars())
    engine.dispose()
    return score(found, planted), cold, warm


def run(urls: list[str] | None = None) -> None:
    """Print, per database, seconds and precision/recall per detector at the default thresholds."""
    for url in urls or [get_settings().database_url]:
        try:
            rows, cold, warm = evaluate(url)
        except Exception as err:  # noqa: BLE001 — a missing database is reported, not fatal to the bench run
            print(f"warnings  {url}: skipped ({err.__class__.__name__}: {err})")
            continue
        print(f"warnings  {url}: all warnings cold {cold:.2f} s, warm {warm:.3f} s")
        print(f"  {'kind':<24}{'planted':>8}{'found':>7}{'raised':>8}{'true':>6}{'recall':>8}{'precision':>10}")
        for r in rows:
            print(f"  {r.kind:<24}{r.planted:>8}{r.found:>7}{r.raised:>8}{r.true:>6}{r.recall:>8.2f}{r.precision:>10.2f}")


def sweep(url: str, field: str, values: list[float]) -> None:
    """Print precision/recall as one WarningConfig field varies (threshold tuning)."""
    for v in values:
        rows, _, _ = evaluate(url, replace(get_settings().warnings, **{field: type(getattr(WarningConfig(), field))(v)}))
        print(field, v, " ".join(f"{r.kind}:{r.found}/{r.planted} {r.true}/{r.raised}" for r in rows if r.planted or r.raised))


if __name__ == "__main__":
    run(sys.argv[1:] or None)
