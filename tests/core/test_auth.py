"""Sign-in: wrong passwords refused with one message, lockout after five failures, tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from core import auth
from core.config import AuthConfig
from core.models import AuthEvent, UserAccount

NOW = datetime(2026, 11, 1, 9, 0)
PASSWORD = AuthConfig().demo_password


def test_demo_account_signs_in_with_its_scope(session):
    actor = auth.authenticate(session, "village_secretary", PASSWORD, now=NOW)
    assert actor.role == "village_secretary"
    assert actor.scope.level == "village"
    assert session.exec(sa.select(sa.func.count()).select_from(AuthEvent).where(AuthEvent.success)).scalar() == 1


def test_wrong_password_is_refused_with_one_clear_message(session):
    with pytest.raises(auth.AuthError, match="^用户名或密码错误$"):
        auth.authenticate(session, "town_leader", "nope", now=NOW)
    with pytest.raises(auth.AuthError, match="^用户名或密码错误$"):
        auth.authenticate(session, "no_such_user", "nope", now=NOW)


def test_five_failures_in_a_row_lock_the_account_then_it_may_try_again(session):
    for _ in range(5):
        with pytest.raises(auth.AuthError):
            auth.authenticate(session, "county_admin", "bad", now=NOW)
    with pytest.raises(auth.AuthError, match="已锁定"):
        auth.authenticate(session, "county_admin", PASSWORD, now=NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=AuthConfig().lockout_minutes, seconds=1)
    assert auth.authenticate(session, "county_admin", PASSWORD, now=later).role == "county_admin"
    account = session.exec(sa.select(UserAccount).where(UserAccount.username == "county_admin")).scalar()
    assert account.failed_attempts == 0 and account.locked_until is None


def test_four_failures_then_success_resets_the_counter(session):
    for _ in range(4):
        with pytest.raises(auth.AuthError):
            auth.authenticate(session, "town_admin", "bad", now=NOW)
    auth.authenticate(session, "town_admin", PASSWORD, now=NOW)
    with pytest.raises(auth.AuthError, match="^用户名或密码错误$"):
        auth.authenticate(session, "town_admin", "bad", now=NOW)


def test_tokens_are_signed_and_expire():
    token = auth.issue_token("city_admin", NOW, secret="s3cret", hours=12)
    assert auth.verify_token(token, NOW + timedelta(hours=11), secret="s3cret") == "city_admin"
    assert auth.verify_token(token, NOW + timedelta(hours=13), secret="s3cret") is None
    assert auth.verify_token(token, NOW, secret="other") is None
    assert auth.verify_token("garbage!!", NOW, secret="s3cret") is None
    forged = auth.issue_token("city_admin", NOW, secret="attacker", hours=12)
    assert auth.verify_token(forged, NOW, secret="s3cret") is None


def test_passwords_are_bcrypt_hashes(session):
    hashes = session.exec(sa.select(UserAccount.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$2b$") for h in hashes)
