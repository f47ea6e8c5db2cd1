"""Finding 5b: names, titles and notes are text. A Markdown image (or HTML image) in every free-text field
reaches no page as live Markdown/HTML: every markdown, caption, alert, label and html element of every page,
and the sign-in screen with its demo buttons, holds the payload only escaped.

The browser probe (tests/security/test_probe_browser.py) counts the outside requests themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToJson
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT, reset_settings
from core.db import dispose_engines
from tests.security.poison import OUTSIDE_HOST, image, poison
from ui.text import md

APP = str(REPO_ROOT / "app.py")
PAGES = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py"))
#: Who opens each page: the county admin sees every page but the desks of the roles that act.
VIEWERS = {"desk": ("town_admin", "village_secretary", "grid_worker")}
#: Rendered as data, never as Markdown: tables (a canvas grid) and chart specs (plotly and deck.gl draw text).
DATA_ELEMENTS = {"arrow_data_frame", "table", "plotly_chart", "deck_gl_json_chart", "vega_lite_chart"}
#: Widgets whose options are plain text in the browser (only their label is Markdown).
PLAIN_OPTIONS = {"selectbox", "multiselect", "select_slider"}
LIVE = (f"](http://{OUTSIDE_HOST}", f"<img src='http://{OUTSIDE_HOST}", f'<img src=\\"http://{OUTSIDE_HOST}')


@pytest.fixture(scope="module")
def image_db(tiny_db_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("image") / "tiny.db"
    shutil.copy(tiny_db_path, path)
    assert poison(path, image) > 1000
    return path


@pytest.fixture
def image_env(image_db, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{image_db}")
    reset_settings()
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield image_db
    dispose_engines()
    st.cache_data.clear()
    st.cache_resource.clear()


def live_payloads(at: AppTest) -> list[str]:
    """Element JSON (outside tables and charts) that carries the payload unescaped."""
    found: list[str] = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        if kind not in DATA_ELEMENTS and proto is not None and not getattr(node, "children", None):
            text = node.proto.label if kind in PLAIN_OPTIONS else MessageToJson(proto, ensure_ascii=False)
            live = LIVE[1:] if kind in ("html", "bidi_component") else LIVE  # not Markdown: only live HTML counts
            if any(p in text for p in live):
                found.append(f"{kind}: {text[:300]}")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_md_escapes_every_markdown_and_html_special():
    payload = "![x](http://h/p.png) **b** <img src=x> :red[x] $x$ # h"
    escaped = md(payload)
    assert not any(c in escaped for c in "![]()*<>:$") and "&#33;&#91;x&#93;&#40;http" in escaped


def test_no_page_shows_a_stored_markdown_image_live(image_env):
    pages_seen, hits = 0, {}
    for page in PAGES:
        for username in VIEWERS.get(page, ("county_admin",)):
            at = AppTest.from_file(APP, default_timeout=240)
            at.session_state["username"] = username
            at.run()
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, (page, username, at.exception)
            pages_seen += 1
            if found := live_payloads(at):
                hits[f"{page} ({username})"] = found
    print(f"\npages with a Markdown image in every text field: {pages_seen}; live payloads: "
          f"{sum(len(v) for v in hits.values())}")
    assert not hits, "\n".join(f"{page}: {h[:200]}" for page, found in hits.items() for h in found)


def test_sign_in_screen_shows_demo_names_as_text(image_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state.filtered_state.clear() if hasattr(at.session_state, "filtered_state") else None
    at.session_state["username"] = None
    at.run()
    assert not at.exception
    assert at.button, "the demo sign-in buttons are shown on the generated database"
    assert live_payloads(at) == []
