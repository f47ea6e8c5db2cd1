"""揭榜挂帅 on screen: the board by stage, one project's facts, bids, milestones and trail, and the desk's actions
(发榜 form, 竞榜, 揭榜, 里程碑) — every write through ui.desk_data.act (the clock, time travel, one flash)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import bidding
from core.actors import Actor
from core.enums import Module
from core.errors import DomainError
from core.scope import Scope
from ui import desk_data as dd
from ui import desk_lists as dl
from ui.data import engine
from ui.i18n import day, headers, num, place, t, term, values
from ui.text import md

BOARD_HEADERS = {"code": "bid.col.code", "township": "bid.col.township", "title": "bid.col.title",
                 "module": "col.module", "budget": "bid.col.budget", "bid_deadline": "bid.col.bid_deadline",
                 "stage": "bid.col.stage", "bids": "bid.col.bids", "village": "bid.col.village",
                 "winner": "bid.col.winner", "progress": "bid.col.progress", "next_due": "bid.col.next_due",
                 "urgency": "bid.col.urgency", "my_bid": "bid.col.my_bid"}


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def board(scope: Scope, as_of: date, version: int) -> pd.DataFrame:
    """The projects the scope sees (core.bidding.project_board)."""
    with Session(engine()) as s:
        return bidding.project_board(s, scope, as_of, dd.CFG)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def detail(scope: Scope, project_id: int, as_of: date, version: int) -> bidding.ProjectDetail:
    """One project as the scope may see it."""
    with Session(engine()) as s:
        return bidding.project_detail(s, scope, project_id, as_of, dd.CFG)


def counts(df: pd.DataFrame) -> dict[str, int]:
    """Projects per stage, and the milestones overdue / due soon."""
    out = {s: int((df["stage"] == s).sum()) for s in bidding.STAGES}
    out["overdue"] = int((df["urgency"] == "overdue").sum())
    out["due_soon"] = int((df["urgency"] == "due_soon").sum())
    return out


def stage_metrics(df: pd.DataFrame) -> None:
    """Six tiles: the four stages, then milestones overdue and due soon."""
    n = counts(df)
    c = st.columns(6)
    for col, s in zip(c, bidding.STAGES, strict=False):
        col.metric(term("bid_stage", s), num(n[s]))
    c[4].metric(t("bid.overdue"), num(n["overdue"]))
    c[5].metric(t("bid.due_soon"), num(n["due_soon"]))


def village_label(village: object) -> str:
    """The winning village as shown: its name, "another village" (core.bidding.OTHER_VILLAGE) or a dash."""
    if village == bidding.OTHER_VILLAGE:
        return t("bid.other_village")
    return place(village) if isinstance(village, str) else "—"


def board_table(df: pd.DataFrame) -> pd.DataFrame:
    """The board for display, in the viewer's language."""
    out = df.assign(progress=[f"{d}/{m}" for d, m in zip(df.milestones_done, df.milestones, strict=True)])
    out = out[[c for c in BOARD_HEADERS if c in out.columns]].copy()
    out["township"] = out["township"].map(place)
    out["village"] = [village_label(v) for v in out["village"]]
    out["winner"] = [w if isinstance(w, str) else "—" for w in out["winner"]]
    out["module"] = values(out["module"], "module")
    out["stage"] = values(out["stage"], "bid_stage")
    out["bid_deadline"] = [day(d) for d in out["bid_deadline"]]
    out["next_due"] = [day(d) if isinstance(d, date) else "—" for d in out["next_due"]]
    out["urgency"] = [t(f"desk.urgency.{u}") if u != "ok" else "" for u in out["urgency"]]
    if out["my_bid"].notna().any():
        out["my_bid"] = [term("bid_outcome", b) if isinstance(b, str) else "—" for b in out["my_bid"]]
    else:
        out = out.drop(columns="my_bid")
    return headers(out, BOARD_HEADERS)


def pick_project(df: pd.DataFrame, key: str) -> int | None:
    """The board with one-click opening; returns the opened project id."""
    return dl.pick(df, "project_id", board_table(df) if not df.empty else df,
                   lambda r: f"{r['code']} · {r['title']}", key)


