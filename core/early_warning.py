"""The early warning (事件预警) as one type, whoever raised it: appeal detectors or 议事决策 checks.

`kind` is a key of `WARNING_KINDS`; ui shows it through the catalog (`warning_kind.<kind>`). A warning's `test`
and `note` are catalog keys with their parameters (`evidence()`), stored as text so the stored warnings table keeps
one column; `core.i18n.evidence_text` renders them. A note that is not a key (a decision's title) is data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

import pandas as pd

#: Warning kinds, appeals first (突发/群发, 高发/多发, 顽疾, 新苗头, 停报), then 议事决策 (跳步, 顺序颠倒, 超期).
WARNING_KINDS = ("burst", "high", "chronic", "new", "silent",
                 "decision_skipped_step", "decision_reordered_step", "decision_overdue")


def evidence(key: str, **params: object) -> str:
    """A test or note as stored: its catalog key, then `|` and its parameters as JSON when it has any."""
    return key + ("|" + json.dumps(params, ensure_ascii=False, sort_keys=True) if params else "")


@dataclass(frozen=True)
class EarlyWarning:
    """One warning with its evidence: observed count, expected baseline, window, test and threshold."""

    kind: str
    village_id: int
    grid_id: int | None
    category: str | None
    window_start: date
    window_end: date
    count: float
    baseline: float
    test: str
    threshold: float
    score: float
    counts: tuple = ()  # the series the test read (monthly counts, or the decision's step order)
    decision_id: int | None = None
    note: str = ""


def warnings_frame(warnings: list[EarlyWarning]) -> pd.DataFrame:
    """The warnings as a table (one row each, evidence columns included), in the given order."""
    rows = [asdict(w) for w in warnings]
    cols = list(EarlyWarning.__dataclass_fields__)
    return pd.DataFrame(rows, columns=cols)
