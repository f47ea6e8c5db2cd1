"""Signed out, every page's deep link shows the sign-in screen; demo one-click sign-in works."""

from __future__ import annotations

import pytest

from harness.browser import assert_only_local, screenshot, wait_idle

PAGES = ["", "desk", "cockpit", "regions", "rankings", "dictionary", "map", "leaders", "village", "tasks", "appeals", "demo"]


@pytest.fixture(scope="module")
def fresh_url(start_app, tiny_url) -> str:
    """A freshly started server (the first deep link runs the page file without app.py)."""
    return start_app(env={"DATABASE_URL": tiny_url}).url


@pytest.mark.parametrize("path", PAGES)
def test_deep_link_signed_out_shows_sign_in_never_data(start_app, tiny_url, browser_page, path):
    url = start_app(env={"DATABASE_URL": tiny_url}).url  # fresh server per page
    browser_page.username = None
    page = browser_page.open(f"{url}/{path}", timeout_ms=120_000)
    # A fresh server's first deep link runs the page file, which hands over to app.py (a rerun); under
    # load the form's script file can still be loading when the first idle is seen: wait for the form.
    page.wait_for_selector("input[type='password']", timeout=60_000)
    body = page.inner_text("[data-testid='stApp']")
    assert "登录" in body and "用户名" in body, body[:300]
    for data_word in ("任务完成率", "区划代码", "逾期天数", "领雁指数排名", "诉求"):
        assert data_word not in body, f"{path}: data visible while signed out ({data_word})"
    assert not page.query_selector("[data-testid='stException']")
    assert_only_local(browser_page.requests)


def test_sign_in_screen_and_one_click_demo_sign_in(fresh_url, browser_page):
    browser_page.username = None
    page = browser_page.open(fresh_url + "/", timeout_ms=120_000)
    screenshot(page, "signin-1920x1080")
    page.get_by_role("button", name="以 县级管理员（新昌县） 登录").click()
    wait_idle(page, timeout_ms=120_000)
    page.wait_for_selector("text=驾驶舱", timeout=60_000)
    assert "新昌县" in page.inner_text("[data-testid='stApp']")
    page.reload()  # the signed cookie survives a reload
    wait_idle(page, timeout_ms=120_000)
    assert "用户名" not in page.inner_text("[data-testid='stApp']")
    assert_only_local(browser_page.requests)


@pytest.mark.parametrize("path", ["appeals", "rankings"])
def test_signed_in_deep_link_on_fresh_server_gets_the_app_menu(start_app, tiny_url, browser_page, path):
    """The first request to a fresh server is a deep link while signed in: the page runs through app.py's
    navigation (titled menu, role filter), not as a bare file with a menu of file names."""
    url = start_app(env={"DATABASE_URL": tiny_url}).url  # fresh server: the deep link is its first request
    page = browser_page.open(f"{url}/{path}", timeout_ms=120_000)
    nav = page.inner_text("[data-testid='stSidebarNav']")
    assert "驾驶舱" in nav and "民情与预警" in nav, nav
    for raw in ("app\n", "appeals\n", "cockpit\n"):
        assert raw not in nav + "\n", f"raw page file names in the menu: {nav!r}"
    assert page.url.rstrip("/").split("?")[0].endswith(path), page.url
    assert not page.query_selector("[data-testid='stException']")
    assert_only_local(browser_page.requests)
