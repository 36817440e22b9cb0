"""The national-portal style services (DVCQG) of the reference server: session login,
DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo, LayDanhSachTTHC, LayThuTuc, with the field
names of shared/domain/dossier-exchange-format.md and yyyyMMddHHmmss dates."""

from __future__ import annotations

import re

import pytest

from sync.national import ERR_EXISTS, ERR_INVALID, ERR_LOGIN, ERR_NOT_FOUND, ERR_SESSION, ERR_UNIT
from sync.protocol import API_PREFIX
from tests.sync.payloads import change, new_uid
from tests.sync.support import PASSWORD

#: Every field of the dossier object, exactly as the exchange format names them.
HOSO_FIELDS = (
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "SoBienNhan", "KenhThucHien",
    "ChuHoSo", "SoGiayToChuHoSo", "LoaiDoiTuong", "MaDoiTuong", "ThongTinKhac", "Email", "Fax",
    "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy",
    "NgayTuChoi", "NgayNopHoSo", "TrangThaiHoSo", "HinhThuc", "DonViXuLy", "GhiChu",
    "TaiLieuNop", "DanhSachLePhi", "DanhSachTepDinhKemKhac", "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua", "HoSoCoThanhPhanSoHoa", "DuocThanhToanTrucTuyen", "DinhDanhCHS",
)
DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi",
               "NgayNopHoSo")
TAI_LIEU_FIELDS = ("TepDinhKemId", "TenTepDinhKem", "IsDeleted", "MaThanhPhanHoSo",
                   "DuongDanTaiTepTin", "DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG",
                   "MaKetQuaThayThe")
THU_TUC_FIELDS = ("MATTHC", "TENTTHC", "MACOQUANCONGBO", "LINHVUCTHUCHIEN", "TRINHTUTHUCHIEN",
                  "CACHTHUCTHUCHIEN", "THANHPHANHOSO", "KETQUATHUCHIEN", "CANCUPHAPLY",
                  "COQUANTHUCHIEN", "YEUCAU", "MOTADOITUONGTHUCHIEN")


@pytest.fixture
def portal(province, office):
    """(call, agency code): call(service, **fields) → the reply JSON."""
    r = office.http.post("/dvcqg/login", json={"username": office.username, "password": PASSWORD,
                                               "madonvi": office.agency_code})
    reply = r.json()
    assert r.status_code == 200 and reply["error_code"] == 0 and reply["session"]

    def call(service: str, **fields):
        body = {"session": reply["session"], "madonvi": office.agency_code, "service": service,
                **fields}
        res = office.http.post("/dvcqg/service", json=body)
        assert res.status_code == 200
        return res.json()

    return call, office.agency_code


def hoso(agency: str, seq: str = "0007", **changes):
    data = {
        "MaHoSo": f"{agency}-260316-{seq}", "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh", "MaLinhVuc": "ho-tich", "TenLinhVuc": "Hộ tịch",
        "SoBienNhan": "BN-0007", "KenhThucHien": "1", "ChuHoSo": "Phạm Thị Ngọc Lan",
        "SoGiayToChuHoSo": "075190123456", "LoaiDoiTuong": "1", "MaDoiTuong": "",
        "ThongTinKhac": "Khai sinh cho con", "Email": "lan.pham@gmail.com", "Fax": "",
        "SoDienThoai": "0912345678", "TrichYeuHoSo": "Đăng ký khai sinh - Phạm Thị Ngọc Lan",
        "NgayTiepNhan": "20260316081500", "NgayHenTra": "20260317081500", "NgayTra": "",
        "NgayKetThucXuLy": "", "NgayTuChoi": "", "NgayNopHoSo": "20260316081000",
        "TrangThaiHoSo": "2", "HinhThuc": "0", "DonViXuLy": "UBND xã Tân Phú", "GhiChu": "",
        "TaiLieuNop": [{"TepDinhKemId": "tk-01", "TenTepDinhKem": "Tờ khai đăng ký khai sinh",
                        "IsDeleted": "False", "MaThanhPhanHoSo": "1.001193-TP01",
                        "DuongDanTaiTepTin": "https://example.invalid/tk-01.pdf",
                        "DuocSoHoa": "1", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0",
                        "MaKetQuaThayThe": ""}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí hộ tịch", "MaPhiLePhi": "LP01",
                           "HinhThucThu": "Tiền mặt", "Gia": "8000", "LoaiPhiLePhi": "2"}],
        "DanhSachTepDinhKemKhac": [{"TenGiayTo": "Giấy chứng sinh", "SoLuong": "1",
                                    "LoaiGiayTo": "Bản chính"}],
        "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [], "HoSoCoThanhPhanSoHoa": "1",
        "DuocThanhToanTrucTuyen": "0",
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "075190123456"}],
    }
    data.update(changes)
    return data


