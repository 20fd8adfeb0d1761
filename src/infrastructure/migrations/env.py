"""Alembic environment for the platform tables. `infrastructure.schema` runs it with a
connection already holding the schema lock (config.attributes["connection"]); there is no
offline mode and no alembic.ini."""

from __future__ import annotations

from alembic import context

from infrastructure.schema import platform_metadata

connection = context.config.attributes["connection"]
metadata = platform_metadata()


def _ours(name: str | None, type_: str, parent_names: object) -> bool:
    # Only the platform tables are Alembic's: the event store belongs to the eventsourcing
    # recorders and the read models to the projections (ADR 0013).
    return type_ != "table" or name in metadata.tables


context.configure(connection=connection, target_metadata=metadata, include_name=_ours)
with context.begin_transaction():
    context.run_migrations()
