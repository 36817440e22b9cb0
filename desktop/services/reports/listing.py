"""The dossiers behind a figure, as list rows (for the drill-down dialogs of the reports UI).

The drill-down functions (`engine.cell_dossiers`, `indicators.drill_down`,
`indicators.list_page`) give dossier ids; `dossier_rows` reads those dossiers'
lines (code, applicant, procedure, status, due date) in the order given, with
the same row type as the dossier list (`dossier_query.DossierRow`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.services import dossier_query as dq

#: At most this many ids in one statement (SQLite's bound-parameter limit is far higher).
_CHUNK = 500


def dossier_rows(session: Session, ids: Sequence[int]) -> list[dq.DossierRow]:
    """The list rows of ``ids``, in the order of ``ids`` (ids that do not exist are left out)."""
    if not ids:
        return []
    catalogue = dq._Catalogue.load(session)  # noqa: SLF001 - the list's own row reader
    found: dict[int, dq.DossierRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = [int(i) for i in ids[start:start + _CHUNK]]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        rows = session.execute(
            text(f"SELECT {dq._ROW_COLUMNS} FROM dossiers AS d WHERE d.id IN ({marks})"),  # noqa: SLF001
            {f"i{n}": v for n, v in enumerate(chunk)}).all()
        for r in rows:
            row = catalogue.row(r)
            found[row.id] = row
    return [found[i] for i in ids if i in found]
