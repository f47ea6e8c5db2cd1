"""Browser phase (浏览器测量): a real `streamlit run` of app.py and of bench/empty_app.py, driven by Debian Chromium.

For one database it measures, in this order, on one app server:

1. session 1 opens the cockpit at the top region (server caches cold; kept open) → RSS with 1 session;
2. time to idle, `runs` times, alternating the empty page and the cockpit, each in a fresh browser
   context (empty HTTP cache, new Streamlit session; server caches warm from step 1) → medians and ratio;
3. the map page at the city level in a fresh context → WebSocket bytes received (everything the server
   sends for that page: deck JSON, widgets, legend, the session's start messages);
3b. every wall view (`ui.nav.WALL_VIEWS`, `?screen=big`, signed in as the read-only 大屏 account posted at
   the root): one load to warm its caches, then `wall_runs` loads each, alternating with the empty page →
   medians and each view's ratio to the empty page (issue 25);
4. sessions 2–10 open the other pages in menu order, each at a different region one level below the top,
   and stay open → RSS with 10 sessions (after they are all idle, and the peak sampled while they load).

Time to idle = from `page.goto` until Streamlit's app reports `data-test-script-state=notRunning`, no
skeleton is left, no HTTP request is in flight, and neither that nor any WebSocket frame changed for
0.5 s; the figure is the start of that quiet half second. RSS is the server process plus its children.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.presets import Target
from core.config import REPO_ROOT
from harness.browser import CHROMIUM, VIEWPORT, launch_chromium, sign_in, start_server

QUIET_S = 0.5
POLL_MS = 50
LOAD_TIMEOUT_S = 600.0
SESSIONS = 10
STATE_JS = """() => [document.querySelector("[data-testid='stApp']")?.getAttribute("data-test-script-state") ?? "",
    document.querySelectorAll("[data-testid='stSkeleton']").length,
    document.querySelectorAll("[data-testid='stException']").length]"""


@dataclass
class Load:
    """One page load: seconds to idle and what crossed the wire."""

    seconds: float
    script_s: float | None  # when the script run first reported notRunning (the rest is the browser drawing)
    ws_received: int
    http_requests: int
    exceptions: int  # st.exception boxes on the page when it went idle (the page raised)
    context: object  # the Playwright BrowserContext (closed unless kept)


class _Wire:
    """Counts requests and WebSocket frames of one page and remembers the last time anything moved."""

    def __init__(self, page: object) -> None:
        self.last = time.perf_counter()
        self.in_flight = self.requests = self.ws_received = 0
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("websocket", self._socket)

    def touch(self) -> None:
        self.last = time.perf_counter()

    def _started(self, _request: object) -> None:
        self.requests += 1
        self.in_flight += 1
        self.touch()

    def _ended(self, _request: object) -> None:
        self.in_flight -= 1
        self.touch()

    def _received(self, payload: bytes | str) -> None:
        self.ws_received += len(payload.encode() if isinstance(payload, str) else payload)
        self.touch()

    def _socket(self, ws: object) -> None:
        self.touch()
        ws.on("framereceived", self._received)
        ws.on("framesent", lambda _payload: self.touch())


def load(browser: object, url: str, username: str | None, *, keep: bool = False) -> Load:
    """Open `url` in a fresh context (signed in as `username`) and time it to idle."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  service_workers="block")
    if username:
        sign_in(context, url, username)
    page = context.new_page()
    wire = _Wire(page)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
    idle_since, script_done, deadline = None, None, t0 + LOAD_TIMEOUT_S
    while True:
        state, skeletons, exceptions = page.evaluate(STATE_JS)
        now = time.perf_counter()
        if state == "notRunning" and script_done is None:
            script_done = now - t0
        idle = state == "notRunning" and skeletons == 0 and wire.in_flight <= 0
        idle_since = (idle_since or now) if idle else None
        if idle_since is not None and now - max(idle_since, wire.last) >= QUIET_S:
            break
        if now > deadline:
            context.close()
            raise TimeoutError(f"{url} not idle after {LOAD_TIMEOUT_S:.0f} s")
        page.wait_for_timeout(POLL_MS)
    result = Load(max(idle_since, wire.last) - t0, script_done, wire.ws_received, wire.requests, exceptions,
                  context)
    if not keep:
        context.close()
    return result


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its children."""
    proc = psutil.Process(pid)
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


class PeakSampler:
    """Samples a process tree's RSS in a thread until stopped; `.peak` is the largest seen."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.pid, self.every_s, self.peak = pid, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, rss_bytes(self.pid))
            self._stop.wait(self.every_s)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _page_url(base: str, url_path: str, region: str) -> str:
    return f"{base}/?region={region}" if url_path == "cockpit" else f"{base}/{url_path}?region={region}"


