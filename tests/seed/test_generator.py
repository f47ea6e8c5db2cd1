"""The generator: determinism, geometry inside real boundaries, bad arguments, atomic output."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from core.config import REPO_ROOT
from seed import cli
from tests.sql import rows as sql_rows

SHAOXING_COUNTIES = ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]


def table_digests(path: Path) -> dict[str, str]:
    """SHA-256 of every table's rows in primary-key order."""
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    out = {}
    for t in tables:
        h = hashlib.sha256()
        for row in con.execute(f"SELECT * FROM {t} ORDER BY 1"):
            h.update(repr(row).encode())
        out[t] = h.hexdigest()
    con.close()
    return out


def run_seed(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seed", *args, "--quiet"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_zhuji_county_twice_gives_identical_content(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for out in (a, b):
        done = run_seed("--preset", "county", "--county", "330681", "--out", str(out))
        assert done.returncode == 0, done.stderr
    da, db = table_digests(a), table_digests(b)
    assert da == db
    con = sqlite3.connect(a)
    assert con.execute("SELECT name FROM region WHERE id = 330681000000").fetchone()[0] == "诸暨市"
    assert con.execute("SELECT count(*) FROM region WHERE level='township'").fetchone()[0] == 23
    assert con.execute("SELECT count(*) FROM region WHERE level='village'").fetchone()[0] == 515
    con.close()
    _check_geometry(a)


def test_tiny_twice_identical_and_other_seed_differs(tmp_path):
    # The session's shared tiny DB may have been written to by page tests (催办), so build a fresh pair.
    first, again, other = tmp_path / "first.db", tmp_path / "again.db", tmp_path / "other.db"
    assert cli.main(["--preset", "tiny", "--out", str(first), "--quiet"]) == 0
    assert cli.main(["--preset", "tiny", "--out", str(again), "--quiet"]) == 0
    assert cli.main(["--preset", "tiny", "--seed", "7", "--out", str(other), "--quiet"]) == 0
    base = table_digests(first)
    assert table_digests(again) == base
    assert table_digests(other)["task"] != base["task"]
    _check_indexes(first)


def _check_indexes(path: Path) -> None:
    """Every model index is in the file, the deferred ones (built beside the score workers) included, and
    the WAL the score stage switched to is folded back into the file."""
    from seed.build import secondary_indexes

    con = sqlite3.connect(path)
    have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    deferred = {i.name for i in secondary_indexes(deferred=True)}
    assert {"ix_task_open_due", "ix_appeal_open"} <= deferred
    assert "ix_appeal_grid_time" not in deferred  # the warnings of the rollup stage read it
    assert {i.name for i in secondary_indexes()} <= have
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def _check_geometry(path: Path) -> None:
    con = sqlite3.connect(path)
    shapes = {int(i): shapely.from_geojson(b) for i, b in con.execute("SELECT id, boundary FROM region")}
    rows = con.execute("SELECT id, parent_id, level, lon, lat FROM region WHERE parent_id IS NOT NULL").fetchall()
    for rid, parent, level, lon, lat in rows:
        if level in ("township", "village"):
            assert shapes[parent].buffer(1e-6).contains(shapely.Point(lon, lat)), f"{rid} label outside parent"
    for gid, vid, lon, lat in con.execute("SELECT id, village_id, lon, lat FROM grid"):
        assert shapes[vid].buffer(1e-6).contains(shapely.Point(lon, lat)), f"grid {gid} outside its village"
    towns = [r[0] for r in con.execute("SELECT id FROM region WHERE level='township'")]
    for t in towns:
        kids = [shapes[int(r[0])] for r in con.execute("SELECT id FROM region WHERE parent_id=?", (t,))]
        union = shapely.union_all(kids)
        area = shapes[t].area
        assert abs(union.area - area) / area < 0.005, f"villages of {t} do not cover it"
        assert (sum(k.area for k in kids) - area) / area < 0.005, f"villages of {t} overlap"
    con.close()


def test_every_unit_lies_inside_its_parent_and_villages_tile_townships(tiny_db_path):
    _check_geometry(tiny_db_path)


def test_city_preset_has_the_six_real_counties(city_lite_url):
    names = [r[0] for r in sql_rows(city_lite_url, "SELECT name FROM region WHERE level='county' ORDER BY id")]
    city = sql_rows(city_lite_url, "SELECT name FROM region WHERE level='city'")[0][0]
    assert city == "绍兴市"
    assert names == SHAOXING_COUNTIES


@pytest.mark.parametrize("args, message", [
    (["--county", "999999"], "未知区划代码"),
    (["--county", "330000"], "省级代码"),
    (["--county", "330600"], "市级代码"),
    (["--county", "abc"], "6位区县代码"),
    (["--seed", "-1"], "非负整数"),
])
def test_bad_arguments_give_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "bad.db"
    done = run_seed(*args, "--out", str(out))
    assert done.returncode != 0
    lines = [ln for ln in done.stderr.strip().splitlines() if ln]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_interrupted_run_leaves_no_database(tmp_path, monkeypatch):
    out = tmp_path / "half.db"

    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "generate", boom)
    with pytest.raises(KeyboardInterrupt):
        cli.main(["--preset", "tiny", "--out", str(out), "--quiet"])
    assert list(tmp_path.iterdir()) == []
