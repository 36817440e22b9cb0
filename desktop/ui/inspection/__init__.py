"""Audit inspection ("Giám sát / Nhật ký thao tác"): the filtered, paged trail and its check."""

from desktop.ui.inspection.model import AuditEventModel
from desktop.ui.inspection.page import InspectionPage

__all__ = ["AuditEventModel", "InspectionPage"]
