"""appeal cube rollup (民情 page): rollup_appeal_cube, appeals per region of township level and above × month ×
category × channel × closing level × on time × rating; index dispatch_screening (village_id, at) for the 过筛 report.

Revision ID: 0005_appeal_cube
Revises: 0004_rollup_scores
Create Date: 2026-11-23 18:00:00

Only creates the table: the newest rollup migration fills every rollup (core.rollups.rebuild_rollups).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005_appeal_cube'
down_revision: str | None = '0004_rollup_scores'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create rollup_appeal_cube (empty; filled by the newest migration's rebuild)."""
    op.create_table('rollup_appeal_cube',
    sa.Column('region_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('period', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('closing_level', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('on_time', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('resp_h', sa.Float(), nullable=False),
    sa.Column('close_h', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('region_id', 'period', 'category', 'channel', 'closing_level', 'on_time', 'rating')
    )
    with op.batch_alter_table('dispatch_screening', schema=None) as batch_op:
        batch_op.create_index('ix_dispatch_screening_village_at', ['village_id', 'at'], unique=False)


def downgrade() -> None:
    """Drop rollup_appeal_cube and the 过筛 index."""
    with op.batch_alter_table('dispatch_screening', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_screening_village_at')
    op.drop_table('rollup_appeal_cube')
