"""Files in resumable chunks verified by SHA-256, and report uploads, on the real server."""

from __future__ import annotations

import hashlib
import os

from sync.protocol import API_PREFIX, REPLAY_HEADER, FileState
from tests.sync.payloads import new_uid

A = API_PREFIX
CHUNK = 64 * 1024


def state(r) -> FileState:
    assert r.status_code == 200, r.text
    return FileState.model_validate_json(r.content)


def announce(http, data: bytes, sha: str | None = None) -> tuple[str, FileState]:
    sha = sha or hashlib.sha256(data).hexdigest()
    r = http.post(f"{A}/files", json={"sha256": sha, "size": len(data),
                                     "name": "Tờ khai đăng ký khai sinh.pdf",
                                     "media_type": "application/pdf"})
    return sha, state(r)


def put(http, sha: str, data: bytes, start: int, end: int) -> FileState:
    return state(http.put(f"{A}/files/{sha}/chunks", params={"offset": start},
                          content=data[start:end],
                          headers={"Content-Type": "application/octet-stream"}))


def test_interrupted_upload_resumes_from_the_ranges_the_server_has(office) -> None:
    data = os.urandom(5 * CHUNK + 1234)
    sha, st = announce(office.http, data)
    assert not st.complete and st.received == [] and [(r.start, r.end) for r in st.missing] == [
        (0, len(data))]
    # The first desk sends chunks 0, 1 and 3, then the connection drops.
    for i in (0, 1, 3):
        put(office.http, sha, data, i * CHUNK, (i + 1) * CHUNK)
    r = office.http.post(f"{A}/files/{sha}/finish")
    assert r.status_code == 409 and r.json()["code"] == "file_incomplete"
    assert "còn thiếu 2 đoạn" in r.json()["message_vi"]

    # Later (another process) asks what is missing and sends only that.
    st = state(office.http.get(f"{A}/files/{sha}"))
    assert [(r.start, r.end) for r in st.received] == [(0, 2 * CHUNK), (3 * CHUNK, 4 * CHUNK)]
    missing = [(r.start, r.end) for r in st.missing]
    assert missing == [(2 * CHUNK, 3 * CHUNK), (4 * CHUNK, len(data))]
    for start, end in missing:
        pos = start
        while pos < end:
            st = put(office.http, sha, data, pos, min(pos + CHUNK, end))
            pos += CHUNK
    assert st.missing == []
    # A chunk sent twice (an answer lost) changes nothing.
    put(office.http, sha, data, 0, CHUNK)
    done = state(office.http.post(f"{A}/files/{sha}/finish"))
    assert done.complete and done.size == len(data)
    assert office.http.get(f"{A}/files/{sha}/content").content == data
    # Content-addressed: announcing the same file again finds it complete.
    _, again = announce(office.http, data)
    assert again.complete and again.missing == []


def test_a_sha256_mismatch_is_refused_and_the_bytes_discarded(office) -> None:
    data = os.urandom(3000)
    wrong_sha = hashlib.sha256(b"something else").hexdigest()
    sha, _ = announce(office.http, data, wrong_sha)
    put(office.http, sha, data, 0, 3000)
    r = office.http.post(f"{A}/files/{sha}/finish")
    assert r.status_code == 422 and r.json()["code"] == "sha256_mismatch"
    assert "SHA-256 không khớp" in r.json()["message_vi"]
    st = state(office.http.get(f"{A}/files/{sha}"))
    assert not st.complete and st.received == []
    assert office.http.get(f"{A}/files/{sha}/content").status_code == 404


def test_chunk_and_announcement_refusals(office) -> None:
    data = b"%PDF-1.7 tiny"
    sha, _ = announce(office.http, data)
    r = office.http.put(f"{A}/files/{sha}/chunks", params={"offset": 10}, content=data)
    assert r.status_code == 400 and r.json()["code"] == "chunk_out_of_range"
    r = office.http.post(f"{A}/files", json={"sha256": sha, "size": 99})
    assert r.status_code == 409 and r.json()["code"] == "file_size_mismatch"
    unknown = hashlib.sha256(b"never announced").hexdigest()
    r = office.http.put(f"{A}/files/{unknown}/chunks", params={"offset": 0}, content=b"x")
    assert r.status_code == 404 and r.json()["code"] == "file_not_started"
    r = office.http.put(f"{A}/files/{sha}/chunks", params={"offset": 0},
                        content=b"x" * (4 * 1024 * 1024 + 1))
    assert r.status_code == 413 and r.json()["code"] == "chunk_too_large"
    assert office.http.get(f"{A}/files/not-a-sha").status_code == 422
    empty_sha, empty = announce(office.http, b"")
    assert empty.missing == []
    assert state(office.http.post(f"{A}/files/{empty_sha}/finish")).complete


def test_report_upload_is_idempotent_and_needs_its_file(office) -> None:
    pdf = b"%PDF-1.7 Bieu 06 " + os.urandom(100)
    sha, _ = announce(office.http, pdf)
    report = {"uid": new_uid(), "kind": "bieu-06", "period_start": "2026-01-01",
              "period_end": "2026-03-31", "title": "Biểu số 06 — quý I/2026",
              "data": {"received": 412, "resolved_on_time": 398, "resolved_late": 6},
              "file_sha256": sha}
    r = office.http.post(f"{A}/reports", json=report)
    assert r.status_code == 409 and r.json()["code"] == "report_file_missing"
    put(office.http, sha, pdf, 0, len(pdf))
    office.http.post(f"{A}/files/{sha}/finish")
    first = office.http.post(f"{A}/reports", json=report)
    assert first.status_code == 200 and first.json()["file_complete"] is True
    repeat = office.http.post(f"{A}/reports", json=report)
    assert repeat.content == first.content and repeat.headers[REPLAY_HEADER] == "true"
    clash = office.http.post(f"{A}/reports", json={**report, "data": {"received": 1}})
    assert clash.status_code == 409 and clash.json()["code"] == "report_uid_reused"
    bad = office.http.post(f"{A}/reports", json={**report, "uid": new_uid(),
                                                 "period_end": "2025-12-31"})
    assert bad.status_code == 422
    listed = office.http.get(f"{A}/reports").json()["reports"]
    assert [x["uid"] for x in listed] == [report["uid"]]
