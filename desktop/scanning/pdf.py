"""One PDF per component or result, from the workspace's pages.

Image pages are written by img2pdf (the image data goes into the PDF as it
is, no second compression): grey and colour pages as JPEG (quality 75, via
Pillow; grey pages first get a white paper background, `clean_background`),
black-and-white pages as 1-bit CCITT Group 4 (TIFF via Pillow,
threshold by Otsu's method). An unedited JPEG (a phone photo, a JPEG file)
goes in byte for byte when it needs no downscaling. Pages larger than the
profile's resolution (photos taken at 12 megapixels) are scaled down to it.
Pages imported from a PDF are copied as PDF pages by pikepdf (text and
vector content stay as they were); their quarter turns and crop become the
page's /Rotate and /CropBox.

The document information (and XMP) holds: title (the component or result),
subject (the dossier), author (the officer), keywords (the dossier code),
creation date, and our own keys /MotCuaDossierCode, /MotCuaComponent,
/MotCuaKind, /MotCuaOfficer, /MotCuaDigitisedAt. No citizen's data goes into
the metadata. The XMP packet is written as escaped text (`xmp_packet`), not
through pikepdf's `open_metadata`, which needs lxml (9 MB in the packaged app).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.scanning.errors import DigitisationError
from desktop.scanning.profiles import ColourMode

if TYPE_CHECKING:  # the libraries themselves are imported when a PDF is made
    import pikepdf
    from PIL import Image

    from desktop.scanning.pages import Page

JPEG_QUALITY = 75
PRODUCER = "Một Cửa (phần mềm một cửa cấp xã)"


@dataclass(frozen=True)
class PdfMetadata:
    dossier_code: str
    title: str  # the component's or the result's name
    officer: str
    at: datetime
    kind: str = "component"  # or "result"
    office: str = ""


@dataclass(frozen=True)
class AssembledPdf:
    data: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def pdf_date(at: datetime) -> str:
    """A PDF date string: D:YYYYMMDDHHmmSS+07'00' (local offset when `at` has none)."""
    if at.tzinfo is None:
        at = at.astimezone()
    offset = at.strftime("%z")  # +0700
    return f"D:{at:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


def _otsu(hist: Sequence[int]) -> int:
    """Otsu's threshold of a 256-bin histogram: the grey level that best splits ink from paper.

    Values above the threshold are paper. Pure Python: 256 steps, no array library.
    """
    total = sum(hist)
    if total == 0:
        return 128
    mean_all = sum(level * count for level, count in enumerate(hist))
    best, best_between = 0, 0.0
    weight_bg = 0  # pixels at or below the level
    cum_mean = 0  # their grey levels summed
    for level, count in enumerate(hist):
        weight_bg += count
        cum_mean += level * count
        weight_fg = total - weight_bg
        if weight_bg == 0 or weight_fg == 0:
            continue
        between = (mean_all * weight_bg - cum_mean * total) ** 2 / (weight_bg * weight_fg)
        if between > best_between:
            best, best_between = level, between
    return best


def to_bilevel(img: Image.Image) -> Image.Image:
    """Black and white for CCITT G4: paper (above Otsu's threshold, at most 200) white."""
    grey = img.convert("L") if img.mode != "L" else img
    threshold = min(_otsu(grey.histogram()), 200)
    # A plain threshold: convert("1") would dither, which G4 compresses badly.
    return grey.point([255 if v > threshold else 0 for v in range(256)], "1")


def clean_background(img: Image.Image) -> Image.Image:
    """A grey document with white paper: the paper's tone and its noise become plain white.

    Levels are stretched so that the paper (its 90th percentile, less a margin
    for noise) is 255 and black stays 0. Text gets no lighter, and JPEG no
    longer spends bytes on the grain of the paper (about a third of the size).
    """
    from desktop.scanning.pages import histogram_percentile

    paper = histogram_percentile(img.histogram(), 90)
    if paper < 140:  # a dark page: leave it as it is
        return img
    white = max(128.0, paper - 20)
    lut = [min(255, round(v * 255 / white)) for v in range(256)]
    return img.point(lut)


def _scaled(img: Image.Image, page: Page, target_dpi: int | None) -> tuple[Image.Image, int]:
    from PIL import Image

    dpi = page.dpi
    if target_dpi and dpi > target_dpi * 1.1:
        factor = target_dpi / dpi
        size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
        img = img.resize(size, Image.Resampling.LANCZOS if factor < 0.5 else
                         Image.Resampling.BICUBIC)
        dpi = target_dpi
    return img, dpi


def _passthrough_jpeg(page: Page, target_dpi: int | None) -> bytes | None:
    """The JPEG file itself, when writing it unchanged gives the same page."""
    from PIL import Image

    if page.kind != "image" or page.edited or page.mode == ColourMode.BW:
        return None
    if target_dpi and page.dpi > target_dpi * 1.1:
        return None
    with Image.open(page.path) as img:
        if img.format != "JPEG":
            return None
        if page.mode == ColourMode.GREY and img.mode != "L":
            return None
        if img.mode not in ("L", "RGB"):
            return None
    return page.path.read_bytes()


def encode_page(page: Page, *, target_dpi: int | None = None,
                jpeg_quality: int = JPEG_QUALITY) -> bytes:
    """One image page as the bytes img2pdf embeds (JPEG, or G4 TIFF for black and white)."""
    from desktop.scanning.pages import render

    same = _passthrough_jpeg(page, target_dpi)
    if same is not None:
        return same
    img, dpi = _scaled(render(page), page, target_dpi)
    buf = io.BytesIO()
    if page.mode == ColourMode.BW:
        to_bilevel(img).save(buf, format="TIFF", compression="group4", dpi=(dpi, dpi))
    else:
        if page.mode == ColourMode.COLOUR:
            img = img.convert("RGB")
        else:
            img = clean_background(img.convert("L"))
        img.save(buf, format="JPEG", quality=jpeg_quality, dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def _turned_box(box: tuple[float, float, float, float], clockwise: int
                ) -> tuple[float, float, float, float]:
    """A crop box given on the page as shown, in the page's own (unturned) frame."""
    left, top, right, bottom = box
    if clockwise == 90:
        return (top, 1 - right, bottom, 1 - left)
    if clockwise == 180:
        return (1 - right, 1 - bottom, 1 - left, 1 - top)
    if clockwise == 270:
        return (1 - bottom, left, 1 - top, right)
    return box


def _copy_pdf_page(out: pikepdf.Pdf, src: pikepdf.Pdf, page: Page) -> None:
    import pikepdf

    out.pages.append(src.pages[page.index])
    copied = out.pages[-1]
    own = int(copied.obj.get("/Rotate", 0)) % 360
    total = (own + page.rotation) % 360
    if total:
        copied.obj.Rotate = total
    elif "/Rotate" in copied.obj:
        del copied.obj["/Rotate"]
    if page.crop:
        x0, y0, x1, y1 = (float(v) for v in copied.cropbox)
        left, top, right, bottom = _turned_box(page.crop, total)
        w, h = x1 - x0, y1 - y0
        copied.obj.CropBox = pikepdf.Array([x0 + left * w, y1 - bottom * h,
                                            x0 + right * w, y1 - top * h])


def _needs_raster(page: Page) -> bool:
    """A PDF page that was straightened cannot stay vector: it is drawn and written as an image."""
    return page.kind == "pdf" and abs(page.skew) >= 0.01


def assemble(pages: Sequence[Page], meta: PdfMetadata, *, target_dpi: int | None = None,
             jpeg_quality: int = JPEG_QUALITY) -> AssembledPdf:
    """Write `pages` in order as one PDF with `meta`; returns the bytes and the page count.

    `target_dpi`: pages of a higher resolution are scaled down to it (None: kept).
    """
    import img2pdf
    import pikepdf

    if not pages:
        raise DigitisationError("Chưa có trang nào để tạo tệp PDF.", code="no_pages")
    out = pikepdf.new()
    opened: dict[Path, pikepdf.Pdf] = {}
    keep: list[pikepdf.Pdf] = []
    run: list[bytes] = []

    def flush_images() -> None:
        if not run:
            return
        try:
            made = img2pdf.convert(run)
        except Exception as exc:  # noqa: BLE001 - img2pdf raises plain exceptions
            raise DigitisationError("Không tạo được tệp PDF từ ảnh của các trang.",
                                    code="pdf_failed", detail=str(exc)[:200]) from exc
        src = pikepdf.open(io.BytesIO(made))
        keep.append(src)
        out.pages.extend(src.pages)
        run.clear()

    try:
        for page in pages:
            if page.kind == "pdf" and not _needs_raster(page):
                flush_images()
                src = opened.get(page.path)
                if src is None:
                    try:
                        src = opened[page.path] = pikepdf.open(page.path)
                    except (pikepdf.PdfError, OSError) as exc:
                        raise DigitisationError("Không đọc được tệp PDF đã nhập.",
                                                code="broken_pdf", detail=str(exc)[:200]) from exc
                _copy_pdf_page(out, src, page)
            else:
                run.append(encode_page(page, target_dpi=target_dpi,
                                       jpeg_quality=jpeg_quality))
        flush_images()
        _set_metadata(out, meta)
        buf = io.BytesIO()
        # fix_metadata_version would parse our XMP with lxml to look for a pdf:PDFVersion
        # it does not hold: lxml stays out of the app.
        out.save(buf, compress_streams=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        count = len(out.pages)
    finally:
        for pdf in (*opened.values(), *keep):
            pdf.close()
        out.close()
    return AssembledPdf(buf.getvalue(), count)


def _set_metadata(pdf: pikepdf.Pdf, meta: PdfMetadata) -> None:
    import pikepdf

    kind_vi = "Kết quả" if meta.kind == "result" else "Thành phần hồ sơ"
    subject = f"{kind_vi} của hồ sơ {meta.dossier_code}"
    if meta.office:
        subject += f" — {meta.office}"
    info = {
        "/Title": meta.title,
        "/Subject": subject,
        "/Author": meta.officer,
        "/Keywords": meta.dossier_code,
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
        "/CreationDate": pdf_date(meta.at),
        "/ModDate": pdf_date(meta.at),
        "/MotCuaDossierCode": meta.dossier_code,
        "/MotCuaComponent": meta.title,
        "/MotCuaKind": meta.kind,
        "/MotCuaOfficer": meta.officer,
        "/MotCuaDigitisedAt": meta.at.isoformat(timespec="seconds"),
    }
    for key, value in info.items():
        pdf.docinfo[key] = pikepdf.String(value)
    # XMP mirrors the standard fields (our own keys have no XMP equivalent: docinfo only).
    xmp = xmp_packet(title=meta.title, creator=meta.officer, description=subject,
                     keywords=meta.dossier_code, producer=PRODUCER,
                     created=meta.at.astimezone().isoformat(timespec="seconds"))
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata,
                                        Subtype=pikepdf.Name.XML)


# The packet pikepdf's `open_metadata` wrote before (same properties, same namespaces).
_XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>
   </dc:description>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{producer}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

# Characters XML 1.0 cannot hold at all (C0 controls but tab and newlines, lone surrogates,
# U+FFFE / U+FFFF): dropped, or no XMP reader would parse the packet.
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                          *range(0xD800, 0xE000), 0xFFFE, 0xFFFF])


def _xml_text(value: str) -> str:
    text = value.translate(_NOT_XML)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xmp_packet(*, title: str, creator: str, description: str, keywords: str, producer: str,
               created: str) -> bytes:
    """The XMP metadata packet (UTF-8) for the catalogue's /Metadata stream."""
    fields = {"title": title, "creator": creator, "description": description,
              "keywords": keywords, "producer": producer, "created": created}
    return _XMP_TEMPLATE.format(**{k: _xml_text(v) for k, v in fields.items()}).encode("utf-8")


def read_metadata(data: bytes) -> dict[str, str]:
    """The document information of a PDF (keys without the slash), e.g. for the viewer."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}


def count_pages(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def kb_per_page(result: AssembledPdf) -> float:
    return result.size / 1024 / max(result.pages, 1)
