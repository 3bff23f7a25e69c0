"""Referrals record how the person wants to hear what happens and in which language, and when the help was
reminded; each message records the referral it is about

Revision ID: 9e2c4a6b8d31
Revises: 7c3e5a1f9b42
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e2c4a6b8d31'
down_revision = '7c3e5a1f9b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral') as batch_op:
        batch_op.add_column(sa.Column('updates_by', sa.String(length=5), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('referral_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_message_referral_id', ['referral_id'])
        batch_op.create_foreign_key(
            'fk_outbox_message_referral_id_referral', 'referral', ['referral_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_constraint('fk_outbox_message_referral_id_referral', type_='foreignkey')
        batch_op.drop_index('ix_outbox_message_referral_id')
        batch_op.drop_column('referral_id')
    with op.batch_alter_table('referral') as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('language')
        batch_op.drop_column('updates_by')
