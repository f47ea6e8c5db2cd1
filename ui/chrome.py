"""Shared chrome around every page: demo banner, who is signed in, 数据截至, big-screen title bar.

On the big screen (`?screen=big`) the chrome is a title bar (region, 数据截至, last refresh), the
auto-refresh fragment with the leader alert flash (`ui.alert_flash`), the optional carousel
(`ui.carousel`, `&carousel=…&dwell=…`) and an exit button. Every text comes from the catalog.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.config import get_settings
from ui import alert_flash, auth, carousel, cockpit_data, data, desk_search, period, wall
from ui.briefing import sidebar_briefing
from ui.i18n import day, lang_switch, person, place, t, term
from ui.nav import WALL_VIEWS, page_allowed
from ui.text import md
from ui.theme import palette
from ui.tour import tour_banner

VERSION_KEY = "_seen_data_version"


def render(ctx) -> None:
    """Draw the banner, sidebar and (big screen) title bar for a page context."""
    if ctx.big_screen:
        _big_screen(ctx)
        return
    if auth.demo_mode():
        st.caption(t("chrome.demo_banner"))
    with st.sidebar:
        st.markdown(f"**{md(person(ctx.actor.name))}** · {md(term('role', ctx.actor.role))}"
                    + (f" · {t('chrome.read_only')}" if ctx.read_only else ""))
        st.caption(t("chrome.as_of", day=day(period.as_of())))
        desk_search.search_box(ctx)
        lang_switch("lang-sidebar")
        if st.button(t("chrome.to_big_screen"), key="to-big"):
            st.query_params["screen"] = "big"
            st.rerun()
        sidebar_briefing(ctx)
        if st.button(t("chrome.sign_out"), key="signout"):
            auth.sign_out()
    tour_banner(set(st.session_state.get("_pages", [])))


def _big_screen(ctx) -> None:
    """Title bar, alert flash (auto-refreshing), carousel bar and the exit button."""
    rotation, title, leave = st.columns([4.2, 8, 1.8], vertical_alignment="center")
    with title:
        _title_bar(ctx)
    with rotation:
        if carousel.enabled():
            carousel.render(ctx)
    with leave:
        if st.button(t("chrome.leave_big_screen"), key="leave-big", type="tertiary", width="stretch"):
            for key in ("screen", carousel.CAROUSEL_PARAM, carousel.DWELL_PARAM):
                st.query_params.pop(key, None)
            st.rerun()
    refresh_fragment = st.fragment(run_every=get_settings().big_screen.refresh_seconds)(_auto_refresh)
    refresh_fragment(ctx)


def _title_bar(ctx) -> None:
    now = datetime.now()
    meta = t("chrome.meta", as_of=day(period.as_of()), refreshed=f"{now:%H:%M:%S}")
    meta += " · " + _scored(cockpit_data.score_stamp(period.current_period(), data.data_version()), now)
    if auth.demo_mode():
        meta += f" · {t('chrome.demo_tag')}"
    title = t("chrome.title", region=place(ctx.region.name), app=t("app.title"))
    # data-version: the database's data version this screen was drawn from (ops and tests compare screens by it)
    size = wall.fit(title, 2.2, 1.3, spacing=0.12)  # one line in any language: smaller when the name is long
    st.markdown(f"<div class='title-bar' data-version='{data.data_version()}' style='container-type:inline-size'>"
                f"<span class='tt' style='{size}'>{md(title)}</span><span class='meta'>{md(meta)}</span></div>",
                unsafe_allow_html=True)


def _scored(stamp: dict, now: datetime) -> str:
    """计算于 for the title bar: when the month in view's scores were computed (the time alone when it is today),
    or that they are as generated or imported (core.live.score_stamp)."""
    at = stamp["computed_at"]
    if at is None:
        return t("chrome.scored_generated")
    return t("chrome.scored", at=f"{at:%H:%M:%S}" if at.date() == now.date() else f"{day(at.date())} {at:%H:%M}")


def _auto_refresh(ctx) -> None:
    """Every refresh interval: if the data version moved (a write on any app server), refresh the whole screen
    in place (no page reload; the caches key on the version, so it reads the new numbers); otherwise redraw only
    the alert flash (acknowledgements made elsewhere show here too)."""
    version = data.data_version()
    seen = st.session_state.get(VERSION_KEY)
    st.session_state[VERSION_KEY] = version
    if seen is not None and seen != version:
        st.rerun(scope="app")
    if alert_flash.render(ctx, period.as_of()):
        data.bump_data_version()  # our own write: no need to refresh the whole screen for it
        st.session_state[VERSION_KEY] = data.data_version()
        st.rerun(scope="fragment")


def desk_only(ctx, url_path: str) -> None:
    """A page without a wall layout (ui.nav.DESK_ONLY) opened on the big screen: one panel that says so and
    links to the wall views the viewer may open (same region, month and language); the page stops here."""
    title = t("wall.desk_only.title", page=term("page", url_path))
    st.html(wall.wall_css(palette(True)) + "<div class='wall' style='height:auto'>"
            + wall.panel(title, f"<p style='margin:0.4rem 0 0.8rem 0'>{md(t('wall.desk_only.body'))}</p>", fixed=True)
            + "</div>")
    st.subheader(t("wall.desk_only.views"))
    params = {k: st.query_params[k] for k in carousel.KEPT_PARAMS if k in st.query_params
              and k not in (carousel.CAROUSEL_PARAM, carousel.DWELL_PARAM)}
    views = [v for v in WALL_VIEWS if page_allowed(v, ctx.actor.role)]
    for col, view in zip(st.columns(len(views)), views, strict=True):
        col.page_link(f"pages/{view}.py", label=term("page", view), query_params=params, width="stretch")
    st.stop()
