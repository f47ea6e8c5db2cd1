"""Domain errors: each carries one clear message for the user; nothing is written when raised."""

from __future__ import annotations

from core.scope import ScopeError


class DomainError(Exception):
    """Base of every rule violation a service reports (shown to the user as its message)."""


class PermissionDenied(DomainError):
    """The actor's role may not do this (e.g. a village cadre scoring a task)."""


class TaskStateError(DomainError):
    """The task is not in a state that allows this transition."""


class AppealStateError(DomainError):
    """The appeal is not in a state that allows this transition."""


class ScreeningRejected(DomainError):
    """过筛: the matter type is not on the access list for this level."""


class NotFound(DomainError):
    """No such record (or not visible in the actor's scope)."""


__all__ = ["DomainError", "PermissionDenied", "TaskStateError", "AppealStateError", "ScreeningRejected",
           "NotFound", "ScopeError"]
