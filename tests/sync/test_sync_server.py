"""The reference provincial server over HTTP on 127.0.0.1: auth, reference data, number
blocks, changes (idempotent, conflicts), progress, pull, integrity, OpenAPI."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import date

import resources
from sync.protocol import (
    API_PREFIX,
    PROTOCOL_HEADER,
    REPLAY_HEADER,
    CalendarAnswer,
    CatalogueAnswer,
    ChangeAnswer,
    ConflictAnswer,
    DossierRecord,
    ErrorAnswer,
    IntegrityAnswer,
    NumberBlock,
    ProcedureRecord,
    PullAnswer,
    integrity_checksum,
)
from sync.server.province import add_status_change, create_officer, create_online_dossiers
from tests.sync.payloads import change, new_uid, progress
from tests.sync.support import PASSWORD, TOKEN_TTL, make_office

A = API_PREFIX


def error(r) -> ErrorAnswer:
    return ErrorAnswer.model_validate_json(r.content)


# ------------------------------------------------------------------------------ basics


def test_info_openapi_and_docs_are_served(province) -> None:
    with province.client() as c:
        info = c.get(f"{A}/info")
        assert info.status_code == 200 and info.json()["protocol_version"] == 1
        assert info.headers[PROTOCOL_HEADER] == "1"
        spec = c.get("/openapi.json").json()
        assert c.get("/docs").status_code == 200
    paths = spec["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/catalogue",
                 "/api/v1/calendar", "/api/v1/number-blocks", "/api/v1/changes",
                 "/api/v1/progress", "/api/v1/pull", "/api/v1/integrity",
                 "/api/v1/files/{sha256}/chunks", "/api/v1/files/{sha256}/finish",
                 "/api/v1/reports", "/dvcqg/login", "/dvcqg/service"):
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    for model in ("Change", "ChangeAnswer", "ConflictAnswer", "PullAnswer", "FileState",
                  "TokenAnswer", "ErrorAnswer"):
        assert model in schemas, model


def test_other_protocol_version_and_unknown_paths_get_error_answers(province) -> None:
    with province.client() as c:
        r = c.get(f"{A}/info", headers={PROTOCOL_HEADER: "2"})
        assert r.status_code == 400 and error(r).code == "protocol_version"
        assert "Phiên bản giao thức" in error(r).message_vi
        r = c.get(f"{A}/no-such-thing")
        assert r.status_code == 404 and error(r).message_vi == "Không tìm thấy."


def test_invalid_requests_never_echo_personal_data(office) -> None:
    body = change(new_uid())
    body["payload"]["dossier"]["status"] = 11
    body["payload"]["dossier"]["applicant_name"] = "Lê Thị Bí Mật"
    r = office.http.post(f"{A}/changes", json=body)
    assert r.status_code == 422
    assert error(r).code == "validation" and "không hợp lệ" in error(r).message_vi
    assert "Bí Mật" not in r.text and "075090123456" not in r.text


# -------------------------------------------------------------------------------- auth


def test_login_token_expiry_and_refresh(province) -> None:
    o = make_office(province)
    with o.http as c:
        assert c.get(f"{A}/catalogue", params={"known_version": "x"}).status_code == 200
        assert o.token.expires_in == TOKEN_TTL and o.token.officer.username == o.username
        assert o.token.office.agency_code == o.agency_code
        province.clock.advance(TOKEN_TTL + 1)
        r = c.get(f"{A}/integrity")
        assert r.status_code == 401 and error(r).code == "token_expired"
        assert "hết hạn" in error(r).message_vi

        with province.client() as anon:
            fresh = anon.post(f"{A}/auth/refresh", json={"refresh_token": o.token.refresh_token})
            assert fresh.status_code == 200
            new = fresh.json()
            assert new["access_token"] != o.token.access_token
            c.headers["Authorization"] = f"Bearer {new['access_token']}"
            assert c.get(f"{A}/integrity").status_code == 200
            # A spent refresh token again: the whole login is revoked.
            again = anon.post(f"{A}/auth/refresh", json={"refresh_token": o.token.refresh_token})
            assert again.status_code == 401 and error(again).code == "refresh_invalid"
            assert c.get(f"{A}/integrity").status_code == 401
            assert anon.post(f"{A}/auth/refresh",
                             json={"refresh_token": new["refresh_token"]}).status_code == 401


def test_wrong_password_missing_token_lockout_and_logout(province) -> None:
    o = make_office(province)
    assert o.http.post(f"{A}/auth/logout").status_code == 200
    assert error(o.http.get(f"{A}/integrity")).code == "token_invalid"
    o.http.close()
    with province.client() as c:
        assert c.get(f"{A}/pull").status_code == 401
        assert error(c.get(f"{A}/pull")).code == "token_missing"
        bad = {"agency_code": o.agency_code, "username": o.username, "password": "sai-mat-khau"}
        r = c.post(f"{A}/auth/login", json=bad)
        assert r.status_code == 401
        assert error(r).message_vi == "Mã cơ quan, tên đăng nhập hoặc mật khẩu không đúng."
        wrong_office = {**bad, "password": PASSWORD, "agency_code": "999.99.99.H99"}
        assert c.post(f"{A}/auth/login", json=wrong_office).status_code == 401
        for _ in range(4):
            c.post(f"{A}/auth/login", json=bad)
        r = c.post(f"{A}/auth/login", json={**bad, "password": PASSWORD})
        assert r.status_code == 403 and error(r).code == "account_locked"
        assert "tạm khóa" in error(r).message_vi
        province.clock.advance(15 * 60 + 1)
        assert c.post(f"{A}/auth/login", json={**bad, "password": PASSWORD}).status_code == 200


# ------------------------------------------------------------------- reference data


def test_catalogue_is_the_seed_catalogue_and_answers_unchanged(office) -> None:
    r = office.http.get(f"{A}/catalogue")
    cat = CatalogueAnswer.model_validate_json(r.content)
    seed = resources.seed("procedures")["procedures"]
    assert [p.code for p in cat.procedures] == [p["code"] for p in seed]
    # Lossless: every published field comes back as it was.
    assert r.json()["procedures"][0] | seed[0] == r.json()["procedures"][0]
    assert [ProcedureRecord.model_validate(p).model_dump(mode="json") for p in seed] == \
        r.json()["procedures"]
    same = CatalogueAnswer.model_validate_json(
        office.http.get(f"{A}/catalogue", params={"known_version": cat.version}).content)
    assert same.unchanged and same.procedures == [] and same.version == cat.version


def test_calendar_is_the_official_table(office) -> None:
    from desktop.domain.calendar import load_holiday_table

    cal = CalendarAnswer.model_validate_json(office.http.get(f"{A}/calendar").content)
    official = load_holiday_table(resources.seed("holidays"))
    assert load_holiday_table(cal.to_holiday_table()) == official
    assert any(d.kind == "working_day" for d in cal.days)
    tet = next(d for d in cal.days if d.date == date(2026, 2, 17))
    assert tet.kind == "day_off" and "Tết" in tet.name
    again = office.http.get(f"{A}/calendar", params={"known_version": cal.version}).json()
    assert again["unchanged"] is True and again["days"] == []


# -------------------------------------------------------------------- number blocks


def test_number_blocks_never_overlap_between_desks(office) -> None:
    day = date(2026, 3, 16)
    got: list[NumberBlock] = []
    lock = threading.Lock()
    failures: list[str] = []

    def desk(k: int) -> None:
        for _ in range(3):
            r = office.http.post(f"{A}/number-blocks",
                                 json={"request_uid": new_uid(), "day": day.isoformat(),
                                       "desk": k, "size": 30})
            if r.status_code != 200:
                failures.append(r.text)
                continue
            with lock:
                got.append(NumberBlock.model_validate_json(r.content))

    threads = [threading.Thread(target=desk, args=(k,)) for k in range(1, 10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert len(got) == 27
    numbers = [n for b in got for n in range(b.first, b.last + 1)]
    assert len(numbers) == len(set(numbers)) == 27 * 30
    assert min(numbers) == 9001 and max(numbers) <= 9999
    assert all(b.agency_code == office.agency_code and b.day == day for b in got)
    listed = office.http.get(f"{A}/number-blocks", params={"day": day.isoformat(), "desk": 3})
    assert sorted(b["first"] for b in listed.json()["blocks"]) == sorted(
        b.first for b in got if b.desk == 3)


def test_number_block_repeat_same_answer_and_exhaustion(office) -> None:
    req = {"request_uid": new_uid(), "day": "2026-03-17", "desk": 2, "size": 900}
    first = office.http.post(f"{A}/number-blocks", json=req)
    assert first.status_code == 200 and (first.json()["first"], first.json()["last"]) == (9001, 9900)
    assert office.http.post(f"{A}/number-blocks", json=req).json() == first.json()
    reused = office.http.post(f"{A}/number-blocks", json={**req, "size": 5})
    assert reused.status_code == 409 and error(reused).code == "request_uid_reused"
    rest = office.http.post(f"{A}/number-blocks", json={**req, "request_uid": new_uid()})
    assert (rest.json()["first"], rest.json()["last"]) == (9901, 9999)
    none = office.http.post(f"{A}/number-blocks", json={**req, "request_uid": new_uid()})
    assert none.status_code == 409 and error(none).code == "blocks_exhausted"
    assert "17/03/2026" in error(none).message_vi
    bad_desk = office.http.post(f"{A}/number-blocks", json={**req, "desk": 10})
    assert bad_desk.status_code == 422


# --------------------------------------------------------------------------- changes


def test_push_is_idempotent_and_a_reused_uid_with_other_content_is_refused(office) -> None:
    dossier = new_uid()
    body = change(dossier, code=f"{office.agency_code}-260316-0001")
    first = office.http.post(f"{A}/changes", json=body)
    assert first.status_code == 200, first.text
    answer = ChangeAnswer.model_validate_json(first.content)
    assert (answer.outcome, answer.version, answer.status, answer.progress_stored) == (
        "applied", 1, 2, True)
    assert REPLAY_HEADER not in first.headers

    repeat = office.http.post(f"{A}/changes", json=body)
    assert repeat.status_code == 200
    assert repeat.content == first.content
    assert repeat.headers[REPLAY_HEADER] == "true"

    other = json.loads(json.dumps(body))
    other["payload"]["dossier"]["note"] = "Sửa ghi chú"
    clash = office.http.post(f"{A}/changes", json=other)
    assert clash.status_code == 409
    err = error(clash)
    assert err.code == "change_uid_reused" and body["uid"] in err.message
    assert "nội dung khác" in err.message_vi
    # The envelope is not content: a resend with a rebuilt envelope is the same change.
    rebuilt = {**body, "created_at": "2026-03-16T09:00:00", "base_version": 0}
    assert office.http.post(f"{A}/changes", json=rebuilt).content == first.content

    record = DossierRecord.model_validate_json(office.http.get(f"{A}/dossiers/{dossier}").content)
    assert record.version == 1 and record.dossier.note == "" and len(record.progress) == 1


def test_later_versions_apply_and_older_ones_are_superseded(office) -> None:
    dossier = new_uid()
    code = f"{office.agency_code}-260316-0002"
    assert office.http.post(f"{A}/changes", json=change(dossier, code=code)).status_code == 200
    v3 = change(dossier, kind="dossier.supplement_requested", status=5, version=3, code=code,
                assignee_id=4)
    v3["payload"]["supplement_rounds"] = [{
        "uid": new_uid(), "requested_at": "2026-03-16T10:00:00", "requested_by_name": "Phạm Lan",
        "content": "Thiếu giấy tờ", "missing": ["Bản sao giấy khai sinh"],
        "previous_due_at": "2026-03-17T08:15:00", "received_at": None, "received_by_name": "",
        "new_due_at": None, "state": "open"}]
    r3 = office.http.post(f"{A}/changes", json=v3).json()
    assert (r3["outcome"], r3["version"], r3["status"]) == ("applied", 3, 5)
    v2 = change(dossier, kind="dossier.processing", status=4, version=2, code=code)
    r2 = office.http.post(f"{A}/changes", json=v2).json()
    assert (r2["outcome"], r2["version"], r2["status"], r2["progress_stored"]) == (
        "superseded", 3, 5, True)
    record = office.http.get(f"{A}/dossiers/{dossier}").json()
    assert record["dossier"]["status"] == 5 and record["dossier"]["procedure_code"] == "1.004873"
    assert record["supplement_rounds"][0]["missing"] == ["Bản sao giấy khai sinh"]
    assert len(record["progress"]) == 3


def test_province_change_after_the_base_version_is_a_conflict(province, office) -> None:
    dossier = new_uid()
    code = f"{office.agency_code}-260316-0003"
    assert office.http.post(f"{A}/changes", json=change(dossier, code=code)).status_code == 200
    province.clock.advance(60)
    made = add_status_change(province.store, office.agency_code, code, 8,
                             reason="Chờ kết quả xác minh của cơ quan liên quan")
    assert (made.from_status, made.to_status, made.version) == (2, 8, 2)

    stale = change(dossier, kind="dossier.processing", status=4, version=2, code=code)
    r = office.http.post(f"{A}/changes", json=stale)
    assert r.status_code == 409
    conflict = ConflictAnswer.model_validate_json(r.content)
    assert conflict.code == "conflict" and conflict.base_version == 1
    assert conflict.server.dossier.status == 8 and conflict.server.version == 2
    assert conflict.server.province_version == 2
    assert conflict.server.dossier.reason == "Chờ kết quả xác minh của cơ quan liên quan"
    assert [c.to_status for c in conflict.province_changes] == [8]
    assert code in conflict.message_vi and "Dừng xử lý" in conflict.message_vi
    # The conflict is the first answer: a repeat gets it again.
    assert office.http.post(f"{A}/changes", json=stale).content == r.content
    # After taking the province's change in (version 2), the desk's next change applies.
    resumed = change(dossier, kind="dossier.processing", status=4, version=3, code=code)
    ok = office.http.post(f"{A}/changes", json=resumed)
    assert ok.status_code == 200 and ok.json()["version"] == 3


def test_push_refusals_other_office_taken_code_state_secret(province, office) -> None:
    dossier = new_uid()
    code = f"{office.agency_code}-260316-0004"
    assert office.http.post(f"{A}/changes", json=change(dossier, code=code)).status_code == 200
    other = make_office(province, name="UBND xã Phú Lâm")
    with other.http:
        r = other.http.post(f"{A}/changes", json=change(dossier, version=2, status=4))
        assert r.status_code == 403 and error(r).code == "wrong_office"
        assert other.http.get(f"{A}/dossiers/{dossier}").status_code == 403
    r = office.http.post(f"{A}/changes", json=change(new_uid(), code=code))
    assert r.status_code == 409 and error(r).code == "code_taken" and code in error(r).message_vi
    r = office.http.post(f"{A}/changes", json=change(new_uid(), state_secret=True))
    assert r.status_code == 422 and error(r).code == "state_secret"
    assert "bí mật nhà nước" in error(r).message_vi
    r = office.http.get(f"{A}/dossiers/{new_uid()}")
    assert r.status_code == 404 and error(r).code == "dossier_not_found"


def test_progress_push_keyed_by_row_uid(office) -> None:
    dossier = new_uid()
    office.http.post(f"{A}/changes", json=change(dossier, with_progress=False))
    rows = [progress(2), progress(4, content="Chuyển xử lý: Tư pháp - Hộ tịch")]
    r = office.http.post(f"{A}/progress", json={"dossier_uid": dossier, "rows": rows})
    assert r.json() == {"dossier_uid": dossier, "stored": 2, "already_stored": 0}
    r = office.http.post(f"{A}/progress", json={"dossier_uid": dossier, "rows": rows})
    assert r.json()["already_stored"] == 2
    changed = [{**rows[0], "content": "Nội dung khác"}]
    r = office.http.post(f"{A}/progress", json={"dossier_uid": dossier, "rows": changed})
    assert r.status_code == 409 and error(r).code == "progress_uid_reused"
    r = office.http.post(f"{A}/progress", json={"dossier_uid": new_uid(), "rows": rows})
    assert r.status_code == 404
    record = office.http.get(f"{A}/dossiers/{dossier}").json()
    assert [p["status"] for p in record["progress"]] == [2, 4]


# ------------------------------------------------------------------------------ pull


def test_pull_returns_online_dossiers_and_province_changes_once_in_order(province) -> None:
    o = make_office(province)
    other = make_office(province)
    with o.http, other.http:
        uids = create_online_dossiers(province.store, o.agency_code, 3, seed=7)
        create_online_dossiers(province.store, other.agency_code, 2, seed=8)
        change_ = add_status_change(province.store, o.agency_code, uids[1], 7)

        page1 = PullAnswer.model_validate_json(
            o.http.get(f"{A}/pull", params={"since": 0, "limit": 2}).content)
        assert len(page1.items) == 2 and page1.has_more
        page2 = PullAnswer.model_validate_json(
            o.http.get(f"{A}/pull", params={"since": page1.cursor, "limit": 2}).content)
        assert len(page2.items) == 2 and not page2.has_more
        page3 = PullAnswer.model_validate_json(
            o.http.get(f"{A}/pull", params={"since": page2.cursor}).content)
        assert page3.items == [] and page3.cursor == page2.cursor

        items = page1.items + page2.items
        cursors = [i.cursor for i in items]
        assert cursors == sorted(cursors) and len(set(cursors)) == 4
        assert [i.kind for i in items] == ["online_dossier"] * 3 + ["status_change"]
        assert [i.dossier_uid for i in items] == [*uids, uids[1]]
        online = items[0].record
        assert online.dossier.status == 1 and online.dossier.channel == "2"
        assert online.dossier.procedure_code and online.dossier.applicant_name
        assert online.dossier.submitted_at is not None and online.dossier.code is None
        assert online.components and all(c.digitisation_state == 1 for c in online.components)
        assert [p.status for p in online.progress] == [1]
        last = items[3]
        assert last.status_change is not None and last.status_change.uid == change_.uid
        assert (last.status_change.from_status, last.status_change.to_status) == (1, 7)
        assert last.record.dossier.status == 7 and last.record.version == 2

        theirs = other.http.get(f"{A}/pull").json()["items"]
        assert len(theirs) == 2 and not set(i["dossier_uid"] for i in theirs) & set(uids)


def test_an_online_dossier_received_after_a_withdrawal_at_the_province_conflicts(
        province, office) -> None:
    [uid] = create_online_dossiers(province.store, office.agency_code, 1, seed=3)
    pulled = office.http.get(f"{A}/pull").json()["items"][0]["record"]["dossier"]
    add_status_change(province.store, office.agency_code, uid, 7)
    received = change(uid, status=2, version=2, code=f"{office.agency_code}-260316-0042",
                      channel="2", submitted_at=pulled["submitted_at"])
    r = office.http.post(f"{A}/changes", json=received)
    assert r.status_code == 409
    assert ConflictAnswer.model_validate_json(r.content).server.dossier.status == 7


# ------------------------------------------------------------------------- integrity


def test_integrity_counts_and_checksum_match_the_desk(province, office) -> None:
    sent = []
    for i, status in enumerate((2, 2, 4), start=1):
        uid = new_uid()
        version = 1 if status == 2 else 2
        office.http.post(f"{A}/changes", json=change(uid, status=status, version=version,
                                                     code=f"{office.agency_code}-260316-01{i:02d}"))
        sent.append((uid, version, status))
    [online] = create_online_dossiers(province.store, office.agency_code, 1, seed=11)
    sent.append((online, 1, 1))
    ans = IntegrityAnswer.model_validate_json(office.http.get(f"{A}/integrity").content)
    assert ans.dossiers == 4 and ans.by_status == {1: 1, 2: 2, 4: 1}
    assert ans.progress_rows == 4
    assert ans.checksum == integrity_checksum(sent)
    assert ans.checksum != integrity_checksum(sent[:3] + [(online, 2, 7)])

    page = office.http.get(f"{A}/integrity/dossiers", params={"limit": 3}).json()
    assert len(page["items"]) == 3 and page["next_after"]
    rest = office.http.get(f"{A}/integrity/dossiers",
                           params={"after": page["next_after"], "limit": 3}).json()
    assert rest["next_after"] is None
    seen = {(d["uid"], d["version"], d["status"]) for d in page["items"] + rest["items"]}
    assert seen == set(sent)


def test_officers_of_one_office_share_its_data(province, office) -> None:
    create_officer(province.store, office.agency_code, "tiepnhan2", PASSWORD,
                   full_name="Lê Minh Tuấn")
    with province.client() as c:
        r = c.post(f"{A}/auth/login", json={"agency_code": office.agency_code,
                                             "username": "tiepnhan2", "password": PASSWORD})
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        uid = str(uuid.uuid4())
        assert c.post(f"{A}/changes", json=change(uid)).status_code == 200
    assert office.http.get(f"{A}/dossiers/{uid}").status_code == 200
