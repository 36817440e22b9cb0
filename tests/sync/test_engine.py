"""The sync engine against the real reference server on 127.0.0.1 and a real SQLite store:
push in order, repeats after lost answers, conflicts, pull exactly once, integrity repair,
files with resume, per-officer outboxes on a shared PC, credentials only in the keyring,
TLS verified."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import keyring
import pytest
import uvicorn
from keyring.backends import fail
from sqlalchemy import func, select, update

from desktop.paths import DataPaths
from desktop.services import processing, settings
from desktop.store.database import open_store
from desktop.store.models import (
    AuditEvent,
    Dossier,
    NumberBlock,
    OutboxItem,
    OutboxState,
    ProgressRow,
    SyncConflict,
    SyncFile,
)
from sync import queue
from sync.client import (
    KEYRING_SERVICE,
    AuthRequired,
    Keychain,
    KeyringUnavailable,
    SyncClient,
)
from sync.protocol import API_PREFIX, DossierSnapshot, FileStart
from sync.server import create_app
from sync.server import models as m
from sync.server.province import add_status_change, create_online_dossiers
from tests.sync.desk_support import (
    Desk,
    assert_converged,
    local_side,
    make_desk,
    officer_id,
    outbox_states,
    server_side,
)
from tests.sync.support import PASSWORD, free_socket


class LosesAnswers(httpx.HTTPTransport):
    """A real transport whose line breaks after the server answered (the answer is lost)."""

    def __init__(self, lose: int, path: str = "/changes") -> None:
        super().__init__()
        self.lose = lose
        self.path = path

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.lose and request.url.path.endswith(self.path):
            response.read()
            response.close()
            self.lose -= 1
            raise httpx.ReadError("connection reset after the answer", request=request)
        return response


# ------------------------------------------------------------------------------ push


def test_push_converges_in_order_and_a_second_round_does_nothing(desk, province) -> None:
    a = desk.receive()
    desk.hand_over(a)
    desk.receive()
    report = desk.engine().run_round()
    assert report.state == "ok", report.summary_vi()
    assert report.pushed == 3 and report.integrity_ok is True and report.ok
    assert "Đồng bộ xong" in report.summary_vi() and "khớp" in report.summary_vi()
    local = assert_converged(desk.store, province.store, desk.agency)
    assert sorted(s for _v, s in local.dossiers.values()) == [2, 4]
    with province.store.read() as s:
        kinds = s.execute(select(m.Push.kind).order_by(m.Push.received_at)).scalars().all()
    assert kinds.count("dossier.processing") == 1
    again = desk.engine().run_round()
    assert again.ok and again.pushed == 0 and again.pulled == 0


def test_a_lost_answer_is_repeated_without_duplicating(desk, province) -> None:
    d = desk.receive()
    desk.hand_over(d)
    lossy = desk.client(transport=LosesAnswers(lose=1))
    first = desk.engine(lossy, max_network_errors=5).run_round()
    # The first change reached the province but its answer was lost: failed, retried later.
    with desk.store.reading() as s:
        items = s.execute(select(OutboxItem).order_by(OutboxItem.id)).scalars().all()
        assert [i.state for i in items] == ["failed", "pending"]
        assert items[0].attempts == 1 and items[0].next_attempt_at is not None
        assert "máy chủ" in items[0].last_error
    assert first.waiting == 2 and not first.ok
    later = desk.engine(lossy, clock=lambda: datetime.now() + timedelta(minutes=11)).run_round()
    assert later.ok, later.summary_vi()
    assert_converged(desk.store, province.store, desk.agency)
    with province.store.read() as s:
        uids = s.execute(select(m.Push.uid).where(m.Push.dossier_uid == local_uid(desk, d))
                         ).scalars().all()
    assert len(uids) == len(set(uids)) == 2


def test_an_item_left_in_flight_by_a_killed_process_is_sent_once(desk, province) -> None:
    d = desk.receive()
    desk.engine().run_round()
    desk.hand_over(d)
    with desk.store.transaction() as s:  # as a process killed after claiming it would leave it
        s.execute(update(OutboxItem).where(OutboxItem.state == "pending")
                  .values(state=OutboxState.IN_FLIGHT))
    engine = desk.engine()
    assert engine.recovered == 1
    assert engine.run_round().ok
    assert_converged(desk.store, province.store, desk.agency)


def test_back_off_grows_with_jitter_and_is_capped(desk) -> None:
    engine = desk.engine(backoff_base=5, backoff_cap=600)
    delays = [engine.backoff(n).total_seconds() for n in range(1, 12)]
    assert 2.5 <= delays[0] <= 5 and 5 <= delays[1] <= 10 and 10 <= delays[2] <= 20
    assert all(300 <= d <= 600 for d in delays[8:])


def test_offline_round_ends_quickly_and_keeps_everything(desk, province) -> None:
    desk.receive()
    sock = free_socket()  # bound, never listening: connections are refused
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        started = datetime.now()
        report = desk.engine(desk.client(base_url=url)).run_round()
    finally:
        sock.close()
    assert report.state == "offline" and report.waiting == 1 and not report.ok
    assert (datetime.now() - started).total_seconds() < 5
    assert "Không kết nối được" in report.summary_vi()
    assert outbox_states(desk.store) == {"pending": 1}


# -------------------------------------------------------------------------- conflicts


def test_a_province_status_change_wins_and_the_desk_changes_are_listed(desk, province) -> None:
    d = desk.receive()
    assert desk.engine().run_round().ok
    uid = local_uid(desk, d)
    add_status_change(province.store, desk.agency, uid, 7,
                      reason="Công dân rút hồ sơ trên Cổng Dịch vụ công")
    # Meanwhile, offline, the desk hands the dossier over and the specialist asks for papers.
    desk.hand_over(d)
    processing.request_supplement(desk.store, desk.specialist, d, ["Bản sao giấy khai sinh"],
                                  "Thiếu giấy khai sinh của người con")
    report = desk.engine().run_round()
    assert report.state == "ok" and report.new_conflicts == 1 and report.open_conflicts == 1
    assert not report.waiting and "xung đột" in report.summary_vi()
    with desk.store.reading() as s:
        dossier = s.get_one(Dossier, d)
        assert (dossier.status, dossier.version) == (7, 2)  # the province's
        items = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d)
                          .order_by(OutboxItem.id)).scalars().all()
        # Nothing dropped: both desk changes are still there, refused, with the reason.
        assert [i.state for i in items] == ["sent", "conflict", "conflict"]
        assert "Công dân yêu cầu rút hồ sơ" in items[1].last_error
        assert "Công dân yêu cầu rút hồ sơ" in items[2].last_error
        # The desk's own history stays; the province's step is added.
        contents = s.execute(select(ProgressRow.content).where(ProgressRow.dossier_id == d)
                             ).scalars().all()
        assert any(c.startswith("Chuyển xử lý") for c in contents)
        assert any(c.startswith("Yêu cầu bổ sung") for c in contents)
        assert any("rút hồ sơ" in c for c in contents)
        actors = s.execute(select(AuditEvent.actor_name).where(
            AuditEvent.action == "sync.province_status")).scalars().all()
        assert actors == ["province"]
        conflicts = queue.list_conflicts(s)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.kind == "conflict" and "Không gửi 2 thay đổi" in c.message
    assert c.server_data["record"]["dossier"]["status"] == 7
    assert [x["kind"] for x in c.local_data["changes"]] == [
        "dossier.processing", "dossier.supplement_requested"]
    assert c.local_data["dossier"]["status"] == 5
    # The server kept the province's state; the officer resolves and acts on it anew.
    assert server_side(province.store, desk.agency).dossiers[uid] == (2, 7)
    with desk.store.transaction() as s:
        queue.resolve_conflict(s, desk.clerk, c.id)
        assert not queue.retry_item(s, desk.clerk, items[1].id)  # a conflict is never re-sent
    final = desk.engine().run_round()
    assert final.ok and final.open_conflicts == 0 and final.integrity_ok


def test_a_refused_change_holds_the_dossier_until_resolved(desk, province) -> None:
    d = desk.receive()
    with desk.store.reading() as s:
        code = s.get_one(Dossier, d).code
    # Another dossier of the office already carries that code at the province.
    snap = DossierSnapshot(uid="khac-1", code=code, status=2, version=1)
    with province.client() as c:
        token = c.post(f"{API_PREFIX}/auth/login", json={
            "agency_code": desk.agency, "username": "tiepnhan1", "password": PASSWORD}).json()
        c.headers["Authorization"] = f"Bearer {token['access_token']}"
        r = c.post(f"{API_PREFIX}/changes", json={
            "uid": "khac-change-1", "kind": "dossier.received", "dossier_uid": "khac-1",
            "payload": {"dossier": snap.model_dump(mode="json")}})
        assert r.status_code == 200, r.text
    desk.hand_over(d)
    report = desk.engine().run_round()
    assert report.new_conflicts == 1
    with desk.store.reading() as s:
        states = s.execute(select(OutboxItem.state).where(OutboxItem.dossier_id == d)
                           .order_by(OutboxItem.id)).scalars().all()
        (conflict,) = queue.list_conflicts(s)
        items = queue.list_items(s)
    assert states == ["conflict", "pending"]  # the later change is held, not dropped
    assert conflict.kind == "refused" and conflict.blocking and code in conflict.message
    assert [i.can_retry for i in items] == [False, True]  # newest first: pending, refused
    again = desk.engine().run_round()
    assert outbox_states(desk.store) == {"conflict": 1, "pending": 1} and not again.ok
    with desk.store.transaction() as s:
        queue.resolve_conflict(s, desk.clerk, conflict.id)
    desk.engine().run_round()
    with desk.store.reading() as s:
        # Released, the later change went up and was refused in turn (same code): listed too.
        assert len(queue.list_conflicts(s)) == 1
        assert s.execute(select(func.count()).select_from(SyncConflict)).scalar_one() == 2


# ------------------------------------------------------------------------------- pull


def test_pull_applies_online_dossiers_and_province_changes_exactly_once(desk, province) -> None:
    uids = create_online_dossiers(province.store, desk.agency, 3, seed=7)
    add_status_change(province.store, desk.agency, uids[0], 7)
    report = desk.engine().run_round()
    assert report.ok, report.summary_vi()
    assert (report.online_new, report.province_changes, report.pulled) == (3, 1, 4)
    local = assert_converged(desk.store, province.store, desk.agency)
    assert {u: local.dossiers[u][1] for u in uids} == {uids[0]: 7, uids[1]: 1, uids[2]: 1}
    with desk.store.reading() as s:
        assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == 0
        online = s.execute(select(Dossier).where(Dossier.uid == uids[1])).scalar_one()
        assert online.channel == "2" and online.code is None and online.components
        events = s.execute(select(AuditEvent.action, AuditEvent.actor_name).where(
            AuditEvent.action.like("sync.%"), AuditEvent.action != "sync.file_download")).all()
        assert sorted(events) == sorted([("sync.online_dossier", "province")] * 3
                                        + [("sync.province_status", "province")])
        downloads = s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "sync.file_download")).scalar_one()
        assert downloads == report.files_downloaded > 0  # the citizens' uploaded papers
        cursor = settings.get(s, "sync.cursor")
    before = local_side(desk.store)
    assert desk.engine().run_round().pulled == 0
    # Pulling everything again (a lost cursor) changes nothing: each item applies once.
    with desk.store.transaction() as s:
        settings.put(s, "sync.cursor", 0)
    repeat = desk.engine().run_round()
    assert repeat.pulled == 4 and repeat.online_new == 0 and repeat.province_changes == 0
    assert local_side(desk.store) == before
    with desk.store.reading() as s:
        assert settings.get(s, "sync.cursor") == cursor
    # The desk receives an online dossier: it goes up on top of the province's version.
    from desktop.services import reception

    with desk.store.reading() as s:
        online_id = s.execute(select(Dossier.id).where(Dossier.uid == uids[1])).scalar_one()
    reception.receive_online(desk.store, desk.clerk, online_id)
    assert desk.engine().run_round().ok
    assert server_side(province.store, desk.agency).dossiers[uids[1]] == (2, 2)


def test_an_unknown_procedure_is_listed_not_dropped(desk, province) -> None:
    from desktop.store.models import Procedure

    uid = create_online_dossiers(province.store, desk.agency, 1, seed=3)[0]
    with province.store.write() as s:
        code = s.execute(select(m.Dossier.procedure_code).where(m.Dossier.uid == uid)
                         ).scalar_one()
        # Neither the desk's catalogue nor the province's published list has it (yet).
        row = s.get_one(m.Procedure, code)
        saved = {"code": row.code, "position": row.position, "name": row.name,
                 "field": row.field, "record": row.record}
        s.delete(row)
        s.execute(update(m.Meta).where(m.Meta.key == "catalogue_version").values(value="v-x"))
    with desk.store.transaction() as s:
        s.execute(update(Procedure).where(Procedure.code == code).values(code=code + "-cu"))
    try:
        report = desk.engine().run_round()
        with desk.store.reading() as s:
            (conflict,) = queue.list_conflicts(s)
        assert conflict.kind == "pull" and code in conflict.message and report.new_conflicts == 1
        assert uid not in local_side(desk.store).dossiers
    finally:
        with province.store.write() as s:
            s.add(m.Procedure(**saved))
            s.execute(update(m.Meta).where(m.Meta.key == "catalogue_version").values(value="v-y"))
    # The province publishes it again: the next round fetches the catalogue and takes it in.
    report = desk.engine().run_round()
    assert uid in local_side(desk.store).dossiers and report.open_conflicts == 0
    with desk.store.reading() as s:
        assert s.execute(select(Procedure.id).where(Procedure.code == code)).scalar_one()


# -------------------------------------------------------------------------- integrity


def test_integrity_mismatch_is_repaired_by_refetching(desk, province) -> None:
    a, b = desk.receive(), desk.receive()
    assert desk.engine().run_round().integrity_ok
    ua, ub = local_uid(desk, a), local_uid(desk, b)
    # The province's record moved without a change-log entry (a missed event) ...
    with province.store.write() as s:
        row = s.execute(select(m.Dossier).where(m.Dossier.uid == ua)).scalar_one()
        snap = json.loads(row.snapshot)
        snap.update(status=8, version=row.version + 1, reason="Dừng theo chỉ đạo của tỉnh")
        row.snapshot, row.status, row.version = json.dumps(snap), 8, row.version + 1
        row.province_version = row.version
    # ... and on the desk a dossier drifted from what the province acknowledged.
    with desk.store.transaction() as s:
        s.get_one(Dossier, b).status = 9
    report = desk.engine().run_round()
    assert report.integrity_ok is True and report.repaired == 2, report.summary_vi()
    assert_converged(desk.store, province.store, desk.agency)
    with desk.store.reading() as s:
        assert s.get_one(Dossier, a).status == 8 and s.get_one(Dossier, b).status == 2
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.action == "sync.repair")
                            ).scalars().all()
    assert len(actions) == 2 and ub


class CannotPush(httpx.HTTPTransport):
    """A real transport on which sending changes fails (everything else goes through)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/changes"):
            raise httpx.ConnectError("connection refused", request=request)
        return super().handle_request(request)


