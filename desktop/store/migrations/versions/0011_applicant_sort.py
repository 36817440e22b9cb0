"""The applicant's name as a sort key (tone marks and đ ignored), indexed for the list.

Code-point order put "Đặng…", "Ánh…" after "Zô…". The key is domain.text.sort_key
(= fold); the models set it on every save, this fills it for existing dossiers
(about 10 s for a million).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from desktop.store.search_index import register_fold

    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_sort", sa.String(length=255), nullable=False,
                                      server_default=""))
    raw = op.get_bind().connection.driver_connection
    register_fold(raw)
    raw.execute("UPDATE dossiers SET applicant_sort = substr(motcua_fold(applicant_name), 1, 255)")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_applicant_sort", ["applicant_sort"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_applicant_sort")
        batch_op.drop_column("applicant_sort")
