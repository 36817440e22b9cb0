"""Periodic reports (Biểu số 06, the tracking book) and the leaders' indicators on real SQLite.

The main data set is built by hand: each dossier below has its times written out
and the cell it must land in is worked out in its comment; the expected table is
the sum of those comments. A seeded random office then checks the balance rules,
the carry-over between adjacent periods and an independent Python reading of the
rules on many dossiers; a flow through the real services checks how a
supplement, a withdrawal and a refusal count.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select, update

from desktop.cli import main
from desktop.domain import periods
from desktop.services import auth, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.reports import definitions, engine, indicators, snapshots
from desktop.services.reports.engine import TOTAL_KEY
from desktop.services.validation import PermissionDenied
from desktop.store.models import (
    Apology,
    Attachment,
    AuditEvent,
    Dossier,
    DossierComponent,
    DossierResult,
    Field,
    OutboxItem,
    Procedure,
    ReportSnapshot,
    Role,
    StoredFile,
)

Q3 = periods.quarter(2026, 3)  # [2026-07-01 00:00, 2026-10-01 00:00)
NOW = datetime(2026, 10, 2, 9, 0)  # when the report is made (for the lists of "now")
COLUMNS = ("3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "rut")
HO_TICH, CHUNG_THUC = "Hộ tịch", "Chứng thực"


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _procedure(session, field_name: str) -> int:
    return session.execute(
        select(Procedure.id).join(Field, Field.id == Procedure.field_id)
        .where(Field.name == field_name).order_by(Procedure.id).limit(1)).scalar_one()


def _field_code(session, field_name: str) -> str:
    return session.execute(select(Field.code).where(Field.name == field_name)).scalar_one()


def add_dossier(session, name: str, field_name: str, status: int, *, channel: str = "1",
                received: str | None = None, due: str | None = None,
                finished: str | None = None, returned: str | None = None,
                refused: str | None = None, submitted: str | None = None,
                original_due: str | None = None, fee: int = 0,
                paid_online: bool = False) -> int:
    """A dossier written straight into the store, with exactly these times."""
    times = [dt(t) for t in (submitted, received, refused, finished, returned) if t]
    d = Dossier(
        uid=str(uuid.uuid4()), code=f"TEST-{name}", procedure_id=_procedure(session, field_name),
        channel=channel, status=status, applicant_name=f"Công dân {name}",
        received_at=dt(received) if received else None, due_at=dt(due) if due else None,
        original_due_at=dt(original_due or due) if (original_due or due) else None,
        finished_at=dt(finished) if finished else None,
        returned_at=dt(returned) if returned else None,
        refused_at=dt(refused) if refused else None,
        submitted_at=dt(submitted) if submitted else None,
        fee_total=fee, paid_online=paid_online, created_at=min(times), updated_at=max(times))
    session.add(d)
    session.flush()
    return d.id


# ------------------------------------------------------------------ the hand-made data set


@dataclass
class HandData:
    ids: dict[str, int]
    ho_tich: str  # field codes
    chung_thuc: str


@pytest.fixture
def hand(office_store) -> HandData:
    ids: dict[str, int] = {}
    with office_store.transaction() as s:
        def add(name: str, field_name: str = HO_TICH, **kw) -> None:
            ids[name] = add_dossier(s, name, field_name, **kw)

        # --- Hộ tịch
        # a1 ended before the period (finished 24/06): in no column.
        add("a1", status=10, received="2026-06-20 09:00", due="2026-06-25 09:00",
            finished="2026-06-24 10:00", returned="2026-06-26 08:00")
        # a2 carried over (received 25/06, open at 01/07) → (4); finished 02/07 09:00, due
        # 02/07 10:00: the due day, before the hour → on time (9).
        add("a2", status=10, received="2026-06-25 10:00", due="2026-07-02 10:00",
            finished="2026-07-02 09:00", returned="2026-07-03 08:00")
        # a3 carried over (4), online before the period but that does not matter for (4);
        # still processing; due 03/07 < end → overdue (13).
        add("a3", status=4, channel="2", received="2026-06-28 08:00", due="2026-07-03 08:00")
        # a4 received online at 00:00:00 of the first day: inside → (5); finished the same day,
        # due 03/07: a day before the due day → early (8).
        add("a4", status=9, channel="2", received="2026-07-01 00:00:00", due="2026-07-03 08:00",
            finished="2026-07-01 15:00", fee=20_000, paid_online=True)
        # a5 received at 23:59:59 of the last day, in person → (6); waiting at the desk (2);
        # due 05/10 ≥ end → within (12).
        add("a5", status=2, received="2026-09-30 23:59:59", due="2026-10-05 08:00")
        # a6 received at 00:00 of the day after: outside the period.
        add("a6", status=2, received="2026-10-01 00:00:00", due="2026-10-06 08:00")
        # a7 in person (6); finished 13/08 09:30 on the due day but after 09:00 → late (10).
        add("a7", status=10, received="2026-08-10 09:00", due="2026-08-13 09:00",
            finished="2026-08-13 09:30", returned="2026-08-14 08:00", fee=50_000)
        # a8 by post (6); resolved only on 02/10 (after the period): at the end it was in
        # progress, due 25/08 < end → overdue (13).
        add("a8", status=9, channel="3", received="2026-08-20 08:00", due="2026-08-25 10:00",
            finished="2026-10-02 08:00")
        # a9 supplement: due at reception 15/07 09:00 (original_due_at), moved by the
        # waiting time to 22/07 09:00 (due_at). Finished 20/07: early (8) against the due
        # date in force; against original_due_at it would be late — the citizen's waiting
        # time does not count against the office, so the report uses due_at.
        add("a9", status=10, received="2026-07-10 09:00", original_due="2026-07-15 09:00",
            due="2026-07-22 09:00", finished="2026-07-20 14:00", returned="2026-07-21 08:00")
        # a10 apology: due 08/07 08:00; a leader approved a new appointment 15/07 17:00 (due_at
        # now); finished 14/07: against the new date early, but an apology does not excuse
        # the delay: against 08/07 08:00 → late (10).
        add("a10", status=10, received="2026-07-05 08:00", due="2026-07-15 17:00",
            original_due="2026-07-08 08:00", finished="2026-07-14 10:00",
            returned="2026-07-15 08:00")
        # a11 in person (6), withdrawn 09/07 → withdrawn in the period (rút).
        add("a11", status=7, received="2026-07-06 08:00", due="2026-07-09 08:00",
            finished="2026-07-09 10:00")
        # a12 withdrawn before the period: in no column.
        add("a12", status=7, received="2026-06-01 08:00", due="2026-06-04 08:00",
            finished="2026-06-10 08:00")
        # a13 online (5), withdrawn on 03/10, after the period: in progress at the end,
        # due 04/09 < end → overdue (13).
        add("a13", status=7, channel="2", received="2026-09-01 08:00", due="2026-09-04 08:00",
            finished="2026-10-03 08:00")
        # a14 refused at the desk on 07/07: never received → in no column.
        add("a14", status=3, refused="2026-07-07 08:00")
        # a15 online submission not yet received (1): in no column.
        add("a15", status=1, channel="2", submitted="2026-07-08 08:00")
        # a16 online submission withdrawn before reception (1 → 7): never received.
        add("a16", status=7, channel="2", submitted="2026-07-08 09:00",
            finished="2026-07-09 08:00")
        # a17 in person (6), stopped (8): not ended → in progress; due 25/07 → overdue (13).
        add("a17", status=8, received="2026-07-20 08:00", due="2026-07-25 08:00")
        # a18 online (5), waiting for papers (5); due 02/10 10:00 ≥ end → within (12).
        add("a18", status=5, channel="2", received="2026-09-25 08:00", due="2026-10-02 10:00")
        # a19 in person (6), finished exactly at the due time → on time (9).
        add("a19", status=9, received="2026-09-01 08:00", due="2026-09-04 08:00",
            finished="2026-09-04 08:00")
        # a20 carried over from May (4), finished at 00:00:00 of the first day (inside the
        # period); due 10/05 → late (10).
        add("a20", status=10, received="2026-05-02 08:00", due="2026-05-10 08:00",
            finished="2026-07-01 00:00:00", returned="2026-07-02 08:00")
        # a21 in person (6), finished at 00:00 of the day after the period: not ended within
        # it → in progress at the end; due 05/10 → within (12).
        add("a21", status=10, received="2026-09-28 08:00", due="2026-10-05 08:00",
            finished="2026-10-01 00:00:00", returned="2026-10-01 08:00")
        # a22 ended one second before the period: in no column.
        add("a22", status=10, received="2026-06-10 08:00", due="2026-06-30 17:00",
            finished="2026-06-30 23:59:59", returned="2026-07-01 08:00")
        # --- Chứng thực
        # b1 in person (6), finished on the due day before the hour → on time (9).
        add("b1", CHUNG_THUC, status=10, received="2026-08-05 08:00", due="2026-08-05 17:00",
            finished="2026-08-05 10:00", returned="2026-08-05 16:00")
        # b2 online (5), finished the day before the due day → early (8); fee paid online.
        add("b2", CHUNG_THUC, status=10, channel="2", received="2026-08-06 08:00",
            due="2026-08-07 17:00", finished="2026-08-06 16:00", returned="2026-08-07 08:00",
            fee=10_000, paid_online=True)
        # b3 carried over (4), processing, due 01/07 16:00 → overdue (13).
        add("b3", CHUNG_THUC, status=4, received="2026-06-30 16:00", due="2026-07-01 16:00",
            fee=30_000, paid_online=True)  # a fee, but received before: not in the pay rate

        # a10's approved apology (Mẫu 04): the appointment it moved is 08/07 08:00.
        s.add(Apology(dossier_id=ids["a10"], reason="Chờ xác minh", state="approved",
                      original_due_at=dt("2026-07-08 08:00"), new_due_at=dt("2026-07-15 17:00"),
                      proposed_at=dt("2026-07-07 16:00"), approved_at=dt("2026-07-08 07:00")))

        # Components (digitisation rate): only those handed in with dossiers received in Q3.
        def component(name: str, state: int, present: bool = True) -> None:
            s.add(DossierComponent(dossier_id=ids[name], name=f"Giấy tờ {state}", present=present,
                                   digitisation_state=state))

        component("a4", 1)
        component("a4", 2)
        component("a4", 0)
        component("a4", 0, present=False)  # not handed in: not counted
        component("a5", 3)
        component("a5", 0)
        component("a3", 1)  # carried over: received before the period
        component("a14", 1)  # refused: not received
        # Results (digitisation of results): a2 and b1 have a digitised result; a7's was
        # taken off (removed); a1 ended before the period.
        s.add(StoredFile(sha256="ab" * 32, size=10, pages=1, created_at=dt("2026-07-01 08:00")))
        s.flush()
        for name, removed in (("a2", None), ("b1", None), ("a7", "2026-08-20 08:00"),
                              ("a1", None)):
            result = DossierResult(dossier_id=ids[name], name="Giấy chứng nhận",
                                   recorded_at=dt("2026-07-02 08:00"))
            s.add(result)
            s.flush()
            s.add(Attachment(uid=str(uuid.uuid4()), dossier_id=ids[name], result_id=result.id,
                             kind="result", sha256="ab" * 32, state=1,
                             digitised_at=dt("2026-07-02 08:00"), officer_name="Cán bộ",
                             removed_at=dt(removed) if removed else None))
        codes = (_field_code(s, HO_TICH), _field_code(s, CHUNG_THUC))
    return HandData(ids, *codes)


# The sums of the comments above, column by column.
EXPECTED_HO_TICH = {"3": 15, "4": 3, "5": 3, "6": 9, "7": 7, "8": 2, "9": 2, "10": 3,
                    "11": 7, "12": 3, "13": 4, "rut": 1}
EXPECTED_CHUNG_THUC = {"3": 3, "4": 1, "5": 1, "6": 1, "7": 2, "8": 1, "9": 1, "10": 0,
                       "11": 1, "12": 0, "13": 1, "rut": 0}
EXPECTED_TOTAL = {k: EXPECTED_HO_TICH[k] + EXPECTED_CHUNG_THUC[k] for k in COLUMNS}
# Which dossiers each Hộ tịch cell holds (drill-down).
EXPECTED_HO_TICH_IDS = {
    "3": {"a2", "a3", "a20", "a4", "a13", "a18", "a5", "a7", "a8", "a9", "a10", "a11", "a17",
          "a19", "a21"},
    "4": {"a2", "a3", "a20"}, "5": {"a4", "a13", "a18"},
    "6": {"a5", "a7", "a8", "a9", "a10", "a11", "a17", "a19", "a21"},
    "7": {"a4", "a9", "a2", "a19", "a7", "a10", "a20"}, "8": {"a4", "a9"}, "9": {"a2", "a19"},
    "10": {"a7", "a10", "a20"}, "11": {"a5", "a18", "a21", "a3", "a8", "a13", "a17"},
    "12": {"a5", "a18", "a21"}, "13": {"a3", "a8", "a13", "a17"}, "rut": {"a11"},
}


def test_bieu06_counts_the_hand_made_office(office_store, hand) -> None:
    with office_store.reading() as s:
        result = engine.run(s, "bieu06", Q3, now=NOW)
    assert result.ok, [c.message_vi for c in result.checks if not c.ok]
    assert {k: result.cell(hand.ho_tich, k) for k in COLUMNS} == EXPECTED_HO_TICH
    assert {k: result.cell(hand.chung_thuc, k) for k in COLUMNS} == EXPECTED_CHUNG_THUC
    assert {k: result.cell(TOTAL_KEY, k) for k in COLUMNS} == EXPECTED_TOTAL
    # One row per field of the catalogue (the others are zero), then the total.
    with office_store.reading() as s:
        fields = s.execute(select(Field.code).order_by(Field.id)).scalars().all()
    assert [r.key for r in result.rows] == fields
    assert [r.number for r in result.rows] == [str(i) for i in range(1, len(fields) + 1)]
    others = [r for r in result.rows if r.key not in (hand.ho_tich, hand.chung_thuc)]
    assert all(v == 0 for r in others for v in r.cells.values())
    assert result.total.label == "Tổng cộng"
    # The checks: four rules on every row (the fields and the total).
    rules = {c.rule for c in result.checks}
    assert rules == {"(3) = (4) + (5) + (6)", "(7) = (8) + (9) + (10)", "(11) = (12) + (13)",
                     "(3) = (7) + (11) + số hồ sơ rút trong kỳ"}
    assert len(result.checks) == 4 * (len(fields) + 1)
    assert "Số hồ sơ công dân rút trong kỳ: 1." in result.notes[-1]


def test_every_cell_drills_down_to_exactly_the_dossiers_it_counts(office_store, hand) -> None:
    names = {v: k for k, v in hand.ids.items()}
    with office_store.reading() as s:
        result = engine.run(s, "bieu06", Q3, now=NOW)
        for column, expected in EXPECTED_HO_TICH_IDS.items():
            got = {names[i] for i in engine.all_cell_dossiers(s, "bieu06", Q3, hand.ho_tich,
                                                             column)}
            assert got == expected, column
        for row in (*result.rows, result.total):
            for column in COLUMNS:
                ids = engine.all_cell_dossiers(s, "bieu06", Q3, row.key, column)
                assert len(ids) == row.cells[column] == len(set(ids)), (row.key, column)
        # Keyset pages: two at a time, in id order, nothing lost or repeated.
        pages, after = [], 0
        while True:
            page = engine.cell_dossiers(s, "bieu06", Q3, hand.ho_tich, "3", after=after, limit=2)
            pages.append(page.ids)
            if page.after is None:
                break
            after = page.after
    flat = [i for p in pages for i in p]
    assert flat == sorted(flat) and len(flat) == 15 and all(len(p) <= 2 for p in pages)


def test_adjacent_periods_hand_over_their_open_dossiers(office_store, hand) -> None:
    """What is in progress at the end of a period is exactly what the next one carries over."""
    with office_store.reading() as s:
        q2 = engine.run(s, "bieu06", Q3.previous(), now=NOW)
        q3 = engine.run(s, "bieu06", Q3, now=NOW)
        months = [engine.run(s, "bieu06", m, now=NOW) for m in Q3.months()]
    for prev, this in ((q2, q3), (q2, months[0]), (months[0], months[1]), (months[1], months[2])):
        for row in this.rows:
            assert prev.cell(row.key, "11") == row.cells["4"], (prev.period.key, row.key)
    # Q2 by hand (Hộ tịch): a1, a12, a20, a22 received in April–June and... a1 and a22 ended in
    # June (resolved), a12 withdrawn in June; open at 30/06: a2, a3, a20 → (11) = 3.
    assert q2.cell(hand.ho_tich, "11") == 3
    assert q2.cell(hand.ho_tich, "7") == 2 and q2.cell(hand.ho_tich, "rut") == 1
    # New receptions of the months add up to the quarter's.
    for column in ("5", "6", "7", "8", "9", "10", "rut"):
        assert sum(m.cell(TOTAL_KEY, column) for m in months) == q3.cell(TOTAL_KEY, column)


def test_boundaries_are_the_first_instant_and_the_end_of_the_last_day(office_store, hand) -> None:
    with office_store.reading() as s:
        july = engine.run(s, "bieu06", "2026-07", now=NOW)
        sept = engine.run(s, "bieu06", "2026-09", now=NOW)
        oct1 = engine.run(s, "bieu06", "2026-10-01..2026-10-01", now=NOW)
        ids = lambda period, column: set(engine.all_cell_dossiers(  # noqa: E731
            s, "bieu06", period, TOTAL_KEY, column))
        # a4 received at 00:00:00 of 01/07 is new in July; a20 finished at that instant is
        # resolved in July (late).
        assert hand.ids["a4"] in ids("2026-07", "5")
        assert hand.ids["a20"] in ids("2026-07", "10")
        # a5 received at 23:59:59 on 30/09 is new in September; a6 (01/10 00:00) is not.
        assert hand.ids["a5"] in ids("2026-09", "6")
        assert hand.ids["a6"] not in ids("2026-09", "3")
        # 01/10: a6 is new that day; a5 is carried over into it; a21 ended at 00:00 (resolved).
        assert hand.ids["a6"] in ids("2026-10-01..2026-10-01", "6")
        assert hand.ids["a5"] in ids("2026-10-01..2026-10-01", "4")
        assert hand.ids["a21"] in ids("2026-10-01..2026-10-01", "7")
    assert july.ok and sept.ok and oct1.ok


def test_the_indicators_of_the_hand_made_office(office_store, hand) -> None:
    with office_store.reading() as s:
        board = indicators.dashboard(s, Q3, NOW)
        got = {k: (v.numerator, v.denominator) for k, v in board.indicators.items()}
        # on time: resolved in Q3 = a2 a4 a7 a9 a10 a19 a20 b1 b2 (9 = column 7); not late:
        # a2 a4 a9 a19 b1 b2 (6 = columns 8 + 9).
        # online: received in Q3 = columns 5 + 6 = 14, online a4 a13 a18 b2 = 4.
        # components: a4 (3 handed in, 2 digitised) and a5 (2, 1 digitised); a3 is carried
        # over, a14 refused, a4's fourth paper was not handed in → 3 / 5.
        # results: ended in Q3 with 7/9/10 = the 9 resolved + a11 withdrawn = 10; a live
        # digitised result on a2 and b1 (a7's was removed, a1 ended in June) → 2 / 10.
        # paid online: received in Q3 with a fee a4 (online), a7 (at the desk), b2 (online);
        # b3 paid online but was received in June → 2 / 3.
        assert got == {"on_time": (6, 9), "online": (4, 14), "components_digitised": (3, 5),
                       "results_digitised": (2, 10), "paid_online": (2, 3)}
        assert board.indicators["on_time"].percent_vi == "66,7 %"
        assert board.indicators["online"].label_vi == "Tỷ lệ hồ sơ trực tuyến"
        # The trend: July, August, September add up to the quarter.
        assert [m.period.key for m in board.trend] == ["2026-07", "2026-08", "2026-09"]
        for key in indicators.INDICATOR_KEYS:
            assert sum(m.indicators[key].numerator for m in board.trend) == got[key][0]
            assert sum(m.indicators[key].denominator for m in board.trend) == got[key][1]
        # July by hand: resolved a2 a4 a9 a10 a20 (a2, a4, a9 not late) → 3/5.
        assert (board.trend[0].indicators["on_time"].numerator,
                board.trend[0].indicators["on_time"].denominator) == (3, 5)
        # Drill-down: the dossiers behind every figure, their weights adding up to it.
        names = {v: k for k, v in hand.ids.items()}
        expected_ids = {
            ("on_time", "numerator"): {"a2", "a4", "a9", "a19", "b1", "b2"},
            ("on_time", "denominator"): {"a2", "a4", "a7", "a9", "a10", "a19", "a20", "b1",
                                         "b2"},
            ("online", "numerator"): {"a4", "a13", "a18", "b2"},
            ("components_digitised", "numerator"): {"a4", "a5"},
            ("components_digitised", "denominator"): {"a4", "a5"},
            ("results_digitised", "numerator"): {"a2", "b1"},
            ("paid_online", "numerator"): {"a4", "b2"},
            ("paid_online", "denominator"): {"a4", "a7", "b2"},
        }
        for key in indicators.INDICATOR_KEYS:
            for part in (indicators.NUMERATOR, indicators.DENOMINATOR):
                page = indicators.drill_all(s, key, Q3, part)
                figure = got[key][0 if part == indicators.NUMERATOR else 1]
                assert page.total == figure, (key, part)
                assert list(page.ids) == sorted(set(page.ids))
                if (key, part) in expected_ids:
                    assert {names[i] for i in page.ids} == expected_ids[(key, part)]
        weights = dict(zip(indicators.drill_all(s, "components_digitised", Q3).ids,
                           indicators.drill_all(s, "components_digitised", Q3).weights,
                           strict=True))
        assert weights == {hand.ids["a4"]: 2, hand.ids["a5"]: 1}
        # The figures agree with Biểu 06 for the same period.
        report = engine.run(s, "bieu06", Q3, now=NOW)
    total = report.total.cells
    assert got["on_time"] == (total["8"] + total["9"], total["7"])
    assert got["online"] == (total["5"], total["5"] + total["6"])


def test_the_lists_of_now(office_store, hand) -> None:
    with office_store.reading() as s:
        lists = indicators.lists(s, NOW)
        # At 02/10 09:00: in progress (2, 4, 5, 6) past the due date: b3 (01/07 16:00), a3
        # (03/07); due before 05/10 09:00: a18 (02/10 10:00), a5 (05/10 08:00) — a6 is due
        # 06/10; waiting for papers: a18. a17 is stopped (8): paused, in no list.
        names = {v: k for k, v in hand.ids.items()}
        ids = {k: [names[x] for x in v.ids] for k, v in lists.items()}
        assert ids == {"overdue": ["b3", "a3"], "due_soon": ["a18", "a5"], "supplement": ["a18"]}
        assert {k: v.count for k, v in lists.items()} == {"overdue": 2, "due_soon": 2,
                                                          "supplement": 1}
        first = indicators.list_page(s, "overdue", NOW, limit=1)
        second = indicators.list_page(s, "overdue", NOW, after=first.after, limit=1)
        assert first.ids + second.ids == (hand.ids["b3"], hand.ids["a3"])
        assert second.after is None


def test_a_snapshot_is_frozen_audited_and_queued_for_the_province(office_store, hand,
                                                                   admin) -> None:
    info, result = snapshots.save(office_store, admin, "bieu06", Q3, now=NOW)
    assert info.period_key == "2026-Q3" and info.made_at == NOW
    assert info.title_vi == "Biểu số 06 – Quý III năm 2026"
    # A dossier changes afterwards: a5 is resolved on 30/09 (a correction of the record).
    with office_store.transaction() as s:
        s.execute(update(Dossier).where(Dossier.id == hand.ids["a5"])
                  .values(status=9, finished_at=dt("2026-09-30 23:59:59.5")))
    with office_store.reading() as s:
        live = engine.run(s, "bieu06", Q3, now=NOW)
        kept = snapshots.open_snapshot(s, info.id)
        listed = snapshots.list_snapshots(s, report="bieu06", period="2026-Q3")
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "report.snapshot")
                          ).scalar_one()
        item = s.execute(select(OutboxItem).where(OutboxItem.kind == "report.submit")
                         ).scalar_one()
    assert live.cell(TOTAL_KEY, "12") == EXPECTED_TOTAL["12"] - 1  # the live report moved
    assert kept.as_json() == result.as_json()  # the snapshot did not
    assert kept.cell(TOTAL_KEY, "12") == EXPECTED_TOTAL["12"]
    assert [x.id for x in listed] == [info.id]
    assert event.entity_id == info.uid and event.actor_id == admin.officer_id
    assert json.loads(event.after)["sha256"] == info.sha256
    payload = json.loads(item.payload)
    assert (payload["uid"], payload["report"], payload["period"]) == (info.uid, "bieu06",
                                                                      "2026-Q3")
    assert payload["content"]["total"]["cells"]["3"] == EXPECTED_TOTAL["3"]
    assert item.officer_id == admin.officer_id and item.state == "pending"
    # A snapshot whose content was changed afterwards is refused.
    with office_store.transaction() as s:
        s.execute(update(ReportSnapshot).where(ReportSnapshot.id == info.id).values(
            content=ReportSnapshot.content + " "))
    with office_store.reading() as s, pytest.raises(snapshots.SnapshotDamaged) as err:
        snapshots.open_snapshot(s, info.id)
    assert "đã bị thay đổi" in err.value.message_vi


def test_only_leaders_and_administrators_save_reports(office_store, hand) -> None:
    desk = Actor(None, "Trần Thị Thu Hà", roles=frozenset({Role.FRONT_DESK}))
    with pytest.raises(PermissionDenied):
        snapshots.save(office_store, desk, "bieu06", Q3, now=NOW)
    with office_store.reading() as s:
        assert s.execute(select(func.count()).select_from(ReportSnapshot)).scalar_one() == 0


# ------------------------------------------------------------------ random offices


def _random_office(session, seed: int, count: int = 400) -> list[dict]:
    """Dossiers with random but consistent histories around 2026 (and their plain facts)."""
    rnd = random.Random(seed)
    fields = [HO_TICH, CHUNG_THUC, "Đất đai"]
    start = datetime(2026, 3, 1)
    facts = []
    for n in range(count):
        field_name = rnd.choice(fields)
        channel = rnd.choice("1122223")
        received = start + timedelta(minutes=rnd.randrange(0, 300 * 24 * 60))
        due = received + timedelta(hours=rnd.choice((4, 24, 72, 240, 500)))
        status = rnd.choice((1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 10, 10, 10))
        finished = None
        if status in (7, 9, 10):
            finished = received + timedelta(minutes=rnd.randrange(1, 60 * 24 * 40))
            if rnd.random() < 0.1:  # exactly on the due time
                finished = due
        if status == 1:
            kw = {"submitted": received.isoformat()}
            received_s = None
        elif status == 3:
            kw = {"refused": received.isoformat()}
            received_s = None
        else:
            received_s = received.isoformat()
            kw = {"received": received_s, "due": due.isoformat()}
        if finished:
            kw["finished"] = finished.isoformat()
        dossier_id = add_dossier(session, f"r{seed}-{n}", field_name, status, channel=channel,
                                 **kw)
        legal_due = due if received_s else None
        if received_s and finished and rnd.random() < 0.08:  # an approved apology
            session.add(Apology(dossier_id=dossier_id, reason="x", state="approved",
                                original_due_at=due, new_due_at=due + timedelta(days=9),
                                proposed_at=due, approved_at=due))
            session.execute(update(Dossier).where(Dossier.id == dossier_id)
                            .values(due_at=due + timedelta(days=9)))
        facts.append({"id": dossier_id, "field": field_name, "status": status,
                      "channel": channel, "received": received if received_s else None,
                      "due": legal_due, "end": finished})
    return facts


def _by_hand(facts: list[dict], period: periods.Period) -> dict[str, dict[str, int]]:
    """Biểu 06 read straight from the rules, in Python, one dossier at a time."""
    f, t = period.bounds
    out: dict[str, dict[str, int]] = {}
    for d in facts:
        if d["status"] in (1, 3) or d["received"] is None or d["received"] >= t:
            continue
        end = d["end"] if d["status"] in (7, 9, 10) else None
        if end is not None and end < f:
            continue
        cells = out.setdefault(d["field"], dict.fromkeys(COLUMNS, 0))
        cells["3"] += 1
        cells["4" if d["received"] < f else "5" if d["channel"] == "2" else "6"] += 1
        if end is None or end >= t:
            cells["11"] += 1
            cells["13" if d["due"] < t else "12"] += 1
        elif d["status"] == 7:
            cells["rut"] += 1
        else:
            cells["7"] += 1
            late = end > d["due"]
            cells["10" if late else "9" if end.date() == d["due"].date() else "8"] += 1
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_offices_balance_and_match_the_rules_read_by_hand(office_store, seed) -> None:
    with office_store.transaction() as s:
        facts = _random_office(s, seed)
        names = {n: c for n, c in s.execute(select(Field.name, Field.code))}
    year = periods.year(2026)
    chosen = [*year.months(), periods.quarter(2026, 2), periods.quarter(2026, 3),
              periods.half(2026, 2), year, periods.custom(date(2026, 4, 17), date(2026, 8, 3))]
    with office_store.reading() as s:
        results = {p.key: engine.run(s, "bieu06", p, now=NOW) for p in chosen}
        boards = {p.key: indicators.indicators(s, p) for p in chosen}
    for period in chosen:
        result = results[period.key]
        assert result.ok, [c.message_vi for c in result.checks if not c.ok]
        for column in COLUMNS:  # columns balance: the total row is the sum of the rows
            assert result.total.cells[column] == sum(r.cells[column] for r in result.rows)
        expected = _by_hand(facts, period)
        for field_name, cells in expected.items():
            assert dict(result.row(names[field_name]).cells) == cells, (period.key, field_name)
        board, total = boards[period.key], result.total.cells
        assert (board["on_time"].numerator, board["on_time"].denominator) == (
            total["8"] + total["9"], total["7"])
        assert (board["online"].numerator, board["online"].denominator) == (
            total["5"], total["5"] + total["6"])
    months = [results[m.key] for m in year.months()]
    for prev, this in zip(months, months[1:], strict=False):
        for row in this.rows:
            assert prev.cell(row.key, "11") == row.cells["4"]


# ------------------------------------------------------------------ through the services


@pytest.fixture
def desk_staff(office_store, admin):
    with office_store.transaction() as s:
        confirm_missing_units(s, admin)

        def make(username: str, name: str, role: Role) -> Actor:
            o = auth.create_officer(s, admin, username=username, full_name=name,
                                    password="mat-khau-456", roles=[role], title="Công chức")
            return Actor(o.id, o.full_name, o.title, o.department, frozenset({role}))

        return (make("tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK),
                make("tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST))


def _form(store) -> reception.ReceptionForm:
    with store.reading() as s:
        pid = s.execute(select(Procedure.id).where(Procedure.code == "1.004873")).scalar_one()
        lines = reception.components_for(s, pid)
    for line in lines:
        if line.state == reception.ComponentState.MISSING:
            line.state = reception.ComponentState.PRESENT
    return reception.ReceptionForm(
        procedure_id=pid,
        applicant=reception.PersonForm(
            id_number="001090123456", name="Nguyễn Văn Đức", birth_date=date(1990, 5, 17),
            sex="Nam", address="Thôn Phú Mỹ, xã Tân Phú, tỉnh Đồng Nai", phone="0912 345 678"),
        components=lines)


def test_supplement_withdrawal_and_refusal_through_the_services(office_store, desk_staff) -> None:
    desk, spec = desk_staff
    july = periods.month(2026, 7)
    # Received Mon 06/07 09:00 (1.004873: 3 working days → due Thu 09/07 09:00).
    supplemented = reception.receive(office_store, desk, _form(office_store),
                                     now=dt("2026-07-06 09:00")).dossier_id
    processing.hand_over(office_store, desk, supplemented, spec.officer_id,
                         now=dt("2026-07-06 10:00"))
    processing.request_supplement(office_store, spec, supplemented, ["Giấy xác nhận cư trú"],
                                  "Thiếu giấy xác nhận cư trú", now=dt("2026-07-07 09:00"))
    processing.receive_supplement(office_store, desk, supplemented, now=dt("2026-07-14 09:00"))
    with office_store.reading() as s:
        d = s.get_one(Dossier, supplemented)
        original, moved = d.original_due_at, d.due_at
    # The papers took a week: the due date moved by that waiting time; the appointment
    # given at reception is kept apart.
    assert original == dt("2026-07-09 09:00") and moved > dt("2026-07-14 09:00")
    # Finished after the original appointment but before the moved due date, on an earlier
    # day → early (8), not late.
    processing.finish(office_store, spec, supplemented, ["Giấy xác nhận tình trạng hôn nhân"],
                      now=moved - timedelta(days=1))
    # Withdrawn the day after reception → withdrawn in July (rút), nothing else.
    withdrawn = reception.receive(office_store, desk, _form(office_store),
                                  now=dt("2026-07-08 09:00")).dossier_id
    processing.withdraw(office_store, desk, withdrawn, "Công dân không còn nhu cầu",
                        now=dt("2026-07-09 09:00"))
    # Refused at the desk: never received, in no column.
    reception.refuse(office_store, desk, _form(office_store), "Hồ sơ không thuộc thẩm quyền xã",
                     now=dt("2026-07-10 09:00"))
    with office_store.reading() as s:
        result = engine.run(s, "bieu06", july, now=NOW)
        code = s.execute(select(Field.code).join(Procedure, Procedure.field_id == Field.id)
                         .where(Procedure.code == "1.004873")).scalar_one()
    cells = result.row(code).cells
    assert {k: cells[k] for k in COLUMNS} == {"3": 2, "4": 0, "5": 0, "6": 2, "7": 1, "8": 1,
                                              "9": 0, "10": 0, "11": 0, "12": 0, "13": 0,
                                              "rut": 1}
    assert result.ok


# ------------------------------------------------------------------ outputs


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def test_json_from_the_command_line_carries_every_cell(office_store, hand, data_paths,
                                                        capsys) -> None:
    assert main(["--data-dir", str(data_paths.root), "report", "--period", "2026-Q3",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["report"] == "bieu06" and data["form_label"] == "Biểu số 06"
    assert data["period"] == {"key": "2026-Q3", "kind": "quarter", "name": "Quý III năm 2026",
                              "range": "Từ ngày 01/07/2026 đến ngày 30/09/2026",
                              "from": "2026-07-01", "to": "2026-09-30"}
    rows = {r["key"]: r["cells"] for r in data["rows"]}
    assert {k: rows[hand.ho_tich][k] for k in COLUMNS} == EXPECTED_HO_TICH
    assert {k: data["total"]["cells"][k] for k in COLUMNS} == EXPECTED_TOTAL
    headings = {c["key"]: c["heading"] for c in data["columns"]}
    assert headings["5"] == "Số hồ sơ nhận giải quyết – Trong đó – Mới tiếp nhận trực tuyến"
    assert headings["13"] == "Kết quả giải quyết – Số hồ sơ đang giải quyết – Quá hạn"
    assert data["ok"] is True and all(c["ok"] for c in data["checks"])
    assert data["office"]["name"] == "UBND xã Tân Phú"
    # The same period by dates, and the indicators.
    assert main(["--data-dir", str(data_paths.root), "report", "--from", "2026-07-01",
                 "--to", "2026-09-30"]) == 0
    by_dates = json.loads(capsys.readouterr().out)
    assert by_dates["total"]["cells"] == data["total"]["cells"]
    assert by_dates["period"]["name"] == "Từ ngày 01/07/2026 đến ngày 30/09/2026"
    assert main(["--data-dir", str(data_paths.root), "indicators", "--period", "2026-Q3",
                 "--format", "json", "--now", "2026-10-02T09:00"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert board["indicators"]["on_time"]["numerator"] == 6
    assert board["indicators"]["on_time"]["denominator"] == 9
    assert [m["period"] for m in board["trend"]] == ["2026-07", "2026-08", "2026-09"]
    assert board["lists"]["overdue"]["count"] == 2


def test_the_command_line_refuses_bad_periods(office_store, data_paths, capsys) -> None:
    root = str(data_paths.root)
    assert main(["--data-dir", root, "report", "--period", "2026-13"]) == 2
    assert "Tháng 13 không tồn tại" in capsys.readouterr().err
    assert main(["--data-dir", root, "report"]) == 2
    assert "Thiếu kỳ báo cáo" in capsys.readouterr().err
    assert main(["--data-dir", root, "report", "--period", "2026", "--report", "bieu99"]) == 2
    assert "Không có báo cáo 'bieu99'" in capsys.readouterr().err


def test_save_from_the_command_line(office_store, hand, data_paths, tmp_path, capsys) -> None:
    out = tmp_path / "q3.json"
    assert main(["--data-dir", str(data_paths.root), "report", "--period", "2026-Q3",
                 "--save", "--output", str(out)]) == 0
    assert "Đã lưu bản chốt" in capsys.readouterr().err
    with office_store.reading() as s:
        [info] = snapshots.list_snapshots(s)
        kept = snapshots.open_snapshot(s, info.id)
        assert s.execute(select(func.count()).select_from(OutboxItem)
                         .where(OutboxItem.kind == "report.submit")).scalar_one() == 1
    assert kept.as_json() == json.loads(out.read_text(encoding="utf-8"))


def test_xlsx_reads_back_with_the_headings_and_the_numbers(office_store, hand, data_paths,
                                                           tmp_path) -> None:
    path = tmp_path / "bieu06.xlsx"
    assert main(["--data-dir", str(data_paths.root), "report", "--period", "2026-Q3",
                 "--format", "xlsx", "--output", str(path)]) == 0
    ws = load_workbook(path).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [v for row in values for v in row if v is not None]
    for text in ("Biểu số 06", "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 definitions.BIEU_06.title, "Đơn vị tính: Số hồ sơ TTHC",
                 "Số hồ sơ nhận giải quyết", "Kết quả giải quyết", "Số hồ sơ đã giải quyết",
                 "Số hồ sơ đang giải quyết", "Trong đó", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"):
        assert text in flat, text
    assert "Kỳ báo cáo: Quý III năm 2026 (Từ ngày 01/07/2026 đến ngày 30/09/2026)" in flat
    numbers_row = next(i for i, row in enumerate(values) if row[0] == "(1)")
    assert list(values[numbers_row]) == [f"({i})" for i in range(1, 14)]
    by_label = {row[1]: row for row in values[numbers_row + 1:] if row[1]}
    printed = ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]
    assert list(by_label[HO_TICH][2:13]) == [EXPECTED_HO_TICH[k] for k in printed]
    total = by_label["Tổng cộng"]
    assert list(total[2:13]) == [EXPECTED_TOTAL[k] for k in printed]
    assert all(isinstance(v, int) for v in total[2:13])  # numbers, not text
    # Column sums of the field rows equal the total row.
    field_rows = [row for row in values[numbers_row + 1:] if isinstance(row[0], int)]
    for j in range(2, 13):
        assert sum(row[j] for row in field_rows) == total[j]
    merged = {str(r) for r in ws.merged_cells.ranges}
    heading = numbers_row - 3 + 1  # three heading rows above the numbers (1-based rows)
    assert f"A{heading}:A{heading + 2}" in merged  # STT runs down the three heading rows
    assert f"C{heading}:F{heading}" in merged  # "Số hồ sơ nhận giải quyết" over (3)–(6)
    assert f"G{heading}:M{heading}" in merged  # "Kết quả giải quyết" over (7)–(13)
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.usefixtures("qapp")
def test_pdf_reads_back_with_headings_total_row_and_diacritics(office_store, hand, data_paths,
                                                               tmp_path) -> None:
    path = tmp_path / "bieu06.pdf"
    assert main(["--data-dir", str(data_paths.root), "report", "--period", "2026-Q3",
                 "--format", "pdf", "--output", str(path)]) == 0
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = normalize(" ".join(p.extract_text() for p in reader.pages))
    for expected in ("Biểu số 06", "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND XÃ TÂN PHÚ",
                     "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                     "Kỳ báo cáo: Quý III năm 2026", "Đơn vị báo cáo: UBND xã Tân Phú",
                     "Đơn vị nhận báo cáo: UBND tỉnh Đồng Nai", "Đơn vị tính: Số hồ sơ TTHC",
                     "Số hồ sơ nhận giải quyết", "Số hồ sơ đang giải quyết", "Hộ tịch",
                     "Chứng thực", "Đăng ký, quản lý cư trú", "NGƯỜI LẬP BIỂU",
                     "THỦ TRƯỞNG ĐƠN VỊ", "(13)"):
        assert expected in text, expected
    # The total row, in order: Tổng cộng 18 4 4 10 9 3 3 3 8 3 5.
    printed = ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]
    assert "Tổng cộng " + " ".join(str(EXPECTED_TOTAL[k]) for k in printed) in text
    assert reader.metadata.title == "Biểu số 06 – Quý III năm 2026"


# ------------------------------------------------------------------ the tracking book


def test_the_tracking_book_runs_as_a_report_definition(office_store, hand) -> None:
    with office_store.reading() as s:
        book = engine.run(s, "mau06", Q3, now=NOW)
    # The dossiers received in Q3, in reception order (the refusal, the online submissions
    # not received and a6 received on 01/10 are not in it).
    codes = [r.cells["dossier_code"] for r in book.rows]
    assert codes[0] == "TEST-a4" and codes[-1] == "TEST-a5"
    assert len(codes) == EXPECTED_TOTAL["5"] + EXPECTED_TOTAL["6"] == 14
    assert book.ok and book.kind == "listing"
    assert book.rows[0].cells["applicant_name"] == "Công dân a4"
    form = engine.to_form(engine.ReportResult.from_json(book.as_json()))
    assert [r.dossier_code for r in form.rows] == codes
    assert form.rows[0].received_at == dt("2026-07-01 00:00:00")
    assert {d.key for d in definitions.REPORTS.values()} >= {"bieu06", "mau06"}
