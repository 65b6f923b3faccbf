"""month balances: each batch's closing units at a month's end (月结, REP-1)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 08:30:00.000000

``month_balances`` holds, per store and month (``YYYY-MM``), the closing units of every
batch whose closing was not zero, written once when the monthly stock report of a month
that is over was built and checked. The next month's report opens from it instead of
summing each batch's whole ledger. Append-only, guarded like 0005's tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("month_balances",)


def upgrade() -> None:
    op.create_table('month_balances',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('units', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_month_balances_batch_id_batches')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_month_balances_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_balances')),
    sa.UniqueConstraint('store_id', 'month', 'batch_id', name=op.f('uq_month_balances_store_id_month_batch_id'))
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


def _drop_append_only_guards() -> None:
    bind = op.get_bind()
    for table in APPEND_ONLY_TABLES:
        if bind.dialect.name == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        elif bind.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


def downgrade() -> None:
    _drop_append_only_guards()
    op.drop_table('month_balances')
