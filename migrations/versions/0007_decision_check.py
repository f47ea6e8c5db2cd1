"""议事决策 step checks stored per decision: rollup_decision_check.

Revision ID: 0007_decision_check
Revises: 0006_leader_month
Create Date: 2026-11-23 21:00:00

The newest rollup migration fills every rollup table from the raw rows (core.rollups.rebuild_rollups),
so an existing database is current after `upgrade head`; earlier ones only create their tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.rollups import rebuild_rollups

revision: str = '0007_decision_check'
down_revision: str | None = '0006_leader_month'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rollup_decision_check',
    sa.Column('decision_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('days_taken', sa.Integer(), nullable=True),
    sa.Column('steps', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('skipped', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reordered', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('flawed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('decision_id')
    )
    with op.batch_alter_table('rollup_decision_check', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_decision_check_opened', ['opened_on'], unique=False)
        batch_op.create_index('ix_rollup_decision_check_village', ['village_id', 'opened_on'], unique=False)
    rebuild_rollups(op.get_bind())  # an existing database gets its rollups now (all of them), from its raw rows


def downgrade() -> None:
    with op.batch_alter_table('rollup_decision_check', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_decision_check_village')
        batch_op.drop_index('ix_rollup_decision_check_opened')
    op.drop_table('rollup_decision_check')
