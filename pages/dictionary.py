"""指标字典: every indicator with module, definition, unit, direction and weight."""

from __future__ import annotations

import streamlit as st

from ui import charts
from ui import cockpit_data as cd
from ui.setup import page_setup

ctx = page_setup()
st.title("指标字典")
st.caption("四大模块共 40 项核心指标。得分在同级全部区域间归一化为 0–100；率类指标的上级数值由下级分子、分母求和后重算。")
cat = cd.catalog()
module = st.segmented_control("模块", ["all", *charts.MODULE_KEYS], key="dict-module", default="all",
                              format_func=lambda m: "全部" if m == "all" else charts.MODULE_LABELS[m]) or "all"
st.dataframe(charts.dictionary_frame(cat, module), hide_index=True, width="stretch", height=900)
