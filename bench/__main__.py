"""`make bench`: every page's rerun time, browser time to idle, map bytes, server memory and 简报 time per preset.

    python -m bench [--presets county,city,province] [--pages cockpit,map,…] [--runs 5] [--cold-runs 3]
                    [--browser-runs 7] [--wall-runs 5] [--no-browser] [--no-briefing] [--briefing-children]
                    [--build-province] [--strict]
    python -m bench cockpit alerts …     core-level timings of the older bench modules (any with a run())
    python -m bench --core               all of those

Prints one block per preset (pages with cold/warm medians, then browser, map and RSS figures, each next
to its issue-#9 target with PASS/FAIL) and writes the same figures to bench/results/<time>-<presets>.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from bench import presets, report
from bench.server_side import app_pages
from core.config import REPO_ROOT

BARE_MODE_NOISE = ("missing ScriptRunContext", "No runtime found, using MemoryCacheStorageManager")


def core_modules() -> list[str]:
    """The older core-level bench modules: every bench/*.py with a run()."""
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    return [n for n in names if callable(getattr(importlib.import_module(f"bench.{n}"), "run", None))]


def run_core(names: list[str]) -> int:
    """Run the named core-level bench modules; 1 when any of them raised."""
    failed = 0
    for name in names:
        print(f"\n== bench.{name} ==")
        try:
            importlib.import_module(f"bench.{name}").run()
        except Exception:  # noqa: BLE001 — one broken bench must not hide the others' tables
            traceback.print_exc()
            failed += 1
    return 1 if failed else 0


def parse(argv: list[str]) -> argparse.Namespace:
    """Command line."""
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", help="core-level bench modules to run instead (e.g. cockpit alerts)")
    ap.add_argument("--core", action="store_true", help="run every core-level bench module")
    ap.add_argument("--presets", default=",".join(presets.PRESET_NAMES))
    ap.add_argument("--pages", default="", help="url paths from app.py (default: all)")
    ap.add_argument("--runs", type=int, default=5, help="warm reruns per page (median)")
    ap.add_argument("--cold-runs", type=int, default=3, help="cold runs per page (median)")
    ap.add_argument("--browser-runs", type=int, default=7,
                    help="page loads each of cockpit and empty page (median; one load varies by ±0.3 s on 2 cores)")
    ap.add_argument("--wall-runs", type=int, default=5,
                    help="loads of each big-screen wall view, each after an empty page (median; 0 skips the walls)")
    ap.add_argument("--no-browser", action="store_true", help="server-side timings only")
    ap.add_argument("--build-province", action="store_true", help="generate data/province.db when missing")
    ap.add_argument("--no-build", action="store_true", help="never generate a database; skip missing presets")
    ap.add_argument("--no-briefing", action="store_true", help="skip the 简报 timings (issue #23)")
    ap.add_argument("--briefing-children", action="store_true",
                    help="also time --children below a city or county (always timed below a province)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when any target fails")
    return ap.parse_args(argv)


def server_side(t: presets.Target, pages: list[str], a: argparse.Namespace) -> dict:
    """AppTest timings in a fresh process (empty caches, nothing imported yet but what it needs)."""
    with tempfile.TemporaryDirectory(prefix="xc-bench-") as tmp:
        out = Path(tmp) / "server.json"
        cmd = [sys.executable, "-m", "bench.server_side", "--db", str(t.db), "--pages", ",".join(pages),
               "--username", t.username, "--region", t.top.code, "--city", t.city.code,
               "--runs", str(a.runs), "--cold-runs", str(a.cold_runs), "--out", str(out)]
        with subprocess.Popen(cmd, cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True) as proc:
            for line in proc.stderr:  # AppTest in bare mode warns on every cache call: keep only the rest
                if not any(noise in line for noise in BARE_MODE_NOISE):
                    sys.stderr.write(line)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd)
        return json.loads(out.read_text(encoding="utf-8"))


def bench_preset(preset: str, pages: list[str], a: argparse.Namespace) -> dict:
    """Every figure of one preset (or why it was skipped)."""
    build = not a.no_build and (preset != "province" or a.build_province)
    db, note = presets.resolve(preset, build=build)
    if db is None:
        if preset == "province":
            note += " (another run builds it; or `make bench BENCH_ARGS=--build-province`)"
        return {"skipped": note}
    t = presets.target(db)
    r: dict = {"db": str(db.relative_to(REPO_ROOT)) if db.is_relative_to(REPO_ROOT) else str(db),
               "db_mb": db.stat().st_size / report.MB, "db_note": note, "username": t.username,
               "read_only_account": t.read_only, "top": vars(t.top), "city": vars(t.city),
               "load_before": os.getloadavg()[0]}
    print(f"[bench] {preset}: {r['db']} — server-side reruns of {len(pages)} pages", file=sys.stderr, flush=True)
    r.update(server_side(t, pages, a))
    if not a.no_briefing:
        from bench import briefing_phase

        print(f"[bench] {preset}: 简报 (python -m core.briefing)", file=sys.stderr, flush=True)
        r["briefing"] = briefing_phase.measure(t, children=t.top.level == "province" or a.briefing_children)
    if not a.no_browser:
        from bench import browser_phase

        print(f"[bench] {preset}: browser phase", file=sys.stderr, flush=True)
        r["browser"] = browser_phase.measure(t, pages, a.browser_runs, a.wall_runs)
    r["load_after"] = os.getloadavg()[0]
    return r


def main(argv: list[str]) -> int:
    """Entry point: the page bench, or the core-level modules when named."""
    a = parse(argv)
    if a.core or a.modules:
        return run_core(a.modules or core_modules())
    known = [name for name, _ in app_pages()]
    pages = [p for p in a.pages.split(",") if p] or known
    if unknown := sorted(set(pages) - set(known)):
        print(f"unknown pages {unknown}; app.py has {known}", file=sys.stderr)
        return 2
    wanted = [p for p in a.presets.split(",") if p]
    if unknown := sorted(set(wanted) - set(presets.PRESET_NAMES)):
        print(f"unknown presets {unknown}; choose from {presets.PRESET_NAMES}", file=sys.stderr)
        return 2
    started = datetime.now()
    doc = {"started": started.isoformat(timespec="seconds"), "git": report.git_commit(),
           "machine": report.machine(), "presets": wanted, "pages": pages,
           "settings": {"runs": a.runs, "cold_runs": a.cold_runs, "browser_runs": a.browser_runs,
                        "wall_runs": a.wall_runs},
           "results": {}, "checks": []}
    for preset in wanted:
        r = bench_preset(preset, pages, a)
        doc["results"][preset] = r
        doc["checks"] += report.checks(preset, r) if "skipped" not in r else []
        print(report.preset_block(preset, r), flush=True)
    doc["machine"]["loadavg_end"] = list(os.getloadavg())
    path = report.write_json(doc, started)
    failed = [c for c in doc["checks"] if c["result"] in ("FAIL", "ERROR")]
    errors = sum(c["result"] == "ERROR" for c in doc["checks"])
    print(f"\n{len(doc['checks']) - len(failed)} targets met, {len(failed) - errors} missed, {errors} not measurable"
          " (the page raised) "
          f"(targets are issue #9's, set for the province preset) · load {doc['machine']['loadavg'][0]:.1f}"
          f"→{doc['machine']['loadavg_end'][0]:.1f} on {doc['machine']['cpus']} cores · {path.relative_to(REPO_ROOT)}")
    return 1 if a.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
