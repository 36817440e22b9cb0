"""Digitisation below the UI: sources (scanners, files), the page workspace, PDF output, OCR.

Qt-free and database-free: `desktop.services.digitisation` stores what this
package produces. Importing the package is cheap; the modules that need
Pillow, pikepdf or pypdfium2 import them themselves. Neither numpy nor lxml
is used (together 48 MB of the packaged app): page analysis is Pillow only,
and the XMP metadata is written as text.

- `errors`   DigitisationError: every failure carries a Vietnamese message
- `profiles` scan profiles (dpi, colour / grey / black-and-white) per kind of paper
- `sources`  SANE (scanimage), NAPS2 console on Windows (WIA / TWAIN), file import
- `pages`    Page values and the Workspace (rotate, crop, delete, reorder, deskew, blanks)
- `pdf`      one PDF per component or result, with metadata
- `ocr`      Tesseract `vie` in child processes, optional
"""

from desktop.scanning.errors import DigitisationError

__all__ = ["DigitisationError"]
