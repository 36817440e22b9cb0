"""Where pages come from: scanners (SANE on Linux, NAPS2 console on Windows) and files.

Every source has the same shape (`Source`): `pages(workdir)` yields one `Page`
at a time, writing its files into `workdir` (the workspace folder), and
raises `DigitisationError` with a Vietnamese message when it cannot go on;
the pages it yielded before stay with the caller (`Workspace.capture`).
`cancel()` stops it from another thread.

Scanners are found through a `Scanner` (one per driver): `devices()` lists
the connected devices, `source(device, profile)` makes the `Source` of one
batch.

SANE (`SaneScanner`): the `scanimage` program of sane-utils, in batch mode
(`--batch … --batch-print`): it prints each page's file name as soon as the
page is complete, so pages arrive one by one while the feeder runs. Options
are matched to what the device offers (`scanimage -A`): its names for grey
and colour, the nearest resolution, its feeder source. Black-and-white is
scanned grey and made 1-bit when the PDF is written (our threshold, the same
on every scanner). `SANE_CONFIG_DIR` in `env` selects the backends (the
tests use a folder whose dll.conf lists only SANE's `test` device).

Windows (`Naps2Scanner`): WIA or TWAIN through the console program of NAPS2
(https://www.naps2.com, free, GPL), when it is installed:
``NAPS2.Console.exe --noprofile --driver wia|twain --device NAME --source
glass|feeder --dpi 200 --bitdepth gray|color --pagesize a4 -n 1 -o
DIR\\naps2-…-$(nnnn).png --force``; devices come from ``--listdevices
--driver wia``. It is found on PATH or under Program Files. NAPS2 writes the
page files when the whole batch is done, so on a failure in the middle of a
feeder batch the pages of that batch are lost (those of earlier batches
stay); scanning page by page on the glass loses nothing.

Files (`FileImport`): PNG, JPEG, TIFF (every page of a multi-page file), BMP,
WebP and PDF, recognised by their first bytes, not their names. A file is
refused, with the reason, when it is empty, larger than `MAX_FILE_BYTES`
(checked before it is read), of another type, a damaged image, or a PDF that
is damaged or protected by a password. PDF pages stay PDF pages (copied as
they are into the output); they are drawn only for thumbnails and OCR.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.scanning.errors import DigitisationError, ImportErrors
from desktop.scanning.pages import Page, normalise
from desktop.scanning.profiles import ColourMode, ScanProfile

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_IMAGE_PIXELS = 120_000_000  # about A3 at 1200 dpi
MAX_PDF_PAGES = 500


@dataclass(frozen=True)
class Device:
    id: str  # what the driver opens: a SANE name ("test:0"), a WIA/TWAIN device name
    name: str  # what the officer sees
    driver: str  # "sane", "wia", "twain"


class Source(Protocol):
    def pages(self, workdir: Path) -> Iterator[Page]: ...

    def cancel(self) -> None: ...


class Scanner(Protocol):
    driver: str

    def available(self) -> bool: ...

    def devices(self) -> list[Device]: ...

    def source(self, device: Device | str, profile: ScanProfile, *,
               max_pages: int | None = None) -> Source: ...


def _kept(pages: int) -> str:
    return f" {pages} trang đã quét trước đó vẫn được giữ." if pages else ""


def _subprocess_flags() -> dict:
    if sys.platform == "win32":  # no console window flashing up from a windowed app
        return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {}


# ----------------------------------------------------------------------- SANE


@dataclass(frozen=True)
class SaneOptions:
    modes: tuple[str, ...] = ()
    resolutions: tuple[int, ...] = ()  # a list the device accepts, or ()
    resolution_range: tuple[int, int] | None = None
    sources: tuple[str, ...] = ()

    def mode_for(self, mode: ColourMode) -> str | None:
        wanted = {
            ColourMode.COLOUR: ("color", "colour", "24bit color", "rgb", "true color"),
            # Black and white is scanned grey and thresholded by us (pdf.py).
            ColourMode.GREY: ("gray", "grey", "grayscale", "greyscale", "true gray", "8bit gray"),
        }
        order = [ColourMode.GREY, ColourMode.COLOUR] if mode != ColourMode.COLOUR else [
            ColourMode.COLOUR, ColourMode.GREY]
        lowered = {m.lower(): m for m in self.modes}
        for kind in order:
            for name in wanted[kind]:
                if name in lowered:
                    return lowered[name]
            for low, original in lowered.items():
                if any(name in low for name in wanted[kind][:2]):
                    return original
        return None

    def resolution_for(self, dpi: int) -> int:
        if self.resolutions:
            return min(self.resolutions, key=lambda r: (abs(r - dpi), -r))
        if self.resolution_range:
            low, high = self.resolution_range
            return max(low, min(high, dpi))
        return dpi

    def feeder_source(self) -> str | None:
        for s in self.sources:
            low = s.lower()
            if ("feeder" in low or "adf" in low) and "duplex" not in low:
                return s
        return None


_OPTION = re.compile(
    r"^\s*--(mode|resolution|source)\s+(.+?)(?:\s+\(in steps of [^)]*\))?(?:\s+\[[^\]]*\])?\s*$")


def parse_sane_options(text: str) -> SaneOptions:
    """The options of `scanimage -d DEVICE -A` that profiles use."""
    modes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    resolutions: tuple[int, ...] = ()
    res_range: tuple[int, int] | None = None
    for line in text.splitlines():
        m = _OPTION.match(line)
        if not m:
            continue
        name, spec = m.group(1), m.group(2).strip()
        if name == "mode":
            modes = tuple(v.strip() for v in spec.split("|") if v.strip())
        elif name == "source":
            sources = tuple(v.strip() for v in spec.split("|") if v.strip())
        else:
            spec = re.sub(r"dpi$", "", spec)
            if ".." in spec:
                low, _, high = spec.partition("..")
                try:
                    res_range = (int(float(low)), int(float(high)))
                except ValueError:
                    pass
            else:
                values = []
                for v in spec.split("|"):
                    try:
                        values.append(int(float(v)))
                    except ValueError:
                        continue
                resolutions = tuple(values)
    return SaneOptions(modes, resolutions, res_range, sources)


def sane_error(stderr: str, returncode: int, pages: int, device_name: str = "") -> DigitisationError:
    """A Vietnamese message for what scanimage said on stderr."""
    low = stderr.lower()
    detail = stderr.strip()[-500:]
    what = f" {device_name}" if device_name else ""
    if "out of documents" in low or "no documents" in low:
        return DigitisationError("Khay nạp giấy của máy quét không có giấy. Đặt giấy vào khay "
                                 "rồi quét lại." + _kept(pages), code="feeder_empty", detail=detail)
    if "jammed" in low:
        return DigitisationError("Giấy bị kẹt trong máy quét. Gỡ tờ bị kẹt rồi quét tiếp."
                                 + _kept(pages), code="paper_jam", detail=detail)
    if "cover open" in low or "cover is open" in low:
        return DigitisationError("Nắp máy quét đang mở. Đóng nắp rồi quét lại." + _kept(pages),
                                 code="cover_open", detail=detail)
    if "access to resource has been denied" in low or "access denied" in low:
        return DigitisationError(
            "Không có quyền dùng máy quét. Trên Linux, tài khoản đăng nhập máy tính cần thuộc "
            "nhóm «scanner» (nhờ cán bộ tin học thêm vào)." + _kept(pages),
            code="scanner_denied", detail=detail)
    if "device busy" in low:
        return DigitisationError("Máy quét đang bận (có thể một chương trình khác đang dùng). "
                                 "Đợi một lát rồi thử lại." + _kept(pages),
                                 code="scanner_busy", detail=detail)
    if "open of device" in low or "no such device" in low:
        return DigitisationError(
            f"Không mở được máy quét{what}. Kiểm tra máy đã bật và cắm cáp, rồi bấm "
            "«Tìm máy quét» để chọn lại." + _kept(pages), code="scanner_not_found", detail=detail)
    if "error during device i/o" in low or "i/o error" in low:
        return DigitisationError(
            f"Mất kết nối với máy quét{what} giữa chừng (máy bị tắt hoặc rút cáp?). Kiểm tra "
            "máy rồi quét tiếp." + _kept(pages), code="scanner_io_error", detail=detail)
    if returncode < 0:
        return DigitisationError(
            f"Máy quét{what} ngừng giữa chừng (chương trình quét bị dừng). Kiểm tra máy rồi "
            "quét tiếp." + _kept(pages), code="scanner_stopped", detail=detail or str(returncode))
    return DigitisationError(f"Máy quét{what} báo lỗi và đã dừng." + _kept(pages),
                             code="scanner_failed", detail=detail or f"exit {returncode}")


_NOT_INSTALLED_SANE = DigitisationError(
    "Chưa cài chương trình quét SANE (scanimage). Nhờ cán bộ tin học cài gói «sane-utils»; "
    "trong lúc chờ, có thể nhập ảnh hoặc tệp PDF đã quét.", code="no_scanner_program")


class SaneScanner:
    """Scanners reached through SANE's `scanimage` command."""

    driver = "sane"

    def __init__(self, program: str = "scanimage", *, env: Mapping[str, str] | None = None,
                 extra_args: Sequence[str] = (), timeout: float = 60.0) -> None:
        self.program = program
        self.env = dict(os.environ, **env) if env else None
        self.extra_args = tuple(extra_args)  # device options, e.g. ("--test-picture", "Grid")
        self.timeout = timeout
        self._options: dict[str, SaneOptions] = {}

    def executable(self) -> str | None:
        return shutil.which(self.program)

    def available(self) -> bool:
        return self.executable() is not None

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        exe = self.executable()
        if exe is None:
            raise _NOT_INSTALLED_SANE
        try:
            return subprocess.run([exe, *args], capture_output=True, text=True, env=self.env,
                                  timeout=self.timeout, **_subprocess_flags())
        except subprocess.TimeoutExpired as exc:
            raise DigitisationError("Máy quét không trả lời. Kiểm tra máy đã bật và cắm cáp "
                                    "rồi thử lại.", code="scanner_timeout",
                                    detail=f"{args[:2]} timed out") from exc

    def devices(self) -> list[Device]:
        proc = self._run(["-f", "%d\t%v %m\t%t%n"])
        found = []
        for line in proc.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].strip():
                name = " ".join(p.strip() for p in parts[1:] if p.strip())
                found.append(Device(parts[0].strip(), name or parts[0].strip(), self.driver))
        return found

    def options(self, device_id: str) -> SaneOptions:
        if device_id not in self._options:
            proc = self._run(["-d", device_id, "-A"])
            if proc.returncode != 0:
                raise sane_error(proc.stderr, proc.returncode, 0, device_id)
            self._options[device_id] = parse_sane_options(proc.stdout)
        return self._options[device_id]

    def command(self, device_id: str, profile: ScanProfile, pattern: str, *,
                max_pages: int | None = None) -> list[str]:
        """The scanimage arguments (after the program) for one batch."""
        opts = self.options(device_id)
        args = ["-d", device_id, "--format=png", f"--batch={pattern}", "--batch-print"]
        mode = opts.mode_for(profile.mode)
        if mode:
            args += ["--mode", mode]
        args += ["--resolution", str(opts.resolution_for(profile.dpi))]
        feeder = opts.feeder_source() if profile.feeder else None
        if feeder:
            args += ["--source", feeder]
            if max_pages:
                args.append(f"--batch-count={max_pages}")
        else:
            args.append(f"--batch-count={max_pages or 1}")
        return args + list(self.extra_args)

    def source(self, device: Device | str, profile: ScanProfile, *,
               max_pages: int | None = None, page_timeout: float = 180.0) -> SaneBatch:
        device_id = device.id if isinstance(device, Device) else device
        return SaneBatch(self, device_id, profile, max_pages, page_timeout=page_timeout)


