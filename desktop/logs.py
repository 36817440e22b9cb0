"""File logging, set up first thing: a frozen windowed app has no console.

Log records name actions and ids, never citizens' personal data (names, ID
numbers, phones, addresses): services log dossier codes and row ids only.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path | None, *, level: int = logging.INFO, console: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_motcua", False):
            root.removeHandler(h)
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            fh = logging.handlers.RotatingFileHandler(
                log_dir / "motcua.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
            handlers.append(fh)
        except OSError:
            console = True  # the data folder is not writable: the caller reports that
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h._motcua = True  # type: ignore[attr-defined]
        root.addHandler(h)
