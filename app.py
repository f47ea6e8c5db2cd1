"""兴村治社驾驶舱 · XingCun Cockpit — entrypoint: page config and navigation."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="兴村治社驾驶舱", page_icon="🏛️", layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("screen") == "big" else "auto")

PAGES = [
    st.Page("pages/cockpit.py", title="驾驶舱", icon="🛰️", url_path="cockpit", default=True),
    st.Page("pages/regions.py", title="区划浏览", icon="🗺️", url_path="regions"),
    st.Page("pages/rankings.py", title="排名", icon="🏆", url_path="rankings"),
    st.Page("pages/dictionary.py", title="指标字典", icon="📖", url_path="dictionary"),
    st.Page("pages/map.py", title="网格地图", icon="🧭", url_path="map"),
    st.Page("pages/leaders.py", title="领雁指数", icon="🪁", url_path="leaders"),
    st.Page("pages/village.py", title="村社档案", icon="🏘️", url_path="village"),
    st.Page("pages/tasks.py", title="任务督办", icon="⏰", url_path="tasks"),
    st.Page("pages/appeals.py", title="民情与预警", icon="📣", url_path="appeals"),
]

st.navigation(PAGES, position="hidden" if st.query_params.get("screen") == "big" else "sidebar").run()
