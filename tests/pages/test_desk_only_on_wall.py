"""AppTest: a page without a wall layout, opened with ?screen=big, says so, links to the wall views and shows none
of its desk widgets (issue 25: a read-only wall shows no inputs)."""

from __future__ import annotations

import pytest

from core.i18n import term
from tests.apptest import open_page
from ui.nav import DESK_ONLY, WALL_VIEWS

PAGES = sorted(p for p in DESK_ONLY if p != "desk")  # 我的工作台 is not open to the administrators these tests sign in as


@pytest.mark.parametrize("page", PAGES)
def test_desk_only_page_on_the_wall_says_it_has_no_wall_layout(app_env, page):
    at = open_page(page, screen="big")
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "没有大屏版式" in html
    assert not at.dataframe and not at.selectbox and not at.text_input and not at.number_input and not at.date_input
    links = [(el.proto.label, el.proto.query_string) for el in at.get("page_link")]
    assert [label for label, _ in links] == [term("page", v) for v in WALL_VIEWS]
    assert all("screen=big" in query and "region=" in query for _, query in links), links


def test_desk_only_page_keeps_its_desk_layout_off_the_wall(app_env):
    at = open_page("regions")
    assert not at.exception
    assert at.dataframe, "the desk layout of 区划浏览 is unchanged"

