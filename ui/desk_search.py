"""Find anything: the search box on every page (sidebar) — villages, townships, grid workers, cadres by name,
code or pinyin initials, within the viewer's scope; a click opens the place (a person: their post's place)."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from core import search
from core.config import DeskConfig
from ui import data, state
from ui.i18n import person, place, t, term
from ui.text import md

QUERY_KEY = "find-q"
JUMP_KEY = "_find_jump"


@st.cache_resource(show_spinner=False)
def index() -> search.SearchIndex:
    """The process-wide search index (built once: names, codes and precomputed pinyin initials)."""
    with Session(data.engine()) as s:
        return search.build_index(s)


def hits(scope, query: str) -> list[search.Hit]:
    """Matches of `query` within `scope`, best first."""
    return index().search(scope, query, DeskConfig().search_results)


def _label(hit: search.Hit) -> str:
    if hit.person_id is None:
        return t("search.hit_region", name=md(place(hit.name)), level=term("level", hit.kind), context=md(place(hit.context)))
    return t("search.hit_person", name=md(person(hit.name)), role=term("role", hit.role), context=md(place(hit.context)))


def _open(code: str, level: str) -> None:
    state.set_region(code)
    st.switch_page("pages/village.py" if level == "village" else "pages/cockpit.py", query_params={state.REGION_KEY: code})


def _pick(code: str, level: str) -> None:
    st.session_state[QUERY_KEY] = ""
    st.session_state[JUMP_KEY] = (code, level)


def search_box(ctx) -> None:
    """The sidebar search box and its results (one button each)."""
    jump = st.session_state.pop(JUMP_KEY, None)
    if jump:
        _open(*jump)
    query = st.text_input(t("search.label"), key=QUERY_KEY, placeholder=t("search.placeholder"))
    if not (query or "").strip():
        return
    found = hits(ctx.scope, query)
    if not found:
        st.caption(t("search.none", q=md(query.strip())))
        return
    for i, hit in enumerate(found):
        st.button(_label(hit), key=f"find-hit-{i}", width="stretch", type="tertiary", on_click=_pick,
                  args=(hit.code, hit.region_level))
