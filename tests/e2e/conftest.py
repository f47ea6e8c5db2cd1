"""Fixtures for browser tests: a real ``streamlit run`` on a free port and system Chromium.

- ``start_app(env=None, script="app.py") -> ServerHandle``: factory, one fresh server per call
  (env laid over os.environ), all stopped at session end.
- ``app_url``: session-wide server for app.py with the current os.environ.
- ``browser_page``: a fresh 1920×1080 page recording every request; parametrise indirectly with a
  device_scale_factor (``@pytest.mark.parametrize("browser_page", [2], indirect=True)`` → 4K).
Skips without /usr/bin/chromium; fails instead when CI is set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from harness.browser import (
    CHROMIUM,
    MISSING_CHROMIUM,
    BrowserPage,
    ServerHandle,
    new_page,
    start_server,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as ``e2e`` so ``-m "not e2e"`` skips the browser suite."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here + os.sep):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)


@pytest.fixture(scope="session")
def start_app() -> Iterator[Callable[..., ServerHandle]]:
    """Factory starting a fresh server per call; every server is killed at session teardown."""
    handles: list[ServerHandle] = []

    def _start(env: dict[str, str] | None = None, script: str | os.PathLike[str] = "app.py") -> ServerHandle:
        handle = start_server(script, env=env)
        handles.append(handle)
        return handle

    yield _start
    for handle in handles:
        handle.stop()


@pytest.fixture(scope="session")
def app_url(start_app: Callable[..., ServerHandle], tiny_url: str) -> str:
    """Base URL of one app.py server shared by the session, on the session's tiny database (sign-in writes a
    session row there; os.environ's DATABASE_URL is the tests' guard path that nothing may open)."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    return start_app({"DATABASE_URL": tiny_url}).url


@pytest.fixture
def browser_page(request: pytest.FixtureRequest, chromium_browser: object) -> Iterator[BrowserPage]:
    """Fresh context and page; ``request.param`` (indirect) is the device_scale_factor, default 1."""
    scale = float(getattr(request, "param", 1) or 1)
    bp = new_page(chromium_browser, device_scale_factor=scale)
    yield bp
    bp.page.context.close()
