"""One-time passwords of imported accounts: who must change theirs, and the change itself.

An import gives each new account a random password, stores only its bcrypt hash and a `one_time_password`
row, and hands the clear text back once (the CLI writes it to a file it names; the page offers it once).
The sign-in flow asks `must_change_password` after a successful sign-in and sends the person to set
their own before anything else.
"""

from __future__ import annotations

from datetime import datetime

import bcrypt
import sqlalchemy as sa
from sqlmodel import Session

from core.auth import AuthError, hash_password
from core.errors import DomainError
from core.importer.models import OneTimePassword
from core.models import AuthEvent, UserAccount

MIN_LENGTH = 10


class WeakPassword(DomainError):
    """The new password is too short, too simple, or the one-time password itself."""

    key = "auth.weak_password"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.params = {"n": MIN_LENGTH}


def must_change_password(session: Session, username: str) -> bool:
    """True while the account still has the one-time password an import gave it."""
    account = session.execute(sa.select(UserAccount).where(UserAccount.username == username)).scalar()  # type: ignore[arg-type]
    return account is not None and session.get(OneTimePassword, account.id) is not None


def change_password(session: Session, *, username: str, old: str, new: str, now: datetime) -> None:
    """Set the account's own password (the old one must match); the one-time mark goes with it."""
    account = session.execute(sa.select(UserAccount).where(UserAccount.username == username)).scalar()  # type: ignore[arg-type]
    if account is None or not bcrypt.checkpw(old.encode(), account.password_hash.encode()):
        raise AuthError("用户名或密码错误")
    if len(new) < MIN_LENGTH or new == old or new.isdigit() or new.isalpha():
        raise WeakPassword(f"新密码至少 {MIN_LENGTH} 位，须含字母和数字，且不同于原密码")
    account.password_hash = hash_password(new)
    session.add(account)
    otp = session.get(OneTimePassword, account.id)
    if otp is not None:
        session.delete(otp)
    session.add(AuthEvent(at=now, username=username[:64], success=True, note="password changed"))
    session.flush()
