"""Bundled resources: seed catalogue, holiday tables, icons, fonts, translations.

Paths are resolved from this package's folder, which works from a checkout,
an installed wheel and a PyInstaller one-folder build alike.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)


@cache
def seed(name: str) -> Any:
    """Parsed JSON of resources/seed/<name>.json (procedures, holidays)."""
    with path("seed", f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)
