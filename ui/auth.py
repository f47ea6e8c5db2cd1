"""Sign-in screen, session cookie and the signed-in user (scope comes from the user only)."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

import streamlit as st
from sqlmodel import Session

from core import auth
from core.actors import Actor
from core.config import get_settings
from ui import data
from ui.i18n import error_text, lang, lang_switch, t, term
from ui.text import md

USER_KEY = "username"
TOKEN_KEY = "_session_token"
COOKIE_PENDING = "_cookie_pending"


def _now() -> datetime:
    return datetime.now()


@st.cache_data(ttl=60, max_entries=256, show_spinner=False)
def _account(username: str, version: int) -> tuple[Actor, bool] | None:
    with Session(data.engine()) as s:
        return auth.actor_for_username(s, username)


@st.cache_data(ttl=300, max_entries=4, show_spinner=False)
def _demo_mode(url: str) -> bool:
    with Session(data.engine()) as s:
        return auth.demo_mode(s)


def demo_mode() -> bool:
    """Demo mode: XINGCUN_DEMO on (the default) and a database the generator made (never imported data)."""
    try:
        return _demo_mode(get_settings().database_url)
    except Exception:  # noqa: BLE001 — no database: no demo either
        return False


def _live_username() -> str | None:
    """The username of this browser's live session row (checked on every run: revocation is immediate)."""
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(get_settings().auth.cookie_name)
    with Session(data.engine()) as s:
        username = auth.session_user(s, token, now=_now())
    if username is None:
        st.session_state.pop(TOKEN_KEY, None)
        return None
    st.session_state[TOKEN_KEY] = token
    return username


def current_user() -> tuple[Actor, bool] | None:
    """(actor, read_only) of the signed-in user: a live server-side session, else nobody.

    A bare username in session state without a token is only ever set in-process (AppTest); it still
    needs an active account.
    """
    if st.session_state.get(TOKEN_KEY) or USER_KEY not in st.session_state or st.session_state.get(USER_KEY) is None:
        username = _live_username()
        if username is None:
            st.session_state.pop(USER_KEY, None)
            return None
        st.session_state[USER_KEY] = username
    username = st.session_state[USER_KEY]
    return _account(username, data.data_version())


def must_change_password() -> bool:
    """True when the signed-in account holds a one-time password it must replace first."""
    username = st.session_state.get(USER_KEY)
    if not username:
        return False
    with Session(data.engine()) as s:
        return auth.must_change_password(s, username)


def emit_cookie() -> None:
    """Write (or clear) the session cookie in the browser once, after sign-in or sign-out."""
    pending = st.session_state.pop(COOKIE_PENDING, None)
    if pending is None:
        return
    cfg = get_settings().auth
    value, max_age = pending
    script = (f"<script>document.cookie = {json.dumps(cfg.cookie_name)} + '=' + {json.dumps(value)} + "
              f"'; path=/; max-age={max_age}; SameSite=Strict';</script>")
    st.html(script, unsafe_allow_javascript=True)


def _sign_in(username: str, password: str) -> None:
    ip = st.context.ip_address  # None behind some proxies (and not a string outside a real server)
    client = ip if isinstance(ip, str) else ""
    try:
        with Session(data.engine()) as s:
            auth.authenticate(s, username, password, now=_now(), client=client)
        token = auth.start_session(data.engine(), username.strip(), now=_now())
    except auth.AuthError as err:
        st.error(error_text(err))
        return
    cfg = get_settings()
    st.session_state[USER_KEY] = username.strip()
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_PENDING] = (token, cfg.auth.session_hours * 3600)
    st.rerun()


def sign_out() -> None:
    """End the server-side session, forget the user in this session and clear the browser cookie."""
    auth.end_session(data.engine(), st.session_state.get(TOKEN_KEY))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_PENDING] = ("", 0)
    st.rerun()


def sign_in_screen() -> None:
    """The sign-in form; in demo mode also one button per demo account."""
    st.markdown(f"<h1 style='text-align:center'>{escape(t('auth.heading'))}</h1>", unsafe_allow_html=True)
    left, mid, right = st.columns([0.7, 1.8, 0.7])  # wide enough for the English demo-account buttons
    with right:
        lang_switch("lang-switch-signin")
    with mid:
        with st.form("signin"):
            username = st.text_input(t("auth.username"), key="signin_user")
            password = st.text_input(t("auth.password"), type="password", key="signin_pass")
            if st.form_submit_button(t("auth.submit"), type="primary", width="stretch"):
                _sign_in(username, password)
        if demo_mode():
            st.info(t("auth.demo_notice"))
            _demo_buttons()


def _display(username: str, display: str) -> str:
    """A demo account's name: core stores '角色（地区）'; in English the role is translated, the place kept."""
    if lang() != "en":
        return display
    head, _, place = display.partition("（")
    role = term("role", username)
    role = role if role != username else head
    return f"{role} ({place.rstrip('）')})" if place else role


def _demo_buttons() -> None:
    st.caption(t("auth.demo_caption", password=get_settings().auth.demo_password))
    with Session(data.engine()) as s:
        accounts = auth.demo_accounts(s)
    cols = st.columns(2)
    for i, (username, display) in enumerate(accounts):
        if cols[i % 2].button(t("auth.sign_in_as", name=md(_display(username, display))), key=f"demo-{username}", width="stretch"):
            _sign_in(username, get_settings().auth.demo_password)
