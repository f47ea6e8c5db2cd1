"""The error boundary around every page, and the guard on the URL's query parameters.

`error_boundary()` wraps the page run in app.py: an unexpected exception shows one message in the
viewer's language with a short error id, and the traceback goes to the server log under that id
(logger `xingcun`). Streamlit's own st.stop/st.rerun are BaseExceptions and pass through.

`clean_query_params()` drops every known parameter whose value is malformed (`?period=²`,
`dwell=inf`, `region=abc`, …) before a page reads it, so the page shows its default view, and
returns the names it dropped for a one-line notice.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import streamlit as st

from core.config import get_settings
from core.i18n import LANGS
from ui.i18n import t

log = logging.getLogger("xingcun")
if not log.handlers:  # the server log (stderr of `streamlit run`): time, level, message and the traceback
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


@contextmanager
def error_boundary(where: str = "page") -> Iterator[None]:
    """Run the block; on any exception show one message with an error id and log the traceback under it."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 — the boundary: nothing may reach the screen as a traceback
        error_id = secrets.token_hex(4)
        log.error("error %s on %s: %s", error_id, where, type(err).__name__, exc_info=err)
        st.error(t("error.boundary", id=error_id))


def _dwell(value: str) -> bool:
    try:
        seconds = float(value)
    except ValueError:
        return False
    return math.isfinite(seconds) and 0 < seconds <= 24 * 3600


def _iso_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return value.isascii()


_ASCII_NAME = re.compile(r"[A-Za-z_,0-9]{1,200}")
#: Known parameters and what a well-formed value looks like; anything else is dropped.
VALID: dict[str, Callable[[str], bool]] = {
    "region": lambda v: v.isascii() and v.isdigit() and len(v) in (6, 9, 12, 15),
    "period": lambda v: v.isascii() and v.isdigit() and len(v) == 6 and 1 <= int(v[4:]) <= 12,
    "as_of": _iso_day,
    "screen": lambda v: v in ("big", "desk"),
    "lang": lambda v: v in LANGS,
    "carousel": lambda v: bool(_ASCII_NAME.fullmatch(v)),
    "dwell": _dwell,
    "embed": lambda v: v in ("true", "false"),
    "embed_options": lambda v: bool(_ASCII_NAME.fullmatch(v.replace("_", ""))),
}


def bad_params(params: dict[str, list[str]]) -> list[str]:
    """Names of known parameters whose value (any of them, when repeated) is malformed."""
    return sorted(name for name, values in params.items()
                  if name in VALID and any(not VALID[name](v) for v in values))


def clean_query_params() -> list[str]:
    """Drop malformed known parameters from the URL (the page then shows its default view); their names."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    dropped = bad_params(params)
    for name in dropped:
        del st.query_params[name]
    if dropped:
        log.info("dropped malformed query parameters %s", dropped)
    return dropped


def database_message(url: str | None = None) -> str:
    """The 'cannot reach the database' message naming the database without its password."""
    from core.db import display_url

    return t("error.database", url=display_url(url or get_settings().database_url))
