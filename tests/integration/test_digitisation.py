"""Digitisation end to end on real parts: SANE's `test` scanner, the file store, SQLite, Tesseract.

The SANE test device is reached through a SANE_CONFIG_DIR whose dll.conf lists
only `test`, so nothing on the machine needs configuring and no other backend
is probed. Tests that need scanimage or tesseract are skipped, with the reason,
when they are missing (scripts/bootstrap.sh installs both).
"""

from __future__ import annotations

import io
import os
import shutil
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desktop import cli
from desktop.scanning import ocr
from desktop.scanning.pages import Workspace
from desktop.scanning.profiles import ColourMode, ScanProfile
from desktop.scanning.sources import FileImport, SaneScanner
from desktop.services import audit, digitisation
from desktop.services.actor import Actor
from desktop.services.digitisation import DigitisationRefused
from desktop.services.maintenance import run_check
from desktop.store.files import FileStore
from desktop.store.models import (
    Attachment,
    AuditEvent,
    Dossier,
    DossierComponent,
    DossierResult,
    Field,
    Officer,
    Procedure,
    Role,
    StoredFile,
)
from tests.digitisation_samples import text_page

NOW = datetime(2026, 11, 28, 9, 30)
CITIZEN = "079123456789"
OTHER = "001190000001"

needs_sane = pytest.mark.skipif(shutil.which("scanimage") is None,
                                reason="scanimage (Debian sane-utils) is not installed")


@pytest.fixture
def sane_env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n")
    return {"SANE_CONFIG_DIR": str(folder)}


@pytest.fixture
def desk(store) -> Actor:
    with store.transaction() as s:
        officer = Officer(username="tiepnhan1", full_name="Trần Thị Thu Hà", password_hash="x",
                          created_at=NOW)
        s.add(officer)
        s.flush()
        return Actor(officer.id, officer.full_name, roles=frozenset({Role.FRONT_DESK}))


