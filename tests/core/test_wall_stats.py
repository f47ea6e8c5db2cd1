"""core.wall_stats: the walls' sums by child region are the desk's rows regrouped (nothing lost, nothing added)."""

from __future__ import annotations

import pandas as pd

from core.wall_stats import child_ids, index_distribution, overdue_by_child, urge_summary

T1, T2 = 330624001000, 330624002000  # two townships of one county


def _alerts() -> pd.DataFrame:
    return pd.DataFrame({"village_id": [T1 + 1, T1 + 2, T1 + 2, T2 + 7, T2 + 8],
                         "level": ["overdue", "town", "county", "county", "near_due"],
                         "urge_count": [0, 2, 4, 1, 0]})


def test_child_ids_cut_village_codes_to_the_level_below():
    assert child_ids(pd.Series([T1 + 1, T2 + 9]), "county").tolist() == [T1, T2]
    assert child_ids(pd.Series([T1 + 1]), "township").tolist() == [T1 + 1]  # a township's children are its villages


def test_overdue_by_child_counts_each_level_and_urges_most_first():
    by = overdue_by_child(_alerts(), "county")
    assert by.to_dict("records") == [
        {"child_id": T1, "overdue": 1, "town": 1, "county": 1, "total": 3, "urged": 2, "urges": 6},
        {"child_id": T2, "overdue": 0, "town": 0, "county": 1, "total": 1, "urged": 1, "urges": 1}]
    assert by["total"].sum() == 4  # the near_due row is not overdue
    assert overdue_by_child(_alerts().iloc[0:0], "county").empty


def test_urge_summary_over_the_overdue_tasks():
    assert urge_summary(_alerts()) == {"tasks": 4, "urged": 3, "never": 1, "repeated": 1, "urges": 7}


def test_index_distribution_quartiles_per_child_best_mean_first():
    ranked = pd.DataFrame({"village_id": [T1 + 1, T1 + 2, T1 + 3, T2 + 1, T2 + 2],
                           "index": [80.0, 90.0, 100.0, 95.0, None]})
    dist = index_distribution(ranked, "county")
    assert dist["child_id"].tolist() == [T2, T1]
    first = dist.iloc[1]
    assert (first["n"], first["mean"], first["median"], first["low"], first["high"]) == (3, 90.0, 90.0, 80.0, 100.0)
    assert dist.iloc[0]["n"] == 1  # the secretary without an index is left out
