"""我的工作台: cached reads of the desk, and the one way a desk action writes (clock, time travel, flash).

Every action goes through `act()`: it refuses while the viewer travels in time (core.clock.check_live),
stamps the write with the injected clock, runs the core service in one write transaction, bumps the data
version and leaves one flash message (success, or the refusal in the viewer's language). Nothing else
in the desk writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import appeals, decisions, desk, diary, dispatching, screening
from core import decision_steps as dsteps
from core import diary_visits as visits
from core.actors import Actor
from core.clock import check_live, get_clock
from core.config import DeskConfig, get_settings
from core.db import session_scope
from core.errors import DomainError, ScreeningRejected
from core.scope import Scope, ScopeError
from ui import period
from ui.data import bump_data_version, data_version, engine, write_timer
from ui.i18n import error_text, t

FLASH_KEY = "desk-flash"
CFG = DeskConfig()


@st.cache_data(ttl=120, max_entries=256, show_spinner=False)
def load_desk(actor: Actor, as_of: date, version: int) -> desk.Desk:
    """The actor's desk lists and counts."""
    with Session(engine()) as s:
        return desk.desk(s, actor, as_of, CFG)


def nav_count(actor: Actor) -> int | None:
    """What waits on the actor (for the navigation), or None for a role without a desk."""
    if not desk.has_desk(actor.role):
        return None
    return load_desk(actor, period.as_of(), data_version()).counts["waiting"]


@st.cache_data(ttl=3600, show_spinner=False)
def matters() -> pd.DataFrame:
    """The 准入清单 with the known off-list types."""
    with Session(engine()) as s:
        return dispatching.matter_catalog(s)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def grids(scope: Scope, village_id: int, worker_id: int | None = None) -> pd.DataFrame:
    """The grids of a village of the scope (the worker's own with `worker_id`): id, name, households, centre, outline."""
    with Session(engine()) as s:
        return desk.grids_of(s, scope, village_id, worker_id)


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def households(scope: Scope, grid_id: int) -> list[int]:
    """Household numbers of a grid."""
    with Session(engine()) as s:
        return list(visits.grid_households(s, scope, grid_id))


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def unvisited(scope: Scope, village_id: int, as_of: date, weeks: int, version: int) -> list[int]:
    """Households of a village not visited in `weeks` weeks."""
    with Session(engine()) as s:
        return diary.unvisited_households(s, scope, village_id, as_of, weeks)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def appeal_log(scope: Scope, appeal_id: int, version: int) -> pd.DataFrame:
    """The 留痕 of one appeal."""
    with Session(engine()) as s:
        return appeals.appeal_events(s, scope, appeal_id)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def decision_log(scope: Scope, decision_id: int, version: int) -> pd.DataFrame:
    """The 议事留痕 of one decision."""
    with Session(engine()) as s:
        return dsteps.decision_log(s, scope, decision_id)


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def decision_rows(scope: Scope, as_of: date, version: int) -> pd.DataFrame:
    """The scope's decisions with their step check (problems first)."""
    with Session(engine()) as s:
        return decisions.decision_table(s, scope, as_of)


@st.cache_data(ttl=120, max_entries=32, show_spinner=False)
def screening_now(scope: Scope, start: date, end: date, version: int) -> screening.ScreeningReport:
    """The 过筛 report of the scope (emergency and review outcomes included)."""
    with Session(engine()) as s:
        return screening.screening_report(s, scope, start, end)


def live_day() -> date:
    """The day actions belong to: the dataset's 数据截至 (any other as-of day is read-only time travel)."""
    return get_settings().as_of


def is_live() -> bool:
    """True when the viewer looks at the live day (actions allowed)."""
    return period.as_of() == live_day()


def act(service: Callable[..., object], ok: str | Callable[[object], str], actor: Actor, **kwargs: object) -> object | None:
    """Run one core write service as `actor`, now; flash `ok` (or ok(result)) or the one refusal; returns the result."""
    try:
        check_live(period.as_of(), live_day())
        with write_timer(getattr(service, "__name__", "desk")), session_scope(engine(), write=True) as s:
            result = service(s, actor=actor, now=get_clock().now(), **kwargs)
    except ScreeningRejected as err:
        bump_data_version()  # the refusal itself is recorded (过筛 report)
        flash("err", t("desk.screened_out", reason=error_text(err)))
        return None
    except (DomainError, ScopeError) as err:
        flash("err", error_text(err))
        return None
    bump_data_version()
    flash("ok", ok(result) if callable(ok) else ok)
    return result


def on_act(service: Callable[..., object], ok: str | Callable[[object], str], actor: Actor, *,
           fields: dict[str, str] | None = None, convert: Callable[[dict], dict] | None = None,
           **fixed: object) -> dict:
    """Keyword arguments for a button or form-submit button that runs `service` through `act` when pressed.

    The service gets `fixed`, plus each argument of `fields` read from the widget of that key at the press
    (a callback runs before the script, so the press is never lost to a rerun); `convert` may reshape them
    (files → (name, bytes)) or refuse with a DomainError.
    """
    return {"on_click": _pressed, "args": (service, ok, actor, fields or {}, convert, fixed)}


def _pressed(service, ok, actor: Actor, fields: dict[str, str], convert, fixed: dict) -> None:
    kwargs = {**fixed, **{arg: st.session_state.get(key) for arg, key in fields.items()}}
    try:
        kwargs = convert(kwargs) if convert else kwargs
    except DomainError as err:
        flash("err", error_text(err))
        return
    act(service, ok, actor, **kwargs)


def uploaded(files: object) -> list[tuple[str, bytes]]:
    """(name, content) of the files of a file_uploader's value."""
    return [(f.name, f.getvalue()) for f in (files or [])]  # type: ignore[attr-defined]


def flash(kind: str, message: str) -> None:
    """Leave one message for the next run of the desk."""
    st.session_state[FLASH_KEY] = [(kind, message)]


def show_flash() -> None:
    """Show (once) the message the last action left."""
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        (st.success if kind == "ok" else st.error)(message)
