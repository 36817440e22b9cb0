"""Periodic reports (Biểu số 06, the tracking book) and the leaders' indicators (QĐ 766).

- `definitions`: a report is a definition (what it counts, how it is laid out);
  `REPORTS` holds the registered ones (``bieu06``, ``mau06``);
- `engine`: `run(session, key, period)` → `ReportResult` (every cell, the totals,
  the balance checks), `cell_dossiers` (drill-down), `to_form` / `write_xlsx`;
- `snapshots`: `save` (frozen, audited, queued for the province), `list_snapshots`,
  `open_snapshot`;
- `indicators`: `dashboard(session, period, now)` → the five indicators, their
  monthly trend and the lists overdue / due soon / waiting for a supplement;
  `drill_down` for the dossiers behind any figure.

Qt-free; every function takes a Session (reads) or the Store (`snapshots.save`).
"""

from desktop.services.reports.definitions import REPORTS, ReportDefinition, get
from desktop.services.reports.engine import ReportResult, cell_dossiers, run, to_form, write_xlsx

__all__ = ["REPORTS", "ReportDefinition", "ReportResult", "cell_dossiers", "get", "run",
           "to_form", "write_xlsx"]
