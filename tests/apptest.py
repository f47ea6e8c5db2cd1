"""Open a page of the app in Streamlit's AppTest the way the page tests do (one opener for all of them)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.config import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def open_page(page: str | None = None, *, region: str | None = None, username: str | None = None,
              lang: str | None = None, timeout: float = 120, **params: str) -> AppTest:
    """Run app.py (signed in as `username` when given, else as tests/pages/conftest.py's default user), then
    switch to `page` ("tasks" or "pages/tasks.py"; None stays on the cockpit).

    `region` and the other `params` go into the URL before the first run and again after the switch (a page
    switch starts from the new page's URL); `lang` sets the language in both the URL and the session.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    if username:
        at.session_state["username"] = username
    if lang:
        at.session_state["lang"] = lang
        params["lang"] = lang
    if region:
        params["region"] = region
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page if page.endswith(".py") else f"pages/{page}.py")
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    return at


def open_desk(username: str, section: str, timeout: float = 90) -> AppTest:
    """我的工作台 of `username` (signed in), opened on its `section` (the desk's section picker key)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["username"] = username
    at.run()
    at.session_state["desk-section"] = section
    return at.run()


def assert_clean(at: AppTest) -> None:
    """No exception and no error message on screen."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
