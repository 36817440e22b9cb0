"""Full-text search over dossiers: code, applicant and submitter names, ID numbers, phones.

An FTS5 table `dossier_search` (rowid = dossier id) holds one folded text per
dossier: lower case, without tone marks, đ → d (domain.text.fold), so
"nguyen van duc" finds "Nguyễn Văn Đức". `dossiers.transition/create` keep it
current; `rebuild` fills it in bulk (migration 0002, the demo generator).
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.domain.text import fold
from desktop.store.models import Dossier
from desktop.store.search_index import SEARCH_TABLE, body_of

_TOKEN = re.compile(r"[0-9a-z]+")


def dossier_body(d: Dossier) -> str:
    return body_of(d.code, d.applicant_name, d.applicant_id_number, d.applicant_phone,
                   d.submitter_name, d.submitter_id_number, d.submitter_phone)


def index_dossier(session: Session, dossier: Dossier) -> None:
    session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = :id"), {"id": dossier.id})
    session.execute(text(f"INSERT INTO {SEARCH_TABLE} (rowid, body) VALUES (:id, :body)"),
                    {"id": dossier.id, "body": dossier_body(dossier)})


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word of the query as a prefix, all required."""
    tokens = _TOKEN.findall(fold(query))
    if not tokens:
        return None
    return " ".join(f'"{t}"*' for t in tokens)


def search_ids(session: Session, query: str, *, limit: int = 200) -> list[int]:
    """Ids of matching dossiers, newest first."""
    expr = match_expression(query)
    if expr is None:
        return []
    rows = session.execute(
        text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q "
             "ORDER BY rowid DESC LIMIT :n"), {"q": expr, "n": limit})
    return [r[0] for r in rows]
