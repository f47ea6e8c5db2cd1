"""我的工作台: what waits on me, what is due soon and overdue, and the actions of my role."""

from __future__ import annotations

from ui import desk
from ui.setup import page_setup

ctx = page_setup()
desk.render(ctx)
