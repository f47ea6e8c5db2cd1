"""leader index stored per person x month (领雁指数): rollup_leader_month.

Revision ID: 0006_leader_month
Revises: 0005_appeal_cube
Create Date: 2026-11-23 18:00:00

Only creates the table: the newest rollup migration (0007) fills every rollup table from the raw rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006_leader_month'
down_revision: str | None = '0005_appeal_cube'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORES = ('leadership', 'governance', 'development', 'service', 'integrity', 'reputation', 'score', 'cadre_score')


def upgrade() -> None:
    op.create_table('rollup_leader_month',
    sa.Column('period', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('rule_version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    *(sa.Column(name, sa.Float(), nullable=True) for name in SCORES),
    sa.PrimaryKeyConstraint('period', 'person_id')
    )
    with op.batch_alter_table('rollup_leader_month', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_leader_month_village', ['period', 'village_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rollup_leader_month', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_leader_month_village')
    op.drop_table('rollup_leader_month')
