"""Digitisation in the GUI: the page workspace, the PDF viewer, reuse of digitised papers.

- `workspace` DigitiseDialog: scan / import / arrange pages, save one PDF per component or result
- `viewer`    PdfViewer, PdfViewerDialog (QtPdf)
- `reuse`     ReuseDialog: a returning citizen's digitised papers, attached by reference
- `model`     the page list model (thumbnails drawn off the UI thread)
- `widgets`   the thumbnail strip, the preview, the crop dialog
- `jobs`      BackgroundJob: long work on a thread of its own, reported on the UI thread

The modules import Qt's PDF module and the scanning libraries only when used.
"""
