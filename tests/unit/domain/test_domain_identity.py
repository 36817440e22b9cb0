from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import (
    DomainError,
    IdCard,
    InvalidDate,
    InvalidIdCardQr,
    InvalidIdNumber,
    Sex,
    parse_ddmmyyyy,
    parse_id_card_qr,
    validate_id_number,
    validate_old_id,
)

NAME = "Nguyễn Văn Đức"
ADDRESS = "Số 12, Ngõ 34 Phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội"
CARD = IdCard(
    id_number="001090123456",
    old_id="123456789",
    full_name=NAME,
    birth_date=date(1990, 1, 1),
    sex=Sex.MALE,
    address=ADDRESS,
    issue_date=date(2021, 6, 15),
    expiry_date=None,
)
SEVEN = f"001090123456|123456789|{NAME}|01011990|Nam|{ADDRESS}|15062021"


def windows_1252(text: str) -> str:
    """What a keyboard-wedge scanner not set to UTF-8 types on a Windows PC."""
    typed = []
    for byte in text.encode("utf-8"):
        try:
            typed.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            typed.append(chr(byte))
    return "".join(typed)


def reason(text: str) -> str:
    with pytest.raises(InvalidIdCardQr) as info:
        parse_id_card_qr(text)
    err = info.value
    assert isinstance(err, DomainError) and err.code == "invalid_id_card_qr"
    return err.message_vi


# --- layouts -------------------------------------------------------------------------------


def test_seven_fields():
    assert parse_id_card_qr(SEVEN) == CARD


def test_seven_fields_with_empty_old_id():
    card = parse_id_card_qr(f"001090123456||{NAME}|01011990|Nam|{ADDRESS}|15062021")
    assert card.old_id is None
    assert card.full_name == NAME and card.issue_date == date(2021, 6, 15)


def test_six_fields_without_old_id():
    card = parse_id_card_qr(f"001090123456|{NAME}|01011990|Nam|{ADDRESS}|15062021")
    assert card == IdCard(**{**CARD.__dict__, "old_id": None})


def test_eight_fields_with_expiry_date():
    card = parse_id_card_qr(f"{SEVEN}|01012040")
    assert card.issue_date == date(2021, 6, 15)
    assert card.expiry_date == date(2040, 1, 1)


def test_more_fields_are_tolerated():
    card = parse_id_card_qr(f"{SEVEN}|01012040|")
    assert card.expiry_date == date(2040, 1, 1) and card.address == ADDRESS


def test_without_issue_date():
    card = parse_id_card_qr(f"001090123456||{NAME}|01011990|Nam|{ADDRESS}")
    assert card.issue_date is None and card.expiry_date is None


def test_name_case_is_kept():
    card = parse_id_card_qr(f"001090123456||NGUYỄN VĂN ĐỨC|01011990|Nam|{ADDRESS}|15062021")
    assert card.full_name == "NGUYỄN VĂN ĐỨC"


@pytest.mark.parametrize(
    ("token", "sex"),
    [
        ("Nam", Sex.MALE),
        ("NAM", Sex.MALE),
        ("Nữ", Sex.FEMALE),
        ("nữ", Sex.FEMALE),
        ("Nu", Sex.FEMALE),
        ("NỮ", Sex.FEMALE),
    ],
)
def test_sex_spellings(token, sex):
    id_number = "001090123456" if sex is Sex.MALE else "001190123456"
    card = parse_id_card_qr(f"{id_number}||{NAME}|01011990|{token}|{ADDRESS}|15062021")
    assert card.sex is sex


# --- scanner noise -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "noisy",
    [
        f"  {SEVEN}  ",
        f"{SEVEN}\r\n",
        f"{SEVEN}\n",
        f"\t{SEVEN}\t",
        f"]Q1{SEVEN}",
        f"\x02{SEVEN}\x03\r",
        f"\ufeff{SEVEN}",
        f"]Q1\x02{SEVEN}\r\n",
        SEVEN.replace(NAME, "Nguyễn  Văn   Đức").replace("Số 12, ", "Số 12,  "),
        SEVEN.replace("|", " | "),
        SEVEN.replace(NAME, "Nguyễn\tVăn Đức"),
        f"{SEVEN}#",
        f"~{SEVEN}",
    ],
)
def test_noise_is_tolerated(noisy):
    assert parse_id_card_qr(noisy) == CARD