def make_dossier(store, id_number: str = CITIZEN, *, papers: tuple[str, ...] = (
        "Tờ khai đăng ký khai sinh", "Giấy chứng sinh"), results: tuple[str, ...] = (),
        status: int = 2, secret: bool = False) -> tuple[int, list[int], list[int]]:
    with store.transaction() as s:
        field = s.execute(select(Field).where(Field.code == "HT")).scalar_one_or_none()
        if field is None:
            field = Field(code="HT", name="Hộ tịch")
            s.add(field)
            s.flush()
            s.add(Procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", field_id=field.id))
            s.flush()
        proc = s.execute(select(Procedure.id).where(Procedure.code == "1.001193")).scalar_one()
        n = s.execute(select(func.count(Dossier.id))).scalar_one() + 1
        d = Dossier(uid=str(uuid.uuid4()), code=f"000.00.01.H56-261128-{n:04d}",
                    procedure_id=proc, status=status, applicant_name="Nguyễn Văn An",
                    applicant_id_number=id_number, state_secret=secret, created_at=NOW,
                    updated_at=NOW)
        s.add(d)
        s.flush()
        comps = [DossierComponent(dossier_id=d.id, name=name, position=i, present=True,
                                  digitisation_state=0) for i, name in enumerate(papers)]
        res = [DossierResult(dossier_id=d.id, name=name, recorded_at=NOW) for name in results]
        s.add_all(comps + res)
        s.flush()
        return d.id, [c.id for c in comps], [r.id for r in res]


def _files(store) -> list[str]:
    return list(FileStore(store.paths).stored_hashes())


def _pdf_with_pages(tmp_path: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        paths.append(tmp_path / f"trang-{i}.png")
        text_page(60, lines=6, seed=i).save(paths[-1], dpi=(60, 60))
    return paths


# ------------------------------------------------------------ SANE end to end


@needs_sane
def test_sane_test_scanner_to_pdf_to_component_then_check(store, desk, sane_env, tmp_path,
                                                          capsys) -> None:
    scanner = SaneScanner(env=sane_env, extra_args=("--test-picture", "Grid"))
    devices = scanner.devices()
    assert "test:0" in [d.id for d in devices]
    dossier_id, (form_id, _), _ = make_dossier(store)
    profile = ScanProfile(75, ColourMode.GREY)
    with digitisation.new_workspace(store.paths) as ws:
        assert ws.folder.parent == store.paths.work
        seen = []
        outcome = ws.capture(scanner.source("test:0", profile, max_pages=3), on_page=seen.append)
        assert outcome.ok and len(ws) == 3 and seen == list(ws.pages)
        info = digitisation.digitise(store, desk, dossier_id, ws.pages, component_id=form_id,
                                     now=NOW)
    assert not ws.folder.exists()  # the scans are gone once the PDF is kept

    assert info.state == 1 and info.pages == 3 and info.kind == "component"
    path = digitisation.attachment_path(store, info.id)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 3
    assert reader.metadata["/MotCuaComponent"] == "Tờ khai đăng ký khai sinh"
    with store.reading() as s:
        comp = s.get(DossierComponent, form_id)
        assert (comp.digitisation_state, comp.file_sha256) == (1, info.sha256)
        assert s.get(StoredFile, info.sha256).pages == 3
        event = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert (event.action, event.actor_name) == ("dossier.digitise", "Trần Thị Thu Hà")
        assert audit.verify_chain(s) == []
        summary = digitisation.digitisation_summary(s, dossier_id)
    assert summary.text_vi == "1/2 thành phần đã số hóa"
    assert summary.components[0].sha256 == info.sha256 and summary.components[0].pages == 3
    assert summary.components[0].state_label_vi == "Đã số hóa khi tiếp nhận"

    report = run_check(store)
    assert report.ok, report.problems
    assert "Tệp số hóa: 1 tệp, đủ và nguyên vẹn." in report.notes

    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed on disk, same size
    path.write_bytes(bytes(data))
    report = run_check(store)
    assert [p.kind for p in report.file_problems] == ["corrupt"]
    assert any("bị thay đổi hoặc hỏng" in p and info.sha256 in p and
               "Tờ khai đăng ký khai sinh" in p for p in report.problems)
    assert run_check(store, full=False).ok  # the quick check compares sizes only

    path.unlink()
    report = run_check(store)
    assert [p.kind for p in report.file_problems] == ["missing"]
    assert any(p.startswith("Thiếu 1 tệp số hóa") and info.sha256 in p for p in report.problems)
    store.close()
    assert cli.main(["--data-dir", str(store.paths.root), "check", "--quick"]) == 1
    out = capsys.readouterr().out
    assert "✗ Thiếu 1 tệp số hóa được tham chiếu:" in out and info.sha256[:16] in out


@needs_sane
def test_scanner_dying_in_the_middle_of_a_batch_keeps_the_pages_captured(
        sane_env, tmp_path) -> None:
    # Slow pages (~0.25 s each) so the scanner can be "unplugged" while the third one comes in.
    slow = ("--test-picture", "Grid", "--read-limit=yes", "--read-limit-size=8192",
            "--read-delay=yes", "--read-delay-duration=50000")
    scanner = SaneScanner(env=sane_env, extra_args=slow)
    batch = scanner.source("test:0", ScanProfile(100, ColourMode.GREY, feeder=True),
                           max_pages=8)
    kept = []

    def unplug_after_two(page) -> None:  # noqa: ANN001
        kept.append(page)
        if len(kept) == 2:
            batch.process.kill()  # the scanner program dies, as when the cable is pulled

    with Workspace(parent=tmp_path) as ws:
        outcome = ws.capture(batch, on_page=unplug_after_two)
        assert len(ws) == 2 and list(ws.pages) == kept
        assert outcome.error is not None and outcome.error.code == "scanner_stopped"
        assert "2 trang đã quét trước đó vẫn được giữ" in outcome.error.message_vi
        assert all(p.path.is_file() for p in ws.pages)

        broken = SaneScanner(env=sane_env, extra_args=("--read-return-value",
                                                       "SANE_STATUS_IO_ERROR"))
        outcome = ws.capture(broken.source("test:0", ScanProfile(100)))
        assert outcome.error.code == "scanner_io_error"
        assert "Mất kết nối với máy quét" in outcome.error.message_vi
        assert len(ws) == 2  # still the two pages from before

        outcome = ws.capture(scanner.source("test:9", ScanProfile(100)))
        assert outcome.error.code == "scanner_not_found"
        assert "Không mở được máy quét" in outcome.error.message_vi

        stuck = SaneScanner(env=sane_env, extra_args=(
            "--read-limit=yes", "--read-limit-size=1024", "--read-delay=yes",
            "--read-delay-duration=200000"))  # a page would take ~15 s: the scanner "hangs"
        outcome = ws.capture(stuck.source("test:0", ScanProfile(600), page_timeout=0.5))
        assert outcome.error.code == "scanner_hung"
        assert "không phản hồi" in outcome.error.message_vi
        assert "2 trang đã quét trước đó vẫn được giữ" not in outcome.error.message_vi
        assert len(ws) == 2


# ---------------------------------------------------------- results, secrets


def test_results_are_digitised_and_state_secret_dossiers_never(store, desk, tmp_path) -> None:
    dossier_id, _, (result_id,) = make_dossier(store, results=("Giấy khai sinh (bản chính)",))
    with Workspace(parent=tmp_path) as ws:
        ws.capture(FileImport(_pdf_with_pages(tmp_path, 2), ScanProfile(75)))
        info = digitisation.digitise(store, desk, dossier_id, ws.pages, result_id=result_id,
                                     valid_until=None, now=NOW)
        assert info.kind == "result" and info.pages == 2
        with store.reading() as s:
            summary = digitisation.digitisation_summary(s, dossier_id)
        assert summary.text_vi == "0/2 thành phần đã số hóa; 1/1 kết quả đã số hóa"
        assert summary.results[0].state_label_vi == "Đã số hóa"

        secret_id, (secret_comp,), _ = make_dossier(store, papers=("Tờ khai",), secret=True)
        files_before = _files(store)
        with store.reading() as s:
            assert "bí mật nhà nước" in digitisation.refusal_reason(s, secret_id)
        with pytest.raises(DigitisationRefused) as refused:
            digitisation.digitise(store, desk, secret_id, ws.pages, component_id=secret_comp)
        assert refused.value.code == "state_secret"
        assert "không bao giờ được số hóa" in refused.value.message_vi
        with pytest.raises(DigitisationRefused):
            digitisation.attach_pdf(store, desk, secret_id, component_id=secret_comp,
                                    data=store.paths.files.joinpath(
                                        info.sha256[:2], info.sha256).read_bytes())
    assert _files(store) == files_before  # nothing written for the secret dossier
    with store.reading() as s:
        assert s.get(DossierComponent, secret_comp).digitisation_state == 0
        assert s.execute(select(func.count(Attachment.id))
                         .where(Attachment.dossier_id == secret_id)).scalar_one() == 0


def test_digitising_again_replaces_and_the_same_content_is_stored_once(store, desk) -> None:
    dossier_id, (form_id, other_id), _ = make_dossier(store)
    doc = pikepdf.new()
    doc.add_blank_page()
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    first = digitisation.attach_pdf(store, desk, dossier_id, component_id=form_id, data=data,
                                    now=NOW)
    second = digitisation.attach_pdf(store, desk, dossier_id, component_id=form_id, data=data,
                                     now=NOW + timedelta(minutes=1))
    third = digitisation.attach_pdf(store, desk, dossier_id, component_id=other_id, data=data,
                                    now=NOW)
    assert first.sha256 == second.sha256 == third.sha256 and len(_files(store)) == 1
    with store.reading() as s:
        assert s.get(Attachment, first.id).removed_at == NOW + timedelta(minutes=1)
        assert digitisation.digitisation_summary(s, dossier_id).components_done == 2
    digitisation.detach(store, desk, third.id)
    with store.reading() as s:
        comp = s.get(DossierComponent, other_id)
        assert (comp.digitisation_state, comp.file_sha256) == (0, None)
    with pytest.raises(DigitisationRefused) as not_pdf:
        digitisation.attach_pdf(store, desk, dossier_id, component_id=form_id, data=b"GIF89a")
    assert not_pdf.value.code == "not_pdf"


# ------------------------------------------------------------------ reuse


def test_a_returning_citizen_reuses_papers_and_results_without_scanning(store, desk,
                                                                       tmp_path) -> None:
    earlier, (birth_form, id_card), (result_id,) = make_dossier(
        store, papers=("Tờ khai", "Thẻ căn cước"), results=("Giấy khai sinh",), status=10)
    with Workspace(parent=tmp_path) as ws:
        ws.capture(FileImport(_pdf_with_pages(tmp_path, 1), ScanProfile(75)))
        card = digitisation.digitise(store, desk, earlier, ws.pages, component_id=id_card,
                                     valid_until=date(2036, 1, 1), now=NOW)
        ws.rotate(ws.pages[0].id, 180)  # another file
        result = digitisation.digitise(store, desk, earlier, ws.pages, result_id=result_id,
                                       now=NOW)
        ws.rotate(ws.pages[0].id, 90)
        digitisation.digitise(store, desk, earlier, ws.pages, component_id=birth_form,
                              valid_until=date(2026, 12, 1), now=NOW)  # expires soon
    files = len(_files(store))
    new_id, (card_slot, birth_slot), _ = make_dossier(
        store, papers=("Thẻ căn cước công dân", "Giấy khai sinh (bản sao)"))
    today = date(2027, 1, 15)
    with store.reading() as s:
        docs = digitisation.reusable_documents(s, CITIZEN, today=today,
                                               exclude_dossier_id=new_id, name_hint="Thẻ căn cước")
        assert digitisation.reusable_documents(s, OTHER, today=today) == []
    assert [(d.name, d.reuse_state) for d in docs] == [("Thẻ căn cước", 2),
                                                      ("Giấy khai sinh", 3)]
    assert docs[0].validity_vi == "Đến 01/01/2036" and docs[1].validity_vi == "Vô thời hạn"
    assert docs[0].dossier_id == earlier and docs[0].pages == 1

    later = datetime(2027, 1, 15, 10, 0)
    a = digitisation.attach_by_reference(store, desk, new_id, card_slot, docs[0].attachment_id,
                                         now=later)
    b = digitisation.attach_by_reference(store, desk, new_id, birth_slot, docs[1].attachment_id,
                                         now=later)
    assert (a.state, a.sha256, a.reused_from) == (2, card.sha256, card.id)
    assert (b.state, b.sha256, b.reused_from) == (3, result.sha256, result.id)
    assert len(_files(store)) == files  # no new file
    with store.reading() as s:
        summary = digitisation.digitisation_summary(s, new_id)
        states = [(c.state, c.state_label_vi, c.reused_from_code) for c in summary.components]
        code = s.get(Dossier, earlier).code
        assert [e.action for e in s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())
                                            .limit(2)).scalars()] == ["dossier.digitise_reuse"] * 2
    assert states == [(2, "Dùng lại giấy tờ của hồ sơ trước", code),
                      (3, "Dùng lại kết quả đã cấp", code)]
    assert summary.text_vi == "2/2 thành phần đã số hóa"

    stranger, (slot,), _ = make_dossier(store, OTHER, papers=("Thẻ căn cước",))
    with pytest.raises(DigitisationRefused) as other:
        digitisation.attach_by_reference(store, desk, stranger, slot, docs[0].attachment_id)
    assert other.value.code == "different_citizen"
    with store.reading() as s:
        expired = s.execute(select(Attachment.id).where(Attachment.component_id == birth_form)
                            ).scalar_one()
    with pytest.raises(DigitisationRefused) as old:
        digitisation.attach_by_reference(store, desk, new_id, birth_slot, expired, now=later)
    assert old.value.code == "expired" and "hết hiệu lực từ 01/12/2026" in old.value.message_vi


