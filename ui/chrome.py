"""Shared chrome around every page: demo banner, who is signed in, 数据截至, big-screen title bar."""

from __future__ import annotations

from datetime import datetime
from html import escape

import streamlit as st
from sqlmodel import Session

from core.config import get_settings
from core.enums import ROLE_LABEL
from core.freshness import data_signature
from ui import auth, data
from ui.tour import tour_banner

REFRESH_SECONDS = 30


def as_of():
    """The day the app is viewed as of (session override, else the generator's as-of date)."""
    return st.session_state.get("as_of") or get_settings().as_of


def render(ctx) -> None:
    """Draw the banner, sidebar and (big screen) title bar for a page context."""
    settings = get_settings()
    if ctx.big_screen:
        _title_bar(ctx)
        return
    if settings.demo_mode:
        st.caption("🧪 演示数据：本系统中的镇、村、人员与业务记录均为生成的模拟数据，仅供演示。")
    with st.sidebar:
        st.markdown(f"**{escape(ctx.actor.name)}** · {ROLE_LABEL.get(ctx.actor.role, ctx.actor.role)}"
                    + (" · 只读" if ctx.read_only else ""))
        st.caption(f"数据截至 {as_of():%Y年%m月%d日}")
        if st.button("🖥️ 大屏模式", key="to-big"):
            st.query_params["screen"] = "big"
            st.rerun()
        if st.button("退出登录", key="signout"):
            auth.sign_out()
    tour_banner(set(st.session_state.get("_pages", [])))


def _title_bar(ctx) -> None:
    now = datetime.now()
    st.markdown(
        f"<div class='title-bar'>{escape(ctx.region.name)} · 兴村治社驾驶舱"
        f"<span class='meta'>数据截至 {as_of():%Y-%m-%d} · {now:%Y-%m-%d %H:%M} · 刷新于 {now:%H:%M:%S}"
        + (" · 演示数据" if get_settings().demo_mode else "") + "</span></div>", unsafe_allow_html=True)
    _auto_refresh()
    if st.button("退出大屏", key="leave-big", type="tertiary"):
        del st.query_params["screen"]
        st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def _auto_refresh() -> None:
    """Every REFRESH_SECONDS: if the data changed, refresh the whole screen in place (no page reload)."""
    with Session(data.engine()) as s:
        signature = data_signature(s)
    seen = st.session_state.get("_signature")
    st.session_state["_signature"] = signature
    if seen is not None and seen != signature:
        data.bump_data_version()
        st.cache_data.clear()
        st.rerun(scope="app")
