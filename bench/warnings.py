"""Bench: all warnings of the dataset root (cold and warm seconds), precision and recall per detector.

`run()` prints a table; `python -m bench.warnings [DATABASE_URL ...]` runs on given databases
(default: the configured DATABASE_URL). A warning is a hit when a planted anomaly of the same kind
lies in the same village (and grid and category when the truth names them), with overlapping
windows; decision kinds match on the decision id.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from core.config import WarningConfig, get_settings
from core.db import make_engine
from core.early_warning import WARNING_KINDS, EarlyWarning
from core.models import PlantedAnomaly
from core.regions import dataset_root
from core.scope import Scope
from core.warning_feed import all_warnings

GRID_KINDS = {"burst", "high", "chronic"}


@dataclass(frozen=True)
class Score:
    """Per kind: planted, found of the planted, warnings raised, of them true."""

    kind: str
    planted: int
    found: int
    raised: int
    true: int

    @property
    def recall(self) -> float:
        """Share of planted anomalies found (1.0 when none planted)."""
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        """Share of raised warnings that match a planted anomaly (1.0 when none raised)."""
        return self.true / self.raised if self.raised else 1.0


def matches(w: EarlyWarning, p: PlantedAnomaly) -> bool:
    """True when warning `w` points at planted anomaly `p`."""
    if w.kind != p.kind or w.village_id != p.village_id:
        return False
    if p.kind.startswith("decision_"):
        return w.decision_id == json.loads(p.detail).get("decision_id")
    if p.kind in GRID_KINDS and p.grid_id is not None and w.grid_id != p.grid_id:
        return False
    if p.category and w.category != p.category:
        return False
    return w.window_start <= p.end_on and p.start_on <= w.window_end


def score(warnings: list[EarlyWarning], planted: list[PlantedAnomaly]) -> list[Score]:
    """Precision/recall inputs per kind."""
    out = []
    for kind in WARNING_KINDS:
        ws = [w for w in warnings if w.kind == kind]
        ps = [p for p in planted if p.kind == kind]
        out.append(Score(kind, len(ps), sum(any(matches(w, p) for w in ws) for p in ps), len(ws),
                         sum(any(matches(w, p) for p in ps) for w in ws)))
    return out


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
