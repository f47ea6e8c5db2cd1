"""The viewer's language and the page-side helpers over `core.i18n` (t, term, formatting).

The language is the URL's `?lang=en` (so a big screen or a shared link keeps it), else the
session's choice, else Chinese. Pages call `t("key", **params)`, never write literal labels.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core import i18n, romanize
from core.i18n.matters import MATTER_EN

LANG_KEY = "lang"


_last = {"lang": i18n.DEFAULT_LANG}


def lang() -> str:
    """'zh' or 'en' for the current viewer.

    Outside a script run (AppTest re-formats widget values with their `format_func` between runs) there is
    no viewer to ask, so the language of the last run is used; a real server only formats inside runs.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return _last["lang"]
    memo = getattr(ctx, "_xc_lang", None)  # once per run: a page asks hundreds of times (~0.2 ms each)
    if memo is not None and memo[0] is ctx.cursors:  # `cursors` is a new dict at every run (ScriptRunContext.reset)
        return memo[1]
    _last["lang"] = i18n.normalize_lang(st.query_params.get(LANG_KEY) or st.session_state.get(LANG_KEY))
    ctx._xc_lang = (ctx.cursors, _last["lang"])
    return _last["lang"]


def set_lang(value: str) -> None:
    """Switch the language for this session and mirror it into the URL (Chinese is the default, so no param)."""
    value = i18n.normalize_lang(value)
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        ctx._xc_lang = None  # the rest of this run speaks the new language
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


def place(name: str | None) -> str:
    """A place name as the viewer reads it: Chinese as stored; English as "Keqiao District (柯桥区)"."""
    return romanize.bilingual(name or "") if lang() == "en" else (name or "")


def person(name: str | None) -> str:
    """A person's name as the viewer reads it: Chinese as stored; English as "Li Nan (李楠)"."""
    return romanize.bilingual(name or "", "person") if lang() == "en" else (name or "")


def place_short(name: str | None) -> str:
    """A place name where space is short (map labels): the pinyin alone in English."""
    return romanize.place_en(name or "") if lang() == "en" else (name or "")


def matter(code: str | None, stored: str) -> str:
    """A matter type (准入清单) by its code: the English name where the catalog has one, else the stored name
    (in parentheses in English, so the reader knows it is untranslated data)."""
    if lang() != "en":
        return stored
    return MATTER_EN.get(code or "", f"({stored})" if stored else "")


def named(df: pd.DataFrame, places: tuple[str, ...] = ("name",), people: tuple[str, ...] = (),
          short: bool = False) -> pd.DataFrame:
    """`df` with its place and person name columns as the viewer reads them (a copy in English, `df` in Chinese).

    `short` gives places and people the pinyin alone (map labels, the wall's narrow columns). Names are romanised
    once each (core.romanize caches).
    """
    if lang() != "en" or df.empty:
        return df
    out = df.copy()
    to_place = romanize.place_en if short else romanize.bilingual
    for column in places:
        if column in out.columns:
            out[column] = out[column].map(lambda v: to_place(v) if isinstance(v, str) else v)
    for column in people:
        if column in out.columns:
            out[column] = out[column].map(lambda v: (romanize.person_en(v) if short else romanize.bilingual(v, "person"))
                                          if isinstance(v, str) else v)
    return out


def movements(values: pd.Series) -> list[str]:
    """Rank movements (+ is up) as ▲3 / ▼1 / — (no change or unknown), all at once: a province ranks
    ~24,000 secretaries on every rerun."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    size = np.abs(np.nan_to_num(v)).astype(np.int64).astype(str)
    return np.where(np.isnan(v) | (v == 0), "—", np.where(v > 0, np.char.add("▲", size), np.char.add("▼", size))).tolist()


def movement(delta: object) -> str:
    """One rank movement as ▲3 / ▼1 / —."""
    return movements(pd.Series([delta], dtype=object))[0]


def lang_switch(key: str = "lang-switch") -> None:
    """One button naming the other language (English / 中文); a click reruns the page in it.

    A plain button rather than a segmented control: the sidebar already loads the button's code, and
    the cockpit's first paint is measured against an empty page (bench/, issue #9).
    """
    current = lang()
    other = next(code for code in i18n.LANGS if code != current)
    if st.button(i18n.translate(f"lang.{other}", other), key=key, icon=":material/translate:",
                 help=t("lang.label")):
        set_lang(other)
        st.rerun()


def headers(df: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """`df` with its columns renamed for display: `mapping` {column: catalog key}."""
    return df.rename(columns={c: t(k) for c, k in mapping.items() if c in df.columns})


def label_frame(df: pd.DataFrame, vocab: dict[str, str] | None = None) -> pd.DataFrame:
    """A frame core returned (column keys, vocabulary codes) in the viewer's language (core.i18n.label_frame)."""
    return i18n.label_frame(df, lang(), vocab)


def values(series: pd.Series, kind: str) -> pd.Series:
    """A column of domain values (stored codes) as labels in the viewer's language."""
    return series.map(lambda v: term(kind, v) if v is not None and v == v else v)


#: Generic sentence per DomainError class, for errors raised before core speaks in keys.
_ERROR_KEYS = {"PermissionDenied": "error.permission_denied", "NotFound": "error.not_found",
               "ScopeError": "error.scope", "AuthError": "error.auth", "TaskStateError": "error.task_state",
               "AppealStateError": "error.appeal_state", "ScreeningRejected": "error.screening_rejected",
               "CatalogError": "error.generic"}


def error_text(err: BaseException) -> str:
    """The message of a domain error in the viewer's language.

    An error carrying `key` (and `params`) renders from the catalog; otherwise Chinese shows core's
    message and English shows a sentence for its class, with core's message after it.
    """
    key = getattr(err, "key", None)
    if key and i18n.has(key):
        return t(key, **(getattr(err, "params", None) or {}))
    message = str(err)
    if lang() != "en":
        return message
    for cls in type(err).__mro__:
        if cls.__name__ in _ERROR_KEYS:
            return f"{t(_ERROR_KEYS[cls.__name__])} ({message})"
    return f"{t('error.generic')} ({message})"


def show_error(err: BaseException) -> None:
    """Render a domain error as one st.error in the viewer's language."""
    st.error(error_text(err))
