from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import (
    INITIAL_STATUSES,
    TRANSITIONS,
    DomainError,
    IllegalTransition,
    Status,
    UnknownStatus,
    allowed_next,
    can_transition,
    check_initial,
    check_transition,
)

LABELS = {
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


def test_codes_and_labels_match_the_national_portal():
    assert [int(s) for s in Status] == list(range(1, 11))
    assert {int(s): s.label for s in Status} == LABELS


def test_final_statuses():
    assert {s for s in Status if s.is_final} == {3, 7, 10}


def test_initial_statuses():
    assert INITIAL_STATUSES == {1, 2, 3}


def test_transition_table_exactly():
    expected = {
        1: {2, 3, 7},
        2: {4, 5, 6, 7, 8, 9},
        3: set(),
        4: {5, 6, 7, 8, 9},
        5: {4, 7, 8},
        6: {4, 7, 8, 9},
        7: set(),
        8: {4, 7},
        9: {10},
        10: set(),
    }
    assert {int(k): {int(v) for v in vs} for k, vs in TRANSITIONS.items()} == expected


def test_transition_table_is_read_only():
    with pytest.raises(TypeError):
        TRANSITIONS[Status.RETURNED] = frozenset({Status.PROCESSING})  # type: ignore[index]


def test_final_states_have_no_exits():
    for status in Status:
        if status.is_final:
            assert allowed_next(status) == frozenset()
            assert not any(can_transition(status, target) for target in Status)


def test_ints_are_accepted():
    assert can_transition(9, 10)
    assert can_transition(Status.PROCESSED, 10)
    assert not can_transition(10, 4)
    assert allowed_next(8) == {Status.PROCESSING, Status.WITHDRAWN}
    check_transition(5, 4)
    check_initial(2)


def test_illegal_transition_message_in_vietnamese():
    with pytest.raises(IllegalTransition) as info:
        check_transition(Status.PROCESSING, Status.NEW_ONLINE)
    err = info.value
    assert isinstance(err, DomainError)
    assert err.code == "illegal_transition"
    assert err.current is Status.PROCESSING and err.target is Status.NEW_ONLINE
    assert str(err) == err.message_vi
    assert err.message_vi == 'Không thể chuyển hồ sơ từ trạng thái "Đang xử lý" sang "Mới đăng ký".'


def test_illegal_transition_from_final_state_says_the_dossier_is_closed():
    with pytest.raises(IllegalTransition) as info:
        check_transition(10, 4)
    message = info.value.message_vi
    assert message.startswith(
        'Không thể chuyển hồ sơ từ trạng thái "Đã trả kết quả" sang "Đang xử lý"'
    )
    assert "hồ sơ đã kết thúc" in message


def test_check_initial_rejects_other_statuses():
    for status in INITIAL_STATUSES:
        check_initial(status)
    with pytest.raises(IllegalTransition) as info:
        check_initial(Status.PROCESSING)
    assert info.value.current is None
    assert info.value.target is Status.PROCESSING
    assert '"Đang xử lý"' in info.value.message_vi
    assert '"Mới đăng ký"' in info.value.message_vi


@pytest.mark.parametrize("value", [0, 11, -1, True, "4", None])
def test_unknown_status_codes(value):
    with pytest.raises(UnknownStatus) as info:
        allowed_next(value)
    assert "không hợp lệ" in info.value.message_vi


@given(st.sampled_from(list(Status)), st.sampled_from(list(Status)))
def test_check_transition_agrees_with_can_transition(current, target):
    if can_transition(current, target):
        check_transition(current, target)
    else:
        with pytest.raises(IllegalTransition) as info:
            check_transition(current, target)
        assert current.label in info.value.message_vi
        assert target.label in info.value.message_vi


@given(st.data())
def test_every_walk_from_an_initial_status_uses_allowed_transitions(data):
    status = data.draw(st.sampled_from(sorted(INITIAL_STATUSES)))
    check_initial(status)
    for _ in range(30):
        options = sorted(allowed_next(status))
        if not options:
            assert status.is_final
            break
        target = data.draw(st.sampled_from(options))
        check_transition(status, target)
        assert target in TRANSITIONS[status]
        status = target


def test_returned_is_reachable_from_every_non_final_status():
    reachable = {Status.RETURNED}
    changed = True
    while changed:
        changed = False
        for status, targets in TRANSITIONS.items():
            if status not in reachable and targets & reachable:
                reachable.add(status)
                changed = True
    assert reachable == {s for s in Status if not s.is_final} | {Status.RETURNED}
