"""The record kinds the indicators count, department reports with versions and batches, record events, and
when each month's scores were computed (issue 18: live numbers).

Revision ID: 0009_records_reports
Revises: 0007_decision_check

A database generated before this revision keeps its indicator values (they were drawn by the old generator);
`python -m core.indicators recompute` would recount them from records it does not have: regenerate it instead.
Create Date: 2026-12-04 08:54:57.699365
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0009_records_reports'
down_revision: str | None = '0008_decision_event'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('score_stamp',
    sa.Column('period', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('cause', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('period')
    )
    op.create_table('affairs_posting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('affairs_posting', schema=None) as batch_op:
        batch_op.create_index('ix_affairs_posting_village_due', ['village_id', 'due_on'], unique=False)

    op.create_table('anti_fraud_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('households_reached', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('anti_fraud_visit', schema=None) as batch_op:
        batch_op.create_index('ix_anti_fraud_visit_village_day', ['village_id', 'held_on'], unique=False)

    op.create_table('key_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.create_index('ix_key_person_village', ['village_id'], unique=False)

    op.create_table('party_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('party_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_party_meeting_village_day', ['village_id', 'held_on'], unique=False)

    op.create_table('party_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('party_member', schema=None) as batch_op:
        batch_op.create_index('ix_party_member_village', ['village_id'], unique=False)

    op.create_table('record_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('record_event', schema=None) as batch_op:
        batch_op.create_index('ix_record_event_record', ['kind', 'record_id'], unique=False)

    op.create_table('report_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('submitted_name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('source_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source_name', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.ForeignKeyConstraint(['submitted_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('safety_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('premises_due', sa.Integer(), nullable=False),
    sa.Column('premises_checked', sa.Integer(), nullable=False),
    sa.Column('hazards_found', sa.Integer(), nullable=False),
    sa.Column('hazards_fixed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('safety_inspection', schema=None) as batch_op:
        batch_op.create_index('ix_safety_inspection_village_day', ['village_id', 'inspected_on'], unique=False)

    op.create_table('training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.create_index('ix_training_village_day', ['village_id', 'held_on'], unique=False)

    op.create_table('waste_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('households_checked', sa.Integer(), nullable=False),
    sa.Column('households_passed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('waste_check', schema=None) as batch_op:
        batch_op.create_index('ix_waste_check_village_day', ['village_id', 'checked_on'], unique=False)

    op.create_table('dept_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['report_batch.id'], ),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicator_def.code'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('village_id', 'period', 'indicator_code', 'version', name='uq_dept_report_version')
    )
    with op.batch_alter_table('dept_report', schema=None) as batch_op:
        batch_op.create_index('ix_dept_report_period', ['period', 'indicator_code', 'village_id'], unique=False)

    op.create_table('key_person_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_person_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['key_person_id'], ['key_person.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['visitor_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('key_person_visit', schema=None) as batch_op:
        batch_op.create_index('ix_key_person_visit_village_day', ['village_id', 'visited_on'], unique=False)

    op.create_table('member_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.BigInteger(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('linked_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['party_member.id'], ),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('member_link', schema=None) as batch_op:
        batch_op.create_index('ix_member_link_village', ['village_id', 'linked_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('member_link', schema=None) as batch_op:
        batch_op.drop_index('ix_member_link_village')

    op.drop_table('member_link')
    with op.batch_alter_table('key_person_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_key_person_visit_village_day')

    op.drop_table('key_person_visit')
    with op.batch_alter_table('dept_report', schema=None) as batch_op:
        batch_op.drop_index('ix_dept_report_period')

    op.drop_table('dept_report')
    with op.batch_alter_table('waste_check', schema=None) as batch_op:
        batch_op.drop_index('ix_waste_check_village_day')

    op.drop_table('waste_check')
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_index('ix_training_village_day')

    op.drop_table('training')
    with op.batch_alter_table('safety_inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_inspection_village_day')

    op.drop_table('safety_inspection')
    op.drop_table('report_batch')
    with op.batch_alter_table('record_event', schema=None) as batch_op:
        batch_op.drop_index('ix_record_event_record')

    op.drop_table('record_event')
    with op.batch_alter_table('party_member', schema=None) as batch_op:
        batch_op.drop_index('ix_party_member_village')

    op.drop_table('party_member')
    with op.batch_alter_table('party_meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_party_meeting_village_day')

    op.drop_table('party_meeting')
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.drop_index('ix_key_person_village')

    op.drop_table('key_person')
    with op.batch_alter_table('anti_fraud_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_anti_fraud_visit_village_day')

    op.drop_table('anti_fraud_visit')
    with op.batch_alter_table('affairs_posting', schema=None) as batch_op:
        batch_op.drop_index('ix_affairs_posting_village_due')

    op.drop_table('affairs_posting')
    op.drop_table('score_stamp')
