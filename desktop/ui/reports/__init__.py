"""The "Reports" area (any registered periodic report) and the leaders' "Dashboard"."""

from desktop.ui.reports.dashboard import DashboardPage
from desktop.ui.reports.page import ReportsPage

__all__ = ["DashboardPage", "ReportsPage"]
