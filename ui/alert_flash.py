"""The leader alert flash on the big screen: a flashing banner and ticker until someone acknowledges.

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
from core.acknowledgements import LeaderAlert
from core.config import get_settings
from core.errors import DomainError
from core.scope import Scope, ScopeError
from ui import data
from ui.i18n import num, t, term
from ui.text import md

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


def _warning_alerts(scope: Scope, as_of: date, version: int) -> list[LeaderAlert]:
    """Recent early warnings when the background computation is done; [] while it runs (or if it failed)."""
    pool, jobs = _warning_jobs()
    key = (get_settings().database_url, scope, as_of, version)
    job = jobs.get(key)
    if job is None:
        while len(jobs) >= MAX_JOBS:
            jobs.pop(next(iter(jobs)))
        job = jobs[key] = pool.submit(_compute_warnings, scope, as_of)
    if not job.done():
        return []
    if job.exception() is not None:
        log.warning("early warnings for the flash failed: %s", job.exception())
        return []
    return job.result()


def pending_alerts(scope: Scope, as_of: date) -> list[LeaderAlert]:
    """Unacknowledged leader alerts of the scope: escalated tasks first, then recent early warnings."""
    version = data.data_version()
    found = _task_alerts(scope, as_of, version) + _warning_alerts(scope, as_of, version)
    with Session(data.engine()) as s:
        return acks.pending(s, scope, found)


def _item_html(a: LeaderAlert) -> str:
    if a.kind == "task":
        text = t("bigscreen.flash.task", village=a.village, title=a.title, days=a.days_overdue,
                 owner=a.owner or "—")
    else:
        text = t("bigscreen.flash.warning", village=a.village, kind=term("warning_kind", a.severity),
                 category=term("appeal_category", a.title) if a.title else "—", count=num(a.count),
                 baseline=num(a.baseline, 1))
    return f"<span class='item'>{md(text)}</span>"


def flash_html(items: list[LeaderAlert], limit: int) -> str:
    """The flashing banner: count on the left, a ticker of the first `limit` alerts on the right."""
    shown = items[:limit]
    rest = len(items) - len(shown)
    ticker = "".join(_item_html(a) for a in shown)
    if rest > 0:
        ticker += f"<span class='item'>{escape(t('bigscreen.flash.more', n=rest))}</span>"
    return (f"<div class='alert-flash' data-count='{len(items)}'>"
            f"<span class='count'>{escape(t('bigscreen.flash.count', n=len(items)))}</span>"
            f"<div class='ticker'><div class='track' style='--ticker-duration:{18 + 7 * len(shown)}s'>"
            f"{ticker}</div></div></div>")


def render(ctx, as_of: date) -> bool:
    """Draw the flash for the viewer's scope; a leader gets 知道了. Returns True after writing an ack."""
    items = pending_alerts(ctx.scope, as_of)
    if not items:
        st.session_state.pop(SHOWN_KEY, None)
        return False
    st.session_state[SHOWN_KEY] = [a.key for a in items]
    read_only = ctx.read_only or not ctx.actor.may_write
    banner, action = st.columns([11, 1.4], vertical_alignment="center")
    banner.markdown(flash_html(items, get_settings().big_screen.flash_max_items), unsafe_allow_html=True)
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
            n = acks.acknowledge(s, actor=ctx.actor, scope=ctx.scope, items=chosen, now=datetime.now())
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
