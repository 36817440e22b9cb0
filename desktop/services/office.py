"""The office profile and the first-run setup of a new data folder."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import resources
from desktop.domain.codes import InvalidAgencyCode, InvalidDesk, validate_agency_code, validate_desk
from desktop.services import audit, auth
from desktop.services.actor import Actor
from desktop.services.calendar import seed_calendar
from desktop.services.catalogue import seed_catalogue
from desktop.services.validation import Collector, PermissionDenied, ValidationError
from desktop.store.database import Store
from desktop.store.models import Office, Officer, Role


@dataclass
class OfficeForm:
    name: str
    agency_code: str
    desk_number: int | str
    address: str = ""
    place_name: str = ""
    parent_name: str = ""
    phone: str = ""


@dataclass
class AdminForm:
    username: str
    full_name: str
    password: str
    password_confirm: str | None = None
    title: str = ""


def _validate_office(form: OfficeForm) -> tuple[Collector, str, int]:
    c = Collector()
    c.required("name", form.name, "tên cơ quan")
    code, desk = "", 0
    try:
        code = validate_agency_code(form.agency_code or "")
    except InvalidAgencyCode as exc:
        c.add("agency_code", exc.message_vi)
    try:
        desk = validate_desk(int(str(form.desk_number).strip()))
    except (InvalidDesk, ValueError) as exc:
        c.add("desk_number", getattr(exc, "message_vi", "Số quầy phải là một số từ 1 đến 9."))
    return c, code, desk


def is_initialised(session: Session) -> bool:
    return session.get(Office, 1) is not None


def get_office(session: Session) -> Office | None:
    return session.get(Office, 1)


def initialise_office(store: Store, office: OfficeForm, admin: AdminForm, *,
                      actor: Actor | None = None, now: datetime | None = None) -> Officer:
    """Create the office, its first administrator, the catalogue and the calendar.

    One transaction: either all of it exists afterwards or none of it.
    """
    now = now or datetime.now()
    with store.transaction() as session:
        if is_initialised(session):
            raise ValidationError({"name": "Văn phòng đã được thiết lập trong thư mục dữ liệu này."})
        c, code, desk = _validate_office(office)
        admin_errors = auth.validate_officer(
            session, username=admin.username, full_name=admin.full_name,
            password=admin.password, password_confirm=admin.password_confirm,
            roles=[Role.ADMIN],
        ).errors
        c.errors.update({f"admin_{k}": v for k, v in admin_errors.items()})
        c.raise_if_any()
        row = Office(
            id=1, name=office.name.strip(), agency_code=code, desk_number=desk,
            address=office.address.strip(), place_name=office.place_name.strip(),
            parent_name=office.parent_name.strip(), phone=office.phone.strip(), created_at=now,
        )
        session.add(row)
        session.flush()
        setup_actor = actor or Actor.system("setup")
        audit.record(session, setup_actor, "office.create", "office", 1,
                     after={k: v for k, v in asdict(office).items()}, at=now)
        officer = auth.create_officer(
            session, setup_actor, username=admin.username, full_name=admin.full_name,
            password=admin.password, password_confirm=admin.password_confirm,
            roles=[Role.ADMIN, Role.FRONT_DESK, Role.SPECIALIST, Role.LEADER],
            title=admin.title, now=now,
        )
        seed_catalogue(session, setup_actor, resources.seed("procedures"), at=now)
        seed_calendar(session, setup_actor, resources.seed("holidays"), at=now)
        return officer


def update_office(session: Session, actor: Actor, form: OfficeForm) -> Office:
    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới sửa được thông tin cơ quan.")
    c, code, desk = _validate_office(form)
    c.raise_if_any()
    row = session.get_one(Office, 1)
    before = {"name": row.name, "agency_code": row.agency_code, "desk_number": row.desk_number,
              "address": row.address, "place_name": row.place_name,
              "parent_name": row.parent_name, "phone": row.phone}
    row.name, row.agency_code, row.desk_number = form.name.strip(), code, desk
    row.address, row.place_name = form.address.strip(), form.place_name.strip()
    row.parent_name, row.phone = form.parent_name.strip(), form.phone.strip()
    after = {"name": row.name, "agency_code": row.agency_code, "desk_number": row.desk_number,
             "address": row.address, "place_name": row.place_name,
             "parent_name": row.parent_name, "phone": row.phone}
    audit.record(session, actor, "office.update", "office", 1, before=before, after=after)
    return row


def officer_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Officer)).scalar_one()
