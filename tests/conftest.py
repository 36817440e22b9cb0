"""Shared fixtures: a real data folder and SQLite store per test, offscreen Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.paths import DataPaths
from desktop.services.actor import Actor
from desktop.services.office import AdminForm, OfficeForm, initialise_office
from desktop.store.database import Store, open_store

ADMIN_PASSWORD = "mat-khau-123"


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data")


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    s = open_store(data_paths)
    yield s
    s.close()


def office_form(**overrides: object) -> OfficeForm:
    values = dict(name="UBND xã Tân Phú", agency_code="000.00.01.H56", desk_number=1,
                  address="Thôn 1, xã Tân Phú", place_name="Xã Tân Phú",
                  parent_name="UBND tỉnh Đồng Nai", phone="0251 3820 000")
    values.update(overrides)
    return OfficeForm(**values)  # type: ignore[arg-type]


def admin_form(**overrides: object) -> AdminForm:
    values = dict(username="quantri", full_name="Nguyễn Thị Hồng Nhung",
                  password=ADMIN_PASSWORD, password_confirm=ADMIN_PASSWORD,
                  title="Công chức Văn phòng - Thống kê")
    values.update(overrides)
    return AdminForm(**values)  # type: ignore[arg-type]


@pytest.fixture
def office_store(store: Store) -> Store:
    """A store with an office, its administrator, the catalogue and the calendar."""
    initialise_office(store, office_form(), admin_form())
    return store


@pytest.fixture
def admin(office_store: Store) -> Actor:
    from sqlalchemy import select

    from desktop.store.models import Officer

    with office_store.reading() as session:
        officer = session.execute(select(Officer).where(Officer.username == "quantri")).scalar_one()
        return Actor.of(officer)


def sample_form(store: Store, code: str = "1.004873"):  # noqa: ANN201 - a ReceptionForm
    """A complete reception form for procedure `code`: Nguyễn Văn Đức, every paper handed in.

    The catalogue's units must be confirmed first (catalogue.confirm_missing_units).
    """
    from datetime import date

    from sqlalchemy import select

    from desktop.services import reception
    from desktop.store.models import Procedure

    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == code)).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    return reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(id_number="001090123456", name="Nguyễn Văn Đức",
                                       birth_date=date(1990, 5, 17), sex="Nam",
                                       address="Thôn Phú Mỹ, xã Tân Phú"))


@pytest.fixture
def memory_keyring():  # noqa: ANN201 - yields a tests.sync.memory_keyring.MemoryKeyring
    """A real keyring backend held in memory (the sync credentials' only store)."""
    import keyring

    from tests.sync.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
