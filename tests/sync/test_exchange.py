"""`motcua export --format dvcqg` / `motcua import`: the national portal's format exactly
(field names, yyyyMMddHHmmss dates, TaiLieuNop, QuaTrinhXuLy), a round trip from a demo
office into a fresh one, repeats that create nothing, refusals row by row."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from desktop.cli import main
from desktop.paths import DataPaths
from desktop.services import demo
from desktop.services.office import initialise_office
from desktop.store.database import open_store
from desktop.store.models import AuditEvent, Dossier, OutboxItem, Procedure, ProgressRow
from tests.conftest import admin_form, office_form
from tests.sync.test_sync_dvcqg import DATE_FIELDS, HOSO_FIELDS, TAI_LIEU_FIELDS

N = 200
NOW = datetime(2026, 3, 18, 10, 45)
DATE14 = re.compile(r"^\d{14}$")
QUA_TRINH_FIELDS = ("MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy",
                    "NoiDungXuLy", "TrangThai", "NgayBatDau", "NgayKetThucTheoQuyDinh")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("exchange") / "source")
    demo.create_demo(paths, dossiers=N, seed=11, now=NOW)
    store = open_store(paths)
    try:  # one state-secret dossier: it never leaves the office
        with store.transaction() as s:
            first = s.execute(select(Dossier.id).order_by(Dossier.id)).scalars().first()
            s.execute(update(Dossier).where(Dossier.id == first).values(state_secret=True))
    finally:
        store.close()
    return paths


@pytest.fixture(scope="module")
def exported(source: DataPaths, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("exchange-out") / "hoso.json"
    assert main(["--data-dir", str(source.root), "export", "--format", "dvcqg",
                 "--output", str(target)]) == 0
    return target


def fresh_office(root: Path) -> DataPaths:
    paths = DataPaths(root)
    store = open_store(paths)
    try:
        initialise_office(store, office_form(agency_code="000.00.02.H56"), admin_form())
    finally:
        store.close()
    return paths


def state(paths: DataPaths) -> dict[str, tuple]:
    """code → (procedure code, status, channel, name, received, due, finished, progress)."""
    store = open_store(paths)
    try:
        with store.reading() as s:
            rows = s.execute(select(Dossier, Procedure.code).join(Procedure)
                             .where(Dossier.state_secret.is_(False))).all()
            progress: dict[int, Counter] = {}
            for p in s.execute(select(ProgressRow)).scalars():
                progress.setdefault(p.dossier_id, Counter())[
                    (p.acted_at, p.status, p.content, p.officer_name)] += 1
            return {(d.code or d.uid): (code, d.status, d.channel, d.applicant_name,
                                        d.applicant_id_number, d.received_at, d.due_at,
                                        d.finished_at, d.returned_at, d.summary,
                                        len(d.components), progress.get(d.id, Counter()))
                    for d, code in rows}
    finally:
        store.close()


def test_export_is_the_portal_format(source: DataPaths, exported: Path) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert len(data) == N - 1  # the state-secret one stays home
    assert sum(len(h["QuaTrinhXuLy"]) for h in data) > N
    for hoso in data:
        assert set(HOSO_FIELDS) <= set(hoso), set(HOSO_FIELDS) - set(hoso)
        assert set(hoso) == {*HOSO_FIELDS, "QuaTrinhXuLy"}
        for name in DATE_FIELDS:
            assert hoso[name] == "" or DATE14.fullmatch(hoso[name]), (name, hoso[name])
        assert hoso["NgayTiepNhan"] or hoso["NgayNopHoSo"] or hoso["NgayTuChoi"]
        assert 1 <= int(hoso["TrangThaiHoSo"]) <= 10
        assert hoso["KenhThucHien"] in ("1", "2", "3")
        assert re.fullmatch(r"\d\.\d{6}.*", hoso["MaTTHC"])
        for t in hoso["TaiLieuNop"]:
            assert set(t) == set(TAI_LIEU_FIELDS)
        for q in hoso["QuaTrinhXuLy"]:
            assert set(q) == set(QUA_TRINH_FIELDS)
            assert q["MaHoSo"] == hoso["MaHoSo"]
            assert DATE14.fullmatch(q["ThoiDiemXuLy"])
    assert any(h["TaiLieuNop"] for h in data)


def test_export_period(source: DataPaths, tmp_path: Path) -> None:
    target = tmp_path / "march.json"
    assert main(["--data-dir", str(source.root), "export", "--from", "2026-03-01",
                 "--to", "2026-03-10", "--output", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data
    for hoso in data:
        when = hoso["NgayTiepNhan"] or hoso["NgayNopHoSo"]
        assert "20260301000000" <= when <= "20260310235959"
    assert main(["--data-dir", str(source.root), "export", "--from", "hôm qua"]) == 2


def test_round_trip_into_a_fresh_office(source: DataPaths, exported: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = fresh_office(tmp_path / "target")
    capsys.readouterr()
    assert main(["--data-dir", str(target.root), "import", str(exported)]) == 0
    out = capsys.readouterr().out
    assert f"tạo mới {N - 1} hồ sơ" in out and "từ chối 0 hồ sơ" in out
    before, after = state(source), state(target)
    assert after == before
    store = open_store(target)
    try:
        with store.reading() as s:
            assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == 0
            events = s.execute(select(AuditEvent.actor_name, AuditEvent.actor_id).where(
                AuditEvent.action == "dossier.import")).all()
            assert len(events) == N - 1
            assert set(events) == {("import", None)}
    finally:
        store.close()

    # twice: nothing new
    assert main(["--data-dir", str(target.root), "import", str(exported)]) == 0
    out = capsys.readouterr().out
    assert "tạo mới 0 hồ sơ" in out and f"{N - 1} hồ sơ đã có sẵn" in out
    assert state(target) == before


def test_refusals_row_by_row(exported: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))[:5]
    data[1]["NgayTiepNhan"] = "2026-03-16 08:15"  # not yyyyMMddHHmmss
    data[2]["MaTTHC"] = "9.999999"  # not in the catalogue
    data[3]["QuaTrinhXuLy"][0]["ThoiDiemXuLy"] = "16/03/2026"
    data[4]["TrangThaiHoSo"] = "42"
    name = data[1]["ChuHoSo"]
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = fresh_office(tmp_path / "target")
    capsys.readouterr()
    assert main(["--data-dir", str(target.root), "import", str(path)]) == 1
    captured = capsys.readouterr()
    assert "tạo mới 1 hồ sơ" in captured.out and "từ chối 4 hồ sơ" in captured.out
    err = captured.err
    assert f"Dòng 2 (hồ sơ {data[1]['MaHoSo']})" in err
    assert "ngày tiếp nhận (NgayTiepNhan) phải theo dạng yyyyMMddHHmmss" in err
    assert "thủ tục mã 9.999999 (MaTTHC) không có trong danh mục thủ tục của xã" in err
    assert "bước xử lý thứ 1: thời điểm xử lý (ThoiDiemXuLy) phải theo dạng yyyyMMddHHmmss" in err
    assert "trạng thái hồ sơ (TrangThaiHoSo) phải là một mã từ 1 đến 10" in err
    assert name not in err  # never the citizen's data
    assert set(state(target)) == {data[0]["MaHoSo"]}


@pytest.mark.parametrize(("content", "expected"), [
    ("[{\"MaHoSo\": ", "Tệp không đúng định dạng JSON (dòng 1"),
    ("{\"a\": 1}", "Tệp phải là một danh sách (JSON) các hồ sơ"),
    (b"\xff\xfe\x00", "không phải văn bản UTF-8"),
])
def test_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        content: str | bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    target = fresh_office(tmp_path / "target")
    capsys.readouterr()
    assert main(["--data-dir", str(target.root), "import", str(path)]) == 1
    assert expected in capsys.readouterr().err
    assert main(["--data-dir", str(target.root), "import", str(tmp_path / "none.json")]) == 1
    assert "Không tìm thấy tệp" in capsys.readouterr().err


def test_import_reads_the_file_row_by_row(exported: Path, tmp_path: Path, monkeypatch) -> None:
    """The rows come one at a time (chunks far smaller than the file, objects split across
    chunk ends), equal to the whole-file reading; a file cut in the middle is refused with
    its line before anything is imported."""
    from desktop.services import exchange

    monkeypatch.setattr(exchange, "_CHUNK", 97)  # every object straddles a chunk end
    rows = json.loads(exported.read_text(encoding="utf-8"))
    assert list(exchange.iter_rows(exported)) == rows
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    assert list(exchange.iter_rows(pretty)) == rows

    text = pretty.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    target = fresh_office(tmp_path / "target")
    store = open_store(target)
    try:
        with pytest.raises(exchange.ExchangeFileError) as err:
            exchange.import_dvcqg(store, cut)
        assert "dòng" in err.value.message_vi
        with store.reading() as s:
            assert s.execute(select(func.count()).select_from(Dossier)).scalar_one() == 0
    finally:
        store.close()
