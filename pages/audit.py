"""审计日志: sign-ins and failures, account changes and every task write within the administrator's region."""

from __future__ import annotations

import streamlit as st

from core.accounts import is_admin
from ui.account_forms import audit_panel
from ui.i18n import t
from ui.setup import page_setup
from ui.text import md

ctx = page_setup()
st.title(t("page.audit"))
if not is_admin(ctx.actor):
    st.error(t("common.role_denied"))
    st.stop()
st.caption(t("audit.caption", region=md(ctx.region.name)))
audit_panel(ctx)
