"""Sign-in: bcrypt password check with lockout, and signed session tokens for the cookie."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

import bcrypt
import sqlalchemy as sa
from sqlmodel import Session, col

from core.actors import Actor, actor_for_post
from core.config import AuthConfig, get_settings
from core.errors import DomainError
from core.models import AuthEvent, UserAccount


class AuthError(DomainError):
    """Sign-in refused (wrong password, locked, unknown or disabled account)."""


WRONG = "用户名或密码错误"


def hash_password(password: str, salt: bytes | None = None) -> str:
    """bcrypt hash of a password (salt given only for reproducible demo accounts)."""
    return bcrypt.hashpw(password.encode(), salt or bcrypt.gensalt(rounds=10)).decode()


def deterministic_salt(seed: str, rounds: int = 10) -> bytes:
    """A bcrypt salt derived from `seed` (demo accounts: the same seed gives the same database)."""
    alphabet = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(seed.encode()).digest()
    body = bytes(alphabet[b % 64] for b in digest[:21]) + alphabet[digest[21] % 4 * 16 : digest[21] % 4 * 16 + 1]
    return f"$2b${rounds:02d}$".encode() + body


def authenticate(session: Session, username: str, password: str, *, now: datetime,
                 cfg: AuthConfig | None = None) -> Actor:
    """The actor of a valid sign-in; raises AuthError (and records the attempt) otherwise."""
    cfg = cfg or get_settings().auth
    account = session.execute(sa.select(UserAccount).where(col(UserAccount.username) == username.strip())).scalar()
    if account is None or not account.active:
        _record(session, username, False, "unknown or disabled", now)
        raise AuthError(WRONG)
    if account.locked_until and account.locked_until > now:
        wait = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        _record(session, username, False, "locked", now)
        raise AuthError(f"连续{cfg.max_failures}次密码错误，账号已锁定，请 {wait} 分钟后再试")
    if not bcrypt.checkpw(password.encode(), account.password_hash.encode()):
        account.failed_attempts += 1
        if account.failed_attempts >= cfg.max_failures:
            account.locked_until = now + timedelta(minutes=cfg.lockout_minutes)
            account.failed_attempts = 0
        session.add(account)
        _record(session, username, False, "wrong password", now)
        raise AuthError(WRONG)
    account.failed_attempts, account.locked_until = 0, None
    session.add(account)
    _record(session, username, True, "", now)
    return actor_for_post(session, account.post_id, read_only=account.read_only)


def _record(session: Session, username: str, success: bool, note: str, now: datetime) -> None:
    session.add(AuthEvent(at=now, username=username[:64], success=success, note=note))
    session.commit()


def actor_for_username(session: Session, username: str) -> tuple[Actor, bool] | None:
    """(actor, read_only) of an active account, or None."""
    account = session.execute(sa.select(UserAccount).where(col(UserAccount.username) == username)).scalar()
    if account is None or not account.active:
        return None
    actor = actor_for_post(session, account.post_id, read_only=account.read_only)
    return actor, not actor.may_write


def demo_accounts(session: Session) -> list[tuple[str, str]]:
    """(username, display name) of every account, ordered as created (for the demo sign-in list)."""
    rows = session.execute(sa.select(col(UserAccount.username), col(UserAccount.display_name)).order_by(col(UserAccount.id))).all()
    return [(r[0], r[1]) for r in rows]


def issue_token(username: str, now: datetime, *, secret: str, hours: int) -> str:
    """A signed token 'username|expiry|mac' for the session cookie."""
    expiry = int((now + timedelta(hours=hours)).timestamp())
    payload = f"{username}|{expiry}"
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return base64.urlsafe_b64encode(f"{payload}|{mac}".encode()).decode()


def verify_token(token: str | None, now: datetime, *, secret: str) -> str | None:
    """The username in a valid, unexpired token; None for anything else."""
    if not token or not isinstance(token, str):
        return None
    try:
        username, expiry, mac = base64.urlsafe_b64decode(token.encode()).decode().rsplit("|", 2)
    except (ValueError, UnicodeDecodeError):
        return None
    good = hmac.new(secret.encode(), f"{username}|{expiry}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(good, mac) or not expiry.isdigit() or int(expiry) < now.timestamp():
        return None
    return username
