"""Processing services on a real SQLite file: every action, its refusals, apologies, secrets, queues."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop.domain.calendar import extend_for_supplement
from desktop.domain.status import TRANSITIONS, Status
from desktop.services import audit, auth, dossiers, processing, queues, reception
from desktop.services.actor import Actor
from desktop.services.calendar import load_calendar
from desktop.services.catalogue import confirm_missing_units
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.models import (
    Apology,
    AuditEvent,
    Dossier,
    DossierFee,
    DossierResult,
    Officer,
    OutboxItem,
    Procedure,
    ProgressRow,
    ResultReturn,
    Role,
    SearchQueue,
    SupplementRound,
)

NOW = datetime(2026, 11, 26, 9, 30)  # a Thursday; 1.004873 (3 working days) is due Tue 1/12 09:30
DUE = datetime(2026, 12, 1, 9, 30)
LATER = datetime(2026, 12, 28, 9, 0)  # a Monday, long after every due date here
PASSWORD = "mat-khau-456"


@dataclass
class Staff:
    desk: Actor
    spec: Actor
    spec2: Actor
    leader: Actor
    admin_only: Actor
    inactive_id: int

    def all(self) -> dict[str, Actor]:
        return {"desk": self.desk, "spec": self.spec, "spec2": self.spec2,
                "leader": self.leader, "admin_only": self.admin_only}


def _actor(officer: Officer, *roles: Role) -> Actor:
    return Actor(officer.id, officer.full_name, officer.title, officer.department, frozenset(roles))


@pytest.fixture
def staff(office_store, admin) -> Staff:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)

        def make(username: str, name: str, *roles: Role, dept: str = "") -> Officer:
            return auth.create_officer(s, admin, username=username, full_name=name,
                                       password=PASSWORD, roles=list(roles),
                                       title="Công chức", department=dept)

        desk = make("tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK, dept="Bộ phận một cửa")
        spec = make("tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST, dept="Tư pháp - Hộ tịch")
        spec2 = make("diachinh", "Hoàng Văn Dũng", Role.SPECIALIST, dept="Địa chính - Xây dựng")
        leader = make("lanhdao", "Đặng Quốc Bảo", Role.LEADER, dept="Lãnh đạo UBND xã")
        gone = make("nghiviec", "Lê Văn Cũ", Role.SPECIALIST)
        gone.active = False
        actors = Staff(
            desk=_actor(desk, Role.FRONT_DESK), spec=_actor(spec, Role.SPECIALIST),
            spec2=_actor(spec2, Role.SPECIALIST), leader=_actor(leader, Role.LEADER),
            admin_only=Actor(admin.officer_id, admin.name, roles=frozenset({Role.ADMIN})),
            inactive_id=gone.id,
        )
    return actors


def _form(store, code: str = "1.004873") -> reception.ReceptionForm:
    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == code)).scalar_one()
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


def received(store, staff: Staff, *, at: datetime = NOW) -> int:
    return reception.receive(store, staff.desk, _form(store), now=at).dossier_id


def online(store) -> int:
    with store.transaction() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        d = Dossier(procedure_id=pid, channel="2", status=1, applicant_name="Võ Thị Kim Oanh",
                    applicant_id_number="079190123456", submitted_at=NOW)
        dossiers.create(s, Actor(None, "Cổng dịch vụ công"), d, content="Nộp trực tuyến", at=NOW)
        return d.id


def in_status(store, staff: Staff, status: int, *, at: datetime = NOW) -> int:
    """A fresh dossier brought to `status` by the usual officers."""
    if status == 1:
        return online(store)
    if status == 3:
        return reception.refuse(store, staff.desk, _form(store), "Hồ sơ không thuộc thẩm quyền xã",
                                now=at).dossier_id
    if status == 7:
        d = online(store)
        processing.withdraw(store, staff.desk, d, "Công dân không còn nhu cầu", now=at)
        return d
    d = received(store, staff, at=at)
    if status == 2:
        return d
    processing.hand_over(store, staff.desk, d, staff.spec.officer_id, now=at)
    if status == 5:
        processing.request_supplement(store, staff.spec, d, ["Giấy xác nhận cư trú"],
                                      "Thiếu giấy tờ chứng minh nơi cư trú", now=at)
    elif status == 6:
        processing.require_payment(store, staff.spec, d, 50_000, "Lệ phí hộ tịch", now=at)
    elif status == 8:
        processing.stop(store, staff.spec, d, "Chờ kết quả xác minh của Công an xã", now=at)
    elif status in (9, 10):
        processing.finish(store, staff.spec, d, ["Giấy xác nhận tình trạng hôn nhân"], now=at)
        if status == 10:
            processing.return_result(store, staff.desk, d, receiver_name="Nguyễn Văn Đức",
                                     receiver_id_number="001090123456", now=at)
    return d


TABLES = (Dossier, ProgressRow, AuditEvent, OutboxItem, SearchQueue, SupplementRound, DossierFee,
          DossierResult, Apology, ResultReturn)


def footprint(store) -> dict[str, object]:
    """Row counts of every table an action may write, and the dossiers' versions."""
    with store.reading() as s:
        out: dict[str, object] = {t.__tablename__: s.execute(
            select(func.count()).select_from(t)).scalar_one() for t in TABLES}
        out["versions"] = s.execute(select(Dossier.id, Dossier.version, Dossier.status,
                                           Dossier.due_at, Dossier.state_secret)).all()
    return out


