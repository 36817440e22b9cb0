"""Audit inspection on a real SQLite file: filters, keyset pages, labels, diffs, the chain check.

Every filtered page is compared with a plain Python computation over all the
audit rows, so the index plans chosen by services.inspection never change
what is found.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.domain.status import Status
from desktop.services import audit, auth, inspection, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.inspection import NO_OFFICER, EventKey
from desktop.services.validation import ValidationError
from desktop.store import migrate
from desktop.store.models import AuditEvent, Dossier, Officer, Procedure, Role

NOW = datetime(2026, 11, 26, 9, 30)  # a Thursday; 1.004873 (3 working days) is due Tue 1/12 09:30
LATE = datetime(2026, 11, 30, 10, 0)  # Mon: due Tue 09:30 < Mon 10:00 + 1 working day
EARLY = datetime(2026, 10, 5, 8, 15)
PASSWORD = "mat-khau-456"
SERVICES = Path(__file__).resolve().parents[2] / "desktop" / "services"


@dataclass
class Staff:
    admin: Actor
    desk: Actor
    spec: Actor
    leader: Actor


@dataclass
class History:
    staff: Staff
    first: int  # received early, handed over, finished, returned
    second: int  # received at NOW, handed over, apology proposed and approved
    third: int  # received at NOW, stopped
    first_code: str
    second_code: str
    apology_id: int


def _actor(officer: Officer, *roles: Role) -> Actor:
    return Actor(officer.id, officer.full_name, officer.title, officer.department, frozenset(roles))


@pytest.fixture
def staff(office_store, admin) -> Staff:
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)

        def make(username: str, name: str, *roles: Role, dept: str = "") -> Officer:
            return auth.create_officer(s, admin, username=username, full_name=name,
                                       password=PASSWORD, roles=list(roles),
                                       title="Công chức", department=dept, now=EARLY)

        desk = make("tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK, dept="Bộ phận một cửa")
        spec = make("tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST, dept="Tư pháp - Hộ tịch")
        leader = make("lanhdao", "Đặng Quốc Bảo", Role.LEADER, dept="Lãnh đạo UBND xã")
        return Staff(admin, _actor(desk, Role.FRONT_DESK), _actor(spec, Role.SPECIALIST),
                     _actor(leader, Role.LEADER))


def _form(store) -> reception.ReceptionForm:
    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    return reception.ReceptionForm(
        procedure_id=pid, components=lines,
        applicant=reception.PersonForm(
            id_number="001090123456", name="Nguyễn Văn Đức", birth_date=date(1990, 5, 17),
            sex="Nam", address="Thôn Phú Mỹ, xã Tân Phú, tỉnh Đồng Nai", phone="0912 345 678"))


@pytest.fixture
def history(office_store, staff) -> History:
    store = office_store
    first = reception.receive(store, staff.desk, _form(store), now=EARLY).dossier_id
    processing.hand_over(store, staff.desk, first, staff.spec.officer_id,
                         now=EARLY + timedelta(hours=1))
    processing.finish(store, staff.spec, first, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=EARLY + timedelta(days=1))
    processing.return_result(store, staff.desk, first, receiver_name="Nguyễn Văn Đức",
                             receiver_id_number="001090123456", now=EARLY + timedelta(days=2))
    second = reception.receive(store, staff.desk, _form(store), now=NOW).dossier_id
    processing.hand_over(store, staff.desk, second, staff.spec.officer_id,
                         now=NOW + timedelta(minutes=5))
    apology_id = processing.propose_apology(
        store, staff.spec, second, "Chờ xác minh thông tin hộ tịch tại nơi cư trú trước đây",
        datetime(2026, 12, 4, 16, 0), now=LATE)
    processing.approve_apology(store, staff.leader, apology_id, now=LATE + timedelta(hours=1))
    third = reception.receive(store, staff.desk, _form(store), now=NOW).dossier_id
    processing.hand_over(store, staff.desk, third, staff.spec.officer_id, now=NOW)
    processing.stop(store, staff.spec, third, "Chờ kết quả xác minh của Công an xã", now=NOW)
    with store.transaction() as s:
        auth.login(s, "tuphap", PASSWORD, now=LATE)
        auth.update_officer(s, staff.admin, staff.spec.officer_id, full_name="Phạm Thị Ngọc Lan",
                            title="Công chức Tư pháp - Hộ tịch", department="Tư pháp - Hộ tịch",
                            roles=[Role.SPECIALIST, Role.LEADER], active=True)
    with store.reading() as s:
        codes = {r[0]: r[1] for r in s.execute(select(Dossier.id, Dossier.code))}
    return History(staff, first, second, third, codes[first], codes[second], apology_id)


def all_rows(store) -> list[AuditEvent]:
    """Every audit row, newest first by (at, id): the reference for every query."""
    with store.reading() as s:
        rows = s.execute(select(AuditEvent)).scalars().all()
        s.expunge_all()
    return sorted(rows, key=lambda r: (r.at, r.id), reverse=True)


def ids(entries) -> list[int]:  # noqa: ANN001
    return [e.id for e in entries]


def query(store, **filters) -> list[inspection.AuditEntry]:  # noqa: ANN003
    with store.reading() as s:
        return inspection.events(s, limit=10_000, **filters)


# ------------------------------------------------------------------------------- filters


def test_no_filter_lists_every_event_newest_first(office_store, history) -> None:
    reference = all_rows(office_store)
    assert ids(query(office_store)) == [r.id for r in reference]


def test_filter_by_officer_shows_only_their_events(office_store, history) -> None:
    reference = all_rows(office_store)
    for actor in (history.staff.desk, history.staff.spec, history.staff.leader):
        found = query(office_store, officer_id=actor.officer_id)
        assert found and ids(found) == [r.id for r in reference if r.actor_id == actor.officer_id]
        assert {e.actor_id for e in found} == {actor.officer_id}
    # The events of no officer: the office's setup.
    system = query(office_store, officer_id=NO_OFFICER)
    assert system and ids(system) == [r.id for r in reference if r.actor_id is None]


def test_filter_by_period_includes_both_days(office_store, history) -> None:
    reference = all_rows(office_store)
    found = query(office_store, start=date(2026, 10, 5), end=date(2026, 10, 6))
    expected = [r.id for r in reference if date(2026, 10, 5) <= r.at.date() <= date(2026, 10, 6)]
    assert ids(found) == expected and len(expected) >= 3
    assert ids(query(office_store, start=date(2026, 10, 7))) == [
        r.id for r in reference if r.at.date() >= date(2026, 10, 7)]
    assert ids(query(office_store, end=date(2026, 10, 4))) == [
        r.id for r in reference if r.at.date() <= date(2026, 10, 4)]
    # A datetime end is exclusive.
    assert ids(query(office_store, start=NOW, end=NOW + timedelta(minutes=5))) == [
        r.id for r in reference if NOW <= r.at < NOW + timedelta(minutes=5)]


def test_filter_by_dossier_code_finds_its_events_and_its_apology(office_store, history) -> None:
    found = query(office_store, dossier=history.second_code)
    actions = [e.action for e in reversed(found)]
    assert actions == ["dossier.received", "dossier.processing", "apology.propose",
                       "apology.approve"]
    assert {e.dossier_code for e in found} == {history.second_code}
    # The same by dossier id, by a code typed in lower case, with spaces around.
    assert ids(query(office_store, dossier=history.second)) == ids(found)
    assert ids(query(office_store, dossier=f"  {history.second_code.lower()} ")) == ids(found)
    # Combined with the other filters.
    by_leader = query(office_store, dossier=history.second_code,
                      officer_id=history.staff.leader.officer_id)
    assert [e.action for e in by_leader] == ["apology.approve"]
    assert query(office_store, dossier=history.second_code, action="dossier.processing",
                 end=date(2026, 11, 25)) == []
    with pytest.raises(ValidationError) as err:
        query(office_store, dossier="000.00.01.H56-990101-0001")
    assert "Không tìm thấy hồ sơ" in err.value.errors["dossier"]


def test_filter_by_action(office_store, history) -> None:
    reference = all_rows(office_store)
    found = query(office_store, action="dossier.processing")
    assert ids(found) == [r.id for r in reference if r.action == "dossier.processing"]
    assert len(found) == 3
    assert {e.action_label for e in found} == {"Chuyển hồ sơ sang đang xử lý"}


def test_officer_and_action_together_whichever_index_drives(office_store, history,
                                                            monkeypatch) -> None:
    reference = all_rows(office_store)
    spec, desk = history.staff.spec.officer_id, history.staff.desk.officer_id
    for cap in (1, 20_000):  # ties and a real count: both index choices
        monkeypatch.setattr(inspection, "PROBE_CAP", cap)
        for officer, action in ((spec, "dossier.processed"), (desk, "dossier.processing"),
                                (desk, "dossier.stopped"), (NO_OFFICER, "office.create")):
            found = query(office_store, officer_id=officer, action=action)
            assert ids(found) == [
                r.id for r in reference if r.action == action
                and r.actor_id == (None if officer == NO_OFFICER else officer)]


# ---------------------------------------------------------------------------- keyset pages


def test_keyset_pages_cover_every_event_once_even_with_equal_times(office_store, history,
                                                                   admin) -> None:
    tie = datetime(2026, 11, 10, 14, 0)
    with office_store.transaction() as s:
        for i in range(7):  # seven events at the very same instant
            audit.record(s, admin, "office.update", "office", 1, before={"phone": str(i)},
                         after={"phone": str(i + 1)}, at=tie)
    reference = all_rows(office_store)
    for filters in ({}, {"officer_id": admin.officer_id}, {"action": "office.update"},
                    {"start": date(2026, 11, 1), "end": date(2026, 11, 30)},
                    {"dossier": history.second_code}):
        expected = ids(query(office_store, **filters))
        seen: list[int] = []
        after: EventKey | None = None
        with office_store.reading() as s:
            while True:
                page = inspection.events(s, after=after, limit=3, **filters)
                seen += ids(page)
                if len(page) < 3:
                    break
                after = inspection.key_of(page[-1])
        assert seen == expected, filters
    assert len(set(seen)) == len(seen)
    assert [r.id for r in reference if r.at == tie] == sorted(
        [r.id for r in reference if r.at == tie], reverse=True)


def test_the_page_query_walks_an_index_in_order(office_store, history) -> None:
    """No full scan and no sort for any single filter (the plans of migration 0006)."""
    captured: list[str] = []
    with office_store.reading() as s:
        original = s.execute

        def spy(statement, params=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            sql = str(statement)
            if sql.startswith("SELECT id, at"):
                captured.append(sql)
                plan = [row[3] for row in original(text("EXPLAIN QUERY PLAN " + sql), params)]
                assert not any("TEMP B-TREE" in p for p in plan), plan
                assert all("USING" in p for p in plan if p.startswith("SCAN")), plan
            return original(statement, params, *args, **kwargs)

        s.execute = spy  # type: ignore[method-assign]
        spec = history.staff.spec.officer_id
        after = EventKey(datetime(2026, 12, 31), 10**9)
        for filters in ({}, {"officer_id": spec}, {"action": "dossier.processing"},
                        {"officer_id": NO_OFFICER}, {"start": date(2026, 11, 1)},
                        {"officer_id": spec, "action": "dossier.processing"}):
            inspection.events(s, **filters)
            inspection.events(s, after=after, **filters)
    indexes = " ".join(captured)
    for name in ("ix_audit_events_at", "ix_audit_events_actor_at", "ix_audit_events_action_at"):
        assert f"INDEXED BY {name}" in indexes


# -------------------------------------------------------------------------------- diffs


def test_a_transition_shows_what_changed_with_vietnamese_labels(office_store, history) -> None:
    found = query(office_store, dossier=history.first_code, action="dossier.processing")
    assert len(found) == 1
    entry = found[0]
    assert entry.action_label == "Chuyển hồ sơ sang đang xử lý"
    assert entry.entity_label == f"Hồ sơ {history.first_code}"
    assert entry.actor_name == "Trần Thị Thu Hà"
    changes = {c.field: (c.label, c.before, c.after) for c in entry.changes}
    assert changes["status"] == ("Trạng thái", Status.RECEIVED.label, Status.PROCESSING.label)
    assert changes["assignee_id"] == ("Cán bộ xử lý", "", "Phạm Thị Ngọc Lan")
    assert changes["version"] == ("Phiên bản", "1", "2")
    assert set(changes) == {"status", "assignee_id", "version"}
    # Every other field is listed as unchanged, the applicant's name among them.
    unchanged = {c.field: c for c in entry.fields if not c.changed}
    assert unchanged["applicant_name"].before == unchanged["applicant_name"].after == "Nguyễn Văn Đức"
    assert unchanged["applicant_birth_date"].after == "17/05/1990"
    assert unchanged["procedure_id"].after == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert unchanged["channel"].after == "Trực tiếp"
    assert unchanged["received_at"].after == "05/10/2026 08:15"
    assert entry.fields[0].field == "code"  # a dossier's fields in a reading order
    assert entry.summary.startswith("Trạng thái: Được tiếp nhận → Đang xử lý; Cán bộ xử lý: "
                                    "Phạm Thị Ngọc Lan")


def test_creation_apology_and_officer_diffs(office_store, history) -> None:
    [created] = query(office_store, dossier=history.first_code, action="dossier.received")
    assert all(c.before == "" for c in created.fields)
    assert {c.field for c in created.changes} >= {"status", "code", "applicant_name", "due_at"}
    assert created.summary.startswith("Trạng thái: Được tiếp nhận; Ngày hẹn trả: ")
    assert "và" not in created.summary

    [approved] = query(office_store, action="apology.approve")
    assert approved.dossier_code == history.second_code
    [due] = [c for c in approved.changes if c.field.rsplit(".", 1)[-1] == "due_at"]
    assert due.label.endswith("Ngày hẹn trả") and due.after == "04/12/2026 16:00"
    assert due.before == "01/12/2026 09:30"
    [proposed] = query(office_store, action="apology.propose")
    assert proposed.entity_label == f"Phiếu xin lỗi #{history.apology_id} (hồ sơ {history.second_code})"
    assert proposed.dossier_code == history.second_code

    [updated] = query(office_store, action="officer.update")
    assert updated.entity_label == "Cán bộ Phạm Thị Ngọc Lan"
    changes = {c.field: (c.before, c.after) for c in updated.changes}
    assert changes == {"title": ("Công chức", "Công chức Tư pháp - Hộ tịch"),
                       "roles": ("Chuyên viên xử lý", "Lãnh đạo, Chuyên viên xử lý")}
    [login] = query(office_store, action="login.success")
    assert login.fields == () and login.summary == "" and login.action_label == "Đăng nhập"


def test_diff_of_plain_values() -> None:
    changes = inspection.diff({"status": 5, "paid_online": False, "fee_total": 50000,
                               "note": None, "missing": ["Tờ khai", "Giấy xác nhận cư trú"]},
                              {"status": 4, "paid_online": True, "fee_total": 50000, "note": "",
                               "missing": []})
    by_field = {c.field: c for c in changes}
    assert (by_field["status"].before, by_field["status"].after) == (
        "Yêu cầu bổ sung giấy tờ", "Đang xử lý")
    assert (by_field["paid_online"].before, by_field["paid_online"].after) == ("Không", "Có")
    assert by_field["fee_total"].after == "50.000 đ" and not by_field["fee_total"].changed
    assert not by_field["note"].changed  # None and "" are both empty
    assert by_field["missing"].before == "Tờ khai, Giấy xác nhận cư trú"
    assert by_field["missing"].changed
    assert inspection.field_label("by_status.4") == "Theo trạng thái › Đang xử lý"
    assert inspection.field_label("name", "calendar") == "Tên ngày, lý do"


# ------------------------------------------------------------------------------- labels


def _recorded_action_names() -> set[str]:
    """The action names the services pass to audit.record, read from their source.

    A literal is taken as it is; a variable must be assigned literals in the same
    function, except in services.dossiers, which records "dossier.<status>" and the
    names its callers pass as `action=`.
    """
    names: set[str] = set()
    forwarded = False
    for path in sorted(SERVICES.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "record" and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "audit"):
                    continue
                arg = call.args[2]
                if isinstance(arg, ast.Constant):
                    names.add(arg.value)
                    continue
                assert isinstance(arg, ast.Name), (path.name, ast.unparse(call))
                assigned = [node.value.value for node in ast.walk(func)
                            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                            and any(isinstance(t, ast.Name) and t.id == arg.id
                                    for t in node.targets)]
                if assigned:
                    names.update(assigned)
                else:
                    assert (path.name, func.name) == ("dossiers.py", "_publish"), (
                        f"{path.name}: {func.name} records an action read from a variable; "
                        "teach this test (and ACTION_LABELS_VI) its names")
                    names.update(f"dossier.{s.name.lower()}" for s in Status)
                    forwarded = True
        # services.dossiers records what its callers name: dossiers.update(..., action="…").
        for call in ast.walk(tree):
            if isinstance(call, ast.Call):
                names.update(k.value.value for k in call.keywords
                             if k.arg == "action" and isinstance(k.value, ast.Constant))
    assert forwarded, "services.dossiers no longer records through _publish: update this test"
    return names


def test_every_action_the_services_record_has_a_vietnamese_label() -> None:
    names = _recorded_action_names()
    assert {"login.failed", "login.locked", "dossier.received", "demo.create"} <= names
    missing = sorted(names - set(inspection.ACTION_LABELS_VI))
    assert missing == [], f"add Vietnamese labels for {missing} to ACTION_LABELS_VI"
    # (Labels of actions no longer recorded stay: old events keep their names.)


def test_recorded_actions_all_have_labels_and_unknown_ones_fall_back(office_store, history,
                                                                     admin) -> None:
    with office_store.transaction() as s:
        audit.record(s, admin, "test.something_new", "thing", 7, after={"x": 1})
    with office_store.reading() as s:
        recorded = set(s.execute(select(AuditEvent.action)).scalars())
        choices = inspection.action_choices(s)
    assert recorded - {"test.something_new"} <= set(inspection.ACTION_LABELS_VI)
    [new] = query(office_store, action="test.something_new")
    assert new.action_label == "test.something_new"
    assert new.entity_label == "thing 7"
    assert inspection.action_label("login.success") == "Đăng nhập"
    names = [c.name for c in choices]
    assert names[:len(inspection.ACTION_LABELS_VI)] == list(inspection.ACTION_LABELS_VI)
    assert names[-1] == "test.something_new" and choices[-1].label == "test.something_new"
    assert {c.group for c in choices if c.name.startswith("dossier.")} == {"Hồ sơ"}


def test_officers_for_filter_lists_every_officer(office_store, history) -> None:
    with office_store.transaction() as s:
        gone = auth.create_officer(s, history.staff.admin, username="nghiviec",
                                   full_name="Lê Văn Cũ", password=PASSWORD,
                                   roles=[Role.SPECIALIST])
        gone.active = False
    with office_store.reading() as s:
        choices = inspection.officers_for_filter(s)
    assert [c.name for c in choices] == [
        "Đặng Quốc Bảo", "Nguyễn Thị Hồng Nhung", "Phạm Thị Ngọc Lan", "Trần Thị Thu Hà",
        "Lê Văn Cũ"]
    assert choices[-1].active is False and choices[-1].username == "nghiviec"


def test_one_event_by_id(office_store, history) -> None:
    newest = all_rows(office_store)[0]
    with office_store.reading() as s:
        entry = inspection.event(s, newest.id)
        assert inspection.event(s, 10**9) is None
    assert entry is not None and entry.id == newest.id and entry.action == newest.action


# ------------------------------------------------------------------------- the chain check


def test_scan_chain_reports_an_intact_chain_with_progress(office_store, history) -> None:
    seen: list[tuple[int, int]] = []
    with office_store.reading() as s:
        count = len(all_rows(office_store))
        report = audit.scan_chain(s, progress=lambda done, top: seen.append((done, top)))
    assert report.ok and report.rows == count
    assert report.message_vi == f"Chuỗi nhật ký toàn vẹn ({count} dòng)"
    assert seen and seen[-1][0] == seen[-1][1]


def test_scan_chain_finds_changed_and_deleted_rows_and_can_be_cancelled(office_store, history,
                                                                        monkeypatch) -> None:
    rows = sorted(all_rows(office_store), key=lambda r: r.id)
    changed, deleted = rows[5].id, rows[9].id
    with office_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor_name = 'Người khác' WHERE id = :id"),
                     {"id": changed})
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": deleted})
    monkeypatch.setattr(audit, "SCAN_BATCH", 4)
    with office_store.reading() as s:
        report = audit.scan_chain(s)
        assert audit.verify_chain(s) == list(report.problems)
        with pytest.raises(audit.ChainCheckCancelled):
            audit.scan_chain(s, cancelled=lambda: True)
        capped = audit.scan_chain(s, max_problems=1)
    assert not report.ok and report.rows == len(rows) - 1
    assert [(p.event_id, p.message_vi) for p in report.problems] == [
        (changed, f"Nhật ký #{changed}: nội dung đã bị sửa."),
        (deleted + 1, f"Nhật ký #{deleted + 1}: dòng liền trước đã bị xóa hoặc chèn thêm.")]
    assert report.message_vi == f"Chuỗi nhật ký bị phá vỡ: 2 vấn đề trong {len(rows) - 1} dòng"
    assert capped.problem_count == 2 and len(capped.problems) == 1


def test_scan_chain_reads_times_as_a_typed_read_would(office_store, history) -> None:
    """The check reads the driver's text for speed; a time written in another form that
    means the same instant still verifies, a different instant does not."""
    rows = sorted(all_rows(office_store), key=lambda r: r.id)
    same, moved = [r for r in rows if r.at.microsecond == 0][:2]
    with office_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET at = :at WHERE id = :id"),
                     {"at": same.at.strftime("%Y-%m-%d %H:%M:%S"), "id": same.id})
        conn.execute(text("UPDATE audit_events SET at = :at WHERE id = :id"),
                     {"at": (moved.at + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                      "id": moved.id})
    with office_store.reading() as s:
        report = audit.scan_chain(s)
    assert [p.event_id for p in report.problems] == [moved.id]


def test_chain_queries_read_by_rowid_even_with_stale_statistics(office_store, history) -> None:
    """The demo's sampled ANALYZE leaves statistics that call the audit table tiny; with
    them SQLite was seen (on three million rows) to sort an index for the newest hash.
    The chain's statements name no index (NOT INDEXED): they read by rowid, never sort."""
    with office_store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        conn.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'audit_events'"))
        conn.execute(text("INSERT INTO sqlite_stat1 VALUES ('audit_events', "
                          "'ix_audit_events_at', '11 11'), ('audit_events', "
                          "'sqlite_autoindex_audit_events_1', '11 1')"))
    with office_store.engine.connect() as conn:
        for sql in (audit._LAST_HASH, "SELECT max(id) FROM audit_events NOT INDEXED",
                    "SELECT id FROM audit_events NOT INDEXED ORDER BY id"):
            plan = [r[3] for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql))]
            assert not any("INDEX" in p or "B-TREE" in p for p in plan), (sql, plan)
    with office_store.transaction() as s:
        audit.record(s, history.staff.admin, "office.update", "office", 1, after={"phone": "1"})
    with office_store.reading() as s:
        assert audit.scan_chain(s).ok


