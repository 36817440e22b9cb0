"""The catalogue through the national portal: LayThuTuc records read back into our
ProcedureRecord (sync.national.procedure_from_thu_tuc), for the whole seeded catalogue and
for what real peers send, and the DVCQG engine's daily refresh against the reference
server's /dvcqg services on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.paths import DataPaths
from desktop.services import incoming, settings
from desktop.services.catalogue import seed_catalogue
from desktop.store.database import Store, open_store
from desktop.store.models import OutboxState, Procedure
from sync.client import Offline
from sync.connectors.dvcqg import (
    CATALOGUE_LINES_KEY,
    REFERENCE_CHECKED_KEY,
    DvcqgEngine,
    PortalClient,
)
from sync.engine import make_engine
from sync.national import procedure_from_thu_tuc, thu_tuc_from_procedure
from sync.protocol import ProcedureRecord
from sync.server import models as m
from tests.sync.desk_support import Desk, outbox_states
from tests.sync.support import PASSWORD

#: The conftest's `desk` speaks the national portal's services.
CONNECTOR = "dvcqg"

SEED = Path(__file__).resolve().parents[2] / "resources" / "seed" / "procedures.json"
PROCEDURES = json.loads(SEED.read_text(encoding="utf-8"))["procedures"]

#: What the LayThuTuc format cannot carry (nothing the desk computes with, except the
#: "fully online" flag that sets online level 4): they come back empty.
NOT_CARRIED = ("level", "notes", "unconfirmed", "source", "online.toan_trinh",
               "online.ghi_chu")


def _section(value: str | None) -> str:
    return "" if value in (None, "", "--") else value  # "--" is the crawl's "no section"


def _fee(f: dict[str, Any]) -> tuple[Any, ...]:
    if f["amount_vnd"] is None:
        # A fee published without an amount keeps one text: its description if any.
        return (f["channel"], None, f["description"] or f["as_published"])
    # With an amount, the published text is rebuilt from SOTIEN and DONVI.
    return (f["channel"], f["amount_vnd"], f["as_published"], f["description"] or "")


def _paper(c: dict[str, Any]) -> tuple[Any, ...]:
    # The published copies text is rebuilt from the numbers ("1 bản chính, 1 bản sao" and
    # "1 bản chính,1 bản sao" are the same).
    return (c["name"], _section(c["section"]), c["originals"], c["copies"],
            c["as_published"].replace(", ", ","))


@pytest.mark.parametrize("data", PROCEDURES, ids=[p["code"] for p in PROCEDURES])
def test_every_seeded_procedure_round_trips(data: dict[str, Any]) -> None:
    original = ProcedureRecord.model_validate(data)
    record = thu_tuc_from_procedure(original, agency_code="000.00.01.H56",
                                    unit_name="UBND xã Tân Phú")
    back = procedure_from_thu_tuc(json.loads(json.dumps(record)))  # as it comes off the wire
    a, b = original.model_dump(), back.model_dump()
    for name in ("code", "name", "field", "applicants", "announced_by", "time_rules",
                 "processing_time", "results"):
        assert b[name] == a[name], name
    assert sorted(map(_fee, b["fees"]), key=repr) == sorted(map(_fee, a["fees"]), key=repr)
    assert [_paper(c) for c in b["components"]] == [_paper(c) for c in a["components"]]
    assert set(b["online"]["kenh_nop"]) == set(a["online"]["kenh_nop"])
    assert b["online"]["toan_trinh"] is None
    assert (b["level"], b["notes"], b["unconfirmed"], b["source"]) == ("", [], [], "")


def _desk_catalogue(store: Store) -> dict[str, dict[str, Any]]:
    with store.reading() as s:
        out = {}
        for p in s.execute(select(Procedure)).scalars():
            out[p.code] = {
                "name": p.name, "field": p.field.name, "online_level": p.online_level,
                "time": (p.time_amount, p.time_unit, p.online_time_amount, p.online_time_unit),
                "cutoff": p.cutoff, "announced_by": p.announced_by, "applicants": p.applicants,
                "fees": sorted((f.channel, f.amount, f.currency, f.description or "")
                               for f in p.fees),
                "components": [(c.position, c.name, _section(c.section), c.originals,
                                c.certified, c.photocopies, c.required) for c in p.components],
                "results": [(r.code, r.name) for r in p.results],
            }
        return out


def test_the_desk_gets_the_same_catalogue_through_the_portal(store: Store,
                                                             tmp_path: Path) -> None:
    """What matters is what the desk builds from a record: seeded from the published list
    and from the list sent through LayThuTuc and read back, the two catalogues agree."""
    through = open_store(DataPaths(tmp_path / "through-portal"))
    try:
        back = [procedure_from_thu_tuc(thu_tuc_from_procedure(ProcedureRecord.model_validate(p)))
                .model_dump(mode="json") for p in PROCEDURES]
        with store.transaction() as s:
            seed_catalogue(s, incoming.PROVINCE, {"procedures": PROCEDURES})
        with through.transaction() as s:
            seed_catalogue(s, incoming.PROVINCE, {"procedures": back})
        direct, portal = _desk_catalogue(store), _desk_catalogue(through)
    finally:
        through.close()
    assert direct.keys() == portal.keys() and len(direct) == len(PROCEDURES)
    fully_online = {p["code"] for p in PROCEDURES if (p.get("online") or {}).get("toan_trinh")}
    for code, want in direct.items():
        got = portal[code]
        if code in fully_online:  # the one thing the format loses that the desk uses
            assert (want["online_level"], got["online_level"]) == ("4", "3")
            got = {**got, "online_level": "4"}
        assert got == want, code


def test_records_as_real_peers_send_them() -> None:
    record = {
        "maTTHC": " 1.000894 ", "TenTTHC": "Thủ tục đăng ký kết hôn",
        "LINHVUCTHUCHIEN": {"MALINHVUC": "G15-HT", "TENLINHVUC": "Hộ tịch"},
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [
            {"TENTRINHTU": "Nộp hồ sơ"},
            {"TENTRINHTU": "Nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm "
                           "việc tiếp theo."}]}],
        "CACHTHUCTHUCHIEN": [
            {"KENH": 1, "THOIGIAN": [
                {"THOIGIANGIAIQUYET": "3", "DONVITINH": "Ngày làm việc", "MOTA": "",
                 "PHILEPHI": [{"MAPHILEPHI": "LP1", "SOTIEN": "50.000", "DONVI": "Đồng",
                               "MOTA": "(/văn bản)"}]},
                {"THOIGIANGIAIQUYET": 0.5, "DONVITINH": "Ngày", "MOTA": None,
                 "PHILEPHI": [{"MAPHILEPHI": "LP1", "SOTIEN": "50.000", "DONVI": "Đồng",
                               "MOTA": "(/văn bản)"}]}]},
            {"KENH": "2", "THOIGIAN": [{"THOIGIANGIAIQUYET": "", "DONVITINH": "",
                                        "MOTA": "", "PHILEPHI": None}]},
            {"KENH": "Nộp qua bưu chính công ích", "THOIGIAN": []},
            {"KENH": "9", "THOIGIAN": [{"THOIGIANGIAIQUYET": 1}]},
        ],
        "THANHPHANHOSO": [{"TRUONGHOP": None, "GIAYTO": [
            {"MAGIAYTO": "GT1", "TENGIAYTO": "Tờ khai đăng ký kết hôn", "TENMAUDON": "TK.doc",
             "URL": "", "SOBANCHINH": 1, "SOBANSAO": "0"},
            {"MAGIAYTO": "GT2", "TENGIAYTO": "", "SOBANCHINH": "1"},
            {"MAGIAYTO": "GT3", "TENGIAYTO": "Giấy xác nhận tình trạng hôn nhân"}]}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ.G15.000033", "TENKETQUA": "Giấy chứng nhận kết hôn"},
                           {"MAKETQUA": "", "TENKETQUA": ""}],
        "CANCUPHAPLY": [{"SOVANBAN": "60/2014/QH13", "TENVANBAN": "Luật Hộ tịch"},
                        {"SOVANBAN": "163/QĐ-BTP", "TENVANBAN": "Quyết định công bố TTHC"}],
        "COQUANTHUCHIEN": [], "YEUCAU": "", "MOTADOITUONGTHUCHIEN": "Công dân Việt Nam",
        "TRANGTHAI": 1,
    }
    rec = procedure_from_thu_tuc(record)
    assert (rec.code, rec.name, rec.field) == ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch")
    assert rec.announced_by == "163/QĐ-BTP"
    assert rec.applicants == "Công dân Việt Nam"
    assert [(t.channel, t.amount, t.unit) for t in rec.processing_time] == [
        ("Trực tiếp", 3, "Ngày làm việc"), ("Trực tiếp", 0.5, "Ngày"), ("Trực tuyến", None, None)]
    assert rec.processing_time[0].as_published == "3 Ngày làm việc"
    assert [(f.channel, f.amount_vnd, f.as_published, f.description) for f in rec.fees] == [
        ("Trực tiếp", 50000, "50,000 Đồng", "(/văn bản)")]  # the same fee twice: once
    assert [(c.name, c.section, c.originals, c.copies) for c in rec.components] == [
        ("Tờ khai đăng ký kết hôn", None, 1, 0),
        ("Giấy xác nhận tình trạng hôn nhân", None, 0, 0)]
    assert [(r.code, r.name) for r in rec.results] == [("KQ.G15.000033",
                                                         "Giấy chứng nhận kết hôn")]
    assert rec.online is not None
    assert rec.online.kenh_nop == ["Dịch vụ bưu chính", "Trực tiếp", "Trực tuyến"]
    assert "15 giờ" in rec.time_rules[1]

    bare = procedure_from_thu_tuc({"MATTHC": 1001, "TENTTHC": "Thủ tục X", "LINHVUCTHUCHIEN": "",
                                   "CACHTHUCTHUCHIEN": None, "THANHPHANHOSO": ""})
    assert (bare.code, bare.field, bare.components, bare.online) == ("1001", "", [], None)


@pytest.mark.parametrize(("record", "message"), [
    ({"TENTTHC": "Thủ tục đăng ký khai sinh"}, "không có mã thủ tục (MATTHC)"),
    ({"MATTHC": "", "TENTTHC": "Thủ tục đăng ký khai sinh"}, "không có mã thủ tục (MATTHC)"),
    ({"MATTHC": "1.001193", "TENTTHC": "  "}, "Thủ tục 1.001193 từ cổng dịch vụ công không có "
                                             "tên (TENTTHC)"),
    ({"MATTHC": "1." * 40, "TENTTHC": "Thủ tục"}, "không hợp lệ: code"),
    (["MATTHC"], "không đúng định dạng"),
])
def test_a_record_without_code_or_name_is_refused(record: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        procedure_from_thu_tuc(record)


# --------------------------------------------------------------- the engine's refresh


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 16, 8, 30)

    def __call__(self) -> datetime:
        return self.now


def _client(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> tuple[PortalClient, list[str]]:
    """A logged-in portal client that records the services it calls."""
    client = PortalClient(f"{desk.base_url}/dvcqg", desk.agency, "tiepnhan1")
    client.login(PASSWORD)
    services: list[str] = []
    real = client.call

    def spy(service: str, **fields: Any) -> Any:
        services.append(service)
        return real(service, **fields)

    monkeypatch.setattr(client, "call", spy)
    return client, services


def _engine(desk: Desk, client: PortalClient, clock: Clock) -> DvcqgEngine:
    eng = make_engine(desk.store, client, desk.clerk, clock=clock, backoff_base=0.01,
                      backoff_cap=0.05)
    assert isinstance(eng, DvcqgEngine)
    return eng


def _procedure(desk: Desk, code: str) -> dict[str, Any] | None:
    return _desk_catalogue(desk.store).get(code)


def test_daily_refresh_loads_new_and_changed_procedures(province, desk: Desk,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code = "1.004222"  # Đăng ký thường trú: published units, fees, 15 papers in sections
    seeded = _procedure(desk, code)
    assert seeded is not None and seeded["fees"] and seeded["time"][1] == "working_days"
    with desk.store.transaction() as s:  # a procedure this desk does not have yet
        s.delete(s.execute(select(Procedure).where(Procedure.code == code)).scalar_one())
    desk.receive()
    client, services = _client(desk, monkeypatch)
    clock = Clock()
    report = _engine(desk, client, clock).run_round()
    assert report.state == "ok" and report.pushed == 1 and report.problems == []
    assert set(outbox_states(desk.store)) == {"sent"}
    assert services.count("LayDanhSachTTHC") == 1
    assert services.count("LayThuTuc") == len(PROCEDURES)
    assert _procedure(desk, code) == seeded  # as the desk had it from the published list
    # and the 38 others read back through the portal change nothing at the desk
    assert report.catalogue_changes == 1
    with desk.store.reading() as s:
        lines = settings.get(s, CATALOGUE_LINES_KEY)
        assert settings.get(s, REFERENCE_CHECKED_KEY) == "2026-03-16T08:30:00"
    assert len(lines) == len(PROCEDURES)

    # within a day: no refresh
    services.clear()
    clock.now += timedelta(hours=23)
    assert _engine(desk, client, clock).run_round().state == "ok"
    assert "LayDanhSachTTHC" not in services and "LayThuTuc" not in services

    # a day after the last one: the list; only the procedure whose line changed is fetched
    with province.store.write() as s:
        row = s.get_one(m.Procedure, "1.004873")
        data = json.loads(row.record)
        data["name"] = row.name = "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân (sửa đổi)"
        row.record = json.dumps(data, ensure_ascii=False)
    try:
        services.clear()
        clock.now += timedelta(hours=1)
        report = _engine(desk, client, clock).run_round()
        assert report.state == "ok" and report.problems == []
        assert services.count("LayDanhSachTTHC") == 1 and services.count("LayThuTuc") == 1
        assert report.catalogue_changes == 1
        changed = _procedure(desk, "1.004873")
        assert changed is not None and changed["name"].endswith("(sửa đổi)")
        assert "cập nhật 1 thủ tục theo danh mục" in report.summary_vi()
    finally:
        with province.store.write() as s:
            row = s.get_one(m.Procedure, "1.004873")
            data["name"] = row.name = "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
            row.record = json.dumps(data, ensure_ascii=False)
    client.close()


def test_a_broken_record_is_skipped_and_asked_again(desk: Desk, caplog: pytest.LogCaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = _client(desk, monkeypatch)
    real = client.procedure

    def broken(code: str) -> dict[str, Any] | None:
        if code == "1.001193":
            return {"MATTHC": code, "TENTTHC": "", "THANHPHANHOSO": "?"}
        return real(code)

    monkeypatch.setattr(client, "procedure", broken)
    desk.receive()
    clock = Clock()
    with caplog.at_level("WARNING", logger="motcua.sync.dvcqg"):
        report = _engine(desk, client, clock).run_round()
    assert report.state == "ok" and report.pushed == 1
    assert report.problems == ["Danh mục thủ tục từ cổng dịch vụ công: bỏ qua 1 thủ tục không "
                               "đọc được (1.001193); sẽ thử lại vào lần cập nhật sau."]
    assert report.problems[0] in report.summary_vi()
    assert "1.001193" in caplog.text and "Nguyễn Văn Đức" not in caplog.text
    with desk.store.reading() as s:
        lines = settings.get(s, CATALOGUE_LINES_KEY)
    assert "1.001193" not in lines and len(lines) == len(PROCEDURES) - 1
    assert _procedure(desk, "1.001193") is not None  # the desk's own stays as it was

    # the next day only the skipped one is asked for again
    services.clear()
    clock.now += timedelta(days=1)
    monkeypatch.setattr(client, "procedure", real)
    report = _engine(desk, client, clock).run_round()
    assert report.state == "ok" and report.problems == []
    assert services.count("LayThuTuc") == 1
    client.close()


def test_a_unit_the_desk_cannot_count_is_left_for_the_office(desk: Desk,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    client, _services = _client(desk, monkeypatch)
    real = client.procedure

    def months(code: str) -> dict[str, Any] | None:
        if code != "9.000001":
            return real(code)
        return {"MATTHC": code, "TENTTHC": "Thủ tục thử", "LINHVUCTHUCHIEN": [
            {"TENLINHVUC": "Hộ tịch"}], "CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [
                {"THOIGIANGIAIQUYET": "2", "DONVITINH": "Tháng", "MOTA": "02 tháng"}]}]}

    real_list = client.procedures
    monkeypatch.setattr(client, "procedure", months)
    monkeypatch.setattr(client, "procedures", lambda: [
        *real_list(), {"MATTHC": "9.000001", "TENTTHC": "Thủ tục thử"}])
    report = _engine(desk, client, Clock()).run_round()
    assert report.state == "ok" and report.problems == []
    got = _procedure(desk, "9.000001")
    assert got is not None and got["time"] == (2.0, None, None, None)
    client.close()


def test_a_refused_list_is_tried_again_next_round(desk: Desk,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = _client(desk, monkeypatch)
    real = client.call

    def refuse(service: str, **fields: Any) -> Any:
        if service == "LayDanhSachTTHC":
            return real(service, **fields).model_copy(update={
                "error_code": 7, "message": "Tài khoản không được dùng dịch vụ này."})
        return real(service, **fields)

    monkeypatch.setattr(client, "call", refuse)
    desk.receive()
    clock = Clock()
    report = _engine(desk, client, clock).run_round()
    assert report.state == "ok" and report.pushed == 1
    problem = ("Chưa cập nhật được danh mục thủ tục từ cổng dịch vụ công: Tài khoản không "
               "được dùng dịch vụ này.")
    assert report.problems == [problem]
    services.clear()
    report = _engine(desk, client, clock).run_round()  # tried again next round
    assert report.problems == [problem] and services.count("LayDanhSachTTHC") == 1
    with desk.store.reading() as s:
        assert settings.get(s, REFERENCE_CHECKED_KEY) == ""
        assert s.execute(select(Procedure.id)).first() is not None
    assert OutboxState.SENT in outbox_states(desk.store)
    client.close()


def test_a_line_cut_during_the_refresh_keeps_what_came(desk: Desk,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = _client(desk, monkeypatch)
    real = client.procedure
    asked: list[str] = []

    def cut(code: str) -> dict[str, Any] | None:
        if len(asked) == 10:
            raise Offline("Không kết nối được với cổng dịch vụ công của tỉnh.")
        asked.append(code)
        return real(code)

    monkeypatch.setattr(client, "procedure", cut)
    desk.receive()
    clock = Clock()
    report = _engine(desk, client, clock).run_round()
    assert report.state == "offline" and report.pushed == 1  # the push went first
    with desk.store.reading() as s:
        assert set(settings.get(s, CATALOGUE_LINES_KEY)) == set(asked)
        assert settings.get(s, REFERENCE_CHECKED_KEY) == ""
    monkeypatch.setattr(client, "procedure", real)
    services.clear()
    report = _engine(desk, client, clock).run_round()
    assert report.state == "ok" and report.problems == []
    assert services.count("LayThuTuc") == len(PROCEDURES) - 10