def show_detail(d: bidding.ProjectDetail) -> None:
    """Facts, the award, bids, milestones and the trail of one project."""
    f = d.facts
    st.markdown(f"**{t('bid.facts', code=md(f['code']), title=md(f['title']), township=md(place(f['township'])), budget=num(f['budget']), deadline=day(f['bid_deadline']))}**")
    st.caption(t("bid.conditions", text=md(f["conditions"])) + " · " + term("bid_stage", f["stage"]))
    if f["village"]:
        st.info(t("bid.awarded", village=md(village_label(f["village"])), day=day(f["awarded_at"]),
                  reason=md(f["award_reason"] or "")))
    if f["landed_on"]:
        st.success(t("bid.landed_on", day=day(f["landed_on"])))
    st.markdown(f"###### {t('bid.bids')}")
    if d.bids.empty:
        st.caption(t("bid.no_bids"))
    else:
        bids = d.bids.drop(columns="bid_id").assign(
            village=d.bids.village.map(place), submitted_at=[day(x, with_time=True) for x in d.bids.submitted_at],
            outcome=values(d.bids.outcome, "bid_outcome"))
        st.dataframe(headers(bids, {"village": "col.village", "bidder": "bid.col.bidder", "plan": "bid.col.plan",
                                    "commitments": "bid.col.commitments", "submitted_at": "bid.col.submitted_at",
                                    "outcome": "bid.col.outcome"}), hide_index=True, width="stretch")
    st.markdown(f"###### {t('bid.milestones')}")
    ms = d.milestones.drop(columns="milestone_id").assign(
        due_on=[day(x) for x in d.milestones.due_on], done_on=[day(x) if isinstance(x, date) else "—" for x in d.milestones.done_on],
        urgency=[t(f"desk.urgency.{u}") if u in ("overdue", "due_soon") else "" for u in d.milestones.urgency])
    st.dataframe(headers(ms, {"seq": "bid.col.seq", "title": "bid.col.milestone", "due_on": "bid.col.due_on",
                              "done_on": "bid.col.done_on", "urgency": "bid.col.urgency"}), hide_index=True, width="stretch")
    if not d.events.empty:
        with st.expander(t("bid.trail")):
            ev = d.events.assign(at=[day(x, with_time=True) for x in d.events["at"]], action=values(d.events.action, "bid_action"))
            st.dataframe(headers(ev, {"at": "col.time", "actor": "col.operator", "action": "col.action", "note": "col.note"}),
                         hide_index=True, width="stretch")


def publish_form(actor: Actor, live: bool) -> None:
    """发榜: title, module, budget, conditions, the bidding deadline and the milestones (one a line)."""
    st.markdown(f"#### {t('bid.publish_heading')}")
    soon = dd.live_day()
    with st.form("bid-publish"):
        a = st.columns([3, 1, 1, 1])
        a[0].text_input(t("bid.f.title"), key="bp-title")
        a[1].selectbox(t("bid.f.module"), [str(m) for m in Module], key="bp-module", index=1,
                       format_func=lambda m: term("module", m))
        a[2].number_input(t("bid.f.budget"), min_value=0.0, max_value=100_000.0, value=100.0, step=10.0, key="bp-budget")
        a[3].date_input(t("bid.f.deadline"), value=soon + timedelta(days=14), key="bp-deadline", format="YYYY-MM-DD")
        st.text_area(t("bid.f.conditions"), key="bp-conditions", height=68)
        st.text_area(t("bid.f.milestones"), key="bp-milestones", height=96,
                     value=t("bid.f.milestones_example", first=soon + timedelta(days=45), last=soon + timedelta(days=120)))
        st.form_submit_button(t("bid.act.publish"), type="primary", disabled=not live, **dd.on_act(
            bidding.publish_project, lambda p: t("bid.published_ok", code=p.code), actor,
            fields={"title": "bp-title", "module": "bp-module", "budget": "bp-budget", "conditions": "bp-conditions",
                    "bid_deadline": "bp-deadline", "milestones": "bp-milestones"}, convert=_publish_args))


