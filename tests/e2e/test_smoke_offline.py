"""The home page renders without an exception and fetches nothing from outside the machine."""

from __future__ import annotations

from harness.browser import BrowserPage, assert_only_local, screenshot


def test_home_renders_offline_without_exception(app_url: str, browser_page: BrowserPage) -> None:
    page = browser_page.open(app_url + "/")

    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stApp']").is_visible()
    screenshot(page, "home")
    assert not browser_page.page_errors, browser_page.page_errors
    assert_only_local(browser_page.requests)
