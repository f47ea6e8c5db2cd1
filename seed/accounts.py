"""Demo sign-in accounts: one per role type (SPEC §3), bound to real posts of the dataset.

They share the published demo password and are marked `shared_password`: they sign in only in demo
mode, which exists only on a generated database (core.accounts.demo_mode). Their bcrypt salts come
from the seed so that the same seed gives a byte-identical database; that protects nothing a published
password does not already give away. Every real account (core.accounts) gets bcrypt's own random salt.
"""

from __future__ import annotations

import hashlib
from typing import cast

import sqlalchemy as sa

from core.auth import hash_password
from core.config import AuthConfig
from core.enums import ROLE_LABEL, Role
from core.models import UserAccount
from seed.context import SeedContext

#: Which posts become demo accounts, in sign-in-screen order: (role, region level of the post).
DEMO_ROLES = [
    (Role.CITY_ADMIN, "city"), (Role.CITY_OPERATOR, "city"), (Role.SCREEN_VIEWER, None),
    (Role.COUNTY_ADMIN, "county"), (Role.TOWN_ADMIN, "township"), (Role.TOWN_PARTY_DEPUTY, "township"),
    (Role.TOWN_LEADER, "township"), (Role.STATIONED_CADRE, "township"), (Role.LINE_CADRE, "township"),
    (Role.VILLAGE_ADMIN, "village"), (Role.VILLAGE_SECRETARY, "village"), (Role.VILLAGE_COMMITTEE, "village"),
    (Role.GRID_WORKER, "village"), (Role.DEPT_STAFF, "county"),
]


def _seeded_salt(seed: str, rounds: int = 10) -> bytes:
    """A bcrypt salt derived from `seed` (demo accounts only: the same seed gives the same database)."""
    alphabet = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(seed.encode()).digest()
    body = bytes(alphabet[b % 64] for b in digest[:21]) + alphabet[digest[21] % 4 * 16 : digest[21] % 4 * 16 + 1]
    return f"$2b${rounds:02d}$".encode() + body


def write_accounts(ctx: SeedContext) -> None:
    """Demo accounts (password AuthConfig.demo_password), all inside the first county and township."""
    password = AuthConfig().demo_password
    first_town = cast(int, ctx.conn.execute(sa.text("SELECT min(id) FROM region WHERE level='township'")).scalar())
    rows = []
    for role, level in DEMO_ROLES:
        stmt = "SELECT p.id, r.name FROM post p JOIN region r ON r.id = p.region_id WHERE p.role = :role"
        params: dict = {"role": str(role)}
        if level in ("township", "village"):
            stmt += " AND p.region_id BETWEEN :lo AND :hi"
            params.update(lo=first_town, hi=first_town + 999)
        # the big screen hangs at the top of the dataset (lowest region id); others: first post
        order = " ORDER BY p.region_id, p.id" if level is None else " ORDER BY p.id"
        row = ctx.conn.execute(sa.text(stmt + order + " LIMIT 1"), params).first()
        if row is None:
            continue
        username = str(role)
        rows.append({"username": username, "password_hash": hash_password(password, _seeded_salt(f"{ctx.seed}:{username}")),
                     "post_id": int(row[0]), "display_name": f"{ROLE_LABEL[role]}（{row[1]}）",
                     "read_only": role == Role.SCREEN_VIEWER, "active": True, "failed_attempts": 0,
                     "locked_until": None, "shared_password": True})
    ctx.insert(UserAccount.__table__, rows)
