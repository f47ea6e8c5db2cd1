"""议事决策 compliance on hand-built rows: in order passes, a skipped or a reordered step warns, slow warns."""

from __future__ import annotations

from datetime import date, timedelta

from core import i18n
from core.config import WarningConfig
from core.db import session_scope
from core.decisions import check_steps, decision_table, decision_warnings
from core.models import Decision, DecisionStep
from core.scope import Scope

AS_OF = date(2026, 10, 31)
VILLAGE = 330624001001


def _add(engine, title: str, steps: list[int], opened: date, closed: date | None) -> int:
    with session_scope(engine, write=True) as s:
        d = Decision(village_id=VILLAGE, title=title, opened_on=opened, closed_on=closed)
        s.add(d)
        s.flush()
        for seq, step in enumerate(steps, start=1):
            s.add(DecisionStep(decision_id=d.id, step=step, seq=seq, done_on=opened + timedelta(days=seq)))
        return int(d.id)


def _issues(engine, did: int) -> tuple:
    with session_scope(engine) as s:
        table = decision_table(s, Scope(VILLAGE, "village"), AS_OF)
    return table.set_index("decision_id").loc[did, "issues"]


def test_in_order_decision_passes(engine):
    did = _add(engine, "测试：按序", [1, 2, 3, 4, 5, 6, 7], date(2026, 8, 1), date(2026, 8, 8))
    assert _issues(engine, did) == ()


def test_skipped_step_warns(engine):
    did = _add(engine, "测试：跳步", [1, 2, 3, 5, 6, 7], date(2026, 8, 1), date(2026, 8, 8))
    assert _issues(engine, did) == ("skipped_step",)
    with session_scope(engine) as s:
        w = [w for w in decision_warnings(s, Scope(VILLAGE, "village"), AS_OF) if w.decision_id == did]
    assert len(w) == 1 and "党员大会审议" in i18n.evidence_text(w[0].test) and w[0].counts == (1, 2, 3, 5, 6, 7)


def test_reordered_step_warns(engine):
    did = _add(engine, "测试：颠倒", [1, 2, 4, 3, 5, 6, 7], date(2026, 8, 1), date(2026, 8, 8))
    assert _issues(engine, did) == ("reordered_step",)


def test_open_past_the_limit_warns_and_in_progress_is_not_skipped(engine):
    did = _add(engine, "测试：超期", [1, 2, 3], AS_OF - timedelta(days=120), None)
    fresh = _add(engine, "测试：进行中", [1, 2, 3], AS_OF - timedelta(days=20), None)
    assert _issues(engine, did) == ("overdue",)
    assert _issues(engine, fresh) == ()
    with session_scope(engine) as s:
        lenient = decision_table(s, Scope(VILLAGE, "village"), AS_OF, WarningConfig(decision_limit_days=200))
    assert lenient.set_index("decision_id").loc[did, "issues"] == ()


def test_check_steps_pure():
    assert check_steps([1, 2, 3]).skipped == () and check_steps([1, 2, 3]).reordered is None
    assert check_steps([1, 3]).skipped == (2,)
    assert check_steps([2, 1, 3]).reordered == (2, 1)


def test_wide_scopes_read_the_stored_checks_and_agree_with_the_steps(engine):
    """A county reads rollup_decision_check; it lists, counts and orders exactly what the live check finds."""
    from core.config import get_settings
    from core.decisions import _live_table, decision_summary, store_decision_checks

    _add(engine, "测试：跳步", [1, 2, 3, 5, 6, 7], date(2026, 8, 1), date(2026, 8, 8))
    _add(engine, "测试：超期", [1, 2, 3], AS_OF - timedelta(days=120), None)
    with engine.begin() as conn:
        store_decision_checks(conn)  # the rebuild: the generator and `rebuild_rollups` call it
    county = Scope(VILLAGE // 1_000_000 * 1_000_000, "county")
    with session_scope(engine) as s:
        live = _live_table(s, county, AS_OF, get_settings().warnings)
        stored = decision_table(s, county, AS_OF)
        top = decision_table(s, county, AS_OF, limit=7)
        bad = decision_table(s, county, AS_OF, problems_only=True)
        counts = decision_summary(s, county, AS_OF)
    assert len(live) > 20 and stored.equals(live)
    assert top.equals(live.head(7))
    assert set(bad.decision_id) == set(live[~live.compliant].decision_id) and len(bad) >= 2
    assert counts == {"total": len(live), "problems": int((~live.compliant).sum())}
