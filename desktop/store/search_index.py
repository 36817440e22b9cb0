"""The FTS5 index of dossiers, at the storage level (used by migrations and bulk loads).

One row per dossier (rowid = dossier id) with a folded text of its code,
names, ID numbers and phones. desktop.services.search keeps it current for
single changes and queries it.
"""

from __future__ import annotations

from desktop.domain.text import fold

SEARCH_TABLE = "dossier_search"


def body_of(code: str | None, applicant_name: str, applicant_id: str, applicant_phone: str,
            submitter_name: str, submitter_id: str, submitter_phone: str) -> str:
    parts = (code or "", applicant_name, applicant_id, (applicant_phone or "").replace(" ", ""),
             submitter_name, submitter_id, (submitter_phone or "").replace(" ", ""))
    return fold(" ".join(p for p in parts if p))


def register_fold(dbapi_connection) -> None:  # noqa: ANN001
    """Make fold() callable from SQL on this connection, for bulk (re)indexing."""
    dbapi_connection.create_function("motcua_fold", 1, lambda s: fold(s or ""), deterministic=True)


REBUILD_SQL = f"""
INSERT INTO {SEARCH_TABLE} (rowid, body)
SELECT id, motcua_fold(
    coalesce(code, '') || ' ' || applicant_name || ' ' || applicant_id_number || ' '
    || replace(applicant_phone, ' ', '') || ' ' || submitter_name || ' '
    || submitter_id_number || ' ' || replace(submitter_phone, ' ', ''))
FROM dossiers {{where}}
"""


def rebuild(dbapi_connection, *, min_id: int | None = None) -> None:
    """Index every dossier (or those with id >= min_id) on a raw DB-API connection."""
    register_fold(dbapi_connection)
    if min_id is None:
        dbapi_connection.execute(f"DELETE FROM {SEARCH_TABLE}")
        dbapi_connection.execute(REBUILD_SQL.format(where=""))
    else:
        dbapi_connection.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid >= ?", (min_id,))
        dbapi_connection.execute(REBUILD_SQL.format(where="WHERE id >= ?"), (min_id,))