def test_login_refusals_and_session_checks(province, office, portal) -> None:
    call, agency = portal
    r = office.http.post("/dvcqg/login", json={"username": office.username, "password": "sai"})
    assert r.json()["error_code"] == ERR_LOGIN and r.json()["session"] == ""
    assert "không đúng" in r.json()["message"]
    bad = office.http.post("/dvcqg/service", json={"session": "nope", "madonvi": agency,
                                                   "service": "LayDanhSachTTHC"}).json()
    assert bad["error_code"] == ERR_SESSION
    other_unit = call("LayDanhSachTTHC", madonvi="000.00.99.H56")
    assert other_unit["error_code"] == ERR_UNIT
    assert call("KhongCoDichVuNay")["error_code"] != 0


def test_push_lookup_update_and_progress(portal) -> None:
    call, agency = portal
    sent = hoso(agency)
    code = sent["MaHoSo"]
    assert call("TraCuuHoSo", mahoso=code) == {
        "error_code": 0, "message": f"Không tìm thấy hồ sơ {code}.", "result": []}
    first = call("DongBoHoSoMC", isUpdating="False", data=[sent])
    assert first["error_code"] == 0, first
    again = call("DongBoHoSoMC", isUpdating="False", data=[sent])
    assert again["error_code"] == ERR_EXISTS and "đã tồn tại" in again["message"]

    found = call("TraCuuHoSo", mahoso=code)
    assert found["error_code"] == 0 and len(found["result"]) == 1
    got = found["result"][0]
    assert set(HOSO_FIELDS) <= set(got)
    for name in HOSO_FIELDS:
        if name == "TaiLieuNop":
            assert set(TAI_LIEU_FIELDS) <= set(got[name][0])
            assert {k: got[name][0][k] for k in TAI_LIEU_FIELDS} == sent[name][0]
        else:
            assert got[name] == sent[name], name
    for name in DATE_FIELDS:
        assert got[name] == "" or re.fullmatch(r"\d{14}", got[name])

    update = hoso(agency, TrangThaiHoSo="4", GhiChu="Chuyển xử lý")
    missing = call("DongBoHoSoMC", isUpdating="True", data=[hoso(agency, seq="0099")])
    assert missing["error_code"] == ERR_NOT_FOUND
    assert call("DongBoHoSoMC", isUpdating="True", data=[update])["error_code"] == 0
    got = call("TraCuuHoSo", mahoso=code)["result"][0]
    assert (got["TrangThaiHoSo"], got["GhiChu"]) == ("4", "Chuyển xử lý")

    rows = [{"MaHoSo": code, "NguoiXuLy": "Trần Thị Thu Hà", "ChucDanh": "Công chức",
             "ThoiDiemXuLy": "20260316081500", "PhongBanXuLy": "Bộ phận một cửa",
             "NoiDungXuLy": "Tiếp nhận hồ sơ", "TrangThai": "2", "NgayBatDau": "20260316081500",
             "NgayKetThucTheoQuyDinh": "20260317081500"},
            {"MaHoSo": code, "NguoiXuLy": "Phạm Thị Ngọc Lan", "ChucDanh": "Công chức Tư pháp",
             "ThoiDiemXuLy": "20260316093000", "PhongBanXuLy": "Tư pháp - Hộ tịch",
             "NoiDungXuLy": "Chuyển xử lý", "TrangThai": "4", "NgayBatDau": "20260316093000",
             "NgayKetThucTheoQuyDinh": "20260317081500"}]
    res = call("CapNhatTienDoHoSoMC", data=rows)
    assert res["error_code"] == 0 and len(res["result"]) == 2
    repeat = call("CapNhatTienDoHoSoMC", data=rows)
    assert repeat["error_code"] == 0 and "trước đó" in repeat["result"][0]["message"]
    unknown = call("CapNhatTienDoHoSoMC", data=[{**rows[0], "MaHoSo": f"{agency}-260316-0555"}])
    assert unknown["error_code"] == ERR_NOT_FOUND


