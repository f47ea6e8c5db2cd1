"""生成简报 in the sidebar of every page: the region in view, this month / quarter / year, as PDF or Word.

The report is made when the button is clicked (Streamlit's deferred download: the callable runs on the
click's request, not on every rerun), with the viewer's scope, the month and as-of day in view and the
viewer's language, through `core.briefing` — the same numbers as the cockpit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st
from sqlmodel import Session

from core import briefing
from core.briefing.periods import period_of_month
from ui import period as period_state
from ui.data import engine
from ui.i18n import lang, place, t
from ui.text import md

KINDS = ("month", "quarter", "year")


def _maker(scope, region_id: int, period: briefing.Period, fmt: str, language: str, as_of) -> Callable[[], bytes]:
    eng = engine()

    def make() -> bytes:  # runs on the download request, outside the script run: no st.* here
        with Session(eng) as s:
            report = briefing.make_report(s, scope, region_id, period, now=datetime.now(), lang=language, as_of=as_of)
        return briefing.render(report, fmt)

    return make


def sidebar_briefing(ctx) -> None:
    """The period choice and one download button per format, for ctx.region in ctx.scope."""
    month = period_state.current_period()
    if not month:
        return
    st.markdown(f"**{t('briefing.button')}**")
    kind = st.segmented_control(t("briefing.period_kind"), KINDS, default="month", key="briefing-kind",
                                format_func=lambda k: t(f"briefing.kind.{k}"), label_visibility="collapsed") or "month"
    period = period_of_month(month, kind)
    language, as_of = lang(), period_state.as_of()
    label = period.label(language)
    missing = briefing.pdf_engine_missing()
    for fmt in briefing.FORMATS:
        off = fmt == "pdf" and missing is not None  # the server lacks pango: say so instead of a failing download
        st.download_button(t("briefing.download_as", fmt=t(f"briefing.fmt.{fmt}")),
                           _maker(ctx.scope, ctx.region.id, period, fmt, language, as_of),
                           file_name=briefing.file_name(ctx.region.code, period, fmt), mime=briefing.MEDIA_TYPES[fmt],
                           key=f"briefing-{fmt}", on_click="ignore", width="stretch", disabled=off,
                           help=t("briefing.no_pdf_engine") if off else
                           t("briefing.download_help", region=md(place(ctx.region.name)), period=label))
