"""`python -m core.briefing` on the tiny database: one report, `--children` (one file per child region),
a period with no data (a report that says so), and bad arguments (one line on stderr, exit 2, no file)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from docx import Document

from core import briefing
from core.briefing.cli import main
from core.config import REPO_ROOT
from tests.sql import rows, scalar


def _run(url: str, *args: str) -> int:
    return main(["--database", url, *args])


def _one_line(err: str) -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.skipif(bool(briefing.pdf_engine_missing()) and not os.environ.get("CI"),
                    reason=str(briefing.pdf_engine_missing()))
def test_one_report_as_pdf_and_word(tiny_url, tmp_path, capsys):
    county = scalar(tiny_url, "SELECT code FROM region WHERE parent_id IS NULL")
    name = scalar(tiny_url, "SELECT name FROM region WHERE parent_id IS NULL")
    assert _run(tiny_url, "--region", county[:6], "--period", "202610", "--format", "pdf", "--out", str(tmp_path / "c.pdf")) == 0
    assert (tmp_path / "c.pdf").read_bytes()[:5] == b"%PDF-"
    assert _run(tiny_url, "--region", county, "--period", "2026Q3", "--format", "docx", "--out", str(tmp_path / "c.docx")) == 0
    assert Document(io.BytesIO((tmp_path / "c.docx").read_bytes())).paragraphs[0].text == f"{name}2026年第3季度运行简报"
    assert "c.docx" in capsys.readouterr().out


def test_children_writes_one_report_per_child(tiny_url, tmp_path):
    county = scalar(tiny_url, "SELECT code FROM region WHERE parent_id IS NULL")
    kids = [str(r[0]) for r in rows(tiny_url, "SELECT code FROM region WHERE parent_id = "
                                              "(SELECT id FROM region WHERE parent_id IS NULL)")]
    out = tmp_path / "kids"
    assert _run(tiny_url, "--region", county, "--period", "202610", "--format", "docx", "--out", str(out), "--children") == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"briefing-{k}-202610.docx" for k in kids)


def test_a_period_without_data_makes_a_report_that_says_so(tiny_url, tmp_path):
    county = scalar(tiny_url, "SELECT code FROM region WHERE parent_id IS NULL")
    assert _run(tiny_url, "--region", county, "--period", "2019", "--format", "docx", "--out", str(tmp_path / "e.docx")) == 0
    text = "\n".join(p.text for p in Document(io.BytesIO((tmp_path / "e.docx").read_bytes())).paragraphs)
    assert "暂无" in text


@pytest.mark.parametrize(("args", "says"), [
    (["--region", "999999", "--period", "202610"], "999999"),                       # unknown region
    (["--region", "33x624", "--period", "202610"], "33x624"),                       # not a code
    (["--region", "{county}", "--period", "2026-10"], "2026-10"),                   # malformed period
    (["--region", "{county}", "--period", "202613"], "202613"),                     # no 13th month
    (["--region", "{county}", "--period", "202610", "--user", "town_admin"], "town_admin"),  # outside the account's scope
    (["--region", "{county}", "--period", "202610", "--user", "nobody"], "nobody"),          # no such account
    (["--region", "{village}", "--period", "202610", "--children"], ""),           # a village has no children
])
def test_bad_arguments_give_one_line_and_exit_2(tiny_url, tmp_path, capsys, args, says):
    codes = {"county": scalar(tiny_url, "SELECT code FROM region WHERE parent_id IS NULL"),
             "village": scalar(tiny_url, "SELECT code FROM region WHERE level='village' ORDER BY id LIMIT 1")}
    out = tmp_path / "x.pdf"
    argv = [a.format(**codes) for a in args] + ["--format", "pdf", "--out", str(out)]
    assert _run(tiny_url, *argv) == 2
    line = _one_line(capsys.readouterr().err)
    assert says in line and "Traceback" not in line
    assert not out.exists()


def test_argparse_errors_are_one_line_too(tiny_url):
    """A missing or unknown option through the real module entry point: one line, exit 2."""
    for argv in (["--region", "330624", "--period", "202610", "--format", "pdf"],  # no --out
                 ["--region", "330624", "--period", "202610", "--format", "xls", "--out", "x"]):
        proc = subprocess.run([sys.executable, "-m", "core.briefing", "--database", tiny_url, *argv], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert not proc.stdout


def test_pdf_without_pango_says_so_in_one_line(tiny_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(briefing, "pdf_engine_missing", lambda: "WeasyPrint cannot load pango: test")
    county = scalar(tiny_url, "SELECT code FROM region WHERE parent_id IS NULL")
    assert _run(tiny_url, "--region", county, "--period", "202610", "--format", "pdf", "--out", str(tmp_path / "c.pdf")) == 1
    assert "pango" in _one_line(capsys.readouterr().err) and not (tmp_path / "c.pdf").exists()