# ------------------------------------------------------------ profiles, OCR


def test_scan_profiles_are_remembered_per_kind(store, desk) -> None:
    with store.reading() as s:
        kind, profile = digitisation.profile_for(s, "Giấy chứng nhận kết hôn")
    assert (kind, profile.mode) == ("certificate", ColourMode.COLOUR)
    digitisation.save_scan_profile(store, desk, "certificate", ScanProfile(300, ColourMode.GREY))
    with store.reading() as s:
        assert digitisation.profile_for(s, "Giấy chứng nhận kết hôn")[1] == \
            ScanProfile(300, ColourMode.GREY)
        assert digitisation.scan_profiles(s)["form"].dpi == 200  # the others unchanged


def test_ocr_text_is_searchable(store, desk, tmp_path) -> None:
    status = ocr.available(refresh=True)
    if not status.ok:
        assert "Không có nó, quét, lưu và xem giấy tờ vẫn dùng bình thường" in status.message_vi
        pytest.skip("Tesseract with Vietnamese (vie) is not installed: " + status.message_vi)
    dossier_id, (form_id, _), _ = make_dossier(store)
    page = tmp_path / "to-khai.png"
    text_page(200, lines=6, noise=2).save(page, dpi=(200, 200))
    with Workspace(parent=tmp_path / "w") as ws:
        ws.capture(FileImport([page], ScanProfile(200)))
        info = digitisation.digitise(store, desk, dossier_id, ws.pages, component_id=form_id)
        progress = []
        job = ocr.OcrJob(pdf=digitisation.attachment_path(store, info.id).read_bytes(), dpi=200,
                         on_progress=lambda done, total: progress.append((done, total))).start()
        result = job.wait(60)
    assert result is not None and not result.errors and progress == [(1, 1)]
    assert "khai sinh" in result.text.lower()
    digitisation.set_ocr_text(store, info.sha256, result.text)
    with store.reading() as s:
        assert digitisation.search_ocr(s, "TỜ KHAI đăng ký") == [dossier_id]
        assert digitisation.search_ocr(s, "dang ky khai sinh") == [dossier_id]  # folded
        assert digitisation.search_ocr(s, "kết hôn") == []
    digitisation.detach(store, desk, info.id)
    with store.reading() as s:
        assert digitisation.search_ocr(s, "khai sinh") == []  # only papers still attached


