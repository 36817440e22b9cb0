"""Search queue: dossier search entries are written just after the save, not within it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("dossier_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_search_queue")),
    )


def downgrade() -> None:
    op.drop_table("search_queue")
