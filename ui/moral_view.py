"""道德银行 on screen: the 道德码 counts, the village ledger, the rankings of villages and townships, the 红榜, one
household's detail with the rule version and how its figure was reached, and the desk's actions (evaluation,
volunteer hours, deduction) — every write through ui.desk_data.act."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import moral_bank as mb
from core.actors import Actor
from core.config import MORAL_DIMENSIONS, MORAL_RULE
from core.enums import RegionLevel
from core.scope import Scope
from ui import data
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.data import engine
from ui.i18n import day, headers, num, place, t, term, values
from ui.text import md

LEDGER_HEADERS = {"code": "moral.col.code", "name": "moral.col.name", "members": "moral.col.members",
                  "points": "moral.col.points", **{d: f"moral.dim.{d}" for d in MORAL_DIMENSIONS},
                  "moral_code": "moral.col.moral_code", "credit": "moral.col.credit", "last_on": "moral.col.last_on"}
RANKING_HEADERS = {"rank": "moral.col.rank", "region": "moral.col.region", "households": "moral.col.households",
                   "taking_part": "moral.col.taking_part", "participation": "moral.col.participation",
                   "avg_points": "moral.col.avg_points"}
ENTRY_HEADERS = {"recorded_on": "moral.col.recorded_on", "kind": "moral.col.kind", "dimension": "moral.col.dimension",
                 "level": "moral.col.level", "points": "moral.col.points", "hours": "moral.col.hours",
                 "source": "moral.col.source", "source_ref": "moral.col.source_ref", "recorder": "col.operator",
                 "note": "moral.col.note"}


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def ledger(scope: Scope, village_id: int, as_of: date, version: int) -> pd.DataFrame:
    """The village's ledger as the scope may see it."""
    with Session(engine()) as s:
        return mb.village_ledger(s, scope, village_id, as_of)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def household(scope: Scope, household_id: int, as_of: date, version: int) -> mb.HouseholdView:
    """One household as the scope may see it."""
    with Session(engine()) as s:
        return mb.household_view(s, scope, household_id, as_of)


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def rankings(scope: Scope, as_of: date, version: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """(villages, townships, 道德码 counts) of the scope."""
    with Session(engine()) as s:
        return (mb.village_ranking(s, scope, as_of), mb.township_ranking(s, scope, as_of),
                mb.code_counts(s, scope, as_of))


@st.cache_data(ttl=300, max_entries=32, show_spinner=False)
def honor(scope: Scope, as_of: date, version: int) -> pd.DataFrame:
    """The 红榜 the scope sees."""
    with Session(engine()) as s:
        return mb.honor_board(s, scope, as_of)


def code_metrics(codes: dict[str, float]) -> None:
    """Households in the ledger, green / yellow / red, and the credit lines summed."""
    c = st.columns(5)
    c[0].metric(t("moral.m.households"), num(int(sum(codes[k] for k in mb.CODES))))
    for col, k in zip(c[1:4], mb.CODES, strict=True):
        col.metric(term("moral_code", k), num(int(codes[k])))
    c[4].metric(t("moral.m.credit"), num(codes["credit"] / 10_000, 1))


def ranking_table(df: pd.DataFrame) -> pd.DataFrame:
    """A ranking for display."""
    out = df[list(RANKING_HEADERS)].copy()
    out["region"] = out["region"].map(place)
    return headers(out, RANKING_HEADERS)


def ledger_table(df: pd.DataFrame) -> pd.DataFrame:
    """A ledger for display."""
    out = df[[c for c in LEDGER_HEADERS if c in df.columns]].copy()
    out["moral_code"] = values(out["moral_code"], "moral_code")
    out["last_on"] = [day(x) for x in out["last_on"]]
    return headers(out, LEDGER_HEADERS)


def pick_household(df: pd.DataFrame, key: str) -> int | None:
    """The ledger with one-click opening; returns the opened household id."""
    return dl.pick(df, "household_id", ledger_table(df) if not df.empty else df,
                   lambda r: f"{r['code']} · {r['name']}", key)


def _step_text(key: str, params: dict) -> str:
    shown = {k: (term("moral_code", v) if k == "code" else num(v, 1 if isinstance(v, float) and v % 1 else 0)
                 if isinstance(v, int | float) else v) for k, v in params.items()}
    return t(key, **shown)


def show_household(v: mb.HouseholdView) -> None:
    """Facts, the 五维图 points, the 道德码 and credit line with the rule version and the steps, the ledger lines."""
    f, fig = v.facts, v.figure
    st.markdown(f"**{t('moral.facts', code=md(f['code']), name=md(f['name']), village=md(place(f['village'])), members=num(f['members']), joined=day(f['joined_on']))}**")
    c = st.columns(len(MORAL_DIMENSIONS) + 1)
    c[0].metric(t("moral.col.points"), num(fig.points, 1))
    for col, d in zip(c[1:], MORAL_DIMENSIONS, strict=True):
        col.metric(t(f"moral.dim.{d}"), num(v.dimensions[d], 1))
    line = t("moral.how", code_name=term("moral_code", fig.moral_code), credit=num(fig.credit), version=md(fig.version))
    {"green": st.success, "yellow": st.warning, "red": st.error}[fig.moral_code](line)
    with st.expander(t("moral.how_heading"), expanded=True):
        st.markdown("\n".join(f"{i}. {_step_text(k, p)}" for i, (k, p) in enumerate(fig.steps, start=1)))
    if not v.entries.empty:
        e = v.entries.assign(kind=values(v.entries.kind, "moral_kind"), level=values(v.entries.level, "moral_level"),
                             dimension=[t(f"moral.dim.{d}") for d in v.entries.dimension],
                             recorded_on=[day(x) for x in v.entries.recorded_on]).drop(columns=["entry_id"])
        st.dataframe(headers(e, ENTRY_HEADERS), hide_index=True, width="stretch")


def _villages(scope: Scope, region_id: int, level: str) -> dict[int, str]:
    """The villages whose ledger the viewer may open from the region in view."""
    if level == RegionLevel.VILLAGE:
        return {int(region_id): ""}
    if level == RegionLevel.TOWNSHIP:
        return {int(r.id): place(r.name) for r in data.children(scope, region_id)}
    return {}


def scene(scope: Scope, region_id: int, region_name: str, level: str, as_of: date, version: int) -> None:
    """The scenes page's 道德银行 tab for the region in view."""
    st.subheader(t("moral.heading"))
    st.caption(t("moral.caption", region=md(place(region_name)), day=day(as_of), version=md(MORAL_RULE.version)))
    st.caption(t("moral.privacy"))
    villages, towns, codes = rankings(scope, as_of, version)
    code_metrics(codes)
    if not towns.empty and len(towns) > 1:
        st.markdown(f"#### {t('moral.ranking_towns')}")
        st.dataframe(ranking_table(towns), hide_index=True, width="stretch")
    if len(villages) > 1:
        st.markdown(f"#### {t('moral.ranking_villages')}")
        st.dataframe(ranking_table(villages), hide_index=True, width="stretch")
    board = honor(scope, as_of, version)
    if not board.empty:
        st.markdown(f"#### {t('moral.honor')}")
        shown = board.assign(village=[t("moral.other_village") if x == mb.OTHER_VILLAGE else place(x) for x in board.village])
        st.dataframe(headers(shown, {"village": "moral.col.village", "name": "moral.col.name", "points": "moral.col.points"}),
                     hide_index=True, width="stretch")
    choices = _villages(scope, region_id, level)
    if not choices:
        return
    st.markdown(f"#### {t('moral.ledger')}")
    vid = next(iter(choices))
    if len(choices) > 1:
        vid = st.selectbox(t("moral.ledger_pick"), list(choices), format_func=choices.get, key="moral-village")
    df = ledger(scope, int(vid), as_of, version)
    if df.empty:
        st.info(t("moral.ledger_empty"))
        return
    hid = pick_household(df, "scenes-moral")
    if hid is not None:
        st.markdown(f"#### {t('moral.household')}")
        show_household(household(scope, hid, as_of, version))


def _household_options(actor: Actor, village_id: int, as_of: date) -> dict[int, str]:
    df = ledger(actor.scope, village_id, as_of, dd.data_version())
    return {int(h): f"{c} · {n}" for h, c, n in zip(df.household_id, df.code, df.name, strict=True)}


def _ok(entry) -> str:
    return t("moral.ok", points=num(entry.points, 1))


def evaluate_form(actor: Actor, options: dict[int, str], live: bool) -> None:
    """道德评议 at the actor's level: household, dimension, points (up to the level's maximum), note."""
    level = mb.EVALUATOR_LEVEL[actor.role]
    dims = [d for d in MORAL_DIMENSIONS if d != "volunteer"]
    with st.form("moral-evaluate", clear_on_submit=True):
        st.markdown(f"**{t('moral.evaluate_heading', level=term('moral_level', level))}**")
        c = st.columns([3, 2, 1, 3])
        c[0].selectbox(t("moral.f.household"), list(options), format_func=options.get, key="me-household")
        c[1].selectbox(t("moral.f.dimension"), dims, format_func=lambda d: t(f"moral.dim.{d}"), key="me-dimension")
        c[2].number_input(t("moral.f.points"), min_value=0.5, max_value=float(MORAL_RULE.level_max[level]), value=1.0,
                          step=0.5, key="me-points")
        c[3].text_input(t("moral.f.note"), key="me-note")
        st.form_submit_button(t("moral.act.evaluate"), type="primary", disabled=not live, **dd.on_act(
            mb.record_evaluation, _ok, actor, fields={"household_id": "me-household", "dimension": "me-dimension",
                                                      "points": "me-points", "note": "me-note"}))


def volunteer_form(actor: Actor, options: dict[int, str], live: bool) -> None:
    """志愿服务时长: household, hours, note."""
    with st.form("moral-volunteer", clear_on_submit=True):
        st.markdown(f"**{t('moral.volunteer_heading')}**")
        c = st.columns([3, 1, 3])
        c[0].selectbox(t("moral.f.household"), list(options), format_func=options.get, key="mv-household")
        c[1].number_input(t("moral.f.hours"), min_value=0.5, max_value=float(MORAL_RULE.max_hours), value=2.0, step=0.5,
                          key="mv-hours")
        c[2].text_input(t("moral.f.note"), key="mv-note")
        st.form_submit_button(t("moral.act.volunteer"), disabled=not live, **dd.on_act(
            mb.record_volunteer, _ok, actor, fields={"household_id": "mv-household", "hours": "mv-hours",
                                                     "note": "mv-note"}))


def deduct_form(actor: Actor, options: dict[int, str], live: bool) -> None:
    """扣分记录: household, kind, source (required) and reference, note."""
    with st.form("moral-deduct", clear_on_submit=True):
        st.markdown(f"**{t('moral.deduct_heading')}**")
        c = st.columns([3, 2, 3, 2])
        c[0].selectbox(t("moral.f.household"), list(options), format_func=options.get, key="md-household")
        c[1].selectbox(t("moral.f.kind"), list(mb.DEDUCTIONS), format_func=lambda k: term("moral_kind", k), key="md-kind")
        c[2].text_input(t("moral.f.source"), key="md-source")
        c[3].text_input(t("moral.f.source_ref"), key="md-ref")
        st.text_input(t("moral.f.note"), key="md-note")
        st.form_submit_button(t("moral.act.deduct"), type="primary", disabled=not live, **dd.on_act(
            mb.record_deduction, _ok, actor, fields={"household_id": "md-household", "kind": "md-kind",
                                                     "source": "md-source", "source_ref": "md-ref", "note": "md-note"}))


def register_form(actor: Actor, live: bool) -> None:
    """入户建档: the head of household's name and the people in it."""
    with st.expander(t("moral.register_heading")), st.form("moral-register", clear_on_submit=True):
        c = st.columns([3, 1])
        c[0].text_input(t("moral.col.name"), key="mr-name")
        c[1].number_input(t("moral.col.members"), min_value=1, max_value=20, value=3, step=1, key="mr-members")
        st.form_submit_button(t("moral.act.register"), disabled=not live, **dd.on_act(
            mb.register_household, lambda h: t("moral.registered_ok", code=h.code), actor,
            fields={"head_name": "mr-name", "members": "mr-members"}))


def desk_section(actor: Actor, as_of: date, live: bool) -> None:
    """The desk's 道德银行 section: a village or grid post evaluates and records volunteer hours in its village; a
    township post picks a village, evaluates at the township level and records deductions; then the ledger."""
    if actor.level == RegionLevel.TOWNSHIP:
        choices = {int(r.id): place(r.name) for r in data.children(actor.scope, actor.region_id)}
        if not choices:
            return
        vid = st.selectbox(t("moral.f.village"), list(choices), format_func=choices.get, key="desk-moral-village")
    else:
        vid = actor.region_id
        if actor.role in mb.VOLUNTEER_RECORDERS - {"grid_worker"}:
            register_form(actor, live)
    options = _household_options(actor, int(vid), as_of)
    if options:
        if actor.role in mb.EVALUATOR_LEVEL:
            evaluate_form(actor, options, live)
        if actor.role in mb.VOLUNTEER_RECORDERS:
            volunteer_form(actor, options, live)
        if actor.role in mb.DEDUCTORS:
            deduct_form(actor, options, live)
    df = ledger(actor.scope, int(vid), as_of, dd.data_version())
    hid = pick_household(df, "desk-moral")
    if hid is not None:
        show_household(household(actor.scope, hid, as_of, dd.data_version()))
