"""The dossier list: filters, server-side sorting, keyset pages, counts and one dossier's detail.

Qt-free. Every function takes the caller's read session and returns plain
frozen dataclasses: no ORM object crosses to the UI thread.

Keyset pages
    Rows are ordered by (sort value, id), both ascending or both descending;
    the next page starts after the last row seen (`key_of(row, sort)`), so
    page 5,000 costs what page 1 costs and rows added meanwhile are neither
    skipped nor repeated. Each statement is one range on one index: for
    columns whose values rarely repeat (code, dates, names) the row value
    `(column, id) < (v, last id)`; for status and channel, whose values
    repeat a lot, first the rest of the last row's value (`column = v AND
    id < last id`, a seek by rowid inside the value), then the values after
    it. NULLs of the nullable columns (code, received_at, due_at) are a
    segment of their own, first ascending and last descending, as SQLite
    orders them. Procedures sort by name: one procedure after the other.

Plans are chosen here, not left to SQLite
    SQLite's statistics may be missing or (after ANALYZE with a small
    analysis_limit, as the demo leaves them) far off, and one wrong choice
    costs seconds on a million dossiers. So each page first counts, capped
    (PROBE_CAP), the matches of every filter term on its own index — a few
    milliseconds of index reading — and then, with INDEXED BY:
    - *merge*: when a filter's index orders the sort column within each of
      its values (status → due date, procedure → reception date), one
      ordered stream per value, merged;
    - *walk* the sort column's index in order, testing the filters on each
      row, when matches are dense enough that `limit` rows come quickly
      (expected cost limit / selectivity, terms taken as independent);
    - *collect* the matches of the most selective term (its index, or the
      ids a text search lists) and sort them (cost: their number).
    A walk or merge that finds its rows rarer than expected (filters that
    are not independent of the order) stops after WALK_BUDGET_S and collects
    instead. Every index named here exists from migration 0003; `plan_of()`
    returns the statements run and their EXPLAIN QUERY PLAN.

Text search
    Through the FTS5 table `dossier_search` (folded code, names, ID numbers,
    phones; services.search.match_expression): diacritics and đ/d do not
    matter and every word is a prefix; digits typed in groups also match the
    number without separators. Up to TEXT_IDS_CAP matches are passed as a
    list of ids (they drive the query, by rowid); a query matching more (one
    family name, say) stays an FTS subquery, materialised once per statement.
    Dossiers still waiting in `search_queue` are matched directly.

Cancelling
    `page()` and `count()` take `cancelled`, polled through SQLite's progress
    handler: the list interrupts the query of a search the officer has
    already replaced.

Definitions (as the home page's, services.overview)
    - in progress: status 2, 4, 5 or 6 (stopped dossiers are paused, not late);
    - overdue: in progress and due_at < now;
    - due within N days: in progress and now <= due_at < now + N days;
    - with both "overdue" and "due within N days" set, a dossier matches if
      it is overdue or due within N days (late or about to be).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import count as _counter
from time import perf_counter as _clock
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.domain.text import fold, sort_key
from desktop.services import search
from desktop.services.overview import IN_PROGRESS
from desktop.services.search import match_expression
from desktop.store.files import OCR_SEARCH_TABLE
from desktop.store.models import (
    Dossier,
    DossierComponent,
    DossierFee,
    Field,
    Officer,
    Procedure,
    ProgressRow,
)
from desktop.store.search_index import SEARCH_TABLE

#: Rows per page of the list.
PAGE_SIZE = 200
#: The UI shows counts above this as "more than 100.000" (see count()).
COUNT_CAP = 100_000
#: Each filter term's matches are counted up to this many when a page is planned.
PROBE_CAP = 50_000
#: A text search with fewer matches passes their ids; with more, the FTS query itself.
TEXT_IDS_CAP = 20_000
OCR_IDS_CAP = 2_000  # dossiers matched through their papers' recognised text
# A status filter matching at most this many dossiers goes into a broad text search's
# FTS query (_narrow_text_by_status).
STATUS_IN_FTS_MAX = 100_000
#: At most this many queued (not yet indexed) dossiers are matched directly.
QUEUE_SCAN_LIMIT = 5_000
#: A walk of the sort index that takes longer than this collects instead (see _page).
WALK_BUDGET_S = 0.03

SORT_COLUMNS = ("code", "received_at", "due_at", "applicant_name", "procedure", "status",
                "channel")
_NULLABLE = frozenset({"code", "received_at", "due_at"})
#: Columns whose values repeat a little at most: the keyset is one row-value range.
_FEW_TIES = frozenset({"code", "received_at", "due_at", "applicant_name"})
#: Dossiers in these statuses were never received (no received_at): walking the reception
#: index for them would read it all before reaching its NULLs; they are collected instead.
_NEVER_RECEIVED = frozenset({1, 3})
#: Composite indexes (0001) that order a sort column within each value of a filter column.
_COMPOSITE = {
    ("d.status", "due_at"): "ix_dossiers_status_due",
    ("d.status", "received_at"): "ix_dossiers_status_received",
    ("d.procedure_id", "received_at"): "ix_dossiers_procedure_received",
}
#: The index that orders each sort column as (column, rowid) (0001 and 0003).
_SORT_INDEX = {
    "received_at": "ix_dossiers_received",
    "due_at": "ix_dossiers_due",
    "applicant_name": "ix_dossiers_applicant_sort",
    "status": "ix_dossiers_status",
    "channel": "ix_dossiers_channel",
    "procedure": "ix_dossiers_procedure",
    # "code": the UNIQUE constraint's automatic index, looked up by name (_code_index).
}
_ROW_COLUMNS = ("d.id, d.code, d.applicant_name, d.procedure_id, d.status, d.channel, "
                "d.submitted_at, d.received_at, d.due_at, d.finished_at, d.returned_at, "
                "d.applicant_id_number, d.applicant_phone, d.applicant_sort")
#: The SQL column behind a sort column, where they differ: names sort by their key
#: (domain.text.sort_key), so "Đặng" comes among the D's.
_SQL_COLUMN = {"applicant_name": "applicant_sort"}


# ------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class DossierFilter:
    """What the officer asked for; every part is optional and all of them must hold."""

    statuses: frozenset[int] | None = None  # None: any status; empty: nothing
    procedure_id: int | None = None
    field_id: int | None = None
    channel: str | None = None  # "1" in person, "2" online, "3" post
    received_from: date | None = None  # inclusive
    received_to: date | None = None  # inclusive (the whole day)
    overdue: bool = False
    due_within_days: int | None = None  # None or 0: off
    text: str = ""  # the search box


@dataclass(frozen=True)
class SortKey:
    """Sort by one column of the list, then by id, in the same direction."""

    column: str = "received_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"unknown sort column: {self.column!r}")


@dataclass(frozen=True)
class DossierRow:
    """One line of the list: what the table shows."""

    id: int
    code: str | None
    applicant_name: str
    procedure_name: str
    field_name: str
    status: int
    channel: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    applicant_id_number: str
    applicant_phone: str
    applicant_sort: str = ""  # the name's sort key (the keyset cursor of the name sort)

    def is_overdue(self, now: datetime) -> bool:
        return self.status in IN_PROGRESS and self.due_at is not None and self.due_at < now

    def is_due_within(self, now: datetime, days: int) -> bool:
        return (self.status in IN_PROGRESS and self.due_at is not None
                and now <= self.due_at < now + timedelta(days=days))


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    originals: int
    certified: int
    photocopies: int
    present: bool
    digitisation_state: int  # 0 not digitised, 1 at reception, 2 reused component, 3 reused result
    has_file: bool
    id: int = 0
    attachment_id: int | None = None  # the digitised paper on it now (services.digitisation)
    pages: int = 0
    digitised_at: datetime | None = None
    digitised_by: str = ""
    reused_from_code: str = ""  # the earlier dossier a reused paper came from


@dataclass(frozen=True)
class ResultInfo:
    """A result document of the dossier and its digitised copy, if any."""

    id: int
    name: str
    attachment_id: int | None = None
    pages: int = 0
    digitised_at: datetime | None = None
    digitised_by: str = ""


@dataclass(frozen=True)
class FeeInfo:
    name: str
    amount: int
    paid: bool
    paid_online: bool


@dataclass(frozen=True)
class TimelineStep:
    acted_at: datetime
    officer_name: str
    officer_title: str
    department: str
    content: str
    status: int
    started_at: datetime | None
    step_deadline: datetime | None


@dataclass(frozen=True)
class DossierDetail:
    id: int
    uid: str
    code: str | None
    procedure_id: int
    procedure_code: str
    procedure_name: str
    field_name: str
    channel: str
    status: int
    applicant_kind: str
    applicant_id_number: str
    applicant_old_id: str
    applicant_name: str
    applicant_birth_date: date | None
    applicant_sex: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    submitter_id_number: str
    submitter_name: str
    submitter_birth_date: date | None
    submitter_sex: str
    submitter_address: str
    submitter_phone: str
    submitter_email: str
    summary: str
    note: str
    reason: str
    sets_count: int
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    refused_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    return_by_post: bool
    fee_total: int
    paid_online: bool
    state_secret: bool
    received_by: str
    assignee: str
    created_at: datetime
    updated_at: datetime
    version: int
    components: tuple[ComponentInfo, ...] = field(default=())
    fees: tuple[FeeInfo, ...] = field(default=())
    timeline: tuple[TimelineStep, ...] = field(default=())
    results: tuple[ResultInfo, ...] = field(default=())
    digitisation_text: str = ""  # services.digitisation summary, e.g. "1/2 thành phần đã số hóa"
    digitisation_refusal: str = ""  # why nothing of it may be digitised (state secret), or ""

    @property
    def has_submitter(self) -> bool:
        return bool(self.submitter_name)

    @property
    def components_missing(self) -> int:
        return sum(1 for c in self.components if not c.present)

    @property
    def components_digitised(self) -> int:
        return sum(1 for c in self.components if c.present and c.digitisation_state)


class DossierNotFound(LookupError):
    """The dossier was deleted (or never existed) meanwhile."""

    def __init__(self, dossier_id: int) -> None:
        super().__init__(f"Không tìm thấy hồ sơ (số {dossier_id}); có thể hồ sơ đã bị xóa.")
        self.message_vi = str(self)
        self.dossier_id = dossier_id


# ------------------------------------------------------------------------------ helpers

_PHONE_LIKE = re.compile(r"^[\d\s.]+$")
_WORD = re.compile(r"[0-9a-z]+")


def _match(query: str) -> str | None:
    """The FTS5 expression for the search box (services.search.match_expression).

    Digits typed in groups ("0912 345 678", "0912.345.678") also match the
    number written without separators, as phones are indexed.
    """
    expr = match_expression(query)
    if expr is None:
        return None
    q = query.strip()
    if _PHONE_LIKE.match(q) and re.search(r"[\s.]", q):
        digits = re.sub(r"\D", "", q)
        if len(digits) >= 6:
            expr = f'({expr}) OR "{digits}"*'
    return expr


def _name_order(name: str) -> tuple[str, str]:
    return (sort_key(name), name)


def _ts(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (fixed width, so strings compare as times)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _bind(value: Any) -> Any:
    return _ts(value) if isinstance(value, datetime) else value


@dataclass
class _Catalogue:
    """Procedure and field names, so the list query reads the dossiers table only."""

    procedures: dict[int, tuple[str, str, int]]  # id -> (name, field name, field id)

    @classmethod
    def load(cls, session: Session) -> _Catalogue:
        rows = session.execute(
            select(Procedure.id, Procedure.name, Field.name, Field.id)
            .join(Field, Field.id == Procedure.field_id)
        ).all()
        return cls({pid: (pname, fname, fid) for pid, pname, fname, fid in rows})

    def of_field(self, field_id: int) -> list[int]:
        return sorted(pid for pid, (_, _, fid) in self.procedures.items() if fid == field_id)

    def name_groups(self) -> list[tuple[str, list[int]]]:
        """Procedure ids grouped by name, in name order (the "procedure" sort): by
        `_name_order`, so "Đăng ký…" sorts among the D's."""
        groups: dict[str, list[int]] = {}
        for pid, (name, _, _) in self.procedures.items():
            groups.setdefault(name, []).append(pid)
        return sorted(((n, sorted(ids)) for n, ids in groups.items()),
                      key=lambda g: _name_order(g[0]))

    def row(self, r: Any) -> DossierRow:
        pname, fname, _ = self.procedures.get(r[3], ("", "", 0))
        return DossierRow(r[0], r[1], r[2], pname, fname, r[4], r[5], _dt(r[6]), _dt(r[7]),
                          _dt(r[8]), _dt(r[9]), _dt(r[10]), r[11], r[12], r[13])


