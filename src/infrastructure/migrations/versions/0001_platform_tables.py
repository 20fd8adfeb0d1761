"""The platform tables as they stood when migrations began: sessions and login failures,
import jobs with their rows and outputs, stored files, SMS login codes, projection tracking.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auth_login_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_auth_login_failures_key'), 'auth_login_failures', ['key'], unique=False)
    op.create_table('auth_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_auth_sessions_account_id'), 'auth_sessions', ['account_id'], unique=False)
    op.create_table('import_jobs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('admission_batch_id', sa.Uuid(), nullable=True),
    sa.Column('teaching_point_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_username', sa.String(length=60), nullable=False),
    sa.Column('actor_name', sa.String(length=60), nullable=False),
    sa.Column('actor_roles', sa.String(length=200), nullable=False),
    sa.Column('correlation_id', sa.String(length=64), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('succeeded', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('lease_token', sa.String(length=32), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_import_jobs_created_at'), 'import_jobs', ['created_at'], unique=False)
    op.create_index(op.f('ix_import_jobs_status'), 'import_jobs', ['status'], unique=False)
    op.create_index(op.f('ix_import_jobs_teaching_point_id'), 'import_jobs', ['teaching_point_id'], unique=False)
    op.create_table('import_rows',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('code', sa.String(length=60), nullable=True),
    sa.Column('message', sa.String(length=300), nullable=True),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.PrimaryKeyConstraint('job_id', 'row')
    )
    op.create_table('job_outputs',
    sa.Column('job_id', sa.Uuid(), nullable=False),
    sa.Column('content_type', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job_id')
    )
    op.create_table('projection_tracking',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('stored_files',
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ref')
    )
    op.create_table('training_sms_codes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mobile_digest', sa.String(length=64), nullable=False),
    sa.Column('address_digest', sa.String(length=64), nullable=False),
    sa.Column('code_digest', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_training_sms_codes_address_digest'), 'training_sms_codes', ['address_digest'], unique=False)
    op.create_index(op.f('ix_training_sms_codes_mobile_digest'), 'training_sms_codes', ['mobile_digest'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_training_sms_codes_mobile_digest'), table_name='training_sms_codes')
    op.drop_index(op.f('ix_training_sms_codes_address_digest'), table_name='training_sms_codes')
    op.drop_table('training_sms_codes')
    op.drop_table('stored_files')
    op.drop_table('projection_tracking')
    op.drop_table('job_outputs')
    op.drop_table('import_rows')
    op.drop_index(op.f('ix_import_jobs_teaching_point_id'), table_name='import_jobs')
    op.drop_index(op.f('ix_import_jobs_status'), table_name='import_jobs')
    op.drop_index(op.f('ix_import_jobs_created_at'), table_name='import_jobs')
    op.drop_table('import_jobs')
    op.drop_index(op.f('ix_auth_sessions_account_id'), table_name='auth_sessions')
    op.drop_table('auth_sessions')
    op.drop_index(op.f('ix_auth_login_failures_key'), table_name='auth_login_failures')
    op.drop_table('auth_login_failures')
