"""The navigation entry of 我的工作台 with the count of what waits on the signed-in person."""

from __future__ import annotations

from core.actors import Actor
from ui import desk_data
from ui.i18n import num, t


def desk_title(actor: Actor) -> str:
    """我的工作台 · N (N: what waits on the actor), or the bare title when the count cannot be read."""
    try:
        n = desk_data.nav_count(actor)
    except Exception:  # noqa: BLE001 — the menu must render even when the desk's read fails; the page says why
        n = None
    return t("desk.nav_title", n=num(n)) if n is not None else t("page.desk")
