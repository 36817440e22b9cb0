"""A quick look at an office's database with the standard library only.

Used at start-up to show the login window before SQLAlchemy is even imported.
It never decides that a file is bad: anything unexpected sends start-up down
the ordinary path (open_store), which gives the proper message.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.store.revisions import HEAD

_HEADER = b"SQLite format 3\x00"
_APPLICATION_ID = 0x4D435541


@dataclass(frozen=True)
class Probe:
    revision: str | None
    office_name: str | None

    @property
    def ready(self) -> bool:
        """Current schema and an office set up: the login window can come first."""
        return self.revision == HEAD and bool(self.office_name)


def probe_database(db: Path) -> Probe | None:
    try:
        with db.open("rb") as fh:
            if fh.read(16) != _HEADER:
                return None
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != _APPLICATION_ID:
                return None
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            office = conn.execute("SELECT name FROM office WHERE id = 1").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return None
    return Probe(revision[0] if revision else None, office[0] if office else None)
