"""Printed forms of the one-stop office (Thông tư 01/2018/TT-VPCP).

- Mẫu 01 ``ReceiptData``: Giấy tiếp nhận hồ sơ và hẹn trả kết quả;
- Mẫu 02 ``SupplementData``: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ;
- Mẫu 03 ``RefusalData``: Phiếu từ chối tiếp nhận giải quyết hồ sơ;
- Mẫu 04 ``ApologyData``: Phiếu xin lỗi và hẹn lại ngày trả kết quả;
- Mẫu 05 ``ControlSlipData``: Phiếu kiểm soát quá trình giải quyết hồ sơ;
- Mẫu 06 ``TrackingBookData``: Sổ theo dõi hồ sơ (A4 landscape; also as XLSX,
  ``forms.xlsx``, which needs openpyxl but not Qt).

``forms.context`` holds the data (plain frozen dataclasses, no Qt). ``forms.render``
turns them into a page-sized ``QTextDocument`` from the HTML templates in
``forms/templates/`` (a province adapts the layout there, as data) and paints it on
any ``QPagedPaintDevice``: one renderer for print preview, printing and PDF::

    document = build_document(data)          # QTextDocument
    print_to(document, printer)              # QPrinter / QPrintPreviewDialog
    write_pdf(data, Path("giay-hen.pdf"))    # A4, fonts embedded, 300 dpi
    pdf_bytes(data)                          # the same PDF in memory

The data classes are imported eagerly; the Qt functions load QtGui on first use,
so the Qt-free layers may import ``forms.context`` (or ``forms``) freely.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forms.context import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    FormData,
    HandOverLine,
    OfficeInfo,
    PersonInfo,
    ReceiptData,
    RefusalData,
    SupplementData,
    TrackingBookData,
    TrackingBookRow,
)

if TYPE_CHECKING:
    from forms.render import (
        apply_page_layout,
        build_document,
        ensure_fonts,
        ensure_gui_app,
        page_layout,
        pdf_bytes,
        print_to,
        write_pdf,
    )

_RENDER_NAMES = frozenset({
    "apply_page_layout",
    "build_document",
    "ensure_fonts",
    "ensure_gui_app",
    "page_layout",
    "pdf_bytes",
    "print_to",
    "write_pdf",
})

__all__ = [
    "ApologyData",
    "ComponentLine",
    "ControlSlipData",
    "FormData",
    "HandOverLine",
    "OfficeInfo",
    "PersonInfo",
    "ReceiptData",
    "RefusalData",
    "SupplementData",
    "TrackingBookData",
    "TrackingBookRow",
    "apply_page_layout",
    "build_document",
    "ensure_fonts",
    "ensure_gui_app",
    "page_layout",
    "pdf_bytes",
    "print_to",
    "write_pdf",
]


def __getattr__(name: str) -> Any:
    if name in _RENDER_NAMES:
        from forms import render

        return getattr(render, name)
    raise AttributeError(f"module 'forms' has no attribute {name!r}")
