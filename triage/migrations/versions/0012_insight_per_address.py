"""Ward insight resists bulk submission: whether each plan is counted, and a keyed code of its address and day

Revision ID: 9b4d6f8a0c22
Revises: 0c5e7a9b1d33
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b4d6f8a0c22'
down_revision = '0c5e7a9b1d33'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.add_column(sa.Column('in_insight', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('address_day', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_assessment_address_day'), ['address_day'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_address_day'))
        batch_op.drop_column('address_day')
        batch_op.drop_column('in_insight')
