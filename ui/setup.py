"""`page_setup()`: the first call of every page file (Streamlit may run a page by deep link).

Today it resolves the default scope (the whole dataset) and the region in view; the sign-in
issue makes it authenticate and build the scope from the signed-in user only.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.config import get_settings
from core.regions import RegionRef
from core.scope import Scope
from ui import data, state
from ui.theme import css, palette


@dataclass(frozen=True)
class PageContext:
    """What every page knows after setup: who may see what, and where they are."""

    scope: Scope
    region: RegionRef
    big_screen: bool


def _fail(message: str) -> None:
    st.error(message)
    st.stop()


def page_setup() -> PageContext:
    """Resolve scope and region, inject the theme; stops the page with one message on failure."""
    big = st.query_params.get("screen") == "big"
    st.html(css(palette(big), big))
    try:
        root = data.dataset_root()
    except Exception:  # noqa: BLE001 — a missing or empty database must not show a traceback
        _fail(f"找不到演示数据库（{get_settings().database_url}）。请先运行 `make run` 或 `python -m seed`。")
    scope = Scope(root.id, root.level)
    region = data.resolve_region(scope, state.current_code())
    state.sync_url(region.code)
    return PageContext(scope=scope, region=region, big_screen=big)
