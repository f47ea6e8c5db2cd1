"""演示中心: demo banner, guided tour, and the county picker for visiting delegations."""

from __future__ import annotations

import streamlit as st

from core.config import get_settings
from core.errors import DomainError
from ui import demo_data
from ui.setup import page_setup
from ui.tour import TOUR, start_tour

ctx = page_setup()
st.title("演示中心")
if not get_settings().demo_mode:
    st.info("当前为生产模式，演示功能已关闭。")
    st.stop()

st.subheader("一键导览")
st.caption("按固定顺序浏览 " + "、".join(caption.split("：")[0][2:] for _, caption in TOUR) + "，每页附简短说明。")
if st.button("▶ 开始导览", type="primary"):
    start_tour()

st.subheader("切换到来访县的演示数据")
st.caption("选择全国任一区县：真实县名与县界，镇、村、网格在县界内生成。首次生成约需半分钟，之后直接打开。")
options = demo_data.county_options()
labels = {o.code: o.label for o in options}
default = next((i for i, o in enumerate(options) if o.code == "330681"), 0)
code = st.selectbox("区县", list(labels), index=default, format_func=labels.get, key="demo-county")
if st.button("生成 / 打开该县演示库", disabled=ctx.read_only):
    try:
        with st.spinner(f"正在准备 {labels[code]} 的演示数据……"):
            path = demo_data.ensure_county(code)
    except DomainError as err:
        st.error(str(err))
    else:
        demo_data.switch_database(str(path))
        st.success(f"已切换到 {labels[code]}，请重新登录。")
        st.rerun()
