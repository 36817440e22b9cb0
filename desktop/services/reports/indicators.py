"""The leaders' dashboard: the Quyết định 766/QĐ-TTg indicators a desk computes from its own data.

For a period (`desktop.domain.periods.Period`), each indicator is a numerator
over a denominator, counted by these rules (the same words as Biểu số 06, see
`reports.definitions`; "received" = statuses 2, 4–10, "ended in the period" =
`finished_at` (see `sql.END`) within the period's instants):

- ``on_time`` — Tỷ lệ giải quyết đúng hạn: dossiers resolved (9, 10) that ended
  in the period no later than their due date (before or on the due date: Biểu 06
  columns 8 + 9) ÷ dossiers resolved in the period (column 7). The due date is
  the same as the report's (`sql.LEGAL_DUE`).
- ``online`` — Tỷ lệ hồ sơ trực tuyến: dossiers received in the period online
  (channel 2; column 5) ÷ dossiers received in the period (columns 5 + 6).
- ``components_digitised`` — Tỷ lệ số hóa thành phần hồ sơ: components handed
  in (``present``) of the dossiers received in the period that are digitised
  (state 1, 2 or 3) ÷ all the components handed in with those dossiers.
- ``results_digitised`` — Tỷ lệ số hóa kết quả: dossiers that ended in the
  period (7, 9, 10 count as resolved here, as 766 says) with at least one result
  document digitised and still attached ÷ those dossiers.
- ``paid_online`` — Tỷ lệ thanh toán trực tuyến: dossiers received in the period
  with a fee (``fee_total`` > 0) paid online (``paid_online``) ÷ dossiers received
  in the period with a fee.

Every figure is the sum of the period's months (each a range of the covering
indexes of migration 0009, so a month costs the same whatever the history), which
also gives the monthly trend at no extra cost. `drill_down` lists the dossiers
behind a numerator or a denominator (keyset pages by id, each with its weight:
1, or its number of components). The three lists (overdue, due within 3 days,
waiting for a supplement) are about *now*, counted as the home page and the
queues count them: in progress = statuses 2, 4, 5, 6 against the current
due date (the appointment the citizen holds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.domain.periods import Period, parse_period
from desktop.services.reports.sql import (
    COMPONENTS_INDEX,
    END,
    FINISHED_INDEX,
    LEGAL_DUE,
    LIVE_RESULTS_INDEX,
    RECEIVED_IN,
    REPORT_INDEX,
    ts,
)

ON_TIME, ONLINE, COMPONENTS, RESULTS, PAID_ONLINE = (
    "on_time", "online", "components_digitised", "results_digitised", "paid_online")
INDICATOR_KEYS = (ON_TIME, ONLINE, COMPONENTS, RESULTS, PAID_ONLINE)
NUMERATOR, DENOMINATOR = "numerator", "denominator"

LABELS_VI: Mapping[str, tuple[str, str, str]] = {
    # key: (indicator, numerator, denominator)
    ON_TIME: ("Tỷ lệ giải quyết đúng hạn", "Hồ sơ giải quyết trước hạn và đúng hạn",
              "Hồ sơ đã giải quyết trong kỳ"),
    ONLINE: ("Tỷ lệ hồ sơ trực tuyến", "Hồ sơ tiếp nhận trực tuyến",
             "Hồ sơ tiếp nhận trong kỳ"),
    COMPONENTS: ("Tỷ lệ số hóa thành phần hồ sơ", "Thành phần hồ sơ đã số hóa",
                 "Thành phần hồ sơ đã tiếp nhận"),
    RESULTS: ("Tỷ lệ số hóa kết quả giải quyết", "Hồ sơ có kết quả đã số hóa",
              "Hồ sơ đã giải quyết, rút trong kỳ"),
    PAID_ONLINE: ("Tỷ lệ thanh toán trực tuyến", "Hồ sơ nộp phí, lệ phí trực tuyến",
                  "Hồ sơ phải nộp phí, lệ phí"),
}

OVERDUE, DUE_SOON, SUPPLEMENT = "overdue", "due_soon", "supplement"
LIST_KEYS = (OVERDUE, DUE_SOON, SUPPLEMENT)
LIST_LABELS_VI: Mapping[str, str] = {
    OVERDUE: "Hồ sơ quá hạn",
    DUE_SOON: "Hồ sơ đến hạn trong 3 ngày tới",
    SUPPLEMENT: "Hồ sơ chờ công dân bổ sung",
}
IN_PROGRESS_NOW = "d.status IN (2, 4, 5, 6)"
DUE_SOON_DAYS = 3
MAX_PAGE = 1000


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Indicator:
    key: str
    numerator: int
    denominator: int

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self.key][0]

    @property
    def numerator_label_vi(self) -> str:
        return LABELS_VI[self.key][1]

    @property
    def denominator_label_vi(self) -> str:
        return LABELS_VI[self.key][2]

    @property
    def rate(self) -> float | None:
        """numerator ÷ denominator; None when there is nothing to divide by."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent_vi(self) -> str:
        """"85,3 %" (Vietnamese decimal comma); "—" without a denominator."""
        if self.rate is None:
            return "—"
        return f"{self.rate * 100:.1f} %".replace(".", ",")

    def __add__(self, other: Indicator) -> Indicator:
        assert other.key == self.key
        return Indicator(self.key, self.numerator + other.numerator,
                         self.denominator + other.denominator)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label_vi, "numerator": self.numerator,
                "numerator_label": self.numerator_label_vi, "denominator": self.denominator,
                "denominator_label": self.denominator_label_vi,
                "rate": None if self.rate is None else round(self.rate, 6)}


