"""The seeds' remaining scenes (SPEC §8): 揭榜挂帅 projects, bids and milestones; county departments, 一件事
cases, their steps and the township's ratings (县乡双向考评); 道德银行 households and their points ledger; the
scenes' event table (留痕).

Revision ID: 0012_scenes
Revises: 0011_import
Create Date: 2026-12-04 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012_scenes'
down_revision: str | None = '0011_import'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bid_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('township_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('module', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('budget', sa.Float(), nullable=False),
    sa.Column('conditions', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('bid_deadline', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=True),
    sa.Column('winner_id', sa.Integer(), nullable=True),
    sa.Column('awarded_at', sa.DateTime(), nullable=True),
    sa.Column('award_reason', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.Column('landed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['published_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['township_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['winner_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('bid_project', schema=None) as batch_op:
        batch_op.create_index('ix_bid_project_township', ['township_id', 'status'], unique=False)
        batch_op.create_index('ix_bid_project_village_landed', ['village_id', 'landed_on'], unique=False)

    op.create_table('scene_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scene_event', schema=None) as batch_op:
        batch_op.create_index('ix_scene_event_record', ['kind', 'record_id'], unique=False)

    op.create_table('project_bid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('bidder_id', sa.Integer(), nullable=False),
    sa.Column('plan', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
    sa.Column('commitments', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.ForeignKeyConstraint(['bidder_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['bid_project.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'village_id', name='uq_project_bid_village')
    )
    with op.batch_alter_table('project_bid', schema=None) as batch_op:
        batch_op.create_index('ix_project_bid_village', ['village_id'], unique=False)

    op.create_table('project_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['done_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['bid_project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.create_index('ix_project_milestone_project', ['project_id', 'seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.drop_index('ix_project_milestone_project')

    op.drop_table('project_milestone')
    with op.batch_alter_table('project_bid', schema=None) as batch_op:
        batch_op.drop_index('ix_project_bid_village')

    op.drop_table('project_bid')
    with op.batch_alter_table('scene_event', schema=None) as batch_op:
        batch_op.drop_index('ix_scene_event_record')

    op.drop_table('scene_event')
    with op.batch_alter_table('bid_project', schema=None) as batch_op:
        batch_op.drop_index('ix_bid_project_village_landed')
        batch_op.drop_index('ix_bid_project_township')

    op.drop_table('bid_project')
