"""Alembic environment. The app passes its engine in ``config.attributes['engine']``;
the ``alembic`` command line may instead set ``sqlalchemy.url`` or
``PHARMACY_POS_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import BigInteger, DateTime, Engine, create_engine

from pharmacy_pos.db.models import Base
from pharmacy_pos.db.types import ScaledDecimal, UTCDateTime

target_metadata = Base.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our TypeDecorators as their storage types, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def compare_type(context_, inspected_column, metadata_column, inspected_type, metadata_type):
    """Compare our TypeDecorators by what they store."""
    if isinstance(metadata_type, ScaledDecimal):
        return not isinstance(inspected_type, BigInteger)
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, DateTime)
    return None


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if engine is not None:
        return engine
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
        "PHARMACY_POS_DATABASE_URL"
    )
    if not url:
        raise SystemExit("set sqlalchemy.url or PHARMACY_POS_DATABASE_URL")
    return create_engine(url)


def run_migrations_online() -> None:
    """Run migrations on a live connection (SQLite in batch mode, for ALTERs)."""
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=compare_type,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