@dataclass(frozen=True)
class MonthIndicators:
    """The indicators of one month of the trend (a clipped month for a custom period)."""

    period: Period
    indicators: Mapping[str, Indicator]

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period.key, "name": self.period.name_vi,
                "indicators": {k: v.as_json() for k, v in self.indicators.items()}}


@dataclass(frozen=True)
class DossierList:
    """One of the lists of *now*: how many, and the first ids (most urgent first)."""

    key: str
    count: int
    ids: tuple[int, ...]

    @property
    def label_vi(self) -> str:
        return LIST_LABELS_VI[self.key]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label_vi, "count": self.count,
                "ids": list(self.ids)}


@dataclass(frozen=True)
class Dashboard:
    period: Period
    now: datetime
    indicators: Mapping[str, Indicator]
    trend: tuple[MonthIndicators, ...]
    lists: Mapping[str, DossierList] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "motcua.indicators/1",
            "period": {"key": self.period.key, "name": self.period.name_vi,
                       "range": self.period.range_vi, "from": self.period.start.isoformat(),
                       "to": self.period.end.isoformat()},
            "now": self.now.isoformat(timespec="seconds"),
            "indicators": {k: v.as_json() for k, v in self.indicators.items()},
            "trend": [m.as_json() for m in self.trend],
            "lists": {k: v.as_json() for k, v in self.lists.items()},
        }


# ------------------------------------------------------------------ SQL

_RECEIVED = (f"d.received_at >= :f AND d.received_at < :t AND {RECEIVED_IN}")


def _ended(columns: str, statuses: str) -> str:
    """Rows of the dossiers of ``statuses`` that ended in [:f, :t), received before :t: a
    UNION ALL of two ranges of the finishing-time index (the ending time is `finished_at`,
    or the last change for a final dossier without one; see `sql.END`)."""
    common = f"d.status IN ({statuses}) AND d.received_at < :t"
    return (
        f"SELECT {columns} FROM dossiers AS d INDEXED BY {FINISHED_INDEX} "
        f"WHERE {common} AND d.finished_at >= :f AND d.finished_at < :t "
        f"UNION ALL SELECT {columns} FROM dossiers AS d INDEXED BY {FINISHED_INDEX} "
        f"WHERE {common} AND d.finished_at IS NULL AND d.updated_at >= :f AND d.updated_at < :t"
    )


