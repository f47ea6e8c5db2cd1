"""Big-screen carousel (轮播): rotate through chosen views with a dwell time, pause on interaction.

`?screen=big&carousel=cockpit,rankings,map,tasks,leaders&dwell=20` (`carousel=1` takes the default
views of `BigScreenConfig`). A fragment ticking every second counts the dwell down and moves on with
`st.switch_page` (called from the next full run: a switch from inside a fragment run breaks the
frontend with "Bad delta path index"), keeping the big-screen, language, carousel and region parameters (a switch stays in
the same session: no reload, sign-in kept). The countdown runs only while the screen is left alone:
暂停/继续 stops and restarts it, and any click or key press anywhere on the page (seen by a tiny
`st.components.v2` listener, which sends a trigger value) holds it for `touch_pause_seconds`.
"""

from __future__ import annotations

import time
from html import escape
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.config import get_settings
from ui.i18n import t, term
from ui.nav import page_allowed

CAROUSEL_PARAM = "carousel"
DWELL_PARAM = "dwell"
KEPT_PARAMS = ("screen", "lang", CAROUSEL_PARAM, DWELL_PARAM, "region", "period")
VIEWS = ("cockpit", "rankings", "map", "tasks", "leaders", "appeals", "regions", "village")
STATE_KEY = "_carousel"
GO_KEY = "_carousel_go"
BAR_KEY = "carousel-bar"
TICK_SECONDS = 1.0

_TOUCH_JS = """
export default function (component) {
  const { setTriggerValue, data } = component;
  const w = window;
  const off = () => {
    if (w.__xcTouch) {
      document.removeEventListener("pointerdown", w.__xcTouch, true);
      document.removeEventListener("keydown", w.__xcTouch, true);
    }
  };
  off();
  w.__xcTouch = (event) => {
    const target = event.target;
    if (target && target.closest && target.closest(data.exclude)) return;  // the carousel's own buttons
    const now = Date.now();
    if (now - (w.__xcTouchLast || 0) < data.throttle_ms) return;
    w.__xcTouchLast = now;
    setTriggerValue("touch", now);
  };
  document.addEventListener("pointerdown", w.__xcTouch, true);
  document.addEventListener("keydown", w.__xcTouch, true);
  return off;
}
"""
_touch_listener = st.components.v2.component("xc_carousel_touch", js=_TOUCH_JS)


@dataclass
class Clock:
    """The countdown of one view: `remaining` seconds, frozen while paused or held after a touch."""

    view: str
    remaining: float
    last: float
    paused: bool = False
    hold_until: float = 0.0

    def frozen(self, now: float) -> bool:
        """True while the countdown stands still."""
        return self.paused or now < self.hold_until

    def tick(self, now: float) -> None:
        """Count down the time since the last tick unless frozen."""
        if not self.frozen(now):
            self.remaining -= now - max(self.last, self.hold_until)
        self.last = now

    def due(self, now: float) -> bool:
        """True when the dwell is used up and the screen is left alone."""
        return not self.frozen(now) and self.remaining <= 0


def enabled() -> bool:
    """True when the URL asks for a carousel on the big screen."""
    return st.query_params.get("screen") == "big" and bool(st.query_params.get(CAROUSEL_PARAM))


def views(raw: str | None, role: str) -> list[str]:
    """The views named in `carousel=` that exist and the role may open (config defaults for '1'/'on')."""
    names = [v.strip().lower() for v in (raw or "").split(",") if v.strip()]
    if not names or names in (["1"], ["on"], ["true"], ["yes"]):
        names = list(get_settings().big_screen.carousel_views)
    out: list[str] = []
    for name in names:
        if name in VIEWS and name not in out and page_allowed(name, role):
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
    """The carousel bar (status, countdown, 暂停/继续) as a fragment that ticks every second."""
    order = views(st.query_params.get(CAROUSEL_PARAM), ctx.actor.role)
    if not order:
        return
    go = st.session_state.pop(GO_KEY, None)
    if go in order:  # the fragment asked for the next view: switch in a full run, not inside the fragment
        params = {k: st.query_params[k] for k in KEPT_PARAMS if k in st.query_params}
        st.switch_page(f"pages/{go}.py", query_params=params)
    seconds = dwell(st.query_params.get(DWELL_PARAM))
    with st.container(key=BAR_KEY):
        st.fragment(run_every=TICK_SECONDS)(_bar)(order, seconds, current_view())


def _clock(view: str, seconds: float, now: float) -> Clock:
    clock: Clock | None = st.session_state.get(STATE_KEY)
    if clock is None or clock.view != view:  # a new view starts a full dwell; a pause carries over
        clock = Clock(view, seconds, now, paused=bool(clock and clock.paused))
        st.session_state[STATE_KEY] = clock
    return clock


def _bar(order: list[str], seconds: float, current: str) -> None:
    now = time.time()
    clock = _clock(current, seconds, now)
    touched = _touch_listener(key="carousel-touch", data={"exclude": f".st-key-{BAR_KEY}", "throttle_ms": 1000},
                              on_touch_change=lambda: None, height=0)
    clock.tick(now)
    if touched is not None and getattr(touched, "touch", None):
        clock.hold_until = now + get_settings().big_screen.touch_pause_seconds
    nxt = next_view(order, current)
    if clock.due(now):
        st.session_state[GO_KEY] = nxt
        st.rerun(scope="app")
    status, button = st.columns([10, 1.4], vertical_alignment="center")
    status.markdown(f"<div class='carousel-status'>{escape(_status(clock, current, nxt, now))}</div>",
                    unsafe_allow_html=True)
    label = t("bigscreen.carousel.resume") if clock.frozen(now) else t("bigscreen.carousel.pause")
    if button.button(label, key="carousel-toggle", width="stretch"):
        if clock.frozen(now):
            clock.paused, clock.hold_until = False, 0.0
        else:
            clock.paused = True
        st.rerun(scope="fragment")


def _status(clock: Clock, current: str, nxt: str, now: float) -> str:
    names = {"current": term("page", current), "next": term("page", nxt)}
    if clock.paused:
        return t("bigscreen.carousel.paused", **names)
    if now < clock.hold_until:
        return t("bigscreen.carousel.held", seconds=int(clock.hold_until - now + 0.999), **names)
    return t("bigscreen.carousel.running", seconds=max(0, int(clock.remaining + 0.999)), **names)