def parse_milestones(text: str) -> list[tuple[str, date]]:
    """'title, YYYY-MM-DD' lines → (title, day); a malformed line is refused with its number."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, _, when = line.replace("，", ",").rpartition(",")
        try:
            out.append((title.strip(), date.fromisoformat(when.strip())))
        except ValueError:
            raise _BadInput(t("bid.f.milestones_bad", n=n)) from None
        if not title.strip():
            raise _BadInput(t("bid.f.milestones_bad", n=n))
    return out


class _BadInput(DomainError):
    """A form value the service cannot take (shown as it is)."""


def _publish_args(kw: dict) -> dict:
    return {**kw, "budget": float(kw["budget"] or 0), "milestones": parse_milestones(kw["milestones"] or "")}


def town_actions(actor: Actor, row: pd.Series, d: bidding.ProjectDetail, live: bool) -> None:
    """揭榜: pick one bid and give the reason (a project still published, with bids)."""
    pid = int(row["project_id"])
    if row["stage"] not in ("bidding", "selecting") or d.bids.empty or actor.role not in bidding.PUBLISHERS:
        return
    options = {int(b.bid_id): f"{place(b.village)} · {b.bidder}" for b in d.bids.itertuples()}
    with st.form(f"bid-award-{pid}"):
        c = st.columns([2, 3])
        c[0].selectbox(t("bid.f.bid"), list(options), format_func=options.get, key=f"ba-bid-{pid}")
        c[1].text_input(t("bid.f.reason"), key=f"ba-reason-{pid}")
        st.form_submit_button(t("bid.act.award"), type="primary", disabled=not live, **dd.on_act(
            bidding.award_project, t("bid.award_ok", code=row["code"]), actor, project_id=pid,
            fields={"bid_id": f"ba-bid-{pid}", "reason": f"ba-reason-{pid}"}))


def village_actions(actor: Actor, row: pd.Series, d: bidding.ProjectDetail, live: bool) -> None:
    """竞榜 (an open project the village has not bid on) or the next milestone (the winning village)."""
    pid = int(row["project_id"])
    if row["stage"] == "bidding" and not isinstance(row.get("my_bid"), str) and actor.role in bidding.BIDDERS:
        with st.form(f"bid-submit-{pid}"):
            st.text_area(t("bid.f.plan"), key=f"bs-plan-{pid}", height=80)
            st.text_input(t("bid.f.commitments"), key=f"bs-commit-{pid}")
            st.form_submit_button(t("bid.act.bid"), type="primary", disabled=not live, **dd.on_act(
                bidding.submit_bid, t("bid.bid_ok"), actor, project_id=pid,
                fields={"plan": f"bs-plan-{pid}", "commitments": f"bs-commit-{pid}"}))
    open_ms = d.milestones[d.milestones.done_on.isna()]
    if row["stage"] == "delivering" and row.get("my_bid") == "won" and not open_ms.empty \
            and actor.role in bidding.DELIVERERS:
        nxt = open_ms.iloc[0]
        mid = int(nxt["milestone_id"])
        last = len(open_ms) == 1
        with st.form(f"bid-ms-{mid}"):
            st.markdown(f"**{nxt['seq']}. {md(nxt['title'])}** · {day(nxt['due_on'])}")
            st.text_input(t("bid.f.note"), key=f"bm-note-{mid}")
            st.form_submit_button(t("bid.act.milestone"), type="primary", disabled=not live, **dd.on_act(
                bidding.complete_milestone, t("bid.landed_ok" if last else "bid.milestone_ok"), actor,
                milestone_id=mid, fields={"note": f"bm-note-{mid}"}))


def desk_section(actor: Actor, as_of: date, live: bool) -> None:
    """The desk's 揭榜挂帅 section: the township's board, a project's detail and the actor's actions."""
    if actor.level == "township" and actor.role in bidding.PUBLISHERS:
        with st.expander(t("bid.publish_heading"), expanded=False):
            publish_form(actor, live)
    df = board(actor.scope, as_of, dd.data_version())
    stage_metrics(df)
    pid = pick_project(df, "desk-bidding")
    if pid is None:
        return
    row = df[df.project_id == pid].iloc[0]
    d = detail(actor.scope, pid, as_of, dd.data_version())
    (town_actions if actor.level == "township" else village_actions)(actor, row, d, live)
    show_detail(d)
