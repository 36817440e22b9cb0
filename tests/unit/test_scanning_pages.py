"""The digitisation workspace without a database: pages, straightening, blanks, imports, PDFs."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from desktop.scanning.errors import DigitisationError, ImportErrors
from desktop.scanning.pages import (
    Page,
    Workspace,
    detect_skew,
    histogram_percentile,
    is_blank,
    normalise,
    straighten,
)
from desktop.scanning.pdf import (
    PRODUCER,
    PdfMetadata,
    _otsu,
    assemble,
    read_metadata,
    to_bilevel,
)
from desktop.scanning.profiles import (
    DEFAULT_PROFILES,
    ColourMode,
    ScanProfile,
    kind_for,
    merged,
)
from desktop.scanning.sources import (
    FileImport,
    Naps2Scanner,
    find_naps2,
    parse_sane_options,
    sane_error,
)
from tests.digitisation_samples import blank_page, text_page

META = PdfMetadata(dossier_code="000.00.01.H56-261128-0001", title="Tờ khai đăng ký khai sinh",
                   officer="Trần Thị Thu Hà", at=datetime(2026, 11, 28, 9, 30))


@pytest.fixture
def ws(tmp_path: Path):
    with Workspace(parent=tmp_path / "work") as w:
        yield w


@pytest.fixture
def page_png(tmp_path: Path) -> Path:
    path = tmp_path / "trang.png"
    text_page(100, lines=20).save(path, dpi=(100, 100))
    return path


# ------------------------------------------------------------ straightening, blanks


def test_deskew_levels_a_page_turned_by_three_degrees() -> None:
    page = text_page(150, seed=3)
    assert detect_skew(page) == 0.0
    for turned_by in (3.0, -3.0):
        skewed = page.rotate(turned_by, resample=Image.Resampling.BICUBIC, fillcolor=244)
        found = detect_skew(skewed)
        assert found == pytest.approx(-turned_by, abs=0.2)
        assert abs(detect_skew(straighten(skewed, found))) <= 0.15


def test_workspace_deskews_on_capture_and_on_demand(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "lech.png"
    text_page(150, seed=4).rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=244).save(path)
    outcome = ws.capture(FileImport([path], ScanProfile(150)), deskew=True)
    assert outcome.ok and len(outcome.added) == 1
    assert ws.pages[0].skew == pytest.approx(-3.0, abs=0.2)
    ws.set_skew(ws.pages[0].id, 0.0)
    assert ws.deskew(ws.pages[0].id) == pytest.approx(-3.0, abs=0.2)


def test_blank_pages_are_found_and_text_pages_are_not(ws: Workspace, tmp_path: Path) -> None:
    assert is_blank(blank_page())
    assert not is_blank(text_page(100))
    assert not is_blank(text_page(100, lines=1))  # one line of text is content
    paths = []
    for n, img in enumerate((text_page(100, seed=1), blank_page(), text_page(100, seed=2))):
        paths.append(tmp_path / f"p{n}.png")
        img.save(paths[-1])
    ws.capture(FileImport(paths))
    blank_id = ws.pages[1].id
    assert ws.blank_page_ids() == [blank_id]
    removed = ws.remove_blank()
    assert [p.id for p in removed] == [blank_id] and len(ws) == 2
    outcome = Workspace(parent=tmp_path / "w2").capture(FileImport(paths), drop_blank=True)
    assert len(outcome.added) == 2 and len(outcome.removed_blank) == 1


@pytest.mark.parametrize("turned_by", [-4.8, -0.5, 0.5, 1.6, 4.8])
def test_deskew_over_the_whole_range(turned_by: float) -> None:
    page = text_page(100, lines=25, seed=6).rotate(turned_by, resample=Image.Resampling.BICUBIC,
                                                   fillcolor=244)
    assert detect_skew(page) == pytest.approx(-turned_by, abs=0.1)


def test_deskew_is_unsure_of_pages_without_lines() -> None:
    assert detect_skew(blank_page()) == 0.0
    assert detect_skew(Image.effect_noise((800, 1100), 80).convert("L")) == 0.0  # no lines
    assert detect_skew(Image.new("L", (10, 2000), 0)) == 0.0  # narrower than one strip
    grid = Image.new("L", (830, 1170), 240)
    draw = ImageDraw.Draw(grid)
    for x in range(60, 800, 120):
        draw.line((x, 60, x, 1100), fill=0, width=3)
    for y in range(60, 1120, 70):
        draw.line((60, y, 780, y), fill=0, width=3)
    assert detect_skew(grid) == 0.0  # a level table
    assert detect_skew(grid.rotate(-2, fillcolor=240)) == pytest.approx(2.0, abs=0.1)


def test_histogram_percentile_interpolates_like_numpy() -> None:
    def by_sorting(values: list[int], q: float) -> float:  # numpy's "linear" method
        values = sorted(values)
        rank = q / 100 * (len(values) - 1)
        low = int(rank)
        high = min(low + 1, len(values) - 1)
        return values[low] + (rank - low) * (values[high] - values[low])

    for values in ([7], [0, 255], [10, 10, 20, 200, 201, 250, 250, 251, 255, 3],
                   [v * 37 % 256 for v in range(1000)]):
        hist = [values.count(v) for v in range(256)]
        for q in (0, 10, 50, 90, 99.5, 100):
            assert histogram_percentile(hist, q) == pytest.approx(by_sorting(values, q))
    assert histogram_percentile([0] * 256, 90) == 0.0


def test_wide_grey_images_are_scaled_to_eight_bits() -> None:
    sixteen = Image.new("I;16", (4, 1))
    for x, v in enumerate((0, 257, 1000, 65535)):
        sixteen.putpixel((x, 0), v)
    assert normalise(sixteen).tobytes() == bytes([0, 1, 3, 255])  # v * 255 // 65535
    small = Image.new("I", (3, 1))
    for x, v in enumerate((0, 100, 255)):
        small.putpixel((x, 0), v)
    assert normalise(small).tobytes() == bytes([0, 100, 255])  # 8-bit values stored wide
    wide = Image.new("I", (2, 1))
    wide.putpixel((1, 0), 65535)
    assert normalise(wide).tobytes() == bytes([0, 255])
    floats = Image.new("F", (4, 1))
    for x, v in enumerate((-5.0, 0.6, 100.7, 300.0)):
        floats.putpixel((x, 0), v)
    assert normalise(floats).tobytes() == bytes([0, 0, 100, 255])  # clipped, fractions dropped


def test_black_and_white_is_a_plain_otsu_threshold() -> None:
    hist = [0] * 256
    hist[30], hist[220] = 100, 900  # ink and paper
    assert 30 <= _otsu(hist) < 220
    assert _otsu([0] * 256) == 128
    grey = Image.new("L", (4, 1))
    for x, v in enumerate((20, 40, 200, 230)):
        grey.putpixel((x, 0), v)
    bw = to_bilevel(grey)
    assert bw.mode == "1" and bw.convert("L").tobytes() == bytes([0, 0, 255, 255])
    page = to_bilevel(text_page(60, lines=5, seed=1))
    inside = page.crop((200, 200, 400, 400)).convert("L").histogram()
    assert inside[0] == 0  # blank paper: no dithering dots


# ------------------------------------------------------------------- page editing


def test_rotate_crop_delete_move_reorder_and_thumbnails(ws: Workspace, tmp_path: Path) -> None:
    paths = []
    for n in range(3):
        paths.append(tmp_path / f"p{n}.png")
        text_page(60, lines=5, seed=n).save(paths[-1])
    ws.capture(FileImport(paths))
    a, b, c = (p.id for p in ws.pages)
    ws.rotate(a, 90)
    assert ws.page(a).rotation == 90
    assert ws.render(a).size == (round(297 / 25.4 * 60), round(210 / 25.4 * 60))
    ws.set_crop(b, (0.1, 0.1, 0.6, 0.5))
    w, h = ws.render(b).size
    full_w, full_h = round(210 / 25.4 * 60), round(297 / 25.4 * 60)
    assert abs(w - 0.5 * full_w) <= 1 and abs(h - 0.4 * full_h) <= 1
    ws.rotate(b, 90)  # the crop turns with the page
    assert ws.page(b).crop == pytest.approx((0.5, 0.1, 0.9, 0.6))
    with pytest.raises(DigitisationError) as bad:
        ws.set_crop(c, (0.5, 0.5, 0.2, 0.9))
    assert "Vùng cắt không hợp lệ" in bad.value.message_vi
    ws.move(c, 0)
    assert [p.id for p in ws.pages] == [c, a, b]
    ws.reorder([a, b, c])
    assert [p.id for p in ws.pages] == [a, b, c]
    gone = ws.delete(b)
    assert [p.id for p in ws.pages] == [a, c]
    ws.add(gone, index=1)  # undo
    assert [p.id for p in ws.pages] == [a, b, c]
    png = ws.thumbnail_png(a, 120)
    thumb = Image.open(io.BytesIO(png))
    assert max(thumb.size) == 120 and thumb.width > thumb.height  # turned page
    assert ws.thumbnail_png(a, 120) is png  # cached until the page changes


# --------------------------------------------------------------------------- profiles


def test_profiles_per_kind_of_paper() -> None:
    assert kind_for("Tờ khai đăng ký khai sinh") == "form"
    assert kind_for("Thẻ căn cước công dân") == "id_card"
    assert kind_for("Giấy chứng nhận kết hôn (bản sao)") == "certificate"
    assert kind_for("Ảnh chân dung 4x6") == "photo"
    assert kind_for("Một thứ gì khác") == "general"
    assert kind_for("Giấy khai sinh", result=True) == "result"
    assert DEFAULT_PROFILES["certificate"].mode == ColourMode.COLOUR
    changed = merged({"form": {"dpi": 300, "mode": "bw"}, "photo": {"dpi": 5000},
                      "nonsense": {"dpi": 100}})
    assert changed["form"] == ScanProfile(300, ColourMode.BW)
    assert changed["photo"] == DEFAULT_PROFILES["photo"]  # an impossible value is ignored
    assert "nonsense" not in changed
    assert ScanProfile.from_json(ScanProfile(150, "colour", feeder=True).to_json()) == \
        ScanProfile(150, ColourMode.COLOUR, feeder=True)


# ------------------------------------------------------------------------ bad files


def _encrypted_pdf(path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path, encryption=pikepdf.Encryption(user="mat-khau", owner="chu-so-huu"))


def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


BAD_FILES = {
    "corrupt.jpg": ("corrupt_image", "Tệp ảnh bị hỏng"),
    "encrypted.pdf": ("encrypted_pdf", "đặt mật khẩu"),
    "broken.pdf": ("broken_pdf", "Tệp PDF bị hỏng"),
    "empty.png": ("empty_file", "Tệp rỗng"),
    "huge.tif": ("too_large", "Tệp quá lớn (300 MB)"),
    "hoso.docx": ("unsupported_type", "Không hỗ trợ loại tệp này (.docx)"),
}


def _make_bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "corrupt.jpg":
        good = io.BytesIO()
        text_page(60, lines=5).save(good, format="JPEG")
        path.write_bytes(good.getvalue()[: len(good.getvalue()) // 3])  # cut short
    elif name == "encrypted.pdf":
        _encrypted_pdf(path)
    elif name == "broken.pdf":
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    elif name == "empty.png":
        path.write_bytes(b"")
    elif name == "huge.tif":
        with open(path, "wb") as fh:
            fh.write(b"II*\x00")
            fh.truncate(300 * 1024 * 1024)  # sparse: nothing is written, nothing is read
    else:
        _docx(path)
    return path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_refused_in_vietnamese_and_earlier_pages_stay(
        ws: Workspace, tmp_path: Path, page_png: Path, name: str) -> None:
    assert ws.capture(FileImport([page_png])).ok
    before = ws.pages
    outcome = ws.capture(FileImport([_make_bad(tmp_path, name)]))
    code, words = BAD_FILES[name]
    assert outcome.error is not None and outcome.error.code == code
    assert words in outcome.error.message_vi
    assert ws.pages == before  # the page captured earlier is still there, nothing was added
    assert not any(p.name.startswith("import-") and p.suffix == ".pdf"
                   for p in ws.folder.iterdir())  # a refused PDF's copy is removed


def test_one_bad_file_among_good_ones(ws: Workspace, tmp_path: Path, page_png: Path) -> None:
    docx = _make_bad(tmp_path, "hoso.docx")
    empty = _make_bad(tmp_path, "empty.png")
    outcome = ws.capture(FileImport([page_png, docx, page_png, empty]))
    assert len(outcome.added) == 2 and len(ws) == 2
    assert isinstance(outcome.error, ImportErrors)
    assert "Không nhập được 2 tệp" in outcome.error.message_vi
    assert "hoso.docx" in outcome.error.message_vi and "empty.png" in outcome.error.message_vi
    assert "hoso.docx" not in outcome.error.detail  # names stay out of the log text


def test_multipage_tiff_and_jpeg_import(ws: Workspace, tmp_path: Path) -> None:
    frames = [text_page(80, lines=3, seed=n) for n in range(3)]
    tiff = tmp_path / "ba-trang.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(80, 80))
    jpeg = tmp_path / "anh.jpg"
    text_page(80, lines=3).convert("RGB").save(jpeg, quality=80, dpi=(80, 80))
    outcome = ws.capture(FileImport([tiff, jpeg], ScanProfile(200, ColourMode.COLOUR)))
    assert outcome.ok and len(ws) == 4
    assert all(p.dpi == 80 for p in ws.pages)
    assert ws.pages[3].path.read_bytes() == jpeg.read_bytes()  # kept byte for byte


# --------------------------------------------------------------------------- the PDF


def test_pdf_of_images_and_pdf_pages_with_metadata(ws: Workspace, tmp_path: Path) -> None:
    grey = tmp_path / "xam.png"
    text_page(100, lines=10).save(grey, dpi=(100, 100))
    colour = tmp_path / "mau.jpg"
    text_page(100, lines=10).convert("RGB").save(colour, quality=80, dpi=(100, 100))
    source_pdf = tmp_path / "nhap.pdf"
    src = pikepdf.new()
    for _ in range(2):
        src.add_blank_page(page_size=(595, 842))
    src.save(source_pdf)
    ws.capture(FileImport([grey], ScanProfile(100, ColourMode.GREY)))
    ws.capture(FileImport([grey], ScanProfile(100, ColourMode.BW)))
    ws.capture(FileImport([colour, source_pdf], ScanProfile(100, ColourMode.COLOUR)))
    pdf_page = ws.pages[3]
    ws.rotate(pdf_page.id, 90)
    ws.set_crop(pdf_page.id, (0.0, 0.0, 0.5, 1.0))

    result = assemble(ws.pages, META)
    reader = PdfReader(io.BytesIO(result.data))
    assert result.pages == len(reader.pages) == 5
    filters = [str(p["/Resources"]["/XObject"][k]["/Filter"]).strip("[]'")
               for p in reader.pages[:3] for k in p["/Resources"]["/XObject"]]
    assert filters == ["/DCTDecode", "/CCITTFaxDecode", "/DCTDecode"]
    colour_jpeg = reader.pages[2]["/Resources"]["/XObject"]
    assert colour.read_bytes() in [colour_jpeg[k].get_data() for k in colour_jpeg]  # unchanged
    turned = reader.pages[3]
    assert turned.rotation == 90
    # A box on the left half of the turned page is the lower half of the unturned one.
    assert [round(float(v)) for v in turned.cropbox] == [0, 0, 595, 421]
    info = read_metadata(result.data)
    assert info["Title"] == "Tờ khai đăng ký khai sinh"
    assert info["Author"] == "Trần Thị Thu Hà"
    assert info["Keywords"] == META.dossier_code
    assert info["MotCuaDossierCode"] == META.dossier_code
    assert info["MotCuaComponent"] == META.title
    assert info["MotCuaOfficer"] == "Trần Thị Thu Hà"
    assert info["MotCuaDigitisedAt"] == "2026-11-28T09:30:00"
    assert info["CreationDate"].startswith("D:20261128093000")


XMP = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
       "pdf": "http://ns.adobe.com/pdf/1.3/"}


def test_xmp_metadata_is_well_formed_and_escaped(ws: Workspace, page_png: Path) -> None:
    ws.capture(FileImport([page_png]))
    meta = PdfMetadata(dossier_code="H56-0001", title="Giấy <bản sao> & \x07bản chính",
                       officer="Lê Văn \"Tý\"", at=datetime(2026, 11, 28, 9, 30),
                       kind="result", office="UBND xã Tân Phú")
    data = assemble(ws.pages, meta).data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stream = pdf.Root.Metadata
        assert (stream.Type, stream.Subtype) == (pikepdf.Name.Metadata, pikepdf.Name.XML)
        packet = stream.read_bytes()
        with pdf.open_metadata() as xmp:  # what other programs read (pikepdf parses with lxml)
            assert xmp["dc:title"] == "Giấy <bản sao> & bản chính"  # the bell is dropped
            assert xmp["dc:creator"] == ['Lê Văn "Tý"']
            assert xmp["dc:description"] == "Kết quả của hồ sơ H56-0001 — UBND xã Tân Phú"
            assert xmp["pdf:Keywords"] == "H56-0001"
            assert xmp["pdf:Producer"] == xmp["xmp:CreatorTool"] == PRODUCER
            assert xmp["xmp:CreateDate"].startswith("2026-11-28T09:30:00")
    assert packet.startswith('<?xpacket begin="\ufeff"'.encode()) and \
        packet.rstrip().endswith(b'<?xpacket end="w"?>')
    root = ET.fromstring(packet.decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    title = root.find("rdf:RDF/rdf:Description/dc:title/rdf:Alt/rdf:li", XMP)
    assert title is not None and title.text == "Giấy <bản sao> & bản chính"
    assert read_metadata(data)["Title"] == "Giấy <bản sao> & \x07bản chính"  # docinfo as given


APP_WITHOUT_NUMPY_OR_LXML = """
import sys
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw

