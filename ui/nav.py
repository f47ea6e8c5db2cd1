"""Which pages each role may see (SPEC §3); app.py builds the navigation from this."""

from __future__ import annotations

from core.enums import Role

ALL = frozenset(str(r) for r in Role)
#: url_path → roles that may open it (pages not listed are open to every signed-in role).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "leaders": ALL - {str(Role.GRID_WORKER), str(Role.LINE_CADRE)},
    "demo": frozenset({str(Role.CITY_ADMIN), str(Role.CITY_OPERATOR), str(Role.COUNTY_ADMIN), str(Role.SCREEN_VIEWER)}),
    # 我的工作台: the roles that act (core.desk.has_desk); first page for them
    "desk": frozenset(str(r) for r in (Role.TOWN_ADMIN, Role.TOWN_PARTY_DEPUTY, Role.TOWN_LEADER, Role.STATIONED_CADRE,
                                       Role.LINE_CADRE, Role.VILLAGE_ADMIN, Role.VILLAGE_SECRETARY,
                                       Role.VILLAGE_COMMITTEE, Role.GRID_WORKER, Role.DEPT_STAFF)),
}


def page_allowed(url_path: str, role: str) -> bool:
    """True when `role` may open the page at `url_path`."""
    return role in PAGE_ROLES.get(url_path, ALL)
