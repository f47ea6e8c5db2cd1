"""The guided tour for visiting counties: a fixed sequence of views with short captions."""

from __future__ import annotations

import streamlit as st

TOUR_KEY = "tour_step"

#: (page file, caption) in the order a visiting delegation sees them.
TOUR: list[tuple[str, str]] = [
    ("pages/cockpit.py", "① 驾驶舱：全域态势一屏总览——任务办结、按时率、逾期、群众满意度与综合排名。"),
    ("pages/rankings.py", "② 四大模块榜单：党建统领、经济生态、平安法治、公共服务，每个名次都能说清“为什么”。"),
    ("pages/map.py", "③ 网格地图：真实县界内的镇、村、网格，离线可用，点击即可下钻。"),
    ("pages/tasks.py", "④ 任务督办：临期提醒、逾期预警、分级升级，一键催办全留痕。"),
    ("pages/appeals.py", "⑤ 民情与预警：新苗头、高发多发、突发群发、顽疾，每条预警都附证据。"),
    ("pages/leaders.py", "⑥ 领雁指数：以事识人，六个维度的每一分都能追溯到具体记录。"),
    ("pages/village.py", "⑦ 村社档案：一个村的全部记录，可导出打印简报和 Excel。"),
]


def start_tour() -> None:
    """Begin the tour at its first view."""
    st.session_state[TOUR_KEY] = 0
    st.switch_page(TOUR[0][0])


def tour_banner(available: set[str]) -> None:
    """While a tour runs: the caption of this step with 上一步/下一步/结束 buttons."""
    step = st.session_state.get(TOUR_KEY)
    if step is None:
        return
    step = max(0, min(int(step), len(TOUR) - 1))
    page, caption = TOUR[step]
    box = st.container(border=True)
    box.markdown(f"**演示导览 {step + 1}/{len(TOUR)}** · {caption}")
    b1, b2, b3, _ = box.columns([1, 1, 1, 5])
    if step > 0 and b1.button("◀ 上一步", key="tour-prev"):
        _go(step - 1, available)
    if step < len(TOUR) - 1 and b2.button("下一步 ▶", key="tour-next", type="primary"):
        _go(step + 1, available)
    if b3.button("结束导览", key="tour-end"):
        st.session_state.pop(TOUR_KEY, None)
        st.rerun()


def _go(step: int, available: set[str]) -> None:
    while 0 <= step < len(TOUR) and TOUR[step][0] not in available:
        step += 1
    if step >= len(TOUR):
        st.session_state.pop(TOUR_KEY, None)
        st.rerun()
    st.session_state[TOUR_KEY] = step
    st.switch_page(TOUR[step][0])
