"""The guided tour for visiting counties: a fixed sequence of views with short captions."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

TOUR_KEY = "tour_step"

#: (page file, caption key) in the order a visiting delegation sees them.
TOUR: list[tuple[str, str]] = [(f"pages/{name}.py", f"tour.{name}") for name in
                               ("cockpit", "rankings", "map", "tasks", "appeals", "leaders", "village")]


def tour_pages() -> list[str]:
    """The tour's page titles in order, in the viewer's language."""
    return [t(f"page.{page[6:-3]}") for page, _ in TOUR]


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
    box.markdown(f"**{t('tour.step', step=step + 1, n=len(TOUR))}** · {t(caption)}")
    b1, b2, b3, _ = box.columns([1, 1, 1, 5])
    if step > 0 and b1.button(t("tour.prev"), key="tour-prev"):
        _go(step - 1, available)
    if step < len(TOUR) - 1 and b2.button(t("tour.next"), key="tour-next", type="primary"):
        _go(step + 1, available)
    if b3.button(t("tour.end"), key="tour-end"):
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
