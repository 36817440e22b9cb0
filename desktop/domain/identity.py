"""Citizen ID cards (CCCD / thẻ căn cước): the QR payload and the 12-digit personal ID.

The card's QR code holds one line of fields separated by ``|``, most often
``ID | old 9-digit ID (may be empty) | full name | birth date ddMMyyyy | sex |
address | issue date ddMMyyyy``; some cards have no old-ID field and some add
an expiry date. Desk scanners type the payload as keystrokes and may add
noise around it or, when not set to UTF-8, garble the Vietnamese letters.
The parser therefore finds the fields by their pattern, not by position.

The personal ID: digits 1–3 are the province of birth registration
(001–096); digit 4 encodes sex and century of birth (even male, odd female;
0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 1800s); digits 5–6 are the
last two digits of the birth year.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.domain.errors import DomainError
from desktop.domain.text import fold, nfc


class Sex(StrEnum):
    MALE = "Nam"
    FEMALE = "Nữ"


@dataclass(frozen=True)
class IdCard:
    """The data printed in a citizen ID card's QR code."""

    id_number: str
    old_id: str | None
    full_name: str
    birth_date: date
    sex: Sex
    address: str
    issue_date: date | None
    expiry_date: date | None


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"


class InvalidDate(DomainError):
    code = "invalid_date"


class InvalidIdCardQr(DomainError):
    """The scanned text is not a readable ID card QR payload; ``raw`` is the cleaned text."""

    code = "invalid_id_card_qr"

    def __init__(self, message_vi: str, raw: str) -> None:
        super().__init__(message_vi)
        self.raw = raw


_ID_NUMBER_RE = re.compile(r"[0-9]{12}")
_ID_IN_TEXT_RE = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_OLD_ID_RE = re.compile(r"[0-9]{9}")
_DATE_RE = re.compile(r"[0-9]{8}")
_DATE_WITH_SUFFIX_RE = re.compile(r"([0-9]{8})[^0-9]{1,4}")
# AIM symbology identifier some scanners send first, e.g. "]Q1" for a QR code.
_AIM_PREFIX_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")

# Birth century for digit 4 of the ID, indexed by digit // 2 (even digits: male).
_CENTURIES = (1900, 2000, 2100, 2200, 1800)
_SEX_TOKENS = {"nam": Sex.MALE, "nu": Sex.FEMALE}
_MISMATCH = "id_mismatch"


def parse_ddmmyyyy(text: str) -> date:
    """Parse a ddMMyyyy date such as ``01011990``; raise InvalidDate otherwise."""
    cleaned = text.strip()
    if not _DATE_RE.fullmatch(cleaned):
        raise InvalidDate(f'Ngày "{cleaned}" không đúng dạng ddMMyyyy (ví dụ 01011990).')
    try:
        return date(int(cleaned[4:]), int(cleaned[2:4]), int(cleaned[:2]))
    except ValueError:
        raise InvalidDate(f'Ngày "{cleaned}" không hợp lệ.') from None


def validate_old_id(text: str) -> str:
    """Return the old 9-digit ID (CMND) stripped of whitespace; raise InvalidIdNumber otherwise."""
    cleaned = text.strip()
    if not _OLD_ID_RE.fullmatch(cleaned):
        raise InvalidIdNumber(f'Số CMND "{cleaned}" phải gồm đúng 9 chữ số.')
    return cleaned


