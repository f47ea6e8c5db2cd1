"""Server-side time of one rerun per page (一次重跑的服务端耗时), measured with Streamlit's AppTest.

Runs in its own process per preset (`python -m bench.server_side --db … --out result.json`), so the
app's caches, engine and imports start empty. Each page is opened signed in as the account posted at
the dataset root, at the top region:

- cold — `st.cache_data` / `st.cache_resource` cleared and engines disposed, then one run of the page in
  a fresh AppTest session (the first viewer after a restart or a data write). Python modules stay
  imported (a warm-up imports core/ and ui/ first) and the OS file cache is not dropped.
- warm — the same session reruns the page again (what every click after the first costs).

The map page is also opened at the city level and the size of its deck JSON recorded (the part of
the map payload the server builds; the browser phase counts the bytes actually sent).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

from core.config import REPO_ROOT

APP = REPO_ROOT / "app.py"
RUN_TIMEOUT_S = 900.0  # a cold province page may take minutes before the rollups land; never cut it short


def app_pages() -> list[tuple[str, str]]:
    """(url_path, file) of every st.Page in app.py's PAGES, in menu order (read from the source, not run)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                out.append((str(kw.get("url_path", Path(first.value).stem)), first.value))
    return out


def _clear_caches() -> None:
    import streamlit as st

    from core.db import dispose_engines

    st.cache_data.clear()
    st.cache_resource.clear()
    dispose_engines()


def _warm_imports() -> None:
    """Import every core/ and ui/ module (a real server has them after its first viewer)."""
    for pkg in ("core", "ui"):
        for mod in pkgutil.iter_modules([str(REPO_ROOT / pkg)]):
            importlib.import_module(f"{pkg}.{mod.name}")


def _new_session(page_file: str, username: str, region: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT_S)
    at.session_state["username"] = username
    at.query_params["region"] = region
    return at.switch_page(page_file)


def _timed_run(at) -> tuple[float, list[str]]:
    t = time.perf_counter()
    at.run()
    ms = (time.perf_counter() - t) * 1000
    return ms, [str(e.message)[:300] for e in at.exception]


def measure_page(page_file: str, username: str, region: str, runs: int, cold_runs: int) -> dict:
    """Cold runs (each a fresh session after clearing caches) and warm reruns of one page, in ms."""
    cold, errors, at = [], [], None
    for _ in range(cold_runs):
        _clear_caches()
        at = _new_session(page_file, username, region)
        ms, errs = _timed_run(at)
        cold.append(ms)
        errors += errs
    warm = []
    for _ in range(runs):
        ms, errs = _timed_run(at)
        warm.append(ms)
        errors += errs
    return {"cold_ms": cold, "cold_median_ms": statistics.median(cold), "warm_ms": warm,
            "warm_median_ms": statistics.median(warm), "errors": sorted(set(errors))}


def map_deck_bytes(username: str, region: str) -> dict:
    """Bytes of the deck JSON the map page sends for `region` (warm caches)."""
    at = _new_session("pages/map.py", username, region)
    at.run()
    decks = at.get("deck_gl_json_chart")
    return {"region": region, "bytes": sum(len(d.proto.json.encode()) for d in decks), "decks": len(decks),
            "errors": [str(e.message)[:300] for e in at.exception]}


def measure(db: Path, pages: list[str], username: str, region: str, city: str, runs: int, cold_runs: int) -> dict:
    """Every page's cold and warm rerun times, plus the map's city-level deck size."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from core.config import reset_settings

    reset_settings()
    _warm_imports()
    files = dict(app_pages())
    out: dict = {"pages": {}}
    for name in pages:
        print(f"[bench] {db.name}: {name} …", file=sys.stderr, flush=True)
        out["pages"][name] = measure_page(files[name], username, region, runs, cold_runs)
    if "map" in files:
        out["map_deck"] = map_deck_bytes(username, city)
    _clear_caches()
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line used by bench.__main__ (one process per preset)."""
    ap = argparse.ArgumentParser(prog="python -m bench.server_side")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--pages", required=True, help="comma-separated url paths")
    ap.add_argument("--username", required=True)
    ap.add_argument("--region", required=True, help="12-digit code of the top region")
    ap.add_argument("--city", required=True, help="12-digit code of the city-level map view")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    result = measure(a.db, a.pages.split(","), a.username, a.region, a.city, a.runs, a.cold_runs)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
