"""The national status set, as plain data for the server (which never imports desktop/).

The same table as desktop/domain/status.py; tests/sync checks that they agree.
"""

from __future__ import annotations

STATUS_LABELS_VI: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

#: For each status, the statuses a dossier may move to next (national status set).
TRANSITIONS: dict[int, frozenset[int]] = {
    1: frozenset({2, 3, 7}),
    2: frozenset({4, 5, 6, 7, 8, 9}),
    3: frozenset(),
    4: frozenset({5, 6, 7, 8, 9}),
    5: frozenset({4, 7, 8}),
    6: frozenset({4, 7, 8, 9}),
    7: frozenset(),
    8: frozenset({4, 7}),
    9: frozenset({10}),
    10: frozenset(),
}
