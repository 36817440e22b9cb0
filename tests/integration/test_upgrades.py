"""A database made by every released schema opens in this build, with nothing lost.

tests/fixtures/schemas/schema-<rev>.db were made by the code of the commit whose
newest migration <rev> was (tests/fixtures/schemas/make.sh): a demo office with
300 dossiers, or for 0001 (before `motcua demo` existed) an office set up with
`motcua init`. Revisions 0003 and 0006 were never the newest schema of a build.
Each is copied, opened with `open_store` (backup, then every later migration),
and checked: integrity, schema, audit chain, files; row counts kept; the
officers can still log in; the list, its search and the detail still work.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.services import auth
from desktop.services import dossier_query as dq
from desktop.services.maintenance import run_check
from desktop.store import migrate
from desktop.store.database import open_store
from desktop.store.revisions import HEAD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
SCHEMAS = sorted(p.stem.removeprefix("schema-") for p in FIXTURES.glob("schema-*.db"))
KEPT = ("dossiers", "progress_rows", "dossier_components", "officers", "procedures",
        "audit_events", "outbox_items", "calendar_overrides")


def test_there_is_a_fixture_for_this_builds_schema() -> None:
    assert HEAD in SCHEMAS, "make one with tests/fixtures/schemas/make.sh HEAD " + HEAD
    assert SCHEMAS[0] == "0001"


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in KEPT}


@pytest.mark.parametrize("rev", SCHEMAS)
def test_an_old_database_opens_migrated_with_nothing_lost(rev: str, tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIXTURES / f"schema-{rev}.db", paths.database)
    before = _counts(paths.database)
    store = open_store(paths)
    try:
        assert migrate.current_revision(store.engine) == HEAD
        if rev != HEAD:
            assert any(paths.backups.glob("*before-migration*")), "no backup before migrating"
        report = run_check(store, full=True)
        assert report.problems == [], report.problems
        after = _counts(paths.database)
        for table in KEPT:
            if table == "audit_events":
                assert after[table] >= before[table]
            else:
                assert after[table] == before[table], table
        user, password = ("quantri", "mat-khau-123") if rev == "0001" else ("admin", "motcua-demo")
        officer = auth.authenticate(store, user, password)
        assert officer.username == user
        with store.reading() as s:
            rows = dq.page(s, dq.DossierFilter(), dq.SortKey(), datetime.now(), limit=50)
            assert len(rows) == min(50, before["dossiers"])
            if rows:
                name = rows[0].applicant_name.split()[-1]
                found = dq.page(s, dq.DossierFilter(text=name), dq.SortKey(), datetime.now())
                assert rows[0].id in {r.id for r in found}
                detail = dq.detail(s, rows[0].id)
                assert detail.code == rows[0].code
    finally:
        store.close()