def test_decomposed_text_is_composed():
    card = parse_id_card_qr(unicodedata.normalize("NFD", SEVEN))
    assert card == CARD
    assert unicodedata.is_normalized("NFC", card.full_name)


# --- garbled text from a scanner not set to UTF-8 --------------------------------------------


def test_windows_1252_mojibake_is_repaired():
    garbled = windows_1252(SEVEN)
    assert "Nguyá»…n VÄƒn" in garbled
    assert parse_id_card_qr(garbled) == CARD


def test_latin_1_mojibake_is_repaired():
    assert parse_id_card_qr("]Q1" + SEVEN.encode("utf-8").decode("latin-1") + "\r\n") == CARD


def test_double_mojibake_is_repaired():
    assert parse_id_card_qr(windows_1252(windows_1252(SEVEN))) == CARD


@pytest.mark.parametrize(
    "garbled",
    [
        # half garbled, half right: cannot be re-encoded
        f"001090123456||Nguyá»…n Văn Đức|01011990|Nam|{ADDRESS}|15062021",
        # bytes lost on the way (replacement characters)
        SEVEN.encode("utf-8").decode("ascii", errors="replace"),
        # a truncated UTF-8 sequence
        windows_1252(SEVEN).replace("á»…", "á»"),
    ],
)
def test_unrecoverable_mojibake_explains_the_scanner_setting(garbled):
    message = reason(garbled)
    assert message.startswith("Mã QR có vẻ bị lỗi bảng mã (máy quét chưa đặt UTF-8)")
    assert "UTF-8" in message


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Mã QR trống."),
        ("\r\n\t ", "Mã QR trống."),
        (
            "8935049510017",
            'Mã QR không phải của thẻ căn cước (các trường phải cách nhau bởi dấu "|").',
        ),
        (
            f"00109012345||{NAME}|01011990|Nam|{ADDRESS}|15062021",
            "Không tìm thấy số định danh 12 chữ số trong mã QR.",
        ),
        (f"001090123456||01011990|Nam|{ADDRESS}|15062021", "Không tìm thấy họ tên trong mã QR."),
        (
            f"001090123456||{NAME}|Nam|{ADDRESS}",
            "Không tìm thấy ngày sinh (dạng ddMMyyyy) trong mã QR.",
        ),
        (
            f"001090123456||{NAME}|31022990|Nam|{ADDRESS}|15062021",
            'Ngày sinh "31022990" không hợp lệ.',
        ),
        (
            f"001090123456||{NAME}|01011990|{ADDRESS}|15062021",
            "Không tìm thấy giới tính (Nam/Nữ) trong mã QR.",
        ),
        (
            f"001090123456||{NAME}|01011990|Nam|15062021",
            "Không tìm thấy địa chỉ thường trú trong mã QR.",
        ),
        (
            f"001090123456||{NAME}|01011990|Nam|{ADDRESS}|15132021",
            'Ngày cấp "15132021" không hợp lệ.',
        ),
        (f"{SEVEN}|29022041", 'Ngày hết hạn "29022041" không hợp lệ.'),
        (
            f"097090123456||{NAME}|01011990|Nam|{ADDRESS}|15062021",
            "Số định danh 097090123456 có mã tỉnh 097 không hợp lệ (chỉ từ 001 đến 096).",
        ),
        # wrong century digit: 2 means born in the 2000s
        (
            f"001290123456||{NAME}|01011990|Nam|{ADDRESS}|15062021",
            "Số định danh 001290123456 không khớp giới tính/năm sinh trên thẻ (Nam, sinh năm 1990).",
        ),
        (
            f"001090123456||{NAME}|01011990|Nữ|{ADDRESS}|15062021",
            "Số định danh 001090123456 không khớp giới tính/năm sinh trên thẻ (Nữ, sinh năm 1990).",
        ),
        (
            f"001091123456||{NAME}|01011990|Nam|{ADDRESS}|15062021",
            "Số định danh 001091123456 không khớp giới tính/năm sinh trên thẻ (Nam, sinh năm 1990).",
        ),
    ],
)
def test_errors_say_what_is_wrong(text, expected):
    assert reason(text) == expected


