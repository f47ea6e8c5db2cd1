"""The clock every write is stamped with (injected), and the read-only 时间回溯 (time travel) rule.

Services take `now`; the UI gets it from `get_clock().now()`. The clock is the real time in Asia/Shanghai
(naive local time, as every stored timestamp is: see core/models.py) unless `XINGCUN_CLOCK` pins it to a
fixed moment (tests, a rehearsed demo): `XINGCUN_CLOCK=2026-10-31T15:00`.

Viewing the data "as of" a day other than the live one is time travel: reading only. `check_live`
refuses a write there with one message before anything is touched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from core.errors import DomainError

ZONE = ZoneInfo("Asia/Shanghai")
CLOCK_ENV = "XINGCUN_CLOCK"


class Clock(Protocol):
    """Anything that tells the time of a write."""

    def now(self) -> datetime:
        """The current local time (naive, Asia/Shanghai), to the second."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The real time in Asia/Shanghai."""

    def now(self) -> datetime:
        """The current local time (naive, Asia/Shanghai), to the second."""
        return datetime.now(ZONE).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class FixedClock:
    """A clock pinned to one moment (tests and rehearsed demos)."""

    at: datetime

    def now(self) -> datetime:
        """The pinned moment."""
        return self.at.replace(microsecond=0)


def get_clock() -> Clock:
    """The clock of this process: FixedClock when XINGCUN_CLOCK holds an ISO time, else the system clock."""
    raw = os.environ.get(CLOCK_ENV, "").strip()
    if raw:
        try:
            return FixedClock(datetime.fromisoformat(raw))
        except ValueError:
            pass  # a malformed pin falls back to real time rather than stopping every write
    return SystemClock()


class TimeTravel(DomainError):
    """A write attempted while viewing the data as of another day (read-only 时间回溯)."""

    def __init__(self, viewed: date, live: date) -> None:
        super().__init__(f"正在查看 {viewed:%Y-%m-%d} 的历史数据（只读）：回到数据截至日 {live:%Y-%m-%d} 后才能办理")
        self.viewed, self.live = viewed, live


def check_live(viewed: date, live: date) -> None:
    """Raise TimeTravel unless the day in view is the live day (the dataset's 数据截至)."""
    if viewed != live:
        raise TimeTravel(viewed, live)
