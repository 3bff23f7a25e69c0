"""Messages are sent by a worker: each one's attempts, next attempt, lease, provider id, and a longer status

Revision ID: 2e7a9c1b3d55
Revises: 9b4d6f8a0c22
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2e7a9c1b3d55'
down_revision = '9b4d6f8a0c22'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=20), type_=sa.String(length=200))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('provider_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_status'))
        batch_op.drop_column('sent_at')
        batch_op.drop_column('provider_id')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.alter_column('status', existing_type=sa.String(length=200), type_=sa.String(length=20))
