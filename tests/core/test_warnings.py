"""Early-warning detectors: each planted anomaly is found, false alarms are few, evidence is complete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.appeal_warnings import anscombe_z, trimmed_mean
from core.config import WarningConfig
from core.db import make_engine
from core.early_warning import WARNING_KINDS, warnings_frame
from core.models import PlantedAnomaly
from core.scope import Scope
from core.warning_feed import all_warnings, warning_counts
from harness.planted import matches, score

AS_OF = date(2026, 10, 31)
COUNTY = Scope(330624000000, "county")


@pytest.fixture(scope="module")
def found(tiny_url):
    """All warnings and the planted truth of the tiny database."""
    engine = make_engine(tiny_url)
    with Session(engine) as s:
        ws = all_warnings(s, COUNTY, AS_OF)
        planted = list(s.exec(sa.select(PlantedAnomaly)).scalars())
    engine.dispose()
    return ws, planted


def test_every_planted_anomaly_is_found(found):
    ws, planted = found
    for p in planted:
        assert any(matches(w, p) for w in ws), f"missed planted {p.kind} at {p.village_id}"


def test_false_alarms_are_few(found):
    ws, planted = found
    rows = score(ws, planted)
    assert sum(r.raised - r.true for r in rows) <= 2, [(r.kind, r.raised, r.true) for r in rows]


def test_each_warning_carries_its_evidence(found):
    ws, _ = found
    assert [w.window_end for w in ws] == sorted((w.window_end for w in ws), reverse=True), "newest first"
    for w in ws:
        assert w.test and w.window_start <= w.window_end and w.threshold is not None and w.kind in WARNING_KINDS
    frame = warnings_frame(ws)
    assert {"count", "baseline", "window_start", "window_end", "test", "threshold", "score"} <= set(frame.columns)


def test_scope_limits_warnings_to_the_subtree(found, tiny_url):
    ws, _ = found
    village = next(w.village_id for w in ws if w.kind == "burst")
    engine = make_engine(tiny_url)
    with Session(engine) as s:
        inside = all_warnings(s, Scope(village, "village"), AS_OF)
        counts = warning_counts(s, COUNTY, AS_OF, recent_days=400)
    engine.dispose()
    assert inside and all(w.village_id == village for w in inside)
    assert counts["total"] == len(ws)


def test_a_stricter_threshold_raises_no_more_warnings(found, tiny_url):
    ws, _ = found
    engine = make_engine(tiny_url)
    with Session(engine) as s:
        strict = all_warnings(s, COUNTY, AS_OF, replace(WarningConfig(), high_z=9.0))
    engine.dispose()
    grid_kinds = {"burst", "high", "chronic"}
    assert sum(w.kind in grid_kinds for w in strict) <= sum(w.kind in grid_kinds for w in ws)


def test_poisson_helpers():
    assert anscombe_z(2, 2) == pytest.approx(0.0)
    assert anscombe_z(32, 2.4) > 5.5 > anscombe_z(6, 2.4)
    assert trimmed_mean(np.array([[1.0, 2.0, 30.0]]))[0] == pytest.approx(1.5)


def test_evidence_is_a_key_rendered_in_either_language():
    """A warning's test and note are catalog keys with parameters; both languages render them, data stays data."""
    from core import i18n
    from core.early_warning import evidence

    stored = evidence("warning_test.decision_skipped", steps=[4, 5])
    assert i18n.evidence_text(stored, "zh") == "五议两公开顺序校验：缺少：党员大会审议 → 村民(代表)会议决议"
    assert i18n.evidence_text(stored, "en").startswith("Five-deliberations order check: missing Party members")
    assert i18n.evidence_text(evidence("warning_test.silent", days=30), "en") == \
        "No report in the last 30 days, Poisson P(0)=e^-μ"
    assert i18n.evidence_text("应洋村河道整治工程", "en") == "应洋村河道整治工程", "a decision title is data"
    assert i18n.evidence_text("泊松检验（旧数据）", "en") == "泊松检验（旧数据）", "an old stored text is shown as it is"
