"""Error answers of the reference server: a stable code, English for logs, Vietnamese for officers.

Messages never contain a citizen's personal data (names, ID numbers, phones):
only codes, uids, dossier codes, counts and dates.
"""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorAnswer

# code: (HTTP status, English, Vietnamese). Both are str.format templates.
MESSAGES: dict[str, tuple[int, str, str]] = {
    "protocol_version": (
        400, "Protocol version {got} is not supported; this server speaks version {want}.",
        "Phiên bản giao thức {got} không được hỗ trợ; máy chủ của tỉnh dùng phiên bản {want}. "
        "Hãy cập nhật phần mềm Một Cửa."),
    "validation": (
        422, "The request is not valid ({count} problem(s)).",
        "Dữ liệu gửi lên không hợp lệ ({count} lỗi). Hãy báo cho quản trị hệ thống."),
    "bad_credentials": (
        401, "Wrong agency code, user name or password.",
        "Mã cơ quan, tên đăng nhập hoặc mật khẩu không đúng."),
    "account_locked": (
        403, "Too many failed logins; try again in {minutes} minute(s).",
        "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa, hãy thử lại sau {minutes} phút."),
    "account_disabled": (
        403, "This account is disabled.",
        "Tài khoản đã bị khóa. Hãy liên hệ quản trị hệ thống của tỉnh."),
    "token_missing": (
        401, "Not logged in: a bearer token is required.",
        "Chưa đăng nhập vào hệ thống của tỉnh."),
    "token_invalid": (
        401, "The access token is not valid.",
        "Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại."),
    "token_expired": (
        401, "The access token has expired; refresh it.",
        "Phiên đăng nhập đã hết hạn. Phần mềm sẽ tự gia hạn; nếu không được, hãy đăng nhập lại."),
    "refresh_invalid": (
        401, "The refresh token is not valid, expired or already used.",
        "Phiên đăng nhập đã hết hạn hoặc đã bị thu hồi. Vui lòng đăng nhập lại."),
    "blocks_exhausted": (
        409, "No province numbers are left for {day}.",
        "Đã hết dãy số hồ sơ do tỉnh cấp cho ngày {day}. Quầy tiếp tục dùng dãy số của mình."),
    "request_uid_reused": (
        409, "Request {uid} was already made with other content.",
        "Mã yêu cầu {uid} đã được dùng cho một yêu cầu khác."),
    "change_uid_reused": (
        409, "Change {uid} was already received with other content; it cannot be replaced.",
        "Thay đổi {uid} đã được gửi trước đó với nội dung khác, không thể ghi đè. "
        "Hãy báo cho quản trị hệ thống."),
    "conflict": (
        409, "Dossier {code} was changed at the province (status {status}) after version {base}.",
        "Hồ sơ {code} đã được thay đổi trên hệ thống của tỉnh (trạng thái: {label}) sau lần "
        "đồng bộ trước. Hãy xem thay đổi của tỉnh trước khi xử lý tiếp."),
    "wrong_office": (
        403, "This dossier belongs to another office.",
        "Hồ sơ này thuộc đơn vị khác, không thể cập nhật."),
    "code_taken": (
        409, "Dossier code {code} is already used by another dossier of this office.",
        "Mã hồ sơ {code} đã được dùng cho một hồ sơ khác của đơn vị."),
    "state_secret": (
        422, "State-secret dossiers are never sent to the province.",
        "Hồ sơ thuộc bí mật nhà nước không được gửi lên hệ thống của tỉnh."),
    "dossier_not_found": (
        404, "Dossier {uid} is not known to the province.",
        "Không tìm thấy hồ sơ trên hệ thống của tỉnh."),
    "file_not_started": (
        404, "File {sha256} has not been announced (POST /files first).",
        "Tệp chưa được khai báo để tải lên."),
    "file_size_mismatch": (
        409, "File {sha256} was announced with another size.",
        "Tệp này đã được khai báo với kích thước khác."),
    "chunk_out_of_range": (
        400, "The chunk at {offset} (+{length} bytes) lies outside the file's {size} bytes.",
        "Phần tệp gửi lên nằm ngoài kích thước đã khai báo."),
    "chunk_too_large": (
        413, "A chunk may have at most {max} bytes.",
        "Phần tệp gửi lên quá lớn (tối đa {max} byte)."),
    "file_incomplete": (
        409, "File {sha256} is missing {count} byte range(s).",
        "Tệp chưa tải lên đủ: còn thiếu {count} đoạn."),
    "sha256_mismatch": (
        422, "The uploaded bytes do not match SHA-256 {sha256}; they were discarded.",
        "Tệp tải lên bị lỗi (mã kiểm tra SHA-256 không khớp). Phần đã nhận đã bị xóa, "
        "hãy tải lại tệp."),
    "file_not_found": (
        404, "File {sha256} is not on the server.",
        "Không tìm thấy tệp trên hệ thống của tỉnh."),
    "report_uid_reused": (
        409, "Report {uid} was already received with other content.",
        "Báo cáo {uid} đã được gửi trước đó với nội dung khác."),
    "report_file_missing": (
        409, "The report's file {sha256} has not been uploaded completely.",
        "Tệp báo cáo chưa được tải lên đầy đủ."),
    "progress_uid_reused": (
        409, "Progress row {uid} was already received with other content.",
        "Bước xử lý {uid} đã được gửi trước đó với nội dung khác."),
    "not_found": (404, "Not found.", "Không tìm thấy."),
    "internal": (
        500, "Internal server error.",
        "Hệ thống của tỉnh gặp lỗi. Vui lòng thử lại sau."),
}


class ApiError(Exception):
    """An error answer. ``body`` replaces the plain ErrorAnswer (a ConflictAnswer)."""

    def __init__(self, code: str, /, *, details: dict[str, Any] | None = None,
                 body: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
                 **values: Any) -> None:
        status, en, vi = MESSAGES[code]
        self.status = status
        self.code = code
        self.message = en.format(**values)
        self.message_vi = vi.format(**values)
        self.details = details
        self.body = body
        self.headers = headers
        super().__init__(f"{code}: {self.message}")

    def answer(self) -> dict[str, Any]:
        base = ErrorAnswer(code=self.code, message=self.message, message_vi=self.message_vi,
                           details=self.details).model_dump(mode="json")
        if self.body:
            base.update(self.body)
        return base