_HAS_RESULT = (f"EXISTS (SELECT 1 FROM attachments AS a INDEXED BY {LIVE_RESULTS_INDEX} "
               "WHERE a.dossier_id = d.id AND a.kind = 'result' AND a.removed_at IS NULL)")
_NOT_LATE = f"({LEGAL_DUE} IS NULL OR {END} <= {LEGAL_DUE})"

_RECEIVED_COUNTS = (
    "SELECT count(*), coalesce(sum(d.channel = '2'), 0), coalesce(sum(d.fee_total > 0), 0), "
    "coalesce(sum(d.fee_total > 0 AND d.paid_online), 0) "
    f"FROM dossiers AS d INDEXED BY {REPORT_INDEX} WHERE {_RECEIVED}")
_COMPONENT_COUNTS = (
    "SELECT count(*), coalesce(sum(c.digitisation_state IN (1, 2, 3)), 0) "
    f"FROM dossiers AS d INDEXED BY {REPORT_INDEX} "
    f"CROSS JOIN dossier_components AS c INDEXED BY {COMPONENTS_INDEX} "
    f"WHERE c.dossier_id = d.id AND c.present = 1 AND {_RECEIVED}")

def _ended_counts(end: str, range_: str) -> str:
    """Counts over the dossiers (7, 9, 10) that ended in [:f, :t), for one of the two ranges
    of `_ended`, measured against the current due date (`_APOLOGY_CORRECTION` then moves
    the few dossiers with an approved apology to their legal due date)."""
    return (
        "SELECT count(*), coalesce(sum(d.status IN (9, 10)), 0), "
        f"coalesce(sum(d.status IN (9, 10) AND (d.due_at IS NULL OR {end} <= d.due_at)), 0), "
        f"coalesce(sum({_HAS_RESULT}), 0) "
        f"FROM dossiers AS d INDEXED BY {FINISHED_INDEX} "
        f"WHERE d.status IN (7, 9, 10) AND d.received_at < :t AND {range_}")


#: Flat statements (no compound subquery): the bulk of the rows, then the final dossiers
#: without a finishing time.
_ENDED_COUNTS = (
    _ended_counts("d.finished_at", "d.finished_at >= :f AND d.finished_at < :t"),
    _ended_counts("d.updated_at", "d.finished_at IS NULL AND d.updated_at >= :f "
                                  "AND d.updated_at < :t"),
)
#: On-time count for the dossiers with an approved apology: legal due date minus current.
_APOLOGY_CORRECTION = (
    f"SELECT coalesce(sum(({LEGAL_DUE} IS NULL OR {END} <= {LEGAL_DUE}) "
    f"- (d.due_at IS NULL OR {END} <= d.due_at)), 0) FROM dossiers AS d "
    "WHERE d.id IN (SELECT dossier_id FROM apologies WHERE state = 'approved') "
    f"AND d.status IN (9, 10) AND d.received_at < :t AND {END} >= :f AND {END} < :t")


def _params(period: Period) -> dict[str, str]:
    low, high = period.bounds
    return {"f": ts(low), "t": ts(high)}


def _as_period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


def _any_approved_apology(session: Session) -> bool:
    return session.execute(text(
        "SELECT 1 FROM apologies INDEXED BY ix_apologies_state WHERE state = 'approved' LIMIT 1"
    )).first() is not None


def _month(session: Session, period: Period, apologies: bool) -> dict[str, Indicator]:
    params = _params(period)
    received, online, with_fee, paid = session.execute(text(_RECEIVED_COUNTS), params).one()
    components, digitised = session.execute(text(_COMPONENT_COUNTS), params).one()
    ended = resolved = not_late = with_result = 0
    for statement in _ENDED_COUNTS:
        n, r, ok, dig = session.execute(text(statement), params).one()
        ended, resolved, not_late, with_result = (ended + n, resolved + r, not_late + ok,
                                                  with_result + dig)
    if apologies:
        not_late += session.execute(text(_APOLOGY_CORRECTION), params).scalar_one()
    return {
        ON_TIME: Indicator(ON_TIME, not_late, resolved),
        ONLINE: Indicator(ONLINE, online, received),
        COMPONENTS: Indicator(COMPONENTS, digitised, components),
        RESULTS: Indicator(RESULTS, with_result, ended),
        PAID_ONLINE: Indicator(PAID_ONLINE, paid, with_fee),
    }


