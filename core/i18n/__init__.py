"""Message catalog (文案目录): every label, title, tooltip, unit and message, in Chinese and English.

The catalog is pure data (no Streamlit) so that core, ui and tests share it. Each module
`core/i18n/catalog_<area>.py` defines `MESSAGES: dict[str, tuple[str, str]]` mapping a dotted key to
its (中文, English) text; texts are `str.format` templates (`"{n} 个村"`). Keys are unique across areas.

`translate(key, lang, **params)` renders one message; `term(kind, value, lang)` renders a domain
vocabulary value (a level, role, module, status … as stored in the database) through the key
`"<kind>.<value>"`. Number and date formatting per language live here too.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import date, datetime
from functools import cache

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"


class CatalogError(Exception):
    """The catalog itself is malformed (a duplicate key or a missing language)."""


@cache
def catalog() -> dict[str, tuple[str, str]]:
    """All messages from every `catalog_*` module of this package, merged; duplicates are an error."""
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("catalog_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise CatalogError(f"duplicate message key {key!r} in {info.name}")
            if not (isinstance(texts, tuple) and len(texts) == len(LANGS)):
                raise CatalogError(f"message {key!r} in {info.name} must be a (zh, en) tuple")
            merged[key] = texts
    return merged


def has(key: str) -> bool:
    """True when the catalog knows `key`."""
    return key in catalog()


#: Evidence parameters that hold 五议两公开 step numbers (rendered as the steps' names joined by →).
_STEP_PARAMS = frozenset({"steps", "first", "second"})


def evidence_text(text: str, lang: str = DEFAULT_LANG) -> str:
    """A warning's test or note (core.early_warning.evidence: `key|{json params}`) in `lang`.

    Text that is not a catalog key — a decision's title, or a warning stored before tests were keys — is shown as
    it is.
    """
    key, _, raw = (text or "").partition("|")
    if not has(key):
        return text or ""
    try:
        params = json.loads(raw) if raw else {}
    except ValueError:
        return text
    for name in _STEP_PARAMS & params.keys():
        steps = params[name] if isinstance(params[name], list) else [params[name]]
        params[name] = " → ".join(term("decision_step", s, lang) for s in steps)
    return translate(key, lang, **params)


def normalize_lang(lang: str | None) -> str:
    """'en' for any English spelling, otherwise the default Chinese."""
    return "en" if (lang or "").lower().startswith("en") else DEFAULT_LANG


def translate(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The message `key` in `lang`, formatted with `params`; an unknown key renders as the key itself."""
    texts = catalog().get(key)
    if texts is None:
        return key
    text = texts[LANGS.index(normalize_lang(lang))]
    return text.format(**params) if params else text


def term(kind: str, value: object, lang: str = DEFAULT_LANG) -> str:
    """A domain vocabulary value (e.g. kind 'level', value 'city') in `lang`; unknown values pass through."""
    key = f"{kind}.{value}"
    return translate(key, lang) if has(key) else str(value)


def format_number(value: float | int | None, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """Thousands separators and fixed decimals; '—' for a missing value (same in both languages)."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def format_percent(value: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def format_date(value: date | datetime | None, lang: str = DEFAULT_LANG, *, with_time: bool = False) -> str:
    """2026年11月23日 / 23 Nov 2026 (with `with_time`, the clock time too)."""
    if value is None:
        return "—"
    if normalize_lang(lang) == "en":
        text = f"{value.day} {value:%b %Y}"
    else:
        text = f"{value.year}年{value.month}月{value.day}日"
    if with_time and isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return text


def format_month(period: int, lang: str = DEFAULT_LANG) -> str:
    """A period YYYYMM as 2026年11月 / Nov 2026."""
    year, month = divmod(int(period), 100)
    if normalize_lang(lang) == "en":
        return f"{date(year, month, 1):%b %Y}"
    return f"{year}年{month}月"


#: Where a column key's header is looked up, in order (`col.<key>`, then `dimension.<key>`).
HEADER_PREFIXES = ("col.", "dimension.")


def header(column: str, lang: str = DEFAULT_LANG) -> str:
    """The display header of a column key core returned; an unknown key shows as itself."""
    for prefix in HEADER_PREFIXES:
        if has(prefix + str(column)):
            return translate(prefix + str(column), lang)
    return str(column)


def _term_cell(kind: str, value: object, lang: str) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return translate(f"bool.{str(value).lower()}", lang)
    if isinstance(value, tuple | list):  # a sequence of codes, e.g. 议事 steps in the order taken
        return " → ".join(f"{v}.{term(kind, v, lang)}" for v in value) or "—"
    return term(kind, value, lang)


def label_frame(df, lang: str = DEFAULT_LANG, vocab: dict[str, str] | None = None):
    """A frame core returned (column keys, vocabulary codes) for display in `lang`.

    `vocab` maps a column to its vocabulary kind (`task_status`, `module`, …): its codes become terms.
    Every header goes through `header`. Names, titles and notes are data and stay as they are.
    """
    out = df.copy()
    for column, kind in (vocab or {}).items():
        if column in out.columns:
            out[column] = [_term_cell(kind, v, lang) for v in out[column]]
    return out.rename(columns={c: header(c, lang) for c in out.columns})
