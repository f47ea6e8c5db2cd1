"""演示区县切换: only the city's administrators may switch the server-wide demo dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import demo
from core.actors import Actor
from core.enums import Role
from core.errors import PermissionDenied


def _actor(role: Role, *, read_only: bool = False) -> Actor:
    level = "city" if role in (Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.SCREEN_VIEWER) else "county"
    return Actor(person_id=1, name="测试", role=str(role), region_id=330600000000, level=level, read_only=read_only)


@pytest.fixture()
def existing_county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A county whose demo database already exists (so nothing is generated)."""
    monkeypatch.setattr(demo, "DATA_DIR", tmp_path)
    (tmp_path / "county-330624.db").write_bytes(b"")
    return "330624"


def test_city_admin_may_open_another_county(existing_county: str) -> None:
    assert demo.ensure_county_db(existing_county, _actor(Role.CITY_ADMIN)).name == "county-330624.db"


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.TOWN_ADMIN, Role.SCREEN_VIEWER, Role.VILLAGE_SECRETARY])
def test_other_roles_are_refused_and_nothing_is_generated(role: Role, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DATA_DIR", tmp_path)
    with pytest.raises(PermissionDenied, match="市级管理员"):
        demo.ensure_county_db("330624", _actor(role))
    assert not list(tmp_path.iterdir())


def test_read_only_city_account_is_refused(existing_county: str) -> None:
    assert not demo.may_switch_dataset(_actor(Role.CITY_ADMIN, read_only=True))
    with pytest.raises(PermissionDenied):
        demo.ensure_county_db(existing_county, _actor(Role.CITY_ADMIN, read_only=True))
