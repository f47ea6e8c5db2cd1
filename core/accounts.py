"""Real accounts (SPEC §12): administrators manage the accounts of their own region; everyone may change
their password; every change is an `account_event` and ends the sessions it must.

Command line (the first administrator of an imported database, and the secret):
    python -m core.accounts create-admin --region CODE [--username NAME]   password typed twice, not echoed
    python -m core.accounts rotate-secret                                  new secret, every session ends
    python -m core.accounts check-secret                                   one line and exit 2 when unusable
"""

from __future__ import annotations

import argparse
import getpass
import re
import secrets
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from core.actors import Actor
from core.auth import check_password, end_sessions_of, hash_password, with_retry
from core.config import SecretError, get_settings, reset_settings, secret_path, write_secret
from core.enums import Role
from core.errors import DomainError, NotFound, PermissionDenied
from core.models import (
    AccountEvent,
    Appeal,
    AppealEvent,
    AuthEvent,
    Decision,
    DecisionEvent,
    OneTimePassword,
    Person,
    Post,
    Region,
    Task,
    TaskEvent,
    UserAccount,
    UserSession,
)
from core.scope import Scope

#: Roles that administer accounts within their own region (their post's subtree).
ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_ADMIN, Role.TOWN_ADMIN, Role.VILLAGE_ADMIN})
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,31}")


class AccountError(DomainError):
    """An account change refused; `key`/`params` name the catalog message."""

    def __init__(self, message: str, key: str, **params: object) -> None:
        super().__init__(message)
        self.key, self.params = key, params


@dataclass(frozen=True)
class AccountRow:
    """One account as the administrator's list shows it."""

    id: int
    username: str
    display_name: str
    post_id: int
    role: str
    region_id: int
    active: bool
    must_change_password: bool


def is_admin(actor: Actor) -> bool:
    """True when `actor` may administer accounts within its scope."""
    return actor.may_write and actor.role in ADMIN_ROLES


def _require_admin(actor: Actor) -> None:
    actor.check_may_write()  # the big screen and read-only accounts: the one read-only message
    if not is_admin(actor):
        raise PermissionDenied("只有管理员可以管理账号")


def password_problem(password: str, username: str) -> tuple[str, dict] | None:
    """(catalog key, params) of the first strength rule the password breaks; None when it is acceptable."""
    n = get_settings().auth.min_password_length
    if len(password) < n:
        return "password.too_short", {"n": n}
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        return "password.too_simple", {}
    if password.strip().lower() == username.strip().lower():
        return "password.is_username", {}
    return None


def one_time_password() -> str:
    """A random one-time password (12 characters, letters and digits, no look-alikes)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(12))
        if password_problem(value, "") is None:
            return value


def _issue_one_time(s: Session, account_id: int, now: datetime) -> None:
    """Mark the account's password as one-time (the importer's `one_time_password` row: changed at first sign-in)."""
    s.execute(sa.delete(OneTimePassword).where(col(OneTimePassword.account_id) == account_id))
    s.add(OneTimePassword(account_id=account_id, issued_at=now, run_id=None))


def _event(s: Session, actor: str, username: str, action: str, note: str, now: datetime) -> None:
    s.add(AccountEvent(at=now, actor_username=actor[:64], username=username[:64], action=action, note=note[:128]))


def _account_in_scope(s: Session, scope: Scope, account_id: int) -> UserAccount:
    account = s.get(UserAccount, account_id)
    if account is None:
        raise NotFound("账号不存在")
    region = s.execute(sa.select(col(Post.region_id)).where(col(Post.id) == account.post_id)).scalar()
    if region is None or not scope.contains(int(region)):
        raise NotFound("账号不存在")  # outside the scope looks the same as missing
    return account


def list_accounts(session: Session, scope: Scope) -> list[AccountRow]:
    """Accounts whose post lies in `scope`, by username."""
    rows = session.execute(
        sa.select(col(UserAccount.id), col(UserAccount.username), col(UserAccount.display_name), col(UserAccount.post_id), col(Post.role),
                  col(Post.region_id), col(UserAccount.active), col(OneTimePassword.account_id).is_not(None))
        .join(Post, col(Post.id) == UserAccount.post_id)
        .outerjoin(OneTimePassword, col(OneTimePassword.account_id) == UserAccount.id)
        .where(col(Post.region_id).between(scope.lo, scope.hi)).order_by(col(UserAccount.username))).all()
    return [AccountRow(int(r[0]), r[1], r[2], int(r[3]), r[4], int(r[5]), bool(r[6]), bool(r[7])) for r in rows]


def posts_in_scope(session: Session, scope: Scope, limit: int = 5000) -> list[tuple[int, str, str, str]]:
    """(post id, person, role code, region name) of active posts in `scope`, by region then post, at most `limit`."""
    rows = session.execute(
        sa.select(col(Post.id), col(Person.name), col(Post.role), col(Region.name)).join(Person, col(Person.id) == Post.person_id)
        .join(Region, col(Region.id) == Post.region_id)
        .where(col(Post.region_id).between(scope.lo, scope.hi), col(Post.active))
        .order_by(col(Post.region_id), col(Post.id)).limit(limit)).all()
    return [(int(r[0]), r[1], r[2], r[3]) for r in rows]


def _post_in_scope(s: Session, scope: Scope, post_id: int) -> tuple[str, str]:
    row = s.execute(sa.select(col(Person.name), col(Post.region_id), col(Region.name)).join(Person, col(Person.id) == Post.person_id)
                    .join(Region, col(Region.id) == Post.region_id).where(col(Post.id) == post_id)).first()
    if row is None or not scope.contains(int(row[1])):
        raise NotFound("岗位不存在")
    return row[0], row[2]


def create_account(engine: Engine, *, actor: Actor, actor_username: str, username: str, post_id: int,
                   now: datetime) -> str:
    """Create an account for a post in the administrator's scope; returns its one-time password."""
    _require_admin(actor)
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise AccountError("用户名需为3–32位字母、数字或下划线，以字母开头", "admin.bad_username")
    password = one_time_password()

    def write(s: Session) -> None:
        person, region = _post_in_scope(s, actor.scope, post_id)
        if s.execute(sa.select(col(UserAccount.id)).where(col(UserAccount.username) == username)).scalar():
            raise AccountError("用户名已存在", "admin.taken")
        account = UserAccount(username=username, password_hash=hash_password(password), post_id=post_id,
                              display_name=f"{person}（{region}）"[:64])
        s.add(account)
        s.flush()
        _issue_one_time(s, int(account.id or 0), now)
        _event(s, actor_username, username, "create", f"post {post_id}", now)

    with_retry(engine, write, retries=2)
    return password


