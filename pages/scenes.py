"""特色场景 of the region in view: 揭榜挂帅 (发榜 → 竞榜 → 揭榜 → 落地: projects by stage, the board, one project's bids,
milestones and trail), 一件事 · 县乡双向考评 (cases with who holds them up, one case's steps, the departments'
ranking) and 道德银行 (道德码 counts, rankings, 红榜, the village ledger and one household's figure). On the big screen (大屏) the page is the scenes wall (ui.wall_scenes)."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from ui import bidding_view as bv
from ui import data, wall_scenes
from ui import moral_view as mv
from ui import one_thing_view as ov
from ui import period as period_state
from ui.i18n import day, place, show_error, t
from ui.setup import page_setup
from ui.text import md
from ui.widgets import breadcrumb, month_header

ctx = page_setup()
region, as_of, version = ctx.region, period_state.as_of(), data.data_version()
if ctx.big_screen:
    month_header(ctx, t("page.scenes"), "scenes-period")
    wall_scenes.render(ctx, as_of, version)
    st.stop()
here = ctx.scope.narrow(region.id, region.level)
st.title(t("page.heading", region=md(place(region.name)), title=t("page.scenes")))
breadcrumb(ctx.scope, region)
scene = st.segmented_control(t("page.scenes"), ["bidding", "one_thing", "moral"], key="scenes-tab", default="bidding",
                             format_func=lambda k: t(f"scenes.tab.{k}")) or "bidding"
try:
    if scene == "bidding":
        st.subheader(t("bid.heading"))
        st.caption(t("bid.caption", region=md(place(region.name)), day=day(as_of)))
        df = bv.board(here, as_of, version)
        bv.stage_metrics(df)
        pid = bv.pick_project(df, "scenes-bidding")
        if pid is not None:
            bv.show_detail(bv.detail(here, pid, as_of, version))
    elif scene == "moral":
        mv.scene(here, region.id, region.name, region.level, as_of, version)
    else:
        st.subheader(t("case.heading"))
        st.caption(t("case.caption", region=md(place(region.name)), day=day(as_of)))
        cases = ov.board(here, as_of, version)
        ov.counts(cases)
        start, _ = period_state.data_window()
        st.markdown(f"#### {t('case.ranking')}")
        ranks = ov.ranking(here, start, as_of, version)
        if ranks.empty:
            st.info(t("case.ranking_empty"))
        else:
            st.dataframe(ov.ranking_table(ranks), hide_index=True, width="stretch")
        offices = ov.co_offices(here, start, as_of, version)
        if not offices.empty:
            st.markdown(f"#### {t('case.co_offices')}")
            st.dataframe(ov.co_office_table(offices), hide_index=True, width="stretch")
        cid = ov.pick_case(cases, "scenes-cases")
        if cid is not None:
            ov.show_detail(ov.detail(here, cid, as_of, version))
except DomainError as err:
    show_error(err)
