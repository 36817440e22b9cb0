"""Một Cửa desktop: the one-stop office client (see ARCHITECTURE.md for the layers)."""

__version__ = "0.1.0"
