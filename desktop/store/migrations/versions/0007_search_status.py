"""Search index: the dossier's status as a second FTS5 column; (status, received_at) index.

A search combined with a narrow status filter ("đang giải quyết" + "nguyen")
is then answered inside the index instead of matching ~40 % of a million
dossiers and testing each one's status (services.dossier_query).
The table is made anew and filled from the dossiers (seconds for a commune's
office; about 15 s for a million dossiers).

The index (status, received_at) lets the list merge one stream per status in
reception order: "in progress, oldest first" walked the reception index from
the oldest (mostly returned) dossiers and took ~110 ms on a million.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from desktop.store.search_index import CREATE_SQL, rebuild

    op.execute("DROP TABLE IF EXISTS dossier_search")
    op.execute(CREATE_SQL)
    rebuild(op.get_bind().connection.driver_connection)
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_status_received", ["status", "received_at"],
                              unique=False)


def downgrade() -> None:
    from desktop.store.search_index import rebuild

    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_status_received")
    op.execute("DROP TABLE IF EXISTS dossier_search")
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    rebuild(op.get_bind().connection.driver_connection)
