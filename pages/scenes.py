"""特色场景: 揭榜挂帅 (发榜 → 竞榜 → 揭榜 → 落地) of the region in view — projects by stage, the board, one project's
bids, milestones and trail. On the big screen (大屏) the page is the scenes wall (ui.wall_scenes)."""

from __future__ import annotations

import streamlit as st

from core.errors import DomainError
from ui import bidding_view as bv
from ui import data, wall_scenes
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
st.subheader(t("bid.heading"))
st.caption(t("bid.caption", region=md(place(region.name)), day=day(as_of)))
df = bv.board(here, as_of, version)
bv.stage_metrics(df)
pid = bv.pick_project(df, "scenes-bidding")
if pid is not None:
    try:
        bv.show_detail(bv.detail(here, pid, as_of, version))
    except DomainError as err:
        show_error(err)
