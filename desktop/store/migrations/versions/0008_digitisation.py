"""Digitisation: the content-addressed file register, attachments of files to components
and results (the digitised document register, with reuse), and the FTS5 index of OCR text.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("ocr_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["officers.id"],
                                name=op.f("fk_stored_files_created_by_officers")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=True),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("digitised_at", sa.DateTime(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_name", sa.String(length=255), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reused_from", sa.Integer(), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('component', 'result')",
                           name=op.f("ck_attachments_kind_known")),
        sa.CheckConstraint("state IN (1, 2, 3)", name=op.f("ck_attachments_state_known")),
        sa.CheckConstraint(
            "(kind = 'component' AND component_id IS NOT NULL AND result_id IS NULL) OR "
            "(kind = 'result' AND result_id IS NOT NULL AND component_id IS NULL)",
            name=op.f("ck_attachments_target_matches_kind")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_attachments_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["component_id"], ["dossier_components.id"],
                                name=op.f("fk_attachments_component_id_dossier_components"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["result_id"], ["dossier_results.id"],
                                name=op.f("fk_attachments_result_id_dossier_results"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["stored_files.sha256"],
                                name=op.f("fk_attachments_sha256_stored_files")),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"],
                                name=op.f("fk_attachments_officer_id_officers")),
        sa.ForeignKeyConstraint(["reused_from"], ["attachments.id"],
                                name=op.f("fk_attachments_reused_from_attachments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("uid", name=op.f("uq_attachments_uid")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_dossier", ["dossier_id", "removed_at"],
                              unique=False)
        batch_op.create_index("ix_attachments_component", ["component_id"], unique=False)
        batch_op.create_index("ix_attachments_result", ["result_id"], unique=False)
        batch_op.create_index("ix_attachments_sha256", ["sha256"], unique=False)
    # Recognised text (OCR) of stored files, folded like the dossier index; literal SQL so the
    # migration stays as it was written (desktop.store.files.OCR_CREATE_SQL is the same).
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search_ocr USING fts5("
        "body, sha256 UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS dossier_search_ocr")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_sha256")
        batch_op.drop_index("ix_attachments_result")
        batch_op.drop_index("ix_attachments_component")
        batch_op.drop_index("ix_attachments_dossier")
    op.drop_table("attachments")
    op.drop_table("stored_files")
