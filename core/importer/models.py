"""Tables of the importer: one row per load (import_run), the external id of every imported row with the
digest of its last imported content (import_ref), and the 留痕 of every correction (import_change)."""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import NaiveDatetime
from sqlmodel import Field

from core.table_model import TableModel


class ImportRun(TableModel, table=True):
    """导入批次: one committed load — when, by whom, which files (names and SHA-256) and the row counts."""

    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    files: str = Field(sa_type=sa.Text)  # JSON list of {"name", "sha256"}
    summary: str = Field(sa_type=sa.Text)  # JSON {kind: {"new", "updated", "unchanged"}}


class ImportRef(TableModel, table=True):
    """外部编号: the external id a county's own system gave a row, the record it became, and the digest of the
    row as last imported (the same digest again means unchanged)."""

    __tablename__ = "import_ref"
    __table_args__ = (sa.UniqueConstraint("kind", "external_id", name="uq_import_ref"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    external_id: str = Field(max_length=64)
    record_id: int = Field(sa_type=sa.BigInteger)
    digest: str = Field(max_length=32)
    run_id: int = Field(foreign_key="import_run.id")


class ImportChange(TableModel, table=True):
    """导入留痕: a correction made by a later file — which row, which fields, from what to what (JSON)."""

    __tablename__ = "import_change"
    __table_args__ = (sa.Index("ix_import_change_record", "kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="import_run.id")
    kind: str = Field(max_length=24)
    external_id: str = Field(max_length=64)
    record_id: int = Field(sa_type=sa.BigInteger)
    at: NaiveDatetime
    changes: str = Field(sa_type=sa.Text)  # JSON {field: [old, new]}


class OneTimePassword(TableModel, table=True):
    """一次性密码: an account whose password was issued once (by an import) and must be changed at first sign-in;
    the row goes when its owner sets a password of their own. The password itself is never stored."""

    __tablename__ = "one_time_password"
    account_id: int = Field(primary_key=True, foreign_key="user_account.id", sa_column_kwargs={"autoincrement": False})
    issued_at: NaiveDatetime
    run_id: int | None = Field(default=None, foreign_key="import_run.id")