class SaneBatch:
    """One run of scanimage: pages are yielded as scanimage finishes each.

    Two watchdogs, because drivers hang: when scanimage has reported the end
    of the batch ("Batch terminated") but does not exit within END_GRACE
    seconds (some backends hang closing the device after an error), it is
    stopped and the batch ends normally, its error (if any) reported; when no
    page arrives for `page_timeout` seconds, the scanner is taken as hung,
    stopped, and the pages before stay.
    """

    END_GRACE = 3.0

    def __init__(self, scanner: SaneScanner, device_id: str, profile: ScanProfile,
                 max_pages: int | None, *, page_timeout: float = 180.0) -> None:
        self.scanner = scanner
        self.device_id = device_id
        self.profile = profile
        self.max_pages = max_pages
        self.page_timeout = page_timeout
        self.process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()

    def pages(self, workdir: Path) -> Iterator[Page]:
        exe = self.scanner.executable()
        if exe is None:
            raise _NOT_INSTALLED_SANE
        token = uuid.uuid4().hex[:8]
        pattern = str(workdir / f"scan-{token}-%04d.png")
        args = self.scanner.command(self.device_id, self.profile, pattern,
                                    max_pages=self.max_pages)
        dpi = self.scanner.options(self.device_id).resolution_for(self.profile.dpi)
        err_path = workdir / f".scan-{token}.log"
        count = 0
        hung = stopped_after_end = False
        lines: queue.Queue[str | None] = queue.Queue()
        with open(err_path, "w+", encoding="utf-8", errors="replace") as err:
            proc = self.process = subprocess.Popen(
                [exe, *args], stdout=subprocess.PIPE, stderr=err, text=True,
                env=self.scanner.env, **_subprocess_flags())

            def read_stdout() -> None:
                assert proc.stdout is not None
                for line in proc.stdout:
                    lines.put(line)
                lines.put(None)

            threading.Thread(target=read_stdout, name="scanimage-out", daemon=True).start()
            try:
                last_page = time.monotonic()
                ended_at: float | None = None
                while True:
                    try:
                        line = lines.get(timeout=0.25)
                    except queue.Empty:
                        now = time.monotonic()
                        if ended_at is None and "Batch terminated" in err_path.read_text(
                                encoding="utf-8", errors="replace"):
                            ended_at = now
                        if ended_at is not None and now - ended_at > self.END_GRACE:
                            stopped_after_end = True
                            _stop(proc)
                        elif now - last_page > self.page_timeout:
                            hung = True
                            _stop(proc)
                        continue
                    if line is None:
                        break
                    path = Path(line.strip())
                    if not line.strip() or not path.is_file():
                        continue
                    count += 1
                    last_page = time.monotonic()
                    yield Page("image", path, dpi=dpi, mode=self.profile.mode, origin="scanner")
                code = proc.wait()
            finally:
                if proc.poll() is None:  # the caller stopped iterating
                    _stop(proc)
            err.seek(0)
            stderr = err.read()
        err_path.unlink(missing_ok=True)
        if self._cancelled.is_set():
            return
        if hung:
            raise DigitisationError(
                f"Máy quét {self.device_id} không phản hồi (quá {self.page_timeout:.0f} giây "
                "không có trang nào). Tắt rồi bật lại máy quét, sau đó quét tiếp."
                + _kept(count), code="scanner_hung", detail=stderr.strip()[-500:])
        if stopped_after_end:  # it hung while closing: what it said decides
            code = 1 if "scanimage: " in stderr else 0
        feeder_done = "out of documents" in stderr.lower() and count > 0
        if code != 0 and not feeder_done:
            raise sane_error(stderr, code, count, self.device_id)
        if count == 0:
            raise sane_error(stderr, code or 1, 0, self.device_id)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(3)