def _empty_app_dir() -> Path:
    """A temp folder with the empty app and a link to static/, so both servers load the same web fonts."""
    folder = Path(tempfile.mkdtemp(prefix="xc-bench-empty-"))
    shutil.copy(Path(__file__).with_name("empty_app.py"), folder / "empty_app.py")
    (folder / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    return folder


def _say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _sessions(browser: object, base: str, t: Target, pages: list[str]) -> list[dict]:
    """Sessions 2…10: other pages in menu order, each at another region below the top; all kept open."""
    opened, regions = [], t.children or (t.top,)
    others = [p for p in pages if p != "cockpit"] or ["cockpit"]
    for i in range(SESSIONS - 1):
        url = _page_url(base, others[i % len(others)], regions[i % len(regions)].code)
        got = load(browser, url, t.username, keep=True)
        opened.append({"url": url.removeprefix(base), "seconds": round(got.seconds, 3), "exceptions": got.exceptions,
                       "context": got.context})
        _say(f"session {i + 2}/{SESSIONS}: {url.removeprefix(base)} {got.seconds:.1f} s")
    return opened


def _walls(browser: object, base: str, empty: str, t: Target, runs: int) -> dict:
    """Time to idle of each wall view at the top region against the empty page, loaded in turn (warm caches)."""
    from ui.nav import WALL_VIEWS

    user = t.screen_username or t.username
    views: dict[str, dict] = {}
    blank: list[float] = []
    for view in WALL_VIEWS if runs > 0 else ():
        url = _page_url(base, view, t.top.code) + "&screen=big"
        warm = load(browser, url, user)
        times, script = [], []
        for _ in range(runs):
            blank.append(load(browser, f"{empty}/", None).seconds)
            got = load(browser, url, user)
            times.append(got.seconds)
            script.append(got.script_s)
        views[view] = {"first_s": round(warm.seconds, 3), "idle_s": times, "idle_median_s": statistics.median(times),
                       "script_done_median_s": statistics.median(s for s in script if s is not None),
                       "exceptions": max(warm.exceptions, got.exceptions)}
        _say(f"wall {view}: first {warm.seconds:.1f} s, idle {times}")
    base_s = statistics.median(blank) if blank else None
    for v in views.values():
        v["ratio"] = v["idle_median_s"] / base_s if base_s else None
    return {"username": user, "empty_idle_s": blank, "empty_idle_median_s": base_s, "views": views}


def measure(t: Target, pages: list[str], runs: int, wall_runs: int = 5) -> dict:
    """Time to idle (cockpit vs empty page), map WebSocket bytes and server RSS for one database."""
    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)"}
    from playwright.sync_api import sync_playwright

    empty_dir = _empty_app_dir()
    app = start_server("app.py", env={"DATABASE_URL": f"sqlite:///{t.db}"})
    empty = start_server(empty_dir / "empty_app.py")
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            cockpit_url = _page_url(app.url, "cockpit", t.top.code)
            first = load(browser, cockpit_url, t.username, keep=True)
            time.sleep(1.0)
            out["cockpit_first_load_s"] = round(first.seconds, 3)
            out["rss_1_session_bytes"] = rss_bytes(app.proc.pid)
            _say(f"cockpit first load {first.seconds:.1f} s, RSS {out['rss_1_session_bytes'] / 1e6:.0f} MB")
            cockpit, blank, script = [], [], []
            for _ in range(runs):
                blank.append(load(browser, f"{empty.url}/", None).seconds)
                got = load(browser, cockpit_url, t.username)
                cockpit.append(got.seconds)
                script.append(got.script_s)
                out["cockpit_exceptions"] = max(out.get("cockpit_exceptions", 0), got.exceptions)
            out.update(cockpit_idle_s=cockpit, empty_idle_s=blank, cockpit_idle_median_s=statistics.median(cockpit),
                       empty_idle_median_s=statistics.median(blank), cockpit_script_done_s=script,
                       cockpit_script_done_median_s=statistics.median(s for s in script if s is not None))
            out["idle_ratio"] = out["cockpit_idle_median_s"] / out["empty_idle_median_s"]
            _say(f"time to idle: cockpit {cockpit}, empty {blank}")
            m = load(browser, _page_url(app.url, "map", t.city.code), t.username)
            out["map_ws"] = {"region": t.city.code, "name": t.city.name, "level": t.city.level,
                             "bytes": m.ws_received, "seconds": round(m.seconds, 3), "exceptions": m.exceptions}
            out["wall"] = _walls(browser, app.url, empty.url, t, wall_runs)
            sampler = PeakSampler(app.proc.pid)
            opened = _sessions(browser, app.url, t, pages)
            time.sleep(1.0)
            out["rss_10_sessions_bytes"] = rss_bytes(app.proc.pid)
            out["rss_10_sessions_peak_bytes"] = max(sampler.stop(), out["rss_10_sessions_bytes"])
            out["sessions"] = [{"url": "/?region=" + t.top.code, "seconds": round(first.seconds, 3)}] + [
                {k: v for k, v in s.items() if k != "context"} for s in opened]
            for ctx in [first.context] + [s["context"] for s in opened]:
                ctx.close()
            browser.close()
    finally:
        app.stop()
        empty.stop()
        shutil.rmtree(empty_dir, ignore_errors=True)
    return out