from desktop.scanning.pages import Workspace
from desktop.scanning.pdf import PdfMetadata, assemble, read_metadata
from desktop.scanning.profiles import ColourMode, ScanProfile
from desktop.scanning.sources import FileImport

folder = Path(sys.argv[1])
paths = []
for n, mode in enumerate(("L", "RGB", "I;16")):
    img = Image.new("L", (600, 850), 240)
    for y in range(80, 760, 30):
        ImageDraw.Draw(img).rectangle((60, y, 540, y + 8), fill=20)
    img = img.rotate(2, fillcolor=240)
    img = img.convert("I").point(lambda v: v * 256).convert("I;16") if mode == "I;16" \
        else img.convert(mode)
    paths.append(folder / f"p{n}.png")
    img.save(paths[-1], dpi=(75, 75))
with Workspace(parent=folder) as ws:
    assert ws.capture(FileImport(paths, ScanProfile(75)), deskew=True, drop_blank=True).ok
    ws.set_mode(ws.pages[1].id, ColourMode.BW)
    ws.set_mode(ws.pages[2].id, ColourMode.COLOUR)
    assert ws.blank_page_ids() == [] and ws.thumbnail_png(ws.pages[0].id)
    data = assemble(ws.pages, PdfMetadata("X", "T", "O", datetime(2026, 1, 1))).data
    assert read_metadata(data)["Title"] == "T"
