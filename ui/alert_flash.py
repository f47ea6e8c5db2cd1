"""The leader alert flash on the big screen: what is new since the last 知道了, grouped by region and kind.

The banner says how many alerts wait for a leader, what they are (open tasks escalated to the county;
recent early warnings of the flashing kinds) and since when (the last acknowledgement: who and when,
or never); the groups ("越城区 · 12 项升级至县") take turns beside it. The figure is a snapshot taken
once per minute and data version (`snapshot`), so two views shown in the same minute agree; early
warnings that are still being computed are said to be so and join at the next minute.

Drawn by the auto-refresh fragment of `ui.chrome`, so a new alert (or an acknowledgement made on
another screen) shows within one refresh interval without reloading the page. Overdue tasks at the
top level come from `core.acknowledgements.task_alerts` (cached per data version); early warnings
are slow to compute on a whole city the first time, so they are computed in a background thread and
join the flash on a later tick instead of holding up the screen.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from html import escape

import streamlit as st
from sqlmodel import Session

from core import acknowledgements as acks
from core import i18n
from core.acknowledgements import LeaderAlert
from core.clock import get_clock
from core.config import get_settings
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data, wall
from ui.i18n import day, num, place_short, t, term
from ui.text import md
from ui.theme import palette

log = logging.getLogger(__name__)
SHOWN_KEY = "_flash_shown"
MAX_JOBS = 16


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _task_alerts(scope: Scope, as_of: date, version: int) -> list[LeaderAlert]:
    with Session(data.engine()) as s:
        return acks.task_alerts(s, scope, as_of)


@st.cache_resource(show_spinner=False)
def _warning_jobs() -> tuple[ThreadPoolExecutor, dict[tuple, Future]]:
    """One worker thread and its jobs, shared by every session of the server."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="xc-warnings"), {}


def _compute_warnings(scope: Scope, as_of: date) -> list[LeaderAlert]:
    with Session(data.engine()) as s:
        return acks.recent_warning_alerts(s, scope, as_of)


def _warning_alerts(scope: Scope, as_of: date, version: int) -> tuple[list[LeaderAlert], bool]:
    """(recent early warnings, done?) from one look at the background computation: ([], False) while it runs,
    ([], True) if it failed (logged)."""
    pool, jobs = _warning_jobs()
    key = (get_settings().database_url, scope, as_of, version)
    job = jobs.get(key)
    if job is None:
        while len(jobs) >= MAX_JOBS:
            jobs.pop(next(iter(jobs)))
        job = jobs[key] = pool.submit(_compute_warnings, scope, as_of)
    if not job.done():
        return [], False
    if job.exception() is not None:
        log.warning("early warnings for the flash failed: %s", job.exception())
        return [], True
    return job.result(), True


def pending_alerts(scope: Scope, as_of: date) -> list[LeaderAlert]:
    """Unacknowledged leader alerts of the scope: escalated tasks first, then recent early warnings."""
    return list(snapshot(scope, as_of, data.data_version(), _minute())[0])


def _minute() -> str:
    """The wall-clock minute the flash's snapshot belongs to."""
    return f"{datetime.now():%Y-%m-%d %H:%M}"


@st.cache_data(ttl=180, max_entries=64, show_spinner=False)
def snapshot(scope: Scope, as_of: date, version: int, minute: str) -> tuple[list[LeaderAlert], bool]:
    """(pending alerts, early warnings counted?) taken once per minute and data version, so every view
    shown within one minute announces the same number; warnings still being computed join next minute."""
    warnings, ready = _warning_alerts(scope, as_of, version)  # one look: a job finishing now joins next minute
    found = _task_alerts(scope, as_of, version) + warnings
    with Session(data.engine()) as s:
        return acks.pending(s, scope, found), ready


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _last_ack(scope: Scope, version: int) -> acks.LastAck | None:
    with Session(data.engine()) as s:
        return acks.last_acknowledgement(s, scope)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _names(scope: Scope) -> dict[int, str]:
    """Names of the viewer's root and its children (the regions alerts are grouped by)."""
    root = data.breadcrumb(scope, scope.region_id)[-1]
    return {root.id: root.name, **{k.id: k.name for k in data.children(scope, scope.region_id)}}


def _what(g: acks.AlertGroup) -> str:
    if g.kind == "task":
        return t("tasks.to_county") if g.severity == "county" else term("alert_level", g.severity)
    return term("warning_kind", g.severity)


