"""演示中心: demo banner, guided tour, and the county picker for visiting delegations."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from ui import demo_data
from ui.auth import demo_mode
from ui.i18n import show_error, t
from ui.setup import page_setup
from ui.tour import start_tour, tour_pages

ctx = page_setup()
st.title(t("page.demo"))
if not demo_mode():
    st.info(t("demo.production"))
    st.stop()

st.subheader(t("demo.tour_title"))
st.caption(t("demo.tour_caption", pages=t("common.list_sep").join(tour_pages())))
if st.button(t("demo.tour_start"), type="primary"):
    start_tour()

st.subheader(t("demo.county_title"))
st.caption(t("demo.county_caption"))
options = demo_data.county_options()
labels = {o.code: o.label for o in options}
default = next((i for i, o in enumerate(options) if o.code == "330681"), 0)
code = st.selectbox(t("demo.county"), list(labels), index=default, format_func=labels.get, key="demo-county")
if not demo_data.may_switch(ctx.actor):
    st.caption(t("demo.switch_admin_only"))
if st.button(t("demo.open"), disabled=not demo_data.may_switch(ctx.actor)):
    try:
        with st.spinner(t("demo.preparing", county=labels[code])):
            path = demo_data.ensure_county(code, ctx.actor)
    except DomainError as err:
        show_error(err)
    else:
        demo_data.switch_database(str(path))
        st.success(t("demo.switched", county=labels[code]))
        st.rerun()
