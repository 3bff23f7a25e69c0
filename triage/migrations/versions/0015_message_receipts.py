"""Messages: when each one's status became final, and when the worker last asked Notify how it went

Revision ID: 7c3e5a1f9b42
Revises: 4d8f2b6a0e17
Create Date: 2026-12-12 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e5a1f9b42'
down_revision = '4d8f2b6a0e17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('final_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('status_checked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('status_checked_at')
        batch_op.drop_column('final_at')
