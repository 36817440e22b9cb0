"""The desktop's real outbox items, made by its services on a real SQLite store, are
Changes the reference server accepts (and answers idempotently)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from desktop.services import auth, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import Dossier, OutboxItem, Procedure, Role
from sync.protocol import API_PREFIX, Change, ChangeAnswer, DossierRecord, integrity_checksum
from sync.server.province import ProvinceError, create_office, create_officer
from tests.sync.support import PASSWORD

NOW = datetime(2026, 11, 26, 9, 30)


def test_outbox_items_of_reception_and_hand_over_push_as_changes(province, office_store,
                                                                  admin) -> None:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        clerk = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                    password="mat-khau-456", roles=[Role.FRONT_DESK])
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    desk = Actor(clerk.id, clerk.full_name, "", "", frozenset({Role.FRONT_DESK}))
    for line in lines:
        line.state = reception.ComponentState.PRESENT
    form = reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(id_number="001090123456", name="Nguyễn Văn Đức",
                                       sex="Nam", address="Thôn Phú Mỹ, xã Tân Phú"))
    saved = reception.receive(office_store, desk, form, now=NOW)
    processing.hand_over(office_store, desk, saved.dossier_id, admin.officer_id, now=NOW)

    with office_store.reading() as s:
        d = s.get_one(Dossier, saved.dossier_id)
        items = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d.id)
                          .order_by(OutboxItem.id)).scalars().all()
        changes = [Change.from_outbox(uid=i.uid, kind=i.kind, dossier_uid=d.uid,
                                      payload=i.payload, created_at=i.created_at,
                                      procedure_code="1.004873") for i in items]
        local = (d.uid, d.version, d.status)
    assert [c.kind for c in changes] == ["dossier.received", "dossier.processing"]

    agency = "000.00.01.H56"
    try:
        create_office(province.store, agency, "UBND xã Tân Phú")
        create_officer(province.store, agency, "tiepnhan1", PASSWORD)
    except ProvinceError:
        pass
    with province.client() as c:
        token = c.post(f"{API_PREFIX}/auth/login", json={
            "agency_code": agency, "username": "tiepnhan1", "password": PASSWORD}).json()
        c.headers["Authorization"] = f"Bearer {token['access_token']}"
        answers = []
        for ch in changes:
            r = c.post(f"{API_PREFIX}/changes", content=ch.model_dump_json(),
                       headers={"Content-Type": "application/json"})
            assert r.status_code == 200, r.text
            answers.append(ChangeAnswer.model_validate_json(r.content))
            assert c.post(f"{API_PREFIX}/changes", content=ch.model_dump_json(),
                          headers={"Content-Type": "application/json"}).content == r.content
        assert [(a.outcome, a.version, a.status) for a in answers] == [
            ("applied", 1, 2), ("applied", 2, 4)]
        record = DossierRecord.model_validate_json(
            c.get(f"{API_PREFIX}/dossiers/{local[0]}").content)
        assert record.dossier.code == saved.code and record.dossier.procedure_code == "1.004873"
        assert [p.status for p in record.progress] == [2, 4]
        integrity = c.get(f"{API_PREFIX}/integrity").json()
        assert integrity["checksum"] == integrity_checksum([local])
