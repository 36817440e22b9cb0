"""Content-addressed files in the data folder: the digitised papers.

A file is named by the SHA-256 of its content, under `files/<first two hex
digits>/<sha256>` in the data folder (the database keeps the hashes, never
paths). Writing is atomic: a temporary file in the same folder, fsync,
`os.replace`, then fsync of the folder (POSIX), so a crash leaves either no
file or the whole file, never a partial one. Writing the same content twice
is a no-op; a stored file whose content no longer matches its name is
rewritten from the new copy.

`verify` re-reads files and reports the missing and the damaged ones
(`motcua check`).

Also here: the FTS5 table of recognised text (OCR), `dossier_search_ocr`,
one row per stored file (column `sha256` unindexed, `body` folded text).
Its name starts with `dossier_search`, so schema comparison skips it like
the dossier index (migrations/env.py `include_name`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.paths import DataPaths
from desktop.store.errors import DataDirNotWritable, DiskFull, StoreError

OCR_SEARCH_TABLE = "dossier_search_ocr"
OCR_CREATE_SQL = (
    f"CREATE VIRTUAL TABLE {OCR_SEARCH_TABLE} USING fts5("
    "body, sha256 UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


class FileMissing(StoreError):
    code = "file_missing"

    def __init__(self, sha256: str) -> None:
        super().__init__(f"Không tìm thấy tệp số hóa {sha256[:12]}… trong thư mục dữ liệu. "
                         "Hãy chạy «motcua check» và khôi phục thư mục files từ bản sao lưu.")
        self.sha256 = sha256


class FileCorrupt(StoreError):
    code = "file_corrupt"

    def __init__(self, sha256: str) -> None:
        super().__init__(f"Tệp số hóa {sha256[:12]}… đã bị thay đổi hoặc hỏng (nội dung không "
                         "còn khớp mã băm). Hãy khôi phục tệp từ bản sao lưu hoặc số hóa lại.")
        self.sha256 = sha256


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    written: bool  # False: the same content was already there


@dataclass(frozen=True)
class FileProblem:
    sha256: str
    kind: str  # "missing" | "corrupt"
    path: Path

    @property
    def message_vi(self) -> str:
        if self.kind == "missing":
            return f"thiếu tệp {self.sha256[:16]}…"
        return f"tệp {self.sha256[:16]}… bị thay đổi hoặc hỏng (mã băm không khớp)"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_hash(sha256: str) -> str:
    if not _HEX64.match(sha256 or ""):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileStore:
    """The `files` folder of one office's data folder."""

    def __init__(self, paths: DataPaths | Path) -> None:
        self.root = paths.files if isinstance(paths, DataPaths) else Path(paths)

    def path_of(self, sha256: str) -> Path:
        _check_hash(sha256)
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def hash_file(self, path: Path) -> str:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def put(self, data: bytes) -> StoredBlob:
        """Store `data` under its SHA-256 (atomic, idempotent); returns where it is."""
        sha = sha256_of(data)
        final = self.path_of(sha)
        if final.is_file() and final.stat().st_size == len(data) and self.hash_file(final) == sha:
            return StoredBlob(sha, len(data), final, written=False)
        folder = final.parent
        tmp = folder / f".{sha[:16]}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            _fsync_dir(folder)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(self.root) from exc
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise DataDirNotWritable(self.root, str(exc)) from exc
            raise
        return StoredBlob(sha, len(data), final, written=True)

    def read(self, sha256: str, *, verify: bool = True) -> bytes:
        """The content of a stored file; FileMissing / FileCorrupt when it is gone or changed."""
        path = self.path_of(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise FileMissing(sha256) from exc
        if verify and sha256_of(data) != sha256:
            raise FileCorrupt(sha256)
        return data

    def check(self, sha256: str, *, full: bool = True, size: int | None = None
              ) -> FileProblem | None:
        """One file: missing, changed (hash, or size when not `full`), or fine (None)."""
        path = self.path_of(sha256)
        try:
            st = path.stat()
        except FileNotFoundError:
            return FileProblem(sha256, "missing", path)
        if size is not None and st.st_size != size:
            return FileProblem(sha256, "corrupt", path)
        if full and self.hash_file(path) != sha256:
            return FileProblem(sha256, "corrupt", path)
        return None

    def verify(self, expected: Iterable[str | tuple[str, int | None]] | None = None, *,
               full: bool = True) -> list[FileProblem]:
        """Problems of the given hashes (with their sizes when known), or of every file on disk."""
        if expected is None:
            expected = list(self.stored_hashes())
        problems = []
        for item in expected:
            sha, size = item if isinstance(item, tuple) else (item, None)
            problem = self.check(sha, full=full, size=size)
            if problem is not None:
                problems.append(problem)
        return problems

    def stored_hashes(self) -> Iterator[str]:
        """Every file in the store (temporary files of an interrupted write are skipped)."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for f in sorted(sub.iterdir()):
                if _HEX64.match(f.name) and f.name[:2] == sub.name:
                    yield f.name
