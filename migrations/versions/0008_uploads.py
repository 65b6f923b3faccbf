"""uploads to the insurer: queue, append-only log, lease; sales.mdtrt_id; corrections

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 10:20:00.000000

``upload_queue`` is the uploader's working state per record of an outbox message;
``upload_log`` keeps every try (request, answer, outcome) and is append-only;
``upload_leases`` says which terminal of a store uploads. ``sales.mdtrt_id`` keeps the
insurer's visit id that 2103 needs, and ``outbox_messages.corrects_id`` links a correction
(3507 delete and resend) to the message it corrects. Plain column additions, no table
rebuild, so live foreign keys are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("upload_log",)
BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.add_column('sales', sa.Column('mdtrt_id', sa.String(length=40), nullable=True))
    op.add_column('outbox_messages', sa.Column('corrects_id', sa.BigInteger(), nullable=True))
    op.create_table('upload_queue',
    sa.Column('id', BigId, nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', BigId, nullable=False),
    sa.Column('record_no', sa.Integer(), nullable=False),
    sa.Column('infno', sa.String(length=10), nullable=False),
    sa.Column('doc_no', sa.String(length=40), nullable=False),
    sa.Column('fixmedins_bchno', sa.String(length=40), nullable=False),
    sa.Column('inv_data_type', sa.String(length=2), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox_messages.id'], name=op.f('fk_upload_queue_outbox_id_outbox_messages')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_upload_queue_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_queue')),
    sa.UniqueConstraint('outbox_id', 'record_no', name=op.f('uq_upload_queue_outbox_id_record_no'))
    )
    op.create_index('ix_upload_queue_state', 'upload_queue', ['store_id', 'state', 'id'])
    op.create_index('ix_upload_queue_bchno', 'upload_queue', ['fixmedins_bchno', 'inv_data_type'])
    op.create_table('upload_log',
    sa.Column('id', BigId, nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('queue_id', BigId, nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('infno', sa.String(length=10), nullable=False),
    sa.Column('msgid', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('infcode', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['queue_id'], ['upload_queue.id'], name=op.f('fk_upload_log_queue_id_upload_queue')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_upload_log_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_log'))
    )
    op.create_index('ix_upload_log_item', 'upload_log', ['queue_id', 'id'])
    op.create_index('ix_upload_log_store', 'upload_log', ['store_id', 'id'])
    op.create_table('upload_leases',
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=40), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_through', sa.BigInteger(), nullable=False, server_default='0'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_upload_leases_store_id_stores')),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_upload_leases'))
    )
    _create_append_only_guards()


def _create_append_only_guards() -> None:
    bind = op.get_bind()
    for table in APPEND_ONLY_TABLES:
        if bind.dialect.name == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only (SEC-4)'); END"
                )
        elif bind.dialect.name == "postgresql":
            # pos_refuse_record_change() was created by 0003.
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION pos_refuse_record_change()"
            )


def downgrade() -> None:
    bind = op.get_bind()
    for table in APPEND_ONLY_TABLES:
        if bind.dialect.name == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        elif bind.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    op.drop_table('upload_leases')
    op.drop_index('ix_upload_log_store', table_name='upload_log')
    op.drop_index('ix_upload_log_item', table_name='upload_log')
    op.drop_table('upload_log')
    op.drop_index('ix_upload_queue_bchno', table_name='upload_queue')
    op.drop_index('ix_upload_queue_state', table_name='upload_queue')
    op.drop_table('upload_queue')
    op.drop_column('outbox_messages', 'corrects_id')
    op.drop_column('sales', 'mdtrt_id')