@dataclass
class _Term:
    """One filter condition on `dossiers AS d`, and how it can drive a query."""

    sql: str  # the condition when it drives (its index, or the ids it lists)
    params: dict[str, Any]
    index: str | None  # the index it drives; None: it lists dossier ids (text search)
    probes: list[str]  # conditions whose matches are counted (one per IN value)
    residual: str | None = None  # the condition as a mere test, "+" on its columns
    on_sort_column: str | None = None  # the sort column this term is a range on
    rowid_ordered: bool = False  # each probe is an equality: its index yields rowid order
    fts_only: bool = False  # the FTS query alone (no listed ids): it can count itself
    lead: str | None = None  # "column = any of lead_params": the term splits into streams
    lead_params: list[str] = field(default_factory=list)
    rest: str = ""  # what the term adds to each stream (a range on the stream's index)
    non_null: str | None = None  # a column the term requires to be set (its NULLs never match)
    matches: int = 0  # exact below the probe cap, else an estimate (see _probe)
    statuses: list[int] = field(default_factory=list)  # a status term: its statuses
    fts: tuple[str, str] | None = None  # an FTS term: its parameter and bare expression

    def where(self, driving: bool) -> str:
        if driving:
            return self.sql
        # "+d.x" cannot use an index: another index drives (and a term on the sort
        # column itself would otherwise upset the order of the walk).
        return self.residual or _as_test(self.sql)


