"""Mẫu 06 — Sổ theo dõi hồ sơ: the dossiers received in a period, one row each.

Pure queries on a Session. Built for a million-dossier office:

- the dossiers come from the index on the reception time (``ix_dossiers_received``)
  in keyset batches ordered by (received_at, id), selecting only the columns
  the book prints;
- each batch's hand-over and finishing times (progress rows, by the index on
  (dossier_id, acted_at)) and its result returns come in one query each;
  procedure and officer names are read once (small tables): never a query per row;
- a printed book is capped at ``PDF_ROW_LIMIT`` dossiers and a spreadsheet at
  ``XLSX_ROW_LIMIT``: a longer period is refused with a Vietnamese message
  (`PeriodTooLarge`) before any row is read. The cap of the PDF comes from
  measurement: 2,000 rows make a 180-page landscape book and take about 10 s
  to lay out and paint on the 2-core test machine (Qt lays every row out).

``export_xlsx`` streams the rows into the spreadsheet (``forms.xlsx``, openpyxl
write-only mode), so a 100,000-row book never sits in memory; ``save_xlsx`` does
it in a read session of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from desktop.domain.status import Status
from desktop.services.office import get_office
from desktop.services.validation import ValidationError
from desktop.store.database import Store
from desktop.store.models import Dossier, Office, Officer, Procedure, ProgressRow, ResultReturn
from forms.context import OfficeInfo, TrackingBookData, TrackingBookRow

PDF_ROW_LIMIT = 2_000
XLSX_ROW_LIMIT = 100_000
BATCH = 500  # dossiers per query (well under SQLite's limit of bound parameters)
#: Statuses whose label goes into the "Ghi chú" column (the dossier is paused or ended early).
NOTED_STATUSES: frozenset[int] = frozenset({
    Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION, Status.WITHDRAWN, Status.STOPPED})


class PeriodTooLarge(ValidationError):
    """More dossiers in the period than one book (PDF) or spreadsheet may hold."""

    def __init__(self, count: int, limit: int, message_vi: str) -> None:
        super().__init__({"period": message_vi})
        self.count = count
        self.limit = limit


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00): the whole of both days."""
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError({"period": "Chọn ngày bắt đầu và ngày kết thúc của kỳ."})
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(end, datetime):
        end = end.date()
    if end < start:
        raise ValidationError({"period": "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."})
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def count_received(session: Session, start: date, end: date) -> int:
    """How many dossiers were received from ``start`` to ``end`` (both days included)."""
    low, high = _bounds(start, end)
    return session.execute(
        select(func.count()).select_from(Dossier)
        .where(Dossier.received_at >= low, Dossier.received_at < high)
    ).scalar_one()


def _office_info(office: Office | None) -> OfficeInfo:
    if office is None:
        return OfficeInfo(name="", parent_name="", place_name="", agency_code="")
    return OfficeInfo(name=office.name, parent_name=office.parent_name,
                      place_name=office.place_name or office.name,
                      agency_code=office.agency_code, address=office.address, phone=office.phone)


_COLUMNS = (
    Dossier.id, Dossier.code, Dossier.procedure_id, Dossier.sets_count, Dossier.applicant_name,
    Dossier.applicant_address, Dossier.applicant_phone, Dossier.received_at, Dossier.due_at,
    Dossier.status, Dossier.received_by_id, Dossier.finished_at, Dossier.returned_at,
    Dossier.note,
)


def iter_rows(session: Session, start: date, end: date, *,
              batch: int = BATCH) -> Iterator[TrackingBookRow]:
    """The book's rows, in reception order, read ``batch`` dossiers at a time."""
    low, high = _bounds(start, end)
    procedures = dict(session.execute(select(Procedure.id, Procedure.name)).all())
    officers = dict(session.execute(select(Officer.id, Officer.full_name)).all())
    after: tuple[datetime, int] | None = None
    while True:
        query = (select(*_COLUMNS)
                 .where(Dossier.received_at >= low, Dossier.received_at < high)
                 .order_by(Dossier.received_at, Dossier.id).limit(batch))
        if after is not None:
            query = query.where(tuple_(Dossier.received_at, Dossier.id) > after)
        dossiers = session.execute(query).all()
        if not dossiers:
            return
        yield from _rows(session, dossiers, procedures, officers)
        last = dossiers[-1]
        after = (last.received_at, last.id)
        if len(dossiers) < batch:
            return


