"""Sign-in and sessions: bcrypt checks that take the same time for every name, an exact lockout,
a per-client throttle, and server-side session rows behind a random cookie token.

Every failure (unknown name, wrong password, disabled account, locked name, a demo account outside
demo mode) gives the same message, after the same bcrypt work. Failures are counted per typed name
in `sign_in_guard`, known or not, so a lockout says nothing about whether the name exists. The
counting write runs in an immediate transaction (SQLite BEGIN IMMEDIATE: writers queue on the busy
timeout instead of failing on a lock upgrade) and is retried when the database is momentarily busy.

A session is a row keyed by HMAC(secret, token); the browser holds only the token. Deleting rows
ends sessions at once (sign-out, disabling, a password reset, rotating the secret).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import bcrypt
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from core.actors import Actor, actor_for_post
from core.config import AuthConfig, get_settings
from core.db import session_scope
from core.errors import DomainError
from core.importer.origin import is_generated_database
from core.models import AuthEvent, OneTimePassword, SignInGuard, UserAccount, UserSession

T = TypeVar("T")


class AuthError(DomainError):
    """Sign-in refused; `key` names the catalog message (always the same one for a bad name or password)."""

    def __init__(self, message: str, key: str = "auth.wrong", params: dict | None = None) -> None:
        super().__init__(message)
        self.key, self.params = key, params or {}


WRONG = "用户名或密码错误，或账号已暂时锁定。"
BCRYPT_ROUNDS = 10
#: Checked against when the name is unknown, so an unknown name costs the same bcrypt work as a known one.
_DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=BCRYPT_ROUNDS))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """bcrypt hash of a password with bcrypt's own random salt (a salt is given only by the demo generator)."""
    return bcrypt.hashpw(password.encode(), salt or bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def check_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; the same bcrypt work is done when there is no hash to check."""
    target = password_hash.encode() if password_hash else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(password.encode(), target)
    except ValueError:
        return False
    return ok and password_hash is not None


def is_generated(session: Session) -> bool:
    """True when the database was made by the demo generator and no import made it real (core.importer.origin)."""
    return is_generated_database(session)


def demo_mode(session: Session) -> bool:
    """Demo mode (banner, listed accounts, one-click sign-in, county switch): XINGCUN_DEMO on and a generated database."""
    return get_settings().demo_mode and is_generated(session)


def with_retry(engine: Engine | sa.Connection, fn: Callable[[Session], T], retries: int | None = None) -> T:
    """Run `fn` in one immediate write transaction, retried with back-off while the database is busy."""
    retries = retries if retries is not None else get_settings().auth.busy_retries
    engine = engine.engine if isinstance(engine, sa.Connection) else engine
    for attempt in range(retries + 1):
        try:
            with session_scope(engine, write=True) as s:
                return fn(s)
        except (sa.exc.OperationalError, sa.exc.IntegrityError) as err:
            text = str(err).lower()
            transient = "locked" in text or "busy" in text or "unique" in text or "duplicate" in text or "deadlock" in text
            if not transient or attempt == retries:
                raise AuthError("系统繁忙，请稍后再试。", "auth.busy") from err
            time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")


def _guard(s: Session, key: str, now: datetime) -> SignInGuard:
    stmt = sa.select(SignInGuard).where(col(SignInGuard.key) == key)
    if s.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = s.execute(stmt).scalar()
    if row is None:
        row = SignInGuard(key=key, failures=0, window_start=now)
        s.add(row)
    return row


def _client_blocked(session: Session, client: str, now: datetime, cfg: AuthConfig) -> bool:
    if not client:
        return False
    row = session.execute(sa.select(SignInGuard).where(col(SignInGuard.key) == f"client:{client}")).scalar()
    window = timedelta(minutes=cfg.client_window_minutes)
    return row is not None and row.window_start > now - window and row.failures >= cfg.client_max_failures


def authenticate(session: Session, username: str, password: str, *, now: datetime, client: str = "",
                 cfg: AuthConfig | None = None, demo: bool | None = None) -> Actor:
    """The actor of a valid sign-in; raises AuthError (the attempt recorded, the failure counted) otherwise."""
    cfg = cfg or get_settings().auth
    name = username.strip()[:64]
    client = client[:64]
    demo = demo_mode(session) if demo is None else demo
    if _client_blocked(session, client, now, cfg):
        with_retry(session.get_bind(), lambda s: _record(s, name, False, "throttled", now, client))
        raise AuthError("本机尝试登录过于频繁", "auth.throttled", {"minutes": cfg.client_window_minutes})
    account = session.execute(sa.select(UserAccount).where(col(UserAccount.username) == name)).scalar()
    ok = check_password(password, account.password_hash if account else None)
    usable = account is not None and account.active and (demo or not account.shared_password)
    account_id = account.id if account else None
    post_id, read_only = (account.post_id, account.read_only) if account else (0, True)
    session.rollback()  # end the read before the write transaction (SQLite: no lock upgrade)

    def count(s: Session) -> bool:
        guard = _guard(s, f"user:{name}", now)
        if guard.locked_until and guard.locked_until > now:
            _record(s, name, False, "locked", now, client)
            return False
        if ok and usable:
            guard.failures, guard.locked_until, guard.window_start = 0, None, now
            _record(s, name, True, "", now, client)
            return True
        guard.failures += 1
        if guard.failures >= cfg.max_failures:
            guard.failures, guard.locked_until = 0, now + timedelta(minutes=cfg.lockout_minutes)
        if client:
            by_client = _guard(s, f"client:{client}", now)
            if by_client.window_start <= now - timedelta(minutes=cfg.client_window_minutes):
                by_client.failures, by_client.window_start = 0, now
            by_client.failures += 1
        why = "unknown" if account_id is None else ("wrong password" if not ok else "disabled or demo-only")
        _record(s, name, False, why, now, client)
        return False

    if not with_retry(session.get_bind(), count):
        raise AuthError(WRONG)
    return actor_for_post(session, post_id, read_only=read_only)


def _record(s: Session, username: str, success: bool, note: str, now: datetime, client: str = "") -> None:
    s.add(AuthEvent(at=now, username=username[:64], success=success, note=note, client=client or None))


def must_change_password(session: Session, username: str) -> bool:
    """True when the account holds a one-time password (a `one_time_password` row) and must set its own first."""
    return session.execute(sa.select(col(OneTimePassword.account_id))
                           .join(UserAccount, col(UserAccount.id) == OneTimePassword.account_id)
                           .where(col(UserAccount.username) == username)).first() is not None


def actor_for_username(session: Session, username: str) -> tuple[Actor, bool] | None:
    """(actor, read_only) of an active account, or None."""
    account = session.execute(sa.select(UserAccount).where(col(UserAccount.username) == username)).scalar()
    if account is None or not account.active:
        return None
    actor = actor_for_post(session, account.post_id, read_only=account.read_only)
    return actor, not actor.may_write


def demo_accounts(session: Session) -> list[tuple[str, str]]:
    """(username, display name) of the generator's demo accounts, ordered as created (for the demo sign-in list)."""
    rows = session.execute(sa.select(col(UserAccount.username), col(UserAccount.display_name))
                           .where(col(UserAccount.shared_password), col(UserAccount.active))
                           .order_by(col(UserAccount.id))).all()
    return [(r[0], r[1]) for r in rows]


# ---- sessions -------------------------------------------------------------------------------------------


def _key(token: str, secret: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def start_session(engine: Engine, username: str, *, now: datetime, secret: str | None = None,
                  hours: int | None = None) -> str:
    """A new session row for the active account `username`; returns the cookie token (random, 32 bytes)."""
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours or settings.auth.session_hours)

    def write(s: Session) -> None:
        account_id = s.execute(sa.select(col(UserAccount.id)).where(col(UserAccount.username) == username,
                                                                     col(UserAccount.active))).scalar()
        if account_id is None:
            raise AuthError(WRONG)
        s.add(UserSession(key_hash=_key(token, secret or settings.secret), account_id=account_id,
                          created_at=now, expires_at=expires))

    with_retry(engine, write)
    return token


def session_user(session: Session, token: str | None, *, now: datetime, secret: str | None = None) -> str | None:
    """The username of a live session (row present, unexpired, account active); None for anything else."""
    if not token or not isinstance(token, str) or len(token) > 256:
        return None
    key = _key(token, secret or get_settings().secret)
    return session.execute(sa.select(col(UserAccount.username)).join(UserSession, col(UserSession.account_id) == UserAccount.id)
                           .where(col(UserSession.key_hash) == key, col(UserSession.expires_at) > now,
                                  col(UserAccount.active))).scalar()


def end_session(engine: Engine, token: str | None, *, secret: str | None = None) -> None:
    """Delete the session of `token` (sign-out)."""
    if token:
        key = _key(token, secret or get_settings().secret)
        with_retry(engine, lambda s: s.execute(sa.delete(UserSession).where(col(UserSession.key_hash) == key)))


def end_sessions_of(s: Session, account_id: int) -> int:
    """Delete every session of one account (inside the caller's transaction); how many ended."""
    result = s.execute(sa.delete(UserSession).where(col(UserSession.account_id) == account_id))
    return int(getattr(result, "rowcount", 0) or 0)
