"""Scoring on a hand-built county: 2 townships, 4 villages, 2 safety indicators, 2 months.

Worked by hand (period 202610, village level; min_count 5):
  sa_dispute_resolved (rate, higher better, w 1.4): V1 9/10=90, V2 8/10=80, V4 4/5=80, V3 2/3 → too few.
      peers 80, 80, 90: 5th percentile 80, 95th 89 (linear) → V1 clipped to 100, V2 60, V4 60, V3 unscored.
  sa_petitions (count per 100 households, lower better, w 1.2): V1 2, V2 2, V4 2, V3 1 (100 households each).
      peers 1, 2, 2, 2: 5th percentile 1.15, 95th 2 → V3 below the low bound: 100; V1, V2, V4 60.
  (功效系数法: 60 + 40 × position between the peers' 5th and 95th percentiles, clipped.)
  safety = (1.4·s1 + 1.2·s2) / (weights of scored indicators): V1 (140 + 72)/2.6 = 81.54, V2 60, V4 60,
      V3 120/1.2 = 100.
  composite = safety (no other module has data; module weights renormalised).
  level ranks: V3 1, V1 2, V2 3, V4 3 (tie shares the rank). In 乡镇 T1: V1 1, V2 2, V4 2.
  202609: V1 8/10, V2 9/10 → T1 ranks V2 1, V1 2, V4 2 → movement V1 +1, V2 −1, V4 0.
Township T1: dispute = (9+8+4)/(10+10+5) = 84.0 (Σnum/Σden, not the mean of rates 83.3).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from sqlmodel import Session, SQLModel

from core import scoring
from core.db import make_engine
from core.indicators import BY_CODE
from core.models import IndicatorDef, IndicatorValue, Region, RollupVillageScore
from core.rollups import rebuild_rollups
from core.scope import Scope

COUNTY, T1, T2 = 330624000000, 330624001000, 330624002000
V1, V2, V4, V3 = 330624001001, 330624001002, 330624001003, 330624002001
DISPUTE, PETITION = "sa_dispute_resolved", "sa_petitions"
MONTHS = {
    202610: {V1: (9, 10), V2: (8, 10), V4: (4, 5), V3: (2, 3)},
    202609: {V1: (8, 10), V2: (9, 10), V4: (4, 5), V3: (2, 3)},
}
PETITIONS = {V1: 2, V2: 2, V4: 2, V3: 1}


def _region(id_, level, parent, hh=0):
    return Region(id=id_, code=str(id_), name=f"R{id_ % 10000}", level=level, kind=level, parent_id=parent,
                  lon=120.9, lat=29.5, households=hh, boundary='{"type":"Polygon","coordinates":[]}')


@pytest.fixture
def hand(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'hand.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(_region(COUNTY, "county", None, 400))
        s.add_all([_region(T1, "township", COUNTY, 300), _region(T2, "township", COUNTY, 100)])
        s.add_all([_region(v, "village", v // 1000 * 1000, 100) for v in (V1, V2, V4, V3)])
        for code in (DISPUTE, PETITION):
            i = BY_CODE[code]
            s.add(IndicatorDef(code=code, module=i.module, name_zh=i.name_zh, name_en=i.name_en, definition_zh="",
                               definition_en="", unit=i.unit, higher_is_better=i.higher_is_better, weight=i.weight,
                               is_rate=i.is_rate, scale=i.scale, per=i.per))
        s.commit()  # parents first: no ORM relationships tell the flush the foreign-key order
        for period, rows in MONTHS.items():
            for v, (num, den) in rows.items():
                s.add(IndicatorValue(village_id=v, period=period, indicator_code=DISPUTE, value=num / den * 100,
                                     numerator=num, denominator=den))
                s.add(IndicatorValue(village_id=v, period=period, indicator_code=PETITION, value=PETITIONS[v]))
        s.commit()
        rebuild_rollups(s)  # parents' sums are read from the rollup, as after the generator's load
        s.commit()
    with Session(engine) as s:
        yield s
    engine.dispose()


SCOPE = Scope(COUNTY, "county")


def _by_id(df):
    return {int(r.region_id): r for r in df.itertuples()}


def test_village_scores_worked_by_hand(hand):
    t1 = _by_id(scoring.region_scores(hand, SCOPE, T1, 202610))
    assert t1[V1].safety == pytest.approx((1.4 * 100 + 1.2 * 60) / 2.6)
    assert t1[V2].safety == pytest.approx(60.0) and t1[V4].safety == pytest.approx(60.0)
    assert t1[V1].composite == pytest.approx(t1[V1].safety)  # only module with data: weights renormalised
    assert math.isnan(t1[V1].economy)
    assert (t1[V1].rank_in_parent, t1[V2].rank_in_parent, t1[V4].rank_in_parent) == (1, 2, 2)  # tie shares
    assert (t1[V1].rank_in_level, t1[V2].rank_in_level, t1[V4].rank_in_level) == (2, 3, 3)
    assert (t1[V1].movement, t1[V2].movement, t1[V4].movement) == (1, -1, 0)
    t2 = _by_id(scoring.region_scores(hand, SCOPE, T2, 202610))
    assert t2[V3].safety == pytest.approx(100.0) and t2[V3].rank_in_level == 1
    assert t2[V3].too_few_count == 1


def test_lower_is_better_and_too_few_in_explain(hand):
    why = scoring.explain(hand, SCOPE, V3, 202610, "safety").set_index("indicator_code")
    assert bool(why.at[DISPUTE, "too_few"]) and math.isnan(why.at[DISPUTE, "score"])
    assert why.at[DISPUTE, "weight_share"] == 0
    assert why.at[PETITION, "value"] == pytest.approx(1.0)  # 1 petition per 100 households
    assert why.at[PETITION, "score"] == pytest.approx(100.0)  # fewest petitions is best
    assert why.at[PETITION, "method"] == "peer"
    assert (why.at[PETITION, "bound_low"], why.at[PETITION, "bound_high"]) == pytest.approx((1.15, 2.0))
    v1 = scoring.explain(hand, SCOPE, V1, 202610, "safety").set_index("indicator_code")
    assert (v1.at[DISPUTE, "peer_min"], v1.at[DISPUTE, "peer_median"], v1.at[DISPUTE, "peer_max"]) == (80, 80, 90)
    assert v1["contribution"].sum() == pytest.approx((1.4 * 100 + 1.2 * 60) / 2.6)
    comp = scoring.explain(hand, SCOPE, V1, 202610)
    assert comp["contribution"].sum() == pytest.approx((1.4 * 100 + 1.2 * 60) / 2.6)


def test_parent_rate_is_sum_of_numerators_over_denominators(hand):
    table = scoring.indicator_table(hand, SCOPE, "township", 202610)
    row = table[(table.region_id == T1) & (table.indicator_code == DISPUTE)].iloc[0]
    assert (row.numerator, row.denominator) == (21, 25)
    assert row.value == pytest.approx(84.0)  # not the mean of 90, 80, 80
    pet = table[(table.region_id == T1) & (table.indicator_code == PETITION)].iloc[0]
    assert pet.value == pytest.approx(6 / 300 * 100)
    t2 = table[(table.region_id == T2) & (table.indicator_code == DISPUTE)].iloc[0]
    assert bool(t2.too_few)
    towns = _by_id(scoring.region_scores(hand, SCOPE, COUNTY, 202610))
    assert towns[T2].rank_in_parent == 1 and towns[T1].rank_in_parent == 2
    assert towns[T1].safety == pytest.approx((1.4 * 100 + 1.2 * 60) / 2.6)  # T1 alone is scored on disputes → 100


def test_scope_limits_rows_but_not_peers(hand):
    narrow = Scope(T1, "township")
    t1 = _by_id(scoring.region_scores(hand, narrow, T1, 202610))
    assert set(t1) == {V1, V2, V4}
    assert t1[V1].rank_in_level == 2  # still ranked among all villages of the dataset
    assert scoring.indicator_table(hand, narrow, "village", 202610).region_id.isin([V3]).sum() == 0


def test_previous_period_wraps_the_year():
    assert scoring.previous_period(202601) == 202512
    assert scoring.previous_period(202610) == 202609


def test_village_reads_use_stored_scores_equal_to_computed_ones(hand):
    assert hand.query(RollupVillageScore).count() == 12  # (4 villages + 2 townships) × 2 months, stored by the rebuild
    stored = scoring.region_scores(hand, SCOPE, T1, 202610)
    computed = scoring.region_scores(hand, SCOPE, T1, 202610, source=scoring.village_sums)  # no stored rows read
    cols = [c for c in computed.columns if c in stored.columns]
    pd.testing.assert_frame_equal(stored[cols], computed[cols], check_dtype=False)
    assert scoring.region_rank(hand, SCOPE, V4, 202610) == scoring.region_rank(hand, SCOPE, V4, 202610,
                                                                               source=scoring.village_sums)


def test_township_reads_use_stored_scores_equal_to_computed_ones(hand):
    """Every level below the root is stored: a county's townships, their history and explain read stored rows."""
    stored = scoring.region_scores(hand, SCOPE, COUNTY, 202610)
    computed = scoring.region_scores(hand, SCOPE, COUNTY, 202610, source=scoring.village_sums)
    cols = [c for c in computed.columns if c in stored.columns]
    pd.testing.assert_frame_equal(stored[cols], computed[cols], check_dtype=False)
    pd.testing.assert_frame_equal(scoring.score_history(hand, SCOPE, COUNTY, [202609, 202610]),
                                  scoring.score_history(hand, SCOPE, COUNTY, [202609, 202610], source=scoring.village_sums),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(scoring.explain(hand, SCOPE, T1, 202610),
                                  scoring.explain(hand, SCOPE, T1, 202610, source=scoring.village_sums), check_dtype=False)
    assert scoring.region_rank(hand, SCOPE, COUNTY, 202610)["composite"] is not None  # the root: computed


def _detail(values: dict[str, float], code: str = DISPUTE) -> pd.DataFrame:
    i = BY_CODE[code]
    return pd.DataFrame({"region_id": range(len(values)), "indicator_code": code, "value": list(values.values()),
                         "too_few": False, "higher_is_better": i.higher_is_better})


def test_one_extreme_outlier_does_not_squeeze_the_other_peers():
    """功效系数法: 20 villages between 60 % and 79 % and one at 100 %: under min–max the 20 would crowd into
    0–79 with the worst at 0; here they spread over 60–100 (the outlier is clipped at the 95th percentile)."""
    normal = {f"v{k}": 60.0 + k for k in range(20)}
    df = scoring._normalise(_detail({**normal, "outlier": 100.0}))
    s = df["score"].to_numpy()
    assert s[:20].min() == pytest.approx(60.0) and s[:20].max() == pytest.approx(100.0)
    assert (s[:20] >= 60).all() and (s[:20] <= 100).all()
    assert s[:20].mean() == pytest.approx(80.0, abs=1.0)  # spread evenly, not collapsed toward 60
    assert s[20] == pytest.approx(100.0)
    low = scoring._normalise(_detail({**normal, "outlier": -500.0}))["score"].to_numpy()  # a far-low outlier
    assert low[20] == pytest.approx(60.0) and (low[:20] >= 60).all() and low[:20].mean() > 75


def test_indicator_with_a_target_is_scored_against_it():
    """pb_three_meetings: 目标值 100 scores 100, 及格值 75 scores 60, whatever the peers do; far below: floor 40."""
    code = "pb_three_meetings"
    df = scoring._normalise(_detail({"a": 100.0, "b": 75.0, "c": 87.5, "d": 0.0}, code))
    assert df["score"].tolist() == pytest.approx([100.0, 60.0, 80.0, 40.0])
    assert set(df["method"]) == {"target"} and (df["bound_low"] == 75).all() and (df["bound_high"] == 100).all()
    assert scoring.scoring_method(code) == "target" and scoring.scoring_method(DISPUTE) == "peer"
