"""The reference provincial server (tests, demos, training): ``create_app(database_url)``.

See README.md beside this file; start it with ``motcua-province serve``. The
app (and FastAPI) is imported on first use, so the province's data commands
start quickly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from sync.server.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
