"""Reception services on a real SQLite file: receive, refuse, guide, drafts, online queue."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from desktop.domain.status import Status
from desktop.services import auth, reception, search
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import (
    AuditEvent,
    Dossier,
    Draft,
    OutboxItem,
    Procedure,
    ProgressRow,
    Role,
)

NOW = datetime(2026, 11, 26, 9, 30)  # a Thursday


@pytest.fixture
def desk(office_store, admin):
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)
        clerk = auth.create_officer(s, admin, username="tiepnhan1", full_name="Trần Thị Thu Hà",
                                    password="mat-khau-456", roles=[Role.FRONT_DESK],
                                    title="Công chức Văn phòng", department="Bộ phận một cửa")
    return Actor(clerk.id, clerk.full_name, clerk.title, clerk.department,
                 frozenset({Role.FRONT_DESK}))


def procedure_id(store, code: str) -> int:
    with store.reading() as s:
        return s.execute(select(Procedure.id).where(Procedure.code == code)).scalar_one()


def complete_form(store, code: str = "1.004873") -> reception.ReceptionForm:
    pid = procedure_id(store, code)
    with store.reading() as s:
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    return reception.ReceptionForm(
        procedure_id=pid,
        applicant=reception.PersonForm(
            id_number="001090123456", name="Nguyễn Văn Đức", birth_date=date(1990, 5, 17),
            sex="Nam", address="Thôn Phú Mỹ, xã Tân Phú, tỉnh Đồng Nai", phone="0912 345 678"),
        components=lines,
    )


def test_receive_writes_dossier_progress_audit_outbox_and_search_in_one_go(office_store, desk) -> None:
    form = complete_form(office_store)
    saved = reception.receive(office_store, desk, form, now=NOW)
    assert saved.code == "000.00.01.H56-261126-0001"
    with office_store.reading() as s:
        d = s.get_one(Dossier, saved.dossier_id)
        assert d.status == Status.RECEIVED
        assert d.applicant_phone == "0912345678"
        assert d.received_by_id == desk.officer_id
        # 1.004873 takes 3 working days: Thu 09:30 + 3 days → Tue 09:30 (weekend skipped).
        assert d.due_at == datetime(2026, 12, 1, 9, 30)
        assert d.original_due_at == d.due_at
        assert all(c.present for c in d.components) and d.components
        progress = s.execute(select(ProgressRow).where(ProgressRow.dossier_id == d.id)).scalars().all()
        assert [(p.status, p.content, p.officer_name) for p in progress] == [
            (2, "Tiếp nhận hồ sơ", "Trần Thị Thu Hà")]
        outbox = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d.id)).scalar_one()
        assert outbox.officer_id == desk.officer_id
        assert json.loads(outbox.payload)["dossier"]["code"] == saved.code
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "dossier.received")).scalar_one() == 1
        assert search.search_ids(s, "nguyen van duc") == [d.id]
        assert search.search_ids(s, "Đức 0912") == [d.id]


def test_missing_components_block_reception_and_write_nothing(office_store, desk) -> None:
    form = complete_form(office_store)
    form.components[0].state = reception.ComponentState.MISSING
    with pytest.raises(ValidationError) as err:
        reception.receive(office_store, desk, form, now=NOW)
    assert "Mẫu 02" in err.value.errors["components"]
    with office_store.reading() as s:
        assert s.execute(select(func.count()).select_from(Dossier)).scalar_one() == 0


def test_every_bad_field_gets_its_own_message(office_store, desk) -> None:
    form = complete_form(office_store)
    form.applicant = reception.PersonForm(id_number="001190123456", name="  ",
                                          birth_date=date(1990, 1, 1), sex="Nam",
                                          phone="12345", email="khong-phai-email")
    with pytest.raises(ValidationError) as err:
        reception.receive(office_store, desk, form, now=NOW)
    e = err.value.errors
    assert set(e) >= {"applicant.name", "applicant.id_number", "applicant.address",
                      "applicant.phone", "applicant.email"}
    assert all(any(ch in msg for ch in "ăâđêôơưạảấ") for msg in e.values())  # Vietnamese


def test_unconfirmed_time_unit_is_explained(office_store, admin) -> None:
    with office_store.transaction() as s:
        clerk = auth.create_officer(s, admin, username="tn2", full_name="Lê Minh Tuấn",
                                    password="mat-khau-456", roles=[Role.FRONT_DESK])
    actor = Actor(clerk.id, clerk.full_name, roles=frozenset({Role.FRONT_DESK}))
    form = complete_form(office_store, "1.001193")  # published without a unit
    with pytest.raises(ValidationError) as err:
        reception.receive(office_store, actor, form, now=NOW)
    assert "Danh mục thủ tục" in err.value.errors["procedure"]


def test_refusal_needs_a_reason_and_records_status_3(office_store, desk) -> None:
    form = complete_form(office_store)
    with pytest.raises(ValidationError) as err:
        reception.refuse(office_store, desk, form, "  ", now=NOW)
    assert "lý do" in err.value.errors["reason"]
    saved = reception.refuse(office_store, desk, form, "Người yêu cầu không thuộc thẩm quyền xã",
                             now=NOW)
    with office_store.reading() as s:
        d = s.get_one(Dossier, saved.dossier_id)
        assert (d.status, d.refused_at, d.received_at) == (3, NOW, None)
        assert d.reason == "Người yêu cầu không thuộc thẩm quyền xã"
        data = reception.refusal_data(s, d.id, desk.name)
    assert data.reason == d.reason and data.dossier_code == saved.code


def test_guidance_slip_lists_the_missing_papers(office_store, desk) -> None:
    form = complete_form(office_store)
    form.components[1].state = reception.ComponentState.MISSING
    data = reception.supplement_guidance(office_store, desk, form, "", now=NOW)
    assert [m.name for m in data.missing] == [form.components[1].name]
    assert data.applicant.name == "Nguyễn Văn Đức"


def test_drafts_round_trip_per_officer_and_vanish_on_receipt(office_store, desk, admin) -> None:
    form = complete_form(office_store)
    form.summary = "Xin xác nhận tình trạng hôn nhân để kết hôn"
    draft_id = reception.save_draft(office_store, desk, form, now=NOW)
    form.applicant.phone = "0987 654 321"
    assert reception.save_draft(office_store, desk, form, now=NOW) == draft_id
    with office_store.reading() as s:
        assert [d.title for d in reception.list_drafts(s, desk)] == ["Nguyễn Văn Đức"]
        assert reception.list_drafts(s, admin) == []  # another officer does not see it
        back = reception.load_draft(s, desk, draft_id)
    assert back.applicant.birth_date == date(1990, 5, 17)
    assert back.applicant.phone == "0987 654 321"
    assert [c.state for c in back.components] == [c.state for c in form.components]
    reception.receive(office_store, desk, back, now=NOW)
    with office_store.reading() as s:
        assert s.execute(select(func.count()).select_from(Draft)).scalar_one() == 0


def test_online_dossier_is_received_or_refused_from_the_queue(office_store, desk) -> None:
    from desktop.services import dossiers

    pid = procedure_id(office_store, "1.004873")
    with office_store.transaction() as s:
        online = Dossier(procedure_id=pid, channel="2", status=1, applicant_name="Võ Thị Kim Oanh",
                         applicant_id_number="079190123456", submitted_at=NOW,
                         code="000.00.01.H56-261125-9001")
        dossiers.create(s, Actor(None, "Cổng dịch vụ công"), online, content="Nộp trực tuyến",
                        at=NOW)
        other = Dossier(procedure_id=pid, channel="2", status=1, applicant_name="Hoàng Văn Dũng",
                        submitted_at=NOW)
        dossiers.create(s, Actor(None, "Cổng dịch vụ công"), other, content="Nộp trực tuyến", at=NOW)
    reception.receive_online(office_store, desk, online.id, now=NOW)
    reception.refuse_online(office_store, desk, other.id, "Hồ sơ nộp sai thủ tục, cần nộp lại", now=NOW)
    with office_store.reading() as s:
        a, b = s.get_one(Dossier, online.id), s.get_one(Dossier, other.id)
        assert (a.status, a.received_at, a.code) == (2, NOW, "000.00.01.H56-261125-9001")
        assert a.due_at is not None
        assert (b.status, b.reason) == (3, "Hồ sơ nộp sai thủ tục, cần nộp lại")
        data = reception.receipt_data(s, a.id)
    assert data.channel_label == "Trực tuyến" and data.officer_name == "Trần Thị Thu Hà"


def test_only_desk_officers_receive(office_store, admin) -> None:
    with office_store.transaction() as s:
        spec = auth.create_officer(s, admin, username="tuphap", full_name="Phạm Thị Ngọc Lan",
                                   password="mat-khau-456", roles=[Role.SPECIALIST])
    actor = Actor(spec.id, spec.full_name, roles=frozenset({Role.SPECIALIST}))
    with pytest.raises(PermissionDenied):
        reception.receive(office_store, actor, complete_form(office_store), now=NOW)


def test_receipt_data_is_what_was_stored(office_store, desk) -> None:
    saved = reception.receive(office_store, desk, complete_form(office_store), now=NOW)
    with office_store.reading() as s:
        data = reception.receipt_data(s, saved.dossier_id)
    assert data.dossier_code == saved.code
    assert data.applicant.name == "Nguyễn Văn Đức"
    assert data.due_at == datetime(2026, 12, 1, 9, 30)
    assert data.processing_time_text == "3 ngày làm việc"
    assert (data.book_number, data.sequence_number) == ("2026", "0001")
