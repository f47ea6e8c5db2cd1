"""Who is acting: a person in one post, with the role and data scope of that post."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from core.enums import Role
from core.errors import NotFound, PermissionDenied
from core.models import Person, Post, Region
from core.scope import Scope

READ_ONLY_MESSAGE = "只读账号（大屏）只能查看，不能修改任何数据。"


class ReadOnlyAccount(PermissionDenied):
    """A read-only account (the 大屏 viewer) tried to change something; nothing was written."""

    def __init__(self) -> None:
        super().__init__(READ_ONLY_MESSAGE)


@dataclass(frozen=True)
class Actor:
    """The signed-in (or acting) person: every service call takes one and checks role and scope."""

    person_id: int
    name: str
    role: str
    region_id: int
    level: str
    read_only: bool = False
    department_id: int | None = None  # 县级部门 staff: their department

    @property
    def scope(self) -> Scope:
        """The region subtree this actor may read and act in."""
        return Scope(self.region_id, self.level)

    @property
    def may_write(self) -> bool:
        """False for read-only accounts and for the 大屏 role, whatever the account says."""
        return not self.read_only and self.role != Role.SCREEN_VIEWER

    def check_may_write(self) -> None:
        """Raise ReadOnlyAccount (one message for every write path) unless this actor may change data."""
        if not self.may_write:
            raise ReadOnlyAccount()


def actor_for_post(session: Session, post_id: int, *, read_only: bool = False) -> Actor:
    """The actor holding post `post_id` (read_only: signed in with a read-only account)."""
    row = session.execute(sa.select(col(Post.person_id), col(Person.name), col(Post.role), col(Post.region_id), col(Region.level),
                                    col(Post.department_id))
                       .join(Person, col(Person.id) == Post.person_id).join(Region, col(Region.id) == Post.region_id)
                       .where(col(Post.id) == post_id)).first()
    if row is None:
        raise NotFound(f"岗位 {post_id} 不存在")
    return Actor(int(row.person_id), row.name, row.role, int(row.region_id), row.level,
                 read_only or row.role == Role.SCREEN_VIEWER, row.department_id)


def first_actor(session: Session, role: str, within: Scope | None = None) -> Actor:
    """The first (lowest post id) actor with `role`, optionally inside a scope — for demos and tests."""
    stmt = sa.select(col(Post.id)).where(col(Post.role) == role, col(Post.active)).order_by(col(Post.id)).limit(1)
    if within is not None:
        stmt = stmt.where(col(Post.region_id).between(within.lo, within.hi))
    post_id = session.execute(stmt).scalar()
    if post_id is None:
        raise NotFound(f"没有角色为 {role} 的岗位")
    return actor_for_post(session, int(post_id))
