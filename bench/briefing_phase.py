"""简报 timings for `make bench` (issue #23): the top region's report as PDF and Word, and `--children`.

Each report is made the way an operator makes it: `python -m core.briefing … --out FILE` in a fresh process
(imports, database reads, charts, layout), timed from start to exit. Beside the wall time the bench records
the process's CPU seconds (user + system), so a run on a loaded machine can be told from a slow report, and
the file's size and page count. `--children` (one PDF per child region in one run) is timed for a province
(its 11 cities; issue #23's bound) and reported for the other presets when asked.
"""

from __future__ import annotations

import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.presets import Target
from core.config import REPO_ROOT

PAGE = re.compile(rb"/Type\s*/Page\b")


def latest_month(db: Path) -> str:
    """The newest month (YYYYMM) with indicator values: the seeded month the cockpit opens on."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(con.execute("SELECT max(period) FROM indicator_value").fetchone()[0])
    finally:
        con.close()


def pdf_pages(path: Path) -> int:
    """Page count: pdfinfo when installed, else the page objects in the file (WeasyPrint writes them plain)."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        if m := re.search(r"Pages:\s+(\d+)", out):
            return int(m[1])
    return len(PAGE.findall(path.read_bytes()))


def _run(db: Path, args: list[str]) -> dict:
    """One `python -m core.briefing` run: wall and CPU seconds, exit code and the last line it printed."""
    cmd = [sys.executable, "-m", "core.briefing", "--database", f"sqlite:///{db}", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = (proc.stderr or proc.stdout).strip().splitlines()
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "exit": proc.returncode,
            "message": tail[-1] if tail else ""}


def measure(t: Target, *, children: bool) -> dict:
    """The top region's report (PDF, Word) for the latest month, and `--children` (PDF) when asked."""
    month = latest_month(t.db)
    out: dict = {"region": t.top.code, "level": t.top.level, "period": month}
    with tempfile.TemporaryDirectory(prefix="xc-brief-") as tmp:
        for fmt in ("pdf", "docx"):
            path = Path(tmp) / f"top.{fmt}"
            r = _run(t.db, ["--region", t.top.code, "--period", month, "--format", fmt, "--out", str(path)])
            if r["exit"] == 0:
                r["bytes"] = path.stat().st_size
                if fmt == "pdf":
                    r["pages"] = pdf_pages(path)
            out[fmt] = r
        if children:
            kids = Path(tmp) / "children"
            r = _run(t.db, ["--region", t.top.code, "--period", month, "--format", "pdf", "--out", str(kids),
                            "--children"])
            files = sorted(kids.glob("*.pdf")) if kids.is_dir() else []
            r.update(files=len(files), bytes=sum(f.stat().st_size for f in files),
                     pages=[pdf_pages(f) for f in files])
            out["children"] = r
    return out
