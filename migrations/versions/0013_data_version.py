"""data_version: one row whose version every committed write bumps (issue 24: two app servers agree on it).

Revision ID: 0013_data_version
Revises: 0012_scenes

No row is inserted here: the first write creates it (core.freshness.bump upserts), and a reader sees 0 before.
Create Date: 2026-12-04 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_data_version'
down_revision: str | None = '0012_scenes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('data_version')
