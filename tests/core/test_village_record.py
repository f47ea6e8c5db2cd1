"""村社档案: sections of one village, scope, timeline and the two exports (on the tiny database)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from core.export import briefing_html, excel_bytes
from core.i18n import translate
from core.models import Region, Task
from core.scope import Scope, ScopeError
from core.village_record import SECTIONS, task_timeline, village_ids, village_record

SECTION_TITLES = [translate(f"section.{k}") for k in SECTIONS]

PERIOD = 202610


def _villages(session) -> list[int]:
    return [int(i) for i in session.exec(sa.select(Region.id).where(Region.level == "village").order_by(Region.id)).scalars()]


def test_record_has_every_section_for_one_village(session):
    vid = _villages(session)[0]
    rec = village_record(session, Scope(vid, "village"), vid, PERIOD)
    assert list(rec.sections()) == list(SECTIONS)
    assert len(rec.team) >= 2 and rec.team.iloc[0]["post"].endswith("书记")
    assert rec.team["rule_version"].notna().all()
    assert len(rec.grids) > 0 and len(rec.tasks) > 0 and len(rec.indicators) > 0
    assert rec.task_counts["total"] == len(rec.tasks)


def test_village_scope_sees_only_its_own_rows(session):
    first, second = _villages(session)[:2]
    mine = Scope(first, "village")
    rec = village_record(session, mine, first, PERIOD)
    task_ids = tuple(int(i) for i in rec.tasks["id"])
    owned = set(session.exec(sa.select(Task.village_id).where(Task.id.in_(task_ids))).scalars())
    assert owned == {first}
    with pytest.raises(ScopeError):
        village_record(session, mine, second, PERIOD)
    other_task = session.exec(sa.select(Task.id).where(Task.village_id == second).limit(1)).scalar()
    assert task_timeline(session, mine, other_task).empty
    assert [v for v, _ in village_ids(session, mine)] == [first]


def test_task_timeline_is_ordered_and_starts_with_dispatch(session):
    vid = _villages(session)[0]
    tid = session.exec(sa.select(Task.id).where(Task.village_id == vid, Task.status == "scored").limit(1)).scalar()
    tl = task_timeline(session, Scope(vid, "village"), tid)
    assert len(tl) >= 2 and tl["time"].is_monotonic_increasing
    assert tl.iloc[0]["to_status"] == "dispatched"


def test_excel_has_one_sheet_per_section(session):
    vid = _villages(session)[0]
    rec = village_record(session, Scope(vid, "village"), vid, PERIOD)
    wb = openpyxl.load_workbook(io.BytesIO(excel_bytes(rec)))
    assert wb.sheetnames == SECTION_TITLES
    assert wb[translate("section.team")].max_row == len(rec.team) + 1


def test_briefing_html_prints_cleanly_without_external_resources(session):
    vid = _villages(session)[0]
    rec = village_record(session, Scope(vid, "village"), vid, PERIOD)
    html = briefing_html(rec)
    assert "@media print" in html and "@page" in html
    assert rec.name in html and all(label in html for label in SECTION_TITLES)
    assert not re.search(r"(src|href)=['\"]?https?:", html)