def group_lines(items: list[LeaderAlert], scope: Scope) -> list[str]:
    """One line per region and kind: "● 越城区 · 12 项升级至县", "◆ 柯桥区 · 2 项突发/群发"."""
    names = {k: place_short(v) for k, v in _names(scope).items()}
    return [t("bigscreen.flash.group", mark="●" if g.kind == "task" else "◆", region=names.get(g.region_id, str(g.region_id)),
              n=num(g.n), what=_what(g)) for g in acks.group_alerts(items, scope.level)]


#: Room for the groups beside the count, in em of their 1.3rem type (~540 px of a 1920 px wall).
GROUPS_EM = 23.0


def pack(lines: list[str], most: int, room: float = GROUPS_EM) -> list[list[str]]:
    """`lines` in pages that take turns: at most `most` a page, and no more than fit in `room` em side by side
    (a long language gets one a page instead of a cut-off second one)."""
    out: list[list[str]] = []
    used = 0.0
    for line in lines:
        width = wall.text_em(line) + 1.3  # and the gap after it
        if out and len(out[-1]) < most and used + width <= room:
            out[-1].append(line)
            used += width
        else:
            out.append([line])
            used = width
    return out


def since(last: acks.LastAck | None, ready: bool) -> str:
    """Since when the count runs: the last 知道了 that holds here (who, when, how many), or never; and whether
    early warnings are still being counted (they join at the next minute)."""
    text = (t("bigscreen.flash.since", who=last.person, at=day(last.at, with_time=True), n=num(last.n))
            if last else t("bigscreen.flash.since_never"))
    return text + ("" if ready else " · " + t("bigscreen.flash.warnings_pending"))


def counts() -> str:
    """What the count counts: open tasks escalated to the county, and recent early warnings of the flashing kinds."""
    cfg, rules = get_settings().big_screen, get_settings().alert_rules
    kinds = t("common.list_sep").join(t(f"bigscreen.flash.kind.{k}") if i18n.has(f"bigscreen.flash.kind.{k}")
                                      else term("warning_kind", k) for k in cfg.flash_warning_kinds)
    return t("bigscreen.flash.counts", days=rules.escalate_county_after, recent=cfg.flash_warning_days, kinds=kinds)


def flash_html(items: list[LeaderAlert], scope: Scope, last: acks.LastAck | None, ready: bool, minute: str) -> str:
    """The banner: the count with since when on its first line and what it counts on the second; the regions
    and kinds taking turns on the right."""
    groups = wall.rotate([" ".join(f"<span class='item'>{md(x)}</span>" for x in page)
                          for page in pack(group_lines(items, scope), get_settings().big_screen.flash_groups)])
    return (f"<div class='alert-flash' data-count='{len(items)}' data-minute='{escape(minute)}'>"
            f"<div class='head'><div class='line'><span class='count'>{escape(t('bigscreen.flash.count', n=num(len(items))))}"
            f"</span><span class='since'>{md(since(last, ready))}</span></div>"
            f"<span class='why'>{escape(counts())}</span></div>"
            f"<div class='groups'>{groups}</div></div>")


def render(ctx, as_of: date) -> bool:
    """Draw the flash for the viewer's scope; a leader gets 知道了. Returns True after writing an ack."""
    version, minute = data.data_version(), _minute()
    items, ready = snapshot(ctx.scope, as_of, version, minute)
    if not items:
        st.session_state.pop(SHOWN_KEY, None)
        return False
    st.session_state[SHOWN_KEY] = [a.key for a in items]
    read_only = ctx.read_only or not ctx.actor.may_write
    banner, action = st.columns([11, 1.4], vertical_alignment="center")
    with banner:
        st.html(wall.wall_css(palette(True)) + flash_html(items, ctx.scope, _last_ack(ctx.scope, version), ready, minute))
    if read_only:
        action.markdown(f"<div class='flash-hint'>{escape(t('bigscreen.flash.read_only_hint'))}</div>",
                        unsafe_allow_html=True)
        return False
    if action.button(t("bigscreen.ack.button"), key="flash-ack", type="primary", width="stretch"):
        return _acknowledge(ctx, items)
    return False


def _acknowledge(ctx, items: list[LeaderAlert]) -> bool:
    """Write the acknowledgement of exactly the alerts that were on screen when the button was pressed."""
    shown = set(st.session_state.get(SHOWN_KEY) or [])
    chosen = [a for a in items if a.key in shown]
    try:
        with Session(data.engine()) as s:
            n = acks.acknowledge(s, actor=ctx.actor, scope=ctx.scope, items=chosen, now=get_clock().now())
            s.commit()
    except acks.ReadOnlyAccount as err:
        st.error(t(err.key))
        return False
    except (DomainError, ScopeError) as err:
        st.error(str(err))
        return False
    data.bump_data_version()
    st.toast(t("bigscreen.ack.done", n=n))
    return True
