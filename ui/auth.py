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
COOKIE_PENDING = "_cookie_pending"


def _now() -> datetime:
    return datetime.now()


@st.cache_data(ttl=60, max_entries=256, show_spinner=False)
def _account(username: str) -> tuple[Actor, bool] | None:
    with Session(data.engine()) as s:
        return auth.actor_for_username(s, username)


def current_user() -> tuple[Actor, bool] | None:
    """(actor, read_only) of the signed-in user, from this session or a valid signed cookie."""
    username = st.session_state.get(USER_KEY)
    if username is None:
        cfg = get_settings()
        username = auth.verify_token(st.context.cookies.get(cfg.auth.cookie_name), _now(), secret=cfg.secret)
        if username:
            st.session_state[USER_KEY] = username
    return _account(username) if username else None


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
    try:
        with Session(data.engine()) as s:
            auth.authenticate(s, username, password, now=_now())
    except auth.AuthError as err:
        st.error(error_text(err))
        return
    cfg = get_settings()
    token = auth.issue_token(username.strip(), _now(), secret=cfg.secret, hours=cfg.auth.session_hours)
    st.session_state[USER_KEY] = username.strip()
    st.session_state[COOKIE_PENDING] = (token, cfg.auth.session_hours * 3600)
    st.rerun()


def sign_out() -> None:
    """Forget the user in this session and in the browser cookie."""
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
        if get_settings().demo_mode:
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
