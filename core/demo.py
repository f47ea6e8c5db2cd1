"""Demo databases for visiting counties: list counties, find or generate one county's database."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.config import DATA_DIR, REPO_ROOT
from core.errors import DomainError


@dataclass(frozen=True)
class CountyOption:
    """A county that can be demonstrated: code, name and the province/city it belongs to."""

    code: str
    name: str
    province: str
    city: str

    @property
    def label(self) -> str:
        """'浙江省 绍兴市 诸暨市 (330681)'."""
        return f"{self.province} {self.city or ''} {self.name} ({self.code})".replace("  ", " ")


def county_options() -> list[CountyOption]:
    """Every county of China from the bundled cnmaps index, by code."""
    from seed import cnmaps  # the generator owns the boundary data; imported lazily

    return [CountyOption(a.adcode, a.name, a.province, a.city or "") for a in cnmaps.all_counties()]


def county_db_path(code: str) -> Path:
    """Where the demo database of a county lives."""
    return DATA_DIR / f"county-{code}.db"


def ensure_county_db(code: str, *, timeout_s: int = 600) -> Path:
    """The county's demo database, generating it first (`python -m seed --county`) if missing."""
    if not (len(code) == 6 and code.isdigit()):
        raise DomainError(f"区县代码必须是6位数字：{code}")
    path = county_db_path(code)
    if path.exists():
        return path
    done = subprocess.run([sys.executable, "-m", "seed", "--preset", "county", "--county", code, "--out", str(path),
                           "--quiet"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln]
        raise DomainError(lines[-1] if lines else "生成失败")
    return path