def test_dates_must_be_yyyymmddhhmmss(portal) -> None:
    call, agency = portal
    bad = call("DongBoHoSoMC", isUpdating="False",
               data=[hoso(agency, seq="0008", NgayTiepNhan="2026-03-16 08:15")])
    assert bad["error_code"] == ERR_INVALID and "NgayTiepNhan" in bad["message"]
    bad_status = call("DongBoHoSoMC", isUpdating="False",
                      data=[hoso(agency, seq="0009", TrangThaiHoSo="11")])
    assert bad_status["error_code"] == ERR_INVALID


def test_a_dossier_pushed_by_the_protocol_reads_back_as_a_portal_dossier(portal, office) -> None:
    call, agency = portal
    code = f"{agency}-260316-0021"
    uid = new_uid()
    office.http.post(f"{API_PREFIX}/changes", json=change(uid, code=code, status=2))
    got = call("TraCuuHoSo", mahoso=code)["result"][0]
    assert got["MaHoSo"] == code and got["MaTTHC"] == "1.004873"
    assert got["TenTTHC"] == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert got["TenLinhVuc"] == "Hộ tịch" and got["MaLinhVuc"] == "ho-tich"
    assert got["NgayTiepNhan"] == "20260316081500" and got["NgayHenTra"] == "20260317081500"
    assert got["TrangThaiHoSo"] == "2" and got["KenhThucHien"] == "1"
    assert got["ChuHoSo"] == "Nguyễn Văn Đức" and got["SoGiayToChuHoSo"] == "075090123456"
    assert got["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "075090123456"}]
    assert got["DonViXuLy"] == "UBND xã Tân Phú"


def test_procedure_list_and_one_procedure(portal) -> None:
    call, agency = portal
    listed = call("LayDanhSachTTHC")
    assert listed["error_code"] == 0 and len(listed["result"]) == 39
    assert {"MATTHC", "TENTTHC", "LINHVUCTHUCHIEN"} <= set(listed["result"][0])
    one = call("LayThuTuc", maTTHC="1.001193")
    assert one["error_code"] == 0
    rec = one["result"]
    assert set(THU_TUC_FIELDS) <= set(rec)
    assert rec["MATTHC"] == "1.001193" and rec["TENTTHC"] == "Thủ tục đăng ký khai sinh"
    assert rec["LINHVUCTHUCHIEN"] == [{"MALINHVUC": "ho-tich", "TENLINHVUC": "Hộ tịch"}]
    assert {w["KENH"] for w in rec["CACHTHUCTHUCHIEN"]} == {"1", "2", "3"}
    way = rec["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
    assert {"THOIGIANGIAIQUYET", "DONVITINH", "MOTA", "PHILEPHI"} <= set(way)
    papers = [g for group in rec["THANHPHANHOSO"] for g in group["GIAYTO"]]
    assert papers and {"MAGIAYTO", "TENGIAYTO", "TENMAUDON", "URL"} <= set(papers[0])
    assert rec["KETQUATHUCHIEN"] == [{"MAKETQUA": "KQ.G15.000031", "TENKETQUA": "Giấy khai sinh"}]
    assert rec["COQUANTHUCHIEN"][0]["MADONVI"] == agency
    assert call("LayThuTuc", maTTHC="9.999999")["error_code"] == ERR_NOT_FOUND