def test_a_repair_with_unsent_desk_changes_is_listed(desk, province) -> None:
    a = desk.receive()
    assert desk.engine().run_round().ok
    ua = local_uid(desk, a)
    # A province change the desk was never told about ...
    with province.store.write() as s:
        row = s.execute(select(m.Dossier).where(m.Dossier.uid == ua)).scalar_one()
        snap = json.loads(row.snapshot)
        snap.update(status=8, version=2, reason="Dừng theo chỉ đạo của tỉnh")
        row.snapshot, row.status, row.version, row.province_version = json.dumps(snap), 8, 2, 2
    # ... while the desk's own change could not be sent this round.
    desk.hand_over(a)
    report = desk.engine(desk.client(transport=CannotPush())).run_round()
    assert report.integrity_ok is True and report.repaired == 1
    with desk.store.reading() as s:
        assert s.get_one(Dossier, a).status == 8
        (conflict,) = queue.list_conflicts(s)
    assert conflict.kind == "province_status" and "Dừng xử lý" in conflict.message
    assert conflict.local_data["changes"][0]["kind"] == "dossier.processing"
    assert outbox_states(desk.store) == {"sent": 1, "conflict": 1}
    assert desk.engine().run_round().ok
    assert_converged_except_conflicts(desk, province)


def assert_converged_except_conflicts(desk: Desk, province) -> None:  # noqa: ANN001
    local, server = local_side(desk.store), server_side(province.store, desk.agency)
    assert local.dossiers == server.dossiers
    assert set(server.progress) <= set(local.progress)


