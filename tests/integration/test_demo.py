"""The demo office on a real SQLite file: statuses, timelines, codes, IDs, due dates, numbering."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from desktop.domain.calendar import TimeUnit, due_at
from desktop.domain.codes import BLOCK_SIZE, parse_dossier_code
from desktop.domain.identity import Sex, validate_id_number
from desktop.domain.status import INITIAL_STATUSES, TRANSITIONS, Status
from desktop.paths import DataPaths
from desktop.services import audit, auth, demo, numbering
from desktop.services.calendar import load_calendar
from desktop.services.office import get_office
from desktop.services.validation import ValidationError
from desktop.store.database import Store, open_store
from desktop.store.models import Dossier, NumberBlock, Officer, OutboxItem, Procedure, Role

N = 1500
SEED = 7
NOW = datetime(2026, 3, 18, 10, 45)  # a Wednesday morning
SQL_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataPaths, demo.DemoSummary,
                                                                  list[tuple[int, int]]]:
    paths = DataPaths(tmp_path_factory.mktemp("demo") / "data")
    calls: list[tuple[int, int]] = []
    summary = demo.create_demo(paths, dossiers=N, seed=SEED, now=NOW,
                               progress=lambda done, total: calls.append((done, total)))
    return paths, summary, calls


@pytest.fixture(scope="module")
def demo_store(demo_run) -> Iterator[Store]:
    store = open_store(demo_run[0])
    yield store
    store.close()


def _rows(store: Store, sql: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


# ------------------------------------------------------------------------------ summary


def test_summary_matches_the_database(demo_run, demo_store) -> None:
    _, summary, calls = demo_run
    assert summary.dossiers == N
    by_status = dict(_rows(demo_store, "SELECT status, count(*) FROM dossiers GROUP BY status"))
    assert {s: c for s, c in summary.by_status.items() if c} == by_status
    assert summary.progress_rows == _rows(demo_store, "SELECT count(*) FROM progress_rows")[0][0]
    assert summary.components == _rows(demo_store,
                                       "SELECT count(*) FROM dossier_components")[0][0]
    assert summary.fees == _rows(demo_store, "SELECT count(*) FROM dossier_fees")[0][0]
    assert summary.database_bytes > 0 and summary.seconds > 0
    assert calls[0] == (0, N) and calls[-1] == (N, N)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_every_status_1_to_10_is_present(demo_run) -> None:
    by_status = demo_run[1].by_status
    assert set(by_status) == set(range(1, 11))
    assert all(by_status[s] > 0 for s in range(1, 11)), by_status
    # Mostly finished history: returned dominates, refusals/withdrawals/stops are a minority.
    assert by_status[10] > 0.7 * N
    assert 0 < by_status[3] + by_status[7] + by_status[8] < 0.2 * N


def test_office_officers_and_passwords(demo_store) -> None:
    with demo_store.transaction() as s:
        office = get_office(s)
        assert office.name == demo.DEMO_OFFICE.name
        assert office.agency_code == demo.DEMO_OFFICE.agency_code
        assert office.desk_number == 1
        officers = {o.username: o for o in s.execute(select(Officer)).scalars()}
        assert set(officers) == {"admin"} | {o.username for o in demo.DEMO_OFFICERS}
        assert Role.ADMIN in officers["admin"].role_set
        assert officers["lanhdao"].role_set == {Role.LEADER}
        assert {officers[u].department for u in ("tuphap", "diachinh", "vanhoa")} == {
            "Tư pháp - Hộ tịch", "Địa chính - Xây dựng", "Văn hóa - Xã hội"}
        for username in officers:
            assert auth.login(s, username, demo.DEMO_PASSWORD, now=NOW).username == username
        assert demo.DEMO_PASSWORD in demo.LOGIN_HINT and "admin" in demo.LOGIN_HINT


def test_audit_chain_holds_and_no_outbox(demo_store) -> None:
    with demo_store.reading() as s:
        assert audit.verify_chain(s) == []
        actions = [a for (a,) in s.execute(text("SELECT action FROM audit_events ORDER BY id"))]
        setup = [a for a in actions if not a.startswith("login.")]
        assert setup.count("demo.create") == 1 and setup[-1] == "demo.create"
        assert s.execute(select(func.count()).select_from(OutboxItem)).scalar_one() == 0


# ---------------------------------------------------------------------------- timelines


def test_progress_rows_follow_the_allowed_transitions(demo_store) -> None:
    dossiers = {r[0]: r for r in _rows(
        demo_store, "SELECT id, status, version, received_at, finished_at, returned_at, "
                    "refused_at, submitted_at, channel FROM dossiers")}
    steps: dict[int, list[tuple]] = defaultdict(list)
    for row in _rows(demo_store, "SELECT dossier_id, status, acted_at, started_at, officer_name, "
                                 "content, uid FROM progress_rows ORDER BY dossier_id, id"):
        steps[row[0]].append(row)
    assert set(steps) == set(dossiers)
    uids = set()
    for dossier_id, (_, status, version, received, finished, returned, refused, submitted,
                     channel) in dossiers.items():
        rows = steps[dossier_id]
        statuses = [Status(r[1]) for r in rows]
        assert statuses[0] in INITIAL_STATUSES, (dossier_id, statuses)
        for a, b in zip(statuses, statuses[1:], strict=False):
            assert b in TRANSITIONS[a], (dossier_id, statuses)
        assert statuses[-1] == status, (dossier_id, statuses, status)
        assert len(rows) == version
        times = [_dt(r[2]) for r in rows]
        assert times == sorted(times) and times[-1] <= NOW
        assert _dt(rows[0][3]) == times[0]
        for r in rows:
            assert r[4] and len(r[4]) <= 50 and r[5]
            uids.add(r[6])
        # Online dossiers start at 1 with their submission; desk dossiers at 2 or 3.
        if channel == "2":
            assert statuses[0] == Status.NEW_ONLINE and times[0] == _dt(submitted)
        else:
            assert statuses[0] in (Status.RECEIVED, Status.REFUSED)
        if Status.RECEIVED in statuses:
            assert _dt(received) == times[statuses.index(Status.RECEIVED)]
        else:
            assert received is None
        assert (refused is not None) == (Status.REFUSED in statuses)
        assert (finished is not None) == (Status.PROCESSED in statuses)
        assert (returned is not None) == (Status.RETURNED in statuses)
    assert len(uids) == sum(len(v) for v in steps.values())


def test_notes_explain_refusal_withdrawal_and_stop_only(demo_store) -> None:
    rows = _rows(demo_store, "SELECT status, note FROM dossiers")
    for status, note in rows:
        assert bool(note) == (status in (3, 7, 8)), (status, note)
    stopped = _rows(demo_store, """
        SELECT d.note, p.content FROM dossiers d JOIN progress_rows p ON p.dossier_id = d.id
        WHERE d.status = 8 AND p.status = 8
          AND p.acted_at = (SELECT max(acted_at) FROM progress_rows q WHERE q.dossier_id = d.id)""")
    assert stopped and all(note in content for note, content in stopped)


def test_datetimes_use_sqlalchemy_storage_format(demo_store) -> None:
    row = _rows(demo_store, "SELECT submitted_at, received_at, due_at FROM dossiers "
                            "WHERE received_at IS NOT NULL LIMIT 1")[0]
    assert all(SQL_DATETIME.fullmatch(v) for v in row)
    with demo_store.reading() as s:
        d = s.execute(select(Dossier).where(Dossier.received_at.is_not(None)).limit(1)).scalar_one()
        assert isinstance(d.received_at, datetime) and isinstance(d.applicant_birth_date, date)
        assert d.progress and d.components


def test_channels_lateness_and_overdue(demo_run, demo_store) -> None:
    channels = dict(_rows(demo_store, "SELECT channel, count(*) FROM dossiers GROUP BY channel"))
    assert 0.33 * N < channels["2"] < 0.47 * N
    assert 0.48 * N < channels["1"] < 0.62 * N
    assert 0.02 * N < channels["3"] < 0.08 * N
    resolved, late = _rows(demo_store, "SELECT count(*), sum(finished_at > due_at) FROM dossiers "
                                       "WHERE finished_at IS NOT NULL")[0]
    assert 0.08 < late / resolved < 0.17, late / resolved
    assert demo_run[1].resolved_late == late
    overdue = _rows(demo_store, "SELECT count(*) FROM dossiers WHERE status IN (2, 4, 5, 6) "
                                f"AND due_at < '{NOW:%Y-%m-%d %H:%M:%S}.000000'")[0][0]
    assert overdue > 0 and overdue == demo_run[1].overdue_in_progress
    # Recent dossiers are still in progress, old ones finished.
    old = dict(_rows(demo_store, "SELECT status, count(*) FROM dossiers "
                                 "WHERE submitted_at < '2025-09-01' GROUP BY status"))
    assert old.get(10, 0) > 0.8 * sum(old.values())


def test_components_and_fees_come_from_the_catalogue(demo_store) -> None:
    bad = _rows(demo_store, """
        SELECT count(*) FROM dossier_components c
        JOIN dossiers d ON d.id = c.dossier_id
        JOIN procedure_components pc ON pc.id = c.procedure_component_id
        WHERE pc.procedure_id != d.procedure_id OR pc.name != c.name""")[0][0]
    assert bad == 0
    states = dict(_rows(demo_store, "SELECT digitisation_state, count(*) "
                                    "FROM dossier_components GROUP BY 1"))
    assert set(states) == {0, 1, 2, 3}
    total = sum(states.values())
    assert states[1] > states[2] > states[3] > 0 and states[0] > 0.05 * total
    missing = _rows(demo_store, "SELECT count(*) FROM dossier_components WHERE present = 0")[0][0]
    assert 0 < missing < 0.1 * total
    assert _rows(demo_store, "SELECT count(*) FROM dossiers d WHERE NOT EXISTS "
                             "(SELECT 1 FROM dossier_components c WHERE c.dossier_id = d.id)"
                 )[0][0] == 0
    mismatched = _rows(demo_store, """
        SELECT count(*) FROM dossiers d
        WHERE d.fee_total != (SELECT coalesce(sum(amount), 0) FROM dossier_fees f
                              WHERE f.dossier_id = d.id)""")[0][0]
    assert mismatched == 0
    fees = _rows(demo_store, """
        SELECT count(*) FROM dossier_fees f JOIN dossiers d ON d.id = f.dossier_id
        WHERE NOT EXISTS (SELECT 1 FROM procedure_fees pf WHERE pf.procedure_id = d.procedure_id
                          AND pf.channel = d.channel AND pf.amount = f.amount)""")[0][0]
    assert fees == 0


# ------------------------------------------------------------------------ codes and IDs


def test_codes_are_unique_well_formed_and_numbered_per_day(demo_store) -> None:
    rows = _rows(demo_store, "SELECT code, submitted_at FROM dossiers ORDER BY submitted_at, id")
    codes = [c for c, _ in rows]
    assert None not in codes and len(set(codes)) == len(codes)
    per_day: dict[date, list[int]] = defaultdict(list)
    for code, submitted in rows:
        parsed = parse_dossier_code(code)
        assert str(parsed) == code
        assert parsed.agency_code == demo.DEMO_OFFICE.agency_code
        assert parsed.day == _dt(submitted).date()
        per_day[parsed.day].append(parsed.seq)
    for day, seqs in per_day.items():
        assert seqs == list(range(1, len(seqs) + 1)), day  # time order, no gap, no repeat
    assert len(per_day.get(NOW.date(), [])) <= demo.TODAY_LIMIT
    blocks = {b[0]: b[1:] for b in _rows(
        demo_store, "SELECT day, desk, first, last, last_used, source FROM number_blocks")}
    assert {date.fromisoformat(d) for d in blocks} == set(per_day)
    for day, seqs in per_day.items():
        assert blocks[day.isoformat()] == (1, 1, BLOCK_SIZE, min(len(seqs), BLOCK_SIZE),
                                           "offline")


def test_id_numbers_are_valid_and_match_sex_and_birth_year(demo_store) -> None:
    rows = _rows(demo_store, "SELECT applicant_id_number, applicant_birth_date, applicant_sex, "
                             "submitter_id_number, submitter_birth_date, submitter_sex, "
                             "applicant_name, applicant_phone, applicant_old_id FROM dossiers")
    submitters = 0
    for a_id, a_birth, a_sex, s_id, s_birth, s_sex, name, phone, old_id in rows:
        validate_id_number(a_id, birth_date=date.fromisoformat(a_birth), sex=Sex(a_sex))
        assert len(name.split()) >= 3 and name == name.strip()
        assert re.fullmatch(r"0[35789]\d{8}", phone)
        assert old_id == "" or re.fullmatch(r"\d{9}", old_id)
        if s_id:
            submitters += 1
            assert s_id != a_id
            validate_id_number(s_id, birth_date=date.fromisoformat(s_birth), sex=Sex(s_sex))
    assert 0.10 * N < submitters < 0.20 * N
    names = " ".join(r[6] for r in rows)
    assert any(ch in names for ch in "ễịờửđĐ")  # real diacritics


# ---------------------------------------------------------------------------- due dates


def test_due_dates_follow_the_domain_calendar(demo_store) -> None:
    with demo_store.reading() as s:
        cal = load_calendar(s)
        procs = {p.id: p for p in s.execute(select(Procedure)).scalars()}
    rows = _rows(demo_store, "SELECT procedure_id, channel, received_at, due_at, original_due_at "
                             "FROM dossiers WHERE received_at IS NOT NULL")
    assert rows
    extended = 0
    for proc_id, channel, received, due, original in rows:
        p = procs[proc_id]
        received, due, original = _dt(received), _dt(due), _dt(original)
        assert due >= received and original >= received and due >= original
        extended += due > original
        if channel == "2" and p.online_time_amount is not None:
            amount, unit = p.online_time_amount, p.online_time_unit
        else:
            amount, unit = p.time_amount, p.time_unit
        cutoff = time.fromisoformat(p.cutoff) if p.cutoff else None
        # The demo's documented assumptions: no unit → working days, no amount → 1.
        expected = due_at(received, 1.0 if amount is None else amount,
                          TimeUnit(unit) if unit else TimeUnit.WORKING_DAYS, cal, cutoff=cutoff)
        assert original == expected, (proc_id, channel, received)
    assert extended > 0
    assert _rows(demo_store, "SELECT count(*) FROM dossiers WHERE received_at IS NULL "
                             "AND (due_at IS NOT NULL OR original_due_at IS NOT NULL)")[0][0] == 0


# ---------------------------------------------------------------------------- numbering


def test_desk_numbering_never_issues_a_demo_code(demo_store) -> None:
    codes = {c for (c,) in _rows(demo_store, "SELECT code FROM dossiers")}
    busiest = _rows(demo_store, "SELECT day, last_used FROM number_blocks "
                                "ORDER BY last_used DESC, day LIMIT 1")[0]
    today_used = _rows(demo_store, "SELECT last_used FROM number_blocks "
                                   f"WHERE day = '{NOW.date().isoformat()}'")
    with demo_store.transaction() as s:
        office = get_office(s)
        for day in (date.fromisoformat(busiest[0]), NOW.date()):
            issued = [numbering.next_dossier_code(s, office, day) for _ in range(3)]
            assert not set(issued) & codes
            assert len(set(issued)) == 3
        first_today = parse_dossier_code(issued[0]).seq
        assert first_today == (today_used[0][0] + 1 if today_used else 1)
        # A day without demo dossiers starts at the block's first number.
        future = numbering.next_dossier_code(s, office, date(2026, 12, 25))
        assert future.endswith("-261225-0001")
        s.rollback()
    with demo_store.reading() as s:
        assert s.execute(select(func.count()).select_from(NumberBlock)
                         .where(NumberBlock.source != "offline")).scalar_one() == 0


# ------------------------------------------------------------------- refusal, determinism


def test_second_demo_in_the_same_folder_is_refused(demo_run, demo_store) -> None:
    paths = demo_run[0]
    before = _rows(demo_store, "SELECT count(*) FROM dossiers")[0][0]
    with pytest.raises(ValidationError) as err:
        demo.create_demo(paths, dossiers=10, now=NOW)
    assert "đã có văn phòng" in err.value.message_vi
    assert _rows(demo_store, "SELECT count(*) FROM dossiers")[0][0] == before


def test_refuses_a_folder_with_a_real_office(office_store) -> None:
    with pytest.raises(ValidationError):
        demo.create_demo(office_store.paths, dossiers=5, now=NOW)


def test_rejects_a_bad_size(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        demo.create_demo(DataPaths(tmp_path / "x"), dossiers=-1)
    with pytest.raises(ValidationError):
        demo.create_demo(DataPaths(tmp_path / "x"), dossiers=demo.MAX_DOSSIERS + 1)


_DUMP = (
    "SELECT * FROM dossiers ORDER BY id",
    "SELECT * FROM dossier_components ORDER BY id",
    "SELECT * FROM dossier_fees ORDER BY id",
    "SELECT * FROM progress_rows ORDER BY id",
    "SELECT * FROM number_blocks ORDER BY id",
)


def _dump(paths: DataPaths) -> list[list[tuple]]:
    store = open_store(paths)
    try:
        return [_rows(store, q) for q in _DUMP]
    finally:
        store.close()


def test_same_seed_gives_the_same_demo(demo_run, tmp_path: Path) -> None:
    again = DataPaths(tmp_path / "again")
    summary = demo.create_demo(again, dossiers=N, seed=SEED, now=NOW)
    assert summary.by_status == demo_run[1].by_status
    assert _dump(again) == _dump(demo_run[0])
    other = DataPaths(tmp_path / "other")
    demo.create_demo(other, dossiers=N, seed=SEED + 1, now=NOW)
    assert _dump(other)[0] != _dump(again)[0]


def test_tiny_demo_still_has_every_status(tmp_path: Path) -> None:
    summary = demo.create_demo(DataPaths(tmp_path / "tiny"), dossiers=10, seed=3, now=NOW)
    assert all(summary.by_status[s] == 1 for s in range(1, 11)), summary.by_status
    empty = demo.create_demo(DataPaths(tmp_path / "empty"), dossiers=0, now=NOW)
    assert empty.dossiers == 0 and empty.progress_rows == 0
