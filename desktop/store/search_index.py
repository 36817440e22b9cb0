"""The FTS5 index of dossiers, at the storage level (used by migrations and bulk loads).

One row per dossier (rowid = dossier id) with two columns:
- `body`: a folded text of its code, names, ID numbers and phones (what the
  search box searches; queries are always limited to this column);
- `st`: its status as one token ("s4"), so a search combined with a narrow
  status filter is answered inside the index (services.dossier_query).
desktop.services.search keeps it current for single changes and queries it.
"""

from __future__ import annotations

from desktop.domain.text import fold

SEARCH_TABLE = "dossier_search"

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
    "body, st, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


def body_of(code: str | None, applicant_name: str, applicant_id: str, applicant_phone: str,
            submitter_name: str, submitter_id: str, submitter_phone: str) -> str:
    parts = (code or "", applicant_name, applicant_id, (applicant_phone or "").replace(" ", ""),
             submitter_name, submitter_id, (submitter_phone or "").replace(" ", ""))
    return fold(" ".join(p for p in parts if p))


def status_token(status: int) -> str:
    return f"s{int(status)}"


def register_fold(dbapi_connection) -> None:  # noqa: ANN001
    """Make fold() callable from SQL on this connection, for bulk (re)indexing."""
    dbapi_connection.create_function("motcua_fold", 1, lambda s: fold(s or ""), deterministic=True)


_BODY_SQL = """motcua_fold(
    coalesce(code, '') || ' ' || applicant_name || ' ' || applicant_id_number || ' '
    || replace(applicant_phone, ' ', '') || ' ' || submitter_name || ' '
    || submitter_id_number || ' ' || replace(submitter_phone, ' ', ''))"""


def _columns(dbapi_connection) -> list[str]:  # noqa: ANN001
    return [r[1] for r in dbapi_connection.execute(f"PRAGMA table_info({SEARCH_TABLE})")]


def rebuild(dbapi_connection, *, min_id: int | None = None) -> None:  # noqa: ANN001
    """Index every dossier (or those with id >= min_id) on a raw DB-API connection.

    Works on the table as each schema revision made it (migration 0002 made it
    without `st`; 0007 added it).
    """
    register_fold(dbapi_connection)
    if "st" in _columns(dbapi_connection):
        insert = (f"INSERT INTO {SEARCH_TABLE} (rowid, body, st) "
                  f"SELECT id, {_BODY_SQL}, 's' || status FROM dossiers")
    else:
        insert = f"INSERT INTO {SEARCH_TABLE} (rowid, body) SELECT id, {_BODY_SQL} FROM dossiers"
    if min_id is None:
        dbapi_connection.execute(f"DELETE FROM {SEARCH_TABLE}")
        dbapi_connection.execute(insert)
    else:
        dbapi_connection.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid >= ?", (min_id,))
        dbapi_connection.execute(insert + " WHERE id >= ?", (min_id,))