def test_error_keeps_the_cleaned_input():
    with pytest.raises(InvalidIdCardQr) as info:
        parse_id_card_qr(f"]Q1\x02001090123456||{NAME}|31022990|Nam|{ADDRESS}|15062021\r\n")
    assert info.value.raw == f"001090123456||{NAME}|31022990|Nam|{ADDRESS}|15062021"


# --- ID numbers and dates ------------------------------------------------------------------


def test_documented_example_id():
    assert validate_id_number(" 001090123456 ", birth_date=date(1990, 5, 1), sex=Sex.MALE) == (
        "001090123456"
    )


@pytest.mark.parametrize(
    ("id_number", "year", "sex"),
    [
        ("079301234567", 2001, Sex.FEMALE),
        ("079200000001", 2000, Sex.MALE),
        ("096599123456", 2199, Sex.FEMALE),
        ("001888123456", 1888, Sex.MALE),
        ("001999123456", 1899, Sex.FEMALE),
        ("001600123456", 2200, Sex.MALE),
        ("001199123456", 1999, Sex.FEMALE),
    ],
)
def test_century_and_sex_digit(id_number, year, sex):
    assert validate_id_number(id_number, birth_date=date(year, 3, 1), sex=sex) == id_number
    other = Sex.MALE if sex is Sex.FEMALE else Sex.FEMALE
    with pytest.raises(InvalidIdNumber):
        validate_id_number(id_number, sex=other)
    with pytest.raises(InvalidIdNumber):
        validate_id_number(id_number, birth_date=date(year + 100, 3, 1))


@pytest.mark.parametrize(
    "id_number",
    ["", "00109012345", "0010901234567", "00109012345a", "٠٠١٠٩٠١٢٣٤٥٦", "001 090 123 456"],
)
def test_id_number_must_be_twelve_digits(id_number):
    with pytest.raises(InvalidIdNumber) as info:
        validate_id_number(id_number)
    assert "phải gồm đúng 12 chữ số" in info.value.message_vi


@pytest.mark.parametrize("province", ["000", "097", "099", "100", "999"])
def test_province_code_range(province):
    with pytest.raises(InvalidIdNumber) as info:
        validate_id_number(f"{province}090123456")
    assert f"mã tỉnh {province}" in info.value.message_vi


def test_id_number_mismatch_messages():
    with pytest.raises(InvalidIdNumber) as info:
        validate_id_number("001090123456", birth_date=date(1991, 1, 1))
    assert info.value.message_vi == (
        "Số định danh 001090123456 không khớp năm sinh 1991: chữ số thứ 4–6 ứng với năm sinh 1990."
    )
    with pytest.raises(InvalidIdNumber) as info:
        validate_id_number("001090123456", sex=Sex.FEMALE)
    assert info.value.message_vi == (
        "Số định danh 001090123456 không khớp giới tính Nữ: chữ số thứ 4 (0) ứng với giới tính Nam."
    )


def test_old_id():
    assert validate_old_id(" 123456789 ") == "123456789"
    for bad in ("12345678", "1234567890", "12345678a", ""):
        with pytest.raises(InvalidIdNumber) as info:
            validate_old_id(bad)
        assert "9 chữ số" in info.value.message_vi


def test_parse_ddmmyyyy():
    assert parse_ddmmyyyy("01011990") == date(1990, 1, 1)
    assert parse_ddmmyyyy(" 29022000 ") == date(2000, 2, 29)
    with pytest.raises(InvalidDate) as info:
        parse_ddmmyyyy("31022990")
    assert info.value.message_vi == 'Ngày "31022990" không hợp lệ.'
    for bad in ("29021900", "00012000", "01000000"):
        with pytest.raises(InvalidDate):
            parse_ddmmyyyy(bad)
    with pytest.raises(InvalidDate) as info:
        parse_ddmmyyyy("1/1/1990")
    assert "ddMMyyyy" in info.value.message_vi


# --- properties ----------------------------------------------------------------------------

