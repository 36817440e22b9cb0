"""Audit inspection: indexes that order each filter's events by time.

The inspection screen (services.inspection) pages through the audit trail
newest first with keysets on (at, id), filtered by officer, action or the
dossier an event concerns. A single-column SQLite index is (column, rowid),
so (actor_id, at) is (actor_id, at, id): exactly the keyset order within one
officer; the same for one action and for one entity. Without them, filtering
several million events by officer or action reads the whole table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_audit_events_actor_at", ["actor_id", "at"]),
    ("ix_audit_events_action_at", ["action", "at"]),
    ("ix_audit_events_entity", ["entity", "entity_id", "at"]),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        for name, _ in reversed(INDEXES):
            batch_op.drop_index(name)
