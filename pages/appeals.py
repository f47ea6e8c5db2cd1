"""民情与预警: appeal trends, the closing-level funnel, satisfaction, warnings with evidence, 议事决策 compliance."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from core.appeals import summary
from core.errors import DomainError
from ui import appeals_data as ad
from ui import data, state
from ui.setup import page_setup
from ui.theme import palette
from ui.widgets import breadcrumb

ctx = page_setup()
pal, big, scope = palette(ctx.big_screen), ctx.big_screen, ctx.scope
region, day, version = ctx.region, ad.as_of(), data.data_version()
here = scope.narrow(region.id, region.level)
st.title(f"{region.name} · 民情与预警")
breadcrumb(scope, region)
try:
    cube, warns = ad.cube(here, day, version), ad.warning_list(here, day, version)
    decisions = ad.decision_list(here, day, version)
except DomainError as err:
    st.error(str(err))
    st.stop()
total = summary(cube)
names = ad.region_names(tuple(sorted({int(v) for v in warns.village_id})))


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1f}%"


k = st.columns(6)
k[0].metric("近12月民情", f"{total['volume']:,}")
k[1].metric("办结", f"{total['closed']:,}")
k[2].metric("按时办结率", _pct(total["on_time_rate"]))
k[3].metric("满意度（好评率）", _pct(total["satisfaction"]))
k[4].metric("平均响应/办结", f"{total['mean_response_h'] or 0:.0f} / {total['mean_close_h'] or 0:.0f} 小时")
k[5].metric("近30天预警", f"{ad.warning_counts(here, day, version)['total']}")


def _go(page: str, code: str) -> None:
    try:
        state.set_region(code)
        st.switch_page(page, query_params=state.drill_params(code))
    except StreamlitAPIException:
        st.info("该页面暂未开放。")


left, right = st.columns([3, 2])
with left:
    by = st.segmented_control("趋势维度", ["类别", "渠道"], default="类别", key="appeals-by") or "类别"
    st.plotly_chart(ad.trend_figure(cube, "category" if by == "类别" else "channel", pal, big), theme=None, key="trend")
    f1, f2 = st.columns(2)
    f1.plotly_chart(ad.funnel_figure(total, pal, big), theme=None, key="funnel")
    f2.plotly_chart(ad.rating_figure(total, pal, big), theme=None, key="rating")
with right:
    st.subheader(f"⚠️ 预警（{len(warns)}）")
    for i, w in enumerate(warns.head(12).itertuples()):
        place = names.get(int(w.village_id), str(w.village_id)) + (f" · 网格{int(w.grid_id) % 1000}" if w.grid_id == w.grid_id and w.grid_id else "")
        with st.expander(f"{w.label} · {place}{' · ' + w.category if isinstance(w.category, str) else ''} · {w.window_end:%m-%d}", expanded=i == 0):
            st.markdown(f"**窗口** {w.window_start} 至 {w.window_end}　**计数** {w.count:g}　**基线** {w.baseline:g}  \n"
                        f"**检验** {w.test}　**阈值** {w.threshold:g}　**得分** {w.score:g}")
            if len(w.counts):
                st.caption("序列：" + " · ".join(str(c) for c in w.counts) + (f"　{w.note}" if w.note else ""))
            b1, b2 = st.columns(2)
            if b1.button("🧭 在地图中查看", key=f"map-{i}"):
                _go("pages/map.py", str(int(w.village_id)))
            if b2.button("🏘️ 村社档案", key=f"village-{i}"):
                _go("pages/village.py", str(int(w.village_id)))
    if len(warns) > 12:
        st.dataframe(warns.iloc[12:][["label", "village_id", "category", "window_end", "count", "baseline", "score"]]
                     .rename(columns={"label": "类型", "village_id": "村", "category": "类别", "window_end": "截至",
                                      "count": "计数", "baseline": "基线", "score": "得分"}), hide_index=True, height=240)

t1, t2 = st.tabs(["议事决策（五议两公开）", "民情日记覆盖"])
with t1:
    bad = decisions[decisions.status != "合规"]
    st.caption(f"共 {len(decisions):,} 项决策，合规 {len(decisions) - len(bad):,} 项，问题 {len(bad)} 项（问题在前）。")
    st.dataframe(decisions.head(200)[["status", "village", "title", "opened_on", "closed_on", "days_open", "steps"]]
                 .rename(columns={"status": "合规情况", "village": "村", "title": "事项", "opened_on": "启动",
                                  "closed_on": "完成", "days_open": "历时(天)", "steps": "步骤顺序"}),
                 hide_index=True, height=260)
with t2:
    weeks = st.slider("统计周数", 4, 26, 12, key="diary-weeks")
    cadres, villages = ad.diary_coverage(here, day, weeks, version)
    c1, c2 = st.columns(2)
    c1.dataframe(cadres.rename(columns={"name": "干部", "village": "村", "visits": "走访", "weeks_logged": "有记录周数",
                                        "weekly_rate": "一周一记率%"}).drop(columns=["person_id", "village_id"]),
                 hide_index=True, height=260)
    c2.dataframe(villages.rename(columns={"village": "村", "households": "户数", "visited": "已走访户",
                                          "not_visited": "未走访户", "visits": "走访次数", "coverage": "覆盖率%"})
                 .drop(columns=["village_id"]), hide_index=True, height=260)
