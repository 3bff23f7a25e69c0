"""Waiting lists: someone waiting for a place in a full session, and a booking held for them until a time

Revision ID: c3e5a7b9d1f2
Revises: b2d4f6a8c0e1
Create Date: 2026-12-08 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e5a7b9d1f2'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('booking') as batch:
        batch.add_column(sa.Column('held_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'waiting_list_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=14), nullable=False),
        sa.Column('availability_id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('access_needs', sa.String(length=300), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=True),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['availability_id'], ['availability.id']),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['made_by_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['resource_id'], ['resource.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('reference'),
    )
    op.create_index('ix_waiting_list_entry_resource_id', 'waiting_list_entry', ['resource_id'])
    op.create_index('ix_waiting_list_session', 'waiting_list_entry', ['availability_id', 'starts_at', 'status'])


def downgrade():
    op.drop_index('ix_waiting_list_session', table_name='waiting_list_entry')
    op.drop_index('ix_waiting_list_entry_resource_id', table_name='waiting_list_entry')
    op.drop_table('waiting_list_entry')
    with op.batch_alter_table('booking') as batch:
        batch.drop_column('held_until')
