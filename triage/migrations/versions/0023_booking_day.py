"""The champion's day: when a booking was marked attended or did not come, and the session logged from it

Revision ID: b2d4f6a8c0e1
Revises: f6b8d0a2c4e7
Create Date: 2026-12-08 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e1'
down_revision = 'f6b8d0a2c4e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('booking') as batch:
        batch.add_column(sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('help_session_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            'fk_booking_help_session_id_help_session', 'help_session', ['help_session_id'], ['id'], ondelete='SET NULL'
        )
        batch.create_index('ix_booking_help_session_id', ['help_session_id'])


def downgrade():
    with op.batch_alter_table('booking') as batch:
        batch.drop_index('ix_booking_help_session_id')
        batch.drop_constraint('fk_booking_help_session_id_help_session', type_='foreignkey')
        batch.drop_column('help_session_id')
        batch.drop_column('marked_at')
