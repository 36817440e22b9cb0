"""Sync: what the province acknowledged of each dossier, the conflicts shown to officers,
and the files the province has complete (sync/engine.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_dossiers",
        sa.Column("dossier_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("server_status", sa.Integer(), nullable=False),
        sa.Column("province_version", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_sync_dossiers_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_sync_dossiers")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("dossier_uid", sa.String(length=64), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.Column("outbox_uid", sa.String(length=36), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("server_data", sa.Text(), nullable=True),
        sa.Column("local_data", sa.Text(), nullable=True),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_sync_conflicts_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"],
                                name=op.f("fk_sync_conflicts_officer_id_officers")),
        sa.ForeignKeyConstraint(["resolved_by"], ["officers.id"],
                                name=op.f("fk_sync_conflicts_resolved_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflicts_open", ["resolved_at", "created_at"],
                              unique=False)
        batch_op.create_index("ix_sync_conflicts_dossier", ["dossier_id", "resolved_at"],
                              unique=False)
    op.create_table(
        "sync_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_files")),
    )


def downgrade() -> None:
    op.drop_table("sync_files")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflicts_dossier")
        batch_op.drop_index("ix_sync_conflicts_open")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_dossiers")
