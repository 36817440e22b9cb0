"""By hand: time to render a receipt PDF, warm, in-process (median of 20).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/forms/bench_render.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forms import (  # noqa: E402
    ComponentLine,
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    build_document,
    pdf_bytes,
    write_pdf,
)


def receipt(components: int) -> ReceiptData:
    return ReceiptData(
        office=OfficeInfo("UBND xã Tân Phú", "UBND tỉnh Đồng Nai", "Xã Tân Phú", "000.00.01.H56"),
        dossier_code="000.00.01.H56-261127-0001",
        procedure_name="Đăng ký khai sinh",
        channel_label="Trực tiếp",
        applicant=PersonInfo("Nguyễn Thị Hồng Nhung", "075190001234", "Ấp 3, xã Tân Phú"),
        submitter=None,
        components=tuple(
            ComponentLine(f"Thành phần hồ sơ số {i}: tờ khai, giấy tờ kèm theo", 1, 0, 1)
            for i in range(1, components + 1)
        ),
        sets_count=1,
        processing_time_text="01 ngày làm việc",
        received_at=datetime(2026, 11, 27, 8, 15),
        due_at=datetime(2026, 12, 3, 14, 0),
        result_place="Bộ phận một cửa UBND xã Tân Phú",
        officer_name="Trần Văn An",
    )


def median_ms(action, runs: int = 20) -> float:
    action()  # warm: fonts, templates, QR cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder, "giay-hen.pdf")
        for count in (3, 25):
            data = receipt(count)
            print(f"{count:2d} components: build_document {median_ms(lambda d=data: build_document(d)):6.1f} ms"
                  f" | pdf_bytes {median_ms(lambda d=data: pdf_bytes(d)):6.1f} ms"
                  f" | write_pdf {median_ms(lambda d=data: write_pdf(d, target)):6.1f} ms")


if __name__ == "__main__":
    main()
