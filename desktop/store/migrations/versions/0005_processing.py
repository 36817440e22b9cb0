"""Processing: supplement rounds, result documents, apologies (Mẫu 04), result hand-back,
and an index of each officer's assigned dossiers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        # "Việc của tôi" reads an officer's assigned dossiers by status and due date.
        batch_op.create_index("ix_dossiers_assignee_status_due",
                              ["assignee_id", "status", "due_at"], unique=False)
    op.create_table(
        "supplement_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_by_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("previous_due_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("received_by_name", sa.String(length=255), nullable=False),
        sa.Column("new_due_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.CheckConstraint("state IN ('open', 'received', 'closed')",
                           name=op.f("ck_supplement_rounds_state_known")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_supplement_rounds_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by"], ["officers.id"],
                                name=op.f("fk_supplement_rounds_requested_by_officers")),
        sa.ForeignKeyConstraint(["received_by"], ["officers.id"],
                                name=op.f("fk_supplement_rounds_received_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplement_rounds")),
        sa.UniqueConstraint("uid", name=op.f("uq_supplement_rounds_uid")),
    )
    with op.batch_alter_table("supplement_rounds", schema=None) as batch_op:
        batch_op.create_index("ix_supplement_rounds_dossier", ["dossier_id", "requested_at"],
                              unique=False)
        batch_op.create_index("ix_supplement_rounds_requested_by_state",
                              ["requested_by", "state"], unique=False)

    op.create_table(
        "dossier_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_dossier_results_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_results")),
    )
    with op.batch_alter_table("dossier_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_results_dossier_id"), ["dossier_id"],
                              unique=False)

    op.create_table(
        "apologies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("original_due_at", sa.DateTime(), nullable=True),
        sa.Column("new_due_at", sa.DateTime(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.CheckConstraint("state IN ('pending', 'approved', 'rejected')",
                           name=op.f("ck_apologies_state_known")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_apologies_dossier_id_dossiers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["proposed_by"], ["officers.id"],
                                name=op.f("fk_apologies_proposed_by_officers")),
        sa.ForeignKeyConstraint(["approved_by"], ["officers.id"],
                                name=op.f("fk_apologies_approved_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apologies")),
    )
    with op.batch_alter_table("apologies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apologies_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index("ix_apologies_state", ["state"], unique=False)

    op.create_table(
        "result_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=False),
        sa.Column("returned_by", sa.Integer(), nullable=True),
        sa.Column("receiver_name", sa.String(length=255), nullable=False),
        sa.Column("receiver_id_number", sa.String(length=20), nullable=False),
        sa.Column("receiver_is_applicant", sa.Boolean(), nullable=False),
        sa.Column("by_post", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name=op.f("fk_result_returns_dossier_id_dossiers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["returned_by"], ["officers.id"],
                                name=op.f("fk_result_returns_returned_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_returns")),
        sa.UniqueConstraint("dossier_id", name=op.f("uq_result_returns_dossier_id")),
    )


def downgrade() -> None:
    op.drop_table("result_returns")
    with op.batch_alter_table("apologies", schema=None) as batch_op:
        batch_op.drop_index("ix_apologies_state")
        batch_op.drop_index(batch_op.f("ix_apologies_dossier_id"))
    op.drop_table("apologies")
    with op.batch_alter_table("dossier_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_results_dossier_id"))
    op.drop_table("dossier_results")
    with op.batch_alter_table("supplement_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_supplement_rounds_requested_by_state")
        batch_op.drop_index("ix_supplement_rounds_dossier")
    op.drop_table("supplement_rounds")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_assignee_status_due")
