"""Record entry and department reports (core.records): each write moves its village-month's indicator, the
township's rollup, the month's scores and stamp at once; a correction is a new version and the old one stays;
bad input gets one message and changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import records
from core.actors import first_actor
from core.errors import PermissionDenied
from core.live import computed_at
from core.models import DeptReport, IndicatorValue, RecordEvent, Region, RollupIndicator, WasteCheck
from core.records import RecordError
from core.scope import Scope, ScopeError
from core.scoring import region_scores

NOW = datetime(2026, 10, 31, 15, 0)
PERIOD = 202610


def _village(session: Session) -> int:
    return int(session.execute(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalar())


def _value(session: Session, vid: int, code: str) -> tuple:
    iv = IndicatorValue.__table__.c
    return tuple(session.execute(sa.select(iv.value, iv.numerator, iv.denominator).where(
        iv.village_id == vid, iv.period == PERIOD, iv.indicator_code == code)).one())


def _township(session: Session, vid: int, code: str) -> tuple:
    ri = RollupIndicator.__table__.c
    return tuple(session.execute(sa.select(ri.num_sum, ri.den_sum, ri.value_sum).where(
        ri.level == "township", ri.region_id == vid // 1000 * 1000, ri.period == PERIOD,
        ri.indicator_code == code)).one())


def _count(session: Session, model) -> int:
    return int(session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_a_waste_check_moves_the_sorting_rate_its_township_and_the_scores(session: Session):
    vid = _village(session)
    cadre = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    county = first_actor(session, "county_admin")
    before_v, before_t = _value(session, vid, "ec_waste_sorting"), _township(session, vid, "ec_waste_sorting")
    before_s = region_scores(session, county.scope, vid // 1000 * 1000, PERIOD).set_index("region_id")
    new_id = records.add_record(session, actor=cadre, kind="waste_check", village_id=vid, now=NOW,
                                values={"checked_on": "2026-10-30", "households_checked": 40, "households_passed": 4})
    session.commit()
    assert session.get(WasteCheck, new_id) is not None
    after_v, after_t = _value(session, vid, "ec_waste_sorting"), _township(session, vid, "ec_waste_sorting")
    assert after_v[1:] == (before_v[1] + 4, before_v[2] + 40) and after_v[0] < before_v[0]
    assert after_t[:2] == (before_t[0] + 4, before_t[1] + 40)
    after_s = region_scores(session, county.scope, vid // 1000 * 1000, PERIOD).set_index("region_id")
    assert after_s.at[vid, "economy"] < before_s.at[vid, "economy"]
    assert computed_at(session, PERIOD) == NOW
    ev = session.execute(sa.select(RecordEvent).where(RecordEvent.kind == "waste_check",
                                                      RecordEvent.record_id == new_id)).scalar_one()
    assert ev.actor_id == cadre.person_id and ev.action == "add"


def test_a_report_correction_is_a_new_version_that_counts_and_keeps_the_old(session: Session):
    vid = _village(session)
    county = first_actor(session, "county_admin")
    old = _value(session, vid, "ps_family_doctor")
    versions_before = records.report_versions(session, county.scope, vid, PERIOD, "ps_family_doctor")
    assert versions_before, "the generator reported this month"
    version = records.submit_report(session, actor=county, village_id=vid, period=PERIOD,
                                    indicator_code="ps_family_doctor", numerator=old[2] * 0.5, denominator=old[2],
                                    now=NOW, note="卫健局更正")
    session.commit()
    assert version == versions_before[0]["version"] + 1
    assert _value(session, vid, "ps_family_doctor")[0] == pytest.approx(50.0)
    history = records.report_versions(session, county.scope, vid, PERIOD, "ps_family_doctor")
    assert [h["version"] for h in history] == [version, *(h["version"] for h in versions_before)]
    assert history[0]["note"] == "卫健局更正" and history[0]["source_kind"] == "form"
    assert history[1]["value"] == versions_before[0]["value"]  # the earlier figure stays readable
    assert computed_at(session, PERIOD) == NOW


@pytest.mark.parametrize(("kind", "values", "words"), [
    ("waste_check", {"checked_on": "2026-10-30", "households_checked": 4, "households_passed": 9}, "不能大于"),
    ("waste_check", {"checked_on": "2026-13-30", "households_checked": 4, "households_passed": 1}, "日期"),
    ("waste_check", {"checked_on": "2024-01-03", "households_checked": 4, "households_passed": 1}, "数据期间"),
    ("training", {"topic": "学习", "held_on": "2026-10-03", "expected": -1, "attended": 0}, "非负整数"),
    ("party_meeting", {"kind": "tea_party", "held_on": "2026-10-03", "expected": 9, "attended": 5}, "之一"),
    ("unknown_kind", {}, "没有记录类型"),
])
def test_bad_input_gets_one_message_and_writes_nothing(session: Session, kind, values, words):
    vid = _village(session)
    cadre = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    counts = (_count(session, WasteCheck), _count(session, RecordEvent), _count(session, IndicatorValue))
    with pytest.raises(RecordError, match=words):
        records.add_record(session, actor=cadre, kind=kind, village_id=vid, values=values, now=NOW)
    session.rollback()
    assert (_count(session, WasteCheck), _count(session, RecordEvent), _count(session, IndicatorValue)) == counts


def test_reports_refuse_a_counted_indicator_a_village_cadre_and_another_county(session: Session):
    vid = _village(session)
    county = first_actor(session, "county_admin")
    cadre = first_actor(session, "village_secretary", within=Scope(vid, "village"))
    reports = _count(session, DeptReport)
    with pytest.raises(RecordError, match="不是部门报送指标"):
        records.submit_report(session, actor=county, village_id=vid, period=PERIOD, indicator_code="ps_satisfaction",
                              value=90, now=NOW)
    with pytest.raises(PermissionDenied):
        records.submit_report(session, actor=cadre, village_id=vid, period=PERIOD, indicator_code="ps_family_doctor",
                              numerator=1, denominator=2, now=NOW)
    other = int(session.execute(sa.select(Region.id).where(Region.level == "village", Region.id != vid)
                                .order_by(Region.id)).scalar())
    with pytest.raises(ScopeError):
        records.add_record(session, actor=cadre, kind="waste_check", village_id=other, now=NOW,
                           values={"checked_on": date(2026, 10, 3), "households_checked": 3, "households_passed": 3})
    with pytest.raises(RecordError, match="月份"):
        records.submit_report(session, actor=county, village_id=vid, period=202613, indicator_code="ps_family_doctor",
                              numerator=1, denominator=2, now=NOW)
    session.rollback()
    assert _count(session, DeptReport) == reports
