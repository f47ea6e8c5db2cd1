"""Targets of issue #9 (province scale), PASS/FAIL checks, the printed tables and the JSON under bench/results/."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.config import REPO_ROOT

RESULTS = Path(__file__).with_name("results")
MB = 1_000_000


@dataclass(frozen=True)
class Limit:
    """One target: value must be below (or at most) `bound`, in the figure's own unit."""

    bound: float
    inclusive: bool
    shown: str  # how the target prints, e.g. "< 300 ms"

    def ok(self, value: float) -> bool:
        return value <= self.bound if self.inclusive else value < self.bound


#: Issue #9's "done when", for the province preset (the other presets are held to the same bounds).
WARM_MS = Limit(300.0, False, "< 300 ms")
COLD_MS = Limit(3000.0, False, "< 3000 ms")
IDLE_RATIO = Limit(1.5, True, "<= 1.5x")
MAP_BYTES = Limit(5 * MB, False, "< 5 MB")
RSS_10 = Limit(1500 * MB, False, "< 1500 MB")
#: Issue #23's: one report of the top region (a county is held to the city's bound), and --children of a province.
BRIEF_CITY = Limit(20.0, True, "<= 20 s")
BRIEF_PROVINCE = Limit(60.0, True, "<= 60 s")
BRIEF_CHILDREN = Limit(300.0, True, "<= 300 s")


def briefing_limit(level: str) -> Limit:
    """The bound for one report of a region at `level`."""
    return BRIEF_PROVINCE if level == "province" else BRIEF_CITY


def verdict(limit: Limit, value: float | None, error: bool = False) -> str:
    """PASS / FAIL; ERROR when the page raised, n/a when the figure was not measured."""
    if error:
        return "ERROR"
    return "n/a" if value is None else ("PASS" if limit.ok(value) else "FAIL")


def first_line(message: str, width: int = 70) -> str:
    """An error message squeezed onto one table line."""
    return " ".join(message.split())[:width]


def checks(preset: str, r: dict) -> list[dict]:
    """Every targeted figure of one preset's result with its verdict."""
    out = []

    def add(figure: str, value: float | None, limit: Limit) -> None:
        out.append({"preset": preset, "figure": figure, "value": value, "target": limit.shown,
                    "result": verdict(limit, value)})

    for name, p in r.get("pages", {}).items():
        add(f"{name} cold ms", p["cold_median_ms"], COLD_MS)
        add(f"{name} warm ms", p["warm_median_ms"], WARM_MS)
        if p["errors"]:  # a page that raised was timed to its traceback: its times prove nothing
            out[-2]["result"] = out[-1]["result"] = "ERROR"
    b = r.get("browser", {})
    add("cockpit/empty time-to-idle", b.get("idle_ratio"), IDLE_RATIO)
    if b.get("cockpit_exceptions"):
        out[-1]["result"] = "ERROR"
    for view, w in ((b.get("wall") or {}).get("views") or {}).items():
        add(f"wall {view}/empty time-to-idle", w.get("ratio"), IDLE_RATIO)
        if w.get("exceptions"):
            out[-1]["result"] = "ERROR"
    add("map city-level bytes", (b.get("map_ws") or {}).get("bytes"), MAP_BYTES)
    if (b.get("map_ws") or {}).get("exceptions"):
        out[-1]["result"] = "ERROR"
    add("RSS 10 sessions (peak)", b.get("rss_10_sessions_peak_bytes"), RSS_10)
    brief = r.get("briefing") or {}
    for fmt in ("pdf", "docx"):
        if fmt in brief:
            add(f"briefing {brief['level']} {fmt} s", brief[fmt]["wall_s"], briefing_limit(brief["level"]))
            if brief[fmt]["exit"]:
                out[-1]["result"] = "ERROR"
    if "children" in brief:
        add(f"briefing --children ({brief['children']['files']}) s", brief["children"]["wall_s"], BRIEF_CHILDREN)
        if brief["children"]["exit"]:
            out[-1]["result"] = "ERROR"
    return out


def _fmt(value: float | None, fmt: str, scale: float = 1.0) -> str:
    return "—" if value is None else format(value / scale, fmt)


def page_table(r: dict) -> list[str]:
    """One line per page: cold and warm medians next to their targets."""
    lines = [f"  {'page':<12}{'cold ms':>10}  {'target':<11}{'':<7}{'warm ms':>9}  {'target':<10}{'':<7}note"]
    for name, p in r.get("pages", {}).items():
        cold, warm, err = p["cold_median_ms"], p["warm_median_ms"], bool(p["errors"])
        note = first_line(p["errors"][0]) if err else ""
        lines.append(f"  {name:<12}{cold:>10,.0f}  {COLD_MS.shown:<11}{verdict(COLD_MS, cold, err):<7}"
                     f"{warm:>9,.0f}  {WARM_MS.shown:<10}{verdict(WARM_MS, warm, err):<7}{note}")
    return lines


