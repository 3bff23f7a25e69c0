"""Booking reminders: each reminder queued, when a booking got its time, and why staff cancelled one

Revision ID: f6b8d0a2c4e7
Revises: a7c9e1b3d5f8
Create Date: 2026-12-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6b8d0a2c4e7'
down_revision = 'a7c9e1b3d5f8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('booking') as batch:
        batch.add_column(sa.Column('placed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('cancelled_because', sa.String(length=200), nullable=False, server_default=''))
    op.create_index('ix_booking_status_starts', 'booking', ['status', 'starts_at'])
    op.create_table(
        'booking_reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('hours_before', sa.SmallInteger(), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('uq_booking_reminder', 'booking_reminder', ['booking_id', 'starts_at', 'hours_before'], unique=True)


def downgrade():
    op.drop_index('uq_booking_reminder', table_name='booking_reminder')
    op.drop_table('booking_reminder')
    op.drop_index('ix_booking_status_starts', table_name='booking')
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('cancelled_because')
        batch.drop_column('placed_at')
