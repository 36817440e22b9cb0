"""Helpers of the sync engine tests: a desk (real local store) paired with an office on the
real reference server, dossiers made by the desk's own services, and both sides' state read
back for comparison."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop.services import auth, digitisation, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.office import initialise_office
from desktop.store.database import Store
from desktop.store.models import (
    Attachment,
    Dossier,
    DossierComponent,
    Officer,
    OutboxItem,
    Procedure,
    ProgressRow,
    Role,
)
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.server import models as m
from sync.server.province import create_office, create_officer
from sync.server.store import ServerStore
from tests.conftest import admin_form, office_form
from tests.sync.support import PASSWORD, new_agency_code

LOCAL_PASSWORD = "mat-khau-456"
_people = itertools.count(1)


@dataclass
class Desk:
    store: Store
    agency: str
    base_url: str
    admin: Actor
    clerk: Actor
    specialist: Actor
    procedure_id: int

    def client(self, username: str = "tiepnhan1", base_url: str | None = None,
               **kwargs: Any) -> SyncClient:
        return SyncClient(base_url or self.base_url, self.agency, username, **kwargs)

    def engine(self, client: SyncClient | None = None, actor: Actor | None = None,
               **kwargs: Any) -> SyncEngine:
        kwargs.setdefault("backoff_base", 0.01)
        kwargs.setdefault("backoff_cap", 0.05)
        return SyncEngine(self.store, client or self.client(), actor or self.clerk, **kwargs)

    def receive(self, actor: Actor | None = None, *, now: datetime | None = None) -> int:
        n = next(_people)
        with self.store.reading() as s:
            lines = reception.components_for(s, self.procedure_id)
        for line in lines:
            line.state = reception.ComponentState.PRESENT
        form = reception.ReceptionForm(
            procedure_id=self.procedure_id, components=lines,
            applicant=reception.PersonForm(id_number=f"0010901{n % 100000:05d}",
                                           name="Nguyễn Văn Đức", sex="Nam",
                                           address="Thôn Phú Mỹ, xã Tân Phú"))
        return reception.receive(self.store, actor or self.clerk, form, now=now).dossier_id

    def hand_over(self, dossier_id: int, actor: Actor | None = None) -> None:
        processing.hand_over(self.store, actor or self.clerk, dossier_id,
                             self.specialist.officer_id)

    def digitise(self, dossier_id: int, data: bytes) -> str:
        with self.store.reading() as s:
            component_id = s.execute(select(DossierComponent.id).where(
                DossierComponent.dossier_id == dossier_id).order_by(DossierComponent.id)
            ).scalars().first()
        info = digitisation.attach_pdf(self.store, self.clerk, dossier_id, data=data,
                                       component_id=component_id, pages=1)
        return info.sha256


def make_desk(store: Store, province_store: ServerStore, base_url: str, *,
              agency: str | None = None) -> Desk:
    """A local office (admin, desk clerk "tiepnhan1", specialist "tuphap") and the same office
    on the server with the same user names (province password: support.PASSWORD)."""
    agency = agency or new_agency_code()
    admin_officer = initialise_office(store, office_form(agency_code=agency), admin_form())
    admin = Actor.of(admin_officer)
    with store.transaction() as s:
        confirm_missing_units(s, admin)
        clerk = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                    password=LOCAL_PASSWORD, roles=[Role.FRONT_DESK])
        spec = auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Ngọc Lan",
                                   password=LOCAL_PASSWORD, roles=[Role.SPECIALIST])
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        clerk_actor, spec_actor = Actor.of(clerk), Actor.of(spec)
    create_office(province_store, agency, "UBND xã Tân Phú")
    create_officer(province_store, agency, "tiepnhan1", PASSWORD, full_name="Trần Thị Thu Hà",
                   roles=("front_desk",))
    create_officer(province_store, agency, "tuphap", PASSWORD, full_name="Phạm Thị Ngọc Lan",
                   roles=("specialist",))
    return Desk(store, agency, base_url, admin, clerk_actor, spec_actor, pid)


# ------------------------------------------------------------------ both sides' state


@dataclass
class Side:
    dossiers: dict[str, tuple[int, int]]  # uid → (version, status)
    progress: Counter[str]  # progress row uid → how many times it is there
    files: set[str]


def server_side(province_store: ServerStore, agency: str) -> Side:
    with province_store.read() as s:
        office_id = s.execute(select(m.Office.id).where(m.Office.agency_code == agency)
                              ).scalar_one()
        rows = s.execute(select(m.Dossier.id, m.Dossier.uid, m.Dossier.version, m.Dossier.status)
                         .where(m.Dossier.office_id == office_id)).all()
        ids = [r.id for r in rows]
        progress = Counter(s.execute(select(m.ProgressRow.uid).where(
            m.ProgressRow.dossier_id.in_(ids))).scalars()) if ids else Counter()
        files = set(s.execute(select(m.StoredFile.sha256).where(
            m.StoredFile.office_id == office_id, m.StoredFile.complete.is_(True))).scalars())
    return Side({r.uid: (r.version, r.status) for r in rows}, progress, files)


def local_side(store: Store) -> Side:
    with store.reading() as s:
        rows = s.execute(select(Dossier.uid, Dossier.version, Dossier.status)).all()
        progress = Counter(s.execute(select(ProgressRow.uid)).scalars())
        files = set(s.execute(select(Attachment.sha256).where(Attachment.removed_at.is_(None))
                              ).scalars())
    return Side({r.uid: (r.version, r.status) for r in rows}, progress, files)


def desk_scans(store: Store) -> set[str]:
    """Files the desk digitised itself (not papers downloaded from online dossiers)."""
    from sync.engine import ONLINE_FILE_OWNER

    with store.reading() as s:
        return set(s.execute(select(Attachment.sha256).where(
            Attachment.removed_at.is_(None), Attachment.officer_name != ONLINE_FILE_OWNER)
        ).scalars())


def outbox_states(store: Store) -> Counter[str]:
    with store.reading() as s:
        return Counter(s.execute(select(OutboxItem.state)).scalars())


def officer_id(store: Store, username: str) -> int:
    with store.reading() as s:
        return s.execute(select(Officer.id).where(Officer.username == username)).scalar_one()


def assert_converged(store: Store, province_store: ServerStore, agency: str) -> Side:
    """Zero lost, zero duplicated: the same dossiers (uid, version, status), progress rows
    and files on both sides, each exactly once."""
    local, server = local_side(store), server_side(province_store, agency)
    assert local.dossiers == server.dossiers
    assert set(local.progress) == set(server.progress)
    assert max(local.progress.values(), default=1) == 1
    assert max(server.progress.values(), default=1) == 1
    assert local.files <= server.files
    states = outbox_states(store)
    assert set(states) <= {"sent"}, states
    return local
