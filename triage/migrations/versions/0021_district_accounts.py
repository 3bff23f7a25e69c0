"""Staff accounts may be limited to one district of a council over several (staff_user.district_code)

Revision ID: a7c9e1b3d5f8
Revises: d4f6b8a0c2e5
Create Date: 2027-01-20 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c9e1b3d5f8'
down_revision = 'd4f6b8a0c2e5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.add_column(sa.Column('district_code', sa.String(length=9), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.drop_column('district_code')
