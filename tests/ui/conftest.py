"""Fixtures of the processing GUI tests: the office's desk officer and specialist, a dossier."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.services import auth, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import Procedure, Role


@pytest.fixture
def staff(office_store, admin):
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        made = {
            "desk": auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                        password="mat-khau-456", roles=[Role.FRONT_DESK]),
            "spec": auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Ngọc Lan",
                                        password="mat-khau-456", roles=[Role.SPECIALIST],
                                        department="Tư pháp - Hộ tịch"),
        }
    return {k: Actor(o.id, o.full_name, o.title, o.department, frozenset(o.role_set))
            for k, o in made.items()}


@pytest.fixture
def dossier_id(office_store, staff):
    with office_store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    form = reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(id_number="001090123456", name="Nguyễn Văn Đức",
                                       birth_date=date(1990, 5, 17), sex="Nam",
                                       address="Thôn Phú Mỹ, xã Tân Phú"))
    return reception.receive(office_store, staff["desk"], form).dossier_id
