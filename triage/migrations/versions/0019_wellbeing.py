"""The optional ONS personal well-being answers on session logs (help_session) and follow-ups (follow_up)

Revision ID: c8e1a3f5d7b9
Revises: b5d7f9a1c3e6
Create Date: 2027-01-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e1a3f5d7b9'
down_revision = 'b5d7f9a1c3e6'
branch_labels = None
depends_on = None

TABLES = ('help_session', 'follow_up')
COLUMNS = ('wellbeing_life', 'wellbeing_worthwhile', 'wellbeing_happy', 'wellbeing_anxious')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in COLUMNS:
                batch_op.add_column(sa.Column(column, sa.SmallInteger(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(COLUMNS):
                batch_op.drop_column(column)
