"""领雁指数 and cadre score on a hand-built county: every number is computed by hand here."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pytest
from sqlmodel import Session

from core.config import DEFAULT_SCORING_RULE
from core.db import create_schema, make_engine
from core.errors import DomainError
from core.leader_index import DIMENSIONS, explain_leader_index, leader_table, ranked_secretaries, team_table
from core.leader_records import person_records, records_frame
from core.models import (
    Appeal,
    Decision,
    DecisionStep,
    DiaryVisit,
    Evaluation,
    Grid,
    IndicatorDef,
    IndicatorValue,
    MatterType,
    Person,
    Post,
    Region,
    ScoringRule,
    Task,
)
from core.rollups import rebuild_rollups
from core.rules import load_rulebook, rule_diff
from core.scope import Scope, ScopeError

COUNTY, TOWN_A, TOWN_B = 330624000000, 330624001000, 330624002000
VA, VB = 330624001001, 330624002001
PERIOD = 202610
SQUARE = json.dumps({"type": "Polygon", "coordinates": [[[120, 29], [120.01, 29], [120.01, 29.01], [120, 29]]]})


def _region(rid: int, level: str, parent: int | None) -> Region:
    return Region(id=rid, code=str(rid), name=f"R{rid % 100000}", level=level, kind=level, parent_id=parent,
                  lon=120.0, lat=29.0, households=100, population=300, boundary=SQUARE)


def _person(s: Session, name: str, region: int, role: str) -> int:
    p = Person(name=name, gender="女", birth_year=1980, phone="1")
    s.add(p)
    s.flush()
    s.add(Post(person_id=p.id, region_id=region, role=role, title=role, since=date(2020, 1, 1)))
    return int(p.id)


def _task(s: Session, n: int, village: int, owner: int, deadline: date, done: datetime | None, *, status: str = "scored",
          difficulty: float = 1.0, quality: float | None = None) -> None:
    s.add(Task(code=f"T{n}", title=f"任务{n}", category="township", module="economy", matter_type_id=1,
               difficulty=difficulty, dispatcher_id=owner, dispatcher_region_id=village // 1000 * 1000, village_id=village,
               owner_id=owner, status=status, dispatched_at=datetime(2026, 7, 1), deadline=deadline, done_at=done,
               quality_score=quality))


def _appeal(s: Session, village: int, day: int, closed_late: bool, rating: str) -> None:
    s.add(Appeal(village_id=village, grid_id=village * 1000 + 1, category="环境卫生", channel="网格员", lon=120, lat=29,
                 reported_at=datetime(2026, 9, day), due_at=datetime(2026, 9, day + 3),
                 closed_at=datetime(2026, 9, day + (5 if closed_late else 1)), status="closed", level="village",
                 closing_level="village", rating=rating))


def _decision(s: Session, village: int, order: list[int]) -> None:
    d = Decision(village_id=village, title="议事", opened_on=date(2026, 6, 1), closed_on=date(2026, 7, 20), limit_days=90)
    s.add(d)
    s.flush()
    for seq, step in enumerate(order, start=1):
        s.add(DecisionStep(decision_id=d.id, step=step, seq=seq, done_on=date(2026, 6, seq)))


def _build(s: Session) -> dict[str, int]:
    s.add(_region(COUNTY, "county", None))
    for t in (TOWN_A, TOWN_B):
        s.add(_region(t, "township", COUNTY))
    for v, t in ((VA, TOWN_A), (VB, TOWN_B)):
        s.add(_region(v, "village", t))
    s.flush()
    for v in (VA, VB):
        s.add(Grid(id=v * 1000 + 1, code=str(v * 1000 + 1), village_id=v, name="1网格", lon=120, lat=29, households=100,
                   population=300, boundary=SQUARE))
    s.add(MatterType(id=1, code="M1", name="事项", level="township", module="economy"))
    ids = {"sa": _person(s, "甲书记", VA, "village_secretary"), "ca": _person(s, "甲委员", VA, "village_committee"),
           "sb": _person(s, "乙书记", VB, "village_secretary")}
    a, b = ids["sa"], ids["sb"]
    # Team tasks of A due Aug–Oct: 3 on time, 1 late (75 %); a rejected one and one due in July do not count.
    _task(s, 1, VA, a, date(2026, 8, 10), datetime(2026, 8, 9, 10), difficulty=2, quality=90)
    _task(s, 2, VA, a, date(2026, 9, 10), datetime(2026, 9, 10, 23), difficulty=4, quality=60)
    _task(s, 3, VA, ids["ca"], date(2026, 10, 10), datetime(2026, 10, 1))
    _task(s, 4, VA, ids["ca"], date(2026, 10, 12), datetime(2026, 10, 20))
    _task(s, 5, VA, a, date(2026, 9, 1), None, status="rejected")
    _task(s, 6, VA, a, date(2026, 7, 1), datetime(2026, 7, 30))
    _task(s, 7, VB, b, date(2026, 9, 1), datetime(2026, 8, 30), difficulty=1, quality=100)
    for src, pts in (("镇领导", 80), ("驻村干部", 70), ("村民代表", 90)):
        s.add(Evaluation(person_id=a, village_id=VA, period=202609, kind="democratic", points=pts, source=src, note=""))
        s.add(Evaluation(person_id=b, village_id=VB, period=202609, kind="democratic", points=80, source=src, note=""))
    s.add(Evaluation(person_id=a, village_id=VA, period=202610, kind="honor", points=3, source="镇党委", note=""))
    s.add(Evaluation(person_id=a, village_id=VA, period=202608, kind="warning", points=-2, source="镇纪委", note=""))
    for day, late, rating in ((1, False, "good"), (5, False, "good"), (9, False, "mid"), (13, True, "bad")):
        _appeal(s, VA, day, late, rating)
    _appeal(s, VB, 2, False, "good")
    _decision(s, VA, [1, 2, 3, 4, 5, 6, 7])
    _decision(s, VA, [1, 2, 4, 3, 5, 6, 7])  # reordered: not 规范
    for k in range(6):
        s.add(DiaryVisit(person_id=a, village_id=VA, grid_id=VA * 1000 + 1, household_no=k, visited_on=date(2026, 9, k + 1),
                         topic="走访"))
    for code, module in (("ec_a", "economy"), ("ec_b", "economy"), ("sa_violations", "safety")):
        s.add(IndicatorDef(code=code, module=module, name_zh=code, name_en=code, definition_zh="", definition_en="", unit=""))
    s.flush()
    for v, ea, eb in ((VA, 10.0, 5.0), (VB, 20.0, 1.0)):
        s.add(IndicatorValue(village_id=v, period=PERIOD, indicator_code="ec_a", value=ea))
        s.add(IndicatorValue(village_id=v, period=PERIOD, indicator_code="ec_b", value=eb))
    s.add(IndicatorValue(village_id=VA, period=202609, indicator_code="sa_violations", value=1.0))
    s.add(ScoringRule(township_id=None, version="default-v1", effective_from=date(2025, 11, 1),
                      params=json.dumps(DEFAULT_SCORING_RULE), note="默认"))
    s.commit()
    rebuild_rollups(s)  # the index reads the rollups, as after the generator's load
    s.commit()
    return ids


@pytest.fixture
def hand(tmp_path):
    """(engine, person ids) of the hand-built county."""
    eng = make_engine(f"sqlite:///{tmp_path / 'hand.db'}")
    create_schema(eng)
    with Session(eng) as s:
        ids = _build(s)
    yield eng, ids
    eng.dispose()


EXPECTED = {  # worked by hand from the rows above
    "leadership": 0.5 * 75 + 0.5 * 80,  # 3/4 team tasks on time; 镇领导 80
    "governance": 0.6 * 75 + 0.4 * 50,  # 3/4 appeals on time; 1/2 decisions 规范
    "development": 0.5 * 0 + 0.5 * 100,  # ec_a 10 is the county min, ec_b 5 the max
    "service": round(0.5 * 600 / (92 / 7), 2) + 0.5 * 62.5,  # 6 visits / 13.14 weeks; (2 good + ½ mid) / 4
    "integrity": 100 - 2 * 5 - 1 * 5,  # warning −2 × 5, one violation × 5
    "reputation": 0.6 * 90 + 0.4 * 50,  # 村民代表 90; 2/4 好评
}


def test_hand_built_village_index_matches_hand_computation(hand):
    eng, ids = hand
    with Session(eng) as s:
        ex = explain_leader_index(s, Scope(COUNTY, "county"), ids["sa"], PERIOD)
    got = {d.key: d.score for d in ex.dimensions}
    for key, want in EXPECTED.items():
        assert got[key] == pytest.approx(want, abs=1e-9), key
    w = DEFAULT_SCORING_RULE["leader_index"]
    assert ex.index == pytest.approx(sum(round(w[k] * EXPECTED[k], 2) for k in DIMENSIONS), abs=1e-9)
    assert ex.cadre_score == pytest.approx(0.6 * (180 + 240) / 6 + 0.4 * 80 + 3 - 2, abs=1e-9)
    assert ex.rule_version == "default-v1" and ex.rule_diff == ()


def test_contributions_add_up_exactly_to_each_dimension_and_the_index(hand):
    eng, ids = hand
    with Session(eng) as s:
        ex = explain_leader_index(s, Scope(COUNTY, "county"), ids["sa"], PERIOD)
    for d in ex.dimensions:
        assert math.fsum(c.points for c in d.contributions) == d.score, d.key
    assert math.fsum(c.points for c in ex.index_contributions) == ex.index
    assert math.fsum(c.points for c in ex.cadre_contributions) == ex.cadre_score


def test_records_behind_contributions_match_their_counts(hand):
    eng, ids = hand
    scope = Scope(COUNTY, "county")
    with Session(eng) as s:
        ex = explain_leader_index(s, scope, ids["sa"], PERIOD)
        parts = {c.code: c for d in ex.dimensions for c in d.contributions}
        assert len(parts["team_tasks_on_time"].records) == 4
        tasks = records_frame(s, scope, "task", parts["team_tasks_on_time"].records)
        assert int(tasks["on_schedule"].sum()) == 3
        assert len(parts["appeals_on_time"].records) == 4 and len(parts["five_two_compliance"].records) == 2
        assert int(records_frame(s, scope, "decision", parts["five_two_compliance"].records)["compliant"].sum()) == 1
        assert len(parts["diary_coverage"].records) == 6 and len(parts["warnings"].records) == 1



def test_records_on_demand_are_the_same_ids_for_the_codes_asked(hand):
    """The drill-down explains without records and asks only for the contributions it shows."""
    eng, ids = hand
    scope = Scope(COUNTY, "county")
    with Session(eng) as s:
        full = explain_leader_index(s, scope, ids["sa"], PERIOD)
        bare = explain_leader_index(s, scope, ids["sa"], PERIOD, record_codes=())
        every = {c.code: c for d in full.dimensions for c in d.contributions}
        assert all(not c.records and not c.record_kind for d in bare.dimensions for c in d.contributions)
        assert bare.index == full.index
        asked = ("appeals_on_time", "diary_coverage", "warnings")
        got = person_records(s, scope, ids["sa"], PERIOD, asked)
        assert set(got) == set(asked)
        for code in asked:
            assert got[code] == (every[code].record_kind, every[code].records)
        with pytest.raises(DomainError):  # a person outside the viewer's scope is refused, not read
            person_records(s, Scope(VB, "village"), ids["sa"], PERIOD, asked)

def test_township_rule_version_changes_only_that_townships_people(hand):
    eng, ids = hand
    scope = Scope(COUNTY, "county")
    with Session(eng) as s:
        before = leader_table(s, scope, PERIOD).set_index("person_id")
        params = json.loads(json.dumps(DEFAULT_SCORING_RULE))
        params["version"] = f"{TOWN_A}-v2"
        params["leader_index"] = {**params["leader_index"], "development": 0.4, "service": 0.0, "integrity": 0.05,
                                  "reputation": 0.15}
        s.add(ScoringRule(township_id=TOWN_A, version=f"{TOWN_A}-v2", effective_from=date(2026, 1, 1),
                          params=json.dumps(params)))
        s.commit()
        after = leader_table(s, scope, PERIOD).set_index("person_id")
        diff = rule_diff(load_rulebook(s).for_township(TOWN_A, PERIOD), load_rulebook(s).default(PERIOD))
    assert after.loc[ids["sa"], "rule_version"] == f"{TOWN_A}-v2"
    assert after.loc[ids["sa"], "index"] != before.loc[ids["sa"], "index"]
    assert after.loc[ids["sb"], "rule_version"] == "default-v1"
    assert after.loc[ids["sb"], "index"] == before.loc[ids["sb"], "index"]
    assert {d["key"] for d in diff} == {"development", "service", "integrity"}


def test_rule_not_yet_effective_is_not_used(hand):
    eng, _ = hand
    with Session(eng) as s:
        s.add(ScoringRule(township_id=TOWN_A, version="future", effective_from=date(2026, 11, 1), params="{}"))
        s.commit()
        assert load_rulebook(s).for_township(TOWN_A, PERIOD).version == "default-v1"
        assert load_rulebook(s).for_township(TOWN_A, 202611).version == "future"


def test_village_scope_never_sees_another_village(hand):
    eng, ids = hand
    mine = Scope(VA, "village")
    with Session(eng) as s:
        table = leader_table(s, mine, PERIOD, ("village_secretary", "village_committee"))
        assert set(table["village_id"]) == {VA}
        assert set(ranked_secretaries(s, mine, PERIOD)["village_id"]) == {VA}
        with pytest.raises(Exception, match="权限"):
            explain_leader_index(s, mine, ids["sb"], PERIOD)
        with pytest.raises(ScopeError):
            team_table(s, mine, VB, PERIOD)
        other = explain_leader_index(s, Scope(COUNTY, "county"), ids["sb"], PERIOD)
        assert records_frame(s, mine, "appeal", other.dimensions[1].contributions[0].records).empty


def test_ranked_list_has_movement_and_team_puts_secretary_first(hand):
    eng, ids = hand
    with Session(eng) as s:
        ranked = ranked_secretaries(s, Scope(COUNTY, "county"), PERIOD)
        team = team_table(s, Scope(COUNTY, "county"), VA, PERIOD)
    assert list(ranked["rank"]) == [1, 2] and "movement" in ranked
    assert list(team["person_id"])[0] == ids["sa"] and len(team) == 2


def test_trend_covers_twelve_months_and_ends_at_the_period(hand):
    eng, ids = hand
    with Session(eng) as s:
        ex = explain_leader_index(s, Scope(COUNTY, "county"), ids["sa"], PERIOD)
    assert len(ex.trend) == 12 and int(ex.trend["period"].iloc[-1]) == PERIOD
    assert float(ex.trend["index"].iloc[-1]) == ex.index
