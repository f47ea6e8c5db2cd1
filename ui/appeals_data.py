"""Cached reads for 民情与预警 (appeals, warnings, decisions, 民情日记) and the figures the page draws."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session

from core import appeal_warnings, appeals, decisions, diary, early_warning, i18n, regions, warning_feed
from core.scope import Scope
from ui.data import engine
from ui.i18n import lang, month, num, place, place_short, t, term
from ui.theme import Palette, apply


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def cube(scope: Scope, as_of_day: date, version: int) -> pd.DataFrame:
    """Appeal counts per month × category × channel × closing level × on-time × rating (twelve months)."""
    with Session(engine()) as s:
        return appeals.appeal_cube(s, scope, appeal_warnings.month_starts(as_of_day)[0], as_of_day)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def totals(scope: Scope, as_of_day: date, version: int) -> dict:
    """Volume, closed, on-time, satisfaction and mean hours of the twelve months (core.appeals.summary)."""
    return appeals.summary(cube(scope, as_of_day, version))


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def warning_list(scope: Scope, as_of_day: date, version: int) -> pd.DataFrame:
    """All warnings of the scope as a table, newest first."""
    with Session(engine()) as s:
        return early_warning.warnings_frame(warning_feed.all_warnings(s, scope, as_of_day))


def warning_counts(scope: Scope, as_of_day: date, version: int, recent_days: int) -> dict[str, int]:
    """Warnings per kind whose window ends in the last `recent_days` days (for cockpit tiles and tickers)."""
    frame = warning_list(scope, as_of_day, version)
    recent = frame[frame.window_end > as_of_day - timedelta(days=recent_days)]
    out = {k: int((recent.kind == k).sum()) for k in early_warning.WARNING_KINDS}
    out["total"] = len(recent)
    return out


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def decision_list(scope: Scope, as_of_day: date, version: int, limit: int = 200) -> pd.DataFrame:
    """The scope's first `limit` decisions with their compliance status: problems first, then newest."""
    with Session(engine()) as s:
        return decisions.decision_table(s, scope, as_of_day, limit=limit)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def decision_counts(scope: Scope, as_of_day: date, version: int) -> dict[str, int]:
    """How many decisions the scope has and how many are not compliant."""
    with Session(engine()) as s:
        return decisions.decision_summary(s, scope, as_of_day)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def diary_coverage(scope: Scope, as_of_day: date, weeks: int, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cadres' 一周一记 rates, villages' household coverage) over the last `weeks` weeks."""
    with Session(engine()) as s:
        return diary.cadre_coverage(s, scope, as_of_day, weeks), diary.village_coverage(s, scope, as_of_day, weeks)


@st.cache_data(ttl=3600, max_entries=4096, show_spinner=False)
def _region_names(scope: Scope, ids: tuple[int, ...]) -> dict[int, str]:
    with Session(engine()) as s:
        return regions.region_names(s, scope, list(ids))


def region_names(scope: Scope, ids: tuple[int, ...], short: bool = False) -> dict[int, str]:
    """Names of the villages among `ids` in the viewer's scope, by id, as the viewer reads them (`short`: the
    wall's one-line evidence, pinyin alone in English)."""
    show = place_short if short else place
    return {i: show(n) for i, n in _region_names(scope, ids).items()}


def trend_figure(cube_df: pd.DataFrame, by: str, pal: Palette, big: bool) -> go.Figure:
    """Monthly volume stacked by `by` (category or channel)."""
    tally = cube_df.groupby(["ym", by], as_index=False).n.sum()
    fig = go.Figure()
    colours = list(pal.colorway) + [pal.accent, pal.warn, pal.good, pal.bad]
    kind = "appeal_category" if by == "category" else "appeal_channel"
    for i, (key, part) in enumerate(tally.groupby(by, sort=False)):
        fig.add_bar(x=[_ym(v) for v in part.ym], y=part.n, name=term(kind, key), marker_color=colours[i % len(colours)])
    fig.update_layout(barmode="stack", height=300, legend={"orientation": "h", "y": -0.2}, yaxis_title=t("appeals.cases"),
                      title=t("appeals.trend_title"), xaxis={"type": "category"})
    return apply(fig, pal, big)


def _ym(value: object) -> str:
    """A month key from the cube (YYYYMM or 'YYYY-MM') for the axis, in the viewer's language."""
    digits = str(value).replace("-", "")[:6]
    return month(int(digits)) if digits.isdigit() and len(digits) == 6 else str(value)


def evidence(text: str) -> str:
    """A warning's test or note (a catalog key with parameters, or data such as a decision's title) in the viewer's
    language."""
    return i18n.evidence_text(text, lang())


def decision_status(issues: tuple[str, ...]) -> str:
    """合规 or the problems of one decision, in the viewer's language."""
    return t("common.list_sep").join(term("decision_issue", i) for i in issues) or t("decision_issue.ok")


def funnel_figure(total: dict, pal: Palette, big: bool) -> go.Figure:
    """Closing-level funnel 网格 → 村 → 镇 → 县: appeals reaching each level (closed here or above)."""
    counts = [total[f"closed_{lvl}"] for lvl in appeals.LEVELS]
    reached = [sum(counts[i:]) for i in range(len(counts))]
    fig = go.Figure(go.Funnel(y=[t("appeals.funnel_item", level=term("appeal_level", lvl), n=num(c))
                                 for lvl, c in zip(appeals.LEVELS, counts, strict=True)],
                              x=reached, text=[num(r) for r in reached], textinfo="text", textposition="auto",
                              hovertemplate="%{y}: %{text}<extra></extra>",
                              marker={"color": [pal.good, pal.accent, pal.warn, pal.bad]}))
    fig.update_layout(height=300, title=t("appeals.funnel_title"))
    return apply(fig, pal, big)


def rating_figure(total: dict, pal: Palette, big: bool) -> go.Figure:
    """好/中/差评 donut."""
    r = total["ratings"]
    fig = go.Figure(go.Pie(labels=[term("rating", k) for k in r], values=list(r.values()), hole=0.55, sort=False,
                           marker={"colors": [pal.good, pal.warn, pal.bad]}))
    fig.update_layout(height=300, legend={"orientation": "h"}, title=t("appeals.rating_title"))
    return apply(fig, pal, big)
