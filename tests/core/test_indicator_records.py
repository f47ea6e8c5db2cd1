"""Why this rank ends at the records: for every indicator of a village and month, the records listed with what
each adds to the numerator and the denominator add up to the stored indicator value (core.indicator_records)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.actors import first_actor
from core.db import make_engine
from core.definitions import DEFINITIONS, REPORTED
from core.indicator_records import indicator_records
from core.indicators import BY_CODE
from core.scope import Scope, ScopeError


@pytest.fixture(scope="module")
def ro_session(tiny_db_path):
    engine = make_engine(f"sqlite:///{tiny_db_path}")
    with Session(engine) as s:
        yield s
    engine.dispose()


def _villages(session: Session) -> list[int]:
    return [int(v) for v in session.execute(sa.text(
        "SELECT id FROM region WHERE level = 'village' ORDER BY id LIMIT 3")).scalars()]


@pytest.mark.parametrize("period", [202610, 202609])  # a quarter's last month counts the quarterly meetings
def test_listed_records_add_up_to_every_stored_value(ro_session: Session, period: int):
    county = first_actor(ro_session, "county_admin")
    checked = 0
    for vid in _villages(ro_session):
        for code in DEFINITIONS:
            got = indicator_records(ro_session, county.scope, vid, period, code)
            stored = got["stored"]
            if code in REPORTED:
                assert got["kind"] == "report"
                if stored["value"] is not None and got["versions"]:
                    assert got["versions"][0]["value"] == pytest.approx(stored["value"], abs=1e-3)
                continue
            if stored["value"] is None:  # a rate with no denominator this month
                assert got["den"] == 0, code
                continue
            if BY_CODE[code].is_rate:
                assert (got["num"], got["den"]) == (pytest.approx(stored["numerator"], abs=1e-3),
                                                    pytest.approx(stored["denominator"], abs=1e-3)), (vid, code)
            else:
                assert got["num"] == pytest.approx(stored["value"], abs=1e-3), (vid, code)
            listed = got["rows"]
            assert listed["num"].sum() + sum(got["fixed"].get(c, 0) for c in DEFINITIONS[code].num) >= got["num"] - 1e-6
            checked += 1
    assert checked > 60


def test_the_drill_lists_the_rows_it_counts_and_refuses_outside_the_scope(ro_session: Session):
    vid = _villages(ro_session)[0]
    county = first_actor(ro_session, "county_admin")
    got = indicator_records(ro_session, county.scope, vid, 202610, "ps_satisfaction")
    rows = got["rows"]
    assert set(rows["table"]) == {"appeal"} and rows["den"].sum() == got["den"] > 0
    assert (rows["num"] <= rows["den"]).all()
    other = _villages(ro_session)[1]
    with pytest.raises(ScopeError):
        indicator_records(ro_session, Scope(other, "village"), vid, 202610, "ps_satisfaction")


def test_every_record_source_can_be_listed():
    from core.indicator_records import ROWS
    from core.record_sources import SOURCES

    assert set(ROWS) == set(SOURCES)