def trend(session: Session, period: Period | str) -> tuple[MonthIndicators, ...]:
    """The indicators of each month of the period (months clipped to a custom period)."""
    period = _as_period(period)
    apologies = _any_approved_apology(session)
    return tuple(MonthIndicators(m, _month(session, m, apologies)) for m in period.months())


def _sum(months: tuple[MonthIndicators, ...]) -> dict[str, Indicator]:
    total = {k: Indicator(k, 0, 0) for k in INDICATOR_KEYS}
    for m in months:
        for k in INDICATOR_KEYS:
            total[k] = total[k] + m.indicators[k]
    return total


def indicators(session: Session, period: Period | str) -> dict[str, Indicator]:
    """The five indicators of the period (the sums of its months)."""
    return _sum(trend(session, period))


# ------------------------------------------------------------------ lists of now

_LIST_WHERE = {
    OVERDUE: f"{IN_PROGRESS_NOW} AND d.due_at < :now",
    DUE_SOON: f"{IN_PROGRESS_NOW} AND d.due_at >= :now AND d.due_at < :soon",
    SUPPLEMENT: "d.status = 5",
}


def _list_params(now: datetime, soon_days: int) -> dict[str, str]:
    return {"now": ts(now), "soon": ts(now + timedelta(days=soon_days))}


def lists(session: Session, now: datetime, *, limit: int = 50,
          soon_days: int = DUE_SOON_DAYS) -> dict[str, DossierList]:
    """Overdue, due within ``soon_days`` days, waiting for a supplement: counts and the
    first ``limit`` ids of each, most urgent (earliest due) first."""
    params = _list_params(now, soon_days)
    out: dict[str, DossierList] = {}
    for key in LIST_KEYS:
        where = _LIST_WHERE[key]
        count = session.execute(text(
            f"SELECT count(*) FROM dossiers AS d INDEXED BY ix_dossiers_status_due "
            f"WHERE {where}"), params).scalar_one()
        ids = tuple(session.execute(text(
            f"SELECT d.id FROM dossiers AS d INDEXED BY ix_dossiers_status_due WHERE {where} "
            "ORDER BY d.due_at, d.id LIMIT :limit"), {**params, "limit": limit}).scalars())
        out[key] = DossierList(key, count, ids)
    return out


@dataclass(frozen=True)
class ListPage:
    ids: tuple[int, ...]
    after: tuple[str, int] | None  # (due_at as stored, id) of the last row; None at the end


def list_page(session: Session, key: str, now: datetime, *,
              after: tuple[str, int] | None = None, limit: int = 200,
              soon_days: int = DUE_SOON_DAYS) -> ListPage:
    """A page of one list (keyset on (due date, id)), for "see all"."""
    if key not in _LIST_WHERE:
        raise KeyError(key)
    limit = max(1, min(limit, MAX_PAGE))
    params: dict[str, Any] = {**_list_params(now, soon_days), "limit": limit + 1}
    where = _LIST_WHERE[key]
    if after is not None:
        where += (" AND (coalesce(d.due_at, '') > :after_due "
                  "OR (coalesce(d.due_at, '') = :after_due AND d.id > :after_id))")
        params.update(after_due=after[0], after_id=after[1])
    rows = session.execute(text(
        f"SELECT d.id, coalesce(d.due_at, '') FROM dossiers AS d WHERE {where} "
        "ORDER BY coalesce(d.due_at, ''), d.id LIMIT :limit"), params).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return ListPage(tuple(r[0] for r in rows), (rows[-1][1], rows[-1][0]) if more else None)


# ------------------------------------------------------------------ the dashboard