def validate_id_number(
    id_number: str, *, birth_date: date | None = None, sex: Sex | None = None
) -> str:
    """Return the 12-digit personal ID stripped of whitespace, or raise InvalidIdNumber.

    Checks the digits, the province code and, when given, that digits 4–6
    match the holder's sex and birth year.
    """
    cleaned = id_number.strip()
    if not _ID_NUMBER_RE.fullmatch(cleaned):
        raise InvalidIdNumber(f'Số định danh "{cleaned}" phải gồm đúng 12 chữ số.')
    province = cleaned[:3]
    if not 1 <= int(province) <= 96:
        raise InvalidIdNumber(
            f"Số định danh {cleaned} có mã tỉnh {province} không hợp lệ (chỉ từ 001 đến 096)."
        )
    digit = int(cleaned[3])
    encoded_sex = Sex.MALE if digit % 2 == 0 else Sex.FEMALE
    encoded_year = _CENTURIES[digit // 2] + int(cleaned[4:6])
    if sex is not None and sex is not encoded_sex:
        raise InvalidIdNumber(
            f"Số định danh {cleaned} không khớp giới tính {sex.value}: "
            f"chữ số thứ 4 ({digit}) ứng với giới tính {encoded_sex.value}.",
            code=_MISMATCH,
        )
    if birth_date is not None and birth_date.year != encoded_year:
        raise InvalidIdNumber(
            f"Số định danh {cleaned} không khớp năm sinh {birth_date.year}: "
            f"chữ số thứ 4–6 ứng với năm sinh {encoded_year}.",
            code=_MISMATCH,
        )
    return cleaned


def parse_id_card_qr(text: str) -> IdCard:
    """Read the fields of a citizen ID card from its scanned QR text.

    Tolerates 6, 7 or 8+ fields, whitespace and control characters, scanner
    prefixes and suffixes, and text garbled by a scanner not set to UTF-8
    (repaired when possible). Raises InvalidIdCardQr saying what is wrong.
    """
    # Latin-1 range characters may be pieces of garbled UTF-8: keep them until it is repaired.
    raw = _clean_controls(text, keep_latin1=True).strip()
    if not raw:
        raise InvalidIdCardQr("Mã QR trống.", raw)
    raw = _clean_controls(_fix_encoding(raw), keep_latin1=False).strip()
    raw = _AIM_PREFIX_RE.sub("", raw).strip()
    if "|" not in raw:
        raise InvalidIdCardQr(
            'Mã QR không phải của thẻ căn cước (các trường phải cách nhau bởi dấu "|").', raw
        )
    return _CardFields(raw).card()


class _CardFields:
    """Finds the card's fields in a cleaned payload, one after another."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.fields = [" ".join(field.split()) for field in raw.split("|")]
        last = _DATE_WITH_SUFFIX_RE.fullmatch(self.fields[-1])
        if last is not None:  # a scanner suffix stuck to the last date
            self.fields[-1] = last.group(1)
        self.used: set[int] = set()

    def fail(self, message_vi: str) -> InvalidIdCardQr:
        return InvalidIdCardQr(message_vi, self.raw)

    def find(self, start: int, accept: Callable[[str], object]) -> int | None:
        """Index of the first unused field from ``start`` on for which ``accept(field)`` holds."""
        for index in range(start, len(self.fields)):
            if index not in self.used and accept(self.fields[index]):
                self.used.add(index)
                return index
        return None

    def date_field(self, start: int, what: str) -> tuple[date | None, int]:
        """The first ddMMyyyy field from ``start`` on, and where to look for the next one."""
        index = self.find(start, _DATE_RE.fullmatch)
        if index is None:
            return None, start
        try:
            return parse_ddmmyyyy(self.fields[index]), index + 1
        except InvalidDate:
            raise self.fail(f'{what} "{self.fields[index]}" không hợp lệ.') from None

    def card(self) -> IdCard:
        id_index, id_number = self.id_number()
        old_index = self.find(id_index + 1, _OLD_ID_RE.fullmatch)
        name_index = self.find(id_index + 1, _is_name)
        if name_index is None:
            raise self.fail("Không tìm thấy họ tên trong mã QR.")
        birth_date, after_birth = self.date_field(name_index + 1, "Ngày sinh")
        if birth_date is None:
            raise self.fail("Không tìm thấy ngày sinh (dạng ddMMyyyy) trong mã QR.")
        sex_index = self.find(name_index + 1, lambda field: fold(field) in _SEX_TOKENS)
        if sex_index is None:
            raise self.fail("Không tìm thấy giới tính (Nam/Nữ) trong mã QR.")
        sex = _SEX_TOKENS[fold(self.fields[sex_index])]
        issue_date, after_issue = self.date_field(after_birth, "Ngày cấp")
        expiry_date, _ = self.date_field(after_issue, "Ngày hết hạn")
        address = self.address(name_index + 1)

        try:
            validate_id_number(id_number, birth_date=birth_date, sex=sex)
        except InvalidIdNumber as err:
            if err.code != _MISMATCH:
                raise self.fail(err.message_vi) from None
            raise self.fail(
                f"Số định danh {id_number} không khớp giới tính/năm sinh trên thẻ "
                f"({sex.value}, sinh năm {birth_date.year})."
            ) from None
        return IdCard(
            id_number=id_number,
            old_id=None if old_index is None else self.fields[old_index],
            full_name=self.fields[name_index],
            birth_date=birth_date,
            sex=sex,
            address=address,
            issue_date=issue_date,
            expiry_date=expiry_date,
        )

    def id_number(self) -> tuple[int, str]:
        for index, field in enumerate(self.fields):
            match = _ID_IN_TEXT_RE.search(field)
            if match is not None:
                self.used.add(index)
                return index, match.group()
        raise self.fail("Không tìm thấy số định danh 12 chữ số trong mã QR.")

    def address(self, start: int) -> str:
        candidates = [
            field
            for index, field in enumerate(self.fields)
            if index >= start and index not in self.used and any(ch.isalpha() for ch in field)
        ]
        if not candidates:
            raise self.fail("Không tìm thấy địa chỉ thường trú trong mã QR.")
        return max(candidates, key=len)


def _is_name(field: str) -> bool:
    """Mostly letters, no digits, and not the sex field."""
    letters = sum(ch.isalpha() for ch in field)
    others = sum(not ch.isalpha() and not ch.isspace() for ch in field)
    return (
        letters >= 2
        and others * 4 <= letters
        and not any(ch.isdigit() for ch in field)
        and fold(field) not in _SEX_TOKENS
    )


def _clean_controls(text: str, *, keep_latin1: bool) -> str:
    """Whitespace (tab, CR, LF, ...) becomes a space; other control and format characters go."""
    cleaned = []
    for ch in text:
        if keep_latin1 and "\x80" <= ch <= "\xff":
            cleaned.append(ch)
        elif ch.isspace():
            cleaned.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf"):
            cleaned.append(ch)
    return "".join(cleaned)


# --- repairing text typed by a scanner that is not set to UTF-8 -------------------------

_VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)
_VIETNAMESE_LETTERS = frozenset(
    _VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper() + string.ascii_letters
)
# What UTF-8 continuation bytes 0x80–0xBF look like when read as Windows-1252 or Latin-1.
_CONTINUATION_LOOKALIKES = frozenset(
    bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
    + "".join(map(chr, range(0x80, 0xC0)))
)
_MAX_REPAIRS = 2


def _fix_encoding(text: str) -> str:
    """Return ``text``, repaired if it is UTF-8 read as Windows-1252/Latin-1 ("Nguyá»…n")."""
    candidate = text
    for _ in range(_MAX_REPAIRS):
        repaired = _reencode(candidate)
        if repaired is None or repaired == candidate:
            break
        candidate = repaired
        if _is_clean_vietnamese(candidate):
            return nfc(candidate)
    if _looks_garbled(text):
        sample = text if len(text) <= 80 else text[:77] + "..."
        raise InvalidIdCardQr(
            "Mã QR có vẻ bị lỗi bảng mã (máy quét chưa đặt UTF-8): "
            f'"{sample}". Hãy đặt máy quét ở chế độ UTF-8 rồi quét lại.',
            text,
        )
    return nfc(text)


def _reencode(text: str) -> str | None:
    """The text the bytes typed as ``text`` mean in UTF-8, or None if they are not UTF-8."""
    data = bytearray()
    for ch in text:
        try:
            data += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            data.append(ord(ch))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_clean_vietnamese(text: str) -> bool:
    return not _looks_garbled(text) and all(
        ch in _VIETNAMESE_LETTERS for ch in text if ch.isalpha()
    )


def _looks_garbled(text: str) -> bool:
    """True when ``text`` shows the marks of UTF-8 read in a single-byte encoding."""
    previous = ""
    for ch in text:
        if ch == "\ufffd":
            return True
        if "\xa0" <= ch <= "\xff" and ch not in _VIETNAMESE_LETTERS and not ch.isspace():
            return True
        if ch in _CONTINUATION_LOOKALIKES and "\xc0" <= previous <= "\xff":
            return True
        previous = ch
    return False
