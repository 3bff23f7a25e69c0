"""Each message records its template, the language it was written in and its named fields, for GOV.UK Notify

Revision ID: 4d8f2b6a0e17
Revises: 2e7a9c1b3d55
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d8f2b6a0e17'
down_revision = '2e7a9c1b3d55'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('fields')
        batch_op.drop_column('language')
        batch_op.drop_column('template')
