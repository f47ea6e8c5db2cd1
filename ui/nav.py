"""Which pages each role may see (SPEC §3), and which have a wall layout; app.py builds the navigation from this."""

from __future__ import annotations

from core.enums import Role

ALL = frozenset(str(r) for r in Role)
#: url_path → roles that may open it (pages not listed are open to every signed-in role).
PAGE_ROLES: dict[str, frozenset[str]] = {
    "leaders": ALL - {str(Role.GRID_WORKER), str(Role.LINE_CADRE)},
    "admin": frozenset(str(r) for r in (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.TOWN_ADMIN, Role.VILLAGE_ADMIN)),
    "audit": frozenset(str(r) for r in (Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.TOWN_ADMIN, Role.VILLAGE_ADMIN)),
    "password": ALL - {str(Role.SCREEN_VIEWER)},
    "demo": frozenset({str(Role.CITY_ADMIN), str(Role.CITY_OPERATOR), str(Role.COUNTY_ADMIN), str(Role.SCREEN_VIEWER)}),
    # 数据导入: administrators of a county or above (core.importer.load.IMPORT_ROLES)
    "importer": frozenset({str(Role.CITY_ADMIN), str(Role.COUNTY_ADMIN)}),
    # 我的工作台: the roles that act (core.desk.has_desk); first page for them
    "desk": frozenset(str(r) for r in (Role.TOWN_ADMIN, Role.TOWN_PARTY_DEPUTY, Role.TOWN_LEADER, Role.STATIONED_CADRE,
                                       Role.LINE_CADRE, Role.VILLAGE_ADMIN, Role.VILLAGE_SECRETARY,
                                       Role.VILLAGE_COMMITTEE, Role.GRID_WORKER, Role.DEPT_STAFF)),
}


def page_allowed(url_path: str, role: str) -> bool:
    """True when `role` may open the page at `url_path`."""
    return role in PAGE_ROLES.get(url_path, ALL)


#: Pages with a wall layout (大屏版式, issue 25: 1920×1080 seen from 5 m, nothing scrolls, no inputs, lists
#: rotate in place): the views the big-screen carousel may show, in its default order.
WALL_VIEWS: tuple[str, ...] = ("cockpit", "rankings", "map", "tasks", "leaders", "appeals")
#: Pages without one (work at a desk: inputs, long tables, downloads). Opened with ?screen=big they say so
#: and link to the wall views (`ui.setup`). Every page file is in exactly one of the two (tests/ui/test_nav.py):
#: a new page states whether it is a wall view.
DESK_ONLY: frozenset[str] = frozenset({"desk", "regions", "village", "dictionary", "demo", "admin", "audit", "password"})


def is_wall_view(url_path: str) -> bool:
    """True when the page at `url_path` has a wall layout (the carousel may show it)."""
    return url_path in WALL_VIEWS
