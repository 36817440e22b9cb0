"""`motcua smoke`: the packaged build's self-test (build/build_linux.sh runs it).

Opens the data folder's database (backing it up and migrating it when it is
older), then the main window offscreen for its first administrator, shows each
area once, closes everything and returns 0. Anything that fails returns 1 with
its Vietnamese message: a missing module, font, translation, migration script
or Qt plugin in the frozen folder shows up here rather than on an office PC.
"""

from __future__ import annotations

import os
import sys

from desktop.paths import DataPaths


def run(paths: DataPaths) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sqlalchemy import select

    from desktop.services.actor import Actor
    from desktop.services.office import get_office
    from desktop.store.database import open_store
    from desktop.store.migrate import current_revision
    from desktop.store.models import Officer, OfficerRole, Role
    from desktop.store.revisions import HEAD
    from desktop.ui.app import make_application
    from desktop.ui.context import UiContext
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    app = make_application([])
    store = open_store(paths)
    runner = TaskRunner()
    try:
        revision = current_revision(store.engine)
        if revision != HEAD:
            print(f"smoke: schema {revision}, expected {HEAD}", file=sys.stderr)
            return 1
        with store.reading() as session:
            admin = session.execute(
                select(Officer).join(OfficerRole, OfficerRole.officer_id == Officer.id)
                .where(OfficerRole.role == Role.ADMIN).order_by(Officer.id).limit(1)
            ).scalar_one()
            office = get_office(session)
            ctx = UiContext(store, runner, Actor.of(admin), office.name, office.agency_code,
                            office.desk_number)
        window = MainWindow(ctx)
        window.show()
        for key in window.area_keys():
            window.go_to(key)
            app.processEvents()
        print(f"smoke: schema {revision}; areas: {', '.join(window.area_labels())}")
        window.close()
        window.deleteLater()
        app.processEvents()
        return 0
    finally:
        runner.shutdown()
        store.close()
