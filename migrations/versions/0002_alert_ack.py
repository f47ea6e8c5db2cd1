"""alert_ack: 预警确认 (who acknowledged which big-screen alert, when, for which scope).

Revision ID: 0002_alert_ack
Revises: 0001
Create Date: 2026-11-23 16:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002_alert_ack'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alert_ack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_key', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('scope_region_id', sa.BigInteger(), nullable=False),
    sa.Column('scope_hi', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['scope_region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('alert_key', 'scope_region_id', name='uq_alert_ack_scope')
    )
    op.create_index('ix_alert_ack_scope', 'alert_ack', ['scope_region_id', 'scope_hi'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_alert_ack_scope', table_name='alert_ack')
    op.drop_table('alert_ack')
