"""Cells as people type them, made into values: what is unambiguous is normalised, the rest is an error.

Handled: codes stored as numbers (leading zeros lost → padded to the code's width; 3.30624E+11 → refused,
its digits are gone), full-width digits, letters and spaces (NFKC), trailing and inner spaces, Excel
date serials, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, day/month orders that only one reading allows
(25/3/2026), thousands separators, 是/否 and its many spellings. Each function raises `CellError` with a
catalog key (`import.err.*`) and its parameters.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic_core import PydanticCustomError

EXCEL_EPOCH = datetime(1899, 12, 30)
#: Serials of 1950-01-01 … 2099-12-31: a number in a date column outside these is not a date.
SERIAL_RANGE = (18264, 73415)
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "有", "对", "在岗", "x_true"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗", "无", "不是", "不在岗"}
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+(.*))?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]+(.*))?$")
_TIME = re.compile(r"^(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_SPACES = re.compile(r"\s+")


class CellError(PydanticCustomError):
    """A cell that cannot be read as its column's type: a catalog key (import.err.*) and its parameters."""


def fail(key: str, **params: Any) -> CellError:
    """The error of one cell (raise it)."""
    return CellError(key, key, params)


def blank(value: Any) -> bool:
    """True for an empty cell: None, '' or only spaces (full-width too)."""
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def folded(value: Any) -> str:
    """The cell as text with full-width forms folded (NFKC) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def text(value: Any, max_len: int | None = None) -> str | None:
    """Free text: trimmed (trailing and full-width spaces), otherwise as typed; None when empty."""
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip().strip("\u3000").strip()
    if max_len is not None and len(out) > max_len:
        raise fail("import.err.too_long", max=max_len)
    return out


def _integral_text(value: Any) -> str:
    """The digits of a number-like cell; refuses a float that lost digits (scientific notation)."""
    if isinstance(value, bool):
        raise fail("import.err.number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise fail("import.err.lossy_number")
        return str(int(value))
    s = _SPACES.sub("", folded(value))
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", s):
        raise fail("import.err.lossy_number")
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    return s


def code(value: Any, width: int | None = None) -> str | None:
    """A code of digits (width given: exactly that many, leading zeros restored) or an id as typed."""
    if blank(value):
        return None
    if width is None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _integral_text(value)
        s = _SPACES.sub("", folded(value))
        if len(s) > 64:
            raise fail("import.err.too_long", max=64)
        return s
    s = _integral_text(value)
    if not s.isdigit() or len(s) > width:
        raise fail("import.err.code_shape", width=width)
    return s.zfill(width)


def _number_text(value: Any) -> str:
    s = _SPACES.sub("", folded(value)).replace(",", "").replace("，", "")
    return s[:-1] if s.endswith("%") else s


def integer(value: Any) -> int | None:
    """A whole number: 12, 12.0, '12', '１２', '1,200'."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise fail("import.err.integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise fail("import.err.integer")
    s = _number_text(value)
    try:
        f = float(s)
    except ValueError:
        raise fail("import.err.integer") from None
    if not f.is_integer():
        raise fail("import.err.integer")
    return int(f)


def number(value: Any) -> float | None:
    """A number: 12.5, '12.5', '１２.５', '1,200', '85%' (as 85)."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise fail("import.err.number")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        out = float(_number_text(value))
    except ValueError:
        raise fail("import.err.number") from None
    if math.isnan(out) or math.isinf(out):
        raise fail("import.err.number")
    return out


def _serial(value: float) -> datetime | None:
    if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + timedelta(days=value)
    return None


def _clock(rest: str | None, key: str) -> time:
    if not rest:
        return time()
    m = _TIME.match(rest.strip())
    if not m:
        raise fail(key)
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if h > 23 or mi > 59 or s > 59:
        raise fail(key)
    return time(h, mi, s)


def _day(y: int, mo: int, d: int, key: str) -> date:
    try:
        return date(y, mo, d)
    except ValueError:
        raise fail(key) from None


def _parse(value: Any, key: str) -> datetime:
    """A date and time from a date cell, an Excel serial, or text in the shapes the module names."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        raise fail(key)
    if isinstance(value, (int, float)):
        if isinstance(value, int) and 19000101 <= value <= 20991231:
            return _parse(str(value), key)
        got = _serial(float(value))
        if got is None:
            raise fail(key)
        return got.replace(microsecond=0) if got.microsecond < 500_000 else (got + timedelta(seconds=1)).replace(microsecond=0)
    s = folded(value)
    if re.fullmatch(r"\d+(\.\d+)?", s) and "." in s or re.fullmatch(r"\d{5}", s):
        return _parse(float(s), key)
    if m := _YMD.match(s):
        return datetime.combine(_day(int(m[1]), int(m[2]), int(m[3]), key), _clock(m[4], key))
    if m := _COMPACT.match(s):
        clock = time(int(m[4]), int(m[5]), int(m[6] or 0)) if m[4] else time()
        return datetime.combine(_day(int(m[1]), int(m[2]), int(m[3]), key), clock)
    if m := _DMY.match(s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a > 12 >= b:
            day = _day(y, b, a, key)
        elif b > 12 >= a or a == b:
            day = _day(y, a, b, key)
        else:
            raise fail("import.err.ambiguous_date")
        return datetime.combine(day, _clock(m[4], key))
    raise fail(key)


def to_date(value: Any) -> date | None:
    """A day (a time part, if any, is dropped)."""
    return None if blank(value) else _parse(value, "import.err.date").date()


def to_datetime(value: Any) -> datetime | None:
    """A date and time (a bare date is midnight)."""
    return None if blank(value) else _parse(value, "import.err.datetime")


def month(value: Any) -> int | None:
    """A month as YYYYMM: 202603, '2026-03', '2026/3', '2026年3月', or any date of the month."""
    if blank(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.year * 100 + value.month
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        n = int(value) if float(value).is_integer() else -1
        if 190001 <= n <= 209912 and 1 <= n % 100 <= 12:
            return n
        if _serial(float(value)) is not None:
            got = _serial(float(value))
            return got.year * 100 + got.month if got else None
        raise fail("import.err.month")
    s = folded(value)
    if re.fullmatch(r"\d{6}", s):
        return month(int(s))
    if m := _YM.match(s):
        if 1 <= int(m[2]) <= 12:
            return int(m[1]) * 100 + int(m[2])
        raise fail("import.err.month")
    try:
        return month(_parse(s, "import.err.month"))
    except CellError:
        raise fail("import.err.month") from None


def boolean(value: Any) -> bool | None:
    """是/否, yes/no, true/false, 1/0, √/× (and Excel's own TRUE/FALSE)."""
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    s = folded(value).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise fail("import.err.bool")


def choice(value: Any, aliases: dict[str, str], shown: tuple[str, str]) -> str | None:
    """The stored value of an enumeration cell, typed as the value itself or its Chinese or English label
    (`shown`: the allowed values listed in Chinese and in English, for the error line)."""
    if blank(value):
        return None
    s = folded(value)
    got = aliases.get(s) or aliases.get(s.lower())
    if got is None:
        raise fail("import.err.choice", choices=shown[0], choices_en=shown[1])
    return got


def json_text(value: Any) -> str | None:
    """A JSON document, kept as typed (checked to parse)."""
    if blank(value):
        return None
    s = str(value).strip()
    try:
        json.loads(s)
    except ValueError:
        raise fail("import.err.json") from None
    return s
