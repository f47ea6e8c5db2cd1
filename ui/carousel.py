"""Big-screen carousel (轮播): rotate through chosen views with a dwell time, pause on interaction.

`?screen=big&carousel=cockpit,rankings,map,tasks,leaders&dwell=20` (`carousel=1` takes the default
views of `BigScreenConfig`). The countdown runs in the browser (a small `st.components.v2` component:
no server round trip per second) and sends one `due` trigger when the dwell is used up; that rerun
checks the server's own clock and calls `st.switch_page`, keeping the big-screen, language, carousel,
region and month parameters (same session: no reload, sign-in kept). 暂停/继续 is a button; any click
or key press on the page outside the carousel's own controls holds the countdown for
`touch_pause_seconds` in the browser.

Why not a `st.fragment(run_every=1s)`: a one-second server tick keeps the app "running" on a loaded
machine, and `st.switch_page` from inside a fragment run (and fragment reruns racing a page switch)
broke the Streamlit 1.67 frontend ("Bad delta path index", "'setIn' cannot be called on an ElementNode").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.config import get_settings
from ui.i18n import t, term
from ui.nav import is_wall_view, page_allowed

CAROUSEL_PARAM = "carousel"
DWELL_PARAM = "dwell"
KEPT_PARAMS = ("screen", "lang", CAROUSEL_PARAM, DWELL_PARAM, "region", "period", "as_of")
STATE_KEY = "_carousel"
TURNS_KEY = "_carousel_turns"
BAR_KEY = "carousel-bar"
DUE_SLACK_SECONDS = 1.0

_CLOCK_JS = """
export default function (component) {
  const { setTriggerValue, data, parentElement } = component;
  if (parentElement.__xcOff) parentElement.__xcOff();
  const el = parentElement.querySelector(".carousel-status");
  const w = window;
  // One clock per view visit (token), kept on window so a rerun of the page does not reset a hold.
  if (!w.__xcClock || w.__xcClock.token !== data.token) {
    const now = Date.now();
    w.__xcClock = { token: data.token, dueAt: now + data.remaining_ms, holdUntil: 0, fired: false, last: 0 };
  }
  const c = w.__xcClock;
  const fmt = (text, s) => text.replace("{seconds}", String(s));
  const draw = () => {
    const now = Date.now();
    if (data.paused) { el.textContent = data.paused_text; return; }
    if (now < c.holdUntil) { el.textContent = fmt(data.held_text, Math.ceil((c.holdUntil - now) / 1000)); return; }
    const left = c.dueAt - now;
    el.textContent = fmt(data.running_text, Math.max(0, Math.ceil(left / 1000)));
    if (left <= 0 && !c.fired) { c.fired = true; setTriggerValue("due", data.token); }
  };
  const touch = (event) => {
    const target = event.target;
    if (target && target.closest && target.closest(data.exclude)) return;  // the carousel's own controls
    if (data.paused) return;
    const now = Date.now();
    const left = Math.max(c.dueAt - Math.max(now, c.holdUntil), 0);
    c.holdUntil = now + data.touch_ms;
    c.dueAt = c.holdUntil + left;
    draw();
  };
  document.addEventListener("pointerdown", touch, true);
  document.addEventListener("keydown", touch, true);
  const timer = setInterval(draw, 250);
  draw();
  const off = () => {
    clearInterval(timer);
    document.removeEventListener("pointerdown", touch, true);
    document.removeEventListener("keydown", touch, true);
  };
  parentElement.__xcOff = off;
  return off;
}
"""
#: The countdown runs in the browser: no server round trip per second, and a click holds it without
#: touching the server. It sends one `due` trigger (a full rerun) when the dwell is used up.
_clock_widget = st.components.v2.component("xc_carousel_clock", html="<div class='carousel-status'></div>",
                                           js=_CLOCK_JS, isolate_styles=False)


@dataclass
class Visit:
    """One view's turn on screen: when it (re)started counting, how long it had left then, and 暂停."""

    view: str
    started: float
    remaining: float
    paused: bool = False
    token: str = field(default="")
    serial: int = 0  # how many views this session's carousel has shown before this one


    def left(self, now: float) -> float:
        """Seconds of dwell left (the browser may have held it longer after a click)."""
        return self.remaining if self.paused else self.remaining - (now - self.started)

    def due(self, now: float, slack: float = DUE_SLACK_SECONDS) -> bool:
        """True when the dwell is used up (within `slack`) and the carousel is not paused."""
        return not self.paused and self.left(now) <= slack


def enabled() -> bool:
    """True when the URL asks for a carousel on the big screen."""
    return st.query_params.get("screen") == "big" and bool(st.query_params.get(CAROUSEL_PARAM))


