"""Browser: the grid map draws at city level and at a village at 1920×1080 with no request leaving localhost.

Starts the real server on a free port against a private tiny DB with 绍兴市 above its county (or the DB in
$XINGCUN_MAP_E2E_DB), opens Chromium that can resolve nothing but localhost, records every request,
checks the deck canvas is not blank (pixel spread of the map area) and saves screenshots to tests/artifacts/.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from core.config import REPO_ROOT
from harness.browser import E2E_SECRET, SERVER_DATABASES, sign_in
from tests.sql import first_code, url_of
from tests.sql import rows as sql_rows

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")
Image = pytest.importorskip("PIL.Image")
np = pytest.importorskip("numpy")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
STD_FLOOR = 12.0  # grey-level standard deviation of a drawn map (a blank canvas is ~0)
DECK = "[data-testid='stDeckGlJsonChart']"

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _add_city_parent(db: str | Path) -> None:
    from tests.pages.test_map_page import add_city_parent

    add_city_parent(db)


@pytest.fixture(scope="module")
def map_db(tiny_copy) -> str | Path:
    """The database the server reads: $XINGCUN_MAP_E2E_DB, else a tiny copy with a city level."""
    if os.environ.get("XINGCUN_MAP_E2E_DB"):
        return Path(os.environ["XINGCUN_MAP_E2E_DB"])
    db = tiny_copy()
    _add_city_parent(db)
    return db


@pytest.fixture(scope="module")
def server(map_db):
    """A started Streamlit server on a free loopback port; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url_of(map_db), "XINGCUN_SECRET": E2E_SECRET}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],  # others edit the tree
                            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    SERVER_DATABASES[base] = url_of(map_db)  # harness.browser.sign_in writes the session row there
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(chromium_browser):
    """The session's shared Chromium (launched with loopback-only host resolution)."""
    return chromium_browser


@pytest.fixture(scope="module")
def warm(server, browser) -> str:
    """Open the entrypoint once: a fresh server runs the first deep link without app.py (Streamlit 1.67)."""
    page = browser.new_page()
    sign_in(page.context, server, "city_admin")
    page.goto(server)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.close()
    return server


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def _map_std(png: bytes) -> float:
    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float).std())


def _open_map(browser, base: str, code: str, name: str) -> tuple[float, float, list[str]]:
    """Open the map at `code`; return (seconds to a drawn canvas, pixel std, non-local requests)."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    sign_in(page.context, base, "city_admin")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    t0 = time.perf_counter()
    page.goto(f"{base}/map?region={code}")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_selector(f"{DECK} canvas", timeout=60_000)
    ready = time.perf_counter() - t0
    std, drawn = 0.0, None
    while time.perf_counter() - t0 < 60:
        std = _map_std(page.locator(DECK).screenshot())
        if std > STD_FLOOR:
            drawn = time.perf_counter() - t0
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)  # let the text atlas settle before the screenshot
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}-1920x1080.png"))
    page.close()
    print(f"\n{name}: script done + canvas in DOM {ready:.2f} s", end="")
    return (drawn if drawn is not None else float("inf")), std, [u for u in requests if not _is_local(u)]


@pytest.mark.parametrize("level", ["city", "village"])
def test_map_draws_offline_at_1920x1080(warm, browser, map_db, level):
    seconds, std, outside = _open_map(browser, warm, first_code(map_db, level), level)
    print(f"\nmap {level}: drawn canvas {seconds:.2f} s after navigation, pixel std {std:.1f}")
    assert not outside, f"requests left localhost: {outside[:5]}"
    assert std > STD_FLOOR, f"map canvas looks blank (std {std:.1f})"
    assert seconds < 45  # SwiftShader on a shared CI box; the note quotes measured times


def _screen_xy(box: dict, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Pixel position of (lon, lat) inside the deck element for a Web-Mercator view state."""
    import math

    world = 512 * 2 ** view["zoom"]

    def merc(la: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    dx = (lon - view["longitude"]) / 360 * world
    dy = -(merc(lat) - merc(view["latitude"])) / (2 * math.pi) * world
    return box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy


def test_clicking_a_village_polygon_opens_its_card_and_drills(warm, browser, map_db):
    """A real click on a village of a township view shows the card; 下钻到此 moves the app to that village."""
    import json

    town = first_code(map_db, "township")
    code, name, lon, lat = sql_rows(map_db, "SELECT code, name, lon, lat FROM region WHERE parent_id=? ORDER BY id LIMIT 1",
                                    (int(town),))[0]
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    sign_in(page.context, warm, "city_admin")
    page.goto(f"{warm}/map?region={town}")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_selector(f"{DECK} canvas", timeout=60_000)
    page.wait_for_timeout(1500)
    from sqlmodel import Session

    from core import geo_layers
    from core.db import make_engine
    from core.scope import Scope
    from ui.map_view import build_deck, region_table
    from ui.theme import LIGHT

    eng = make_engine(url_of(map_db))
    with Session(eng) as s:
        root = Scope(int(town), "township")
        table = region_table(geo_layers.layer_shapes(s, root, int(town), "township"), geo_layers.layer_metrics(
            s, root, int(town), "township", __import__("datetime").date(2026, 10, 31)), "overdue_tasks", LIGHT)
        view = json.loads(build_deck(table, geo_layers.region_outline(s, root, int(town)), LIGHT).to_json())
    eng.dispose()
    x, y = _screen_xy(page.locator(DECK).bounding_box(), view["initialViewState"], lon, lat)
    page.mouse.move(x, y)  # deck.gl picks on hover first; an instant click can land before the pick
    page.wait_for_timeout(300)
    page.mouse.down()
    page.wait_for_timeout(80)
    page.mouse.up()
    drill = page.get_by_role("button", name="下钻到此")
    try:
        drill.wait_for(timeout=30_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "map-click-card-1920x1080.png"))
    assert page.get_by_text(name).count() >= 1
    drill.click()
    page.wait_for_function(f"window.location.search.includes('{code}')", timeout=30_000)
    # the URL changes before the drilled run has drawn: wait for the village's own heading
    page.get_by_text(f"{name} · 网格地图").first.wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    assert page.get_by_text(f"{name} · 网格地图").count() == 1
    page.screenshot(path=str(ARTIFACTS / "map-after-click-drill-1920x1080.png"))
    page.close()
