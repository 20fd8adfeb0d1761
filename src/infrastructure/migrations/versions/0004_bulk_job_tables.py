"""The tables of bulk jobs are named for what they hold: every kind of bulk job (imports, batch
selections, photo exports, certificate batches) and each item's result, not only imports.
Renamed in place, so jobs and their results are kept.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (old name, new name, indexed columns)
TABLES = [("import_jobs", "bulk_jobs", ("created_at", "status", "teaching_point_id")), ("import_rows", "bulk_job_items", ())]


def _rename(old: str, new: str, indexed: tuple[str, ...]) -> None:
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":  # SQLite names no primary-key index
        op.execute(f"ALTER INDEX {old}_pkey RENAME TO {new}_pkey")
    for column in indexed:  # SQLite cannot rename an index: made again under the table's name
        op.drop_index(f"ix_{old}_{column}", table_name=new)
        op.create_index(f"ix_{new}_{column}", new, [column], unique=False)


def upgrade() -> None:
    for old, new, indexed in TABLES:
        _rename(old, new, indexed)


def downgrade() -> None:
    for old, new, indexed in TABLES:
        _rename(new, old, indexed)
