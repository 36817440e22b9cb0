"""Full-text search over dossiers: code, applicant and submitter names, ID numbers, phones.

An FTS5 table `dossier_search` (rowid = dossier id) holds one folded text per
dossier: lower case, without tone marks, đ → d (domain.text.fold), so
"nguyen van duc" finds "Nguyễn Văn Đức".

Keeping it current: `dossiers.create/transition` put the dossier in
`search_queue` in the save's own transaction; `drain` writes the search
entries in a transaction of its own (the GUI runs it every second or two on
the writer thread). On a million-dossier office an FTS5 merge sometimes takes
half a second at commit; this way it never lands on the officer's save.
Searches also look through the queue, so a dossier is findable at once.
`store.search_index.rebuild` fills the table in bulk (migrations, the demo).
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.domain.text import fold
from desktop.store.models import Dossier, SearchQueue
from desktop.store.search_index import SEARCH_TABLE, body_of, status_token

_TOKEN = re.compile(r"[0-9a-z]+")


def dossier_body(d: Dossier) -> str:
    return body_of(d.code, d.applicant_name, d.applicant_id_number, d.applicant_phone,
                   d.submitter_name, d.submitter_id_number, d.submitter_phone)


def index_dossier(session: Session, dossier: Dossier) -> None:
    session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = :id"), {"id": dossier.id})
    session.execute(
        text(f"INSERT INTO {SEARCH_TABLE} (rowid, body, st) VALUES (:id, :body, :st)"),
        {"id": dossier.id, "body": dossier_body(dossier), "st": status_token(dossier.status)})


def enqueue(session: Session, dossier_id: int) -> None:
    """Mark a dossier for (re)indexing, in the caller's transaction."""
    session.execute(sqlite_insert(SearchQueue).values(dossier_id=dossier_id)
                    .on_conflict_do_nothing())


def pending_ids(session: Session, *, limit: int | None = None) -> list[int]:
    q = select(SearchQueue.dossier_id).order_by(SearchQueue.dossier_id)
    if limit is not None:
        q = q.limit(limit)
    return list(session.execute(q).scalars())


def drain(store, *, batch: int = 500) -> int:  # noqa: ANN001 - a Store
    """Write the search entries of queued dossiers; returns how many. Cheap when idle."""
    with store.reading() as session:
        if not pending_ids(session, limit=1):
            return 0
    done = 0
    while True:
        with store.transaction() as session:
            ids = pending_ids(session, limit=batch)
            for dossier in session.execute(select(Dossier).where(Dossier.id.in_(ids))).scalars():
                index_dossier(session, dossier)
            session.execute(delete(SearchQueue).where(SearchQueue.dossier_id.in_(ids)))
        done += len(ids)
        if len(ids) < batch:
            return done


def _pending_matches(session: Session, tokens: list[str]) -> list[int]:
    """Queued (not yet indexed) dossiers that match every token as a word prefix."""
    ids = pending_ids(session)
    if not ids:
        return []
    hits = []
    for d in session.execute(select(Dossier).where(Dossier.id.in_(ids))).scalars():
        words = _TOKEN.findall(dossier_body(d))
        if all(any(w.startswith(t) for w in words) for t in tokens):
            hits.append(d.id)
    return hits


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word of the query as a prefix, all required.

    Bare (no column filter): wrap it with `in_body` before matching.
    """
    tokens = _TOKEN.findall(fold(query))
    if not tokens:
        return None
    return " ".join(f'"{t}"*' for t in tokens)


_STATUS_LIKE = re.compile(r'"s\d*"')


def in_body(expr: str) -> str:
    """The expression limited to the searched text (never the status column).

    Only words that could be a prefix of a status token ("s", "s1") need the
    column filter, which costs FTS5 ~5–10 % (it must read the position lists).
    """
    return f"{{body}} : ({expr})" if _STATUS_LIKE.search(expr) else expr


def with_statuses(expr: str, statuses: list[int]) -> str:
    """The body expression, and the dossier's status one of `statuses` (index column st)."""
    return f"{in_body(expr)} AND {{st}} : ({' OR '.join(status_token(s) for s in statuses)})"


def search_ids(session: Session, query: str, *, limit: int = 200) -> list[int]:
    """Ids of matching dossiers, newest first."""
    expr = match_expression(query)
    if expr is None:
        return []
    rows = session.execute(
        text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q "
             "ORDER BY rowid DESC LIMIT :n"), {"q": in_body(expr), "n": limit})
    found = {r[0] for r in rows} | set(_pending_matches(session, _TOKEN.findall(fold(query))))
    return sorted(found, reverse=True)[:limit]