def dashboard(session: Session, period: Period | str, now: datetime, *,
              list_limit: int = 50) -> Dashboard:
    """Everything the leaders' page shows: the indicators of the period, their monthly
    trend, and the three lists of now (counts and the first ids)."""
    period = _as_period(period)
    months = trend(session, period)
    return Dashboard(period=period, now=now, indicators=_sum(months), trend=months,
                     lists=lists(session, now, limit=list_limit))


# ------------------------------------------------------------------ drill-down


@dataclass(frozen=True)
class DrillPage:
    """Dossiers behind a figure, in id order, each with its weight (1, or its number of
    components for the components' rate): the weights of all pages add up to the figure."""

    ids: tuple[int, ...]
    weights: tuple[int, ...]
    after: int | None

    @property
    def total(self) -> int:
        return sum(self.weights)


def _drill_sql(key: str, part: str) -> str:
    numerator = part == NUMERATOR
    if key == ONLINE:
        extra = " AND d.channel = '2'" if numerator else ""
        return (f"SELECT d.id, 1 FROM dossiers AS d INDEXED BY {REPORT_INDEX} "
                f"WHERE {_RECEIVED}{extra} AND d.id > :after ORDER BY d.id LIMIT :limit")
    if key == PAID_ONLINE:
        extra = " AND d.paid_online" if numerator else ""
        return (f"SELECT d.id, 1 FROM dossiers AS d INDEXED BY {REPORT_INDEX} "
                f"WHERE {_RECEIVED} AND d.fee_total > 0{extra} AND d.id > :after "
                "ORDER BY d.id LIMIT :limit")
    if key == COMPONENTS:
        weight = "sum(c.digitisation_state IN (1, 2, 3))" if numerator else "count(*)"
        return (f"SELECT d.id, {weight} AS w FROM dossiers AS d INDEXED BY {REPORT_INDEX} "
                f"CROSS JOIN dossier_components AS c INDEXED BY {COMPONENTS_INDEX} "
                f"WHERE c.dossier_id = d.id AND c.present = 1 AND {_RECEIVED} "
                "AND d.id > :after GROUP BY d.id HAVING w > 0 ORDER BY d.id LIMIT :limit")
    if key == ON_TIME:
        cond = "resolved AND not_late" if numerator else "resolved"
        return ("SELECT id, 1 FROM ("
                + _ended(f"d.id AS id, d.status IN (9, 10) AS resolved, {_NOT_LATE} AS not_late",
                         "7, 9, 10")
                + f") WHERE {cond} AND id > :after ORDER BY id LIMIT :limit")
    if key == RESULTS:
        cond = "has_result" if numerator else "1"
        return ("SELECT id, 1 FROM ("
                + _ended(f"d.id AS id, {_HAS_RESULT} AS has_result", "7, 9, 10")
                + f") WHERE {cond} AND id > :after ORDER BY id LIMIT :limit")
    raise KeyError(key)


def drill_down(session: Session, key: str, period: Period | str, part: str = NUMERATOR, *,
               after: int = 0, limit: int = 200) -> DrillPage:
    """A page of the dossiers behind an indicator's numerator or denominator (keyset on id)."""
    if part not in (NUMERATOR, DENOMINATOR):
        raise ValueError(part)
    period = _as_period(period)
    limit = max(1, min(limit, MAX_PAGE))
    rows = session.execute(text(_drill_sql(key, part)),
                           {**_params(period), "after": after, "limit": limit + 1}).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return DrillPage(tuple(r[0] for r in rows), tuple(int(r[1]) for r in rows),
                     rows[-1][0] if more else None)


def drill_all(session: Session, key: str, period: Period | str,
              part: str = NUMERATOR) -> DrillPage:
    """Every page of `drill_down` in one (tests, small periods)."""
    ids: list[int] = []
    weights: list[int] = []
    after = 0
    while True:
        page = drill_down(session, key, period, part, after=after, limit=MAX_PAGE)
        ids.extend(page.ids)
        weights.extend(page.weights)
        if page.after is None:
            return DrillPage(tuple(ids), tuple(weights), None)
        after = page.after
