""""Đồng bộ": the sync page (status, province account, conflicts, outbox items)."""

from desktop.ui.sync.page import SyncPage

__all__ = ["SyncPage"]
