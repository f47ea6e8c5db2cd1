"""rollup scores: rollup_appeal_grid gains on-time/rated/好评/中评 counts; rollup_village_score (stored village
scores); rollup_warning (stored appeal warnings).

Revision ID: 0004_rollup_scores
Revises: 0003_rollups
Create Date: 2026-11-23 17:15:00

Only creates its tables: the newest rollup migration fills every rollup table from the raw rows
(core.rollups.rebuild_rollups), so an existing database is current after `upgrade head`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004_rollup_scores'
down_revision: str | None = '0003_rollups'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEAL_COUNTS = ('on_time', 'rated', 'good', 'mid')


def _appeal_grid(extra: tuple[str, ...]) -> None:
    op.drop_table('rollup_appeal_grid')
    op.create_table('rollup_appeal_grid',
    sa.Column('grid_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('period', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=False) for name in extra),
    sa.PrimaryKeyConstraint('grid_id', 'period', 'category')
    )


def upgrade() -> None:
    _appeal_grid(APPEAL_COUNTS)  # a rollup: recreated and refilled below, nothing is lost
    op.create_table('rollup_village_score',
    sa.Column('period', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('region_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=False),
    *(sa.Column(name, sa.Float(), nullable=True) for name in (
        'composite', 'party_building', 'economy', 'safety', 'public_service')),
    sa.Column('too_few_count', sa.Integer(), nullable=False),
    *(sa.Column(name, sa.Float(), nullable=True) for name in (
        'rank_in_parent', 'rank_in_level', 'party_building_rank_in_parent', 'party_building_rank_in_level',
        'economy_rank_in_parent', 'economy_rank_in_level', 'safety_rank_in_parent', 'safety_rank_in_level',
        'public_service_rank_in_parent', 'public_service_rank_in_level')),
    sa.Column('n_in_parent', sa.Integer(), nullable=False),
    sa.Column('n_in_level', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period', 'region_id')
    )
    with op.batch_alter_table('rollup_village_score', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_village_score_parent', ['period', 'parent_id'], unique=False)
    op.create_table('rollup_warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.Column('count', sa.Float(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=False),
    sa.Column('test', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('counts', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rollup_warning', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_warning_village', ['village_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rollup_warning', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_warning_village')
    op.drop_table('rollup_warning')
    with op.batch_alter_table('rollup_village_score', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_village_score_parent')
    op.drop_table('rollup_village_score')
    _appeal_grid(())
