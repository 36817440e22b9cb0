"""The dossiers behind a figure, as list rows (for the drill-down dialogs of the reports UI).

The drill-down functions (`engine.cell_dossiers`, `indicators.drill_down`,
`indicators.list_page`) give dossier ids; `dossier_rows` reads those dossiers'
lines (code, applicant, procedure, status, due date) in the order given, with
the same row type as the dossier list (`dossier_query.DossierRow`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from desktop.services import dossier_query as dq


def dossier_rows(session: Session, ids: Sequence[int]) -> list[dq.DossierRow]:
    """The list rows of ``ids``, in the order of ``ids`` (ids that do not exist are left out)."""
    return dq.rows_by_ids(session, ids)