def refused(store, exc: type[Exception], call, *args, **kwargs) -> Exception:
    """Call an action that must be refused with `exc`, and check that nothing was written."""
    before = footprint(store)
    with pytest.raises(exc) as err:
        call(store, *args, **kwargs)
    assert footprint(store) == before
    message = err.value.message_vi  # type: ignore[attr-defined]
    assert any(ch in message for ch in "ăâđêôơưạảấếệộờởủứừ"), message  # Vietnamese
    return err.value


def progress_of(store, dossier_id: int) -> list[tuple[int, str]]:
    with store.reading() as s:
        rows = s.execute(select(ProgressRow.status, ProgressRow.content)
                         .where(ProgressRow.dossier_id == dossier_id)
                         .order_by(ProgressRow.acted_at, ProgressRow.id)).all()
    return [(r[0], r[1]) for r in rows]


def dossier(store, dossier_id: int) -> Dossier:
    with store.reading() as s:
        d = s.get_one(Dossier, dossier_id)
        s.expunge(d)
        return d


def outbox_count(store, dossier_id: int) -> int:
    with store.reading() as s:
        return s.execute(select(func.count()).select_from(OutboxItem)
                         .where(OutboxItem.dossier_id == dossier_id)).scalar_one()


# ------------------------------------------------------------------------ the rules


def test_every_action_follows_the_national_transitions() -> None:
    for action in processing.ACTIONS:
        sources, target = processing.rule_of(action)
        assert sources, action
        if target is not None:
            assert all(target in TRANSITIONS[s] for s in sources), action
        assert action in processing.ACTION_LABELS_VI


# ------------------------------------------------------------------------ hand-over


def test_hand_over_names_the_specialist_and_writes_everything_at_once(office_store, staff) -> None:
    d = received(office_store, staff)
    out = processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id,
                               note="Ưu tiên giải quyết", now=NOW + timedelta(minutes=5))
    assert (out.status, out.due_at) == (4, DUE)
    with office_store.reading() as s:
        row = s.get_one(Dossier, d)
        assert (row.status, row.assignee_id, row.version) == (4, staff.spec.officer_id, 2)
        progress = s.execute(select(ProgressRow).where(ProgressRow.dossier_id == d)
                             .order_by(ProgressRow.id)).scalars().all()
        assert progress[-1].content == "Chuyển xử lý cho Phạm Thị Ngọc Lan. Ghi chú: Ưu tiên giải quyết"
        assert (progress[-1].status, progress[-1].officer_name) == (4, "Trần Thị Thu Hà")
        assert progress[-1].step_deadline == DUE
        items = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d)
                          .order_by(OutboxItem.id)).scalars().all()
        assert [i.kind for i in items] == ["dossier.received", "dossier.processing"]
        assert json.loads(items[-1].payload)["progress"]["uid"] == progress[-1].uid
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "dossier.processing")).scalar_one() == 1
        assert s.get(SearchQueue, d) is not None
        assert audit.verify_chain(s) == []


def test_hand_over_refusals_write_nothing(office_store, staff) -> None:
    d = received(office_store, staff)
    err = refused(office_store, PermissionDenied, processing.hand_over, staff.spec, d,
                  staff.spec.officer_id, now=NOW)
    assert "một cửa" in err.message_vi
    refused(office_store, PermissionDenied, processing.hand_over, staff.leader, d,
            staff.spec.officer_id, now=NOW)
    for bad in (staff.inactive_id, staff.desk.officer_id, 99_999, None):
        err = refused(office_store, ValidationError, processing.hand_over, staff.desk, d, bad,
                      now=NOW)
        assert set(err.errors) == {"specialist_id"}
    refused(office_store, ValidationError, processing.hand_over, staff.desk, 99_999,
            staff.spec.officer_id, now=NOW)
    processing.hand_over(office_store, staff.desk, d, staff.leader.officer_id, now=NOW)
    err = refused(office_store, ValidationError, processing.hand_over, staff.desk, d,
                  staff.spec.officer_id, now=NOW)
    assert err.errors["status"] == ('Không thể chuyển hồ sơ cho chuyên viên xử lý khi hồ sơ '
                                    'đang ở trạng thái "Đang xử lý".')


# ----------------------------------------------------------------------- supplement


