from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import (
    BLOCK_SIZE,
    MAX_DESKS,
    BlockExhausted,
    DomainError,
    DossierCode,
    InvalidAgencyCode,
    InvalidDesk,
    InvalidDossierCode,
    SequenceBlock,
    format_dossier_code,
    next_sequence,
    offline_block,
    parse_dossier_code,
    validate_agency_code,
    validate_desk,
)

agency_codes = st.builds(
    lambda a, b, c, letter, d: f"{a:03d}.{b:02d}.{c:02d}.{letter}{d:02d}",
    st.integers(0, 999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.integers(0, 99),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(1, 9999)
desks = st.integers(1, MAX_DESKS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("000.00.01.H56", "000.00.01.H56"),
        ("  000.00.04.g18 \n", "000.00.04.G18"),
    ],
)
def test_validate_agency_code(text, expected):
    assert validate_agency_code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "000.00.01",
        "000.00.01.56",
        "00.00.01.H56",
        "000.00.01.H5",
        "000-00-01-H56",
        "000.00.01.HH6",
        "000.00.01.H56.1",
        "٠٠٠.٠٠.٠١.H56",
    ],
)
def test_invalid_agency_codes(text):
    with pytest.raises(InvalidAgencyCode) as info:
        validate_agency_code(text)
    assert isinstance(info.value, DomainError)
    assert "ví dụ 000.00.01.H56" in info.value.message_vi


def test_format_and_parse_the_documented_example():
    code = format_dossier_code("000.00.01.H56", date(2024, 3, 15), 1)
    assert code == "000.00.01.H56-240315-0001"
    assert parse_dossier_code(code) == DossierCode("000.00.01.H56", date(2024, 3, 15), 1)
    assert str(parse_dossier_code(" " + code.lower() + " ")) == code


@pytest.mark.parametrize("seq", [0, -1, 10000])
def test_format_rejects_sequences_out_of_range(seq):
    with pytest.raises(InvalidDossierCode):
        format_dossier_code("000.00.01.H56", date(2024, 3, 15), seq)


def test_format_rejects_days_outside_the_two_digit_years():
    with pytest.raises(InvalidDossierCode):
        format_dossier_code("000.00.01.H56", date(1999, 12, 31), 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "000.00.01.H56-240315-001",
        "000.00.01.H56-240315-00001",
        "000.00.01.H56-240230-0001",
        "000.00.01.H56-241315-0001",
        "000.00.01.H56-240315-0000",
        "000.00.01.H56240315-0001",
        "H56-240315-0001",
    ],
)
def test_parse_rejects_malformed_codes(text):
    with pytest.raises(InvalidDossierCode) as info:
        parse_dossier_code(text)
    assert info.value.code == "invalid_dossier_code"
    assert "Mã hồ sơ" in info.value.message_vi


@given(agency_codes, days, sequences)
def test_format_parse_round_trip(agency, day, seq):
    code = format_dossier_code(agency, day, seq)
    assert len(code) == len(agency) + 12
    assert parse_dossier_code(code) == DossierCode(agency, day, seq)


def test_offline_blocks_by_desk():
    assert offline_block(1) == SequenceBlock(1, 1000)
    assert offline_block(2) == SequenceBlock(1001, 2000)
    assert offline_block(9) == SequenceBlock(8001, 9000)
    assert offline_block(9).size == BLOCK_SIZE
    assert 1000 in offline_block(1) and 1001 not in offline_block(1)
    assert "5" not in offline_block(1)


def test_numbers_above_the_offline_blocks_are_left_to_the_province():
    used_offline = set()
    for desk in range(1, MAX_DESKS + 1):
        block = offline_block(desk)
        used_offline.update(range(block.first, block.last + 1))
    assert used_offline == set(range(1, 9001))


@pytest.mark.parametrize("desk", [0, 10, -1, True, "1"])
def test_invalid_desks(desk):
    with pytest.raises(InvalidDesk) as info:
        validate_desk(desk)
    assert "Số quầy phải từ 1 đến 9" in info.value.message_vi
    with pytest.raises(InvalidDesk):
        offline_block(desk)


@pytest.mark.parametrize(("first", "last"), [(0, 10), (10, 9), (9000, 10000)])
def test_sequence_block_bounds(first, last):
    with pytest.raises(ValueError):
        SequenceBlock(first, last)


def test_next_sequence():
    block = offline_block(2)
    assert next_sequence(block, None) == 1001
    assert next_sequence(block, 1001) == 1002
    assert next_sequence(block, 1999) == 2000
    assert next_sequence(block, 5) == 1001  # a number from an earlier block


def test_exhausted_block_tells_the_officer_to_sync():
    block = SequenceBlock(9001, 9100)
    with pytest.raises(BlockExhausted) as info:
        next_sequence(block, 9100)
    err = info.value
    assert err.block == block
    assert err.code == "block_exhausted"
    assert "hết dãy số" in err.message_vi
    assert "đồng bộ" in err.message_vi and "tỉnh" in err.message_vi


@given(desks, desks)
def test_blocks_of_different_desks_never_overlap(a, b):
    block_a, block_b = offline_block(a), offline_block(b)
    overlap = set(range(block_a.first, block_a.last + 1)) & set(
        range(block_b.first, block_b.last + 1)
    )
    assert (a == b) == bool(overlap)


@given(desks, st.one_of(st.none(), st.integers(-5, 10_005)))
def test_next_sequence_never_leaves_the_block(desk, last_used):
    block = offline_block(desk)
    try:
        seq = next_sequence(block, last_used)
    except BlockExhausted:
        assert last_used is not None and last_used >= block.last
    else:
        assert seq in block
        assert last_used is None or seq > last_used


@given(desks)
def test_a_desk_issues_each_number_of_its_block_once(desk):
    block = offline_block(desk)
    issued = []
    last = None
    while True:
        try:
            last = next_sequence(block, last)
        except BlockExhausted:
            break
        issued.append(last)
    assert issued == list(range(block.first, block.last + 1))