print(sorted(m for m in ("numpy", "lxml") if m in sys.modules))
"""


def test_pages_and_pdfs_need_neither_numpy_nor_lxml(tmp_path: Path) -> None:
    """The packaged app leaves both out (48 MB): the digitisation path must not import them."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", APP_WITHOUT_NUMPY_OR_LXML, str(tmp_path)],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_large_photos_are_scaled_to_the_profile_and_empty_input_is_refused(
        ws: Workspace, tmp_path: Path) -> None:
    photo = tmp_path / "chup.png"
    text_page(300, lines=8).save(photo)  # no resolution recorded: taken to fill an A4 page
    ws.capture(FileImport([photo], ScanProfile(100, ColourMode.GREY)))
    assert ws.pages[0].dpi == 300
    small = assemble(ws.pages, META, target_dpi=100)
    big = assemble(ws.pages, META)
    assert small.size < big.size / 3
    page = PdfReader(io.BytesIO(small.data)).pages[0]
    assert round(float(page.mediabox.width)) == 595  # still A4 (in points)
    with pytest.raises(DigitisationError) as none:
        assemble([], META)
    assert "Chưa có trang nào" in none.value.message_vi


# --------------------------------------------------------------- scanner plumbing


SANE_TEST_OPTIONS = """
All options specific to device `test':
  Scan Mode:
    --mode Gray|Color [Gray]
    --depth 1|8|16 [8]
    --resolution 1..1200dpi (in steps of 1) [0.000762939]
    --source Flatbed|Automatic Document Feeder [Flatbed]
"""
SANE_BROTHER_OPTIONS = """
    --mode Black & White|Gray[Error Diffusion]|True Gray|24bit Color [24bit Color]
    --resolution 100|150|200|300|400|600|1200|2400|4800|9600dpi [200]
    --source FlatBed|Automatic Document Feeder(left aligned)|Automatic Document Feeder(centrally aligned) [Automatic Document Feeder(left aligned)]
"""


