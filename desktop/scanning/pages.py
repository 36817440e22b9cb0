"""Pages being digitised and the workspace that holds them until they become a PDF.

A `Page` is a value: where its content is (an image file, or one page of a PDF
file, both inside the workspace folder) and what the officer did to it
(quarter turns, a small straightening angle, a crop box, the colour mode of
the output). Nothing is re-encoded while the officer works: edits are
applied when a page is rendered (thumbnails, OCR) or written (desktop.scanning.pdf).

The `Workspace` is the ordered list of pages plus its folder. Pages are added
one at a time as a source yields them, so when a scanner fails in the middle
of a batch the pages already captured stay. Its methods are thread-safe (one
lock), so a worker thread may capture while the UI thread reads thumbnails.

Automatic straightening (`detect_skew`): a projection-profile search. Dark
pixels of a reduced page are projected on the vertical axis for angles in
±5° (coarse 0.25° steps, then 0.05°); text lines make the sharpest profile
(largest sum of squares) when they are level. The projection is done by
Pillow on narrow vertical strips, each strip's dark pixels counted per row
once, then the strips sheared against each other for every angle. Blank pages
(`is_blank`): the share of clearly dark pixels inside the margins is below
0.05 % (one line of text is about 0.2 %, a few specks of dust 0.003 %).

Pillow only: numpy and its OpenBLAS would be a fifth of the packaged app.
"""

from __future__ import annotations

import io
import math
import shutil
import tempfile
import threading
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PIL import Image, ImageOps

from desktop.scanning.errors import DigitisationError
from desktop.scanning.profiles import ColourMode

if TYPE_CHECKING:
    from desktop.scanning.sources import Source

#: pdfium is not thread-safe: every use of pypdfium2 in the app holds this lock.
PDFIUM_LOCK = threading.RLock()

WHITE = 255
Crop = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the shown page


@dataclass(frozen=True)
class Page:
    kind: Literal["image", "pdf"]
    path: Path
    index: int = 0  # the page number (from 0) inside a PDF file
    dpi: int = 200  # of an image file; for a PDF page, the resolution used to rasterise it
    mode: ColourMode = ColourMode.GREY
    rotation: int = 0  # clockwise quarter turns, in degrees: 0, 90, 180, 270
    skew: float = 0.0  # degrees, counter-clockwise, applied after `rotation` to straighten
    crop: Crop | None = None
    origin: str = ""  # "scanner", "file", "camera"
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def edited(self) -> bool:
        return bool(self.rotation or abs(self.skew) >= 0.01 or self.crop)


# ------------------------------------------------------------------ rendering


def normalise(img: Image.Image) -> Image.Image:
    """Grey ("L") or colour ("RGB") with a white background, whatever the file held."""
    if img.mode in ("L", "RGB"):
        return img
    if img.mode == "1":
        return img.convert("L")
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        return _sixteen_bit_to_grey(img)
    if img.mode == "F":
        return img.convert("L")  # clipped to 0…255, fractions dropped
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def _sixteen_bit_to_grey(img: Image.Image) -> Image.Image:
    """16-bit grey (scanners at "48-bit", medical and survey TIFFs) scaled down to 8 bits.

    An "I" image whose values all fit in 0…255 is already 8-bit grey stored wide:
    it is kept as it is rather than darkened 257 times.
    """
    wide = img.convert("I") if img.mode != "I" else img
    if not img.mode.startswith("I;16") and wide.getextrema()[1] <= 255:
        return wide.convert("L")
    # floor(v * 255 / 65535); the tiny offset only undoes float rounding (never a whole step).
    return wide.point(lambda v: v * (255 / 65535) + 1e-6).convert("L")


