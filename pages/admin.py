"""账号管理: an administrator creates, disables, resets and moves the accounts of their own region."""

from __future__ import annotations

import streamlit as st

from core.accounts import is_admin
from ui.account_forms import admin_panel
from ui.i18n import t
from ui.setup import page_setup
from ui.text import md

ctx = page_setup()
st.title(t("page.admin"))
if not is_admin(ctx.actor):
    st.error(t("common.role_denied"))
    st.stop()
st.caption(t("admin.caption", region=md(ctx.region.name)))
admin_panel(ctx)
