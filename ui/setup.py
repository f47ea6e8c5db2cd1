"""`page_setup()`: the first call of every page file (Streamlit may run a page by deep link).

It signs the viewer in (session or signed cookie; otherwise it shows the sign-in screen and
stops), builds the Scope from the signed-in user only, checks the page is allowed for the
role, clamps the region in the URL to that scope, and draws the shared chrome.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.actors import Actor
from core.config import get_settings
from core.db import display_url
from core.regions import RegionRef
from core.scope import Scope
from ui import auth, chrome, data, errors, state
from ui.i18n import t
from ui.nav import DESK_ONLY, page_allowed
from ui.theme import css, palette


@dataclass(frozen=True)
class PageContext:
    """What every page knows after setup: who is looking, what they may see, and where they are."""

    scope: Scope
    region: RegionRef
    big_screen: bool
    actor: Actor
    read_only: bool


def _fail(message: str) -> None:
    st.error(message)
    st.stop()


def configure_page() -> bool:
    """Wide layout, title and sidebar state; True in big-screen mode.

    Called by app.py and again by every page: on a fresh server Streamlit may run a page file by deep
    link without the entrypoint (Streamlit 1.67, checked on this machine), which would otherwise leave it narrow and untitled.
    """
    big = st.query_params.get("screen") == "big"
    st.set_page_config(page_title=t("app.title"), page_icon="🏛️", layout="wide",
                       initial_sidebar_state="collapsed" if big else "auto")
    return big


def _hand_over_to_entrypoint() -> None:
    """On a fresh server the first deep link (/appeals) runs the page file by itself: Streamlit sees the
    `pages/` folder and builds a legacy menu of raw file names (Streamlit 1.67). Turn that mode off and
    rerun: the rerun goes through app.py, whose st.navigation has the same url paths (so the same
    page hash), its titles and its role filter. Streamlit clears the flag itself once st.navigation runs.
    """
    from streamlit.runtime.pages_manager import PagesManager  # no public switch for this (1.67)

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(page_file: str | None = None) -> PageContext:
    """Authenticate, resolve scope and region, inject the theme; stops with one message on failure."""
    page_file = page_file or sys._getframe(1).f_code.co_filename
    _hand_over_to_entrypoint()
    dropped = errors.clean_query_params()
    big = configure_page()
    st.html(css(palette(big), big))
    if dropped:
        st.warning(t("error.bad_params", names=", ".join(dropped)))
    try:
        data.dataset_root()
    except Exception:  # noqa: BLE001 — a missing or empty database must not show a traceback
        errors.log.warning("database unreachable: %s", display_url(get_settings().database_url), exc_info=True)
        _fail(errors.database_message())
    user = auth.current_user()
    if user is None:
        auth.sign_in_screen()
        st.stop()
    actor, read_only = user
    auth.emit_cookie()
    if auth.must_change_password():  # a one-time password: nothing else until the person sets their own
        from ui.account_forms import password_form

        st.warning(t("auth.must_change"))
        password_form(forced=True)
        st.stop()
    if page_file and not page_allowed(Path(page_file).stem, actor.role):
        _fail(t("common.role_denied"))
    scope = actor.scope
    region = data.resolve_region(scope, state.current_code())
    state.sync_url(region.code)
    ctx = PageContext(scope=scope, region=region, big_screen=big, actor=actor, read_only=read_only)
    chrome.render(ctx)  # includes the language switch in the sidebar
    if big and page_file and Path(page_file).stem in DESK_ONLY:
        chrome.desk_only(ctx, Path(page_file).stem)  # says the page has no wall layout and stops
    return ctx