def _as_test(condition: str) -> str:
    """The condition with "+" on every dossier column: a test on rows, never an index range."""
    return re.sub(r"(?<![+\w.])d\.(\w+)", r"+d.\1", condition)


class QueryCancelled(Exception):
    """The caller's `cancelled()` turned true while a query ran (a newer query replaced it)."""


class _OverBudget(Exception):
    """A walk took longer than WALK_BUDGET_S: the matches are rarer there than estimated."""


class _Sql:
    """Runs statements on the session: optionally recorded with their query plan, and
    interruptible (a time budget, the caller's cancellation) through SQLite's progress handler.
    """

    def __init__(self, session: Session, record: list | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.session = session
        self.record = record
        self.cancelled = cancelled
        self.deadline: float | None = None

    def rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        bound = {k: _bind(v) for k, v in params.items()}
        if self.record is not None:
            plan = self.session.execute(text("EXPLAIN QUERY PLAN " + sql), bound).all()
            self.record.append((sql, [p[3] for p in plan]))
        if self.cancelled is None and self.deadline is None:
            return self.session.execute(text(sql), bound).all()
        raw = self.session.connection().connection.driver_connection
        why: list[type[Exception]] = []

        def check() -> int:
            if self.cancelled is not None and self.cancelled():
                why.append(QueryCancelled)
            elif self.deadline is not None and _clock() > self.deadline:
                why.append(_OverBudget)
            return 1 if why else 0

        raw.set_progress_handler(check, 2000)
        try:
            return self.session.execute(text(sql), bound).all()
        except OperationalError:
            if why:
                raise why[0]() from None
            raise
        finally:
            raw.set_progress_handler(None, 0)

    def scalar(self, sql: str, params: dict[str, Any]) -> Any:
        return self.rows(sql, params)[0][0]


def _code_index(sql: _Sql) -> str:
    """The name of the automatic index of UNIQUE(code)."""
    for (name,) in sql.rows("SELECT name FROM pragma_index_list('dossiers') "
                            "WHERE \"unique\" = 1", {}):
        cols = sql.rows("SELECT name FROM pragma_index_info(:n)", {"n": name})
        if [c[0] for c in cols] == ["code"]:
            return name
    raise LookupError("no unique index on dossiers.code")


def _terms(sql: _Sql, flt: DossierFilter, now: datetime, cat: _Catalogue) -> list[_Term] | None:
    """The filter as terms; None when nothing can match."""
    n = _counter()
    out: list[_Term] = []

    def p() -> str:
        return f"p{next(n)}"

    def equal_any(column: str, values: list[Any], index: str) -> _Term:
        params: dict[str, Any] = {}
        probes = []
        for v in values:
            name = p()
            params[name] = v
            probes.append(f"{column} = :{name}")
        if len(probes) == 1:
            cond = probes[0]
        else:
            cond = f"{column} IN ({', '.join(':' + k for k in params)})"
        return _Term(cond, params, index, probes, rowid_ordered=True, lead=column,
                     lead_params=list(params))

    if flt.statuses is not None:
        if not flt.statuses:
            return None
        out.append(equal_any("d.status", sorted(int(s) for s in flt.statuses),
                             "ix_dossiers_status"))
        out[-1].statuses = sorted(int(s) for s in flt.statuses)
    if flt.procedure_id is not None:
        out.append(equal_any("d.procedure_id", [flt.procedure_id], "ix_dossiers_procedure"))
    if flt.field_id is not None:
        pids = cat.of_field(flt.field_id)
        if not pids:
            return None
        out.append(equal_any("d.procedure_id", pids, "ix_dossiers_procedure"))
    if flt.channel:
        out.append(equal_any("d.channel", [flt.channel], "ix_dossiers_channel"))
    if flt.received_from is not None or flt.received_to is not None:
        parts, params = [], {}
        if flt.received_from is not None:
            name = p()
            params[name] = datetime.combine(flt.received_from, time.min)
            parts.append(f"d.received_at >= :{name}")
        if flt.received_to is not None:
            name = p()
            params[name] = datetime.combine(flt.received_to + timedelta(days=1), time.min)
            parts.append(f"d.received_at < :{name}")
        cond = " AND ".join(parts)
        out.append(_Term(cond, params, "ix_dossiers_received", [cond],
                         on_sort_column="received_at", non_null="received_at"))
    soon = flt.due_within_days or 0
    if flt.overdue or soon > 0:
        term = equal_any("d.status", list(IN_PROGRESS), "ix_dossiers_status_due")
        term.statuses = sorted(IN_PROGRESS)
        hi = p()
        term.params[hi] = now + timedelta(days=soon) if soon > 0 else now
        window = f"d.due_at < :{hi}"
        if flt.overdue:
            window += " AND d.due_at IS NOT NULL"
        else:
            lo = p()
            term.params[lo] = now
            window += f" AND d.due_at >= :{lo}"
        term.sql = f"{term.sql} AND {window}"
        term.probes = [term.sql]
        term.rowid_ordered = False
        term.rest = window
        term.non_null = "due_at"
        out.append(term)
    if flt.text.strip():
        expr = _match(flt.text)
        if expr is not None:
            out.append(_text_term(sql, flt.text, expr, p()))
    return out


def _text_term(sql: _Sql, query: str, bare: str, name: str) -> _Term:
    """The search box: the matching ids themselves when few, else the FTS query.

    `bare` is the FTS expression without its column filter (search.in_body adds it).

    Dossiers saved in the last moments wait in `search_queue` until their FTS
    entry is written (services.search.drain); they are matched here directly. So are
    dossiers whose digitised papers' recognised text (OCR) matches.
    """
    expr = search.in_body(bare)
    queued = sorted(set(_queued_matches(sql.session, query)) | set(_ocr_matches(sql, expr)))
    ids, n, reached = sql.rows(
        f"SELECT json_group_array(rowid), count(*), max(rowid) FROM (SELECT rowid FROM "
        f"{SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q LIMIT {TEXT_IDS_CAP})", {"q": expr})[0]
    if n < TEXT_IDS_CAP:
        if queued:
            merged = sorted(set(json.loads(ids)) | set(queued))
            ids, n = json.dumps(merged), len(merged)
        listed = "(SELECT value FROM json_each(:" + name + "))"
        # Driving, SQLite looks each id up by rowid; otherwise "+" keeps it a mere test.
        return _Term(f"d.id IN {listed}", {name: ids}, None, [],
                     residual=f"+d.id IN {listed}", matches=n)
    params = {name: expr}
    fts = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :{name}"
    if queued:
        params[name + "q"] = json.dumps(queued)
        fts += f" UNION ALL SELECT value FROM json_each(:{name}q)"
    total = sql.scalar("SELECT max(id) FROM dossiers", {}) or 1
    # FTS returns ids in ascending order: extrapolate from how far the first ones reach.
    estimate = max(n, n * total // max(reached, 1))
    return _Term(f"d.id IN ({fts})", params, None, [], residual=f"+d.id IN ({fts})",
                 matches=estimate, fts_only=not queued, fts=(name, bare))


def _narrow_text_by_status(terms: list[_Term], total: int) -> None:
    """A broad text term (FTS, many matches) and a status term: put the status into
    the FTS query (index column st), so the index answers both at once.

    "đang giải quyết" + "nguyen" on a million dossiers: ~440,000 dossiers match
    the name and ~20,000 are in progress; matched separately, the 440,000 ids are
    collected and each tested (~100 ms); inside the index, ~10,000 come out.
    Worth it only when the statuses are rarer than the text: FTS5 reads the
    status doclists whole, so "trả kết quả" (most dossiers) would cost more.
    The status stays a test on the rows too: the index may lag a moment behind
    (dossiers waiting in the search queue are matched from the rows, see
    _queued_matches), and the SQL test is what decides.
    """
    text_term = next((t for t in terms if t.fts is not None), None)
    status_term = next((t for t in terms if t.statuses), None)
    if text_term is None or status_term is None:
        return
    if status_term.matches > STATUS_IN_FTS_MAX or status_term.matches * 4 > text_term.matches:
        return
    name, bare = text_term.fts
    text_term.params[name] = search.with_statuses(bare, status_term.statuses)
    text_term.matches = max(1, status_term.matches * text_term.matches // max(total, 1))


def _ocr_matches(sql: _Sql, expr: str) -> list[int]:
    """Dossiers whose digitised papers' OCR text matches (services.digitisation), newest first."""
    return [r[0] for r in sql.rows(
        f"SELECT DISTINCT a.dossier_id FROM {OCR_SEARCH_TABLE} "
        f"JOIN attachments AS a ON a.sha256 = {OCR_SEARCH_TABLE}.sha256 "
        f"AND a.removed_at IS NULL WHERE {OCR_SEARCH_TABLE} MATCH :q "
        f"ORDER BY a.dossier_id DESC LIMIT {OCR_IDS_CAP}",
        {"q": expr})]


def _queued_matches(session: Session, query: str) -> list[int]:
    """Dossiers waiting in the search queue whose text matches (as the FTS query would)."""
    pending = search.pending_ids(session, limit=QUEUE_SCAN_LIMIT)
    if not pending:
        return []
    alternatives = [_WORD.findall(fold(query))]
    q = query.strip()
    if _PHONE_LIKE.match(q) and re.search(r"[\s.]", q):
        alternatives.append([re.sub(r"\D", "", q)])
    hits = []
    for d in session.scalars(select(Dossier).where(Dossier.id.in_(pending))):
        words = _WORD.findall(search.dossier_body(d))
        if any(alt and all(any(w.startswith(t) for w in words) for t in alt)
               for alt in alternatives):
            hits.append(d.id)
    return hits


def _probe(sql: _Sql, term: _Term, total: int) -> None:
    """Count the term's matches on its index, up to PROBE_CAP; estimate beyond.

    A single-value probe walks the index in rowid order, so when it stops at the
    cap, the highest id it reached tells the share of the table it covered.
    """
    if term.index is None:
        return  # counted when made (_text_term)
    cap = max(PROBE_CAP // len(term.probes), 1000)
    matches = 0
    for cond in term.probes:
        n, reached = sql.rows(
            f"SELECT count(*), max(id) FROM (SELECT d.id AS id FROM dossiers AS d "
            f"INDEXED BY {term.index} WHERE {cond} LIMIT {cap})", term.params)[0]
        if n >= cap and reached and term.rowid_ordered:
            n = max(n, n * total // reached)
        matches += n
    term.matches = min(matches, total)


@dataclass
class _Plan:
    # "walk" the sort index; "merge" ordered streams of a composite index (one per value
    # of an IN list); or "collect" the driver's matches and sort them.
    mode: str
    source: str  # the FROM clause
    where: str
    params: dict[str, Any]
    empty: bool = False
    fallback: _Plan | None = None  # a walk over budget collects instead
    # "merge": per stream, its value ("d.status = :p0") and the rest of its term (a range)
    streams: list[tuple[str, str]] = field(default_factory=list)
    non_null: frozenset[str] = frozenset()  # columns the filter requires to be set


def _source(driver: _Term | None, sort_index: str | None = None) -> str:
    if driver is None:
        return f"dossiers AS d INDEXED BY {sort_index}"
    if driver.index is None:
        return "dossiers AS d NOT INDEXED"  # the listed ids drive, by rowid
    return f"dossiers AS d INDEXED BY {driver.index}"


def _where(terms: list[_Term], driver: _Term | None,
           walking: str | None = None) -> tuple[str, dict[str, Any]]:
    """The WHERE clause: the driver's term on its index, the others as tests; when walking
    the `walking` column, a range on that column bounds the walk."""
    params: dict[str, Any] = {}
    for t in terms:
        params.update(t.params)
    where = " AND ".join(
        f"({t.where(t is driver or (walking is not None and t.on_sort_column == walking))})"
        for t in terms) or "1"
    return where, params


def _walk_is_cheaper(terms: list[_Term], driver: _Term, sort: SortKey, limit: int,
                     total: int) -> bool:
    """Walking reads about limit / selectivity rows (terms taken as independent; a range
    on the sort column itself bounds the walk directly); collecting reads the driver's."""
    selectivity = 1.0
    for t in terms:
        if t.on_sort_column != sort.column:
            selectivity *= min(1.0, t.matches / max(total, 1))
    return limit / selectivity <= driver.matches


def _plan(sql: _Sql, terms: list[_Term], sort: SortKey, limit: int,
          statuses: frozenset[int] | None = None) -> _Plan:
    plan = _choose_plan(sql, terms, sort, limit, statuses)
    non_null = frozenset(t.non_null for t in terms if t.non_null)
    plan.non_null = non_null
    if plan.fallback is not None:
        plan.fallback.non_null = non_null
    return plan


def _choose_plan(sql: _Sql, terms: list[_Term], sort: SortKey, limit: int,
                 statuses: frozenset[int] | None) -> _Plan:
    sort_index = _code_index(sql) if sort.column == "code" else _SORT_INDEX[sort.column]
    if not terms:
        return _Plan("walk", _source(None, sort_index), "1", {})
    total = sql.scalar("SELECT max(id) FROM dossiers", {}) or 0
    for t in terms:
        _probe(sql, t, total)
        if t.matches == 0:
            return _Plan("collect", "dossiers AS d", "0", {}, empty=True)
    _narrow_text_by_status(terms, total)
    driver = min(terms, key=lambda t: t.matches)
    where, params = _where(terms, driver)
    collect = _Plan("collect", _source(driver), where, params)
    # Falling back is worth it only when collecting is bounded (below the probe cap).
    fallback = collect if driver.matches < PROBE_CAP else None
    for t in terms:
        composite = _COMPOSITE.get((t.lead, sort.column)) if t.lead else None
        others = [o for o in terms if o is not t]
        if composite is not None and _walk_is_cheaper(others, driver, sort, limit, total):
            # One stream per value on (value, sort column, rowid): each in order, merged.
            where, params = _where(others, None)
            params.update(t.params)
            streams = [(f"{t.lead} = :{name}", t.rest) for name in t.lead_params]
            return _Plan("merge", f"dossiers AS d INDEXED BY {composite}", where, params,
                         fallback=fallback, streams=streams)
    if _walk_is_cheaper(terms, driver, sort, limit, total) and not (
            sort.column == "received_at" and statuses and statuses <= _NEVER_RECEIVED):
        where, params = _where(terms, None, walking=sort.column)
        return _Plan("walk", _source(None, sort_index), where, params, fallback=fallback)
    return collect


@dataclass
class _Segment:
    where: str
    params: dict[str, Any]
    order: str
    tie: bool = False  # the rows of the cursor's own value: "column = v" drives, on its index
    # For a tie: a look at the sort column's index alone, to skip the statement (and its
    # filters, a text search's match list say) when no other row has that value.
    probe: str | None = None


def _segments(column: str, nullable: bool, desc: bool, after: tuple | None,
              index: str | None = None, few_ties: bool = False) -> Iterator[_Segment]:
    """The parts of the ordered list from the cursor on (see module doc); `index`: the
    sort column's own index, to look for ties first."""
    d = "DESC" if desc else "ASC"
    lt = "<" if desc else ">"
    by_id = f"d.id {d}"
    ordered = f"{column} {d}, d.id {d}"
    values_all = _Segment(f"{column} IS NOT NULL" if nullable else "", {}, ordered)
    nulls_all = _Segment(f"{column} IS NULL", {}, by_id)
    if after is None:
        if not nullable:
            yield values_all
        elif desc:
            yield values_all
            yield nulls_all
        else:
            yield nulls_all
            yield values_all
        return
    value, last_id = after
    def probe(cond: str) -> str | None:
        if index is None:
            return None
        return f"SELECT 1 FROM dossiers AS d INDEXED BY {index} WHERE {cond} LIMIT 1"

    if value is None:
        cond = f"{column} IS NULL AND d.id {lt} :k_id"
        yield _Segment(cond, {"k_id": last_id}, by_id, tie=True, probe=probe(cond))
        if not desc:
            yield values_all
        return
    if few_ties:
        # One range from the cursor: SQLite seeks to the value and skips the few rows of
        # that value already seen (one statement: a text search's matches listed once).
        yield _Segment(f"({column}, d.id) {lt} (:k_v, :k_id)", {"k_v": value, "k_id": last_id},
                       ordered)
    else:
        # Many rows share each value (status, channel): seek within the value by rowid.
        cond = f"{column} = :k_v AND d.id {lt} :k_id"
        yield _Segment(cond, {"k_v": value, "k_id": last_id}, by_id, tie=True,
                       probe=probe(cond))
        yield _Segment(f"{column} {lt} :k_v", {"k_v": value}, ordered)
    if nullable and desc:
        yield nulls_all


def _select(plan: _Plan, seg: _Segment, limit: int,
            stream: tuple[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    base = plan.where
    if seg.tie and plan.mode != "collect":
        # The cursor's value is inside any range of the filter: let "column = v" drive.
        base = _as_test(base)
    parts = [base]
    if stream is not None:
        lead, rest = stream
        parts.append(lead)
        if rest:
            parts.append(_as_test(rest) if seg.tie else rest)
    if seg.where:
        parts.append(seg.where)
    where = " AND ".join(f"({p})" for p in parts)
    return (f"SELECT {_ROW_COLUMNS} FROM {plan.source} WHERE {where} "
            f"ORDER BY {seg.order} LIMIT {int(limit)}", {**plan.params, **seg.params})


# ------------------------------------------------------------------------------ queries


def page(session: Session, flt: DossierFilter, sort: SortKey, now: datetime, *,
         after: tuple | None = None, limit: int = PAGE_SIZE,
         cancelled: Callable[[], bool] | None = None) -> list[DossierRow]:
    """Up to `limit` rows in `sort` order, after the row whose key is `after` (see key_of).

    `cancelled` is polled while SQLite works; when it returns True the query is
    interrupted and QueryCancelled raised (the list asked for something newer).
    """
    return _page(_Sql(session, cancelled=cancelled), flt, sort, now, after, limit)


def plan_of(session: Session, flt: DossierFilter, sort: SortKey, now: datetime, *,
            after: tuple | None = None,
            limit: int = PAGE_SIZE) -> list[tuple[str, list[str]]]:
    """The statements page() runs for these arguments, each with its EXPLAIN QUERY PLAN."""
    record: list[tuple[str, list[str]]] = []
    _page(_Sql(session, record), flt, sort, now, after, limit)
    return record


def _page(sql: _Sql, flt: DossierFilter, sort: SortKey, now: datetime,
          after: tuple | None, limit: int) -> list[DossierRow]:
    if limit <= 0:
        return []
    cat = _Catalogue.load(sql.session)
    terms = _terms(sql, flt, now, cat)
    if terms is None:
        return []
    plan = _plan(sql, terms, sort, limit, flt.statuses)
    if plan.empty:
        return []
    if plan.fallback is None:
        return _read_plan(sql, plan, cat, sort, after, limit)
    # Filters were assumed independent of the sort order; where they are not (refused
    # dossiers have no reception date, say) the walk finds few rows: collect instead.
    sql.deadline = _clock() + WALK_BUDGET_S
    try:
        return _read_plan(sql, plan, cat, sort, after, limit)
    except _OverBudget:
        pass
    finally:
        sql.deadline = None
    return _read_plan(sql, plan.fallback, cat, sort, after, limit)


def _read_plan(sql: _Sql, plan: _Plan, cat: _Catalogue, sort: SortKey, after: tuple | None,
               limit: int) -> list[DossierRow]:
    if sort.column == "procedure":
        return _procedure_page(sql, plan, cat, sort, after, limit)
    column = f"d.{_SQL_COLUMN.get(sort.column, sort.column)}"
    # No NULL segment when the filter itself requires the column (a period, a due window).
    nullable = sort.column in _NULLABLE and sort.column not in plan.non_null
    index = _code_index(sql) if sort.column == "code" else _SORT_INDEX[sort.column]
    few_ties = sort.column in _FEW_TIES
    if plan.mode != "merge":
        segments = _segments(column, nullable, sort.descending, after, index, few_ties)
        return _read(sql, plan, cat, segments, limit)
    rows: list[DossierRow] = []
    for stream in plan.streams:
        segments = _segments(column, nullable, sort.descending, after, index, few_ties)
        rows += _read(sql, plan, cat, segments, limit, stream)
    name = _SQL_COLUMN.get(sort.column, sort.column)
    # (value, id) with NULLs first ascending, as SQLite orders them.
    rows.sort(key=lambda r: (getattr(r, name) is not None, getattr(r, name), r.id),
              reverse=sort.descending)
    return rows[:limit]


def _read(sql: _Sql, plan: _Plan, cat: _Catalogue, segments: Iterator[_Segment],
          limit: int, stream: tuple[str, str] | None = None) -> list[DossierRow]:
    out: list[DossierRow] = []
    for seg in segments:
        if seg.probe is not None and not sql.rows(seg.probe, seg.params):
            continue
        stmt, params = _select(plan, seg, limit - len(out), stream)
        out.extend(cat.row(r) for r in sql.rows(stmt, params))
        if len(out) >= limit:
            break
    return out


def _procedure_page(sql: _Sql, plan: _Plan, cat: _Catalogue, sort: SortKey,
                    after: tuple | None, limit: int) -> list[DossierRow]:
    """Sort by procedure name: one procedure (name) at a time when walking, a rank when collecting."""
    groups = cat.name_groups()
    if plan.mode == "collect":
        # The matches are few: rank the procedures by name in SQL and sort them in one go.
        rank = {pid: i for i, (_, pids) in enumerate(groups) for pid in pids}
        case = ("(CASE d.procedure_id " + " ".join(
            f"WHEN {int(pid)} THEN {r}" for pid, r in sorted(rank.items())) + " ELSE -1 END)")
        key = None
        if after is not None:
            names = [n for n, _ in groups]
            key = (names.index(after[0]) if after[0] in names else -1, after[1])
        return _read(sql, plan, cat, _segments(case, False, sort.descending, key), limit)

    def walk() -> Iterator[_Segment]:
        lt = "<" if sort.descending else ">"
        order = "d.id DESC" if sort.descending else "d.id ASC"
        started = after is None
        for name, pids in (reversed(groups) if sort.descending else groups):
            extra, params = "", {}
            if not started:
                here, there = _name_order(name), _name_order(after[0])
                if (here < there) if not sort.descending else (here > there):
                    continue
                started = True
                if name == after[0]:
                    extra, params = f" AND d.id {lt} :k_id", {"k_id": after[1]}
            ids = ", ".join(str(int(i)) for i in pids)
            yield _Segment(f"d.procedure_id IN ({ids}){extra}", params, order)

    return _read(sql, plan, cat, walk(), limit)


def rows_by_ids(session: Session, ids: Sequence[int], *, chunk: int = 500) -> list[DossierRow]:
    """The list rows of ``ids``, in the order of ``ids`` (ids that do not exist are left out);
    for lists of dossiers found elsewhere (a report cell, an indicator)."""
    if not ids:
        return []
    cat = _Catalogue.load(session)
    found: dict[int, DossierRow] = {}
    for start in range(0, len(ids), chunk):
        part = [int(i) for i in ids[start:start + chunk]]
        marks = ", ".join(f":i{n}" for n in range(len(part)))
        for r in session.execute(
                text(f"SELECT {_ROW_COLUMNS} FROM dossiers AS d WHERE d.id IN ({marks})"),
                {f"i{n}": v for n, v in enumerate(part)}):
            row = cat.row(r)
            found[row.id] = row
    return [found[i] for i in ids if i in found]


def key_of(row: DossierRow, sort: SortKey) -> tuple:
    """The keyset cursor of a row: pass it as `after` to read the rows that follow it."""
    if sort.column == "procedure":
        return (row.procedure_name, row.id)
    return (getattr(row, _SQL_COLUMN.get(sort.column, sort.column)), row.id)


def count(session: Session, flt: DossierFilter, now: datetime, *,
          cap: int | None = None, cancelled: Callable[[], bool] | None = None) -> int:
    """How many dossiers match. With `cap`, counting stops at cap + 1 ("more than cap")."""
    sql = _Sql(session, cancelled=cancelled)
    terms = _terms(sql, flt, now, _Catalogue.load(session))
    if terms is None:
        return 0
    if not terms:
        n = sql.scalar("SELECT count(*) FROM dossiers", {})
        return n if cap is None else min(n, cap + 1)
    total = sql.scalar("SELECT max(id) FROM dossiers", {}) or 0
    for t in terms:
        _probe(sql, t, total)
        if t.matches == 0:
            return 0
    _narrow_text_by_status(terms, total)
    limit = "" if cap is None else f" LIMIT {int(cap) + 1}"
    if len(terms) == 1 and terms[0].fts_only:
        (name, expr), = terms[0].params.items()
        return sql.scalar(f"SELECT count(*) FROM (SELECT 1 FROM {SEARCH_TABLE} "
                          f"WHERE {SEARCH_TABLE} MATCH :{name}{limit})", terms[0].params)
    driver = min(terms, key=lambda t: t.matches)
    where, params = _where(terms, driver)
    return sql.scalar(f"SELECT count(*) FROM (SELECT 1 FROM {_source(driver)} "
                      f"WHERE {where}{limit})", params)


def iter_all(session: Session, flt: DossierFilter, sort: SortKey, now: datetime, *,
             page_size: int = 1000) -> Iterator[DossierRow]:
    """Every matching row in order, page by page (exports, tests)."""
    after = None
    while True:
        rows = page(session, flt, sort, now, after=after, limit=page_size)
        yield from rows
        if len(rows) < page_size:
            return
        after = key_of(rows[-1], sort)


# ----------------------------------------------------------------------- filter choices


@dataclass(frozen=True)
class ProcedureChoice:
    id: int
    code: str
    name: str
    field_id: int


@dataclass(frozen=True)
class FieldChoice:
    id: int
    name: str


@dataclass(frozen=True)
class FilterChoices:
    """What the filter bar offers: procedures and fields of the catalogue, by name."""

    procedures: tuple[ProcedureChoice, ...]
    fields: tuple[FieldChoice, ...]


def filter_choices(session: Session) -> FilterChoices:
    procs = tuple(ProcedureChoice(i, c, n, f) for i, c, n, f in session.execute(
        select(Procedure.id, Procedure.code, Procedure.name, Procedure.field_id)
        .order_by(Procedure.name, Procedure.id)))
    fields = tuple(FieldChoice(i, n) for i, n in session.execute(
        select(Field.id, Field.name).order_by(Field.name)))
    return FilterChoices(procs, fields)


# ------------------------------------------------------------------------------- detail


def detail(session: Session, dossier_id: int) -> DossierDetail:
    """Everything about one dossier: fields, submitter, components, fees, timeline."""
    d = session.get(Dossier, dossier_id)
    if d is None:
        raise DossierNotFound(dossier_id)
    from desktop.services import digitisation  # its imports are needed only here

    proc = session.get(Procedure, d.procedure_id)
    summary = digitisation.digitisation_summary(session, dossier_id)
    digitised = {c.id: c for c in summary.components}
    officer_ids = [i for i in (d.received_by_id, d.assignee_id) if i is not None]
    names = dict(session.execute(
        select(Officer.id, Officer.full_name).where(Officer.id.in_(officer_ids))).all()
    ) if officer_ids else {}
    components = tuple(
        _component_info(c, digitised.get(c.id))
        for c in session.scalars(select(DossierComponent)
                                 .where(DossierComponent.dossier_id == dossier_id)
                                 .order_by(DossierComponent.position, DossierComponent.id))
    )
    results = tuple(ResultInfo(r.id, r.name, r.attachment_id, r.pages, r.digitised_at,
                               r.officer_name) for r in summary.results)
    fees = tuple(
        FeeInfo(f.name, f.amount, bool(f.paid), bool(f.paid_online))
        for f in session.scalars(select(DossierFee).where(DossierFee.dossier_id == dossier_id)
                                 .order_by(DossierFee.id))
    )
    timeline = tuple(
        TimelineStep(p.acted_at, p.officer_name, p.officer_title, p.department, p.content,
                     p.status, p.started_at, p.step_deadline)
        for p in session.scalars(select(ProgressRow).where(ProgressRow.dossier_id == dossier_id)
                                 .order_by(ProgressRow.acted_at, ProgressRow.id))
    )
    return DossierDetail(
        id=d.id, uid=d.uid, code=d.code, procedure_id=d.procedure_id,
        procedure_code=proc.code if proc else "", procedure_name=proc.name if proc else "",
        field_name=proc.field.name if proc else "", channel=d.channel, status=d.status,
        applicant_kind=d.applicant_kind, applicant_id_number=d.applicant_id_number,
        applicant_old_id=d.applicant_old_id, applicant_name=d.applicant_name,
        applicant_birth_date=d.applicant_birth_date, applicant_sex=d.applicant_sex,
        applicant_address=d.applicant_address, applicant_phone=d.applicant_phone,
        applicant_email=d.applicant_email, submitter_id_number=d.submitter_id_number,
        submitter_name=d.submitter_name, submitter_birth_date=d.submitter_birth_date,
        submitter_sex=d.submitter_sex, submitter_address=d.submitter_address,
        submitter_phone=d.submitter_phone, submitter_email=d.submitter_email,
        summary=d.summary, note=d.note, reason=d.reason, sets_count=d.sets_count,
        submitted_at=d.submitted_at, received_at=d.received_at, due_at=d.due_at,
        original_due_at=d.original_due_at, refused_at=d.refused_at,
        finished_at=d.finished_at, returned_at=d.returned_at,
        return_by_post=bool(d.return_by_post), fee_total=d.fee_total,
        paid_online=bool(d.paid_online), state_secret=bool(d.state_secret),
        received_by=names.get(d.received_by_id, ""), assignee=names.get(d.assignee_id, ""),
        created_at=d.created_at, updated_at=d.updated_at, version=d.version,
        components=components, fees=fees, timeline=timeline, results=results,
        digitisation_text=summary.text_vi,
        digitisation_refusal=digitisation.refusal_reason(session, dossier_id) or "",
    )


def _component_info(c: DossierComponent, item: Any) -> ComponentInfo:
    """`item`: the component's services.digitisation.DigitisedItem (None if not listed)."""
    info = ComponentInfo(c.name, c.originals, c.certified, c.photocopies, bool(c.present),
                         c.digitisation_state, c.file_sha256 is not None, id=c.id)
    if item is None or item.attachment_id is None:
        return info
    return replace(info, attachment_id=item.attachment_id, pages=item.pages,
                   digitised_at=item.digitised_at, digitised_by=item.officer_name,
                   reused_from_code=item.reused_from_code)


__all__ = [
    "COUNT_CAP",
    "PAGE_SIZE",
    "QueryCancelled",
    "SORT_COLUMNS",
    "ComponentInfo",
    "DossierDetail",
    "DossierFilter",
    "DossierNotFound",
    "DossierRow",
    "FeeInfo",
    "FieldChoice",
    "FilterChoices",
    "ProcedureChoice",
    "ResultInfo",
    "SortKey",
    "TimelineStep",
    "count",
    "detail",
    "filter_choices",
    "iter_all",
    "key_of",
    "page",
    "plan_of",
]