def set_active(engine: Engine, *, actor: Actor, actor_username: str, account_id: int, active: bool, now: datetime) -> None:
    """Disable (ending its sessions at once) or enable an account in the administrator's scope."""
    _require_admin(actor)

    def write(s: Session) -> None:
        account = _account_in_scope(s, actor.scope, account_id)
        if account.username == actor_username and not active:
            raise AccountError("不能停用自己的账号", "admin.self")
        account.active = active
        s.add(account)
        ended = end_sessions_of(s, account_id) if not active else 0
        _event(s, actor_username, account.username, "enable" if active else "disable", f"sessions ended {ended}", now)

    with_retry(engine, write, retries=2)


def reset_password(engine: Engine, *, actor: Actor, actor_username: str, account_id: int, now: datetime) -> str:
    """A new one-time password for an account in scope (to change at next sign-in); its sessions end."""
    _require_admin(actor)
    password = one_time_password()

    def write(s: Session) -> None:
        account = _account_in_scope(s, actor.scope, account_id)
        account.password_hash, account.shared_password = hash_password(password), False
        s.add(account)
        _issue_one_time(s, account_id, now)
        ended = end_sessions_of(s, account_id)
        _event(s, actor_username, account.username, "reset_password", f"sessions ended {ended}", now)

    with_retry(engine, write, retries=2)
    return password


def change_post(engine: Engine, *, actor: Actor, actor_username: str, account_id: int, post_id: int, now: datetime) -> None:
    """Move an account in scope to another post in scope (its role and data scope follow the post)."""
    _require_admin(actor)

    def write(s: Session) -> None:
        account = _account_in_scope(s, actor.scope, account_id)
        _post_in_scope(s, actor.scope, post_id)
        before, account.post_id = account.post_id, post_id
        s.add(account)
        ended = end_sessions_of(s, account_id)  # the old scope must not live on in an open session
        _event(s, actor_username, account.username, "change_post", f"post {before} → {post_id}; sessions ended {ended}", now)

    with_retry(engine, write, retries=2)


def change_password(engine: Engine, *, username: str, current: str, new: str, again: str, now: datetime) -> None:
    """The owner sets a new password (checked against the strength rule); every session of the account ends."""
    if new != again:
        raise AccountError("两次输入的新密码不一致", "password.mismatch")
    if problem := password_problem(new, username):
        raise AccountError("新密码不符合要求", problem[0], **problem[1])
    if new == current:
        raise AccountError("新密码不能与当前密码相同", "password.reused")
    with Session(engine) as s:
        row = s.execute(sa.select(col(UserAccount.password_hash)).where(col(UserAccount.username) == username,
                                                                   col(UserAccount.active))).scalar()
    if not check_password(current, row):
        raise AccountError("当前密码不正确", "password.wrong_current")
    new_hash = hash_password(new)

    def write(s: Session) -> None:
        account: UserAccount = s.execute(sa.select(UserAccount).where(col(UserAccount.username) == username)).scalar_one()
        account.password_hash, account.shared_password = new_hash, False
        s.add(account)
        s.execute(sa.delete(OneTimePassword).where(col(OneTimePassword.account_id) == account.id))  # its own now
        end_sessions_of(s, int(account.id or 0))
        _event(s, username, username, "change_password", "", now)

    with_retry(engine, write, retries=2)


