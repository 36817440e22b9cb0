"""Pure domain rules of Một Cửa desktop: no Qt, no I/O, no clock reads.

Callers pass every date and time in (naive, office local time). Errors a
user can fix are DomainError subclasses carrying a Vietnamese ``message_vi``
and a machine ``code``.

Exported names, by module:

errors
    DomainError
status — dossier status codes 1–10 and the transitions between them
    Status, INITIAL_STATUSES, TRANSITIONS, allowed_next, can_transition,
    check_transition, check_initial, IllegalTransition, UnknownStatus
codes — agency and dossier codes, per-desk blocks of daily sequence numbers
    MAX_DESKS, BLOCK_SIZE, validate_agency_code, format_dossier_code,
    parse_dossier_code, DossierCode, SequenceBlock, offline_block,
    validate_desk, next_sequence, InvalidAgencyCode, InvalidDossierCode,
    InvalidDesk, BlockExhausted
calendar — working-day calendar and due dates
    TimeUnit, OfficeHours, WorkCalendar, load_holiday_table, DueDate, due_at,
    explain_due, extend_for_supplement, InvalidDuration, InvalidOfficeHours,
    InvalidHolidayTable
identity — citizen ID card QR payload and ID numbers
    Sex, IdCard, parse_id_card_qr, validate_id_number, validate_old_id,
    parse_ddmmyyyy, InvalidIdCardQr, InvalidIdNumber, InvalidDate
text — Vietnamese text helpers
    fold, nfc
"""

from desktop.domain.calendar import (
    DueDate,
    InvalidDuration,
    InvalidHolidayTable,
    InvalidOfficeHours,
    OfficeHours,
    TimeUnit,
    WorkCalendar,
    due_at,
    explain_due,
    extend_for_supplement,
    load_holiday_table,
)
from desktop.domain.codes import (
    BLOCK_SIZE,
    MAX_DESKS,
    BlockExhausted,
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
from desktop.domain.errors import DomainError
from desktop.domain.identity import (
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
from desktop.domain.status import (
    INITIAL_STATUSES,
    TRANSITIONS,
    IllegalTransition,
    Status,
    UnknownStatus,
    allowed_next,
    can_transition,
    check_initial,
    check_transition,
)
from desktop.domain.text import fold, nfc

__all__ = [
    "BLOCK_SIZE",
    "INITIAL_STATUSES",
    "MAX_DESKS",
    "TRANSITIONS",
    "BlockExhausted",
    "DomainError",
    "DossierCode",
    "DueDate",
    "IdCard",
    "IllegalTransition",
    "InvalidAgencyCode",
    "InvalidDate",
    "InvalidDesk",
    "InvalidDossierCode",
    "InvalidDuration",
    "InvalidHolidayTable",
    "InvalidIdCardQr",
    "InvalidIdNumber",
    "InvalidOfficeHours",
    "OfficeHours",
    "SequenceBlock",
    "Sex",
    "Status",
    "TimeUnit",
    "UnknownStatus",
    "WorkCalendar",
    "allowed_next",
    "can_transition",
    "check_initial",
    "check_transition",
    "due_at",
    "explain_due",
    "extend_for_supplement",
    "fold",
    "format_dossier_code",
    "load_holiday_table",
    "next_sequence",
    "nfc",
    "offline_block",
    "parse_ddmmyyyy",
    "parse_dossier_code",
    "parse_id_card_qr",
    "validate_agency_code",
    "validate_desk",
    "validate_id_number",
    "validate_old_id",
]
