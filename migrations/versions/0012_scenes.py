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

    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'name', name='uq_department_county_name')
    )
    op.create_table('one_thing_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('case_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('one_thing_case', schema=None) as batch_op:
        batch_op.create_index('ix_one_thing_case_village', ['village_id', 'closed_at'], unique=False)

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

    op.create_table('case_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('party', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['one_thing_case.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['done_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.create_index('ix_case_step_case', ['case_id'], unique=False)
        batch_op.create_index('ix_case_step_department', ['department_id', 'done_at'], unique=False)

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

    op.create_table('dept_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('rated_by', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['one_thing_case.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['rated_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['step_id'], ['case_step.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('step_id', name='uq_dept_rating_step')
    )
    with op.batch_alter_table('dept_rating', schema=None) as batch_op:
        batch_op.create_index('ix_dept_rating_department', ['department_id', 'rated_at'], unique=False)

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_post_department_id', 'department', ['department_id'], ['id'])

def downgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_constraint('fk_post_department_id', type_='foreignkey')
        batch_op.drop_column('department_id')

    with op.batch_alter_table('dept_rating', schema=None) as batch_op:
        batch_op.drop_index('ix_dept_rating_department')

    op.drop_table('dept_rating')
    with op.batch_alter_table('project_milestone', schema=None) as batch_op:
        batch_op.drop_index('ix_project_milestone_project')

    op.drop_table('project_milestone')
    with op.batch_alter_table('project_bid', schema=None) as batch_op:
        batch_op.drop_index('ix_project_bid_village')

    op.drop_table('project_bid')
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.drop_index('ix_case_step_department')
        batch_op.drop_index('ix_case_step_case')

    op.drop_table('case_step')
    with op.batch_alter_table('scene_event', schema=None) as batch_op:
        batch_op.drop_index('ix_scene_event_record')

    op.drop_table('scene_event')
    with op.batch_alter_table('one_thing_case', schema=None) as batch_op:
        batch_op.drop_index('ix_one_thing_case_village')

    op.drop_table('one_thing_case')
    op.drop_table('department')
    with op.batch_alter_table('bid_project', schema=None) as batch_op:
        batch_op.drop_index('ix_bid_project_village_landed')
        batch_op.drop_index('ix_bid_project_township')

    op.drop_table('bid_project')
