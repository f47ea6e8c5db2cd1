"""Stored text an attacker controls: write a payload into every free-text field of a database copy.

`TEXT_FIELDS` lists every column that holds a name, title, note or label typed by a person or imported
from a file (not codes, statuses or JSON). `poison(db, make)` rewrites each value v of those columns
as `make(table, column, v)`; the probes then look for what the payload would do on screen or in an export.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "region": ("name",), "grid": ("name",), "person": ("name",), "post": ("title",),
    "user_account": ("display_name",), "matter_type": ("name",), "task": ("title", "co_office"),
    "task_event": ("note",), "dispatch_screening": ("title", "reason"), "appeal_event": ("note",),
    "decision": ("title",), "evaluation": ("note",), "scoring_rule": ("note",),
}
OUTSIDE_HOST = "evil.example"


def image(table: str, column: str, value: str) -> str:
    """The value with a Markdown image (and an HTML one) pointing outside the machine."""
    return f"{value}![x](http://{OUTSIDE_HOST}/{table}.{column}.png)<img src='http://{OUTSIDE_HOST}/h.png'>"


FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"{v}\")", "+{v}+1", "-1+{v}", "@SUM(1)&\"{v}\"", "\t={v}", "\r={v}")


def formula(table: str, column: str, value: str) -> str:
    """The value as a spreadsheet formula (the prefix cycles through = + - @ tab CR by column)."""
    pattern = FORMULAS[(len(table) + len(column)) % len(FORMULAS)]
    return pattern.replace("{v}", value)


def poison(db: Path, make: Callable[[str, str, str], str]) -> int:
    """Rewrite every non-empty free-text value of `db` with `make`; returns how many values changed."""
    con = sqlite3.connect(db)
    con.create_function("poison", 3, lambda t, c, v: make(t, c, v) if v else v)
    changed = 0
    try:
        for table, columns in TEXT_FIELDS.items():
            for column in columns:
                changed += con.execute(
                    f"UPDATE {table} SET {column} = poison(?, ?, {column}) WHERE {column} IS NOT NULL AND {column} <> ''",  # noqa: S608
                    (table, column)).rowcount
        con.commit()
    finally:
        con.close()
    return changed
