"""Where an office's data lives.

The data folder comes from, in order: the `--data-dir` option, the
`MOTCUA_DATA_DIR` environment variable, platformdirs' user data folder. Tests
and several offices on one PC each use their own folder, so they never collide.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "MOTCUA_DATA_DIR"
APP_NAME = "MotCua"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "motcua.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def files(self) -> Path:
        """Digitised papers, content-addressed: files/ab/<sha256> (desktop.store.files)."""
        return self.root / "files"

    @property
    def work(self) -> Path:
        """Pages being digitised (one folder per workspace), removed when done."""
        return self.root / "work"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pending_restore(self) -> Path:
        """A restore asked for in the GUI, carried out at the next start."""
        return self.root / "restore-pending.json"

    @property
    def lock(self) -> Path:
        return self.root / "motcua.lock"


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> DataPaths:
    if option:
        return DataPaths(Path(option).expanduser().resolve())
    env = os.environ.get(ENV_VAR)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    import platformdirs  # only here: the other two ways need no look-up

    return DataPaths(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))
