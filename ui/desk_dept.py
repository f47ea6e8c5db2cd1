"""我的工作台 · 县级部门 (dept_staff): the 一件事 cases the department has a step in."""

from __future__ import annotations

from core.actors import Actor
from ui import one_thing_view, period


def sections(actor: Actor, desk) -> list[tuple[str, int]]:
    """(section key, count): the department's open steps."""
    cases = desk.lists["cases"]
    return [("dept_cases", int(cases["urgency"].isin(("ok", "due_soon", "overdue")).sum()))]


def render(section: str, actor: Actor, desk, live: bool) -> None:
    """Draw the department's section."""
    one_thing_view.dept_section(actor, period.as_of(), live)
