"""Figures the big-screen walls (大屏) show beside the desk pages' lists: pure reshaping of core reads.

Each function takes a frame a scoped core read already returned (`core.task_alerts.alerts`,
`core.leader_index.ranked_secretaries`) and groups it by the child regions of the region in view,
so the wall shows the same records as the desk, only summed up. Region ids are 12-digit codes: a
child's id is the record's village id cut to the child level (`village_id // span * span`).
"""

from __future__ import annotations

import pandas as pd

from core.enums import child_level
from core.scope import region_span

OVERDUE_LEVELS = ("overdue", "town", "county")
BY_CHILD_COLUMNS = ["child_id", "overdue", "town", "county", "total", "urged", "urges"]
DIST_COLUMNS = ["child_id", "n", "mean", "q25", "median", "q75", "low", "high"]


def child_ids(village_ids: pd.Series, level: str) -> pd.Series:
    """The id of the child region (one level below `level`) each village id lies in; villages map to themselves."""
    sub = child_level(level)
    if sub is None or sub == "grid":
        return village_ids.astype("int64")
    span = region_span(str(sub))
    return (village_ids.astype("int64") // span) * span


def overdue_by_child(alerts: pd.DataFrame, level: str) -> pd.DataFrame:
    """Overdue open tasks per child region of a `level` region: counts per alert level (逾期, 升级至镇,
    升级至县), total, how many were urged and how many 催办 they had; most overdue total first."""
    df = alerts[alerts["level"].isin(OVERDUE_LEVELS)] if not alerts.empty else alerts
    if df.empty:
        return pd.DataFrame(columns=BY_CHILD_COLUMNS)
    frame = pd.DataFrame({"child_id": child_ids(df["village_id"], level), "level": df["level"].astype(str),
                          "urges": df["urge_count"].astype("int64")})
    counts = pd.crosstab(frame["child_id"], frame["level"]).reindex(columns=list(OVERDUE_LEVELS), fill_value=0)
    out = counts.assign(total=counts.sum(axis=1),
                        urged=frame.assign(u=frame["urges"] > 0).groupby("child_id")["u"].sum(),
                        urges=frame.groupby("child_id")["urges"].sum()).reset_index()
    out = out.astype({c: "int64" for c in BY_CHILD_COLUMNS})
    return out.sort_values(["total", "child_id"], ascending=[False, True]).reset_index(drop=True)[BY_CHILD_COLUMNS]


def urge_summary(alerts: pd.DataFrame) -> dict[str, int]:
    """催办 over the overdue open tasks: tasks, tasks urged at least once, never urged, urged 3+ times, urges."""
    df = alerts[alerts["level"].isin(OVERDUE_LEVELS)] if not alerts.empty else alerts
    urges = df["urge_count"].astype("int64") if not df.empty else pd.Series(dtype="int64")
    return {"tasks": int(len(urges)), "urged": int((urges > 0).sum()), "never": int((urges == 0).sum()),
            "repeated": int((urges >= 3).sum()), "urges": int(urges.sum())}


def index_distribution(ranked: pd.DataFrame, level: str) -> pd.DataFrame:
    """领雁指数 of the secretaries per child region of a `level` region: count, mean, quartiles, lowest and
    highest; best mean first."""
    df = ranked.dropna(subset=["index"]) if not ranked.empty else ranked
    if df.empty:
        return pd.DataFrame(columns=DIST_COLUMNS)
    frame = pd.DataFrame({"child_id": child_ids(df["village_id"], level), "index": df["index"].astype(float)})
    g = frame.groupby("child_id")["index"]
    out = pd.DataFrame({"n": g.size(), "mean": g.mean(), "q25": g.quantile(0.25), "median": g.median(),
                        "q75": g.quantile(0.75), "low": g.min(), "high": g.max()}).reset_index()
    out["child_id"] = out["child_id"].astype("int64")
    return out.sort_values(["mean", "child_id"], ascending=[False, True]).reset_index(drop=True)[DIST_COLUMNS]
