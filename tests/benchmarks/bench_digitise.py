"""Digitisation: 50 generated pages at 200 dpi grey (A4) → one PDF, and OCR seconds per page.

Run by hand (not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_digitise.py [--pages 50] [--noise 6] [--ocr-pages 3]

The pages are text-like (Vietnamese lines in Noto Serif 12 pt) on off-white
paper with a little scanner noise (`--noise`, the standard deviation in grey
levels; real scans are never clean, and noise is what makes lossless PNG big).
Generating them is not timed. Then, on the same PNG files:

- floor: plain img2pdf of the PNG files (no decoding, no re-encoding);
- ours: FileImport into a Workspace, then desktop.scanning.pdf.assemble
  (JPEG quality 75, metadata, pikepdf), and the same with automatic
  straightening measured on every page (`--deskew`);
- OCR: Tesseract `vie` on `--ocr-pages` pages of the produced PDF (rendered
  at 300 dpi), one child process per page, one thread each.

Prints seconds and KB per page for each, and the load average before and after
(the machine may be shared: compare runs made at a similar load).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import img2pdf  # noqa: E402

from desktop.scanning import ocr  # noqa: E402
from desktop.scanning.pages import Workspace  # noqa: E402
from desktop.scanning.pdf import PdfMetadata, assemble, count_pages  # noqa: E402
from desktop.scanning.profiles import ColourMode, ScanProfile  # noqa: E402
from desktop.scanning.sources import FileImport  # noqa: E402
from tests.digitisation_samples import text_page  # noqa: E402

META = PdfMetadata(dossier_code="000.00.01.H56-261128-0001", title="Tờ khai đăng ký khai sinh",
                   officer="Trần Thị Thu Hà", at=datetime(2026, 11, 28, 9, 30))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--noise", type=float, default=6.0)
    parser.add_argument("--ocr-pages", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {load()}")

    with tempfile.TemporaryDirectory(prefix="bench-digitise-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = []
        for i in range(args.pages):
            path = folder / f"page-{i:03d}.png"
            text_page(args.dpi, seed=i, noise=args.noise).save(path, dpi=(args.dpi, args.dpi),
                                                               compress_level=6)
            paths.append(path)
        png_kb = sum(p.stat().st_size for p in paths) / 1024 / args.pages
        print(f"{args.pages} pages A4 {args.dpi} dpi grey, noise σ={args.noise}: generated in "
              f"{time.perf_counter() - t0:.1f} s (not timed); PNG {png_kb:.0f} KB/page")

        t = time.perf_counter()
        floor = img2pdf.convert([str(p) for p in paths])
        floor_s = time.perf_counter() - t
        report("img2pdf of the PNG files (floor)", floor_s, len(floor), args.pages)

        for deskew in (False, True):
            t = time.perf_counter()
            with Workspace(parent=folder) as ws:
                outcome = ws.capture(FileImport(paths, ScanProfile(args.dpi, ColourMode.GREY)),
                                     deskew=deskew)
                assert outcome.ok and len(ws) == args.pages
                t_import = time.perf_counter() - t
                result = assemble(ws.pages, META, target_dpi=args.dpi)
            total = time.perf_counter() - t
            assert count_pages(result.data) == args.pages
            label = "ours: import + deskew + JPEG q75 PDF" if deskew else \
                "ours: import + JPEG q75 PDF"
            report(label, total, result.size, args.pages,
                   extra=f"(import{' + deskew' if deskew else ''} {t_import:.2f} s, "
                         f"assemble {total - t_import:.2f} s)")
        print(f"load average after: {load()}")

        status = ocr.available()
        if args.ocr_pages <= 0:
            return
        if not status.ok:
            print("OCR: " + status.message_vi)
            return
        sample = assemble_first(paths[: args.ocr_pages], folder, args.dpi)
        job = ocr.OcrJob(pdf=sample)
        res = job.run()
        words = len(res.text.split())
        print(f"OCR (Tesseract {status.version}, vie, 300 dpi, 1 thread): "
              f"{res.seconds / max(res.pages_done, 1):.2f} s/page over {res.pages_done} pages, "
              f"{words / max(res.pages_done, 1):.0f} words/page, errors: {len(res.errors)}")


def assemble_first(paths: list[Path], folder: Path, dpi: int) -> bytes:
    with Workspace(parent=folder) as ws:
        ws.capture(FileImport(paths, ScanProfile(dpi, ColourMode.GREY)))
        return assemble(ws.pages, META, target_dpi=dpi).data


def load() -> str:
    """1, 5 and 15 minute load averages (with the number of cores), or "?" on Windows."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return "?"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def report(label: str, seconds: float, size: int, pages: int, *, extra: str = "") -> None:
    print(f"{label:<40} {seconds:6.2f} s  {seconds / pages * 1000:6.1f} ms/page  "
          f"{size / 1024 / pages:7.1f} KB/page  {extra}")


if __name__ == "__main__":
    main()
