"""Warnings scored against the anomalies the generator planted (planted_anomaly): what bench and tests share.

A warning is a hit when a planted anomaly of the same kind lies in the same village (and grid and category
when the truth names them), with overlapping windows; decision kinds match on the decision id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from core.early_warning import WARNING_KINDS, EarlyWarning
from core.models import PlantedAnomaly

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
