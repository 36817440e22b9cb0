"""The national-portal connector (sync/connectors/dvcqg.py) against the reference server's
/dvcqg router on 127.0.0.1: the desk's outbox pushed as DongBoHoSoMC / CapNhatTienDoHoSoMC
in batches, a repeat that duplicates nothing, TraCuuHoSo showing what was sent, the names
the desk adds (procedure, field, office) and the papers and fees of a payload."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import func, select, update

from desktop.services import settings
from desktop.services.office import get_office
from desktop.store.models import (
    Dossier,
    OutboxItem,
    OutboxState,
    Procedure,
    ProgressRow,
    SyncConflict,
)
from sync.client import AuthRequired
from sync.connectors.dvcqg import DvcqgEngine, PortalClient
from sync.engine import SyncEngine, make_engine
from sync.server import models as m
from tests.sync.desk_support import Desk, outbox_states
from tests.sync.support import PASSWORD

#: The conftest's `desk` speaks the national portal's services.
CONNECTOR = "dvcqg"


def portal(desk: Desk, **kwargs) -> PortalClient:
    return PortalClient(f"{desk.base_url}/dvcqg", desk.agency, "tiepnhan1", **kwargs)


def engine(desk: Desk, client: PortalClient, **kwargs) -> SyncEngine:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.05)
    return make_engine(desk.store, client, desk.clerk, **kwargs)


def server_counts(province, agency: str) -> tuple[int, int, dict[str, int]]:
    with province.store.read() as s:
        office_id = s.execute(select(m.Office.id).where(m.Office.agency_code == agency)
                              ).scalar_one()
        rows = s.execute(select(m.Dossier.id, m.Dossier.code, m.Dossier.status).where(
            m.Dossier.office_id == office_id)).all()
        ids = [r.id for r in rows]
        progress = s.execute(select(func.count()).select_from(m.ProgressRow).where(
            m.ProgressRow.dossier_id.in_(ids))).scalar_one() if ids else 0
    return len(rows), progress, {r.code: r.status for r in rows}


def local(desk: Desk) -> tuple[dict[str, int], int]:
    with desk.store.reading() as s:
        dossiers = dict(s.execute(select(Dossier.code, Dossier.status)).all())
        progress = s.execute(select(func.count()).select_from(ProgressRow)).scalar_one()
    return dossiers, progress


def test_push_by_configuration(province, desk: Desk) -> None:
    ids = [desk.receive() for _ in range(7)]
    for dossier_id in ids[:3]:
        desk.hand_over(dossier_id)  # a second change of the same dossier, in order
    client = portal(desk)
    client.login(PASSWORD)
    eng = engine(desk, client, batch_size=4)  # several waves
    assert isinstance(eng, DvcqgEngine)
    report = eng.run_round()
    assert report.state == "ok", report.message_vi
    assert report.pushed == 10 and report.new_conflicts == 0
    assert set(outbox_states(desk.store)) == {"sent"}

    codes, progress_rows = local(desk)
    n, server_progress, statuses = server_counts(province, desk.agency)
    assert n == 7 and statuses == codes
    assert server_progress == progress_rows == 10

    # TraCuuHoSo shows them, in the portal's format
    for code, status in codes.items():
        found = client.lookup(code)
        assert found is not None and found["MaHoSo"] == code
        assert found["TrangThaiHoSo"] == str(status)
        assert len(found["NgayTiepNhan"]) == 14
    assert client.lookup(f"{desk.agency}-260101-9999") is None

    # a repeat (the answers were lost): nothing duplicated
    with desk.store.transaction() as s:
        s.execute(update(OutboxItem).values(state=OutboxState.PENDING))
    fresh = portal(desk)  # the stored password opens a new session
    report = engine(desk, fresh).run_round()
    assert report.state == "ok" and report.pushed == 10
    assert server_counts(province, desk.agency) == (n, server_progress, statuses)
    fresh.close()
    client.close()


def test_refusal_is_a_conflict_and_holds_the_dossier(province, desk: Desk,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = desk.receive(), desk.receive()
    desk.hand_over(a)  # a's second item waits behind its refused first one
    with desk.store.reading() as s:
        code_a = s.get_one(Dossier, a).code
    client = portal(desk)
    client.login(PASSWORD)
    real = client.push_dossiers

    def refuse_a(hosos, *, updating):
        answers = real([h for h in hosos if h.MaHoSo != code_a], updating=updating)
        it = iter(answers)
        return [(4, f"Hồ sơ {code_a} không hợp lệ: TrangThaiHoSo.") if h.MaHoSo == code_a
                else next(it) for h in hosos]

    monkeypatch.setattr(client, "push_dossiers", refuse_a)
    report = engine(desk, client).run_round()
    assert report.state == "ok" and report.pushed == 1 and report.new_conflicts == 1
    with desk.store.reading() as s:
        states = dict(s.execute(select(OutboxItem.id, OutboxItem.state).where(
            OutboxItem.dossier_id == a).order_by(OutboxItem.id)).all())
        conflict = s.execute(select(SyncConflict)).scalar_one()
        assert conflict.blocking and "không hợp lệ" in conflict.message
    assert list(states.values()) == ["conflict", "pending"]
    assert client.lookup(code_a) is None
    _n, _p, statuses = server_counts(province, desk.agency)
    assert len(statuses) == 1 and b


def test_no_stored_password_needs_login(desk: Desk) -> None:
    desk.receive()
    report = engine(desk, portal(desk)).run_round()
    assert report.state == "needs_login"
    assert set(outbox_states(desk.store)) == {"pending"}
    with pytest.raises(AuthRequired):
        portal(desk).login("sai-mat-khau")


def test_offline_marks_failed(desk: Desk) -> None:
    desk.receive()
    client = portal(desk)
    client.login(PASSWORD)
    client._http.close()  # noqa: SLF001 - the line goes down after login
    dead = PortalClient("http://127.0.0.1:9/dvcqg", desk.agency, "tiepnhan1")
    dead._session = "x"  # noqa: SLF001 - a session opened before the line went down
    report = engine(desk, dead).run_round()
    assert report.state == "offline"
    assert set(outbox_states(desk.store)) == {"failed"}


def _edit_payload(desk: Desk, item_id: int, **changes: Any) -> None:
    """Change an outbox item's payload as the desk's services would have written it
    (a value None removes the key)."""
    with desk.store.transaction() as s:
        item = s.get_one(OutboxItem, item_id)
        payload = json.loads(item.payload)
        for key, value in changes.items():
            if value is None:
                payload.pop(key, None)
            else:
                payload[key] = value
        item.payload = json.dumps(payload, ensure_ascii=False)


def _items(desk: Desk, dossier_id: int) -> list[int]:
    with desk.store.reading() as s:
        return list(s.execute(select(OutboxItem.id).where(OutboxItem.dossier_id == dossier_id)
                              .order_by(OutboxItem.id)).scalars())


def test_names_papers_and_fees_go_with_the_dossier(province, desk: Desk,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    dossier_id = desk.receive()
    sha = hashlib.sha256(b"%PDF-1.7 to khai da so hoa").hexdigest()
    # A payload with components and fees (sync.protocol.ChangePayload: ComponentData, FeeData)
    _edit_payload(desk, _items(desk, dossier_id)[0], components=[
        {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "code": "1.004873-TP01",
         "originals": 1, "present": True, "digitisation_state": 1, "file_sha256": sha},
        {"name": "Giấy tờ tùy thân", "code": "1.004873-TP02", "originals": 1, "present": True,
         "digitisation_state": 0},
    ], fees=[{"name": "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", "code": "LP01",
              "amount": 8000, "method": "Tiền mặt", "kind": "2"}])
    with desk.store.transaction() as s:
        settings.put(s, "sync.file_url", "https://motcua.example.invalid/tep/{sha256}")
    with desk.store.reading() as s:
        code = s.get_one(Dossier, dossier_id).code
        proc = s.execute(select(Procedure).where(Procedure.code == "1.004873")).scalar_one()
        proc_name, field_name = proc.name, proc.field.name
        office = get_office(s)
        assert office is not None
        office_name = office.name

    client = portal(desk)
    client.login(PASSWORD)
    sent: list[Any] = []
    real = client.push_dossiers

    def spy(hosos, *, updating):
        sent.extend(hosos)
        return real(hosos, updating=updating)

    monkeypatch.setattr(client, "push_dossiers", spy)
    report = engine(desk, client).run_round()
    assert report.state == "ok" and report.pushed == 1 and report.new_conflicts == 0

    hoso = sent[0]
    assert (hoso.MaHoSo, hoso.MaTTHC, hoso.TenTTHC, hoso.MaLinhVuc, hoso.TenLinhVuc,
            hoso.DonViXuLy) == (code, "1.004873", proc_name, "ho-tich", field_name, office_name)
    assert field_name == "Hộ tịch" and proc_name.startswith("Thủ tục cấp Giấy xác nhận")
    assert hoso.TaiLieuNop[0].DuongDanTaiTepTin == f"https://motcua.example.invalid/tep/{sha}"
    assert hoso.TaiLieuNop[1].DuongDanTaiTepTin == ""

    # what the province stored, read back by TraCuuHoSo with the portal's field names
    found = client.lookup(code)
    assert found is not None and found["HoSoCoThanhPhanSoHoa"] == "1"
    papers = [{k: t[k] for k in ("TepDinhKemId", "TenTepDinhKem", "IsDeleted", "MaThanhPhanHoSo",
                                 "DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG",
                                 "MaKetQuaThayThe")} for t in found["TaiLieuNop"]]
    assert papers == [
        {"TepDinhKemId": sha, "TenTepDinhKem": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
         "IsDeleted": "False", "MaThanhPhanHoSo": "1.004873-TP01", "DuocSoHoa": "1",
         "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""},
        {"TepDinhKemId": "", "TenTepDinhKem": "Giấy tờ tùy thân", "IsDeleted": "False",
         "MaThanhPhanHoSo": "1.004873-TP02", "DuocSoHoa": "0", "DuocTaiSuDung": "0",
         "DuocLayTuKhoDMQG": "0", "MaKetQuaThayThe": ""},
    ]
    assert found["DanhSachLePhi"] == [
        {"TenPhiLePhi": "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", "MaPhiLePhi": "LP01",
         "HinhThucThu": "Tiền mặt", "Gia": "8000", "LoaiPhiLePhi": "2"}]
    with province.store.read() as s:
        row = s.execute(select(m.Dossier).where(m.Dossier.code == code)).scalar_one()
        stored = json.loads(row.national)
        related = json.loads(row.related)
    assert (stored["TenTTHC"], stored["TenLinhVuc"], stored["MaLinhVuc"], stored["DonViXuLy"]) \
        == (proc_name, field_name, "ho-tich", office_name)
    assert related["components"][0]["url"] == f"https://motcua.example.invalid/tep/{sha}"

    # a later change that does not carry papers or fees leaves the province's as they were
    desk.hand_over(dossier_id)
    _edit_payload(desk, _items(desk, dossier_id)[-1], components=None, fees=None)
    sent.clear()
    report = engine(desk, client).run_round()
    assert report.state == "ok" and report.pushed == 1
    assert "TaiLieuNop" not in sent[0].model_fields_set
    again = client.lookup(code)
    assert again is not None and again["TrangThaiHoSo"] == "4"
    assert again["TaiLieuNop"] == found["TaiLieuNop"]
    assert again["DanhSachLePhi"] == found["DanhSachLePhi"]
    client.close()


def test_a_file_url_without_its_placeholder_is_not_used(province, desk: Desk,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dossier_id = desk.receive()
    sha = hashlib.sha256(b"mot tep khac").hexdigest()
    _edit_payload(desk, _items(desk, dossier_id)[0], components=[
        {"name": "Tờ khai", "code": "TP01", "digitisation_state": 1, "file_sha256": sha}])
    with desk.store.transaction() as s:
        settings.put(s, "sync.file_url", "https://motcua.example.invalid/tep/{id}")
    client = portal(desk)
    client.login(PASSWORD)
    sent: list[Any] = []
    real = client.push_dossiers
    monkeypatch.setattr(client, "push_dossiers", lambda hosos, *, updating: (
        sent.extend(hosos), real(hosos, updating=updating))[1])
    assert engine(desk, client).run_round().pushed == 1
    assert sent[0].TaiLieuNop[0].TepDinhKemId == sha
    assert sent[0].TaiLieuNop[0].DuongDanTaiTepTin == ""
    client.close()
