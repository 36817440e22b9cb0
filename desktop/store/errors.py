"""Errors of the local store, each with a Vietnamese message for the user."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: `message_vi` is shown to the user as it is."""

    code = "store_error"

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


class DatabaseCorrupt(StoreError):
    code = "database_corrupt"

    def __init__(self, path: Path, detail: str, last_backup: Path | None) -> None:
        msg = (
            f"Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu của Một Cửa "
            f"({detail}). Tệp hỏng được giữ nguyên, không bị ghi đè."
        )
        if last_backup is not None:
            msg += f" Có thể khôi phục từ bản sao lưu gần nhất: {last_backup.name}."
        else:
            msg += " Không tìm thấy bản sao lưu nào trong thư mục dữ liệu."
        super().__init__(msg)
        self.path = path
        self.detail = detail
        self.last_backup = last_backup


class NewerDatabase(StoreError):
    code = "newer_database"

    def __init__(self, revision: str) -> None:
        super().__init__(
            "Cơ sở dữ liệu này được tạo bởi một phiên bản Một Cửa mới hơn "
            f"(lược đồ {revision}). Hãy cài phiên bản mới nhất của phần mềm; "
            "dữ liệu không bị thay đổi."
        )
        self.revision = revision


class DataDirNotWritable(StoreError):
    code = "data_dir_not_writable"

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Không ghi được vào thư mục dữ liệu {path} ({detail}). "
            "Hãy kiểm tra quyền ghi của thư mục hoặc chọn thư mục khác bằng --data-dir."
        )
        self.path = path


class DiskFull(StoreError):
    code = "disk_full"

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Ổ đĩa chứa thư mục dữ liệu {path} đã đầy. Dữ liệu đã lưu trước đó vẫn an toàn; "
            "hãy giải phóng dung lượng rồi thử lại."
        )
        self.path = path


class AlreadyRunning(StoreError):
    code = "already_running"

    def __init__(self, path: Path) -> None:
        super().__init__(
            "Một Cửa đang mở trên thư mục dữ liệu này ở một cửa sổ khác. "
            f"Hãy dùng cửa sổ đó, hoặc đóng nó trước khi mở lại ({path})."
        )
        self.path = path


class NotInitialised(StoreError):
    code = "not_initialised"

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Chưa thiết lập văn phòng trong thư mục dữ liệu {path}. "
            "Hãy chạy 'motcua init' hoặc mở giao diện để thiết lập lần đầu."
        )


class InvalidBackup(StoreError):
    code = "invalid_backup"

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Tệp {path} không phải là bản sao lưu hợp lệ của Một Cửa ({detail}). "
            "Không có gì được thay đổi."
        )