def test_supplement_round_extends_the_due_date_by_the_waiting_time(office_store, staff) -> None:
    d = received(office_store, staff)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id, now=NOW)
    asked = datetime(2026, 11, 26, 10, 0)  # Thursday
    back = datetime(2026, 11, 30, 10, 0)  # Monday
    processing.request_supplement(
        office_store, staff.spec, d, ["Giấy xác nhận cư trú", " Giấy xác nhận cư trú ", ""],
        "Thiếu giấy tờ chứng minh nơi cư trú của người yêu cầu", now=asked)
    assert dossier(office_store, d).status == 5
    out = processing.receive_supplement(office_store, staff.desk, d, now=back)
    # Waiting: Thu 10:00–17:00 (5 h office time), Fri (8 h), Mon 07:00–10:00 (3 h) = 16 h
    # = 2 working days, so Tue 1/12 09:30 becomes Thu 3/12 09:30.
    new_due = datetime(2026, 12, 3, 9, 30)
    assert out.due_at == new_due
    with office_store.reading() as s:
        cal = load_calendar(s)
        assert extend_for_supplement(DUE, asked, back, cal) == new_due
        waited = cal.working_minutes_between(asked, back)
        assert waited == 16 * 60 == cal.working_minutes_between(DUE, new_due)
        row = s.get_one(Dossier, d)
        assert (row.status, row.due_at, row.original_due_at) == (4, new_due, DUE)
        assert row.assignee_id == staff.spec.officer_id
        rounds = processing.supplement_rounds(s, d)
    assert len(rounds) == 1
    r = rounds[0]
    assert (r.requested_at, r.requested_by_name, r.missing) == (
        asked, "Phạm Thị Ngọc Lan", ("Giấy xác nhận cư trú",))
    assert r.content == "Thiếu giấy tờ chứng minh nơi cư trú của người yêu cầu"
    assert (r.previous_due_at, r.new_due_at, r.received_at, r.received_by_name) == (
        DUE, new_due, back, "Trần Thị Thu Hà")
    assert not r.open
    assert progress_of(office_store, d)[-2:] == [
        (5, "Yêu cầu bổ sung: Giấy xác nhận cư trú. "
            "Lý do: Thiếu giấy tờ chứng minh nơi cư trú của người yêu cầu"),
        (4, "Nhận hồ sơ bổ sung, tiếp tục xử lý; hẹn trả kết quả dời từ 09:30 ngày 01/12/2026 "
            "sang 09:30 ngày 03/12/2026"),
    ]
    with office_store.reading() as s:
        slip = processing.supplement_request_data(s, d)
    assert [m.name for m in slip.missing] == ["Giấy xác nhận cư trú"]
    assert slip.officer_name == "Phạm Thị Ngọc Lan" and slip.dossier_code