def render_pdf_page(path: Path, index: int, *, dpi: int, max_side: int | None = None,
                    grey: bool = False) -> Image.Image:
    """One page of a PDF as an image (its own /Rotate applied), via pdfium."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise DigitisationError("Không đọc được trang PDF này (tệp có thể đã hỏng).",
                                    code="broken_pdf", detail=str(exc)) from exc
        try:
            page = doc[index]
            width, height = page.get_size()
            scale = dpi / 72
            if max_side:
                scale = min(scale, max_side / max(width, height, 1))
            bitmap = page.render(scale=scale, grayscale=grey)
            img = bitmap.to_pil().copy()
            page.close()
        finally:
            doc.close()
    return normalise(img)


def _open_image(page: Page, max_side: int | None) -> Image.Image:
    try:
        img = Image.open(page.path)
        if max_side and img.format == "JPEG":
            img.draft(img.mode, (max_side, max_side))  # decode at a reduced size: fast thumbnails
        img.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise DigitisationError("Không đọc được ảnh của trang này.", code="corrupt_image",
                                detail=str(exc)) from exc
    return normalise(img)


def base_image(page: Page, *, max_side: int | None = None, dpi: int | None = None) -> Image.Image:
    """The page's content turned by its quarter turns (no straightening, no crop)."""
    if page.kind == "pdf":
        img = render_pdf_page(page.path, page.index, dpi=dpi or page.dpi, max_side=max_side)
    else:
        img = _open_image(page, max_side)
        if max_side and max(img.size) > max_side:
            img.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return rotate_quarter(img, page.rotation)


def rotate_quarter(img: Image.Image, clockwise: int) -> Image.Image:
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
             270: Image.Transpose.ROTATE_90}
    op = turns.get(clockwise % 360)
    return img.transpose(op) if op is not None else img


def straighten(img: Image.Image, skew: float) -> Image.Image:
    if abs(skew) < 0.01:
        return img
    fill = WHITE if img.mode == "L" else (WHITE, WHITE, WHITE)
    return img.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)


def apply_crop(img: Image.Image, crop: Crop | None) -> Image.Image:
    if not crop:
        return img
    w, h = img.size
    left, top, right, bottom = crop
    box = (round(left * w), round(top * h), round(right * w), round(bottom * h))
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return img
    return img.crop(box)


def render(page: Page, *, max_side: int | None = None, dpi: int | None = None) -> Image.Image:
    """The page as it will look in the PDF (before the colour mode is applied)."""
    img = base_image(page, max_side=max_side, dpi=dpi)
    return apply_crop(straighten(img, page.skew), page.crop)


def check_crop(crop: Crop | None) -> Crop | None:
    if crop is None:
        return None
    left, top, right, bottom = (float(v) for v in crop)
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise DigitisationError("Vùng cắt không hợp lệ: hãy chọn lại vùng cần giữ trên trang.",
                                code="bad_crop")
    if (right - left) < 0.02 or (bottom - top) < 0.02:
        raise DigitisationError("Vùng cắt quá nhỏ: hãy chọn lại vùng cần giữ trên trang.",
                                code="bad_crop")
    if (left, top, right, bottom) == (0.0, 0.0, 1.0, 1.0):
        return None
    return (left, top, right, bottom)


# ------------------------------------------------------------ page analysis
#
# Whole-page statistics come from the 256-bin histogram; the skew search shears
# a small image of per-strip ink counts instead of projecting every pixel.