# ---- audit ----------------------------------------------------------------------------------------------

AUDIT_KINDS = ("sign_in", "sign_in_failed", "account", "task", "appeal", "decision")


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page asks for: a person or user name (substring), kinds, a date range."""

    who: str = ""
    kinds: tuple[str, ...] = AUDIT_KINDS
    start: date | None = None
    end: date | None = None
    limit: int = 2000


def _usernames_in_scope(session: Session, scope: Scope) -> list[str]:
    return [r.username for r in list_accounts(session, scope)]


def audit_log(session: Session, scope: Scope, filters: AuditFilters) -> pd.DataFrame:
    """Sign-ins, account changes and task write events within `scope`, newest first (at, kind, who, target, action, note)."""
    lo = datetime.combine(filters.start, datetime.min.time()) if filters.start else datetime(1970, 1, 1)
    hi = datetime.combine(filters.end, datetime.min.time()) + timedelta(days=1) if filters.end else datetime(9999, 1, 1)
    names = _usernames_in_scope(session, scope)
    parts: list[pd.DataFrame] = []
    if {"sign_in", "sign_in_failed"} & set(filters.kinds) and names:
        rows = session.execute(sa.select(col(AuthEvent.at), col(AuthEvent.username), col(AuthEvent.success), col(AuthEvent.note), col(AuthEvent.client))
                               .where(col(AuthEvent.username).in_(names), col(AuthEvent.at) >= lo, col(AuthEvent.at) < hi)
                               .order_by(col(AuthEvent.at).desc()).limit(filters.limit)).all()
        frame = pd.DataFrame(rows, columns=["at", "who", "success", "note", "client"])
        frame["kind"] = frame["success"].map({True: "sign_in", False: "sign_in_failed"})
        frame = frame[frame["kind"].isin(filters.kinds)]
        parts.append(frame.assign(target=frame["who"], action=frame["kind"],
                                  note=frame["note"].fillna("") + " " + frame["client"].fillna(""))[
            ["at", "kind", "who", "target", "action", "note"]])
    if "account" in filters.kinds and names:
        rows = session.execute(sa.select(col(AccountEvent.at), col(AccountEvent.actor_username), col(AccountEvent.username),
                                         col(AccountEvent.action), col(AccountEvent.note))
                               .where(col(AccountEvent.username).in_(names), col(AccountEvent.at) >= lo, col(AccountEvent.at) < hi)
                               .order_by(col(AccountEvent.at).desc()).limit(filters.limit)).all()
        parts.append(pd.DataFrame(rows, columns=["at", "who", "target", "action", "note"]).assign(kind="account"))
    # every write event of the services, within the scope: tasks, appeals, 议事决策 (title / category as the target)
    for kind, event, owner, link, target in (("task", TaskEvent, Task, TaskEvent.task_id, Task.title),
                                             ("appeal", AppealEvent, Appeal, AppealEvent.appeal_id, Appeal.category),
                                             ("decision", DecisionEvent, Decision, DecisionEvent.decision_id, Decision.title)):
        if kind not in filters.kinds:
            continue
        rows = session.execute(sa.select(col(event.at), col(Person.name), col(target), col(event.action), col(event.note))
                               .join(owner, col(owner.id) == link)
                               .join(Person, col(Person.id) == event.actor_id, isouter=True)
                               .where(col(owner.village_id).between(scope.lo, scope.hi), col(event.at) >= lo, col(event.at) < hi)
                               .order_by(col(event.at).desc()).limit(filters.limit)).all()
        parts.append(pd.DataFrame(rows, columns=["at", "who", "target", "action", "note"]).assign(kind=kind))
    columns = ["at", "kind", "who", "target", "action", "note"]
    out = pd.concat([p[columns] for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=columns)
    if filters.who.strip():
        needle = filters.who.strip()
        out = out[out["who"].fillna("").str.contains(needle, regex=False) | out["target"].fillna("").str.contains(needle, regex=False)]
    return out.sort_values("at", ascending=False).head(filters.limit).reset_index(drop=True)


# ---- command line ---------------------------------------------------------------------------------------


def create_admin(engine: Engine, *, region_code: str, username: str, password: str, now: datetime) -> None:
    """The first administrator of a region: a post, a person and an account (no one-time password: typed here)."""
    if problem := password_problem(password, username):
        raise AccountError("密码不符合要求", problem[0], **problem[1])
    if not _USERNAME.fullmatch(username):
        raise AccountError("用户名需为3–32位字母、数字或下划线，以字母开头", "admin.bad_username")
    code = region_code.strip()
    if not code.isdigit():
        raise AccountError(f"区划代码必须是数字：{region_code}", "admin.bad_region")
    code = code + "0" * (12 - len(code)) if len(code) < 12 else code

    def write(s: Session) -> None:
        region = s.execute(sa.select(col(Region.id), col(Region.level), col(Region.name)).where(col(Region.id) == int(code))).first()
        if region is None:
            raise AccountError(f"数据库中没有区划 {code}", "admin.bad_region")
        role = {"city": Role.CITY_ADMIN, "county": Role.COUNTY_ADMIN, "township": Role.TOWN_ADMIN,
                "village": Role.VILLAGE_ADMIN}.get(region[1])
        if role is None:
            raise AccountError(f"{region[2]} 不能设管理员（级别 {region[1]}）", "admin.bad_region")
        if s.execute(sa.select(col(UserAccount.id)).where(col(UserAccount.username) == username)).scalar():
            raise AccountError(f"用户名已存在：{username}", "admin.taken")
        next_person = int(s.execute(sa.select(sa.func.coalesce(sa.func.max(Person.id), 0))).scalar() or 0) + 1
        next_post = int(s.execute(sa.select(sa.func.coalesce(sa.func.max(Post.id), 0))).scalar() or 0) + 1
        s.add(Person(id=next_person, name=username[:32], gender="", birth_year=0, party_member=False, phone=""))
        s.flush()
        s.add(Post(id=next_post, person_id=next_person, region_id=int(code), role=str(role), title="管理员",
                   since=now.date(), active=True))
        s.flush()
        s.add(UserAccount(username=username, password_hash=hash_password(password), post_id=next_post,
                          display_name=f"管理员（{region[2]}）"[:64]))
        _event(s, "command line", username, "create", f"first administrator of {code}", now)

    with_retry(engine, write, retries=2)


def rotate_secret(engine: Engine | None, now: datetime) -> int:
    """Write a new per-install secret and delete every session row; returns how many sessions ended."""
    write_secret(secret_path())
    reset_settings()
    if engine is None:
        return 0

    def write(s: Session) -> int:
        ended = int(getattr(s.execute(sa.delete(UserSession)), "rowcount", 0) or 0)
        _event(s, "command line", "*", "rotate_secret", f"sessions ended {ended}", now)
        return ended

    return with_retry(engine, write, retries=2)


def _read_password(prompt: Callable[[str], str]) -> str:
    first = prompt("新密码 (new password): ")
    if first != prompt("再次输入 (again): "):
        raise AccountError("两次输入的密码不一致", "password.mismatch")
    return first


def main(argv: list[str] | None = None, *, prompt: Callable[[str], str] = getpass.getpass) -> int:
    """Command line entry point; one line on any refusal, exit 2."""
    from core.db import display_url, make_engine

    ap = argparse.ArgumentParser(prog="python -m core.accounts", description="账号与会话密钥")
    sub = ap.add_subparsers(dest="command", required=True)
    admin = sub.add_parser("create-admin", help="创建第一个管理员（密码输入两次，不回显）")
    admin.add_argument("--region", required=True, help="区划代码（6/9/12位）")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--database", help="数据库 URL（默认 DATABASE_URL）")
    rot = sub.add_parser("rotate-secret", help="更换会话密钥，结束全部会话")
    rot.add_argument("--database", help="数据库 URL（默认 DATABASE_URL）")
    sub.add_parser("check-secret", help="检查会话密钥（启动前）")
    args = ap.parse_args(argv)
    try:
        if args.command == "check-secret":
            get_settings()
            print("会话密钥正常 (session secret ok)")
            return 0
        url = args.database or get_settings().database_url
        engine = make_engine(url)
        try:
            if args.command == "create-admin":
                create_admin(engine, region_code=args.region, username=args.username, password=_read_password(prompt),
                             now=datetime.now())
                print(f"已创建管理员 {args.username}（{display_url(url)}）")
            else:
                with engine.connect() as conn:
                    has_sessions = sa.inspect(conn).has_table("user_session")
                ended = rotate_secret(engine if has_sessions else None, datetime.now())
                print(f"已更换会话密钥 {secret_path()}，结束 {ended} 个会话")
        finally:
            engine.dispose()
    except (SecretError, DomainError) as err:
        print(f"错误: {err}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as err:
        print(f"错误: 数据库不可用（{type(err).__name__}）", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