def test_sane_options_are_matched_to_the_profile() -> None:
    test = parse_sane_options(SANE_TEST_OPTIONS)
    assert test.mode_for(ColourMode.GREY) == "Gray"
    assert test.mode_for(ColourMode.BW) == "Gray"  # thresholded by us, the same everywhere
    assert test.mode_for(ColourMode.COLOUR) == "Color"
    assert test.resolution_for(200) == 200 and test.resolution_for(5000) == 1200
    assert test.feeder_source() == "Automatic Document Feeder"
    brother = parse_sane_options(SANE_BROTHER_OPTIONS)
    assert brother.mode_for(ColourMode.GREY) == "True Gray"
    assert brother.mode_for(ColourMode.COLOUR) == "24bit Color"
    assert brother.resolution_for(250) == 300 and brother.resolution_for(175) == 200
    assert brother.feeder_source() == "Automatic Document Feeder(left aligned)"


def test_scanner_errors_say_what_to_do_and_what_was_kept() -> None:
    io_error = sane_error("scanimage: sane_read: Error during device I/O\n", 9, 2, "test:0")
    assert io_error.code == "scanner_io_error"
    assert "Mất kết nối với máy quét" in io_error.message_vi
    assert "2 trang đã quét trước đó vẫn được giữ" in io_error.message_vi
    assert sane_error("sane_start: Document feeder jammed", 1, 0).code == "paper_jam"
    assert sane_error("open of device x failed: Invalid argument", 1, 0).code == \
        "scanner_not_found"
    assert sane_error("", -9, 1).code == "scanner_stopped"


