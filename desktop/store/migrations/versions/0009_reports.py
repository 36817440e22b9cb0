"""Reports: frozen report snapshots, and covering indexes for the periodic reports and
the leaders' indicators (services.reports).

Biểu số 06 for a year counts every dossier received before the end of the period
that had not ended before its start; on a million dossiers, reading those rows
from the table took about 2 s (the table holds the applicants' text). The
covering index ``ix_dossiers_report`` (reception time first) holds every column the
report and the indicators read, so the table is never touched (≈ 0.6 s). The
indicators also count by finishing time (``ix_dossiers_finished``), the components
of the dossiers received in a period (``ix_dossier_components_digitisation``: the
component table carries the long published names) and the dossiers with a
digitised result (``ix_attachments_live_result``, partial).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DOSSIER_INDEXES = (
    ("ix_dossiers_report", ["received_at", "status", "channel", "procedure_id", "finished_at",
                            "due_at", "updated_at", "fee_total", "paid_online"]),
    ("ix_dossiers_finished", ["status", "finished_at", "due_at", "updated_at", "received_at"]),
)


def upgrade() -> None:
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("period_key", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("made_by_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["made_by"], ["officers.id"],
                                name=op.f("fk_report_snapshots_made_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
        sa.UniqueConstraint("uid", name=op.f("uq_report_snapshots_uid")),
    )
    op.create_index("ix_report_snapshots_report_period", "report_snapshots",
                    ["report", "period_start", "made_at"], unique=False)
    # Plain CREATE INDEX (no batch copy of the big tables).
    for name, columns in DOSSIER_INDEXES:
        op.create_index(name, "dossiers", columns, unique=False)
    op.create_index("ix_dossier_components_digitisation", "dossier_components",
                    ["dossier_id", "present", "digitisation_state"], unique=False)
    op.create_index("ix_attachments_live_result", "attachments", ["dossier_id"], unique=False,
                    sqlite_where=sa.text("kind = 'result' AND removed_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_attachments_live_result", table_name="attachments")
    op.drop_index("ix_dossier_components_digitisation", table_name="dossier_components")
    for name, _ in reversed(DOSSIER_INDEXES):
        op.drop_index(name, table_name="dossiers")
    op.drop_index("ix_report_snapshots_report_period", table_name="report_snapshots")
    op.drop_table("report_snapshots")
