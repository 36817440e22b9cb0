"""What the desk takes from the province besides statuses, against the real reference
server on 127.0.0.1 and a real SQLite store: the catalogue and the official calendar once
a day, the files citizens uploaded with online dossiers (checked by hash), supplement
rounds the province ended, and the papers and fees the desk's changes carry up."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from desktop.services import processing, settings
from desktop.services.calendar import set_override
from desktop.services.digitisation import file_store
from desktop.store.models import (
    Attachment,
    AuditEvent,
    CalendarOverride,
    Dossier,
    DossierComponent,
    Procedure,
    StoredFile,
    SupplementRound,
    SyncFile,
)
from sync.engine import ONLINE_FILE_OWNER
from sync.protocol import ProcedureRecord
from sync.server import models as m
from sync.server.province import add_status_change, citizen_pdf, create_online_dossiers
from tests.sync.desk_support import assert_converged


def _bump(province, key: str, value: str) -> None:
    with province.store.write() as s:
        s.execute(update(m.Meta).where(m.Meta.key == key).values(value=value))


# ----------------------------------------------------------- catalogue and calendar


def test_catalogue_and_calendar_come_once_a_day_and_the_office_keeps_its_own_days(
        desk, province) -> None:
    # The office marked a day of its own before the province published its calendar.
    own_day = date(2027, 3, 8)
    with desk.store.transaction() as s:
        set_override(s, desk.admin, own_day, "day_off", "Nghỉ bù của xã")
    first = desk.engine().run_round()
    assert first.ok, first.summary_vi()
    # The desk was seeded from the same published data: nothing to change.
    assert (first.catalogue_changes, first.calendar_changes) == (0, 0), first.summary_vi()
    with desk.store.reading() as s:
        catalogue_version = settings.get(s, "sync.catalogue_version")
        calendar_version = settings.get(s, "sync.calendar_version")
        checked = settings.get(s, "sync.reference_checked_at")
    assert catalogue_version and calendar_version and checked

    # The province publishes a new name, a new fee and a new day off, and moves a day.
    with province.store.write() as s:
        row = s.get_one(m.Procedure, "1.004873")
        record = ProcedureRecord.model_validate_json(row.record)
        record.name = record.name + " (sửa đổi)"
        row.record, row.name = record.model_dump_json(), record.name
        s.add(m.CalendarDay(day=date(2027, 6, 15), kind="day_off", name="Nghỉ theo quyết định của tỉnh",
                            status="announced"))
        s.add(m.CalendarDay(day=own_day, kind="working_day", name="Làm bù", status="announced"))
    _bump(province, "catalogue_version", "v-new")
    _bump(province, "calendar_version", "c-new")

    # Within a day nothing is asked again.
    soon = desk.engine(clock=lambda: datetime.now() + timedelta(hours=1)).run_round()
    assert soon.catalogue_changes == 0 and soon.calendar_changes == 0
    with desk.store.reading() as s:
        assert s.get(CalendarOverride, date(2027, 6, 15)) is None

    later = desk.engine(clock=lambda: datetime.now() + timedelta(hours=25)).run_round()
    assert later.ok, later.summary_vi()
    assert later.catalogue_changes == 1 and later.calendar_changes >= 1
    assert "danh mục của tỉnh" in later.summary_vi()
    with desk.store.reading() as s:
        name = s.execute(select(Procedure.name).where(Procedure.code == "1.004873")).scalar_one()
        assert name.endswith("(sửa đổi)")
        added = s.get_one(CalendarOverride, date(2027, 6, 15))
        assert (added.kind, added.source) == ("day_off", "province")
        own = s.get_one(CalendarOverride, own_day)
        assert (own.kind, own.source) == ("day_off", "office")  # the office's decision stays
        assert settings.get(s, "sync.catalogue_version") == "v-new"
        actions = set(s.execute(select(AuditEvent.action).where(
            AuditEvent.actor_name == "province")).scalars())
        assert {"catalogue.refresh", "calendar.province"} <= actions

    # The province withdraws its estimated day: the desk's copy goes too.
    with province.store.write() as s:
        s.delete(s.get_one(m.CalendarDay, date(2027, 6, 15)))
    _bump(province, "calendar_version", "c-newer")
    again = desk.engine(clock=lambda: datetime.now() + timedelta(hours=50)).run_round()
    assert again.calendar_changes == 1
    with desk.store.reading() as s:
        assert s.get(CalendarOverride, date(2027, 6, 15)) is None


def test_papers_of_a_used_procedure_stay_when_the_province_changes_them(desk, province) -> None:
    desk.receive()  # a dossier now points at the procedure's papers
    desk.engine().run_round()
    with province.store.write() as s:
        row = s.get_one(m.Procedure, "1.004873")
        record = ProcedureRecord.model_validate_json(row.record)
        record.components = record.components[:1]
        row.record = record.model_dump_json()
    _bump(province, "catalogue_version", "v-papers")
    with desk.store.reading() as s:
        before = s.execute(select(Procedure).where(Procedure.code == "1.004873")
                           ).scalar_one().components
        names = [c.name for c in before]
    desk.engine(clock=lambda: datetime.now() + timedelta(hours=25)).run_round()
    with desk.store.reading() as s:
        proc = s.execute(select(Procedure).where(Procedure.code == "1.004873")).scalar_one()
        assert [c.name for c in proc.components] == names
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "catalogue.refresh")
                          .order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        assert "1.004873" in json.loads(event.after)["papers_kept"]


# ----------------------------------------------------------------- online files


def test_online_dossiers_files_are_downloaded_checked_and_never_sent_back(desk, province) -> None:
    uids = create_online_dossiers(province.store, desk.agency, 2, seed=21)
    report = desk.engine().run_round()
    assert report.ok, report.summary_vi()
    with desk.store.reading() as s:
        comps = s.execute(select(DossierComponent).join(Dossier).where(
            Dossier.uid.in_(uids))).scalars().all()
        shas = {c.file_sha256 for c in comps}
        assert comps and None not in shas
        assert report.files_downloaded == len(comps)
        files = file_store(desk.store)
        for sha in shas:
            assert files.read(sha, verify=True).startswith(b"%PDF-")
            stored = s.get_one(StoredFile, sha)
            assert stored.mime == "application/pdf" and stored.pages == 1
            assert s.get(SyncFile, sha) is not None
        owners = set(s.execute(select(Attachment.officer_name).where(
            Attachment.sha256.in_(shas), Attachment.removed_at.is_(None))).scalars())
        assert owners == {ONLINE_FILE_OWNER}
    # The officer sees them as the dossier's digitised papers and can open them.
    from desktop.services.digitisation import attachment_path, digitisation_summary

    with desk.store.reading() as s:
        dossier_id = s.execute(select(Dossier.id).where(Dossier.uid == uids[0])).scalar_one()
        summary = digitisation_summary(s, dossier_id)
    assert summary.components_done == summary.components_total > 0
    item = summary.components[0]
    assert item.officer_name == ONLINE_FILE_OWNER and item.pages == 1
    assert attachment_path(desk.store, item.attachment_id).read_bytes().startswith(b"%PDF-")
    second = desk.engine().run_round()
    assert second.files_downloaded == 0 and second.files_uploaded == 0
    assert_converged(desk.store, province.store, desk.agency)


def test_a_corrupt_file_from_the_province_is_not_kept_and_comes_later(desk, province) -> None:
    [uid] = create_online_dossiers(province.store, desk.agency, 1, seed=22)
    with province.store.write() as s:
        row = s.get_one(m.Dossier, s.execute(select(m.Dossier.id).where(m.Dossier.uid == uid)
                                             ).scalar_one())
        sha = json.loads(row.related)["components"][0]["file_sha256"]
        chunk = s.execute(select(m.FileChunk).where(m.FileChunk.sha256 == sha)).scalar_one()
        good = chunk.data
        chunk.data = good[:-8] + b"garbage!"
    report = desk.engine().run_round()
    with desk.store.reading() as s:
        assert s.get(StoredFile, sha) is None  # never kept
        dossier_id = s.execute(select(Dossier.id).where(Dossier.uid == uid)).scalar_one()
        papers = s.execute(select(DossierComponent.id, DossierComponent.file_sha256).where(
            DossierComponent.dossier_id == dossier_id).order_by(DossierComponent.id)).all()
        broken_id = next(cid for cid, h in papers if h == sha)
        # The next round looks again from the paper that waits, not from the start.
        assert settings.get(s, "sync.downloads_from") == broken_id
    assert not file_store(desk.store).exists(sha)
    assert report.files_downloaded == len([h for _, h in papers if h != sha])
    with province.store.write() as s:
        s.execute(update(m.FileChunk).where(m.FileChunk.sha256 == sha).values(data=good))
    later = desk.engine().run_round()
    assert later.files_downloaded == 1
    with desk.store.reading() as s:
        assert s.get(StoredFile, sha) is not None
        assert settings.get(s, "sync.downloads_from") > max(cid for cid, _ in papers)
    assert desk.engine().run_round().files_downloaded == 0


def test_the_citizen_pdf_is_a_readable_pdf() -> None:
    from desktop.scanning.pdf import count_pages

    data = citizen_pdf("Tờ khai đăng ký khai sinh (bản chính)", "Nguyễn Thị Hồng Nhung")
    assert count_pages(data) == 1


# ------------------------------------------------------------ supplement rounds


def test_a_withdrawal_at_the_province_closes_the_open_supplement_round(desk, province) -> None:
    d = desk.receive()
    desk.hand_over(d)
    processing.request_supplement(desk.store, desk.specialist, d, ["Giấy chứng sinh (bản chính)"],
                                  "Thiếu giấy chứng sinh")
    assert desk.engine().run_round().ok
    with desk.store.reading() as s:
        uid = s.get_one(Dossier, d).uid
    add_status_change(province.store, desk.agency, uid, 7)
    report = desk.engine().run_round()
    assert report.province_changes == 1, report.summary_vi()
    with desk.store.reading() as s:
        dossier = s.get_one(Dossier, d)
        rounds = s.execute(select(SupplementRound).where(SupplementRound.dossier_id == d)
                           ).scalars().all()
        assert dossier.status == 7 and [r.state for r in rounds] == ["closed"]
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "sync.province_status")
                          .order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        assert "closed" in event.after


# ------------------------------------------------------- papers and fees go up


def test_the_desk_sends_its_papers_fees_and_digitised_files(desk, province) -> None:
    d = desk.receive()
    sha = desk.digitise(d, citizen_pdf("Tờ khai", "Nguyễn Văn Đức"))
    assert desk.engine().run_round().ok
    with desk.store.reading() as s:
        uid = s.get_one(Dossier, d).uid
        local_names = [c.name for c in s.execute(select(DossierComponent).where(
            DossierComponent.dossier_id == d).order_by(DossierComponent.position)).scalars()]
    with province.store.read() as s:
        related = json.loads(s.execute(select(m.Dossier.related).where(m.Dossier.uid == uid)
                                       ).scalar_one())
    assert [c["name"] for c in related["components"]] == local_names
    digitised = [c for c in related["components"] if c["file_sha256"]]
    assert [(c["file_sha256"], c["digitisation_state"]) for c in digitised] == [(sha, 1)]
    assert isinstance(related["fees"], list)


def test_a_paper_digitised_after_the_dossier_went_up_follows_as_its_own_change(
        desk, province) -> None:
    from desktop.store.models import OutboxItem

    d = desk.receive()
    assert desk.engine().run_round().ok
    # Content of its own: the server keeps one copy of equal files, under the first office.
    sha = desk.digitise(d, citizen_pdf("Tờ khai", f"Nguyễn Văn Đức {d} {desk.agency}"))
    with desk.store.reading() as s:
        kinds = s.execute(select(OutboxItem.kind, OutboxItem.state).where(
            OutboxItem.dossier_id == d).order_by(OutboxItem.id)).all()
        uid = s.get_one(Dossier, d).uid
    assert [tuple(k) for k in kinds] == [("dossier.received", "sent"),
                                         ("dossier.papers", "pending")]
    report = desk.engine().run_round()
    assert report.ok and report.pushed == 1 and report.files_uploaded == 1, report.summary_vi()
    with province.store.read() as s:
        row = s.execute(select(m.Dossier).where(m.Dossier.uid == uid)).scalar_one()
        assert (row.version, row.status) == (2, 2)
        related = json.loads(row.related)
    assert [c["file_sha256"] for c in related["components"] if c["file_sha256"]] == [sha]
    assert_converged(desk.store, province.store, desk.agency)