def test_two_rounds_keep_every_date(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    t = [datetime(2026, 11, 26, 14, 0), datetime(2026, 11, 27, 14, 0),
         datetime(2026, 11, 30, 8, 0), datetime(2026, 11, 30, 9, 0)]
    processing.request_supplement(office_store, staff.spec, d, ["Tờ khai"], "Tờ khai ghi chưa đủ",
                                  now=t[0])
    first = processing.receive_supplement(office_store, staff.spec, d, now=t[1]).due_at
    processing.request_supplement(office_store, staff.spec, d, ["Bản sao CCCD"],
                                  "Bản sao không rõ nét", now=t[2])
    second = processing.receive_supplement(office_store, staff.spec, d, now=t[3]).due_at
    with office_store.reading() as s:
        rounds = processing.supplement_rounds(s, d)
        assert dossier(office_store, d).original_due_at == DUE
    assert [(r.previous_due_at, r.new_due_at) for r in rounds] == [(DUE, first), (first, second)]
    assert DUE < first < second


def test_supplement_refusals_write_nothing(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    err = refused(office_store, ValidationError, processing.request_supplement, staff.spec, d,
                  [" ", ""], "thiếu", now=NOW)
    assert set(err.errors) == {"missing", "reason"}
    err = refused(office_store, PermissionDenied, processing.request_supplement, staff.desk, d,
                  ["Tờ khai"], "Tờ khai ghi chưa đủ thông tin", now=NOW)
    refused(office_store, ValidationError, processing.receive_supplement, staff.desk, d, now=NOW)
    processing.request_supplement(office_store, staff.spec, d, ["Tờ khai"],
                                  "Tờ khai ghi chưa đủ thông tin", now=NOW)
    refused(office_store, ValidationError, processing.request_supplement, staff.spec, d,
            ["Tờ khai"], "Tờ khai ghi chưa đủ thông tin", now=NOW)
    refused(office_store, ValidationError, processing.receive_supplement, staff.desk, d,
            now=NOW - timedelta(hours=1))  # before it was asked for
    refused(office_store, PermissionDenied, processing.receive_supplement,
            Actor(None, "Khách", roles=frozenset()), d, now=NOW)


def test_desk_asks_for_papers_before_hand_over_and_names_the_specialist_on_receipt(
        office_store, staff) -> None:
    d = received(office_store, staff)
    processing.request_supplement(office_store, staff.desk, d, ["Tờ khai"],
                                  "Tờ khai chưa ký tên người yêu cầu", now=NOW)
    err = refused(office_store, ValidationError, processing.receive_supplement, staff.desk, d,
                  now=NOW + timedelta(hours=2))
    assert set(err.errors) == {"specialist_id"}
    processing.receive_supplement(office_store, staff.desk, d, specialist_id=staff.spec.officer_id,
                                  now=NOW + timedelta(hours=2))
    row = dossier(office_store, d)
    assert (row.status, row.assignee_id) == (4, staff.spec.officer_id)
    assert progress_of(office_store, d)[-1][1].endswith("; chuyển xử lý cho Phạm Thị Ngọc Lan")


def test_status_5_without_a_round_uses_its_progress_row(office_store, staff) -> None:
    """Imported or demo dossiers reach 5 without a round: the request time comes from the timeline."""
    d = in_status(office_store, staff, 4)
    with office_store.transaction() as s:
        row = s.get_one(Dossier, d)
        dossiers.transition(s, staff.spec, row, Status.SUPPLEMENT_REQUESTED,
                            content="Yêu cầu bổ sung giấy tờ: tờ khai", at=NOW)
    out = processing.receive_supplement(office_store, staff.desk, d,
                                        now=datetime(2026, 11, 27, 9, 30))
    assert out.due_at == datetime(2026, 12, 2, 9, 30)  # one working day waited
    with office_store.reading() as s:
        (r,) = processing.supplement_rounds(s, d)
    assert (r.requested_at, r.previous_due_at, r.new_due_at) == (NOW, DUE, out.due_at)


def test_stopping_or_withdrawing_while_waiting_closes_the_round(office_store, staff) -> None:
    for end in ("stop", "withdraw"):
        d = in_status(office_store, staff, 5)
        if end == "stop":
            processing.stop(office_store, staff.spec, d, "Chờ kết quả xác minh của Công an xã",
                            now=NOW + timedelta(hours=1))
            processing.resume(office_store, staff.spec, d, now=NOW + timedelta(hours=2))
            assert dossier(office_store, d).due_at == DUE  # a stop does not move the date
        else:
            processing.withdraw(office_store, staff.desk, d, "Công dân không còn nhu cầu",
                                now=NOW + timedelta(hours=1))
        with office_store.reading() as s:
            (r,) = processing.supplement_rounds(s, d)
        assert (r.state, r.open, r.received_at, r.new_due_at) == ("closed", False, None, None)


# ------------------------------------------------------------------------- payment


def test_financial_obligation_and_payment(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    for amount in (0, -5, True, "50000", 10**13):
        err = refused(office_store, ValidationError, processing.require_payment, staff.spec, d,
                      amount, "Thuế thu nhập cá nhân", now=NOW)
        assert set(err.errors) == {"amount"}
    err = refused(office_store, ValidationError, processing.require_payment, staff.spec, d,
                  50_000, "  ", now=NOW)
    assert set(err.errors) == {"description"}
    refused(office_store, PermissionDenied, processing.require_payment, staff.desk, d, 50_000,
            "Lệ phí", now=NOW)
    refused(office_store, ValidationError, processing.record_payment, staff.desk, d, online=True,
            now=NOW)
    processing.require_payment(office_store, staff.spec, d, 1_250_000, "Thuế sử dụng đất", now=NOW)
    with office_store.reading() as s:
        row = s.get_one(Dossier, d)
        assert (row.status, row.fee_total, row.paid_online) == (6, 1_250_000, False)
        fees = [(f.name, f.amount, f.paid) for f in row.fees]
    assert fees == [("Thuế sử dụng đất", 1_250_000, False)]
    assert progress_of(office_store, d)[-1] == (
        6, "Yêu cầu thực hiện nghĩa vụ tài chính: Thuế sử dụng đất, số tiền 1.250.000 đồng")
    processing.record_payment(office_store, staff.desk, d, online=True,
                              now=NOW + timedelta(hours=1))
    with office_store.reading() as s:
        row = s.get_one(Dossier, d)
        assert (row.status, row.paid_online, row.assignee_id) == (4, True, staff.spec.officer_id)
        assert [(f.paid, f.paid_online) for f in row.fees] == [(True, True)]
    assert progress_of(office_store, d)[-1] == (
        4, "Công dân đã thực hiện nghĩa vụ tài chính (nộp trực tuyến, 1.250.000 đồng), "
           "tiếp tục xử lý")


# -------------------------------------------------------------- withdraw, stop, resume


def test_withdrawal_needs_a_reason_and_ends_the_dossier(office_store, staff) -> None:
    d = in_status(office_store, staff, 5)
    err = refused(office_store, ValidationError, processing.withdraw, staff.desk, d, "", now=NOW)
    assert set(err.errors) == {"reason"}
    refused(office_store, PermissionDenied, processing.withdraw, staff.spec, d,
            "Công dân không còn nhu cầu", now=NOW)
    processing.withdraw(office_store, staff.desk, d, "Công dân không còn nhu cầu", now=NOW)
    row = dossier(office_store, d)
    assert (row.status, row.finished_at, row.reason) == (7, NOW, "Công dân không còn nhu cầu")
    assert progress_of(office_store, d)[-1] == (7, "Công dân yêu cầu rút hồ sơ: Công dân không còn nhu cầu")
    err = refused(office_store, ValidationError, processing.resume, staff.leader, d, now=NOW)
    assert "đang ở trạng thái" in err.errors["status"]
    with office_store.reading() as s:
        assert processing.actions_for(s, staff.leader, d) == ["mark_state_secret"]
    online_id = online(office_store)
    processing.withdraw(office_store, staff.leader, online_id, "Nộp nhầm thủ tục trên Cổng", now=NOW)
    assert dossier(office_store, online_id).status == 7


def test_stop_and_resume(office_store, staff) -> None:
    d = in_status(office_store, staff, 6)
    refused(office_store, PermissionDenied, processing.stop, staff.desk, d,
            "Chờ kết quả xác minh của Công an xã", now=NOW)
    err = refused(office_store, ValidationError, processing.stop, staff.spec2, d, "chờ", now=NOW)
    assert set(err.errors) == {"reason"}
    processing.stop(office_store, staff.spec2, d, "Chờ kết quả xác minh của Công an xã", now=NOW)
    row = dossier(office_store, d)
    assert (row.status, row.reason) == (8, "Chờ kết quả xác minh của Công an xã")
    refused(office_store, PermissionDenied, processing.resume, staff.desk, d, now=NOW)
    processing.resume(office_store, staff.leader, d, now=NOW + timedelta(days=1))
    row = dossier(office_store, d)
    assert (row.status, row.reason, row.assignee_id) == (4, "", staff.spec.officer_id)
    assert [c for _, c in progress_of(office_store, d)[-2:]] == [
        "Dừng xử lý: Chờ kết quả xác minh của Công an xã", "Tiếp tục xử lý hồ sơ"]


# ---------------------------------------------------------------- result and return


def test_finish_records_the_results_and_the_desk_returns_them(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    refused(office_store, PermissionDenied, processing.finish, staff.desk, d,
            ["Giấy xác nhận tình trạng hôn nhân"], now=NOW)
    err = refused(office_store, ValidationError, processing.finish, staff.spec, d, ["", " "],
                  now=NOW)
    assert set(err.errors) == {"results"}
    refused(office_store, ValidationError, processing.return_result, staff.desk, d,
            receiver_name="Nguyễn Văn Đức", now=NOW)
    done = NOW + timedelta(days=1)
    processing.finish(office_store, staff.spec, d,
                      ["Giấy xác nhận tình trạng hôn nhân", "Bản sao trích lục"], now=done)
    with office_store.reading() as s:
        row = s.get_one(Dossier, d)
        assert (row.status, row.finished_at) == (9, done)
        assert [(r.name, r.code) for r in processing.results_of(s, d)] == [
            ("Giấy xác nhận tình trạng hôn nhân", "KQ.G15.000038"), ("Bản sao trích lục", "")]
    assert progress_of(office_store, d)[-1] == (
        9, "Đã xử lý xong, chuyển kết quả về Bộ phận một cửa: Giấy xác nhận tình trạng hôn nhân; "
           "Bản sao trích lục")

    refused(office_store, PermissionDenied, processing.return_result, staff.spec, d,
            receiver_name="Nguyễn Văn Đức", now=done)
    err = refused(office_store, ValidationError, processing.return_result, staff.desk, d,
                  receiver_name=" ", receiver_id_number="12345", now=done)
    assert set(err.errors) == {"receiver_name", "receiver_id_number"}
    processing.return_result(office_store, staff.desk, d, receiver_name="nguyễn văn đức",
                             receiver_id_number="001 090 123 456", now=done + timedelta(hours=2))
    with office_store.reading() as s:
        row = s.get_one(Dossier, d)
        assert (row.status, row.returned_at, row.return_by_post) == (
            10, done + timedelta(hours=2), False)
        ret = s.execute(select(ResultReturn).where(ResultReturn.dossier_id == d)).scalar_one()
        assert (ret.receiver_name, ret.receiver_id_number, ret.receiver_is_applicant,
                ret.by_post, ret.returned_by) == (
            "nguyễn văn đức", "001090123456", True, False, staff.desk.officer_id)
    assert progress_of(office_store, d)[-1] == (10, "Trả kết quả cho nguyễn văn đức (chủ hồ sơ)")


def test_result_to_an_authorised_person_by_post(office_store, staff) -> None:
    d = in_status(office_store, staff, 9)
    processing.return_result(office_store, staff.desk, d, receiver_name="Lê Thị Hoa",
                             receiver_id_number="075190123456", by_post=True, now=NOW)
    with office_store.reading() as s:
        ret = s.execute(select(ResultReturn).where(ResultReturn.dossier_id == d)).scalar_one()
        assert (ret.receiver_is_applicant, ret.by_post) == (False, True)
        assert s.get_one(Dossier, d).return_by_post is True
    assert progress_of(office_store, d)[-1] == (
        10, "Trả kết quả qua dịch vụ bưu chính công ích cho Lê Thị Hoa (người được ủy quyền)")


def test_the_assignee_may_finish_even_without_a_processing_role(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    assignee_as_desk = Actor(staff.spec.officer_id, staff.spec.name,
                             roles=frozenset({Role.FRONT_DESK}))
    with office_store.reading() as s:
        assert "finish" in processing.actions_for(s, assignee_as_desk, d)
        assert "finish" not in processing.actions_for(s, staff.desk, d)
    processing.finish(office_store, assignee_as_desk, d, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=NOW)


# ------------------------------------------------------------------------- apologies


def test_apology_is_printed_only_after_a_leader_approves_it(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    new_date = datetime(2026, 12, 4, 16, 0)
    err = refused(office_store, ValidationError, processing.propose_apology, staff.spec, d,
                  "Chờ xác minh thông tin hộ tịch tại nơi cư trú trước đây", new_date, now=NOW)
    assert "còn trong hạn" in err.errors["dossier"]
    late = datetime(2026, 11, 30, 10, 0)  # Mon: due Tue 09:30 < Mon 10:00 + 1 working day
    with office_store.reading() as s:
        assert "propose_apology" not in processing.actions_for(s, staff.spec, d, now=NOW)
        assert "propose_apology" in processing.actions_for(s, staff.spec, d, now=late)
        assert processing.is_late_or_soon(s.get_one(Dossier, d), late, load_calendar(s))
    err = refused(office_store, ValidationError, processing.propose_apology, staff.spec, d, "trễ",
                  DUE, now=late)
    assert set(err.errors) == {"reason", "new_due_at"}
    apology_id = processing.propose_apology(
        office_store, staff.spec, d, "Chờ xác minh thông tin hộ tịch tại nơi cư trú trước đây",
        new_date, now=late)
    with office_store.reading() as s:
        with pytest.raises(ValidationError) as pending:
            processing.apology_data(s, apology_id)
        assert "chờ lãnh đạo duyệt" in pending.value.errors["apology"]
        assert "approve_apology" in processing.actions_for(s, staff.leader, d, now=late)
        assert "approve_apology" not in processing.actions_for(s, staff.spec, d, now=late)
        assert "propose_apology" not in processing.actions_for(s, staff.spec, d, now=late)
    assert dossier(office_store, d).due_at == DUE  # nothing moves before the approval
    refused(office_store, ValidationError, processing.propose_apology, staff.desk, d,
            "Chờ xác minh thông tin hộ tịch", new_date, now=late)  # one pending at a time
    refused(office_store, PermissionDenied, processing.approve_apology, staff.spec, apology_id,
            now=late)
    refused(office_store, PermissionDenied, processing.approve_apology, staff.admin_only,
            apology_id, now=late)
    out = processing.approve_apology(office_store, staff.leader, apology_id,
                                     now=late + timedelta(hours=1))
    assert out.due_at == new_date
    row = dossier(office_store, d)
    assert (row.due_at, row.original_due_at, row.status) == (new_date, DUE, 4)
    with office_store.reading() as s:
        data = processing.apology_data(s, apology_id)
        events = s.execute(select(AuditEvent.action).where(AuditEvent.action.like("apology.%"))
                           .order_by(AuditEvent.id)).scalars().all()
        assert audit.verify_chain(s) == []
    assert (data.original_due_at, data.new_due_at, data.approved_by_name, data.proposed_by_name) == (
        DUE, new_date, "Đặng Quốc Bảo", "Phạm Thị Ngọc Lan")
    assert data.applicant.name == "Nguyễn Văn Đức" and data.dossier_code == row.code
    assert events == ["apology.propose", "apology.approve"]
    with office_store.reading() as s:
        item = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d)
                         .order_by(OutboxItem.id.desc()).limit(1)).scalar_one()
    payload = json.loads(item.payload)
    assert item.kind == "apology.approve" and "progress" not in payload
    assert payload["dossier"]["due_at"] == new_date.isoformat()
    assert payload["dossier"]["original_due_at"] == DUE.isoformat()
    assert [a["new_due_at"] for a in payload["apologies"]] == [new_date.isoformat()]
    refused(office_store, ValidationError, processing.approve_apology, staff.leader, apology_id,
            now=late)  # already decided


def test_a_rejected_apology_changes_nothing_and_cannot_be_printed(office_store, staff) -> None:
    d = in_status(office_store, staff, 5)
    apology_id = processing.propose_apology(office_store, staff.desk, d,
                                            "Công dân chưa nộp đủ giấy tờ bổ sung",
                                            datetime(2027, 1, 5, 9, 0), now=LATER)
    processing.reject_apology(office_store, staff.leader, apology_id, now=LATER)
    assert dossier(office_store, d).due_at == DUE
    with office_store.reading() as s:
        with pytest.raises(ValidationError):
            processing.apology_data(s, apology_id)
        assert [a.state for a in processing.apologies_of(s, d)] == ["rejected"]


# ------------------------------------------------------------------------ state secret


def test_state_secret_dossiers_never_get_outbox_items(office_store, staff) -> None:
    d = received(office_store, staff)
    other = received(office_store, staff)
    assert outbox_count(office_store, d) == 1  # the reception, not yet sent
    refused(office_store, PermissionDenied, processing.mark_state_secret, staff.desk, d, now=NOW)
    refused(office_store, PermissionDenied, processing.mark_state_secret, staff.spec, d, now=NOW)
    processing.mark_state_secret(office_store, staff.leader, d, now=NOW)
    assert outbox_count(office_store, d) == 0  # the unsent reception item is withdrawn
    refused(office_store, ValidationError, processing.mark_state_secret, staff.admin_only, d,
            now=NOW)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id, now=NOW)
    processing.request_supplement(office_store, staff.spec, d, ["Tờ khai"],
                                  "Tờ khai ghi chưa đủ thông tin", now=NOW)
    processing.receive_supplement(office_store, staff.desk, d, now=NOW + timedelta(hours=1))
    processing.finish(office_store, staff.spec, d, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=NOW + timedelta(hours=2))
    processing.return_result(office_store, staff.desk, d, receiver_name="Nguyễn Văn Đức",
                             now=NOW + timedelta(hours=3))
    assert outbox_count(office_store, d) == 0
    assert [s for s, _ in progress_of(office_store, d)] == [2, 4, 5, 4, 9, 10]
    assert outbox_count(office_store, other) == 1
    with office_store.reading() as s:
        assert s.get_one(Dossier, d).state_secret is True
        assert audit.verify_chain(s) == []
        assert s.execute(select(func.count()).select_from(AuditEvent)
                         .where(AuditEvent.action == "dossier.state_secret")).scalar_one() == 1


# ------------------------------------------------------------------------- actions_for


STATUSES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def _call(store, staff: Staff, action: str, actor: Actor, d: int, at: datetime) -> None:
    """The action with valid input."""
    p = processing
    if action == p.HAND_OVER:
        p.hand_over(store, actor, d, staff.spec.officer_id, now=at)
    elif action == p.REQUEST_SUPPLEMENT:
        p.request_supplement(store, actor, d, ["Tờ khai"], "Tờ khai ghi chưa đủ thông tin", now=at)
    elif action == p.RECEIVE_SUPPLEMENT:
        p.receive_supplement(store, actor, d, specialist_id=staff.spec.officer_id, now=at)
    elif action == p.REQUIRE_PAYMENT:
        p.require_payment(store, actor, d, 30_000, "Lệ phí hộ tịch", now=at)
    elif action == p.RECORD_PAYMENT:
        p.record_payment(store, actor, d, online=False, specialist_id=staff.spec.officer_id, now=at)
    elif action == p.FINISH:
        p.finish(store, actor, d, ["Giấy xác nhận tình trạng hôn nhân"], now=at)
    elif action == p.RETURN_RESULT:
        p.return_result(store, actor, d, receiver_name="Nguyễn Văn Đức", now=at)
    elif action == p.STOP:
        p.stop(store, actor, d, "Chờ kết quả xác minh của Công an xã", now=at)
    elif action == p.RESUME:
        p.resume(store, actor, d, specialist_id=staff.spec.officer_id, now=at)
    elif action == p.WITHDRAW:
        p.withdraw(store, actor, d, "Công dân không còn nhu cầu", now=at)
    elif action == p.PROPOSE_APOLOGY:
        p.propose_apology(store, actor, d, "Chờ xác minh thông tin hộ tịch", at + timedelta(days=7),
                          now=at)
    elif action == p.MARK_STATE_SECRET:
        p.mark_state_secret(store, actor, d, now=at)
    elif action in (p.APPROVE_APOLOGY, p.REJECT_APOLOGY):
        with store.reading() as s:
            pending = [a.id for a in p.apologies_of(s, d) if a.state == "pending"]
        if not pending:
            raise ValidationError({"apology": "Không có phiếu xin lỗi nào đang chờ duyệt."})
        fn = p.approve_apology if action == p.APPROVE_APOLOGY else p.reject_apology
        fn(store, actor, pending[0], now=at)
    else:  # pragma: no cover
        raise AssertionError(action)


def test_actions_for_is_exactly_what_the_functions_accept(office_store, staff) -> None:
    checked = accepted = 0
    for status in STATUSES:
        for name, actor in staff.all().items():
            d = in_status(office_store, staff, status)
            for action in processing.ACTIONS:
                with office_store.reading() as s:
                    offered = processing.actions_for(s, actor, d, now=LATER)
                before = footprint(office_store)
                try:
                    _call(office_store, staff, action, actor, d, LATER)
                except (PermissionDenied, ValidationError):
                    assert action not in offered, (status, name, action)
                    assert footprint(office_store) == before, (status, name, action)
                else:
                    assert action in offered, (status, name, action)
                    accepted += 1
                    d = in_status(office_store, staff, status)  # a fresh one for the next action
                checked += 1
    assert checked == len(STATUSES) * 5 * len(processing.ACTIONS)
    assert accepted > 60


def test_actions_for_offers_the_apology_decision_only_to_leaders(office_store, staff) -> None:
    d = in_status(office_store, staff, 4)
    processing.propose_apology(office_store, staff.spec, d, "Chờ xác minh thông tin hộ tịch",
                               LATER + timedelta(days=7), now=LATER)
    with office_store.reading() as s:
        assert {"approve_apology", "reject_apology"} <= set(
            processing.actions_for(s, staff.leader, d, now=LATER))
        assert not {"approve_apology", "reject_apology"} & set(
            processing.actions_for(s, staff.spec, d, now=LATER))


# ---------------------------------------------------------------------------- queues


def test_my_work_lists_what_waits_for_each_officer(office_store, staff) -> None:
    waiting_online = in_status(office_store, staff, 1)
    to_hand_over = in_status(office_store, staff, 2)
    processing_ = in_status(office_store, staff, 4)
    supplement = in_status(office_store, staff, 5)
    payment = in_status(office_store, staff, 6)
    to_return = in_status(office_store, staff, 9)
    in_status(office_store, staff, 10)
    in_status(office_store, staff, 8)
    # An old one, long overdue, assigned to the second specialist.
    old = received(office_store, staff, at=datetime(2026, 10, 1, 9, 0))
    processing.hand_over(office_store, staff.desk, old, staff.spec2.officer_id,
                         now=datetime(2026, 10, 1, 10, 0))
    late = datetime(2026, 11, 30, 10, 0)
    apology_id = processing.propose_apology(office_store, staff.spec, processing_,
                                            "Chờ xác minh thông tin hộ tịch",
                                            datetime(2026, 12, 4, 16, 0), now=late)

    def work(actor: Actor) -> list[tuple[int, str]]:
        with office_store.reading() as s:
            items = queues.my_work(s, actor, late)
            c = queues.counts(s, actor, late)
        assert c.total == len(items) == sum(c.by_kind.values())
        assert c.overdue == sum(i.urgency == queues.Urgency.OVERDUE for i in items)
        assert c.due_soon == sum(i.urgency == queues.Urgency.DUE_SOON for i in items)
        assert all(i.todo and i.procedure and i.applicant for i in items)
        return [(i.id, i.kind.value) for i in items]

    # The desk also lists what waits for the citizen: they bring the papers or the
    # receipt of payment to the desk.
    assert sorted(work(staff.desk)) == sorted([
        (to_hand_over, "hand_over"), (to_return, "return_result"),
        (waiting_online, "receive_online"), (supplement, "supplement"), (payment, "payment")])
    assert sorted(work(staff.spec)) == sorted([
        (processing_, "process"), (supplement, "supplement"), (payment, "payment")])
    assert work(staff.spec2) == [(old, "process")]
    leader_work = work(staff.leader)
    assert leader_work[0] == (old, "overdue")  # the most overdue first
    assert (processing_, "approve_apology") in leader_work
    assert (processing_, "overdue") not in leader_work  # its apology is the leader's task
    assert {k for _, k in leader_work} == {"overdue", "approve_apology"}
    with office_store.reading() as s:
        items = {i.id: i for i in queues.my_work(s, staff.leader, late)}
    assert items[processing_].apology_id == apology_id
    assert items[old].urgency == queues.Urgency.OVERDUE
    with office_store.reading() as s:
        desk_items = {i.id: i for i in queues.my_work(s, staff.desk, late)}
    assert desk_items[to_hand_over].urgency == queues.Urgency.DUE_SOON  # due Tue 09:30, now Mon
    assert desk_items[to_return].urgency == queues.Urgency.NORMAL  # the office's part is done
    assert items[old].todo == "Hồ sơ quá hạn: đôn đốc xử lý"


def test_an_officer_with_several_roles_sees_each_dossier_once(office_store, staff, admin) -> None:
    d = received(office_store, staff, at=datetime(2026, 10, 1, 9, 0))  # overdue, at the desk
    mine = received(office_store, staff, at=datetime(2026, 10, 1, 9, 0))
    processing.hand_over(office_store, staff.desk, mine, admin.officer_id, now=NOW)
    with office_store.reading() as s:
        items = queues.my_work(s, admin, NOW)  # the first admin has every role
        c = queues.counts(s, admin, NOW)
    assert sorted((i.id, i.kind.value) for i in items) == sorted([(d, "hand_over"),
                                                                  (mine, "process")])
    assert (c.total, c.overdue) == (2, 2)


def test_my_work_is_capped_but_counts_are_not(office_store, staff) -> None:
    for _ in range(5):
        received(office_store, staff)
    with office_store.reading() as s:
        assert len(queues.my_work(s, staff.desk, NOW, limit=3)) == 3
        assert queues.counts(s, staff.desk, NOW).total == 5


def test_queue_statements_walk_a_named_index(office_store, staff, admin) -> None:
    with office_store.reading() as s:
        plans = queues.plan(s, admin, NOW)
    assert {kind for kind, _, _ in plans} >= {"hand_over", "process", "overdue", "approve_apology"}
    for kind, sql, lines in plans:
        assert "INDEXED BY" in sql, kind
        assert not any(line.startswith("SCAN d") for line in lines), (kind, lines)


def test_outbox_items_carry_supplement_rounds_results_and_the_receiver(office_store,
                                                                        staff) -> None:
    d = in_status(office_store, staff, 5)
    processing.receive_supplement(office_store, staff.desk, d, now=LATER)
    processing.finish(office_store, staff.spec, d, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=LATER + timedelta(hours=1))
    processing.return_result(office_store, staff.desk, d, receiver_name="Trần Thị Mai",
                             receiver_id_number="", by_post=True, now=LATER + timedelta(hours=2))
    with office_store.reading() as s:
        items = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d)
                          .order_by(OutboxItem.id)).scalars().all()
    payloads = [json.loads(i.payload) for i in items]
    last = payloads[-1]
    assert [i.kind for i in items][-3:] == ["dossier.processing", "dossier.processed",
                                            "dossier.returned"]
    [rnd] = last["supplement_rounds"]
    assert rnd["missing"] == ["Giấy xác nhận cư trú"] and rnd["state"] == "received"
    assert rnd["previous_due_at"] and rnd["new_due_at"] and rnd["received_at"]
    assert [r["name"] for r in last["results"]] == ["Giấy xác nhận tình trạng hôn nhân"]
    assert last["result_return"]["receiver_name"] == "Trần Thị Mai"
    assert last["result_return"]["by_post"] is True
    assert last["result_return"]["receiver_is_applicant"] is False
    # Each item tells the state at its time: the round was open when it was requested.
    requested = next(p for p in payloads if p["dossier"]["status"] == 5)
    assert requested["supplement_rounds"][0]["state"] == "open"
    assert requested["results"] == [] and requested["result_return"] is None
