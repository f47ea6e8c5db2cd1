"""Every role type (SPEC §3) sees only its own slice on every page it may open, and no other page (#7).

For each demo account (the generator makes one per role, seed/accounts.py) on the real 绍兴 layout:
- the navigation app.py hands to st.navigation holds exactly the pages ui.nav allows the role;
- each allowed page, opened with `?region=` of a region outside the scope, shows nothing outside
  the scope: every text element, markdown/html, metric, dataframe cell and chart spec is searched
  for the names and codes of regions outside it (names and codes, not labels, so translation
  does not matter);
- each page it may not see, opened directly (a deep link), shows an error and no data.
"""

from __future__ import annotations

import re

import pytest
from google.protobuf.json_format import MessageToJson
from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT
from core.enums import Role
from core.scope import Scope
from tests.apptest import open_page
from tests.sql import rows as sql_rows
from ui.nav import page_allowed

APP = str(REPO_ROOT / "app.py")
PAGES = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py"))
_CODE = re.compile(r"(?<!\d)(\d{12}|\d{15})(?!\d)")
_U = re.compile(r"\\u([0-9a-fA-F]{4})")


def _account(url: str, username: str) -> Scope:
    region, level = sql_rows(url, "SELECT p.region_id, r.level FROM user_account u JOIN post p ON p.id = u.post_id "
                                  "JOIN region r ON r.id = p.region_id WHERE u.username = ?", (username,))[0]
    return Scope(int(region), level)


def _outside(url: str, scope: Scope) -> tuple[str, set[str], set[str]]:
    """(a code to put in the URL, names and codes of regions outside the scope and not above it)."""
    regions = sql_rows(url, "SELECT id, code, name, parent_id FROM region")
    grids = sql_rows(url, "SELECT id, code, name FROM grid")
    parent = {int(i): p for i, _, _, p in regions}
    above, cur = set(), parent.get(scope.region_id)
    while cur is not None:
        above.add(int(cur))
        cur = parent.get(int(cur))
    inside = [(c, n) for i, c, n, _ in regions if scope.contains(i) or i in above]
    inside += [(c, n) for i, c, n in grids if scope.contains_grid(i)]
    outside = [(i, c, n) for i, c, n, _ in regions if not scope.contains(i) and i not in above]
    outside += [(i, c, n) for i, c, n in grids if not scope.contains_grid(i)]
    allowed_names = {n for _, n in inside}
    names = {n for _, _, n in outside if len(n) >= 2 and not any(n in a for a in allowed_names)}
    codes = {str(c) for _, c, _ in outside}
    villages = [c for i, c, _, _ in regions if not scope.contains(i) and i not in above and len(str(i)) == 12
                and int(i) % 1000]
    probe = villages[-1] if villages else "330100000000"  # a city viewer: 杭州, not in this database at all
    return str(probe), names, codes


def _texts(at: AppTest) -> list[str]:
    """Every piece of text the script put on screen (main and sidebar), charts and tables included."""
    out: list[str] = []

    def walk(node) -> None:
        value = getattr(node, "value", None) if getattr(node, "type", "") in ("arrow_data_frame", "table") else None
        if value is not None and hasattr(value, "to_csv"):
            out.append(value.to_csv())
        elif getattr(node, "proto", None) is not None:
            text = MessageToJson(node.proto, ensure_ascii=False)
            out.append(_U.sub(lambda m: chr(int(m.group(1), 16)), text))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _open(page: str, username: str, code: str) -> AppTest:
    return open_page(page, username=username, region=code, timeout=180)


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_role_sees_only_its_scope_on_every_allowed_page(city_env, role):
    scope = _account(city_env, role)
    probe, names, codes = _outside(city_env, scope)
    for page in [p for p in PAGES if page_allowed(p, role)]:
        at = _open(page, role, probe)
        assert not at.exception, (role, page, at.exception)
        seen = "\n".join(_texts(at))
        # the demo centre's county picker lists real county names (cnmaps geography, not governance data)
        leaked_names = sorted(n for n in names if n in seen) if page != "demo" else []
        leaked_codes = sorted({c for c in _CODE.findall(seen) if c in codes})
        assert not leaked_names and not leaked_codes, (
            f"{role} (scope {scope.region_id}) on {page} with ?region={probe} sees outside its scope: "
            f"names {leaked_names[:10]}, codes {leaked_codes[:10]}")
        assert at.query_params["region"] != probe or scope.contains(int(probe)), "URL region not clamped to the scope"


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_navigation_offers_only_allowed_pages(city_env, role):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["username"] = role
    at.run()
    assert not at.exception, at.exception
    # app.py records "pages/<name>.py" for every page it offers
    offered = {p.removeprefix("pages/").removesuffix(".py") for p in at.session_state["_pages"]}
    assert offered == {p for p in PAGES if page_allowed(p, role)}


@pytest.mark.parametrize("role", [str(r) for r in Role])
def test_deep_link_to_a_forbidden_page_shows_the_refusal_not_data(city_env, role):
    forbidden = [p for p in PAGES if not page_allowed(p, role)]
    if not forbidden:
        pytest.skip(f"{role} may open every page")
    for page in forbidden:
        at = AppTest.from_file(str(REPO_ROOT / "pages" / f"{page}.py"), default_timeout=180)
        at.session_state["username"] = role
        at.run()
        assert not at.exception, (role, page, at.exception)
        assert len(at.error) >= 1, f"{role} opened forbidden {page} without a refusal"
        assert not at.dataframe and not at.metric and not at.get("plotly_chart") and not at.get("deck_gl_json_chart"), \
            f"{role} sees data on forbidden {page}"
