"""道德银行: an evaluation and a deduction move a household's points, 道德码 and credit line (with the rule version and
the steps that reached them); the wrong role or post is refused with one message and nothing written; names are
masked for a cadre of another village and for a township user; the generator is deterministic; ps_moral_points is
counted from the ledger and moves with a write."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core import moral_bank as mb
from core.actors import Actor, actor_for_post
from core.auth import actor_for_username
from core.config import MORAL_RULE
from core.errors import NotFound
from core.indicator_records import indicator_records
from core.indicator_values import compute_values
from core.models import MoralHousehold
from core.record_sources import Window
from core.scene_common import SceneDenied, SceneRefused
from core.scope import Scope
from seed.cli import main as seed_main

NOW = datetime(2026, 10, 31, 10, 0)
TABLES = ("moral_entry", "moral_household", "scene_event", "indicator_value")


def counts(session: Session) -> dict[str, int]:
    return {t: int(session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()) for t in TABLES}  # noqa: S608


def secretary_of(session: Session, village_id: int) -> Actor:
    post = session.execute(sa.text("SELECT id FROM post WHERE role = 'village_secretary' AND region_id = :v AND active "
                                   "ORDER BY id LIMIT 1"), {"v": village_id}).scalar()
    return actor_for_post(session, int(post))


@pytest.fixture
def who(session: Session) -> dict[str, Actor]:
    names = ["town_admin", "town_leader", "village_secretary", "village_committee", "grid_worker", "county_admin",
             "line_cadre"]
    out = {n: actor_for_username(session, n)[0] for n in names}
    town = out["town_admin"].region_id
    other = session.execute(sa.text("SELECT id FROM region WHERE parent_id = :t AND level = 'village' AND id != :v "
                                    "ORDER BY id LIMIT 1"), {"t": town, "v": out["village_secretary"].region_id}).scalar()
    out["rival"] = secretary_of(session, int(other))
    return out


def household_of(session: Session, village_id: int) -> MoralHousehold:
    """A household of the village with no deduction in the ledger and points between green and the credit cap."""
    hid = session.execute(sa.text(
        "SELECT household_id FROM moral_entry WHERE village_id = :v GROUP BY household_id "
        "HAVING sum(points) BETWEEN 65 AND 150 AND sum(CASE WHEN kind IN ('dishonest', 'penalty') THEN 1 ELSE 0 END) = 0 ORDER BY household_id LIMIT 1"),
        {"v": village_id}).scalar()
    return session.get(MoralHousehold, int(hid))


def test_evaluation_and_deduction_move_points_code_and_credit_line(session, who):
    sec = who["village_secretary"]
    hh = household_of(session, sec.region_id)
    before = mb.household_view(session, sec.scope, hh.id, NOW.date())
    assert before.figure.moral_code == "green" and before.figure.version == MORAL_RULE.version
    mb.record_evaluation(session, actor=sec, household_id=hh.id, dimension="virtue", points=4, now=NOW, note="助人为乐")
    session.commit()
    after = mb.household_view(session, sec.scope, hh.id, NOW.date())
    assert after.figure.points == pytest.approx(before.figure.points + 4)
    assert after.dimensions["virtue"] == pytest.approx(before.dimensions["virtue"] + 4)
    assert after.figure.credit == before.figure.credit + 4 * MORAL_RULE.credit_per_point
    assert after.entries.iloc[0].source == "村级评议" and after.entries.iloc[0].level == "village"
    # a township records a 失信被执行人 record with its source: points fall, the code turns red, no credit line
    mb.record_deduction(session, actor=who["town_admin"], household_id=hh.id, kind="dishonest",
                        source="县法院失信被执行人名单", source_ref="(2026)浙0624执123号", now=NOW)
    session.commit()
    hit = mb.household_view(session, sec.scope, hh.id, NOW.date())
    assert hit.figure.points == pytest.approx(after.figure.points - MORAL_RULE.deduction["dishonest"])
    assert hit.figure.moral_code == "red" and hit.figure.credit == 0
    assert hit.entries.iloc[0].source_ref == "(2026)浙0624执123号"
    keys = [k for k, _ in hit.figure.steps]
    assert keys[0] == "moral.step.points" and "moral.step.red" in keys and keys[-1] == "moral.step.factor"
    # a year later the record is out of the look-back window: yellow or green again by the points
    later = mb.household_view(session, sec.scope, hh.id, date(2027, 11, 30))
    assert later.figure.moral_code != "red" or later.figure.points < MORAL_RULE.yellow_min
    ledger = mb.village_ledger(session, sec.scope, sec.region_id, NOW.date())
    row = ledger[ledger.household_id == hh.id].iloc[0]
    assert row.moral_code == "red" and row.points == pytest.approx(hit.figure.points) and row.credit == 0


def test_figure_rule_steps():
    f = mb.figure(70, 0, 0)
    assert f.moral_code == "green" and f.credit == 170_000
    y = mb.figure(70, 0, 1)
    assert y.moral_code == "yellow" and y.credit == 85_000
    assert mb.figure(20, 0, 0).moral_code == "yellow" and mb.figure(-5, 0, 0).moral_code == "red"
    assert mb.figure(1000, 0, 0).credit == MORAL_RULE.credit_cap


def test_volunteer_hours_add_points(session, who):
    gw = who["grid_worker"]
    hh = household_of(session, gw.region_id)
    before = mb.household_view(session, gw.scope, hh.id, NOW.date()).figure.points
    mb.record_volunteer(session, actor=gw, household_id=hh.id, hours=3, now=NOW)
    session.commit()
    assert mb.household_view(session, gw.scope, hh.id, NOW.date()).figure.points == pytest.approx(before + 3)


@pytest.mark.parametrize(("by", "call"), [
    ("line_cadre", "evaluate"), ("county_admin", "evaluate"), ("village_secretary", "deduct"), ("grid_worker", "deduct"),
    ("town_admin", "volunteer"), ("county_admin", "deduct")])
def test_wrong_role_is_refused_with_one_message_and_nothing_written(session, who, by, call):
    hh = household_of(session, who["village_secretary"].region_id)
    before = counts(session)
    kw = {"actor": who[by], "household_id": hh.id, "now": NOW}
    with pytest.raises(SceneDenied) as err:
        if call == "evaluate":
            mb.record_evaluation(session, dimension="virtue", points=1, **kw)
        elif call == "deduct":
            mb.record_deduction(session, kind="penalty", source="x", source_ref=None, **kw)
        else:
            mb.record_volunteer(session, hours=1, **kw)
    assert err.value.key in ("scene.err.role", "scene.err.township_only")
    session.rollback()
    assert counts(session) == before


def test_bad_input_and_other_village_are_refused(session, who):
    sec = who["village_secretary"]
    hh = household_of(session, sec.region_id)
    before = counts(session)
    with pytest.raises(SceneRefused):
        mb.record_evaluation(session, actor=sec, household_id=hh.id, dimension="virtue", points=99, now=NOW)
    with pytest.raises(SceneRefused):
        mb.record_evaluation(session, actor=sec, household_id=hh.id, dimension="volunteer", points=1, now=NOW)
    with pytest.raises(SceneRefused):
        mb.record_deduction(session, actor=who["town_admin"], household_id=hh.id, kind="penalty", source=" ",
                            source_ref=None, now=NOW)
    with pytest.raises(NotFound):  # another village's household is outside the rival's scope
        mb.record_evaluation(session, actor=who["rival"], household_id=hh.id, dimension="virtue", points=1, now=NOW)
    session.rollback()
    assert counts(session) == before


def test_names_in_full_only_for_the_households_own_village(session, who):
    sec, rival, town = who["village_secretary"], who["rival"], who["town_admin"]
    hh = household_of(session, sec.region_id)
    assert mb.household_view(session, sec.scope, hh.id, NOW.date()).facts["name"] == hh.head_name
    masked = mb.mask_name(hh.head_name)
    assert masked[0] == hh.head_name[0] and set(masked[1:]) == {"*"} and len(masked) == len(hh.head_name)
    # the township user: the ledger and the household masked
    assert mb.household_view(session, town.scope, hh.id, NOW.date()).facts["name"] == masked
    ledger = mb.village_ledger(session, town.scope, sec.region_id, NOW.date())
    assert ledger.name.str[1:].str.fullmatch(r"\*+").all()
    assert hh.head_name not in set(ledger.name) or len(hh.head_name) == 1
    # a cadre of another village: no access to the household, and on the township's 红榜 masked, village hidden
    with pytest.raises(NotFound):
        mb.household_view(session, rival.scope, hh.id, NOW.date())
    names = set(session.execute(sa.text("SELECT head_name FROM moral_household WHERE village_id = :v"),
                                {"v": sec.region_id}).scalars())
    board = mb.honor_board(session, rival.scope, NOW.date(), limit=200)
    theirs = board[board.village == mb.OTHER_VILLAGE]
    assert len(theirs) and theirs.name.str[1:].str.fullmatch(r"\*+").all()
    rival_names = set(session.execute(sa.text("SELECT head_name FROM moral_household WHERE village_id = :v"),
                                      {"v": rival.region_id}).scalars())
    assert not (set(theirs.name) & (names - rival_names))
    mine = board[board.village != mb.OTHER_VILLAGE]
    assert set(mine.name) <= rival_names


def test_rankings_within_scope(session, who):
    town = who["town_admin"]
    villages = mb.village_ranking(session, town.scope, NOW.date())
    assert len(villages) > 1 and list(villages["rank"]) == list(range(1, len(villages) + 1))
    assert villages.participation.between(0, 100).all() and (villages.avg_points > 0).all()
    county = Scope(who["county_admin"].region_id, "county")
    towns = mb.township_ranking(session, county, NOW.date())
    assert len(towns) > 1 and towns.region.notna().all()
    assert mb.township_ranking(session, who["village_secretary"].scope, NOW.date()).empty
    mine = mb.village_ranking(session, who["village_secretary"].scope, NOW.date())
    assert list(mine.region_id) == [who["village_secretary"].region_id]
    codes = mb.code_counts(session, town.scope, NOW.date())
    assert codes["green"] > codes["red"] and codes["credit"] > 0


def test_indicator_counted_from_the_ledger_and_moved_by_a_write(session, who):
    sec = who["village_secretary"]
    v = sec.region_id
    window = Window(v, v, (202610,), NOW.date())
    got = compute_values(session.connection(), window, ["ps_moral_points"]).iloc[0]
    taking = session.execute(sa.text(
        "SELECT count(DISTINCT household_id) FROM moral_entry WHERE village_id = :v AND recorded_on <= '2026-10-31' "
        "AND kind IN ('evaluation', 'volunteer')"), {"v": v}).scalar()
    households = session.execute(sa.text("SELECT households FROM region WHERE id = :v"), {"v": v}).scalar()
    assert got.numerator == taking and got.denominator == households
    drill = indicator_records(session, Scope(v, "village"), v, 202610, "ps_moral_points")
    assert drill["num"] == taking and set(drill["rows"]["table"]) == {"moral_household"}
    sql = sa.text("SELECT numerator FROM indicator_value WHERE village_id = :v AND period = 202610 "
                  "AND indicator_code = 'ps_moral_points'")
    stored = session.execute(sql, {"v": v}).scalar()
    assert stored == taking
    hh = MoralHousehold(village_id=v, code="9999999", head_name="王新户", members=3, joined_on=NOW.date())
    session.add(hh)
    session.commit()
    mb.record_evaluation(session, actor=sec, household_id=hh.id, dimension="evaluation", points=5, now=NOW)
    session.commit()
    assert session.execute(sql, {"v": v}).scalar() == taking + 1
    assert session.execute(sa.text("SELECT count(*) FROM scene_event WHERE kind = 'moral_entry'")).scalar() == 1


def test_generator_is_deterministic(tiny_db_path, tmp_path):
    again = tmp_path / "again.db"
    assert seed_main(["--preset", "tiny", "--out", str(again), "--quiet"]) == 0
    sql = ("SELECT count(*), sum(points), sum(length(head_name)), group_concat(code, '') FROM "
           "(SELECT h.code, h.head_name, e.points FROM moral_entry e JOIN moral_household h ON h.id = e.household_id "
           "ORDER BY e.id)")
    with sqlite3.connect(tiny_db_path) as a, sqlite3.connect(again) as b:
        assert a.execute(sql).fetchone() == b.execute(sql).fetchone()
        n = a.execute("SELECT count(*) FROM moral_household").fetchone()[0]
        hh = a.execute("SELECT sum(households) FROM region WHERE level = 'village'").fetchone()[0]
    assert 0.3 * hh < n < 0.8 * hh


def test_each_post_evaluates_at_its_own_level_and_a_read_only_account_writes_nothing(session, who):
    gw, town = who["grid_worker"], who["town_admin"]
    hh = household_of(session, gw.region_id)
    with pytest.raises(SceneRefused):  # above the grid's maximum
        mb.record_evaluation(session, actor=gw, household_id=hh.id, dimension="law", points=MORAL_RULE.level_max["grid"] + 1,
                             now=NOW)
    assert mb.record_evaluation(session, actor=gw, household_id=hh.id, dimension="law", points=2, now=NOW).level == "grid"
    entry = mb.record_evaluation(session, actor=town, household_id=hh.id, dimension="law", points=7, now=NOW)
    assert (entry.level, entry.source) == ("township", "镇级评议")
    session.commit()
    before = counts(session)
    from dataclasses import replace

    from core.errors import DomainError
    with pytest.raises(DomainError):
        mb.record_evaluation(session, actor=replace(who["village_secretary"], read_only=True), household_id=hh.id,
                             dimension="law", points=1, now=NOW)
    session.rollback()
    assert counts(session) == before


def test_a_registered_household_takes_part_from_its_first_evaluation(session, who):
    sec = who["village_secretary"]
    sql = sa.text("SELECT numerator FROM indicator_value WHERE village_id = :v AND period = 202610 "
                  "AND indicator_code = 'ps_moral_points'")
    before = session.execute(sql, {"v": sec.region_id}).scalar()
    with pytest.raises(SceneDenied):
        mb.register_household(session, actor=who["grid_worker"], head_name="王栋", members=3, now=NOW)
    with pytest.raises(SceneRefused):
        mb.register_household(session, actor=sec, head_name=" ", members=3, now=NOW)
    hh = mb.register_household(session, actor=sec, head_name="王栋梁", members=4, now=NOW)
    session.commit()
    assert hh.code.startswith(f"{sec.region_id % 1000:03d}") and hh.village_id == sec.region_id
    assert session.execute(sql, {"v": sec.region_id}).scalar() == before  # registered, not yet taking part
    mb.record_volunteer(session, actor=sec, household_id=hh.id, hours=2, now=NOW)
    session.commit()
    assert session.execute(sql, {"v": sec.region_id}).scalar() == before + 1
    view = mb.household_view(session, sec.scope, hh.id, NOW.date())
    assert view.facts["name"] == "王栋梁" and view.figure.points == 2 and view.figure.moral_code == "yellow"
