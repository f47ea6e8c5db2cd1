"""Every page states whether it is a wall view (issue 25), and the carousel shows only wall views."""

from __future__ import annotations

from core.config import REPO_ROOT, BigScreenConfig
from ui import carousel
from ui.nav import DESK_ONLY, WALL_VIEWS, is_wall_view


def test_every_page_file_is_either_a_wall_view_or_desk_only():
    stems = {p.stem for p in (REPO_ROOT / "pages").glob("*.py")}
    unclassified = stems - set(WALL_VIEWS) - DESK_ONLY
    assert not unclassified, f"pages that do not say whether they are a wall view (ui.nav): {sorted(unclassified)}"
    assert not set(WALL_VIEWS) & DESK_ONLY
    assert set(WALL_VIEWS) <= stems, "a wall view without its page file"


def test_the_default_carousel_holds_only_wall_views():
    assert all(is_wall_view(v) for v in BigScreenConfig().carousel_views)


def test_carousel_leaves_out_pages_without_a_wall_layout():
    assert carousel.views("regions,cockpit,village,desk,map,nosuch,map", "county_admin") == ["cockpit", "map"]
    assert carousel.views("appeals,leaders", "grid_worker") == ["appeals"]  # the role may not open 领雁指数