# -------------------------------------------------------------- NAPS2 (Windows)


def find_naps2(env: Mapping[str, str] | None = None) -> Path | None:
    """NAPS2.Console.exe on PATH or in the usual install folders (None when absent)."""
    env = os.environ if env is None else env
    for name in ("NAPS2.Console", "NAPS2.Console.exe"):
        hit = shutil.which(name, path=env.get("PATH"))
        if hit:
            return Path(hit)
    roots = [env.get(k) for k in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
    local = env.get("LOCALAPPDATA")
    if local:
        roots.append(str(Path(local) / "Programs"))
    for root in roots:
        if root:
            candidate = Path(root) / "NAPS2" / "NAPS2.Console.exe"
            if candidate.is_file():
                return candidate
    return None


class Naps2Scanner:
    """WIA or TWAIN scanners on Windows through NAPS2's console program."""

    def __init__(self, driver: str = "wia", *, program: Path | str | None = None,
                 timeout: float = 60.0) -> None:
        if driver not in ("wia", "twain"):
            raise ValueError(driver)
        self.driver = driver
        self.program = Path(program) if program else None
        self.timeout = timeout

    def executable(self) -> Path | None:
        return self.program if self.program else find_naps2()

    def available(self) -> bool:
        return self.executable() is not None

    def _exe(self) -> Path:
        exe = self.executable()
        if exe is None:
            raise DigitisationError(
                "Chưa cài NAPS2 để quét trên Windows. Nhờ cán bộ tin học cài NAPS2 "
                "(miễn phí, www.naps2.com); trong lúc chờ, có thể nhập ảnh hoặc tệp PDF đã quét.",
                code="no_scanner_program")
        return exe

    def list_command(self) -> list[str]:
        return [str(self._exe()), "--listdevices", "--driver", self.driver]

    def devices(self) -> list[Device]:
        try:
            proc = subprocess.run(self.list_command(), capture_output=True, text=True,
                                  timeout=self.timeout, **_subprocess_flags())
        except subprocess.TimeoutExpired as exc:
            raise DigitisationError("Không lấy được danh sách máy quét (NAPS2 không trả lời).",
                                    code="scanner_timeout") from exc
        return [Device(line.strip(), line.strip(), self.driver)
                for line in proc.stdout.splitlines() if line.strip()]

    def command(self, device_id: str, profile: ScanProfile, pattern: str) -> list[str]:
        """The NAPS2.Console.exe command line of one batch writing PNG pages to `pattern`."""
        bitdepth = "color" if profile.mode == ColourMode.COLOUR else "gray"
        return [str(self._exe()), "--noprofile", "--driver", self.driver, "--device", device_id,
                "--source", "feeder" if profile.feeder else "glass",
                "--dpi", str(profile.dpi), "--bitdepth", bitdepth, "--pagesize", "a4",
                "-n", "1", "-o", pattern, "--force"]

    def source(self, device: Device | str, profile: ScanProfile, *,
               max_pages: int | None = None) -> Naps2Batch:
        device_id = device.id if isinstance(device, Device) else device
        return Naps2Batch(self, device_id, profile, max_pages)


class Naps2Batch:
    def __init__(self, scanner: Naps2Scanner, device_id: str, profile: ScanProfile,
                 max_pages: int | None) -> None:
        self.scanner = scanner
        self.device_id = device_id
        self.profile = profile
        self.max_pages = max_pages
        self.process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def pages(self, workdir: Path) -> Iterator[Page]:
        token = uuid.uuid4().hex[:8]
        pattern = str(workdir / f"naps2-{token}-$(nnnn).png")
        self.process = subprocess.Popen(
            self.scanner.command(self.device_id, self.profile, pattern),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **_subprocess_flags())
        output, _ = self.process.communicate()
        if self._cancelled.is_set():
            return
        files = sorted(workdir.glob(f"naps2-{token}-*.png"))
        if self.max_pages:
            files = files[:self.max_pages]
        for path in files:
            yield Page("image", path, dpi=self.profile.dpi, mode=self.profile.mode,
                       origin="scanner")
        if not files:
            low = (output or "").lower()
            if "feeder" in low and "empty" in low:
                raise DigitisationError("Khay nạp giấy của máy quét không có giấy. Đặt giấy vào "
                                        "khay rồi quét lại.", code="feeder_empty",
                                        detail=output[-500:])
            raise DigitisationError(
                f"Máy quét ({self.scanner.driver.upper()}) không trả về trang nào. Kiểm tra máy "
                "đã bật, cắm cáp và có giấy, rồi thử lại.", code="scanner_failed",
                detail=(output or "")[-500:] or f"exit {self.process.returncode}")


def available_scanners(env: Mapping[str, str] | None = None) -> list[Scanner]:
    """The scanner drivers this PC can use (possibly none: then only file import)."""
    if sys.platform == "win32":
        if find_naps2() is None:
            return []
        return [Naps2Scanner("wia"), Naps2Scanner("twain")]
    sane = SaneScanner(env=env)
    return [sane] if sane.available() else []


# ---------------------------------------------------------------- file import

SUPPORTED_VI = "ảnh PNG, JPEG, TIFF, BMP, WebP và tệp PDF"


def sniff(head: bytes) -> str | None:
    """The type of a file from its first bytes: png, jpeg, tiff, bmp, webp, pdf, or others."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"BM") and len(head) >= 14:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "heic"
    return None


def _unsupported(path: Path, kind: str | None) -> DigitisationError:
    ext = path.suffix.lower()
    shown = f" ({ext})" if ext else ""
    msg = f"Không hỗ trợ loại tệp này{shown}. Chỉ nhận {SUPPORTED_VI}."
    if kind in ("zip", "ole") and ext in (".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ""):
        msg += " Với văn bản Word hay Excel, hãy lưu thành PDF (Tệp › Lưu thành PDF) rồi nhập."
    elif kind == "heic":
        msg = ("Ảnh HEIC (chụp bằng iPhone) chưa được hỗ trợ. Trên điện thoại chọn định dạng "
               "«Tương thích nhất» (JPEG), hoặc chuyển ảnh sang JPEG rồi nhập.")
    return DigitisationError(msg, code="unsupported_type", detail=f"type={kind or 'unknown'}")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _estimated_dpi(width: int, height: int) -> int:
    """A picture without a resolution (a photo) is taken to fill an A4 page."""
    dpi = round(max(width, height) / 11.69)
    return max(72, min(dpi, 1200))


class FileImport:
    """Import image and PDF files as pages; a bad file is reported, the others still come in."""

    def __init__(self, paths: Sequence[Path | str], profile: ScanProfile | None = None, *,
                 max_bytes: int = MAX_FILE_BYTES) -> None:
        self.paths = [Path(p) for p in paths]
        self.profile = profile or ScanProfile()
        self.max_bytes = max_bytes
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def pages(self, workdir: Path) -> Iterator[Page]:
        errors: list[tuple[str, DigitisationError]] = []
        for path in self.paths:
            if self._cancelled.is_set():
                return
            try:
                yield from import_file(path, workdir, self.profile, max_bytes=self.max_bytes)
            except DigitisationError as exc:
                errors.append((path.name, exc))
        if errors:
            if len(errors) == 1 and len(self.paths) == 1:
                raise errors[0][1]
            raise ImportErrors(errors)


def check_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's type, or a DigitisationError saying why it cannot be imported (size first)."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise DigitisationError("Không tìm thấy tệp (có thể đã bị xóa hoặc đổi tên).",
                                code="not_found") from exc
    except OSError as exc:
        raise DigitisationError("Không đọc được tệp (không có quyền hoặc ổ đĩa lỗi).",
                                code="unreadable", detail=str(exc.errno)) from exc
    if not path.is_file():
        raise DigitisationError(f"Đây không phải là một tệp. Chỉ nhận {SUPPORTED_VI}.",
                                code="unsupported_type")
    if st.st_size == 0:
        raise DigitisationError("Tệp rỗng (0 byte): không có nội dung để nhập. Hãy quét hoặc "
                                "chép lại tệp.", code="empty_file")
    if st.st_size > max_bytes:
        raise DigitisationError(
            f"Tệp quá lớn ({_mb(st.st_size)}); mỗi tệp nhập tối đa {_mb(max_bytes)}. Hãy quét "
            "lại ở độ phân giải thấp hơn hoặc tách thành nhiều tệp.", code="too_large",
            detail=f"{st.st_size} bytes")
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise DigitisationError("Không đọc được tệp (không có quyền hoặc ổ đĩa lỗi).",
                                code="unreadable", detail=str(exc.errno)) from exc
    kind = sniff(head)
    if kind not in ("png", "jpeg", "tiff", "bmp", "webp", "pdf"):
        raise _unsupported(path, kind)
    return kind


def import_file(path: Path, workdir: Path, profile: ScanProfile, *,
                max_bytes: int = MAX_FILE_BYTES) -> Iterator[Page]:
    """The pages of one file, copied or converted into `workdir`."""
    kind = check_file(path, max_bytes=max_bytes)
    if kind == "pdf":
        yield from _import_pdf(path, workdir, profile)
    else:
        yield from _import_image(path, workdir, profile, kind)


def _import_pdf(path: Path, workdir: Path, profile: ScanProfile) -> Iterator[Page]:
    import pikepdf

    copy = workdir / f"import-{uuid.uuid4().hex}.pdf"
    shutil.copyfile(path, copy)
    try:
        with pikepdf.open(copy) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        copy.unlink(missing_ok=True)
        raise DigitisationError(
            "Tệp PDF được đặt mật khẩu nên không mở được. Hãy xin bản không đặt mật khẩu, "
            "hoặc in ra giấy rồi quét.", code="encrypted_pdf") from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        copy.unlink(missing_ok=True)
        raise DigitisationError("Tệp PDF bị hỏng, không đọc được. Hãy xin lại tệp hoặc quét "
                                "bản giấy.", code="broken_pdf", detail=str(exc)[:200]) from exc
    if count == 0:
        copy.unlink(missing_ok=True)
        raise DigitisationError("Tệp PDF bị hỏng: không có trang nào đọc được.",
                                code="broken_pdf")
    if count > MAX_PDF_PAGES:
        copy.unlink(missing_ok=True)
        raise DigitisationError(f"Tệp PDF có {count} trang, quá {MAX_PDF_PAGES} trang. Hãy tách "
                                "thành nhiều tệp.", code="too_many_pages")
    for i in range(count):
        yield Page("pdf", copy, index=i, dpi=profile.dpi, mode=profile.mode, origin="file")


def _import_image(path: Path, workdir: Path, profile: ScanProfile, kind: str) -> Iterator[Page]:
    from PIL import Image, ImageOps, ImageSequence

    corrupt = DigitisationError("Tệp ảnh bị hỏng hoặc không đọc được. Hãy chụp hoặc quét lại.",
                                code="corrupt_image")
    try:
        img = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise DigitisationError("Ảnh quá lớn (quá nhiều điểm ảnh). Hãy quét lại ở độ phân giải "
                                "thấp hơn.", code="too_large") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DigitisationError(corrupt.message_vi, code=corrupt.code,
                                detail=type(exc).__name__) from exc
    with img:
        if img.width * img.height > MAX_IMAGE_PIXELS:
            raise DigitisationError("Ảnh quá lớn (quá nhiều điểm ảnh). Hãy quét lại ở độ phân "
                                    "giải thấp hơn.", code="too_large")
        token = uuid.uuid4().hex
        orientation = img.getexif().get(0x0112, 1) if kind == "jpeg" else 1
        if kind == "jpeg" and orientation in (1, None) and img.mode in ("L", "RGB"):
            try:
                img.load()  # a truncated or damaged JPEG fails here
            except (OSError, SyntaxError, ValueError) as exc:
                raise DigitisationError(corrupt.message_vi, code=corrupt.code,
                                        detail=type(exc).__name__) from exc
            # Kept byte for byte: an unedited JPEG goes into the PDF without re-encoding.
            copy = workdir / f"import-{token}.jpg"
            shutil.copyfile(path, copy)
            yield Page("image", copy, dpi=_dpi_of(img), mode=profile.mode, origin="file")
            return
        if kind == "png" and img.mode in ("L", "RGB", "1") and getattr(img, "n_frames", 1) == 1:
            try:
                img.load()  # a damaged PNG fails here
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise DigitisationError(corrupt.message_vi, code=corrupt.code,
                                        detail=type(exc).__name__) from exc
            copy = workdir / f"import-{token}.png"  # nothing to convert: copied as it is
            shutil.copyfile(path, copy)
            yield Page("image", copy, dpi=_dpi_of(img), mode=profile.mode, origin="file")
            return
        converted: list[Path] = []
        try:
            for n, frame in enumerate(ImageSequence.Iterator(img)):
                frame.load()
                picture = ImageOps.exif_transpose(frame) if kind == "jpeg" else frame
                out = workdir / f"import-{token}-{n:04d}.png"
                dpi = _dpi_of(frame)
                normalise(picture).save(out, format="PNG", dpi=(dpi, dpi), compress_level=1)
                converted.append(out)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            for p in converted:
                p.unlink(missing_ok=True)
            raise DigitisationError(corrupt.message_vi, code=corrupt.code,
                                    detail=type(exc).__name__) from exc
    for out in converted:
        with Image.open(out) as done:
            dpi = _dpi_of(done)
        yield Page("image", out, dpi=dpi, mode=profile.mode, origin="file")


def _dpi_of(img) -> int:  # noqa: ANN001 - a PIL image
    dpi = img.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    if 50 <= value <= 1200:
        return value
    return _estimated_dpi(img.width, img.height)