def test_naps2_command_line_for_wia_and_twain(tmp_path: Path, monkeypatch) -> None:
    exe = tmp_path / "Program Files" / "NAPS2" / "NAPS2.Console.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    assert find_naps2({"PATH": "", "ProgramFiles": str(tmp_path / "Program Files")}) == exe
    assert find_naps2({"PATH": ""}) is None
    wia = Naps2Scanner("wia", program=exe)
    assert wia.list_command() == [str(exe), "--listdevices", "--driver", "wia"]
    cmd = wia.command("Canon LiDE 300", ScanProfile(200, ColourMode.GREY), r"C:\t\p-$(nnnn).png")
    assert cmd == [str(exe), "--noprofile", "--driver", "wia", "--device", "Canon LiDE 300",
                   "--source", "glass", "--dpi", "200", "--bitdepth", "gray", "--pagesize", "a4",
                   "-n", "1", "-o", r"C:\t\p-$(nnnn).png", "--force"]
    twain = Naps2Scanner("twain", program=exe)
    cmd = twain.command("Fujitsu fi-7160", ScanProfile(300, ColourMode.COLOUR, feeder=True), "o")
    assert cmd[2:6] == ["--driver", "twain", "--device", "Fujitsu fi-7160"]
    assert cmd[6:12] == ["--source", "feeder", "--dpi", "300", "--bitdepth", "color"]
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    for key in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "LOCALAPPDATA"):
        monkeypatch.delenv(key, raising=False)
    absent = Naps2Scanner("wia")
    assert not absent.available()
    with pytest.raises(DigitisationError) as missing:
        absent.devices()
    assert missing.value.code == "no_scanner_program"
    assert "Chưa cài NAPS2" in missing.value.message_vi


