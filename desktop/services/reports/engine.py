"""Run a report definition for a period: every cell, the totals, the checks.

An aggregate report (Biểu số 06) is ONE statement::

    SELECT d.procedure_id, <dimension 1>, <dimension 2>, count(*)
    FROM dossiers AS d INDEXED BY ix_dossiers_report
    WHERE <base> GROUP BY 1, 2, 3

over the covering index of migration 0009 (reception time, status, channel,
procedure, finishing, due and last-change times): the table itself is never
read. The few hundred groups are summed into the cells in Python (procedure →
field from the small catalogue). Biểu 06 for a year on a million dossiers
takes 0.75–0.85 s on the shared 2-core test machine, a quarter 0.23 s, a month
0.15 s (tests/benchmarks/bench_reports.py).

`cell_dossiers` lists the dossiers behind one cell (keyset pages by id) with
the same conditions. A listing report (the tracking book) is built by its
definition's function.

The result (`ReportResult`) is plain data: it goes to JSON (`as_json`, every
cell with the column headings, the period and the checks), back from JSON
(`ReportResult.from_json`, for snapshots), to the printed form (`to_form`) and
to a spreadsheet (`write_xlsx`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.domain.periods import Period, parse_period
from desktop.services.office import get_office
from desktop.services.reports import definitions as defs
from desktop.services.reports.definitions import AGGREGATE, ReportDefinition
from desktop.services.reports.sql import fill, ts
from desktop.store.models import Field, Office, Procedure
from forms.context import OfficeInfo, ReportColumn, ReportData, ReportRow, TrackingBookData

JSON_FORMAT = "motcua.report/1"
TOTAL_KEY = "total"
TOTAL_LABEL = "Tổng cộng"
#: Drill-down pages (ids) at most this long.
MAX_PAGE = 1000


@dataclass(frozen=True)
class ResultRow:
    """A row: a field (``key`` its code) or the total; a dossier for a listing."""

    key: str
    label: str
    number: str
    cells: Mapping[str, Any]
    total: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "number": self.number, "label": self.label,
                "total": self.total, "cells": {k: _jsonable(v) for k, v in self.cells.items()}}


@dataclass(frozen=True)
class CheckResult:
    """One balance rule on one row: ``left`` (the total column) against ``right`` (the sum)."""

    rule: str
    row: str  # the row's label
    left: int
    right: int

    @property
    def ok(self) -> bool:
        return self.left == self.right

    @property
    def message_vi(self) -> str:
        state = "khớp" if self.ok else "KHÔNG khớp"
        return f"{self.row}: {self.rule} — {self.left} và {self.right}, {state}"


@dataclass(frozen=True)
class ColumnInfo:
    """A column as the result keeps it (so a snapshot is readable without its definition)."""

    key: str
    number: str
    path: tuple[str, ...]
    printed: bool = True

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "number": self.number, "heading": " – ".join(self.path),
                "path": list(self.path), "printed": self.printed}


@dataclass(frozen=True)
class ReportResult:
    report: str  # the definition's key
    kind: str
    title: str
    form_label: str
    issued_by: str
    unit: str
    label_heading: str
    period: Period
    office: OfficeInfo
    receiving_unit: str
    made_at: datetime
    columns: tuple[ColumnInfo, ...]
    rows: tuple[ResultRow, ...]
    total: ResultRow | None
    checks: tuple[CheckResult, ...] = ()
    rules_vi: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when every balance rule holds on every row."""
        return all(c.ok for c in self.checks)

    @property
    def definition(self) -> ReportDefinition:
        return defs.get(self.report)

    def row(self, key: str) -> ResultRow:
        if self.total is not None and key == self.total.key:
            return self.total
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def cell(self, row_key: str, column_key: str) -> Any:
        return self.row(row_key).cells[column_key]

    # ------------------------------------------------------------------ JSON

    def as_json(self) -> dict[str, Any]:
        """Every cell, the headings, the period and the checks (the CLI's JSON, snapshots)."""
        return {
            "format": JSON_FORMAT,
            "report": self.report,
            "kind": self.kind,
            "form_label": self.form_label,
            "issued_by": self.issued_by,
            "title": self.title,
            "unit": self.unit,
            "label_heading": self.label_heading,
            "period": {"key": self.period.key, "kind": str(self.period.kind),
                       "name": self.period.name_vi, "range": self.period.range_vi,
                       "from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "office": dataclasses.asdict(self.office),
            "receiving_unit": self.receiving_unit,
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "columns": [c.as_json() for c in self.columns],
            "rows": [r.as_json() for r in self.rows],
            "total": self.total.as_json() if self.total is not None else None,
            "checks": [{"rule": c.rule, "row": c.row, "left": c.left, "right": c.right,
                        "ok": c.ok} for c in self.checks],
            "ok": self.ok,
            "rules": list(self.rules_vi),
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportResult:
        if data.get("format") != JSON_FORMAT:
            raise ValueError(f"not a report: {data.get('format')!r}")
        p = data["period"]
        period = parse_period(p["key"])

        def row(r: Mapping[str, Any]) -> ResultRow:
            return ResultRow(key=r["key"], label=r["label"], number=r["number"],
                             cells=dict(r["cells"]), total=bool(r["total"]))

        return cls(
            report=data["report"], kind=data["kind"], title=data["title"],
            form_label=data["form_label"], issued_by=data["issued_by"], unit=data["unit"],
            label_heading=data["label_heading"], period=period,
            office=OfficeInfo(**data["office"]), receiving_unit=data["receiving_unit"],
            made_at=datetime.fromisoformat(data["made_at"]),
            columns=tuple(ColumnInfo(c["key"], c["number"], tuple(c["path"]), c["printed"])
                          for c in data["columns"]),
            rows=tuple(row(r) for r in data["rows"]),
            total=row(data["total"]) if data.get("total") else None,
            checks=tuple(CheckResult(c["rule"], c["row"], c["left"], c["right"])
                         for c in data["checks"]),
            rules_vi=tuple(data.get("rules", ())), notes=tuple(data.get("notes", ())),
        )


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _office_info(office: Office | None) -> OfficeInfo:
    if office is None:
        return OfficeInfo(name="", parent_name="", place_name="", agency_code="")
    return OfficeInfo(name=office.name, parent_name=office.parent_name,
                      place_name=office.place_name or office.name,
                      agency_code=office.agency_code, address=office.address, phone=office.phone)


def _params(period: Period) -> dict[str, str]:
    low, high = period.bounds
    return {"f": ts(low), "t": ts(high)}


def _as_period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


# ------------------------------------------------------------------ aggregate reports


def aggregate_sql(definition: ReportDefinition) -> str:
    """The one statement of an aggregate report: counts by procedure and dimension codes."""
    dims = ", ".join(f"{fill(d.sql)} AS {d.key}" for d in definition.dimensions)
    keys = ", ".join(str(i) for i in range(1, len(definition.dimensions) + 2))
    indexed = f" INDEXED BY {definition.index}" if definition.index else ""
    return (f"SELECT d.procedure_id AS procedure_id{', ' + dims if dims else ''}, count(*) AS n "
            f"FROM dossiers AS d{indexed} WHERE {fill(definition.base)} GROUP BY {keys}")


def _matches(column: defs.Column, codes: Mapping[str, int]) -> bool:
    return all(codes[dim] in allowed for dim, allowed in column.when.items())


def _fields(session: Session) -> tuple[list[tuple[int, str, str]], dict[int, int]]:
    fields = [(f.id, f.code, f.name) for f in
              session.execute(select(Field).order_by(Field.id)).scalars()]
    procedure_field = dict(session.execute(select(Procedure.id, Procedure.field_id)).all())
    return fields, procedure_field


def _run_aggregate(session: Session, definition: ReportDefinition, period: Period
                   ) -> tuple[tuple[ResultRow, ...], ResultRow, tuple[CheckResult, ...]]:
    fields, procedure_field = _fields(session)
    columns = definition.columns
    per_field: dict[int, dict[str, int]] = {fid: dict.fromkeys((c.key for c in columns), 0)
                                            for fid, _, _ in fields}
    unknown: dict[str, int] = dict.fromkeys((c.key for c in columns), 0)
    dim_keys = [d.key for d in definition.dimensions]
    result = session.execute(text(aggregate_sql(definition)), _params(period))
    for procedure_id, *rest in result:
        n = rest[-1]
        codes = dict(zip(dim_keys, rest[:-1], strict=True))
        target = per_field.get(procedure_field.get(procedure_id, -1), unknown)
        for c in columns:
            if _matches(c, codes):
                target[c.key] += n
    rows = [ResultRow(key=code, label=name, number=str(i), cells=per_field[fid])
            for i, (fid, code, name) in enumerate(fields, start=1)]
    if any(unknown.values()):  # a procedure without a known field (never, with the catalogue)
        rows.append(ResultRow(key="khac", label="Lĩnh vực khác", number=str(len(rows) + 1),
                              cells=unknown))
    total_cells = {c.key: sum(r.cells[c.key] for r in rows) for c in columns}
    total = ResultRow(key=TOTAL_KEY, label=TOTAL_LABEL, number="", cells=total_cells, total=True)
    checks = [CheckResult(b.rule(), r.label, r.cells[b.total], sum(r.cells[p] for p in b.parts))
              for r in (*rows, total) for b in definition.balances]
    return tuple(rows), total, tuple(checks)


def _column_infos(definition: ReportDefinition) -> tuple[ColumnInfo, ...]:
    return tuple(ColumnInfo(c.key, c.number, c.path, c.printed) for c in definition.columns)


def run(session: Session, definition: ReportDefinition | str, period: Period | str, *,
        now: datetime | None = None, limit: int | None = None,
        receiving_unit: str | None = None) -> ReportResult:
    """The report for ``period``, as plain data with every cell and the checks.

    ``limit`` caps a listing report's rows (the tracking book raises its
    `PeriodTooLarge` above it). ``receiving_unit`` defaults to the office's
    parent authority.
    """
    if isinstance(definition, str):
        definition = defs.get(definition)
    period = _as_period(period)
    made_at = (now or datetime.now()).replace(microsecond=0)
    office_row = get_office(session)
    office = _office_info(office_row)
    receiving = receiving_unit if receiving_unit is not None else office.parent_name
    common = dict(report=definition.key, kind=definition.kind, title=definition.title,
                  form_label=definition.form_label, issued_by=definition.issued_by,
                  unit=definition.unit, label_heading=definition.label_heading, period=period,
                  office=office, receiving_unit=receiving, made_at=made_at,
                  columns=_column_infos(definition), rules_vi=definition.rules_vi)
    if definition.kind == AGGREGATE:
        rows, total, checks = _run_aggregate(session, definition, period)
        withdrawn = total.cells.get("rut")
        notes = list(definition.notes_vi)
        if withdrawn is not None:
            notes.append(f"Số hồ sơ công dân rút trong kỳ: {_number(withdrawn)}. "
                         "Cột (3) = cột (7) + cột (11) + số hồ sơ rút trong kỳ.")
        return ReportResult(**common, rows=rows, total=total, checks=checks, notes=tuple(notes))
    if definition.build is None:
        raise ValueError(f"report {definition.key!r} has no way to build its rows")
    book = definition.build(session, period, limit=limit, now=made_at)
    rows = tuple(ResultRow(key=r.dossier_code or str(i), label=r.dossier_code, number=str(i),
                           cells={k: getattr(r, k) for k, _ in defs.TRACKING_BOOK_COLUMNS})
                 for i, r in enumerate(book.rows, start=1))
    checks = (CheckResult("số dòng = số hồ sơ tiếp nhận trong kỳ", "Sổ", len(rows), book.total),)
    return ReportResult(**common, rows=rows, total=None, checks=checks)


# ------------------------------------------------------------------ drill-down


@dataclass(frozen=True)
class DossierPage:
    """Dossier ids in id order; ``after`` for the next page (None at the end)."""

    ids: tuple[int, ...]
    after: int | None


def cell_dossiers(session: Session, definition: ReportDefinition | str, period: Period | str,
                  row_key: str, column_key: str, *, after: int = 0,
                  limit: int = 200) -> DossierPage:
    """The dossiers counted in one cell (a field's code or ``"total"``; a column key).

    Keyset pages by dossier id: pass the page's ``after`` to get the next one.
    Every id the pages give is counted in the cell, and the count of all of
    them is the cell's value.
    """
    if isinstance(definition, str):
        definition = defs.get(definition)
    if definition.kind != AGGREGATE:
        raise ValueError("only aggregate reports have cells to open")
    period = _as_period(period)
    column = definition.column(column_key)
    limit = max(1, min(limit, MAX_PAGE))
    where = [fill(definition.base), "d.id > :after"]
    params: dict[str, Any] = {**_params(period), "after": after, "limit": limit + 1}
    for dim in definition.dimensions:
        if dim.key in column.when:
            codes = ", ".join(str(c) for c in sorted(column.when[dim.key]))
            where.append(f"{fill(dim.sql)} IN ({codes})")
    if row_key != TOTAL_KEY:
        fields, procedure_field = _fields(session)
        field_id = {code: fid for fid, code, _ in fields}.get(row_key)
        if field_id is None and row_key != "khac":
            raise KeyError(row_key)
        if row_key == "khac":
            known = ", ".join(str(p) for p in procedure_field) or "NULL"
            where.append(f"d.procedure_id NOT IN ({known})")
        else:
            ids = [p for p, f in procedure_field.items() if f == field_id] or [-1]
            where.append(f"d.procedure_id IN ({', '.join(str(p) for p in ids)})")
    indexed = f" INDEXED BY {definition.index}" if definition.index else ""
    rows = session.execute(text(
        f"SELECT d.id FROM dossiers AS d{indexed} WHERE {' AND '.join(where)} "
        "ORDER BY d.id LIMIT :limit"), params).scalars().all()
    more = len(rows) > limit
    rows = rows[:limit]
    return DossierPage(tuple(rows), rows[-1] if more else None)


def all_cell_dossiers(session: Session, definition: ReportDefinition | str,
                      period: Period | str, row_key: str, column_key: str) -> list[int]:
    """Every page of `cell_dossiers` (for tests and small cells)."""
    out: list[int] = []
    after = 0
    while True:
        page = cell_dossiers(session, definition, period, row_key, column_key, after=after,
                             limit=MAX_PAGE)
        out.extend(page.ids)
        if page.after is None:
            return out
        after = page.after


# ------------------------------------------------------------------ output


def to_form(result: ReportResult, *, signer_names: tuple[str, str] = ("", "")
            ) -> ReportData | TrackingBookData:
    """The printable form of a result (`forms.render.write_pdf` / the print preview)."""
    if result.kind == AGGREGATE:
        printed = [c for c in result.columns if c.printed]
        columns = (ReportColumn(("STT",), "(1)", numeric=False),
                   ReportColumn((result.label_heading,), "(2)", numeric=False),
                   *(ReportColumn(c.path, c.number) for c in printed))
        body = [*result.rows, *((result.total,) if result.total is not None else ())]
        rows = tuple(ReportRow(number=r.number, label=r.label, total=r.total,
                               values=tuple(int(r.cells[c.key]) for c in printed))
                     for r in body)
        return ReportData(
            office=result.office, form_label=result.form_label, issued_by=result.issued_by,
            title=result.title, period_name=result.period.name_vi,
            period_range=result.period.range_vi, reporting_unit=result.office.name,
            receiving_unit=result.receiving_unit, unit=result.unit, columns=columns,
            rows=rows, issued_at=result.made_at, notes=result.notes, signer_names=signer_names)
    from forms.context import TrackingBookRow

    def value(key: str, raw: Any) -> Any:
        if key.endswith("_at") and isinstance(raw, str) and raw:
            return datetime.fromisoformat(raw)
        return raw

    book_rows = tuple(TrackingBookRow(**{k: value(k, r.cells.get(k)) for k, _ in
                                         defs.TRACKING_BOOK_COLUMNS})
                      for r in result.rows)
    return TrackingBookData(office=result.office, start=result.period.start,
                            end=result.period.end, rows=book_rows, total=len(book_rows),
                            issued_at=result.made_at)


def write_xlsx(result: ReportResult, path: Path) -> Path:
    """The result as a spreadsheet (openpyxl; atomic)."""
    from forms.xlsx import write_report, write_tracking_book

    form = to_form(result)
    if isinstance(form, ReportData):
        write_report(form, Path(path))
    else:
        write_tracking_book(form, Path(path))
    return Path(path)
