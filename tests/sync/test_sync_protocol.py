"""Properties of the wire models (sync/protocol.py) and the national format (sync/national.py):
JSON round trips, content hashes, dates, byte ranges; the status table; no desktop imports."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.national import (
    format_time,
    hoso_from_record,
    parse_time,
    qua_trinh_from_progress,
    record_parts_from_hoso,
)
from sync.protocol import (
    VN_TZ,
    Change,
    DossierRecord,
    DossierSnapshot,
    ProgressData,
    PullItem,
    integrity_checksum,
    merge_ranges,
    missing_ranges,
)
from sync.server.labels import STATUS_LABELS_VI, TRANSITIONS
from tests.sync.payloads import change

SYNC = Path(__file__).resolve().parents[2] / "sync"

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
names = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠĐỨỪỬỮỰ ", min_size=1, max_size=30)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
whole_seconds = moments.map(lambda d: d.replace(microsecond=0))
uids = st.uuids().map(str)


@st.composite
def snapshots(draw) -> DossierSnapshot:
    status = draw(st.integers(1, 10))
    return DossierSnapshot(
        uid=draw(uids), code=draw(st.none() | st.just("000.00.01.H56-260316-0001")),
        procedure_id=draw(st.none() | st.integers(1, 10_000)),
        procedure_code=draw(st.none() | st.sampled_from(["1.001193", "1.004873"])),
        channel=draw(st.sampled_from(["1", "2", "3"])), status=status,
        applicant_name=draw(names), applicant_id_number=draw(st.from_regex(r"\d{12}", fullmatch=True)),
        applicant_birth_date=draw(st.none() | st.dates(date(1920, 1, 1), date(2026, 1, 1))),
        summary=draw(texts), note=draw(texts), submitted_at=draw(st.none() | moments),
        received_at=draw(st.none() | moments), due_at=draw(st.none() | moments),
        return_by_post=draw(st.booleans()), fee_total=draw(st.integers(0, 10_000_000)),
        paid_online=draw(st.booleans()), assignee_id=draw(st.none() | st.integers(1, 99)),
        version=draw(st.integers(1, 1000)),
    )


@st.composite
def progress_rows(draw) -> ProgressData:
    return ProgressData(uid=draw(uids), officer_name=draw(names), content=draw(texts),
                        acted_at=draw(whole_seconds), status=draw(st.integers(1, 10)),
                        step_deadline=draw(st.none() | whole_seconds))


@settings(max_examples=60, deadline=None)
@given(snapshots(), st.none() | progress_rows(), uids, st.sampled_from(
    ["dossier.received", "dossier.processing", "apology.approve"]))
def test_change_round_trips_through_json_with_the_same_hash(snap, row, uid, kind) -> None:
    payload = {"dossier": snap.model_dump(mode="json"), "supplement_rounds": [], "results": [],
               "result_return": None, "apologies": []}
    if row is not None:
        payload["progress"] = row.model_dump(mode="json")
    c = Change(uid=uid, kind=kind, dossier_uid=snap.uid, payload=payload)
    back = Change.model_validate_json(c.model_dump_json())
    assert back == c
    assert back.content_hash() == c.content_hash()
    assert back.payload.dossier == snap
    assert c.effective_base_version == snap.version - 1
    other = c.model_copy(deep=True)
    other.payload.dossier.note = snap.note + "x"
    assert other.content_hash() != c.content_hash()


def test_the_desktop_payload_shape_is_kept_whole() -> None:
    body = change("d1")
    body["payload"]["change"] = {"apology": 3, "reason": "Mất điện"}
    body["payload"]["dossier"]["future_field"] = "kept"
    c = Change.model_validate(body)
    dumped = c.model_dump(mode="json")["payload"]
    assert dumped["dossier"]["future_field"] == "kept"
    assert dumped["change"] == {"apology": 3, "reason": "Mất điện"}
    for key, value in body["payload"]["dossier"].items():
        assert dumped["dossier"][key] == value, key
    # A time with an offset is read as Vietnam time.
    body["payload"]["dossier"]["received_at"] = "2026-03-16T01:15:00+00:00"
    assert Change.model_validate(body).payload.dossier.received_at == datetime(2026, 3, 16, 8, 15)


@given(whole_seconds)
def test_portal_dates_round_trip(moment) -> None:
    text = format_time(moment)
    assert len(text) == 14 and text.isdigit()
    assert parse_time(text) == moment
    assert text == moment.strftime("%Y%m%d%H%M%S")


@given(whole_seconds, st.integers(-12, 14))
def test_portal_dates_are_vietnam_local_time(moment, offset_hours) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(hours=offset_hours)))
    assert parse_time(format_time(aware)) == aware.astimezone(VN_TZ).replace(tzinfo=None)
    assert format_time(datetime(2026, 3, 16, 1, 15, tzinfo=UTC)) == "20260316081500"
    assert format_time(None) == "" and parse_time("") is None


@given(st.text(max_size=20).filter(lambda s: not (len(s) == 14 and s.isdigit()) and s != ""))
def test_malformed_portal_dates_are_refused(text) -> None:
    try:
        parse_time(text)
    except ValueError:
        return
    raise AssertionError(f"accepted {text!r}")


@given(snapshots())
@settings(max_examples=60, deadline=None)
def test_a_dossier_survives_the_portal_format(snap) -> None:
    snap = snap.model_copy(update={
        "code": snap.code or "000.00.01.H56-260316-0009",
        **{k: getattr(snap, k).replace(microsecond=0) for k in ("submitted_at", "received_at",
                                                               "due_at") if getattr(snap, k)},
        "summary": snap.summary[:1000],
    })
    record = DossierRecord(agency_code="000.00.01.H56", version=snap.version,
                           updated_at=datetime(2026, 1, 1), dossier=snap)
    hoso = hoso_from_record(record)
    back = record_parts_from_hoso(hoso, uid=snap.uid, version=snap.version)["dossier"]
    for name in ("code", "procedure_code", "channel", "status", "applicant_name",
                 "applicant_id_number", "summary", "note", "submitted_at", "received_at",
                 "due_at", "return_by_post", "paid_online"):
        assert getattr(back, name) == getattr(snap, name), name


@given(progress_rows())
def test_progress_rows_map_to_qua_trinh_xu_ly(row) -> None:
    q = qua_trinh_from_progress("000.00.01.H56-260316-0001", row)
    assert q.ThoiDiemXuLy == row.acted_at.strftime("%Y%m%d%H%M%S")
    assert q.TrangThai == str(row.status) and q.NguoiXuLy == row.officer_name[:50]
    assert set(q.model_dump()) == {"MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy",
                                   "PhongBanXuLy", "NoiDungXuLy", "TrangThai", "NgayBatDau",
                                   "NgayKetThucTheoQuyDinh"}


ranges = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)).map(
    lambda t: (min(t), max(t))), max_size=12)


@given(st.integers(0, 300), ranges)
def test_missing_and_received_ranges_partition_the_file(size, have) -> None:
    have = [(a, min(b, size)) for a, b in have if a < size]
    merged = merge_ranges(have)
    missing = missing_ranges(size, have)
    covered = [False] * size
    for a, b in merged:
        for i in range(a, b):
            covered[i] = True
    for a, b in missing:
        for i in range(a, b):
            assert not covered[i]
            covered[i] = True
    assert all(covered)
    for (_, b1), (a2, _) in zip(merged, merged[1:], strict=False):
        assert b1 < a2  # sorted, disjoint, not touching


@given(st.lists(st.tuples(uids, st.integers(1, 50), st.integers(1, 10)), max_size=20),
       st.randoms())
def test_integrity_checksum_ignores_order(digests, rnd) -> None:
    shuffled = list(digests)
    rnd.shuffle(shuffled)
    assert integrity_checksum(digests) == integrity_checksum(shuffled)


def test_pull_items_round_trip() -> None:
    snap = DossierSnapshot(uid="u", status=1, channel="2", version=1)
    item = PullItem(cursor=5, kind="online_dossier", dossier_uid="u",
                    at=datetime(2026, 3, 16, 8, 0),
                    record=DossierRecord(agency_code="000.00.01.H56", version=1,
                                         updated_at=datetime(2026, 3, 16, 8, 0), dossier=snap))
    assert PullItem.model_validate_json(item.model_dump_json()) == item


def test_the_server_status_table_is_the_desktop_one() -> None:
    from desktop.domain.status import TRANSITIONS as DESKTOP_TRANSITIONS
    from desktop.domain.status import Status

    assert STATUS_LABELS_VI == {int(s): s.label for s in Status}
    assert TRANSITIONS == {int(s): frozenset(int(t) for t in DESKTOP_TRANSITIONS[s])
                           for s in Status}


def test_the_snapshot_model_names_every_desktop_snapshot_field() -> None:
    from desktop.services.dossiers import SNAPSHOT_FIELDS

    assert set(SNAPSHOT_FIELDS) <= set(DossierSnapshot.model_fields)


def test_sync_never_imports_desktop_or_qt() -> None:
    """The wire models and the reference server stand alone (the province runs them without
    the desk app); the desk's engine and client may use desktop's store, never Qt."""
    for path in SYNC.rglob("*.py"):
        standalone = path.name in ("protocol.py", "national.py") or "server" in path.parts
        banned = ("desktop", "PySide6", "forms") if standalone else ("PySide6",)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [node.module or ""]
            else:
                continue
            for mod in mods:
                assert not mod.startswith(banned), (path, mod)
