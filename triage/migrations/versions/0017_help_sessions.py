"""Digital Champions' session logs (help_session), and the venue of a champion's walk-in plan

Revision ID: b5d7f9a1c3e6
Revises: 9e2c4a6b8d31
Create Date: 2026-12-20 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5d7f9a1c3e6'
down_revision = '9e2c4a6b8d31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.add_column(sa.Column('venue_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_assessment_venue_id_resource', 'resource', ['venue_id'], ['id'], ondelete='SET NULL')
    op.create_table(
        'help_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('logged_by_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('assessment_id', sa.Integer(), nullable=True),
        sa.Column('referral_id', sa.Integer(), nullable=True),
        sa.Column('session_date', sa.Date(), nullable=False),
        sa.Column('minutes', sa.SmallInteger(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('headcount', sa.SmallInteger(), nullable=False),
        sa.Column('place', sa.String(length=10), nullable=False),
        sa.Column('venue_id', sa.Integer(), nullable=True),
        sa.Column('tasks', sa.JSON(), nullable=False),
        sa.Column('device', sa.String(length=10), nullable=False),
        sa.Column('independence', sa.String(length=10), nullable=False),
        sa.Column('given', sa.JSON(), nullable=False),
        sa.Column('onward_resource_id', sa.Integer(), nullable=True),
        sa.Column('first_visit', sa.Boolean(), nullable=False),
        sa.Column('ward_code', sa.String(length=9), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['logged_by_id'], ['staff_user.id']),
        sa.ForeignKeyConstraint(['onward_resource_id'], ['resource.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id']),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['venue_id'], ['resource.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['ward_code'], ['ward.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_help_session_logged_by_id', 'help_session', ['logged_by_id'])
    op.create_index('ix_help_session_organisation_id', 'help_session', ['organisation_id'])
    op.create_index('ix_help_session_session_date', 'help_session', ['session_date'])


def downgrade():
    op.drop_index('ix_help_session_session_date', table_name='help_session')
    op.drop_index('ix_help_session_organisation_id', table_name='help_session')
    op.drop_index('ix_help_session_logged_by_id', table_name='help_session')
    op.drop_table('help_session')
    with op.batch_alter_table('assessment') as batch_op:
        batch_op.drop_constraint('fk_assessment_venue_id_resource', type_='foreignkey')
        batch_op.drop_column('venue_id')
