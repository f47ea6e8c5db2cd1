"""道德银行 (SPEC §8, the Yuyao article): the households that take part and their points ledger (evaluations,
volunteer hours, deductions with their source).

Revision ID: 0014_moral_bank
Revises: 0013_data_version
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014_moral_bank'
down_revision: str | None = '0013_data_version'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('moral_household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('head_name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('village_id', 'code', name='uq_moral_household_code')
    )
    op.create_table('moral_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('source_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['moral_household.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('moral_entry', schema=None) as batch_op:
        batch_op.create_index('ix_moral_entry_household', ['household_id', 'recorded_on'], unique=False)
        batch_op.create_index('ix_moral_entry_village', ['village_id', 'recorded_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('moral_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_moral_entry_village')
        batch_op.drop_index('ix_moral_entry_household')

    op.drop_table('moral_entry')
    op.drop_table('moral_household')
