"""修改密码: every signed-in person sets their own password (strength rule from configuration)."""

from __future__ import annotations

import streamlit as st

from ui.account_forms import password_form
from ui.i18n import t
from ui.setup import page_setup

ctx = page_setup()
st.title(t("page.password"))
if ctx.read_only:
    st.info(t("error.permission_denied"))
    st.stop()
password_form()
