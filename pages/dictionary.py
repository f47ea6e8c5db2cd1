"""指标字典: every indicator with module, definition, unit, direction and weight."""

from __future__ import annotations

import streamlit as st

from ui import charts
from ui import cockpit_data as cd
from ui.i18n import t
from ui.setup import page_setup

ctx = page_setup()
st.title(t("page.dictionary"))
st.caption(t("dictionary.caption"))
cat = cd.catalog()
module = st.segmented_control(t("col.module"), ["all", *charts.MODULE_KEYS], key="dict-module", default="all",
                              format_func=lambda m: t("common.all") if m == "all" else charts.score_label(m)) or "all"
st.dataframe(charts.dictionary_frame(cat, module), hide_index=True, width="stretch", height=900)
