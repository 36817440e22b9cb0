"""The dossier list queries on a real demo office: filters, keyset pages, search, detail.

Every result is checked against a plain Python computation over all rows. The
demo data gets a few extra ties (equal reception times, names, due dates) and
dossiers without a code, so the keyset segments are all exercised.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.domain.text import fold, sort_key
from desktop.paths import DataPaths
from desktop.services import demo
from desktop.services import dossier_query as q
from desktop.services.dossier_query import DossierFilter, SortKey
from desktop.store.database import Store, open_store
from desktop.store.search_index import rebuild

N = 3000
NOW = datetime(2026, 3, 18, 10, 45)  # a Wednesday morning
IN_PROGRESS = {2, 4, 5, 6}


@pytest.fixture(scope="module")
def demo_paths(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("dq") / "data")
    demo.create_demo(paths, dossiers=N, seed=11, now=NOW)
    store = open_store(paths)
    try:
        with store.engine.begin() as conn:
            # Ties for the keysets: equal reception and due times, names and missing codes.
            conn.execute(text("UPDATE dossiers SET received_at = (SELECT received_at FROM "
                              "dossiers WHERE id = 500) WHERE id BETWEEN 501 AND 520 "
                              "AND received_at IS NOT NULL"))
            conn.execute(text("UPDATE dossiers SET due_at = (SELECT due_at FROM dossiers "
                              "WHERE id = 2000) WHERE id BETWEEN 2001 AND 2015 "
                              "AND due_at IS NOT NULL"))
            conn.execute(text("UPDATE dossiers SET applicant_name = 'Nguyễn Văn Đức', "
                              "applicant_sort = 'nguyen van duc' "
                              "WHERE id % 97 = 0"))
            conn.execute(text("UPDATE dossiers SET code = NULL WHERE id IN (3, 1200, 2999)"))
        raw = store.engine.raw_connection()
        try:
            rebuild(raw.driver_connection)
            raw.driver_connection.commit()
        finally:
            raw.close()
    finally:
        store.close()
    return paths


@pytest.fixture(scope="module")
def dq_store(demo_paths: DataPaths) -> Iterator[Store]:
    store = open_store(demo_paths)
    yield store
    store.close()


@pytest.fixture(scope="module")
def everything(dq_store: Store) -> list[dict]:
    """Every dossier with what the reference computations need."""
    with dq_store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.id, d.code, d.applicant_name, d.status, d.channel, d.procedure_id, "
            "p.name AS procedure, p.field_id, d.received_at, d.due_at, d.applicant_id_number, "
            "d.applicant_phone, d.submitter_name, d.submitter_id_number, d.submitter_phone "
            "FROM dossiers d JOIN procedures p ON p.id = d.procedure_id")).mappings().all()
    out = []
    for r in rows:
        r = dict(r)
        for k in ("received_at", "due_at"):
            r[k] = datetime.fromisoformat(r[k]) if r[k] else None
        body = " ".join(x for x in (r["code"] or "", r["applicant_name"], r["applicant_id_number"],
                                    (r["applicant_phone"] or "").replace(" ", ""),
                                    r["submitter_name"], r["submitter_id_number"],
                                    (r["submitter_phone"] or "").replace(" ", "")) if x)
        r["tokens"] = re.findall(r"[0-9a-z]+", fold(body))
        out.append(r)
    return out


def _reading(store: Store, fn: Callable):
    with store.reading() as session:
        return fn(session)


def _all(store: Store, flt: DossierFilter, sort: SortKey, page_size: int) -> list[q.DossierRow]:
    with store.reading() as session:
        rows, after = [], None
        while True:
            chunk = q.page(session, flt, sort, NOW, after=after, limit=page_size)
            rows.extend(chunk)
            if len(chunk) < page_size:
                return rows
            after = q.key_of(chunk[-1], sort)


def _matches(r: dict, flt: DossierFilter) -> bool:
    if flt.statuses is not None and r["status"] not in flt.statuses:
        return False
    if flt.procedure_id is not None and r["procedure_id"] != flt.procedure_id:
        return False
    if flt.field_id is not None and r["field_id"] != flt.field_id:
        return False
    if flt.channel and r["channel"] != flt.channel:
        return False
    received = r["received_at"]
    if flt.received_from and (received is None or received.date() < flt.received_from):
        return False
    if flt.received_to and (received is None or received.date() > flt.received_to):
        return False
    soon = flt.due_within_days or 0
    if flt.overdue or soon:
        due, active = r["due_at"], r["status"] in IN_PROGRESS
        late = active and due is not None and due < NOW
        near = active and due is not None and soon > 0 and NOW <= due < NOW + timedelta(days=soon)
        if not ((flt.overdue and late) or near):
            return False
    if flt.text.strip():
        words = re.findall(r"[0-9a-z]+", fold(flt.text))
        if words and not all(any(t.startswith(w) for t in r["tokens"]) for w in words):
            return False
    return True


def _expected(everything: list[dict], flt: DossierFilter, sort: SortKey) -> list[int]:
    rows = [r for r in everything if _matches(r, flt)]
    column = sort.column

    def value(r: dict):
        # Names sort by their key (tone marks and đ ignored): "Đặng" among the D's.
        if column == "procedure":
            return (sort_key(r["procedure"]), r["procedure"])
        if column == "applicant_name":
            return sort_key(r[column])
        return r[column]

    # (value, id), NULLs first ascending (as SQLite): sort ascending, reverse for descending.
    rows.sort(key=lambda r: (value(r) is not None, value(r) if value(r) is not None else 0,
                             r["id"]))
    if sort.descending:
        rows.reverse()
    return [r["id"] for r in rows]


# -------------------------------------------------------------------------------- filters


def _some(everything: list[dict], key: str) -> object:
    from collections import Counter

    return Counter(r[key] for r in everything).most_common(3)[-1][0]


def _filters(everything: list[dict]) -> dict[str, DossierFilter]:
    busy_day = max(r["received_at"] for r in everything if r["received_at"]).date()
    return {
        "none": DossierFilter(),
        "status waiting (1)": DossierFilter(statuses=frozenset({1})),
        "statuses in progress": DossierFilter(statuses=frozenset(IN_PROGRESS)),
        "status returned": DossierFilter(statuses=frozenset({10})),
        "no status": DossierFilter(statuses=frozenset()),
        "procedure": DossierFilter(procedure_id=_some(everything, "procedure_id")),
        "field": DossierFilter(field_id=_some(everything, "field_id")),
        "channel post": DossierFilter(channel="3"),
        "channel online": DossierFilter(channel="2"),
        "received from": DossierFilter(received_from=busy_day - timedelta(days=40)),
        "received to": DossierFilter(received_to=date(2025, 1, 31)),
        "received month": DossierFilter(received_from=date(2025, 6, 1),
                                         received_to=date(2025, 6, 30)),
        "overdue": DossierFilter(overdue=True),
        "due within 3 days": DossierFilter(due_within_days=3),
        "due within 10 days": DossierFilter(due_within_days=10),
        "overdue or due within 5": DossierFilter(overdue=True, due_within_days=5),
        "text name": DossierFilter(text="nguyen van duc"),
        "text family": DossierFilter(text="Trần"),
        "combined": DossierFilter(statuses=frozenset({10, 3}), channel="1",
                                  received_from=date(2025, 1, 1)),
        "combined text": DossierFilter(statuses=frozenset(IN_PROGRESS | {9}), text="thi"),
    }


def test_every_filter_matches_a_python_computation(dq_store, everything) -> None:
    sort = SortKey()
    for name, flt in _filters(everything).items():
        got = [r.id for r in _all(dq_store, flt, sort, 250)]
        assert got == _expected(everything, flt, sort), name
        assert _reading(dq_store, lambda s, f=flt: q.count(s, f, NOW)) == len(got), name


def test_filters_are_not_all_trivial(everything) -> None:
    sizes = {name: len(_expected(everything, f, SortKey()))
             for name, f in _filters(everything).items()}
    assert sizes["no status"] == 0
    for name, n in sizes.items():
        if name != "no status":
            assert 0 < n, name
    assert sizes["none"] == N
    assert sizes["overdue"] < sizes["statuses in progress"]


def test_capped_count_says_more(dq_store) -> None:
    with dq_store.reading() as s:
        assert q.count(s, DossierFilter(), NOW, cap=100) == 101
        assert q.count(s, DossierFilter(statuses=frozenset({10})), NOW, cap=100) == 101
        assert q.count(s, DossierFilter(text="nguyen"), NOW, cap=100) == 101
        assert q.count(s, DossierFilter(statuses=frozenset({1})), NOW, cap=10_000) < 10_000


# --------------------------------------------------------------------------------- keysets


@pytest.mark.parametrize("column", q.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_concatenate_to_the_sorted_list(dq_store, everything, column,
                                                     descending) -> None:
    sort = SortKey(column, descending)
    for flt in (DossierFilter(), DossierFilter(statuses=frozenset({2, 4, 5, 6, 9}))):
        expected = _expected(everything, flt, sort)
        for size in (37, 200):
            got = [r.id for r in _all(dq_store, flt, sort, size)]
            assert got == expected, (column, descending, size, flt)


@pytest.mark.parametrize("mode", ["walk", "collect", "fallback"])
def test_both_plans_and_the_fallback_give_the_same_pages(dq_store, everything, monkeypatch,
                                                         mode) -> None:
    if mode == "fallback":
        monkeypatch.setattr(q, "WALK_BUDGET_S", -1.0)  # every walk is over budget at once
        monkeypatch.setattr(q, "_walk_is_cheaper", lambda *a: True)
    else:
        monkeypatch.setattr(q, "_walk_is_cheaper", lambda *a: mode == "walk")
        monkeypatch.setattr(q, "WALK_BUDGET_S", 60.0)
    filters = _filters(everything)
    for name in ("statuses in progress", "channel post", "received month", "overdue",
                 "due within 10 days", "field", "procedure", "text family", "combined",
                 "combined text"):
        for sort in (SortKey("received_at"), SortKey("received_at", False),
                     SortKey("due_at", False), SortKey("due_at", True),
                     SortKey("applicant_name", False), SortKey("procedure", True),
                     SortKey("code", False)):
            got = [r.id for r in _all(dq_store, filters[name], sort, 61)]
            assert got == _expected(everything, filters[name], sort), (mode, name, sort)


def test_a_page_never_reads_everything(dq_store) -> None:
    with dq_store.reading() as s:
        rows = q.page(s, DossierFilter(), SortKey(), NOW, limit=50)
    assert len(rows) == 50
    assert rows[0].received_at >= rows[-1].received_at


def test_rows_carry_names_and_dates(dq_store, everything) -> None:
    with dq_store.reading() as s:
        rows = q.page(s, DossierFilter(statuses=frozenset({10})), SortKey(), NOW, limit=5)
    by_id = {r["id"]: r for r in everything}
    for row in rows:
        ref = by_id[row.id]
        assert row.procedure_name == ref["procedure"] and row.field_name
        assert row.received_at == ref["received_at"] and row.returned_at is not None
        assert row.applicant_name == ref["applicant_name"]
        assert row.applicant_id_number == ref["applicant_id_number"]


def test_overdue_and_due_soon_flags(dq_store) -> None:
    with dq_store.reading() as s:
        late = q.page(s, DossierFilter(overdue=True), SortKey(), NOW, limit=500)
        soon = q.page(s, DossierFilter(due_within_days=3), SortKey(), NOW, limit=500)
    assert late and all(r.is_overdue(NOW) for r in late)
    assert soon and all(r.is_due_within(NOW, 3) and not r.is_overdue(NOW) for r in soon)


def test_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError):
        SortKey("uid")


# --------------------------------------------------------------------------------- search


def _search(store: Store, query: str) -> list[q.DossierRow]:
    return _all(store, DossierFilter(text=query), SortKey(), 500)


def test_search_ignores_diacritics_and_d_for_dj(dq_store, everything) -> None:
    target = next(r for r in everything if "Đ" in r["applicant_name"]
                  or "đ" in r["applicant_name"])
    typed = fold(target["applicant_name"])  # "nguyen van duc": no marks, d for đ
    assert "đ" not in typed
    found = _search(dq_store, typed)
    assert target["id"] in {r.id for r in found}
    assert {r.id for r in found} == {r.id for r in _search(dq_store, target["applicant_name"])}
    upper = _search(dq_store, typed.upper())
    assert {r.id for r in upper} == {r.id for r in found}


def test_search_by_id_number_phone_and_code(dq_store, everything) -> None:
    target = everything[1234]
    by_id = _search(dq_store, target["applicant_id_number"])
    assert target["id"] in {r.id for r in by_id}
    flt = DossierFilter(text=target["applicant_id_number"])
    assert [r.id for r in by_id] == _expected(everything, flt, SortKey())
    phone = target["applicant_phone"]
    assert target["id"] in {r.id for r in _search(dq_store, phone)}
    spaced = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    assert target["id"] in {r.id for r in _search(dq_store, spaced)}
    dotted = f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"
    assert target["id"] in {r.id for r in _search(dq_store, dotted)}
    found = _search(dq_store, target["code"])
    assert [r.id for r in found] == [target["id"]]
    # The end of a code (day and number) is enough.
    tail = "-".join(target["code"].split("-")[-2:])
    assert target["id"] in {r.id for r in _search(dq_store, tail)}


def test_search_by_submitter_name(dq_store, everything) -> None:
    target = next(r for r in everything if r["submitter_name"])
    found = _search(dq_store, fold(target["submitter_name"]))
    assert target["id"] in {r.id for r in found}


def test_search_finds_a_dossier_still_waiting_in_the_search_queue(dq_store, everything,
                                                                  monkeypatch) -> None:
    from desktop.services import search

    target = everything[2500]
    with dq_store.transaction() as s:
        s.execute(text("UPDATE dossiers SET applicant_name = 'Lò Thị Xuân Quỳnh' WHERE id = :i"),
                  {"i": target["id"]})
        search.enqueue(s, target["id"])  # saved, its search entry not written yet
    try:
        assert [r.id for r in _search(dq_store, "lo thi xuan quynh")] == [target["id"]]
        with dq_store.reading() as s:
            assert q.count(s, DossierFilter(text="Quỳnh Lò"), NOW) == 1
        # A broad query (more matches than ids passed by value) still includes it.
        monkeypatch.setattr(q, "TEXT_IDS_CAP", 50)
        flt = DossierFilter(text="thi")
        found = [r.id for r in _all(dq_store, flt, SortKey(), 1000)]
        assert target["id"] in found and len(found) > 50
        assert sorted(found) == sorted(set(_expected(everything, flt, SortKey())) | {target["id"]})
    finally:
        with dq_store.transaction() as s:
            s.execute(text("UPDATE dossiers SET applicant_name = :n WHERE id = :i"),
                      {"n": target["applicant_name"], "i": target["id"]})
            s.execute(text("DELETE FROM search_queue"))


def test_search_with_nothing_searchable_is_no_filter(dq_store) -> None:
    with dq_store.reading() as s:
        assert q.count(s, DossierFilter(text=" ,.- "), NOW) == N
        assert q.count(s, DossierFilter(text="zzqxw"), NOW) == 0
        assert q.page(s, DossierFilter(text="zzqxw"), SortKey(), NOW) == []


def test_cancelled_query_raises(dq_store) -> None:
    with dq_store.reading() as s, pytest.raises(q.QueryCancelled):
        q.page(s, DossierFilter(statuses=frozenset({10})), SortKey("applicant_name"), NOW,
               cancelled=lambda: True)
    with dq_store.reading() as s:  # the connection is fine afterwards
        assert len(q.page(s, DossierFilter(), SortKey(), NOW, limit=3)) == 3


# -------------------------------------------------------------------------------- plans


def _plans(store: Store, flt: DossierFilter, sort: SortKey, after=None) -> list[list[str]]:
    """The plan of each statement that reads dossier rows (probes and counts left out)."""
    with store.reading() as s:
        return [plan for sql, plan in q.plan_of(s, flt, sort, NOW, after=after)
                if sql.startswith("SELECT d.id, d.code")]


def test_query_plans_use_the_intended_indexes(dq_store, monkeypatch) -> None:
    monkeypatch.setattr(q, "_walk_is_cheaper", lambda *a: True)
    monkeypatch.setattr(q, "WALK_BUDGET_S", 60.0)
    # Walks: the sort column's index, in order (no sort step), from the cursor on.
    for column, index, after in [
        ("received_at", "ix_dossiers_received", (datetime(2025, 6, 1, 9, 0), 5)),
        ("due_at", "ix_dossiers_due", (datetime(2025, 6, 1, 9, 0), 5)),
        ("applicant_name", "ix_dossiers_applicant_sort", ("le van minh", 5)),
        ("status", "ix_dossiers_status", (4, 5)),
        ("channel", "ix_dossiers_channel", ("2", 5)),
        ("procedure", "ix_dossiers_procedure", ("Chứng thực bản sao từ bản chính", 5)),
        ("code", "sqlite_autoindex_dossiers", ("000.00.01.H56-250601-0003", 5)),
    ]:
        # Filters on the sort column itself must not upset the order either.
        for flt in (DossierFilter(channel="1"), DossierFilter(channel="2", procedure_id=1),
                    DossierFilter(statuses=frozenset(IN_PROGRESS), overdue=True),
                    DossierFilter(due_within_days=4, text="nguyen"),
                    DossierFilter(received_from=date(2025, 3, 1), received_to=date(2026, 1, 31))):
            expected = index
            if column == "due_at" and (flt.statuses or flt.overdue or flt.due_within_days):
                expected = "ix_dossiers_status_due (status=?"  # one stream per status, merged
            if column == "received_at" and flt.procedure_id:
                expected = "ix_dossiers_procedure_received (procedure_id=?"
            if column == "received_at" and (flt.statuses or flt.overdue or flt.due_within_days):
                expected = "ix_dossiers_status_received (status=?"  # one stream per status
            for cursor in (None, after):
                plans = _plans(dq_store, flt, SortKey(column), cursor)
                assert plans
                for plan in plans:
                    assert expected in plan[0], (column, cursor, plan)
                    assert not any("TEMP B-TREE" in line for line in plan), (column, plan)
                    if cursor is not None and column != "procedure":
                        assert plan[0].startswith("SEARCH d"), (column, plan)  # seeks
    monkeypatch.setattr(q, "_walk_is_cheaper", lambda *a: False)
    # Collecting: the most selective term's index drives, then a sort.
    for flt, index in [
        (DossierFilter(statuses=frozenset({1}), channel="2"), "ix_dossiers_status (status=?)"),
        (DossierFilter(overdue=True), "ix_dossiers_status_due (status=? AND due_at"),
        (DossierFilter(procedure_id=1, channel="1"), "ix_dossiers_procedure (procedure_id=?)"),
        (DossierFilter(text="nguyen van duc", statuses=frozenset({10})),
         "USING INTEGER PRIMARY KEY (rowid=?)"),
    ]:
        plans = _plans(dq_store, flt, SortKey("applicant_name"))
        assert plans
        for plan in plans:
            assert index in plan[0], (flt, plan)


def test_no_query_scans_the_whole_table(dq_store, everything) -> None:
    for flt in _filters(everything).values():
        for column in q.SORT_COLUMNS:
            for plan in _plans(dq_store, flt, SortKey(column)):
                for line in plan:
                    assert not re.match(r"SCAN d($| )(?!USING)", line), (flt, column, plan)


# -------------------------------------------------------------------------------- detail


def test_detail_has_fields_components_fees_and_timeline(dq_store) -> None:
    with dq_store.reading() as s:
        (dossier_id,) = s.execute(text(
            "SELECT d.id FROM dossiers d WHERE d.status = 10 AND d.submitter_name != '' "
            "AND EXISTS (SELECT 1 FROM dossier_fees f WHERE f.dossier_id = d.id) LIMIT 1")).one()
        d = q.detail(s, dossier_id)
        steps = s.execute(text("SELECT status, acted_at FROM progress_rows WHERE dossier_id = :i "
                               "ORDER BY acted_at, id"), {"i": dossier_id}).all()
        n_components = s.execute(text("SELECT count(*) FROM dossier_components "
                                      "WHERE dossier_id = :i"), {"i": dossier_id}).scalar()
    assert d.id == dossier_id and d.status == 10 and d.code
    assert d.procedure_name and d.procedure_code and d.field_name
    assert d.has_submitter and d.submitter_name
    assert len(d.components) == n_components > 0
    assert all(c.name for c in d.components)
    assert d.fees and sum(f.amount for f in d.fees) == d.fee_total
    assert [t.status for t in d.timeline] == [st for st, _ in steps]
    assert [t.acted_at for t in d.timeline] == sorted(t.acted_at for t in d.timeline)
    assert d.timeline[-1].status == 10 and d.timeline[0].officer_name
    assert d.received_by  # the officer who received it


def test_detail_of_a_missing_dossier(dq_store) -> None:
    with dq_store.reading() as s, pytest.raises(q.DossierNotFound) as err:
        q.detail(s, 10_000_000)
    assert "Không tìm thấy" in err.value.message_vi


# ----------------------------------------------------------------------- the CLI `find`


def test_cli_find(demo_paths, tmp_path, everything, capsys) -> None:
    from desktop.cli import main

    copy = tmp_path / "office"
    shutil.copytree(demo_paths.root, copy, ignore=shutil.ignore_patterns("*.lock", "backups"))
    target = next(r for r in everything if r["status"] == 10 and r["code"])
    assert main(["--data-dir", str(copy), "find", target["code"]]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    code, status, received, name, procedure = out[0].split("\t")
    assert code == target["code"] and status == "Đã trả kết quả"
    assert received == target["received_at"].strftime("%d/%m/%Y %H:%M")
    assert name == target["applicant_name"] and procedure == target["procedure"]

    assert main(["--data-dir", str(copy), "find", "nguyen", "--limit", "7"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 7
    received = [datetime.strptime(line.split("\t")[2], "%d/%m/%Y %H:%M") for line in lines
                if line.split("\t")[2]]
    assert received == sorted(received, reverse=True)  # newest first

    assert main(["--data-dir", str(copy), "find", "khongcoaitenvay"]) == 1
    captured = capsys.readouterr()
    assert "Không tìm thấy hồ sơ nào." in captured.out + captured.err
    logs = "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in Path(copy, "logs").glob("*") if p.is_file())
    assert target["applicant_name"] not in logs and target["code"] not in logs


def test_filter_is_hashable_and_replaceable() -> None:
    flt = DossierFilter(statuses=frozenset({1}))
    assert hash(flt) == hash(replace(flt))
    assert replace(flt, text="x") != flt


def test_a_rare_status_goes_into_a_broad_text_search(dq_store, everything, monkeypatch) -> None:
    """Text matching many dossiers + a status few have: the FTS index answers both at once
    (column st), with the same rows, also for a dossier whose status changed a moment ago."""
    monkeypatch.setattr(q, "TEXT_IDS_CAP", 50)  # "thi" is then a broad (FTS) term
    flt = DossierFilter(statuses=frozenset({5, 6}), text="thi")
    expected = _expected(everything, flt, SortKey())
    assert 0 < len(expected) < len(_expected(everything, DossierFilter(text="thi"), SortKey()))
    narrowed: list[str] = []
    real = q.search.with_statuses
    monkeypatch.setattr(q.search, "with_statuses",
                        lambda *a: narrowed.append(real(*a)) or narrowed[-1])
    assert [r.id for r in _all(dq_store, flt, SortKey(), 7)] == expected
    assert narrowed and narrowed[0].endswith("{st} : (s5 OR s6)")

    # A dossier moved into status 5 and not yet re-indexed (its st still says otherwise).
    from desktop.services import search

    target = next(r for r in everything if r["status"] == 10 and "thi" in r["tokens"])
    with dq_store.transaction() as s:
        s.execute(text("UPDATE dossiers SET status = 5 WHERE id = :i"), {"i": target["id"]})
        search.enqueue(s, target["id"])
    try:
        got = [r.id for r in _all(dq_store, flt, SortKey(), 1000)]
        assert target["id"] in got
        with dq_store.reading() as s:
            assert q.count(s, flt, NOW) == len(got)
        search.drain(dq_store)  # re-indexed: st now says s5
        assert [r.id for r in _all(dq_store, flt, SortKey(), 1000)] == got
    finally:
        with dq_store.transaction() as s:
            s.execute(text("UPDATE dossiers SET status = 10 WHERE id = :i"), {"i": target["id"]})
            search.enqueue(s, target["id"])
        search.drain(dq_store)


def test_search_words_never_match_the_status_column(dq_store, everything) -> None:
    """"s1" or "s" typed in the search box are text, not status tokens."""
    for typed in ("s1", "s10", "s"):
        got = {r.id for r in _all(dq_store, DossierFilter(text=typed), SortKey(), 1000)}
        assert got == set(_expected(everything, DossierFilter(text=typed), SortKey())), typed


def test_names_sort_with_tone_marks_and_d_ignored(dq_store, everything) -> None:
    """Code-point order put "Đặng…", "Ánh…" after "Zô…"; the list sorts them among D and A."""
    rows = _all(dq_store, DossierFilter(), SortKey("applicant_name", False), 500)
    keys = [sort_key(r.applicant_name) for r in rows]
    assert keys == sorted(keys)
    firsts = [r.applicant_name[0] for r in rows]
    assert "Đ" in firsts and firsts.index("Đ") < firsts.index("N")
    with dq_store.reading() as s:
        procs = q.page(s, DossierFilter(), SortKey("procedure", False), NOW, limit=2000)
    names = list(dict.fromkeys(r.procedure_name for r in procs))
    assert names == sorted(names, key=lambda n: (sort_key(n), n))
