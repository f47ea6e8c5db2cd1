"""Report periods: a month (YYYYMM), a quarter (YYYYQn) or a year (YYYY), and the period before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.errors import DomainError
from core.i18n import format_month, normalize_lang
from core.kpis import month_bounds

_PATTERNS = (("month", re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")), ("quarter", re.compile(r"^(\d{4})[Qq]([1-4])$")),
             ("year", re.compile(r"^(\d{4})$")))


class BadPeriod(DomainError):
    """A period that is not YYYYMM, YYYYQn or YYYY."""


@dataclass(frozen=True)
class Period:
    """A month, quarter or year: its kind, year, number (month 1–12, quarter 1–4, year 0) and months."""

    kind: str
    year: int
    number: int = 0

    @property
    def months(self) -> tuple[int, ...]:
        """The months (YYYYMM) of the period, oldest first."""
        if self.kind == "month":
            return (self.year * 100 + self.number,)
        if self.kind == "quarter":
            first = 3 * (self.number - 1) + 1
            return tuple(self.year * 100 + m for m in range(first, first + 3))
        return tuple(self.year * 100 + m for m in range(1, 13))

    @property
    def start(self) -> date:
        """First day of the period."""
        return month_bounds(self.months[0])[0]

    @property
    def end(self) -> date:
        """Last day of the period."""
        return month_bounds(self.months[-1])[1]

    @property
    def code(self) -> str:
        """The period as typed on the command line (202610, 2026Q3, 2026)."""
        return {"month": f"{self.year}{self.number:02d}", "quarter": f"{self.year}Q{self.number}"}.get(self.kind, str(self.year))

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 12 if self.kind == "month" else 4
        return Period(self.kind, self.year - 1, last) if self.number == 1 else Period(self.kind, self.year, self.number - 1)

    def label(self, lang: str) -> str:
        """2026年10月 / 2026年第3季度 / 2026年 (en: Oct 2026 / Q3 2026 / 2026)."""
        en = normalize_lang(lang) == "en"
        if self.kind == "month":
            return format_month(self.months[0], lang)
        if self.kind == "quarter":
            return f"Q{self.number} {self.year}" if en else f"{self.year}年第{self.number}季度"
        return f"{self.year}" if en else f"{self.year}年"


def parse_period(text: str) -> Period:
    """The period written as YYYYMM, YYYYQn or YYYY; BadPeriod otherwise."""
    raw = (text or "").strip()
    for kind, pattern in _PATTERNS:
        m = pattern.match(raw)
        if m:
            return Period(kind, int(m.group(1)), int(m.group(2)) if kind != "year" else 0)
    raise BadPeriod(f"时期格式应为 YYYYMM、YYYYQn 或 YYYY：{raw or '（空）'}")


def as_period(value: Period | int | str) -> Period:
    """A Period from a Period, a YYYYMM int or any accepted text."""
    return value if isinstance(value, Period) else parse_period(str(value))


def period_of_month(month: int, kind: str) -> Period:
    """The month, quarter or year that holds the month YYYYMM."""
    year, m = divmod(int(month), 100)
    if kind == "quarter":
        return Period("quarter", year, (m - 1) // 3 + 1)
    if kind == "year":
        return Period("year", year)
    return Period("month", year, m)
