"""Dossier status codes (TrangThaiHoSo 1–10) and the transitions allowed between them.

The codes and labels are those of the national portal. A dossier starts as an
online submission (1), received at the desk (2) or refused at the desk (3);
refused (3), withdrawn (7) and returned (10) are final.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from types import MappingProxyType

from desktop.domain.errors import DomainError


class Status(IntEnum):
    """Status of a dossier, numbered as on the national portal."""

    NEW_ONLINE = 1
    RECEIVED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FINANCIAL_OBLIGATION = 6
    WITHDRAWN = 7
    STOPPED = 8
    PROCESSED = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        """The Vietnamese label used by the national portal."""
        return _LABELS[self]

    @property
    def is_final(self) -> bool:
        """True when no transition leaves this status (refused, withdrawn, returned)."""
        return not TRANSITIONS[self]


_LABELS: Mapping[Status, str] = {
    Status.NEW_ONLINE: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.FINANCIAL_OBLIGATION: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.PROCESSED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}

#: Statuses a dossier can be created in: submitted online, received or refused at the desk.
INITIAL_STATUSES: frozenset[Status] = frozenset(
    {Status.NEW_ONLINE, Status.RECEIVED, Status.REFUSED}
)

_S = Status
#: For each status, the statuses a dossier may move to next.
TRANSITIONS: Mapping[Status, frozenset[Status]] = MappingProxyType(
    {
        _S.NEW_ONLINE: frozenset({_S.RECEIVED, _S.REFUSED, _S.WITHDRAWN}),
        _S.RECEIVED: frozenset(
            {
                _S.PROCESSING,
                _S.SUPPLEMENT_REQUESTED,
                _S.FINANCIAL_OBLIGATION,
                _S.WITHDRAWN,
                _S.STOPPED,
                _S.PROCESSED,
            }
        ),
        _S.REFUSED: frozenset(),
        _S.PROCESSING: frozenset(
            {
                _S.SUPPLEMENT_REQUESTED,
                _S.FINANCIAL_OBLIGATION,
                _S.WITHDRAWN,
                _S.STOPPED,
                _S.PROCESSED,
            }
        ),
        # Back to processing once the supplement has arrived.
        _S.SUPPLEMENT_REQUESTED: frozenset({_S.PROCESSING, _S.WITHDRAWN, _S.STOPPED}),
        _S.FINANCIAL_OBLIGATION: frozenset({_S.PROCESSING, _S.WITHDRAWN, _S.STOPPED, _S.PROCESSED}),
        _S.WITHDRAWN: frozenset(),
        # A stopped dossier can resume or be withdrawn.
        _S.STOPPED: frozenset({_S.PROCESSING, _S.WITHDRAWN}),
        _S.PROCESSED: frozenset({_S.RETURNED}),
        _S.RETURNED: frozenset(),
    }
)
del _S


class UnknownStatus(DomainError):
    """A status code outside 1–10."""

    code = "unknown_status"

    def __init__(self, value: object) -> None:
        super().__init__(f"Mã trạng thái hồ sơ {value!r} không hợp lệ (chỉ có từ 1 đến 10).")
        self.value = value


class IllegalTransition(DomainError):
    """A dossier cannot move from ``current`` to ``target``.

    ``current`` is None when the problem is the status a new dossier is created in.
    """

    code = "illegal_transition"

    def __init__(self, current: Status | None, target: Status) -> None:
        if current is None:
            initial = ", ".join(f'"{s.label}"' for s in sorted(INITIAL_STATUSES))
            message = (
                f'Không thể tạo hồ sơ mới ở trạng thái "{target.label}"; '
                f"hồ sơ mới chỉ có thể ở trạng thái {initial}."
            )
        elif current.is_final:
            message = (
                f'Không thể chuyển hồ sơ từ trạng thái "{current.label}" sang "{target.label}": '
                "hồ sơ đã kết thúc."
            )
        else:
            message = (
                f'Không thể chuyển hồ sơ từ trạng thái "{current.label}" sang "{target.label}".'
            )
        super().__init__(message)
        self.current = current
        self.target = target


def _as_status(value: Status | int) -> Status:
    """Return ``value`` as a Status; raise UnknownStatus for codes outside 1–10."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnknownStatus(value)
    try:
        return Status(value)
    except ValueError:
        raise UnknownStatus(value) from None


def allowed_next(status: Status | int) -> frozenset[Status]:
    """The statuses a dossier in ``status`` may move to (empty for final statuses)."""
    return TRANSITIONS[_as_status(status)]


def can_transition(current: Status | int, target: Status | int) -> bool:
    """True when a dossier may move from ``current`` to ``target``."""
    return _as_status(target) in allowed_next(current)


def check_transition(current: Status | int, target: Status | int) -> None:
    """Raise IllegalTransition unless a dossier may move from ``current`` to ``target``."""
    current, target = _as_status(current), _as_status(target)
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)


def check_initial(status: Status | int) -> None:
    """Raise IllegalTransition unless a new dossier may be created in ``status``."""
    status = _as_status(status)
    if status not in INITIAL_STATUSES:
        raise IllegalTransition(None, status)
