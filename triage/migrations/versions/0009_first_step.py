"""Plans open with one first step: the route to start with

Revision ID: 3c1f0e9a7b21
Revises: 8116de2b236d
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1f0e9a7b21'
down_revision = '8116de2b236d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.add_column(sa.Column('first_step', sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.drop_column('first_step')
