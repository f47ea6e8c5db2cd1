"""Finding 7: the careless operator's paths give one line and exit 2, and change nothing.

`python -m seed --out` checks the path before generating (a directory, an unwritable place, an existing
file without --force, a file that is not a database, a database a running server uses); `python -m
core.migrate` refuses a missing, empty, foreign or corrupt file and an unusable URL.

Regenerating a served database: refused (decided in #19). The app's process holds a shared flock on
'<db>.serving' (core.db.get_engine); replacing the file under it would leave the server writing into the
old, unlinked file, so its later writes would be lost.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.config import REPO_ROOT
from core.db import in_use_by_server

ONE_LINE_PREFIX = "错误: "


def run(*cmd: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *cmd], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)


def one_line_refusal(done: subprocess.CompletedProcess, *words: str) -> str:
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith(ONE_LINE_PREFIX), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


# ---- seed --out ----------------------------------------------------------------------------------------


def test_seed_into_a_directory_is_refused_before_generating(tmp_path):
    t0 = time.perf_counter()
    done = run("-m", "seed", "--preset", "tiny", "--out", str(tmp_path), "--quiet")
    secs = time.perf_counter() - t0
    one_line_refusal(done, "目录")
    assert list(tmp_path.iterdir()) == [] and not Path(f"{tmp_path}.part").exists()
    assert secs < 20, f"{secs:.1f} s: the check must come before the generation"


def test_seed_under_an_unwritable_path_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    one_line_refusal(run("-m", "seed", "--preset", "tiny", "--out", str(blocker / "sub" / "x.db"), "--quiet"), "无法")
    assert blocker.read_text() == "x"


def test_an_existing_file_that_is_not_a_database_is_never_overwritten(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("会议记录")
    for extra in ((), ("--force",)):
        one_line_refusal(run("-m", "seed", "--preset", "tiny", "--out", str(notes), "--quiet", *extra), "不是 SQLite")
    assert notes.read_text() == "会议记录" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_existing_database_is_replaced_only_with_force(tmp_path, tiny_db_path):
    db = tmp_path / "x.db"
    shutil.copy(tiny_db_path, db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO meta (key, value) VALUES ('marker', 'before')")
    con.commit()
    con.close()
    one_line_refusal(run("-m", "seed", "--preset", "tiny", "--out", str(db), "--quiet"), "--force")
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() == ("before",)
    done = run("-m", "seed", "--preset", "tiny", "--out", str(db), "--quiet", "--force")
    assert done.returncode == 0, done.stderr
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() is None


def test_regenerating_a_database_a_server_uses_is_refused(tmp_path, tiny_db_path):
    """A process that opened the app engine on the file (what the server does) blocks --force; when it ends,
    the file may be replaced."""
    db = tmp_path / "served.db"
    shutil.copy(tiny_db_path, db)
    before = db.read_bytes()
    server = subprocess.Popen(
        [sys.executable, "-c", "import os, sys, time\nfrom core.db import get_engine\nget_engine()\n"
         "print('serving', flush=True)\ntime.sleep(120)"],
        cwd=REPO_ROOT, env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{db}"},
        stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "serving"
        assert in_use_by_server(db)
        one_line_refusal(run("-m", "seed", "--preset", "tiny", "--out", str(db), "--quiet", "--force"), "服务器")
        assert db.read_bytes() == before and not Path(f"{db}.part").exists()
    finally:
        server.kill()
        server.wait()
    assert not in_use_by_server(db)  # the kernel dropped the lock with the process


# ---- core.migrate --------------------------------------------------------------------------------------


def _foreign(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    con.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    con.commit()
    con.close()
    return path


def _corrupt(path: Path, source: Path) -> Path:
    data = bytearray(source.read_bytes())
    for at in range(4096 * 3, min(len(data), 4096 * 40), 4096):
        data[at + 16:at + 400] = b"\xff" * 384  # page headers and cells of many pages
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("kind", "words"), [
    ("missing", ("不存在",)), ("empty", ("空",)), ("text", ("不是 SQLite",)), ("empty_sqlite", ("空的",)),
    ("foreign", ("不是本系统",)), ("corrupt", ("损坏",)),
])
def test_migrate_refuses_what_is_not_this_apps_database(tmp_path, tiny_db_path, kind, words):
    path = tmp_path / f"{kind}.db"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("not a database\n" * 100)
    elif kind == "empty_sqlite":
        sqlite3.connect(path).execute("VACUUM").connection.close()
    elif kind == "foreign":
        _foreign(path)
    elif kind == "corrupt":
        _corrupt(path, tiny_db_path)
    before = path.read_bytes() if path.exists() else None
    one_line_refusal(run("-m", "core.migrate", f"sqlite:///{path}"), *words)
    assert (path.read_bytes() if path.exists() else None) == before  # nothing created, nothing changed


@pytest.mark.parametrize("url", ["not a url", "mysqlx://h/db", "postgresql://xingcun:s3cret-pw@127.0.0.1:1/nowhere"])
def test_migrate_gives_one_line_for_a_bad_url_without_the_password(url):
    line = one_line_refusal(run("-m", "core.migrate", url, timeout=120))
    assert "s3cret-pw" not in line
