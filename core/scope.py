"""The viewer's data scope (数据权限): a region subtree, as a contiguous range of region ids."""

from __future__ import annotations

from dataclasses import dataclass

from core.enums import LEVEL_CODE_DIGITS, RegionLevel


class ScopeError(PermissionError):
    """Raised when a viewer or actor reaches outside their region subtree."""


def _span(level: str) -> int:
    return 10 ** (12 - LEVEL_CODE_DIGITS[level])


@dataclass(frozen=True)
class Scope:
    """A region subtree. Every read function in core takes one; ids outside [lo, hi] are invisible."""

    region_id: int
    level: str

    @property
    def lo(self) -> int:
        """Smallest region id in the subtree (the root itself)."""
        return self.region_id

    @property
    def hi(self) -> int:
        """Largest region id in the subtree."""
        return self.region_id + _span(self.level) - 1

    def contains(self, region_id: int) -> bool:
        """True when `region_id` (any level) lies in this subtree."""
        return self.lo <= int(region_id) <= self.hi

    def contains_grid(self, grid_id: int) -> bool:
        """True when the grid's village lies in this subtree."""
        return self.contains(int(grid_id) // 1000)

    def check(self, region_id: int) -> None:
        """Raise ScopeError unless `region_id` is in the subtree."""
        if not self.contains(region_id):
            raise ScopeError(f"区域 {region_id} 不在您的数据权限范围内")

    def narrow(self, region_id: int, level: str) -> Scope:
        """The sub-scope rooted at `region_id`, or raise ScopeError when it is outside."""
        self.check(region_id)
        return Scope(int(region_id), level)

    @classmethod
    def of_code(cls, code: str) -> Scope:
        """Scope for a 12-digit region code (the level follows from the code's shape)."""
        return cls(int(code), level_of_code(code))


def level_of_code(code: str | int) -> str:
    """The level a 12-digit code denotes (330681001000 → township)."""
    s = str(code).zfill(12)
    if len(s) != 12 or not s.isdigit():
        raise ValueError(f"不是12位区划代码: {code}")
    for level in ("village", "township", "county", "city"):
        if int(s[LEVEL_CODE_DIGITS[level] - (3 if level in ("village", "township") else 2) : LEVEL_CODE_DIGITS[level]]):
            return RegionLevel(level)
    return RegionLevel.PROVINCE


def region_span(level: str) -> int:
    """Number of ids a region of `level` spans (its subtree width)."""
    return _span(level)