def test_ocr_unavailable_is_explained(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on this PATH
    missing = ocr.available(refresh=True)
    monkeypatch.undo()
    ocr.available(refresh=True)  # the cached answer is this machine's again
    assert not missing.ok
    assert missing.message_vi.startswith("Chưa cài Tesseract OCR.")
    assert "tìm được hồ sơ theo nội dung giấy tờ" in missing.message_vi
    assert "tesseract-ocr-vie" in missing.message_vi


def test_stale_work_folders_are_cleaned(store) -> None:
    old = Workspace(parent=store.paths.work)
    fresh = Workspace(parent=store.paths.work)
    os.utime(old.folder, (0, 0))
    assert digitisation.clean_work_folder(store.paths) == 1
    assert not old.folder.exists() and fresh.folder.exists()
    fresh.close()


def _one_page_pdf(label: int) -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200 + label, 300))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_marking_a_dossier_state_secret_erases_its_digitised_copies(store, desk) -> None:
    from desktop.services import processing

    leader = Actor(desk.officer_id, desk.name, roles=frozenset({Role.LEADER}))
    secret_id, (form_id, birth_id), _ = make_dossier(store)
    other_id, (other_form, _), _ = make_dossier(store)
    kept = digitisation.attach_pdf(store, desk, secret_id, component_id=form_id,
                                   data=_one_page_pdf(1), now=NOW)
    only_here = digitisation.attach_pdf(store, desk, secret_id, component_id=birth_id,
                                        data=_one_page_pdf(2), now=NOW)
    # The same citizen's paper reused on another dossier stays there.
    digitisation.attach_by_reference(store, desk, other_id, other_form, kept.id, now=NOW)
    assert sorted(_files(store)) == sorted({kept.sha256, only_here.sha256})

    processing.mark_state_secret(store, leader, secret_id, now=NOW)

    assert _files(store) == [kept.sha256]  # the copy only this dossier had is gone
    with store.reading() as s:
        assert [c.digitisation_state for c in s.execute(select(DossierComponent).where(
            DossierComponent.dossier_id == secret_id)).scalars()] == [0, 0]
        assert s.execute(select(func.count(Attachment.id)).where(
            Attachment.dossier_id == secret_id)).scalar_one() == 0
        assert s.get(DossierComponent, other_form).digitisation_state == 2
        assert digitisation.digitisation_summary(s, other_id).components[0].sha256 == kept.sha256
        assert audit.verify_chain(s) == []
    report = run_check(store, full=True)
    assert report.file_problems == []


def test_the_dossier_list_search_finds_a_dossier_by_its_papers_text(store, desk) -> None:
    """OCR text goes into the full-text search: the list's search box finds it too."""
    from desktop.services import dossier_query as dq

    dossier_id, (form_id, _), _ = make_dossier(store)
    other_id, _, _ = make_dossier(store)
    info = digitisation.attach_pdf(store, desk, dossier_id, component_id=form_id,
                                   data=_one_page_pdf(7), now=NOW)
    digitisation.set_ocr_text(store, info.sha256, "GIẤY CHỨNG SINH — Bệnh viện Đa khoa Long Thành")
    with store.reading() as s:
        found = dq.page(s, dq.DossierFilter(text="benh vien long thanh"), dq.SortKey(), NOW)
        assert [r.id for r in found] == [dossier_id]
        assert dq.count(s, dq.DossierFilter(text="Bệnh viện Long Thành"), NOW) == 1
        assert other_id not in {r.id for r in found}
    digitisation.detach(store, desk, info.id)
    with store.reading() as s:
        assert dq.page(s, dq.DossierFilter(text="benh vien long thanh"), dq.SortKey(), NOW) == []
