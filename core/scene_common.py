"""What the scenes' services share (揭榜挂帅, 一件事, 道德银行): refusals that speak catalog keys, role checks,
the write lock and the one event row per write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from core.actors import Actor
from core.errors import DomainError, PermissionDenied
from core.i18n import translate
from core.models import SceneEvent


class SceneRefused(DomainError):
    """A scene's rule refused the action; nothing was written. `key`/`params` render it in either language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(translate(key, "zh", **params))


class SceneDenied(PermissionDenied):
    """The actor's role or post may not do this in a scene; nothing was written."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(translate(key, "zh", **params))


def lock(session: Session) -> None:
    """Begin the transaction with the write lock held (SQLite BEGIN IMMEDIATE) unless one is open."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})


def check_role(actor: Actor, allowed: Iterable[str], what: str) -> None:
    """ReadOnlyAccount for the screen, SceneDenied (scene.err.role) unless the actor's role is allowed."""
    actor.check_may_write()
    if actor.role not in allowed:
        raise SceneDenied("scene.err.role", what=translate(f"scene.what.{what}", "zh"))


def text(value: str | None, key: str, limit: int) -> str:
    """The stripped text, or SceneRefused(key) when blank; cut to `limit` characters."""
    out = (value or "").strip()
    if not out:
        raise SceneRefused(key)
    return out[:limit]


def event(session: Session, *, kind: str, record_id: int, region_id: int, actor: Actor, action: str,
          note: str | None, now: datetime) -> None:
    """Append one 留痕 row."""
    session.add(SceneEvent(kind=kind, record_id=record_id, region_id=region_id, at=now, actor_id=actor.person_id,
                           action=action, note=(note or None) and note[:512]))


def urgency(due: date, done: date | None, as_of: date, soon_days: int) -> str:
    """ok | due_soon | overdue for something due on `due` (done: never late any more)."""
    if done is not None:
        return "done"
    if due < as_of:
        return "overdue"
    return "due_soon" if due <= as_of + timedelta(days=soon_days) else "ok"
