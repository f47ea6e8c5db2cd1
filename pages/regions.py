"""区划浏览: the region tree with counts; click a row (or pick a name) to drill down."""

from __future__ import annotations

import streamlit as st

from core.enums import LEVEL_LABEL, child_level
from ui import data, state
from ui.setup import page_setup
from ui.widgets import breadcrumb, drill_picker

ctx = page_setup()
region = ctx.region
st.title(f"{region.name} · 区划浏览")
breadcrumb(ctx.scope, region)

table = data.child_summary(ctx.scope, region.id, data.data_version())
sub = child_level(region.level)
sub_label = LEVEL_LABEL[sub] if sub else LEVEL_LABEL["grid"]
if table.empty:
    st.info(f"{region.name} 下没有{sub_label}级数据。")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric(f"下辖{sub_label}级单位", f"{len(table):,}")
if "villages" in table and table["villages"].notna().any():
    c2.metric("村/社区", f"{int(table['villages'].fillna(0).sum()):,}")
c3.metric("网格", f"{int(table['grids'].sum()) if 'grids' in table else len(table):,}")
c4.metric("在办任务", f"{int(table['open_tasks'].sum()):,}")

labels = {"code": "区划代码", "name": "名称", "townships": "乡镇/街道", "villages": "村/社区", "grids": "网格",
          "people": "干部人数", "households": "户数", "open_tasks": "在办任务", "population": "人口", "worker": "网格员"}
shown = table.drop(columns=[c for c in ("level",) if c in table]).dropna(axis=1, how="all")
event = st.dataframe(shown.rename(columns=labels), hide_index=True, width="stretch",
                     on_select="rerun", selection_mode="single-row", key="children")
if sub is not None:
    rows = event.selection.rows if event and event.selection else []
    if rows:
        state.set_region(str(table.iloc[rows[0]]["code"]))
        st.rerun()
    drill_picker(list(zip(table["code"], table["name"], strict=True)), key="drill-regions")
    st.caption("点击表格中的一行，或在上方选择名称，即可下钻。")
