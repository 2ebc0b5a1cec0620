"""Alembic environment: runs on the connection the Store hands in (no alembic.ini needed)."""

from alembic import context

import db.models_all  # noqa: F401  (registers every model on Base.metadata)
from db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