def _rows(session: Session, dossiers: list, procedures: dict[int, str],
          officers: dict[int, str]) -> Iterator[TrackingBookRow]:
    ids = [d.id for d in dossiers]
    steps: dict[tuple[int, int], datetime] = {
        (dossier_id, status): at
        for dossier_id, status, at in session.execute(
            select(ProgressRow.dossier_id, ProgressRow.status, func.min(ProgressRow.acted_at))
            .where(ProgressRow.dossier_id.in_(ids),
                   ProgressRow.status.in_((int(Status.PROCESSING), int(Status.PROCESSED))))
            .group_by(ProgressRow.dossier_id, ProgressRow.status))
    }
    returns = {r.dossier_id: r for r in session.execute(
        select(ResultReturn).where(ResultReturn.dossier_id.in_(ids))).scalars()}
    for d in dossiers:
        finished = steps.get((d.id, int(Status.PROCESSED)))
        if finished is None and d.status in (Status.PROCESSED, Status.RETURNED):
            finished = d.finished_at
        ret = returns.get(d.id)
        returned_at, returned_by, returned_to = (d.returned_at, "", "")
        if ret is not None:
            returned_at = ret.returned_at
            returned_by = officers.get(ret.returned_by, "") if ret.returned_by else ""
            returned_to = ret.receiver_name
            if not ret.receiver_is_applicant:
                returned_to += " (được ủy quyền)"
            if ret.by_post:
                returned_to += " (qua bưu chính)"
        notes = [Status(d.status).label] if d.status in NOTED_STATUSES else []
        if d.note:
            notes.append(d.note)
        yield TrackingBookRow(
            dossier_code=d.code or "",
            procedure_name=procedures.get(d.procedure_id, ""),
            sets_count=d.sets_count or 1,
            applicant_name=d.applicant_name,
            applicant_address=d.applicant_address,
            applicant_phone=d.applicant_phone,
            received_at=d.received_at,
            due_at=d.due_at,
            handed_over_at=steps.get((d.id, int(Status.PROCESSING))),
            finished_at=finished,
            returned_at=returned_at if d.status == Status.RETURNED or ret is not None else None,
            returned_by=returned_by,
            returned_to=returned_to,
            received_by=officers.get(d.received_by_id, "") if d.received_by_id else "",
            note="; ".join(notes),
        )


def _check_size(start: date, end: date, count: int, limit: int, *, pdf: bool) -> None:
    if count <= limit:
        return
    period = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y} có {_number(count)} hồ sơ"
    if pdf:
        message = (f"{period}, quá nhiều để in thành một cuốn sổ (tối đa {_number(limit)} hồ sơ "
                   "một lần). Hãy chọn khoảng thời gian ngắn hơn (ví dụ từng tháng), hoặc xuất "
                   "sổ ra tệp Excel.")
    else:
        message = (f"{period}, quá nhiều cho một tệp Excel (tối đa {_number(limit)} hồ sơ). "
                   "Hãy chọn khoảng thời gian ngắn hơn.")
    raise PeriodTooLarge(count, limit, message)


def _book(session: Session, start: date, end: date, rows: tuple[TrackingBookRow, ...],
          total: int, now: datetime | None) -> TrackingBookData:
    return TrackingBookData(office=_office_info(get_office(session)), start=start, end=end,
                            rows=rows, total=total,
                            issued_at=(now or datetime.now()).replace(microsecond=0))


def tracking_book(session: Session, start: date, end: date, *, limit: int = PDF_ROW_LIMIT,
                  now: datetime | None = None) -> TrackingBookData:
    """The book of the dossiers received from ``start`` to ``end``, to print.

    Raises `PeriodTooLarge` (before reading any row) when the period holds
    more than ``limit`` dossiers, and `ValidationError` for a reversed period.
    """
    count = count_received(session, start, end)
    _check_size(start, end, count, limit, pdf=True)
    rows = tuple(iter_rows(session, start, end))
    return _book(session, start, end, rows, len(rows), now)


def export_xlsx(session: Session, start: date, end: date, path: Path, *,
                limit: int = XLSX_ROW_LIMIT, now: datetime | None = None) -> TrackingBookData:
    """Write the book to the spreadsheet ``path`` (rows streamed); returns its heading data.

    Raises `PeriodTooLarge` above ``limit`` dossiers and ``OSError`` when the
    file cannot be written (a partial file never replaces an existing one).
    """
    from forms.xlsx import write_tracking_book

    count = count_received(session, start, end)
    _check_size(start, end, count, limit, pdf=False)
    book = _book(session, start, end, (), count, now)
    write_tracking_book(book, Path(path), rows=iter_rows(session, start, end))
    return book


def save_xlsx(store: Store, start: date, end: date, path: Path, *,
              limit: int = XLSX_ROW_LIMIT, now: datetime | None = None) -> TrackingBookData:
    """`export_xlsx` in a read session of its own (for the GUI's worker thread).

    A failure to write the file (a full disk where it goes, a read-only folder)
    comes out as the plain ``OSError``: the store's session would report a
    full disk as its own data folder's (``DiskFull``).
    """
    failure: OSError | None = None
    with store.reading() as session:
        try:
            return export_xlsx(session, start, end, path, limit=limit, now=now)
        except OSError as exc:
            failure = exc
    raise failure