SYLLABLES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hà",
    "Anh",
    "Tuấn",
    "Hương",
    "Quỳnh",
    "Ánh",
    "Ứng",
    "Ỷ",
    "Yến",
    "Khuê",
    "Nguyệt",
    "Giàng",
    "A",
]
PLACES = [
    "Hàng Bạc",
    "Đông Hòa",
    "Tân Phú",
    "Yên Thế",
    "Ea Kar",
    "Mường Tè",
    "Cờ Đỏ",
    "Hà Nội",
    "Thừa Thiên Huế",
    "Bà Rịa – Vũng Tàu",
    "Quỳnh Lưu",
    "Ô Môn",
]

names = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=5).map(" ".join)
names = st.one_of(names, names.map(str.upper))
addresses = st.builds(
    lambda number, places, kind: f"{kind} {number}, " + ", ".join(places),
    st.integers(1, 999),
    st.lists(st.sampled_from(PLACES), min_size=1, max_size=4),
    st.sampled_from(["Số", "Thôn", "Tổ", "Ấp", "Xóm"]),
)
centuries = {1900: 0, 2000: 2, 2100: 4}


@st.composite
def cards(draw) -> IdCard:
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    sex = draw(st.sampled_from(list(Sex)))
    digit = centuries[birth.year // 100 * 100] + (sex is Sex.FEMALE)
    province = draw(st.integers(1, 96))
    serial = draw(st.integers(0, 999_999))
    issue = draw(
        st.one_of(st.none(), st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)))
    )
    expiry = None
    if issue is not None:
        expiry = draw(
            st.one_of(st.none(), st.dates(min_value=date(2031, 1, 1), max_value=date(2099, 12, 31)))
        )
    return IdCard(
        id_number=f"{province:03d}{digit}{birth.year % 100:02d}{serial:06d}",
        old_id=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{9}\Z"))),
        full_name=draw(names),
        birth_date=birth,
        sex=sex,
        address=draw(addresses),
        issue_date=issue,
        expiry_date=expiry,
    )


def qr_line(card: IdCard, *, with_old_id_field: bool, sex_token: str) -> str:
    fields = [card.id_number]
    if with_old_id_field or card.old_id is not None:
        fields.append(card.old_id or "")
    fields += [card.full_name, f"{card.birth_date:%d%m%Y}", sex_token, card.address]
    if card.issue_date is not None:
        fields.append(f"{card.issue_date:%d%m%Y}")
        if card.expiry_date is not None:
            fields.append(f"{card.expiry_date:%d%m%Y}")
    return "|".join(fields)


prefixes = st.sampled_from(["", " ", "]Q1", "\x02", "\ufeff", "]Q1\x02", "\t", "  \r\n"])
suffixes = st.sampled_from(["", "\r", "\n", "\r\n", "\t", "\x03", " \x03\r\n", "  "])


@given(cards(), st.booleans(), st.booleans(), st.booleans(), prefixes, suffixes, st.data())
def test_generated_cards_round_trip(
    card, old_id_field, garble, double_spaces, prefix, suffix, data
):
    tokens = ["Nam", "NAM", "nam"] if card.sex is Sex.MALE else ["Nữ", "NỮ", "Nu", "nữ"]
    line = qr_line(
        card, with_old_id_field=old_id_field, sex_token=data.draw(st.sampled_from(tokens))
    )
    if double_spaces:
        line = line.replace(" ", "  ").replace("|", " |")
    if garble:
        line = windows_1252(line)
    assert parse_id_card_qr(prefix + line + suffix) == card


@given(st.text())
def test_arbitrary_text_raises_only_invalid_qr(text):
    try:
        card = parse_id_card_qr(text)
    except InvalidIdCardQr as err:
        assert err.message_vi
    else:
        assert isinstance(card, IdCard)


fields = st.one_of(
    st.from_regex(r"\A[0-9]{6,13}\Z"),
    st.sampled_from(["Nam", "Nữ", "", " ", "NU", NAME, ADDRESS, "31022990", "01011990"]),
    st.text(max_size=12),
    names,
)


@given(st.lists(fields, min_size=1, max_size=10), st.booleans())
def test_card_like_text_raises_only_invalid_qr(parts, garble):
    text = "|".join(parts)
    if garble:
        text = windows_1252(text)
    try:
        card = parse_id_card_qr(text)
    except InvalidIdCardQr as err:
        assert err.message_vi
    else:
        validate_id_number(card.id_number, birth_date=card.birth_date, sex=card.sex)
