"""Sign-in paused per email and network address, not per account; one-time password reset links

Revision ID: 0c5e7a9b1d33
Revises: 5b7d2e8c4f10
Create Date: 2026-12-03 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c5e7a9b1d33'
down_revision = '5b7d2e8c4f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_key', sa.String(length=64), nullable=False),
    sa.Column('address_key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paused_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email_key', 'address_key', name='uq_sign_in_failure_pair')
    )
    with op.batch_alter_table('sign_in_failure') as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_last_failed_at'), ['last_failed_at'], unique=False)
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('password_reset') as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_user_id'), ['user_id'], unique=False)
    # The account-wide lock-out is replaced by the pauses above.
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')


def downgrade():
    with op.batch_alter_table('staff_user') as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.SmallInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('password_reset') as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_user_id'))
    op.drop_table('password_reset')
    with op.batch_alter_table('sign_in_failure') as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_last_failed_at'))
    op.drop_table('sign_in_failure')
