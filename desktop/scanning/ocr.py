"""Optional text recognition: Tesseract with its Vietnamese model (`vie`), in child processes.

Nothing requires it. `available()` says whether `tesseract` and the `vie`
language are installed and, when not, a Vietnamese sentence of what
installing them would add. `OcrJob` recognises pages on a background thread,
one `tesseract` child process per page with a timeout, so the UI thread never
waits; `cancel()` kills the running child. Tesseract is limited to one thread
(OMP_THREAD_LIMIT=1): the desk PC stays responsive while it works.

The text goes to `desktop.services.digitisation.set_ocr_text`, which indexes
it for the dossier search.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.scanning.errors import DigitisationError
from desktop.scanning.pages import Page, render, render_pdf_page

LANG = "vie"
OCR_DPI = 300
PAGE_TIMEOUT = 120.0

WHAT_IT_ADDS_VI = (
    "Cài thêm phần nhận dạng chữ (OCR) thì chữ tiếng Việt trên các trang đã quét được đọc ra, "
    "để ô tìm kiếm tìm được hồ sơ theo nội dung giấy tờ (ví dụ số giấy khai sinh, tên ghi trong "
    "giấy tờ). Không có nó, quét, lưu và xem giấy tờ vẫn dùng bình thường."
)
INSTALL_HINT_VI = (
    "Cách cài: trên Windows, cài Tesseract (bản của UB Mannheim) và chọn thêm ngôn ngữ "
    "Vietnamese; trên Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-vie."
)


@dataclass(frozen=True)
class OcrAvailability:
    ok: bool
    message_vi: str
    program: str | None = None
    version: str = ""
    languages: tuple[str, ...] = ()


def find_tesseract(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    hit = shutil.which("tesseract", path=env.get("PATH"))
    if hit:
        return hit
    if sys.platform == "win32":
        for key in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"):
            root = env.get(key)
            if root:
                for sub in ("Tesseract-OCR", "Programs/Tesseract-OCR"):
                    candidate = Path(root) / sub / "tesseract.exe"
                    if candidate.is_file():
                        return str(candidate)
    return None


def _env() -> dict[str, str]:
    return dict(os.environ, OMP_THREAD_LIMIT="1")


def _flags() -> dict:
    if sys.platform == "win32":
        return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {}


_cached: OcrAvailability | None = None


def available(*, refresh: bool = False, program: str | None = None) -> OcrAvailability:
    """Whether OCR in Vietnamese can run here (cached; `refresh` looks again)."""
    global _cached
    if _cached is not None and not refresh and program is None:
        return _cached
    exe = program or find_tesseract()
    if exe is None:
        result = OcrAvailability(False, "Chưa cài Tesseract OCR. " + WHAT_IT_ADDS_VI + " "
                                 + INSTALL_HINT_VI)
    else:
        try:
            ver = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20,
                                 env=_env(), **_flags())
            langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                                   timeout=20, env=_env(), **_flags())
        except (OSError, subprocess.TimeoutExpired):
            result = OcrAvailability(False, "Không chạy được Tesseract OCR đã cài. "
                                     + WHAT_IT_ADDS_VI + " " + INSTALL_HINT_VI, exe)
        else:
            first = (ver.stdout or ver.stderr).strip().splitlines()
            version = first[0].replace("tesseract", "").strip() if first else ""
            found = tuple(sorted({line.strip() for line in (langs.stdout + langs.stderr)
                                  .splitlines()[1:] if line.strip() and " " not in line.strip()}))
            if LANG in found:
                result = OcrAvailability(True, f"Nhận dạng chữ tiếng Việt (Tesseract {version}) "
                                         "sẵn sàng.", exe, version, found)
            else:
                result = OcrAvailability(
                    False, "Đã có Tesseract OCR nhưng thiếu gói tiếng Việt (vie). "
                    + WHAT_IT_ADDS_VI + " " + INSTALL_HINT_VI, exe, version, found)
    if program is None:
        _cached = result
    return result


def recognise_file(image: Path, *, program: str, lang: str = LANG,
                   timeout: float = PAGE_TIMEOUT,
                   started: Callable[[subprocess.Popen[bytes]], None] | None = None) -> str:
    """The text of one image file (one child process; killed after `timeout` seconds)."""
    proc = subprocess.Popen([program, str(image), "stdout", "-l", lang, "--psm", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), **_flags())
    if started is not None:
        started(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.communicate()
        raise DigitisationError("Nhận dạng chữ một trang quá lâu nên đã dừng; các trang khác "
                                "vẫn được nhận dạng.", code="ocr_timeout") from exc
    if proc.returncode != 0:
        raise DigitisationError("Tesseract OCR báo lỗi khi nhận dạng một trang.",
                                code="ocr_failed",
                                detail=err.decode("utf-8", "replace")[-300:] or
                                f"exit {proc.returncode}")
    return unicodedata.normalize("NFC", out.decode("utf-8", "replace"))


@dataclass
class OcrResult:
    texts: list[str] = field(default_factory=list)  # one per page done, in order
    pages_total: int = 0
    seconds: float = 0.0
    errors: list[DigitisationError] = field(default_factory=list)
    cancelled: bool = False

    @property
    def text(self) -> str:
        return "\n\f".join(t.strip() for t in self.texts)

    @property
    def pages_done(self) -> int:
        return len(self.texts)


class OcrJob:
    """Recognise pages on a background thread.

    `pages`: workspace pages, or a produced PDF's bytes (`pdf`). `on_progress(done,
    total)` and `on_done(result)` are called on the job's thread.
    """

    def __init__(self, pages: Sequence[Page] = (), *, pdf: bytes | None = None,
                 dpi: int = OCR_DPI, lang: str = LANG, timeout_per_page: float = PAGE_TIMEOUT,
                 on_progress: Callable[[int, int], None] | None = None,
                 on_done: Callable[[OcrResult], None] | None = None) -> None:
        self.pages = list(pages)
        self.pdf = pdf
        self.dpi = dpi
        self.lang = lang
        self.timeout = timeout_per_page
        self.on_progress = on_progress
        self.on_done = on_done
        self.result = OcrResult()
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._finished = threading.Event()

    def start(self) -> OcrJob:
        status = available()
        if not status.ok:
            raise DigitisationError(status.message_vi, code="ocr_unavailable")
        self._thread = threading.Thread(target=self._run, args=(status.program,),
                                        name="ocr", daemon=True)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    @property
    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> OcrResult | None:
        return self.result if self._finished.wait(timeout) else None

    def run(self) -> OcrResult:
        """Recognise in the calling thread (scripts, benchmarks)."""
        status = available()
        if not status.ok:
            raise DigitisationError(status.message_vi, code="ocr_unavailable")
        self._run(status.program)
        return self.result

    def _images(self, folder: Path) -> list[Callable[[], Path]]:
        makers: list[Callable[[], Path]] = []
        if self.pdf is not None:
            import pikepdf

            source = folder / "doc.pdf"
            source.write_bytes(self.pdf)
            with pikepdf.open(source) as doc:
                count = len(doc.pages)
            for i in range(count):
                def make(i: int = i) -> Path:
                    out = folder / f"p{i:04d}.png"
                    render_pdf_page(source, i, dpi=self.dpi, grey=True).save(out)
                    return out
                makers.append(make)
        for n, page in enumerate(self.pages):
            def make_page(page: Page = page, n: int = n) -> Path:
                out = folder / f"w{n:04d}.png"
                render(page, dpi=self.dpi).convert("L").save(out)
                return out
            makers.append(make_page)
        return makers

    def _run(self, program: str | None) -> None:
        started = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
                makers = self._images(Path(tmp))
                self.result.pages_total = len(makers)
                for n, make in enumerate(makers):
                    if self._cancel.is_set():
                        self.result.cancelled = True
                        break
                    try:
                        image = make()
                        text = recognise_file(image, program=program or "tesseract",
                                              lang=self.lang, timeout=self.timeout,
                                              started=self._started)
                        image.unlink(missing_ok=True)
                    except DigitisationError as exc:
                        if self._cancel.is_set():
                            self.result.cancelled = True
                            break
                        self.result.errors.append(exc)
                        text = ""
                    self.result.texts.append(text)
                    if self.on_progress is not None:
                        self.on_progress(n + 1, len(makers))
        except Exception as exc:  # noqa: BLE001 - reported, never raised on a background thread
            self.result.errors.append(DigitisationError(
                "Nhận dạng chữ bị lỗi; giấy tờ đã số hóa không bị ảnh hưởng.", code="ocr_failed",
                detail=type(exc).__name__))
        finally:
            self.result.seconds = time.perf_counter() - started
            self._finished.set()
            if self.on_done is not None:
                self.on_done(self.result)

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self._cancel.is_set():
            proc.kill()
