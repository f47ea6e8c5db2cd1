"""Helpers for browser tests: start the app on a free port, drive system Chromium, check offline.

Used by tests/e2e/conftest.py and bench/browser_phase.py (``from harness.browser import …``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    "Chromium not found at /usr/bin/chromium: apt-get install chromium fonts-noto-cjk (CI's .ci/run does it)"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Deterministic software WebGL for deck.gl / plotly gl traces.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Any name other than loopback fails to resolve: an accidental CDN fetch shows up as a failed
    # request (recorded and asserted on) instead of silently succeeding on a networked CI runner.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1920, "height": 1080}
IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass
class ServerHandle:
    """A running ``streamlit run``: base ``url`` (no trailing slash), the process and its log file."""

    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server's whole process group; SIGKILL after ``timeout`` seconds."""
        stop_process_group(self.proc, timeout)

    def log_tail(self, n: int = 40) -> str:
        """Last ``n`` lines of the server log, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


@dataclass
class BrowserPage:
    """A Playwright page plus everything it asked for: request URLs and uncaught page errors."""

    page: object  # playwright.sync_api.Page (kept untyped so importing this needs no playwright)
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    username: str | None = "county_admin"  # signed in through the session cookie; None = signed out

    def open(self, url: str, timeout_ms: int = 60_000) -> object:
        """Go to ``url`` (signed in as ``username``), wait until Streamlit is idle, and return the page."""
        if self.username:
            sign_in(self.page.context, url, self.username)
        self.page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
        wait_idle(self.page, timeout_ms=timeout_ms)
        return self.page


E2E_SECRET = "e2e-test-secret-" + "0" * 32  # every test server keys its sessions with this (≥ 32 characters)


#: base URL of each server started here → its DATABASE_URL (sign_in writes the session row there).
SERVER_DATABASES: dict[str, str] = {}


def sign_in(context: object, url: str, username: str, database_url: str | None = None) -> None:
    """Give a browser context a live session of ``username`` (a row in the server's database) for ``url``."""
    from datetime import datetime
    from urllib.parse import urlparse

    from core.auth import start_session
    from core.config import AuthConfig
    from core.db import make_engine

    origin = urlparse(url)
    base = f"{origin.scheme}://{origin.netloc}"
    db = database_url or SERVER_DATABASES.get(base) or os.environ.get("DATABASE_URL", "")
    engine = make_engine(db)
    try:
        token = start_session(engine, username, now=datetime.now(), secret=E2E_SECRET, hours=1)
    finally:
        engine.dispose()
    context.add_cookies([{"name": AuthConfig().cookie_name, "value": token,
                          "url": f"{origin.scheme}://{origin.netloc}/"}])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process_group(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM the process group led by ``proc`` (started with start_new_session), then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def start_server(
    script: str | os.PathLike[str] = "app.py",
    *,
    env: dict[str, str] | None = None,
    cwd: Path = REPO_ROOT,
    timeout: float = 60.0,
) -> ServerHandle:
    """Start ``streamlit run script`` on a free loopback port and wait for /_stcore/health.

    ``env`` is laid over ``os.environ`` (so a test's DATABASE_URL etc. reach the app). Runs from
    ``cwd`` (the repo root: .streamlit/config.toml is read from there); static/ is served from
    the script's folder. Raises RuntimeError with the log tail if it dies or is not healthy in time.
    """
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"server-{port}.log"
    full_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1", "XINGCUN_SECRET": E2E_SECRET}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    handle = ServerHandle(url=f"http://127.0.0.1:{port}", proc=proc, log_path=log_path)
    if full_env.get("DATABASE_URL"):
        SERVER_DATABASES[handle.url] = full_env["DATABASE_URL"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{handle.log_tail()}")
        try:
            with urllib.request.urlopen(f"{handle.url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return handle
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    handle.stop()
    raise RuntimeError(f"streamlit not healthy after {timeout:.0f}s:\n{handle.log_tail()}")


def launch_chromium(playwright: object, *, headless: bool = True) -> object:
    """System Chromium via Playwright with the offline, deterministic-WebGL flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=headless)


def new_page(
    browser: object, *, device_scale_factor: float = 1.0, viewport: dict[str, int] | None = None
) -> BrowserPage:
    """A fresh context + page (1920×1080 unless told; scale 2 gives 3840×2160 pixels) that records requests."""
    context = browser.new_context(
        viewport=viewport or VIEWPORT,
        device_scale_factor=device_scale_factor,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers="block",
    )
    page = context.new_page()
    bp = BrowserPage(page=page)
    page.on("request", lambda req: bp.requests.append(req.url))
    page.on("websocket", lambda ws: bp.requests.append(ws.url))
    page.on("pageerror", lambda err: bp.page_errors.append(str(err)))
    return bp


def is_local(url: str) -> bool:
    """True for loopback http(s)/ws(s) URLs and for data:, blob: and about: URLs."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


def assert_only_local(requests: Iterable[str]) -> None:
    """Fail listing every request that left the machine (anything not loopback, data: or blob:)."""
    outside = sorted({u for u in requests if not is_local(u)})
    assert not outside, "requests left the machine (offline intranet):\n  " + "\n  ".join(outside)


def wait_idle(page: object, *, timeout_ms: int = 60_000, settle_ms: int = 500) -> None:
    """Wait until the script run is over and no skeleton placeholders remain, then settle briefly."""
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout_ms
    )
    # A rerun can start right after the first idle (e.g. query params written on load).
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout_ms)
    # Best effort: a font that never loads shows up in the screenshot instead.
    with contextlib.suppress(Exception):
        page.evaluate("document.fonts.ready.then(() => true)")


def screenshot(page: object, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG to tests/artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def pixel_variance(png_path: str | os.PathLike[str], box: tuple[int, int, int, int] | None = None) -> float:
    """Variance of greyscale pixel values (0–255²) of a PNG, optionally cropped to (left, top, right, bottom)."""
    from PIL import Image, ImageStat

    with Image.open(png_path) as img:
        grey = (img.crop(box) if box else img).convert("L")
        return float(ImageStat.Stat(grey).var[0])


def canvas_not_blank(
    png_path: str | os.PathLike[str], floor: float = 25.0, box: tuple[int, int, int, int] | None = None
) -> bool:
    """True when the image (e.g. an element screenshot of a deck.gl canvas) varies more than ``floor``."""
    return pixel_variance(png_path, box) > floor