def test_refusal_by_size_does_not_read_the_file(tmp_path: Path) -> None:
    huge = _make_bad(tmp_path, "huge.tif")
    assert os.stat(huge).st_size == 300 * 1024 * 1024
    with pytest.raises(DigitisationError) as err:
        list(FileImport([huge]).pages(tmp_path))
    assert err.value.code == "too_large" and "tối đa 100 MB" in err.value.message_vi


def test_page_is_a_value() -> None:
    page = Page("image", Path("x.png"))
    assert not page.edited and Page("image", Path("x.png"), rotation=90).edited


@pytest.mark.parametrize("fmt, mode", [("BMP", "RGB"), ("WEBP", "RGBA"), ("PNG", "P"),
                                       ("JPEG", "CMYK"), ("PNG", "I;16"), ("TIFF", "1")])
def test_every_supported_image_kind_imports(ws: Workspace, tmp_path: Path, fmt: str,
                                            mode: str) -> None:
    path = tmp_path / f"anh.{fmt.lower()}"
    img = text_page(50, lines=3, noise=0)
    img = img.convert("I").point(lambda v: v * 256).convert("I;16") if mode == "I;16" else \
        img.convert(mode)
    img.save(path, format=fmt)
    outcome = ws.capture(FileImport([path]))
    assert outcome.ok, outcome.error
    assert ws.render(ws.pages[0].id).mode in ("L", "RGB")
    assert ws.thumbnail_png(ws.pages[0].id, 64).startswith(b"\x89PNG")