def _grey(img: Image.Image, max_side: int) -> Image.Image:
    """The page in grey, reduced by a whole factor to about `max_side` (analysis needs no more)."""
    g = img.convert("L") if img.mode != "L" else img
    factor = max(1, max(g.size) // max_side)
    return g.reduce(factor) if factor > 1 else g


def histogram_percentile(hist: Sequence[int], q: float) -> float:
    """The `q`-th percentile of the grey values a histogram counts.

    The same value as numpy's `percentile` (linear interpolation between the
    two nearest ranks), without the pixels themselves.
    """
    total = sum(hist)
    if total == 0:
        return 0.0
    rank = q / 100 * (total - 1)
    below = math.floor(rank)
    low = _value_at_rank(hist, below)
    if rank == below:
        return float(low)
    return low + (rank - below) * (_value_at_rank(hist, below + 1) - low)


def _value_at_rank(hist: Sequence[int], rank: int) -> int:
    seen = 0
    for value, count in enumerate(hist):
        seen += count
        if seen > rank:
            return value
    return len(hist) - 1


def _count_below(hist: Sequence[int], threshold: float) -> int:
    """How many pixels are darker than `threshold` (grey values strictly below it)."""
    return sum(hist[:max(0, math.ceil(threshold))])


def _background(hist: Sequence[int]) -> float:
    """The paper's grey: bright enough that text, however much of it, does not move it."""
    return histogram_percentile(hist, 90)


def _dark_threshold(hist: Sequence[int]) -> float:
    """Clearly darker than the paper: ink, not its grain or a shadow."""
    return min(_background(hist) - 60, 170)


def _ink_ratio(g: Image.Image) -> float:
    w, h = g.size
    my, mx = max(1, h // 20), max(1, w // 20)
    if w - 2 * mx <= 0 or h - 2 * my <= 0:
        return 0.0
    hist = g.crop((mx, my, w - mx, h - my)).histogram()
    return _count_below(hist, _dark_threshold(hist)) / sum(hist)


def ink_ratio(img: Image.Image) -> float:
    """Share of clearly dark pixels inside the margins (5 % on each side)."""
    return _ink_ratio(_grey(img, 800))


BLANK_INK_RATIO = 0.0005


def is_blank(img: Image.Image, *, threshold: float = BLANK_INK_RATIO) -> bool:
    """No content worth keeping: the back of a one-sided paper, a sheet left on the glass."""
    g = _grey(img, 800)
    if _background(g.histogram()) < 100:  # a dark page (open lid, black cover): officer decides
        return False
    return _ink_ratio(g) < threshold


MAX_SKEW = 5.0
#: Width (pixels of the reduced page) of the strips whose ink is counted row by row. 255 / 15
#: is whole, so `reduce` averages a 0/255 mask into exact multiples of 17; a line tilted by
#: 5° moves about a pixel across one strip, which blurs every angle's profile alike.
SKEW_STRIP = 15


def _ink_strips(g: Image.Image, threshold: float) -> Image.Image:
    """Dark pixels counted per row in each vertical strip, as a float image (strips × rows)."""
    width = g.width - g.width % SKEW_STRIP
    lut = [255 if v < threshold else 0 for v in range(256)]
    mask = g.crop((0, 0, width, g.height)).point(lut)
    return mask.reduce((SKEW_STRIP, 1)).convert("F")


def _sharpness(strips: Image.Image, angle: float, *, row_height: int = 1) -> float:
    """Sum of squares of the ink profile along `angle`: largest when the lines are level.

    Each strip is moved up or down by its distance from the middle times
    tan(angle) (a shear: within ±5° the same as rotating, to 0.4 %), then the
    rows are summed across the strips: no pixel is rotated, the image sheared
    is one float per strip and row. Rows moved past the top or bottom land in
    rows added on both sides, so no ink is lost. `row_height`: how many
    pixel rows of the page one row of `strips` holds.
    """
    n, h = strips.size
    shift = SKEW_STRIP * math.tan(math.radians(angle)) / row_height  # rows per strip
    pad = math.ceil(abs(shift) * n / 2) + 2
    # Output row y takes input row y - pad - (x - n/2) * shift (x: the strip).
    sheared = strips.transform((n, h + 2 * pad), Image.Transform.AFFINE,
                               (1, 0, 0, -shift, 1, n / 2 * shift - pad),
                               resample=Image.Resampling.NEAREST)
    rows = array("f", sheared.resize((1, h + 2 * pad), Image.Resampling.BOX).tobytes())
    return sum(v * v for v in rows)


def _angles(low: float, high: float, step: float) -> list[float]:
    return [low + i * step for i in range(int((high - low + 1e-9) // step) + 1)]


def _best(angles: list[float], score: Callable[[float], float]) -> tuple[float, float]:
    """The angle with the highest score (the first of equals), and that score."""
    scores = [score(a) for a in angles]
    i = max(range(len(scores)), key=scores.__getitem__)
    return angles[i], scores[i]


def detect_skew(img: Image.Image, *, limit: float = MAX_SKEW) -> float:
    """The counter-clockwise angle (degrees) that levels the text lines; 0.0 when unsure.

    Pass the result to `Image.rotate` (or store it as `Page.skew`).
    """
    g = _grey(img, 1000)
    hist = g.histogram()
    threshold = _dark_threshold(hist)
    if _count_below(hist, threshold) < 200 or g.width < SKEW_STRIP:
        return 0.0
    strips = _ink_strips(g, threshold)
    # The coarse steps move a strip at the page's edge by a pixel or more: rows two pixels
    # high see that as well, in half the time.
    halved = strips.reduce((1, 2))
    coarse, _ = _best(_angles(-limit, limit, 0.25),
                      lambda a: _sharpness(halved, a, row_height=2))
    found, score = _best(_angles(coarse - 0.25, coarse + 0.25, 0.05),
                         lambda a: _sharpness(strips, a))
    flat = _sharpness(strips, 0.0)
    # Straighten only when clearly better than leaving the page as it is.
    if abs(found) < 0.15 or score < flat * 1.02:
        return 0.0
    return round(-found, 2)


# ----------------------------------------------------------------- workspace


@dataclass
class CaptureOutcome:
    """What one capture added; `error` is set when the source stopped early."""

    added: list[Page] = field(default_factory=list)
    removed_blank: list[Page] = field(default_factory=list)
    error: DigitisationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Workspace:
    """The ordered pages of one paper being digitised, and the folder that holds their files.

    Use it as a context manager (or call `close`) to delete the folder.
    """

    def __init__(self, folder: Path | None = None, *, parent: Path | None = None) -> None:
        if folder is None:
            if parent is not None:
                parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix="motcua-pages-", dir=parent))
        else:
            folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._pages: list[Page] = []
        self._lock = threading.RLock()
        self._thumbs: OrderedDict[tuple, bytes] = OrderedDict()

    # -- reading
    @property
    def pages(self) -> tuple[Page, ...]:
        with self._lock:
            return tuple(self._pages)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)

    def __iter__(self) -> Iterator[Page]:
        return iter(self.pages)

    def index_of(self, page_id: str) -> int:
        with self._lock:
            for i, p in enumerate(self._pages):
                if p.id == page_id:
                    return i
        raise KeyError(page_id)

    def page(self, page_id: str) -> Page:
        with self._lock:
            return self._pages[self.index_of(page_id)]

    # -- adding
    def add(self, page: Page, *, index: int | None = None) -> Page:
        with self._lock:
            if index is None:
                self._pages.append(page)
            else:
                self._pages.insert(max(0, min(index, len(self._pages))), page)
        return page

    def add_image(self, img: Image.Image, *, dpi: int, mode: ColourMode,
                  origin: str = "camera") -> Page:
        """A picture from a camera (or the clipboard): kept as a PNG in the folder."""
        path = self.folder / f"{origin}-{uuid.uuid4().hex}.png"
        normalise(img).save(path, format="PNG", dpi=(dpi, dpi), compress_level=1)
        return self.add(Page("image", path, dpi=dpi, mode=mode, origin=origin))

    def capture(self, source: Source, *, deskew: bool = False, drop_blank: bool = False,
                on_page: Callable[[Page], None] | None = None) -> CaptureOutcome:
        """Take pages from `source` one at a time; a failure keeps the pages captured before it.

        `on_page` is called (in this thread) after each page is added, e.g. to
        post a thumbnail to the UI.
        """
        outcome = CaptureOutcome()
        try:
            for page in source.pages(self.folder):
                if deskew or drop_blank:
                    page = self._analyse(page, deskew=deskew, drop_blank=drop_blank,
                                         outcome=outcome)
                    if page is None:
                        continue
                self.add(page)
                outcome.added.append(page)
                if on_page is not None:
                    on_page(page)
        except DigitisationError as exc:
            outcome.error = exc
        return outcome

    def _analyse(self, page: Page, *, deskew: bool, drop_blank: bool,
                 outcome: CaptureOutcome) -> Page | None:
        if page.kind != "image":
            return page
        img = base_image(page)
        if drop_blank and is_blank(img):
            outcome.removed_blank.append(page)
            return None
        if deskew:
            page = replace(page, skew=detect_skew(img))
        return page

    # -- editing
    def _replace(self, page_id: str, **changes: object) -> Page:
        with self._lock:
            i = self.index_of(page_id)
            page = replace(self._pages[i], **changes)
            self._pages[i] = page
            return page

    def rotate(self, page_id: str, degrees: int = 90) -> Page:
        """Turn a page by quarter turns (90 clockwise, -90 counter-clockwise, 180)."""
        if degrees % 90:
            raise ValueError("quarter turns only")
        page = self.page(page_id)
        # A crop box is relative to the page as shown: it turns with the page.
        crop = _turn_crop(page.crop, degrees % 360) if page.crop else None
        return self._replace(page_id, rotation=(page.rotation + degrees) % 360, crop=crop)

    def set_crop(self, page_id: str, crop: Crop | None) -> Page:
        """Keep only `crop` (fractions of the page as shown); None shows the whole page again."""
        return self._replace(page_id, crop=check_crop(crop))

    def set_skew(self, page_id: str, skew: float) -> Page:
        if abs(skew) > 45:
            raise ValueError("skew beyond 45 degrees")
        return self._replace(page_id, skew=float(skew))

    def set_mode(self, page_id: str, mode: ColourMode) -> Page:
        return self._replace(page_id, mode=ColourMode(mode))

    def delete(self, page_id: str) -> Page:
        """Remove a page (its file stays until `close`, so `add(page, index=…)` undoes it)."""
        with self._lock:
            return self._pages.pop(self.index_of(page_id))

    def move(self, page_id: str, to_index: int) -> None:
        with self._lock:
            page = self._pages.pop(self.index_of(page_id))
            self._pages.insert(max(0, min(to_index, len(self._pages))), page)

    def reorder(self, page_ids: Iterable[str]) -> None:
        """Put the pages in this order (the same ids, each once)."""
        ids = list(page_ids)
        with self._lock:
            by_id = {p.id: p for p in self._pages}
            if sorted(ids) != sorted(by_id):
                raise ValueError("reorder needs every page id exactly once")
            self._pages = [by_id[i] for i in ids]

    def deskew(self, page_id: str) -> float:
        """Detect and store the straightening angle of one page; returns it (0.0: level)."""
        page = self.page(page_id)
        angle = detect_skew(base_image(page))
        self._replace(page_id, skew=angle)
        return angle

    def blank_page_ids(self) -> list[str]:
        return [p.id for p in self.pages if is_blank(render(p, max_side=1000))]

    def remove_blank(self) -> list[Page]:
        """Remove the blank pages; returns them (to undo with `add`)."""
        return [self.delete(pid) for pid in self.blank_page_ids()]

    # -- looking
    def render(self, page_id: str, *, max_side: int | None = None) -> Image.Image:
        return render(self.page(page_id), max_side=max_side)

    def thumbnail_png(self, page_id: str, size: int = 200) -> bytes:
        """A small PNG of the page as it will look (cached per page state)."""
        page = self.page(page_id)
        key = (page.id, page.rotation, page.skew, page.crop, page.mode, size)
        with self._lock:
            if key in self._thumbs:
                self._thumbs.move_to_end(key)
                return self._thumbs[key]
        img = render(page, max_side=size * 2)
        img.thumbnail((size, size), Image.Resampling.LANCZOS)
        if page.mode != ColourMode.COLOUR:
            img = ImageOps.grayscale(img)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        data = buf.getvalue()
        with self._lock:
            self._thumbs[key] = data
            while len(self._thumbs) > 300:
                self._thumbs.popitem(last=False)
        return data

    # -- ending
    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._thumbs.clear()

    def close(self) -> None:
        self.clear()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _turn_crop(crop: Crop, clockwise: int) -> Crop:
    """A crop box of a page shown turned by a further `clockwise` degrees."""
    left, top, right, bottom = crop
    if clockwise == 90:
        return (1 - bottom, left, 1 - top, right)
    if clockwise == 180:
        return (1 - right, 1 - bottom, 1 - left, 1 - top)
    if clockwise == 270:
        return (top, 1 - right, bottom, 1 - left)
    return crop