def views(raw: str | None, role: str) -> list[str]:
    """The wall views named in `carousel=` that the role may open (config defaults for '1'/'on'); a page
    without a wall layout (ui.nav.DESK_ONLY) is left out."""
    names = [v.strip().lower() for v in (raw or "").split(",") if v.strip()]
    if not names or names in (["1"], ["on"], ["true"], ["yes"]):
        names = list(get_settings().big_screen.carousel_views)
    out: list[str] = []
    for name in names:
        if is_wall_view(name) and name not in out and page_allowed(name, role):
            out.append(name)
    return out


def dwell(raw: str | None) -> float:
    """Seconds per view from `dwell=` (config default; never below `min_dwell_seconds`)."""
    cfg = get_settings().big_screen
    try:
        value = float(raw) if raw else cfg.dwell_seconds
    except ValueError:
        value = cfg.dwell_seconds
    return max(value, cfg.min_dwell_seconds)


def next_view(order: list[str], current: str) -> str:
    """The view after `current` (the first one when `current` is not in the rotation)."""
    if current not in order:
        return order[0]
    return order[(order.index(current) + 1) % len(order)]


def current_view() -> str:
    """The page being shown (its file name without .py); the default page is the cockpit."""
    ctx = get_script_run_ctx()
    info = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {}) if ctx else {}
    path = info.get("script_path") or ""
    return Path(path).stem if path else "cockpit"


def render(ctx) -> None:
    """The carousel bar: the browser's countdown, 暂停/继续, and the switch to the next view when it is due."""
    order = views(st.query_params.get(CAROUSEL_PARAM), ctx.actor.role)
    if not order:
        return
    now, current = time.time(), current_view()
    visit = _visit(current, dwell(st.query_params.get(DWELL_PARAM)), now)
    nxt = next_view(order, current)
    with st.container(key=BAR_KEY):
        status, button = st.columns([2.4, 1.4], vertical_alignment="center")
        with status:
            event = _clock_widget(key="carousel-clock", data=_clock_data(visit, nxt),
                                  on_due_change=lambda: None)
        if getattr(event, "due", None) == visit.token:
            if visit.due(time.time()):
                params = {k: st.query_params[k] for k in KEPT_PARAMS if k in st.query_params}
                st.switch_page(f"pages/{nxt}.py", query_params=params)
            _restart(visit, time.time())  # the browser ran ahead of the server: count the rest again
            st.rerun()
        label = t("bigscreen.carousel.resume") if visit.paused else t("bigscreen.carousel.pause")
        if button.button(label, key="carousel-toggle", width="stretch"):
            _toggle(visit, time.time())
            st.rerun()


def _visit(view: str, seconds: float, now: float) -> Visit:
    visit: Visit | None = st.session_state.get(STATE_KEY)
    if visit is None or visit.view != view:  # a new view starts a full dwell; a pause carries over
        visit = Visit(view, now, seconds, paused=bool(visit and visit.paused), token=f"{view}:{now:.3f}",
                      serial=visit.serial + 1 if visit else 0)
        st.session_state[STATE_KEY] = visit
    return visit


def turn(view: str) -> int | None:
    """How many times the carousel has come round to `view` in this session, counting from 0 (a wall that
    changes what it shows per visit, e.g. the map's metric); None when the carousel is off."""
    if not enabled():
        return None
    turns: dict[str, tuple[int, int]] = st.session_state.setdefault(TURNS_KEY, {})
    visit: Visit | None = st.session_state.get(STATE_KEY)
    serial = visit.serial if visit is not None and visit.view == view else -1
    seen = turns.get(view)
    if seen is None or seen[0] != serial:
        turns[view] = (serial, (seen[1] + 1) if seen else 0)
    return turns[view][1]


def _toggle(visit: Visit, now: float) -> None:
    """暂停 freezes what is left; 继续 counts it down again."""
    _restart(visit, now)
    visit.paused = not visit.paused


def _restart(visit: Visit, now: float) -> None:
    """Carry what is left into a new token: the browser's clock starts again from it."""
    visit.remaining = max(visit.left(now), 0.0)
    visit.started = now
    visit.token = f"{visit.view}:{now:.3f}"


def _clock_data(visit: Visit, nxt: str) -> dict:
    """What the browser countdown needs: its token, time left, pause, and the texts in the viewer's language."""
    cfg = get_settings().big_screen
    name = term("page", nxt)
    return {"token": visit.token, "remaining_ms": int(max(visit.left(time.time()), 0) * 1000),
            "paused": visit.paused, "touch_ms": int(cfg.touch_pause_seconds * 1000),
            "exclude": f".st-key-{BAR_KEY}",
            "running_text": t("bigscreen.carousel.running", next=name, seconds="{seconds}"),
            "held_text": t("bigscreen.carousel.held", next=name, seconds="{seconds}"),
            "paused_text": t("bigscreen.carousel.paused", next=name)}