def test_the_province_losing_data_makes_the_desk_send_it_again(desk, province) -> None:
    a = desk.receive()
    assert desk.engine().run_round().ok
    ua = local_uid(desk, a)
    with province.store.write() as s:  # a server restored from an older backup
        row = s.execute(select(m.Dossier).where(m.Dossier.uid == ua)).scalar_one()
        s.execute(m.ProgressRow.__table__.delete().where(m.ProgressRow.dossier_id == row.id))
        s.delete(row)
    first = desk.engine().run_round()
    assert first.repaired == 1
    with desk.store.reading() as s:
        (conflict,) = queue.list_conflicts(s)
    assert conflict.kind == "server_missing"
    second = desk.engine().run_round()
    assert second.integrity_ok, second.summary_vi()
    third = desk.engine().run_round()
    assert third.ok
    assert_converged(desk.store, province.store, desk.agency)


# ------------------------------------------------------------------------------ files


class RecordingClient(SyncClient):
    """The real client, remembering which byte offsets it sent."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.offsets: list[int] = []

    def put_chunk(self, sha256: str, offset: int, data: bytes):  # noqa: ANN201
        self.offsets.append(offset)
        return super().put_chunk(sha256, offset, data)


def test_files_are_uploaded_after_their_dossier_and_resumed(desk, province) -> None:
    d = desk.receive()
    data = b"%PDF-1.4\n" + os.urandom(300_000)
    sha = desk.digitise(d, data)
    chunk = 64 * 1024
    # An earlier upload was cut after its first chunk.
    with desk.client() as c:
        c.file_start(FileStart(sha256=sha, size=len(data), media_type="application/pdf"))
        c.put_chunk(sha, 0, data[:chunk])
    client = RecordingClient(province.base_url, desk.agency, "tiepnhan1")
    report = desk.engine(client, chunk_size=chunk).run_round()
    assert report.ok and report.files_uploaded == 1, report.summary_vi()
    assert client.offsets == list(range(chunk, len(data), chunk))  # only what was missing
    with province.client() as c, province.store.read() as s:
        row = s.get(m.StoredFile, sha)
        assert row.complete and row.size == len(data)
    with desk.store.reading() as s:
        assert s.get(SyncFile, sha) is not None
    assert desk.engine(client, chunk_size=chunk).run_round().files_uploaded == 0
    assert_converged(desk.store, province.store, desk.agency)


def test_a_file_waits_for_its_dossier_changes(desk, province) -> None:
    d = desk.receive()
    desk.digitise(d, b"%PDF-1.4\n" + os.urandom(1000))
    lossy = desk.client(transport=LosesAnswers(lose=1))
    report = desk.engine(lossy, max_network_errors=5).run_round()
    assert report.files_uploaded == 0 and not report.ok
    later = desk.engine(clock=lambda: datetime.now() + timedelta(minutes=11)).run_round()
    assert later.files_uploaded == 1 and later.ok


def test_a_saved_periodic_report_goes_to_the_province_once(desk, province) -> None:
    from desktop.services.reports import snapshots
    from sync.server.province import create_officer

    info, _result = snapshots.save(desk.store, desk.admin, "bieu06", "2026-Q3")
    # The administrator made it: the administrator's province account sends it.
    create_officer(province.store, desk.agency, "quantri", PASSWORD, roles=("admin",))
    with desk.client("quantri") as c:
        c.login(PASSWORD)
    report = desk.engine(desk.client("quantri"), desk.admin).run_round()
    assert report.ok and report.pushed == 1, report.summary_vi()
    with province.store.read() as s:
        rows = s.execute(select(m.Report.uid, m.Report.kind)).all()
    assert (info.uid, "bieu06") in rows
    assert desk.engine(desk.client("quantri"), desk.admin).run_round().pushed == 0


# ----------------------------------------------------------------- shared PC, officers


def test_the_outbox_is_kept_per_officer_on_a_shared_pc(desk, province, memory_keyring) -> None:
    a = desk.receive()  # officer A (the desk clerk) hands a dossier to officer B
    desk.hand_over(a)
    assert desk.engine().run_round().ok
    desk.receive()  # A's change, not sent: A logs out of the app (and out of sync)
    desk.client().forget_credentials()
    assert not desk.client().has_credentials()
    processing.request_supplement(desk.store, desk.specialist, a, ["Giấy khai sinh"],
                                  "Thiếu bản sao giấy khai sinh")
    # Officer B logs in on the same PC and syncs with B's own province account.
    with desk.client("tuphap") as b:
        b.login(PASSWORD)
    report = desk.engine(desk.client("tuphap"), desk.specialist).run_round()
    assert report.pushed == 1 and report.waiting == 0 and report.waiting_others == 1
    assert "cán bộ khác" in report.summary_vi()
    clerk_id = officer_id(desk.store, "tiepnhan1")
    with desk.store.reading() as s:
        theirs = s.execute(select(OutboxItem.state).where(OutboxItem.officer_id == clerk_id)
                           .order_by(OutboxItem.id)).scalars().all()
    assert theirs == ["sent", "sent", "pending"]  # A's unsent change is still there
    with province.store.read() as s:
        pusher = s.execute(select(m.Officer.username).join(
            m.Push, m.Push.officer_id == m.Officer.id).where(
            m.Push.kind == "dossier.supplement_requested")).scalar_one()
    assert pusher == "tuphap"  # sent with B's own credentials
    # A without stored credentials: A's round asks for a login, and keeps everything.
    needs = desk.engine().run_round()
    assert needs.state == "needs_login" and outbox_states(desk.store)["pending"] == 1
    with desk.client() as c:
        c.login(PASSWORD)
    assert desk.engine().run_round().ok
    assert_converged(desk.store, province.store, desk.agency)


# ----------------------------------------------------------- credentials and transport


def test_credentials_live_only_in_the_keyring(desk, memory_keyring, tmp_path) -> None:
    key = (KEYRING_SERVICE, f"{desk.agency}/tiepnhan1")
    stored = json.loads(memory_keyring.items[key])
    assert stored["password"] == PASSWORD and stored["refresh_token"]
    # Nothing of it in the office's data folder.
    for path in desk.store.paths.root.rglob("*"):
        if path.is_file() and path.suffix not in (".lock",):
            assert PASSWORD.encode() not in path.read_bytes(), path
    # A spent refresh token (its answer lost) is refused: the desk logs in again by itself.
    with desk.client() as c:
        c.probe()
        c.integrity()  # refresh #1
        rotated = json.loads(memory_keyring.items[key])["refresh_token"]
    memory_keyring.items[key] = json.dumps({"password": PASSWORD,
                                            "refresh_token": stored["refresh_token"]})
    with desk.client() as c:
        c.integrity()
    assert json.loads(memory_keyring.items[key])["refresh_token"] not in (
        rotated, stored["refresh_token"])


def test_no_keyring_backend_gives_a_clear_message_and_no_fallback(province, store) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        client = SyncClient(province.base_url, "000.00.01.H56", "tiepnhan1")
        with pytest.raises(KeyringUnavailable) as err:
            client.login(PASSWORD)
        assert err.value.message_vi.startswith(
            "Máy này chưa có nơi lưu mật khẩu an toàn (keyring)")
        with pytest.raises(KeyringUnavailable):
            Keychain().load("000.00.01.H56", "tiepnhan1")
        client.close()
    finally:
        keyring.set_keyring(previous)
    assert not list(store.paths.root.rglob("*cred*"))


def test_wrong_password_is_refused_in_vietnamese(desk) -> None:
    with desk.client() as c, pytest.raises(AuthRequired) as err:
        c.login("sai-mat-khau")
    assert "mật khẩu không đúng" in err.value.message_vi


def test_tls_is_verified_by_default_and_the_province_ca_is_used(tmp_path,
                                                               memory_keyring) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
                   check=True, capture_output=True)
    app = create_app(f"sqlite:///{tmp_path / 'tls.db'}", seed=False)
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ssl_keyfile=str(key),
                                           ssl_certfile=str(cert)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{sock.getsockname()[1]}"
    try:
        wait_tls(url, cert)
        plain = SyncClient(url, "000.00.01.H56", "tiepnhan1")
        assert plain.verify is True and plain.ca_bundle is None
        with pytest.raises(Exception) as err:
            plain.probe()
        assert "chứng chỉ" in err.value.message_vi
        plain.close()
        own = SyncClient(url, "000.00.01.H56", "tiepnhan1", ca_bundle=cert)
        assert own.ca_bundle == str(cert) and own.verify is not True
        assert own.probe().protocol_version == 1
        own.close()
        with pytest.raises(Exception) as missing:
            SyncClient(url, "000.00.01.H56", "x", ca_bundle=tmp_path / "khong-co.pem")
        assert "Không tìm thấy tệp chứng chỉ" in missing.value.message_vi
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def wait_tls(url: str, cert: Path) -> None:
    import ssl
    import time

    ctx = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}{API_PREFIX}/info", verify=ctx, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("TLS server did not start")


# ----------------------------------------------------------------- number blocks, CLI


def test_a_desk_running_low_on_numbers_gets_a_province_block(desk, province) -> None:
    desk.receive()
    today = datetime.now().date()
    with desk.store.transaction() as s:
        s.execute(update(NumberBlock).where(NumberBlock.day == today).values(last_used=990))
    report = desk.engine().run_round()
    assert report.blocks_reserved == 1
    with desk.store.reading() as s:
        blocks = s.execute(select(NumberBlock.first, NumberBlock.source).where(
            NumberBlock.day == today).order_by(NumberBlock.first)).all()
        assert settings.get(s, "sync.block_request") is None
    assert blocks == [(1, "offline"), (9001, "province")]
    assert desk.engine().run_round().blocks_reserved == 0


def run_cli(data_dir: Path, *args: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "MOTCUA_SYNC_PASSWORD"}
    full_env.update({"PYTHON_KEYRING_BACKEND": "tests.sync.memory_keyring.MemoryKeyring",
                     "QT_QPA_PLATFORM": "offscreen", **(env or {})})
    return subprocess.run([sys.executable, "-m", "desktop.cli", "--data-dir", str(data_dir),
                           "sync", *args], capture_output=True, text=True, env=full_env,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)


def test_motcua_sync_runs_one_round_and_its_exit_code_tells(province, tmp_path,
                                                            memory_keyring) -> None:
    paths = DataPaths(tmp_path / "desk")
    store = open_store(paths)
    desk = make_desk(store, province.store, province.base_url)
    d = desk.receive()
    store.close()
    no_password = run_cli(paths.root, "--server", province.base_url, "--username", "tiepnhan1")
    assert no_password.returncode == 1
    assert "MOTCUA_SYNC_PASSWORD" in no_password.stderr
    ok = run_cli(paths.root, "--username", "tiepnhan1",
                 env={"MOTCUA_SYNC_PASSWORD": PASSWORD})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("Đồng bộ xong: gửi 1 thay đổi")
    # A conflict waits for an officer: exit code 3.
    store = open_store(paths)
    add_status_change(province.store, desk.agency, local_uid(desk, d, store), 8,
                      reason="Tạm dừng theo yêu cầu của tỉnh")
    processing.hand_over(store, desk.clerk, d, desk.specialist.officer_id)
    store.close()
    conflict = run_cli(paths.root, "--username", "tiepnhan1",
                       env={"MOTCUA_SYNC_PASSWORD": PASSWORD})
    assert conflict.returncode == 3, conflict.stdout + conflict.stderr
    assert "xung đột" in conflict.stdout
    offline = run_cli(paths.root, "--server", "http://127.0.0.1:9", "--username", "tiepnhan1",
                      env={"MOTCUA_SYNC_PASSWORD": PASSWORD})
    assert offline.returncode == 1
    assert "Không kết nối được" in offline.stdout + offline.stderr


def local_uid(desk: Desk, dossier_id: int, store=None) -> str:  # noqa: ANN001
    with (store or desk.store).reading() as s:
        return s.get_one(Dossier, dossier_id).uid