def figure_table(r: dict) -> list[str]:
    """Browser, map and memory figures next to their targets."""
    b = r.get("browser", {})
    if "skipped" in b:
        return [f"  browser phase skipped: {b['skipped']}"]
    ws, deck = b.get("map_ws") or {}, r.get("map_deck") or {}
    rows = [
        ("time to idle, cockpit (median s)", _fmt(b.get("cockpit_idle_median_s"), ".2f"), "", ""),
        ("  cockpit script run over (median s)", _fmt(b.get("cockpit_script_done_median_s"), ".2f"), "", ""),
        ("time to idle, empty page (median s)", _fmt(b.get("empty_idle_median_s"), ".2f"), "", ""),
        ("cockpit / empty page", _fmt(b.get("idle_ratio"), ".2f") + "x", IDLE_RATIO.shown,
         verdict(IDLE_RATIO, b.get("idle_ratio"), bool(b.get("cockpit_exceptions")))),
        ("cockpit first load, cold server (s)", _fmt(b.get("cockpit_first_load_s"), ".2f"), "", ""),
        (f"map payload, WebSocket ({ws.get('level', '?')} {ws.get('region', '')}) MB",
         _fmt(ws.get("bytes"), ".2f", MB), MAP_BYTES.shown,
         verdict(MAP_BYTES, ws.get("bytes"), bool(ws.get("exceptions")))),
        ("  of which deck JSON (server-side) MB", _fmt(deck.get("bytes"), ".2f", MB), "", ""),
        ("server RSS, 1 session MB", _fmt(b.get("rss_1_session_bytes"), ",.0f", MB), "", ""),
        ("server RSS, 10 sessions MB", _fmt(b.get("rss_10_sessions_bytes"), ",.0f", MB), "", ""),
        ("server RSS, 10 sessions, peak MB", _fmt(b.get("rss_10_sessions_peak_bytes"), ",.0f", MB), RSS_10.shown,
         verdict(RSS_10, b.get("rss_10_sessions_peak_bytes"))),
    ]
    if b.get("cockpit_exceptions"):
        rows.insert(3, ("  cockpit showed an exception in the browser", str(b["cockpit_exceptions"]), "0", "ERROR"))
    wall = b.get("wall") or {}
    if wall.get("views"):
        rows.append((f"wall views (?screen=big, {wall['username']}): empty page (median s)",
                     _fmt(wall.get("empty_idle_median_s"), ".2f"), "", ""))
    for view, w in (wall.get("views") or {}).items():
        rows.append((f"  wall {view}: idle {_fmt(w['idle_median_s'], '.2f')} s, / empty", _fmt(w.get("ratio"), ".2f") + "x",
                     IDLE_RATIO.shown, verdict(IDLE_RATIO, w.get("ratio"), bool(w.get("exceptions")))))
    return [f"  {'figure':<46}{'value':>10}  {'target':<11}result"] + [
        f"  {a:<46}{v:>10}  {t:<11}{ok}" for a, v, t, ok in rows]


def briefing_table(r: dict) -> list[str]:
    """The 简报 runs: wall and CPU seconds, size and pages, next to issue #23's bounds."""
    brief = r.get("briefing")
    if not brief:
        return []
    lines = [f"  {'简报 ' + brief['level'] + ' ' + brief['region'] + ' ' + brief['period']:<34}{'wall s':>8}{'cpu s':>8}"
             f"{'KB':>8}{'pages':>7}  {'target':<11}result"]
    runs = [(fmt, brief[fmt], briefing_limit(brief["level"])) for fmt in ("pdf", "docx") if fmt in brief]
    if "children" in brief:
        runs.append((f"--children pdf × {brief['children']['files']}", brief["children"], BRIEF_CHILDREN))
    for name, x, limit in runs:
        pages = x.get("pages")
        shown = "" if pages is None else (str(sum(pages)) if isinstance(pages, list) else str(pages))
        ok = "ERROR" if x["exit"] else verdict(limit, x["wall_s"])
        lines.append(f"  {name:<34}{x['wall_s']:>8.1f}{x['cpu_s']:>8.1f}{_fmt(x.get('bytes'), ',.0f', 1000):>8}"
                     f"{shown:>7}  {limit.shown:<11}{ok}" + (f"  {first_line(x['message'])}" if x["exit"] else ""))
    return lines


def preset_block(preset: str, r: dict) -> str:
    """The printed block of one preset."""
    if "skipped" in r:
        return f"\n== {preset}: {r['skipped']} =="
    head = (f"\n== {preset} · {r['top']['name']} {r['top']['code']} · {r['db']} ({r['db_mb']:,.0f} MB, {r['db_note']})"
            f" · signed in as {r['username']} ==")
    return "\n".join([head, *page_table(r), *figure_table(r), *briefing_table(r)])


def git_commit() -> str:
    """HEAD of the working tree (the code that was measured), '+dirty' when it has local changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_json(doc: dict, started: datetime) -> Path:
    """bench/results/<time>-<presets>.json (git-ignored) and latest.json beside it."""
    RESULTS.mkdir(exist_ok=True)
    name = f"{started:%Y%m%d-%H%M%S}-{'-'.join(doc['presets'])}.json"
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    (RESULTS / name).write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return RESULTS / name


def machine() -> dict:
    """What the figures depend on: cores and the load the other work put on them."""
    return {"cpus": os.cpu_count(), "loadavg": list(os.getloadavg())}
