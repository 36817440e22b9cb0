"""Mẫu 04–06 from a real SQLite store: the control slip, the apology, the tracking book.

Dossiers go through the real services (reception, hand-over, supplement,
finish, return, apology); the slips are read with `services.slips`,
`services.processing.apology_data` and `services.tracking_book`, then printed
to real PDF/XLSX files and read back. The last tests run on a million dossiers.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event, select, text

from desktop.paths import DataPaths
from desktop.services import auth, processing, reception, slips, tracking_book
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.validation import ValidationError
from desktop.store.database import Store, open_store
from desktop.store.models import Dossier, Officer, Procedure, Role
from forms import ApologyData, write_pdf
from forms.xlsx import FIRST_ROW

NOW = datetime(2026, 11, 26, 9, 30)  # a Thursday; 1.004873 (3 working days) is due Tue 1/12 09:30
DUE = datetime(2026, 12, 1, 9, 30)
PASSWORD = "mat-khau-456"


@dataclass
class Staff:
    desk: Actor
    spec: Actor
    spec2: Actor
    leader: Actor


def _actor(officer: Officer, role: Role) -> Actor:
    return Actor(officer.id, officer.full_name, officer.title, officer.department,
                 frozenset({role}))


@pytest.fixture
def staff(office_store, admin) -> Staff:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)

        def make(username: str, name: str, role: Role, dept: str) -> Actor:
            officer = auth.create_officer(s, admin, username=username, full_name=name,
                                          password=PASSWORD, roles=[role], title="Công chức",
                                          department=dept)
            return _actor(officer, role)

        return Staff(
            desk=make("tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK, "Bộ phận một cửa"),
            spec=make("tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST, "Tư pháp - Hộ tịch"),
            spec2=make("diachinh", "Hoàng Văn Dũng", Role.SPECIALIST, "Địa chính - Xây dựng"),
            leader=make("lanhdao", "Đặng Quốc Bảo", Role.LEADER, "Lãnh đạo UBND xã"),
        )


def reception_form(store, *, name: str = "Nguyễn Văn Đức",
                   phone: str = "0912 345 678") -> reception.ReceptionForm:
    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    return reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(
            id_number="001090123456", name=name, birth_date=date(1990, 5, 17), sex="Nam",
            address="Thôn Phú Mỹ, xã Tân Phú, tỉnh Đồng Nai", phone=phone))


def receive(store, staff: Staff, *, at: datetime = NOW, name: str = "Nguyễn Văn Đức",
            phone: str = "0912 345 678") -> int:
    form = reception_form(store, name=name, phone=phone)
    return reception.receive(store, staff.desk, form, now=at).dossier_id


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --------------------------------------------------------------------- Mẫu 05


def test_control_slip_follows_the_dossier_through_every_hand_over(office_store, staff,
                                                                  tmp_path) -> None:
    d = receive(office_store, staff)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id,
                         now=NOW + timedelta(minutes=20))
    processing.request_supplement(office_store, staff.spec, d, ["Giấy xác nhận cư trú"],
                                  "Thiếu giấy tờ chứng minh nơi cư trú",
                                  now=datetime(2026, 11, 27, 10, 0))
    processing.receive_supplement(office_store, staff.desk, d, now=datetime(2026, 11, 30, 8, 0))
    processing.finish(office_store, staff.spec, d, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=datetime(2026, 12, 2, 9, 0))
    processing.return_result(office_store, staff.desk, d, receiver_name="Lê Thị Mai",
                             receiver_id_number="001190654321", now=datetime(2026, 12, 7, 14, 0))

    with office_store.reading() as s:
        data = slips.control_slip_data(s, d)
        due_after_supplement = s.get_one(Dossier, d).due_at

    assert due_after_supplement > DUE  # the supplement's waiting time was added
    assert data.received_at == NOW and data.due_at == due_after_supplement
    assert data.dossier_code.startswith("000.00.01.H56-261126-")
    assert (data.book_number, data.sequence_number) == ("2026", "0001")
    assert data.processing_body == "UBND xã Tân Phú – Tư pháp - Hộ tịch"
    assert data.blank_rows == 0  # returned: nothing more to hand over
    hand = [(h.giver, h.receiver, h.at, h.result, h.note) for h in data.hand_overs]
    desk, lan = "Trần Thị Thu Hà (Bộ phận một cửa)", "Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch)"
    assert hand == [
        (desk, lan, NOW + timedelta(minutes=20), "Trước hạn", ""),
        (lan, "Nguyễn Văn Đức (chủ hồ sơ)", datetime(2026, 11, 27, 10, 0), "Trước hạn",
         "Yêu cầu bổ sung hồ sơ"),
        (desk, lan, datetime(2026, 11, 30, 8, 0), "Trước hạn", "Đã nhận hồ sơ bổ sung"),
        (lan, "Bộ phận tiếp nhận và trả kết quả", datetime(2026, 12, 2, 9, 0),
         slips.timeliness(datetime(2026, 12, 2, 9, 0), due_after_supplement),
         "Đã có kết quả giải quyết"),
        (desk, "Lê Thị Mai (người được ủy quyền)", datetime(2026, 12, 7, 14, 0), "Quá hạn", ""),
    ]

    printed = pdf_text(write_pdf(data, tmp_path / "mau05.pdf"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in printed
    assert data.dossier_code in printed
    assert f"1. Giao: {desk} 2. Nhận: {lan} 09 giờ 50 phút, ngày 26/11/2026" in printed
    assert "2. Nhận: Lê Thị Mai (người được ủy quyền) 14 giờ 00 phút, ngày 07/12/2026" in printed
    assert "Thời gian tiếp nhận hồ sơ: 09 giờ 30 phút, ngày 26 tháng 11 năm 2026" in printed


def test_the_receiver_is_the_assignee_of_that_moment(office_store, staff) -> None:
    d = receive(office_store, staff)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id, now=NOW)
    processing.request_supplement(office_store, staff.spec, d, ["Tờ khai"],
                                  "Tờ khai ghi chưa đủ thông tin", now=NOW + timedelta(hours=1))
    processing.receive_supplement(office_store, staff.desk, d, specialist_id=staff.spec2.officer_id,
                                  now=NOW + timedelta(hours=2))

    with office_store.reading() as s:
        data = slips.control_slip_data(s, d)

    receivers = [h.receiver for h in data.hand_overs]
    assert receivers == ["Phạm Thị Ngọc Lan (Tư pháp - Hộ tịch)", "Nguyễn Văn Đức (chủ hồ sơ)",
                         "Hoàng Văn Dũng (Địa chính - Xây dựng)"]
    assert data.processing_body == "UBND xã Tân Phú – Địa chính - Xây dựng"
    assert data.blank_rows == 1  # still in processing: one dotted row for what comes next


def test_a_new_dossier_gets_dotted_rows_and_lateness_ignores_the_apology(office_store,
                                                                        staff) -> None:
    fresh = receive(office_store, staff)
    with office_store.reading() as s:
        data = slips.control_slip_data(s, fresh)
    assert data.hand_overs == () and data.blank_rows == slips.MIN_ROWS

    d = receive(office_store, staff)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id, now=NOW)
    late = datetime(2026, 11, 30, 10, 0)
    apology = processing.propose_apology(office_store, staff.spec, d,
                                         "Chờ xác minh thông tin hộ tịch tại nơi cư trú cũ",
                                         datetime(2026, 12, 4, 16, 0), now=late)
    processing.approve_apology(office_store, staff.leader, apology, now=late)
    processing.finish(office_store, staff.spec, d, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=datetime(2026, 12, 3, 9, 0))
    with office_store.reading() as s:
        data = slips.control_slip_data(s, d)
    # finished before the new date but after the legal one: still late
    assert [h.result for h in data.hand_overs] == ["Trước hạn", "Quá hạn"]


def test_timeliness_against_the_due_date() -> None:
    assert slips.timeliness(datetime(2026, 11, 30, 17, 0), DUE) == "Trước hạn"
    assert slips.timeliness(datetime(2026, 12, 1, 9, 30), DUE) == "Đúng hạn"
    assert slips.timeliness(datetime(2026, 12, 1, 7, 0), DUE) == "Đúng hạn"
    assert slips.timeliness(datetime(2026, 12, 1, 9, 31), DUE) == "Quá hạn"
    assert slips.timeliness(datetime(2026, 12, 1, 9, 31), None) == ""


def test_no_control_slip_without_a_reception(office_store, staff) -> None:
    refused = reception.refuse(office_store, staff.desk, reception_form(office_store),
                               "Hồ sơ không thuộc thẩm quyền của xã", now=NOW).dossier_id
    with office_store.reading() as s:
        for dossier_id in (refused, 987654):
            with pytest.raises(ValidationError) as err:
                slips.control_slip_data(s, dossier_id)
            assert "hồ sơ" in err.value.message_vi.lower()


# --------------------------------------------------------------------- Mẫu 04


def test_an_approved_apology_prints_as_mau_04(office_store, staff, tmp_path) -> None:
    d = receive(office_store, staff)
    processing.hand_over(office_store, staff.desk, d, staff.spec.officer_id, now=NOW)
    late = datetime(2026, 11, 30, 10, 0)
    apology = processing.propose_apology(office_store, staff.spec, d,
                                         "Chờ xác minh thông tin hộ tịch tại nơi cư trú cũ",
                                         datetime(2026, 12, 4, 16, 0), now=late)
    processing.approve_apology(office_store, staff.leader, apology, now=late + timedelta(hours=2))

    with office_store.reading() as s:
        data = processing.apology_data(s, apology)

    assert isinstance(data, ApologyData) and processing.ApologyData is ApologyData
    printed = pdf_text(write_pdf(data, tmp_path / "mau04.pdf"))
    for expected in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Xã Tân Phú, ngày 30 tháng 11 năm 2026",
        "Kính gửi Ông (Bà): Nguyễn Văn Đức",
        "Ngày 26 tháng 11 năm 2026, UBND xã Tân Phú tiếp nhận hồ sơ của Ông (Bà)",
        data.dossier_code,
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 01 tháng 12 năm 2026.",
        "Lý do: Chờ xác minh thông tin hộ tịch tại nơi cư trú cũ",
        "vào 16 giờ 00 phút, ngày 04 tháng 12 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN (Ký tên, đóng dấu) Đặng Quốc Bảo",
    ):
        assert expected in printed, expected


# --------------------------------------------------------------------- Mẫu 06


def test_tracking_book_of_a_period(office_store, staff, tmp_path) -> None:
    before = receive(office_store, staff, at=datetime(2026, 10, 30, 16, 0), name="Ngoài Kỳ Trước")
    returned = receive(office_store, staff, at=datetime(2026, 11, 2, 8, 0), name="Lê Văn Sơn",
                       phone="0987 000 111")
    processing.hand_over(office_store, staff.desk, returned, staff.spec.officer_id,
                         now=datetime(2026, 11, 2, 9, 0))
    processing.finish(office_store, staff.spec, returned, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=datetime(2026, 11, 4, 10, 0))
    processing.return_result(office_store, staff.desk, returned, receiver_name="Lê Văn Sơn",
                             receiver_id_number="001090123456", now=datetime(2026, 11, 5, 15, 0))
    waiting = receive(office_store, staff, at=datetime(2026, 11, 10, 9, 0), name="Hoàng Thị Tuyết")
    processing.hand_over(office_store, staff.desk, waiting, staff.spec.officer_id,
                         now=datetime(2026, 11, 10, 10, 0))
    processing.request_supplement(office_store, staff.spec, waiting, ["Tờ khai"],
                                  "Tờ khai ghi chưa đủ thông tin", now=datetime(2026, 11, 11, 9, 0))
    new = receive(office_store, staff, at=datetime(2026, 11, 30, 16, 30), name="Phan Đình Khải")
    after = receive(office_store, staff, at=datetime(2026, 12, 1, 7, 30), name="Ngoài Kỳ Sau")
    del before, after

    with office_store.reading() as s:
        book = tracking_book.tracking_book(s, date(2026, 11, 1), date(2026, 11, 30),
                                           now=datetime(2026, 12, 1, 8, 0))
        codes = {d: s.get_one(Dossier, d).code for d in (returned, waiting, new)}

    assert book.total == 3 and [r.dossier_code for r in book.rows] == [
        codes[returned], codes[waiting], codes[new]]
    r, w, n = book.rows
    assert (r.applicant_name, r.applicant_phone, r.sets_count) == ("Lê Văn Sơn", "0987000111", 1)
    assert r.procedure_name and r.received_by == "Trần Thị Thu Hà"
    assert (r.received_at, r.handed_over_at, r.finished_at, r.returned_at) == (
        datetime(2026, 11, 2, 8, 0), datetime(2026, 11, 2, 9, 0), datetime(2026, 11, 4, 10, 0),
        datetime(2026, 11, 5, 15, 0))
    assert (r.returned_by, r.returned_to) == ("Trần Thị Thu Hà", "Lê Văn Sơn")
    assert w.handed_over_at == datetime(2026, 11, 10, 10, 0) and w.finished_at is None
    assert w.note == "Yêu cầu bổ sung giấy tờ" and w.returned_at is None
    assert (n.handed_over_at, n.finished_at, n.returned_by) == (None, None, "")
    assert n.due_at is not None and n.due_at > n.received_at

    pdf = PdfReader(str(write_pdf(book, tmp_path / "so.pdf")))
    page = pdf.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    flat = re.sub(r"\s+", "", " ".join(p.extract_text() for p in pdf.pages))
    for code in codes.values():
        assert flat.count(code) == 1
    assert "NgoàiKỳ" not in flat
    assert "Từngày01/11/2026đếnngày30/11/2026—Tổngsố:3hồsơ" in flat

    path = tmp_path / "so.xlsx"
    with office_store.reading() as s:
        heading = tracking_book.export_xlsx(s, date(2026, 11, 1), date(2026, 11, 30), path)
    assert heading.total == 3 and heading.rows == ()
    ws = load_workbook(path).active
    assert [ws.cell(FIRST_ROW + i, 2).value for i in range(3)] == list(codes.values())
    assert ws.cell(FIRST_ROW, 10).value == datetime(2026, 11, 2)  # handed over, a real date
    assert ws.cell(FIRST_ROW + 3, 2).value is None


def test_a_period_too_long_to_print_is_refused_in_vietnamese(office_store, staff,
                                                            tmp_path) -> None:
    for day in (2, 3, 4):
        receive(office_store, staff, at=datetime(2026, 11, day, 9, 0))
    with office_store.reading() as s:
        assert tracking_book.count_received(s, date(2026, 11, 1), date(2026, 11, 30)) == 3
        with pytest.raises(tracking_book.PeriodTooLarge) as err:
            tracking_book.tracking_book(s, date(2026, 11, 1), date(2026, 11, 30), limit=2)
        assert err.value.count == 3 and err.value.limit == 2
        assert "có 3 hồ sơ" in err.value.message_vi
        assert "Hãy chọn khoảng thời gian ngắn hơn" in err.value.message_vi
        assert "Excel" in err.value.message_vi
        with pytest.raises(tracking_book.PeriodTooLarge):
            tracking_book.export_xlsx(s, date(2026, 11, 1), date(2026, 11, 30),
                                      tmp_path / "out" / "so.xlsx", limit=2)
        with pytest.raises(ValidationError) as reversed_period:
            tracking_book.tracking_book(s, date(2026, 11, 30), date(2026, 11, 1))
        assert "Ngày kết thúc" in reversed_period.value.errors["period"]
        empty = tracking_book.tracking_book(s, date(2026, 12, 1), date(2026, 12, 31))
    assert not (tmp_path / "out").exists()  # refused before anything was written
    assert empty.total == 0 and empty.rows == ()
    assert tracking_book.PDF_ROW_LIMIT == 2_000 and tracking_book.XLSX_ROW_LIMIT == 100_000


# --------------------------------------------------------------- a million dossiers

MILLION = 1_000_000
EVERY_SECONDS = 300  # one dossier every five minutes: 288 a day, 1,000,000 in 9.5 years
START = calendar.timegm(datetime(2017, 1, 1).timetuple())  # seconds, UTC as SQLite counts


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """1,000,000 dossiers, two progress rows each and a result return for every third."""
    store = open_store(DataPaths(tmp_path_factory.mktemp("million-book") / "data"))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        conn.execute(text("INSERT INTO fields (id, code, name) VALUES (1, 'HT', 'Hộ tịch')"))
        conn.execute(text(
            "INSERT INTO procedures (id, code, name, field_id, online_level, announced_by, "
            "applicants, source_url, unconfirmed_notes, active) "
            "VALUES (1, '1.001193', 'Thủ tục đăng ký khai sinh', 1, '3', '', '', '', '', 1)"))
        conn.execute(text(f"""
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {MILLION})
            INSERT INTO dossiers (id, uid, code, procedure_id, channel, status, applicant_kind,
                applicant_id_number, applicant_old_id, applicant_name, applicant_sex,
                applicant_address, applicant_phone, applicant_email, submitter_id_number,
                submitter_name, submitter_sex, submitter_address, submitter_phone,
                submitter_email, summary, note, reason, sets_count, received_at, due_at,
                return_by_post, fee_total, paid_online, state_secret, created_at, updated_at,
                version)
            SELECT x, printf('u%09d', x), printf('000.00.01.H56-X-%07d', x), 1, '1',
                CASE WHEN x % 3 = 0 THEN 10 ELSE 4 END, '1', '', '', 'Nguyễn Văn An', '',
                'Thôn 1, xã Tân Phú', '0912 345 678', '', '', '', '', '', '', '', '', '', '', 1,
                strftime('%Y-%m-%d %H:%M:%S.000000', {START} + x * {EVERY_SECONDS},
                         'unixepoch'),
                strftime('%Y-%m-%d %H:%M:%S.000000', {START} + x * {EVERY_SECONDS} + 259200,
                         'unixepoch'),
                0, 0, 0, 0, '2017-01-01 00:00:00.000000', '2017-01-01 00:00:00.000000', 1
            FROM n"""))
        for status, offset in ((2, 0), (4, 3600)):
            conn.execute(text(f"""
                INSERT INTO progress_rows (uid, dossier_id, officer_name, officer_title,
                    department, acted_at, content, status)
                SELECT printf('p{status}-%09d', id), id, 'Trần Thị Thu Hà', '', '',
                    strftime('%Y-%m-%d %H:%M:%S.000000',
                             CAST(strftime('%s', received_at) AS INTEGER) + {offset},
                             'unixepoch'),
                    'bước', {status}
                FROM dossiers"""))
        conn.execute(text("""
            INSERT INTO result_returns (dossier_id, returned_at, receiver_name,
                receiver_id_number, receiver_is_applicant, by_post)
            SELECT id, due_at, 'Nguyễn Văn An', '', 1, 0 FROM dossiers WHERE status = 10"""))
    yield store
    store.close()


@pytest.mark.slow
def test_a_week_of_a_million_dossier_office_is_read_in_bulk(million) -> None:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    start, end = date(2024, 3, 4), date(2024, 3, 10)  # 7 days: 2,016 dossiers
    event.listen(million.engine, "before_cursor_execute", count)
    try:
        with million.reading() as s:
            began = time.perf_counter()
            assert tracking_book.count_received(s, start, end) == 7 * 288
            with pytest.raises(tracking_book.PeriodTooLarge):
                tracking_book.tracking_book(s, start, end)  # over the PDF's 2,000
            statements.clear()
            book = tracking_book.tracking_book(s, start, end, limit=5_000)
            elapsed = time.perf_counter() - began
    finally:
        event.remove(million.engine, "before_cursor_execute", count)

    assert len(book.rows) == book.total == 7 * 288
    assert book.rows[0].received_at.date() == start and book.rows[-1].received_at.date() == end
    assert all(r.handed_over_at == r.received_at + timedelta(hours=1) for r in book.rows)
    assert sum(1 for r in book.rows if r.returned_to) == sum(
        1 for r in book.rows if int(r.dossier_code[-7:]) % 3 == 0)
    # no query per row: a count, two name lists, then 3 queries per batch of 500
    assert len(statements) <= 3 + 3 * (len(book.rows) // tracking_book.BATCH + 2), statements
    assert elapsed < 10, elapsed  # well under a second on a quiet machine


@pytest.mark.slow
def test_the_book_walks_the_reception_index(million) -> None:
    with million.reading() as s:
        began = time.perf_counter()
        year = tracking_book.count_received(s, date(2020, 1, 1), date(2020, 12, 31))
        counted = time.perf_counter() - began
        plan = " ".join(str(row[-1]) for row in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT id, code FROM dossiers WHERE received_at >= :a "
            "AND received_at < :b AND (received_at, id) > (:c, :d) "
            "ORDER BY received_at, id LIMIT 500"),
            {"a": "2020-01-01", "b": "2020-02-01", "c": "2020-01-05", "d": 5}))
        with pytest.raises(tracking_book.PeriodTooLarge) as err:
            tracking_book.export_xlsx(s, date(2017, 1, 1), date(2026, 12, 31), "/nonexistent.xlsx")
    assert year == 366 * 288
    assert counted < 5, counted
    assert "ix_dossiers_received" in plan and "TEMP B-TREE" not in plan, plan
    assert "quá nhiều cho một tệp Excel" in err.value.message_vi
