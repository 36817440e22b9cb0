"""One running app per data folder: a second instance is refused politely.

An OS advisory lock on `motcua.lock` (fcntl.flock on Linux, msvcrt.locking on
Windows), held for the life of the process; the OS drops it if the process
dies, so a crash never leaves a stale lock behind. Written here rather than
with the filelock package because that import alone cost ~18 ms, about 15 %
of a bare Qt window's start-up, before the first window could show.
"""

from __future__ import annotations

import os
import sys

from desktop.paths import DataPaths
from desktop.store.errors import AlreadyRunning


class InstanceLock:
    def __init__(self, paths: DataPaths) -> None:
        self._path = paths.lock
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise AlreadyRunning(self._path.parent) from exc
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        if sys.platform == "win32":
            import msvcrt

            try:
                os.lseek(self._fd, 0, os.SEEK_SET)
                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass
        os.close(self._fd)  # closing also drops an flock
        self._fd = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
