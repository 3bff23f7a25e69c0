"""The optional ONS personal well-being answers on session logs (help_session) and follow-ups (follow_up)

Revision ID: c8e1a3f5d7b9
Revises: f1b3d5e7a9c2
Create Date: 2027-01-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e1a3f5d7b9'
down_revision = 'f1b3d5e7a9c2'
branch_labels = None
depends_on = None

TABLES = ('help_session', 'follow_up')
COLUMNS = ('wellbeing_life', 'wellbeing_worthwhile', 'wellbeing_happy', 'wellbeing_anxious')
ANSWERED = " OR ".join(f"{column} IS NOT NULL" for column in COLUMNS)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in COLUMNS:
                batch_op.add_column(sa.Column(column, sa.SmallInteger(), nullable=True))
    op.create_index(
        'ix_help_session_wellbeing', 'help_session', ['session_date'], unique=False,
        sqlite_where=sa.text(ANSWERED), postgresql_where=sa.text(ANSWERED),
    )


def downgrade():
    op.drop_index('ix_help_session_wellbeing', table_name='help_session')
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(COLUMNS):
                batch_op.drop_column(column)
