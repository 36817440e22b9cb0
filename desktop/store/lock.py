"""One running app per data folder: a second instance is refused politely."""

from __future__ import annotations

from filelock import FileLock, Timeout

from desktop.paths import DataPaths
from desktop.store.errors import AlreadyRunning


class InstanceLock:
    """Held for the life of the process; the OS drops it if the process dies."""

    def __init__(self, paths: DataPaths) -> None:
        self._path = paths.lock
        self._lock = FileLock(str(paths.lock), timeout=0, is_singleton=False)

    def acquire(self) -> InstanceLock:
        try:
            self._lock.acquire(timeout=0)
        except Timeout as exc:
            raise AlreadyRunning(self._path.parent) from exc
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