# ----------------------------------------------------------------------------- migration


def _audit_indexes(engine) -> dict[str, list[str]]:  # noqa: ANN001
    with engine.connect() as conn:
        names = [r[1] for r in conn.execute(text("PRAGMA index_list(audit_events)"))]
        return {n: [r[2] for r in conn.execute(text(f"PRAGMA index_info({n})"))] for n in names}


def test_migration_0006_adds_the_audit_indexes_to_an_older_database(data_paths) -> None:
    from alembic import command

    from desktop.store.database import open_store
    from desktop.store.engine import APPLICATION_ID, make_engine

    assert "0006" in migrate.REVISIONS
    data_paths.root.mkdir(parents=True)
    engine = make_engine(data_paths.database)
    config = migrate.alembic_config(engine)
    try:
        command.upgrade(config, "0005")
        with engine.begin() as conn:
            conn.execute(text(f"PRAGMA application_id = {APPLICATION_ID}"))
            conn.execute(text(
                "INSERT INTO audit_events (at, actor_id, actor_name, action, entity, entity_id, "
                "prev_hash, hash) VALUES ('2026-11-01 08:00:00.000000', NULL, 'setup', "
                "'office.create', 'office', '1', :g, :h)"), {"g": audit.GENESIS, "h": "a" * 64})
        # 0006 on its own, and back.
        command.upgrade(config, "0006")
        columns = _audit_indexes(engine)
        assert columns["ix_audit_events_actor_at"] == ["actor_id", "at"]
        assert columns["ix_audit_events_action_at"] == ["action", "at"]
        assert columns["ix_audit_events_entity"] == ["entity", "entity_id", "at"]
        command.downgrade(config, "0005")
        columns = _audit_indexes(engine)
        assert "ix_audit_events_actor_at" not in columns and "ix_audit_events_at" in columns
    finally:
        engine.dispose()
    # As at a real start: a backup, then every pending migration.
    store = open_store(data_paths)
    try:
        assert store.migrated_from == "0005"
        assert {"ix_audit_events_actor_at", "ix_audit_events_action_at",
                "ix_audit_events_entity"} <= set(_audit_indexes(store.engine))
        with store.reading() as s:
            [row] = inspection.events(s, action="office.create")
        assert row.actor_name == "setup" and row.entity_label == "Thông tin cơ quan"
    finally:
        store.close()


def test_no_citizen_data_in_the_log_file(office_store, history, caplog) -> None:
    """The queries log nothing: what the audit holds stays on the screen."""
    caplog.set_level("DEBUG")
    query(office_store, dossier=history.first_code)
    with office_store.reading() as s:
        audit.scan_chain(s)
    assert "Nguyễn Văn Đức" not in caplog.text and "001090123456" not in caplog.text
    assert json.dumps("Nguyễn Văn Đức", ensure_ascii=False) not in caplog.text
