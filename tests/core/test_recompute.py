"""python -m core.indicators recompute: --check finds nothing right after generation and after live writes,
finds a tampered value (exit 1), and bad arguments get one line and exit 2."""

from __future__ import annotations

import sqlalchemy as sa

from core.recompute import main


def test_check_is_clean_after_generation_and_finds_a_tampered_value(writable_url, capsys):
    assert main(["recompute", "--check", "--database-url", writable_url]) == 0
    engine = sa.create_engine(writable_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE indicator_value SET value = value + 7 WHERE id = (SELECT min(id) FROM indicator_value)"))
    engine.dispose()
    capsys.readouterr()
    assert main(["recompute", "--check", "--database-url", writable_url]) == 1
    assert "1 differences" in capsys.readouterr().out
    assert main(["recompute", "--database-url", writable_url]) == 0
    assert main(["recompute", "--check", "--database-url", writable_url]) == 0


def test_bad_arguments_get_one_line_and_exit_2(writable_url, capsys):
    for args in (["--region", "999"], ["--period", "2026-10"], ["--period", "209901"], ["--bogus"]):
        capsys.readouterr()
        assert main(["recompute", *args, "--database-url", writable_url]) == 2
        err = capsys.readouterr().err.strip()
        assert err and "Traceback" not in err
