"""The viewer's language and the page-side helpers over `core.i18n` (t, term, formatting).

The language is the URL's `?lang=en` (so a big screen or a shared link keeps it), else the
session's choice, else Chinese. Pages call `t("key", **params)`, never write literal labels.
"""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from core import i18n

LANG_KEY = "lang"


def lang() -> str:
    """'zh' or 'en' for the current viewer."""
    return i18n.normalize_lang(st.query_params.get(LANG_KEY) or st.session_state.get(LANG_KEY))


def set_lang(value: str) -> None:
    """Switch the language for this session and mirror it into the URL (Chinese is the default, so no param)."""
    value = i18n.normalize_lang(value)
    st.session_state[LANG_KEY] = value
    if value == i18n.DEFAULT_LANG:
        st.query_params.pop(LANG_KEY, None)
    else:
        st.query_params[LANG_KEY] = value


def t(key: str, /, **params: object) -> str:
    """The catalog message `key` in the viewer's language."""
    return i18n.translate(key, lang(), **params)


def term(kind: str, value: object) -> str:
    """A domain value (level, role, module, status …) in the viewer's language."""
    return i18n.term(kind, value, lang())


def num(value: float | int | None, digits: int = 0) -> str:
    """A number formatted for the viewer's language."""
    return i18n.format_number(value, lang(), digits)


def pct(value: float | None, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage."""
    return i18n.format_percent(value, lang(), digits)


def day(value: date | datetime | None, with_time: bool = False) -> str:
    """A date (optionally with time) for the viewer's language."""
    return i18n.format_date(value, lang(), with_time=with_time)


def month(period: int) -> str:
    """A YYYYMM period for the viewer's language."""
    return i18n.format_month(period, lang())


def lang_switch(key: str = "lang-switch") -> None:
    """A 中文/English toggle; switching reruns the page in the other language."""
    options = list(i18n.LANGS)
    current = lang()
    picked = st.segmented_control(t("lang.label"), options, default=current, key=key,
                                  format_func=lambda code: i18n.translate(f"lang.{code}", code),
                                  label_visibility="collapsed")
    if picked and picked != current:
        set_lang(picked)
        st.rerun()
