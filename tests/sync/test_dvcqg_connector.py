"""The national-portal connector (sync/connectors/dvcqg.py) against the reference server's
/dvcqg router on 127.0.0.1: the desk's outbox pushed as DongBoHoSoMC / CapNhatTienDoHoSoMC
in batches, a repeat that duplicates nothing, TraCuuHoSo showing what was sent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from desktop.services import settings
from desktop.store.models import Dossier, OutboxItem, OutboxState, ProgressRow, SyncConflict
from sync.client import AuthRequired
from sync.connectors.dvcqg import DvcqgEngine, PortalClient
from sync.engine import SyncEngine, make_engine
from sync.server import models as m
from tests.sync.desk_support import Desk, make_desk, outbox_states
from tests.sync.support import PASSWORD


@pytest.fixture
def desk(province, store, memory_keyring) -> Desk:
    d = make_desk(store, province.store, province.base_url)
    with d.store.transaction() as s:
        settings.put(s, "sync.connector", "dvcqg")
    return d


def portal(desk: Desk, **kwargs) -> PortalClient:
    return PortalClient(f"{desk.base_url}/dvcqg", desk.agency, "tiepnhan1", **kwargs)


def engine(desk: Desk, client: PortalClient, **kwargs) -> SyncEngine:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.05)
    return make_engine(desk.store, client, desk.clerk, **kwargs)


def server_counts(province, agency: str) -> tuple[int, int, dict[str, int]]:
    with province.store.read() as s:
        office_id = s.execute(select(m.Office.id).where(m.Office.agency_code == agency)
                              ).scalar_one()
        rows = s.execute(select(m.Dossier.id, m.Dossier.code, m.Dossier.status).where(
            m.Dossier.office_id == office_id)).all()
        ids = [r.id for r in rows]
        progress = s.execute(select(func.count()).select_from(m.ProgressRow).where(
            m.ProgressRow.dossier_id.in_(ids))).scalar_one() if ids else 0
    return len(rows), progress, {r.code: r.status for r in rows}


def local(desk: Desk) -> tuple[dict[str, int], int]:
    with desk.store.reading() as s:
        dossiers = dict(s.execute(select(Dossier.code, Dossier.status)).all())
        progress = s.execute(select(func.count()).select_from(ProgressRow)).scalar_one()
    return dossiers, progress


def test_push_by_configuration(province, desk: Desk) -> None:
    ids = [desk.receive() for _ in range(7)]
    for dossier_id in ids[:3]:
        desk.hand_over(dossier_id)  # a second change of the same dossier, in order
    client = portal(desk)
    client.login(PASSWORD)
    eng = engine(desk, client, batch_size=4)  # several waves
    assert isinstance(eng, DvcqgEngine)
    report = eng.run_round()
    assert report.state == "ok", report.message_vi
    assert report.pushed == 10 and report.new_conflicts == 0
    assert set(outbox_states(desk.store)) == {"sent"}

    codes, progress_rows = local(desk)
    n, server_progress, statuses = server_counts(province, desk.agency)
    assert n == 7 and statuses == codes
    assert server_progress == progress_rows == 10

    # TraCuuHoSo shows them, in the portal's format
    for code, status in codes.items():
        found = client.lookup(code)
        assert found is not None and found["MaHoSo"] == code
        assert found["TrangThaiHoSo"] == str(status)
        assert len(found["NgayTiepNhan"]) == 14
    assert client.lookup(f"{desk.agency}-260101-9999") is None

    # a repeat (the answers were lost): nothing duplicated
    with desk.store.transaction() as s:
        s.execute(update(OutboxItem).values(state=OutboxState.PENDING))
    fresh = portal(desk)  # the stored password opens a new session
    report = engine(desk, fresh).run_round()
    assert report.state == "ok" and report.pushed == 10
    assert server_counts(province, desk.agency) == (n, server_progress, statuses)
    fresh.close()
    client.close()


def test_refusal_is_a_conflict_and_holds_the_dossier(province, desk: Desk,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = desk.receive(), desk.receive()
    desk.hand_over(a)  # a's second item waits behind its refused first one
    with desk.store.reading() as s:
        code_a = s.get_one(Dossier, a).code
    client = portal(desk)
    client.login(PASSWORD)
    real = client.push_dossiers

    def refuse_a(hosos, *, updating):
        answers = real([h for h in hosos if h.MaHoSo != code_a], updating=updating)
        it = iter(answers)
        return [(4, f"Hồ sơ {code_a} không hợp lệ: TrangThaiHoSo.") if h.MaHoSo == code_a
                else next(it) for h in hosos]

    monkeypatch.setattr(client, "push_dossiers", refuse_a)
    report = engine(desk, client).run_round()
    assert report.state == "ok" and report.pushed == 1 and report.new_conflicts == 1
    with desk.store.reading() as s:
        states = dict(s.execute(select(OutboxItem.id, OutboxItem.state).where(
            OutboxItem.dossier_id == a).order_by(OutboxItem.id)).all())
        conflict = s.execute(select(SyncConflict)).scalar_one()
        assert conflict.blocking and "không hợp lệ" in conflict.message
    assert list(states.values()) == ["conflict", "pending"]
    assert client.lookup(code_a) is None
    _n, _p, statuses = server_counts(province, desk.agency)
    assert len(statuses) == 1 and b


def test_no_stored_password_needs_login(desk: Desk) -> None:
    desk.receive()
    report = engine(desk, portal(desk)).run_round()
    assert report.state == "needs_login"
    assert set(outbox_states(desk.store)) == {"pending"}
    with pytest.raises(AuthRequired):
        portal(desk).login("sai-mat-khau")


def test_offline_marks_failed(desk: Desk) -> None:
    desk.receive()
    client = portal(desk)
    client.login(PASSWORD)
    client._http.close()  # noqa: SLF001 - the line goes down after login
    dead = PortalClient("http://127.0.0.1:9/dvcqg", desk.agency, "tiepnhan1")
    dead._session = "x"  # noqa: SLF001 - a session opened before the line went down
    report = engine(desk, dead).run_round()
    assert report.state == "offline"
    assert set(outbox_states(desk.store)) == {"failed"}
