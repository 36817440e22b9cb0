"""Agency codes, dossier codes and the per-desk blocks of daily sequence numbers.

A dossier code is ``<agency code>-<yyMMdd>-<NNNN>``: the receiving unit's
identifier code (four dot-separated groups, e.g. ``000.00.01.H56``), the
reception day, and a 4-digit sequence (0001–9999) that restarts every day
and is unique per receiving unit.

Several desks of one office may receive dossiers at the same time, some of
them offline, so a desk may only use numbers from a block reserved for it:

- online, the provincial server hands out blocks of numbers under its lock,
  and hands out a further block when a desk has used its block up;
- offline, the blocks come from a static partition by desk number: desk k
  (1..9) uses (k-1)*1000+1 .. k*1000 (desk 1: 0001–1000, desk 9:
  8001–9000). Numbers 9001–9999 are never used offline; they are left for
  blocks handed out by the provincial server.

Two desks of one office therefore never issue the same code, whether they
are online or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from desktop.domain.errors import DomainError

MAX_DESKS = 9
BLOCK_SIZE = 1000
MAX_SEQUENCE = 9999

_AGENCY = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}"
_AGENCY_RE = re.compile(_AGENCY)
_DOSSIER_CODE_RE = re.compile(rf"({_AGENCY})-([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})-([0-9]{{4}})")
_AGENCY_EXAMPLE = "000.00.01.H56"


class InvalidAgencyCode(DomainError):
    code = "invalid_agency_code"


class InvalidDossierCode(DomainError):
    code = "invalid_dossier_code"


class InvalidDesk(DomainError):
    code = "invalid_desk"


class BlockExhausted(DomainError):
    """Every number of a desk's block has been used today."""

    code = "block_exhausted"

    def __init__(self, block: SequenceBlock) -> None:
        super().__init__(
            f"Quầy đã dùng hết dãy số hồ sơ trong ngày ({block.first:04d}–{block.last:04d}). "
            "Hãy đồng bộ với hệ thống của tỉnh để nhận dãy số mới."
        )
        self.block = block


def validate_agency_code(text: str) -> str:
    """Return the agency identifier code cleaned (outer whitespace stripped, letter uppercased).

    Raises InvalidAgencyCode unless it has the form ``000.00.01.H56``.
    """
    cleaned = text.strip().upper()
    if not _AGENCY_RE.fullmatch(cleaned):
        raise InvalidAgencyCode(
            f'Mã cơ quan "{text.strip()}" không hợp lệ: cần bốn nhóm cách nhau bởi dấu chấm, '
            f"ví dụ {_AGENCY_EXAMPLE}."
        )
    return cleaned


@dataclass(frozen=True)
class DossierCode:
    """The parts of a dossier code."""

    agency_code: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_dossier_code(self.agency_code, self.day, self.seq)


def format_dossier_code(agency_code: str, day: date, seq: int) -> str:
    """Return ``<agency code>-<yyMMdd>-<NNNN>``, e.g. ``000.00.01.H56-240315-0001``."""
    agency = validate_agency_code(agency_code)
    if not 1 <= seq <= MAX_SEQUENCE:
        raise InvalidDossierCode(f"Số thứ tự hồ sơ phải từ 1 đến {MAX_SEQUENCE}, không phải {seq}.")
    if not 2000 <= day.year <= 2099:
        raise InvalidDossierCode(
            f"Ngày tiếp nhận {day:%d/%m/%Y} nằm ngoài khoảng năm 2000–2099 của mã hồ sơ."
        )
    return f"{agency}-{day:%y%m%d}-{seq:04d}"


def parse_dossier_code(text: str) -> DossierCode:
    """Split a dossier code into its parts; raise InvalidDossierCode if it is malformed."""
    cleaned = text.strip().upper()
    match = _DOSSIER_CODE_RE.fullmatch(cleaned)
    if match is None:
        raise InvalidDossierCode(
            f'Mã hồ sơ "{text.strip()}" không đúng dạng <mã cơ quan>-<yyMMdd>-<số thứ tự>, '
            f"ví dụ {_AGENCY_EXAMPLE}-240315-0001."
        )
    agency, yy, mm, dd, seq = match.groups()
    try:
        day = date(2000 + int(yy), int(mm), int(dd))
    except ValueError:
        raise InvalidDossierCode(
            f'Mã hồ sơ "{cleaned}" có ngày {dd}/{mm}/{yy} không hợp lệ.'
        ) from None
    if int(seq) == 0:
        raise InvalidDossierCode(f'Mã hồ sơ "{cleaned}" có số thứ tự 0000 không hợp lệ.')
    return DossierCode(agency, day, int(seq))


@dataclass(frozen=True)
class SequenceBlock:
    """A range of daily sequence numbers, ``first`` to ``last`` inclusive, reserved for one desk."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last <= MAX_SEQUENCE:
            raise ValueError(f"invalid sequence block {self.first}..{self.last}")

    def __contains__(self, seq: object) -> bool:
        return isinstance(seq, int) and self.first <= seq <= self.last

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def validate_desk(desk: int) -> int:
    """Return ``desk`` if it is a desk number 1..MAX_DESKS; raise InvalidDesk otherwise."""
    if isinstance(desk, bool) or not isinstance(desk, int) or not 1 <= desk <= MAX_DESKS:
        raise InvalidDesk(f"Số quầy phải từ 1 đến {MAX_DESKS}, không phải {desk}.")
    return desk


def offline_block(desk: int) -> SequenceBlock:
    """The block a desk uses offline: desk k gets (k-1)*1000+1 .. k*1000."""
    desk = validate_desk(desk)
    return SequenceBlock((desk - 1) * BLOCK_SIZE + 1, desk * BLOCK_SIZE)


def next_sequence(block: SequenceBlock, last_used: int | None) -> int:
    """The next number to issue from ``block`` after ``last_used`` (None: none used today).

    The result is always in the block and greater than ``last_used``; a
    ``last_used`` below the block (from an earlier block) starts at the
    block's first number. Raises BlockExhausted when the block is used up.
    """
    candidate = block.first if last_used is None else max(block.first, last_used + 1)
    if candidate > block.last:
        raise BlockExhausted(block)
    return candidate
