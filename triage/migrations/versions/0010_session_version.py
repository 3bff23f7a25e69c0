"""Staff sessions that can be ended: each account's session version

Revision ID: 5b7d2e8c4f10
Revises: 3c1f0e9a7b21
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7d2e8c4f10'
down_revision = '3c1f0e9a7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.drop_column('session_version')
