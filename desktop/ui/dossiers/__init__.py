"""The dossier list ("Hồ sơ"): filters, a paged table over a million dossiers, the detail pane."""

from desktop.ui.dossiers.model import DossierListModel
from desktop.ui.dossiers.page import DossiersPage

__all__ = ["DossierListModel", "DossiersPage"]
