"""Booking help: availability (weekly rules and dated sessions), closures, and bookings with no double booking

Revision ID: d4f6b8a0c2e5
Revises: c8e1a3f5d7b9
Create Date: 2026-12-21 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f6b8a0c2e5'
down_revision = 'c8e1a3f5d7b9'
branch_labels = None
depends_on = None

HOLDS_A_PLACE = sa.text("status != 'cancelled'")


def upgrade():
    op.create_table(
        'availability',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('mode', sa.String(length=12), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('weekday', sa.SmallInteger(), nullable=True),
        sa.Column('on_date', sa.Date(), nullable=True),
        sa.Column('starts', sa.Time(), nullable=False),
        sa.Column('ends', sa.Time(), nullable=False),
        sa.Column('minutes', sa.SmallInteger(), nullable=False),
        sa.Column('places', sa.SmallInteger(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_availability_resource_id', 'availability', ['resource_id'])
    op.create_table(
        'closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_closure_resource_id', 'closure', ['resource_id'])
    op.create_table(
        'booking',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=14), nullable=False),
        sa.Column('availability_id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seat', sa.SmallInteger(), nullable=False),
        sa.Column('mode', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('access_needs', sa.String(length=300), nullable=False),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('assessment_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['availability_id'], ['availability.id']),
        sa.ForeignKeyConstraint(['made_by_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('reference'),
    )
    op.create_index('ix_booking_resource_id', 'booking', ['resource_id'])
    op.create_index('ix_booking_availability_starts', 'booking', ['availability_id', 'starts_at'])
    op.create_index(
        'uq_booking_seat',
        'booking',
        ['availability_id', 'starts_at', 'seat'],
        unique=True,
        sqlite_where=HOLDS_A_PLACE,
        postgresql_where=HOLDS_A_PLACE,
    )


def downgrade():
    op.drop_index('uq_booking_seat', table_name='booking')
    op.drop_index('ix_booking_availability_starts', table_name='booking')
    op.drop_index('ix_booking_resource_id', table_name='booking')
    op.drop_table('booking')
    op.drop_index('ix_closure_resource_id', table_name='closure')
    op.drop_table('closure')
    op.drop_index('ix_availability_resource_id', table_name='availability')
    op.drop_table('availability')
