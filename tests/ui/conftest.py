"""Fixtures of the processing GUI tests: the office's desk officer and specialist, a dossier."""

from __future__ import annotations

import pytest

from desktop.services import auth, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.store.models import Role
from tests.conftest import sample_form


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
    return reception.receive(office_store, staff["desk"], sample_form(office_store)).dossier_id
