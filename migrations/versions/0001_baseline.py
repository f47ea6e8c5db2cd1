"""Baseline: the whole schema as of the first release (tables, keys, checks, indexes).

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:26:43.481841
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('auth_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_auth_event_username'), 'auth_event', ['username'], unique=False)

    op.create_table('indicator_def',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('module', sa.String(length=24), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('definition_zh', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('definition_en', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('is_rate', sa.Boolean(), nullable=False),
    sa.Column('scale', sa.Float(), nullable=False),
    sa.Column('per', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('matter_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('module', sa.String(length=24), nullable=False),
    sa.Column('on_list', sa.Boolean(), nullable=False),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('difficulty', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('party_member', sa.Boolean(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('region',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('area_km2', sa.Float(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('boundary', sa.Text(), nullable=False),
    sa.CheckConstraint("(level = 'village' AND id % 1000 <> 0) OR (level = 'township' AND id % 1000 = 0 AND id % 1000000 <> 0) OR (level = 'county' AND id % 1000000 = 0 AND id % 100000000 <> 0) OR (level = 'city' AND id % 100000000 = 0 AND id % 10000000000 <> 0) OR (level = 'province' AND id % 10000000000 = 0)", name='ck_region_code_shape'),
    sa.CheckConstraint("parent_id IS NULL OR (level = 'village' AND parent_id = id / 1000 * 1000) OR (level = 'township' AND parent_id = id / 1000000 * 1000000) OR (level = 'county' AND parent_id = id / 100000000 * 100000000) OR (level = 'city' AND parent_id = id / 10000000000 * 10000000000)", name='ck_region_parent_one_level_up'),
    sa.ForeignKeyConstraint(['parent_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_index(op.f('ix_region_level'), 'region', ['level'], unique=False)
    op.create_index(op.f('ix_region_parent_id'), 'region', ['parent_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('limit_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_decision_village_id'), 'decision', ['village_id'], unique=False)

    op.create_table('dispatch_screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('dispatcher_id', sa.Integer(), nullable=False),
    sa.Column('dispatcher_region_id', sa.BigInteger(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('matter_type_id', sa.Integer(), nullable=True),
    sa.Column('matter_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.ForeignKeyConstraint(['dispatcher_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['dispatcher_region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['matter_type_id'], ['matter_type.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_dispatch_screening_dispatcher_region_id'), 'dispatch_screening', ['dispatcher_region_id'], unique=False)

    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_evaluation_person_period', 'evaluation', ['person_id', 'period'], unique=False)
    op.create_index(op.f('ix_evaluation_village_id'), 'evaluation', ['village_id'], unique=False)

    op.create_table('grid',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('boundary', sa.Text(), nullable=False),
    sa.CheckConstraint('id / 1000 = village_id', name='ck_grid_in_village'),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['worker_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_index(op.f('ix_grid_village_id'), 'grid', ['village_id'], unique=False)

    op.create_table('indicator_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator_def.code'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('period', 'indicator_code', 'village_id', name='uq_indicator_value')
    )
    op.create_table('scoring_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.BigInteger(), nullable=True),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('township_id', 'version', name='uq_rule_version')
    )
    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('first_response_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('closing_level', sa.String(length=24), nullable=True),
    sa.Column('rating', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['handler_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_appeal_grid_time', 'appeal', ['grid_id', 'reported_at'], unique=False)
    op.create_index('ix_appeal_open', 'appeal', ['status', 'village_id'], unique=False)
    op.create_index('ix_appeal_village_time', 'appeal', ['village_id', 'reported_at'], unique=False)

    op.create_table('decision_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_decision_step_decision_id'), 'decision_step', ['decision_id'], unique=False)

    op.create_table('diary_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=False),
    sa.Column('household_no', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_diary_village_day', 'diary_visit', ['village_id', 'visited_on'], unique=False)
    op.create_index(op.f('ix_diary_visit_person_id'), 'diary_visit', ['person_id'], unique=False)

    op.create_table('planted_anomaly',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=True),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_post_person_id'), 'post', ['person_id'], unique=False)
    op.create_index(op.f('ix_post_region_id'), 'post', ['region_id'], unique=False)
    op.create_index(op.f('ix_post_role'), 'post', ['role'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('module', sa.String(length=24), nullable=False),
    sa.Column('matter_type_id', sa.Integer(), nullable=False),
    sa.Column('difficulty', sa.Float(), nullable=False),
    sa.Column('dispatcher_id', sa.Integer(), nullable=False),
    sa.Column('dispatcher_region_id', sa.BigInteger(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('grid_id', sa.BigInteger(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('co_office', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('scored_at', sa.DateTime(), nullable=True),
    sa.Column('quality_score', sa.Float(), nullable=True),
    sa.Column('dispatch_rating', sa.Integer(), nullable=True),
    sa.Column('urge_count', sa.Integer(), nullable=False),
    sa.Column('last_urged_at', sa.DateTime(), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.CheckConstraint('done_at IS NULL OR done_at >= dispatched_at', name='ck_task_done_after_dispatch'),
    sa.ForeignKeyConstraint(['dispatcher_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['dispatcher_region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['grid_id'], ['grid.id'], ),
    sa.ForeignKeyConstraint(['leader_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['matter_type_id'], ['matter_type.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_index('ix_task_open_due', 'task', ['status', 'deadline', 'village_id'], unique=False)
    op.create_index(op.f('ix_task_owner_id'), 'task', ['owner_id'], unique=False)
    op.create_index('ix_task_village_due', 'task', ['village_id', 'deadline'], unique=False)

    op.create_table('appeal_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_level', sa.String(length=24), nullable=True),
    sa.Column('to_level', sa.String(length=24), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeal.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_appeal_event_appeal_id'), 'appeal_event', ['appeal_id'], unique=False)

    op.create_table('task_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_task_event_task_id'), 'task_event', ['task_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('read_only', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )


def downgrade() -> None:
    op.drop_table('user_account')
    op.drop_index(op.f('ix_task_event_task_id'), table_name='task_event')

    op.drop_table('task_event')
    op.drop_index(op.f('ix_appeal_event_appeal_id'), table_name='appeal_event')

    op.drop_table('appeal_event')
    op.drop_index('ix_task_village_due', table_name='task')
    op.drop_index(op.f('ix_task_owner_id'), table_name='task')
    op.drop_index('ix_task_open_due', table_name='task')

    op.drop_table('task')
    op.drop_index(op.f('ix_post_role'), table_name='post')
    op.drop_index(op.f('ix_post_region_id'), table_name='post')
    op.drop_index(op.f('ix_post_person_id'), table_name='post')

    op.drop_table('post')
    op.drop_table('planted_anomaly')
    op.drop_index(op.f('ix_diary_visit_person_id'), table_name='diary_visit')
    op.drop_index('ix_diary_village_day', table_name='diary_visit')

    op.drop_table('diary_visit')
    op.drop_index(op.f('ix_decision_step_decision_id'), table_name='decision_step')

    op.drop_table('decision_step')
    op.drop_index('ix_appeal_village_time', table_name='appeal')
    op.drop_index('ix_appeal_open', table_name='appeal')
    op.drop_index('ix_appeal_grid_time', table_name='appeal')

    op.drop_table('appeal')
    op.drop_table('scoring_rule')
    op.drop_table('indicator_value')
    op.drop_index(op.f('ix_grid_village_id'), table_name='grid')

    op.drop_table('grid')
    op.drop_index(op.f('ix_evaluation_village_id'), table_name='evaluation')
    op.drop_index('ix_evaluation_person_period', table_name='evaluation')

    op.drop_table('evaluation')
    op.drop_index(op.f('ix_dispatch_screening_dispatcher_region_id'), table_name='dispatch_screening')

    op.drop_table('dispatch_screening')
    op.drop_index(op.f('ix_decision_village_id'), table_name='decision')

    op.drop_table('decision')
    op.drop_index(op.f('ix_region_parent_id'), table_name='region')
    op.drop_index(op.f('ix_region_level'), table_name='region')

    op.drop_table('region')
    op.drop_table('person')
    op.drop_table('meta')
    op.drop_table('matter_type')
    op.drop_table('indicator_def')
    op.drop_index(op.f('ix_auth_event_username'), table_name='auth_event')

    op.drop_table('auth_event')
