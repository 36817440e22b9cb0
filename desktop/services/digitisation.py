"""Digitisation use cases: digitised papers on components and results, reuse, OCR text, profiles.

The digitised document register (calendar-and-identity.md, "Digitisation
state"): a produced PDF goes into the content-addressed file store
(desktop.store.files), its hash into `stored_files`, and an `attachments` row
ties it to one component or one result of a dossier. The component's
`digitisation_state` stays the state of record (TaiLieuNop DuocSoHoa /
DuocTaiSuDung): 0 not digitised, 1 digitised at reception, 2 reused from
another dossier's component, 3 reused from an earlier result.

Writing: `attach_pdf` writes the file first (atomic, idempotent; a file
left behind by a failed transaction is harmless, `motcua check` notes it),
then in ONE transaction the file row, the attachment, the component's state
and hash, and the audit event. A dossier that holds state secrets is never
digitised (`DigitisationRefused`, code "state_secret"): checked before the
file is written and again inside the transaction.

Reuse: `reusable_documents` lists what a returning citizen (by ID number)
already has digitised and still valid — components and results of earlier
dossiers (not refused, not state-secret); `attach_by_reference` puts one on a
component of the new dossier without a new file (state 2 or 3).

For the GUI (through the TaskRunner): `pdf_metadata` (read) → assemble the
PDF off the UI thread (`desktop.scanning.pdf.assemble`) → `attach_pdf`
(write). `digitise` does the three in one call for scripts and tests. OCR
text comes later (`desktop.scanning.ocr.OcrJob` → `set_ocr_text`) and is found
by `search_ocr` (dossier ids, for the list's search box).
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.domain.errors import DomainError
from desktop.domain.status import Status
from desktop.domain.text import fold
from desktop.paths import DataPaths
from desktop.scanning.pdf import PdfMetadata
from desktop.scanning.profiles import KINDS, ScanProfile, kind_for, merged
from desktop.services import audit, dossiers, settings
from desktop.services.actor import Actor
from desktop.services.search import in_body, match_expression
from desktop.services.validation import PermissionDenied
from desktop.store.database import Store
from desktop.store.files import OCR_SEARCH_TABLE, FileStore
from desktop.store.models import (
    Attachment,
    Dossier,
    DossierComponent,
    DossierResult,
    Office,
    StoredFile,
)

STATE_LABELS_VI: dict[int, str] = {
    0: "Chưa số hóa",
    1: "Đã số hóa khi tiếp nhận",
    2: "Dùng lại giấy tờ của hồ sơ trước",
    3: "Dùng lại kết quả đã cấp",
}
STATE_SECRET_VI = ("Hồ sơ có nội dung bí mật nhà nước: giấy tờ của hồ sơ này không bao giờ "
                   "được số hóa, chỉ lưu bản giấy.")
PDF_MIME = "application/pdf"


class DigitisationRefused(DomainError):
    code = "digitisation_refused"


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    dossier_id: int
    component_id: int | None
    result_id: int | None
    kind: str  # "component" | "result"
    sha256: str
    state: int
    pages: int
    size: int
    digitised_at: datetime
    officer_name: str
    valid_until: date | None
    reused_from: int | None


@dataclass(frozen=True)
class DigitisedItem:
    """One component or result of a dossier and its digitised paper, if any."""

    kind: str  # "component" | "result"
    id: int  # the component's or the result's id
    name: str
    present: bool  # a component handed in (results: always True)
    state: int  # 0–3 (results: 0 or 1)
    attachment_id: int | None = None
    sha256: str | None = None
    pages: int = 0
    size: int = 0
    digitised_at: datetime | None = None
    officer_name: str = ""
    valid_until: date | None = None
    reused_from_code: str = ""  # the dossier the reused paper came from

    @property
    def state_label_vi(self) -> str:
        if self.kind == "result":
            return "Đã số hóa" if self.state else "Chưa số hóa"
        return STATE_LABELS_VI.get(self.state, str(self.state))


@dataclass(frozen=True)
class DigitisationSummary:
    dossier_id: int
    code: str
    state_secret: bool
    components: tuple[DigitisedItem, ...]
    results: tuple[DigitisedItem, ...]

    @property
    def components_total(self) -> int:
        return sum(1 for c in self.components if c.present)

    @property
    def components_done(self) -> int:
        return sum(1 for c in self.components if c.present and c.state)

    @property
    def results_done(self) -> int:
        return sum(1 for r in self.results if r.state)

    @property
    def any_digitised(self) -> bool:
        """HoSoCoThanhPhanSoHoa."""
        return any(c.state for c in self.components)

    @property
    def text_vi(self) -> str:
        if self.state_secret:
            return "Hồ sơ mật: không số hóa"
        out = f"{self.components_done}/{self.components_total} thành phần đã số hóa"
        if self.results:
            out += f"; {self.results_done}/{len(self.results)} kết quả đã số hóa"
        return out


@dataclass(frozen=True)
class ReusableDocument:
    attachment_id: int
    kind: str  # "component" | "result"
    name: str
    dossier_id: int
    dossier_code: str
    procedure_name: str
    digitised_at: datetime
    valid_until: date | None  # None: permanent
    sha256: str
    pages: int
    reuse_state: int  # the state attaching it gives: 2 (a component) or 3 (a result)

    @property
    def validity_vi(self) -> str:
        return "Vô thời hạn" if self.valid_until is None else f"Đến {self.valid_until:%d/%m/%Y}"


# ------------------------------------------------------------------ helpers


def file_store(store_or_paths: Store | DataPaths) -> FileStore:
    paths = store_or_paths.paths if isinstance(store_or_paths, Store) else store_or_paths
    return FileStore(paths)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now()


def _check_actor(actor: Actor) -> None:
    if not actor.roles:
        raise PermissionDenied()


def _load_target(session: Session, dossier_id: int, component_id: int | None,
                 result_id: int | None) -> tuple[Dossier, DossierComponent | None,
                                                 DossierResult | None]:
    if (component_id is None) == (result_id is None):
        raise ValueError("give exactly one of component_id and result_id")
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise DigitisationRefused("Không tìm thấy hồ sơ; có thể hồ sơ đã bị xóa.",
                                  code="not_found")
    if dossier.state_secret:
        raise DigitisationRefused(STATE_SECRET_VI, code="state_secret")
    component = result = None
    if component_id is not None:
        component = session.get(DossierComponent, component_id)
        if component is None or component.dossier_id != dossier_id:
            raise DigitisationRefused("Giấy tờ này không thuộc hồ sơ đang mở.",
                                      code="wrong_component")
        if not component.present:
            raise DigitisationRefused("Giấy tờ này được ghi là chưa nộp: hãy đánh dấu đã nộp "
                                      "trước khi số hóa.", code="not_present")
    else:
        result = session.get(DossierResult, result_id)
        if result is None or result.dossier_id != dossier_id:
            raise DigitisationRefused("Kết quả này không thuộc hồ sơ đang mở.",
                                      code="wrong_component")
    return dossier, component, result


def refusal_reason(session: Session, dossier_id: int) -> str | None:
    """Why this dossier's papers cannot be digitised (for the UI to say so), or None."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        return "Không tìm thấy hồ sơ; có thể hồ sơ đã bị xóa."
    return STATE_SECRET_VI if dossier.state_secret else None


def _current(session: Session, component_id: int | None,
             result_id: int | None) -> list[Attachment]:
    q = select(Attachment).where(Attachment.removed_at.is_(None))
    if component_id is not None:
        q = q.where(Attachment.component_id == component_id)
    else:
        q = q.where(Attachment.result_id == result_id)
    return list(session.execute(q).scalars())


def _info(att: Attachment, sf: StoredFile) -> AttachmentInfo:
    return AttachmentInfo(att.id, att.dossier_id, att.component_id, att.result_id, att.kind,
                          att.sha256, att.state, sf.pages, sf.size, att.digitised_at,
                          att.officer_name, att.valid_until, att.reused_from)


def _index_ocr(session: Session, sha256: str, body: str) -> None:
    session.execute(text(f"DELETE FROM {OCR_SEARCH_TABLE} WHERE sha256 = :h"), {"h": sha256})
    folded = fold(body)
    if folded:
        session.execute(text(f"INSERT INTO {OCR_SEARCH_TABLE} (body, sha256) VALUES (:b, :h)"),
                        {"b": folded, "h": sha256})


# ---------------------------------------------------------------- profiles


def scan_profiles(session: Session) -> dict[str, ScanProfile]:
    """Every kind's profile: the defaults with the office's changes."""
    return merged(settings.get(session, "scan.profiles"))


def profile_for(session: Session, name: str, *, result: bool = False) -> tuple[str, ScanProfile]:
    """The kind of paper a component (or result) name suggests, and its profile."""
    kind = kind_for(name, result=result)
    return kind, scan_profiles(session)[kind]


def save_scan_profile(store: Store, actor: Actor, kind: str, profile: ScanProfile) -> None:
    """Remember how this kind of paper is scanned (for the whole office)."""
    _check_actor(actor)
    if kind not in KINDS:
        raise ValueError(kind)
    with store.transaction() as session:
        stored = dict(settings.get(session, "scan.profiles"))
        before = stored.get(kind)
        stored[kind] = profile.to_json()
        settings.put(session, "scan.profiles", stored)
        audit.record(session, actor, "office.scan_profile", "office", kind, before=before,
                     after=stored[kind])


# ---------------------------------------------------------------- workspace


def new_workspace(paths: DataPaths):  # noqa: ANN201 - a desktop.scanning.pages.Workspace
    """A workspace whose page files live in the data folder's `work` folder."""
    from desktop.scanning.pages import Workspace

    return Workspace(parent=paths.work)


def clean_work_folder(paths: DataPaths, *, older_than: timedelta = timedelta(hours=12)) -> int:
    """Remove workspace folders left by a crash (call at start-up); returns how many."""
    if not paths.work.is_dir():
        return 0
    limit = time.time() - older_than.total_seconds()
    removed = 0
    for folder in paths.work.glob("motcua-pages-*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


# -------------------------------------------------------------- attaching


def pdf_metadata(session: Session, actor: Actor, dossier_id: int, *,
                 component_id: int | None = None, result_id: int | None = None,
                 now: datetime | None = None) -> PdfMetadata:
    """The metadata of the PDF of one component or result (refuses a state-secret dossier)."""
    dossier, component, result = _load_target(session, dossier_id, component_id, result_id)
    office = session.get(Office, 1)
    title = component.name if component is not None else result.name  # type: ignore[union-attr]
    return PdfMetadata(dossier_code=dossier.code or dossier.uid, title=title, officer=actor.name,
                       at=_now(now), kind="component" if component is not None else "result",
                       office=office.name if office else "")


def attach_pdf(store: Store, actor: Actor, dossier_id: int, *, data: bytes,
               component_id: int | None = None, result_id: int | None = None,
               pages: int | None = None, valid_until: date | None = None,
               ocr_text: str | None = None, now: datetime | None = None) -> AttachmentInfo:
    """Keep a produced PDF as the digitised paper of one component or result (state 1).

    An earlier digitised paper of the same component or result is set aside
    (its row stays, with `removed_at`).
    """
    _check_actor(actor)
    now = _now(now)
    with store.reading() as session:
        _load_target(session, dossier_id, component_id, result_id)  # refuse before writing
    if not data.startswith(b"%PDF-"):
        raise DigitisationRefused("Tệp số hóa phải là tệp PDF.", code="not_pdf")
    if pages is None:
        from desktop.scanning.pdf import count_pages

        pages = count_pages(data)
    blob = file_store(store).put(data)  # before the transaction: harmless if it fails
    with store.transaction() as session:
        dossier, component, result = _load_target(session, dossier_id, component_id, result_id)
        session.execute(sqlite_insert(StoredFile).values(
            sha256=blob.sha256, size=blob.size, pages=pages, mime=PDF_MIME, created_at=now,
            created_by=actor.officer_id, ocr_text=ocr_text).on_conflict_do_nothing())
        stored = session.get(StoredFile, blob.sha256)
        assert stored is not None
        if ocr_text and not stored.ocr_text:
            stored.ocr_text = ocr_text
        if ocr_text:
            _index_ocr(session, blob.sha256, ocr_text)
        replaced = []
        for old in _current(session, component_id, result_id):
            old.removed_at = now
            replaced.append(old.id)
        att = Attachment(uid=str(uuid.uuid4()), dossier_id=dossier.id, component_id=component_id,
                         result_id=result_id,
                         kind="component" if component is not None else "result",
                         sha256=blob.sha256, state=1, digitised_at=now,
                         officer_id=actor.officer_id, officer_name=actor.name,
                         valid_until=valid_until)
        session.add(att)
        before = None
        if component is not None:
            before = {"digitisation_state": component.digitisation_state,
                      "file_sha256": component.file_sha256}
            component.digitisation_state = 1
            component.file_sha256 = blob.sha256
        session.flush()
        audit.record(session, actor, "dossier.digitise", "dossier", dossier.code or dossier.uid,
                     before=before, after={
                         "component_id": component_id, "result_id": result_id,
                         "name": component.name if component is not None else result.name,
                         "digitisation_state": 1, "file_sha256": blob.sha256, "pages": pages,
                         "size": blob.size, "replaced": replaced,
                         "valid_until": valid_until.isoformat() if valid_until else None},
                     at=now)
        dossiers.papers_changed(session, actor, dossier, at=now)
        return _info(att, stored)


def digitise(store: Store, actor: Actor, dossier_id: int, pages: Sequence, *,
             component_id: int | None = None, result_id: int | None = None,
             target_dpi: int | None = None, valid_until: date | None = None,
             now: datetime | None = None) -> AttachmentInfo:
    """Assemble workspace pages into one PDF and attach it (read, assemble, write).

    `target_dpi` None: the profile of the paper's kind decides. The GUI runs
    the three steps apart: only `attach_pdf` belongs on the writer thread.
    """
    from desktop.scanning.pdf import assemble

    now = _now(now)
    with store.reading() as session:
        meta = pdf_metadata(session, actor, dossier_id, component_id=component_id,
                            result_id=result_id, now=now)
        if target_dpi is None:
            target_dpi = profile_for(session, meta.title, result=result_id is not None)[1].dpi
    pdf = assemble(pages, meta, target_dpi=target_dpi)
    return attach_pdf(store, actor, dossier_id, data=pdf.data, component_id=component_id,
                      result_id=result_id, pages=pdf.pages, valid_until=valid_until, now=now)


def detach(store: Store, actor: Actor, attachment_id: int, *,
           now: datetime | None = None) -> None:
    """Take a digitised paper off its component or result (the file and the row stay)."""
    _check_actor(actor)
    now = _now(now)
    with store.transaction() as session:
        att = session.get(Attachment, attachment_id)
        if att is None or att.removed_at is not None:
            raise DigitisationRefused("Giấy tờ số hóa này không còn gắn với hồ sơ.",
                                      code="not_found")
        dossier = session.get(Dossier, att.dossier_id)
        att.removed_at = now
        before = None
        if att.component_id is not None:
            component = session.get(DossierComponent, att.component_id)
            if component is not None:
                before = {"digitisation_state": component.digitisation_state,
                          "file_sha256": component.file_sha256}
                component.digitisation_state = 0
                component.file_sha256 = None
        audit.record(session, actor, "dossier.digitise_remove", "dossier",
                     dossier.code or dossier.uid if dossier else att.dossier_id, before=before,
                     after={"attachment_id": att.id, "component_id": att.component_id,
                            "result_id": att.result_id, "file_sha256": att.sha256}, at=now)
        if dossier is not None:
            dossiers.papers_changed(session, actor, dossier, at=now)


def erase_for_state_secret(session: Session, dossier_id: int) -> tuple[int, list[str]]:
    """In the caller's transaction (processing.mark_state_secret): the dossier's digitised
    copies go away — its attachment rows are deleted and its components are back to
    state 0. Returns how many were erased and the hashes no other dossier still uses;
    the caller deletes those files with `delete_files` once the transaction committed.

    Another dossier that reused one of these papers keeps its own copy (it is the
    same citizen's paper, attached there on its own); only the link back is cut.
    """
    atts = session.execute(select(Attachment).where(Attachment.dossier_id == dossier_id)
                           ).scalars().all()
    if not atts:
        return 0, []
    ids = [a.id for a in atts]
    shas = sorted({a.sha256 for a in atts})
    session.execute(update(Attachment).where(Attachment.reused_from.in_(ids))
                    .values(reused_from=None))
    session.execute(update(DossierComponent).where(DossierComponent.dossier_id == dossier_id)
                    .values(digitisation_state=0, file_sha256=None))
    session.execute(delete(Attachment).where(Attachment.id.in_(ids)))
    session.flush()
    still_used = set(session.execute(select(Attachment.sha256).where(
        Attachment.sha256.in_(shas))).scalars())
    orphans = [h for h in shas if h not in still_used]
    for sha in orphans:
        session.execute(text(f"DELETE FROM {OCR_SEARCH_TABLE} WHERE sha256 = :h"), {"h": sha})
        session.execute(delete(StoredFile).where(StoredFile.sha256 == sha))
    return len(ids), orphans


def delete_files(store: Store, hashes: Sequence[str]) -> int:
    """Delete stored files (after the transaction that dropped their rows); returns how many."""
    files = file_store(store)
    gone = 0
    for sha in hashes:
        try:
            files.path_of(sha).unlink()
            gone += 1
        except FileNotFoundError:
            pass
    return gone


# ------------------------------------------------------------------- reuse


def reusable_documents(session: Session, id_number: str, *, today: date,
                       exclude_dossier_id: int | None = None,
                       name_hint: str = "") -> list[ReusableDocument]:
    """The citizen's digitised papers from earlier dossiers that are still valid.

    Components and results of this ID number's dossiers (not refused, not
    state-secret), each file once (its first digitisation), those whose name
    matches `name_hint` first, then newest first.
    """
    id_number = (id_number or "").strip()
    if not id_number:
        return []
    q = (select(Attachment, Dossier, DossierComponent.name, DossierResult.name, StoredFile.pages)
         .join(Dossier, Dossier.id == Attachment.dossier_id)
         .join(StoredFile, StoredFile.sha256 == Attachment.sha256)
         .outerjoin(DossierComponent, DossierComponent.id == Attachment.component_id)
         .outerjoin(DossierResult, DossierResult.id == Attachment.result_id)
         .where(Dossier.applicant_id_number == id_number, Dossier.state_secret.is_(False),
                Dossier.status != int(Status.REFUSED), Attachment.removed_at.is_(None),
                (Attachment.valid_until.is_(None)) | (Attachment.valid_until >= today))
         .order_by(Attachment.digitised_at, Attachment.id))
    if exclude_dossier_id is not None:
        q = q.where(Attachment.dossier_id != exclude_dossier_id)
    seen: dict[str, ReusableDocument] = {}
    for att, dossier, comp_name, result_name, pages in session.execute(q):
        if att.sha256 in seen:
            continue
        origin_result = att.kind == "result" or att.state == 3
        seen[att.sha256] = ReusableDocument(
            attachment_id=att.id, kind=att.kind, name=comp_name or result_name or "",
            dossier_id=dossier.id, dossier_code=dossier.code or "",
            procedure_name=dossier.procedure.name if dossier.procedure else "",
            digitised_at=att.digitised_at, valid_until=att.valid_until, sha256=att.sha256,
            pages=pages, reuse_state=3 if origin_result else 2)
    hint = fold(name_hint)

    def order(doc: ReusableDocument) -> tuple[int, float]:
        name = fold(doc.name)
        match = 0 if hint and (name == hint) else 1 if hint and (hint in name or name in hint) \
            else 2
        return match, -doc.digitised_at.timestamp()

    return sorted(seen.values(), key=order)


def attach_by_reference(store: Store, actor: Actor, dossier_id: int, component_id: int,
                        source_attachment_id: int, *,
                        now: datetime | None = None) -> AttachmentInfo:
    """Use a paper the citizen had digitised before: no scan, no new file (state 2 or 3)."""
    _check_actor(actor)
    now = _now(now)
    with store.transaction() as session:
        dossier, component, _ = _load_target(session, dossier_id, component_id, None)
        assert component is not None
        source = session.get(Attachment, source_attachment_id)
        if source is None or source.removed_at is not None:
            raise DigitisationRefused("Giấy tờ số hóa được chọn không còn nữa.", code="not_found")
        origin = session.get(Dossier, source.dossier_id)
        if (origin is None or origin.state_secret or not dossier.applicant_id_number
                or origin.applicant_id_number != dossier.applicant_id_number):
            raise DigitisationRefused("Chỉ dùng lại được giấy tờ đã số hóa của chính người nộp "
                                      "hồ sơ này.", code="different_citizen")
        if source.valid_until is not None and source.valid_until < now.date():
            raise DigitisationRefused(
                f"Giấy tờ này hết hiệu lực từ {source.valid_until:%d/%m/%Y}: hãy số hóa bản mới.",
                code="expired")
        problem = file_store(store).check(source.sha256)
        if problem is not None:
            raise DigitisationRefused(
                "Tệp của giấy tờ này bị thiếu hoặc hỏng trong thư mục dữ liệu nên không dùng lại "
                "được; hãy số hóa lại giấy tờ.", code="file_" + problem.kind)
        state = 3 if (source.kind == "result" or source.state == 3) else 2
        for old in _current(session, component_id, None):
            old.removed_at = now
        att = Attachment(uid=str(uuid.uuid4()), dossier_id=dossier.id, component_id=component_id,
                         kind="component", sha256=source.sha256, state=state, digitised_at=now,
                         officer_id=actor.officer_id, officer_name=actor.name,
                         valid_until=source.valid_until,
                         reused_from=source.reused_from or source.id)
        session.add(att)
        before = {"digitisation_state": component.digitisation_state,
                  "file_sha256": component.file_sha256}
        component.digitisation_state = state
        component.file_sha256 = source.sha256
        session.flush()
        audit.record(session, actor, "dossier.digitise_reuse", "dossier",
                     dossier.code or dossier.uid, before=before, after={
                         "component_id": component_id, "name": component.name,
                         "digitisation_state": state, "file_sha256": source.sha256,
                         "reused_from": att.reused_from, "from_dossier": origin.code},
                     at=now)
        dossiers.papers_changed(session, actor, dossier, at=now)
        stored = session.get(StoredFile, source.sha256)
        assert stored is not None
        return _info(att, stored)


# ---------------------------------------------------------------- summary


def digitisation_summary(session: Session, dossier_id: int) -> DigitisationSummary:
    """What of a dossier is digitised: each component's state and file, each result's."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise DigitisationRefused("Không tìm thấy hồ sơ; có thể hồ sơ đã bị xóa.",
                                  code="not_found")
    rows = session.execute(
        select(Attachment, StoredFile).join(StoredFile, StoredFile.sha256 == Attachment.sha256)
        .where(Attachment.dossier_id == dossier_id, Attachment.removed_at.is_(None))).all()
    by_component = {a.component_id: (a, f) for a, f in rows if a.component_id is not None}
    by_result = {a.result_id: (a, f) for a, f in rows if a.result_id is not None}
    origin_ids = {a.reused_from for a, _ in rows if a.reused_from}
    origin_codes: dict[int, str] = {}
    if origin_ids:
        origin_codes = dict(session.execute(
            select(Attachment.id, Dossier.code).join(Dossier, Dossier.id == Attachment.dossier_id)
            .where(Attachment.id.in_(origin_ids))).all())

    def item(kind: str, ident: int, name: str, present: bool, state: int,
             hit: tuple[Attachment, StoredFile] | None) -> DigitisedItem:
        if hit is None:
            return DigitisedItem(kind, ident, name, present, state)
        a, f = hit
        return DigitisedItem(kind, ident, name, present, state, a.id, a.sha256, f.pages, f.size,
                             a.digitised_at, a.officer_name, a.valid_until,
                             origin_codes.get(a.reused_from or 0, "") or "")

    components = tuple(
        item("component", c.id, c.name, bool(c.present), c.digitisation_state,
             by_component.get(c.id))
        for c in session.execute(select(DossierComponent)
                                 .where(DossierComponent.dossier_id == dossier_id)
                                 .order_by(DossierComponent.position, DossierComponent.id))
        .scalars())
    results = tuple(
        item("result", r.id, r.name, True, 1 if r.id in by_result else 0, by_result.get(r.id))
        for r in session.execute(select(DossierResult).where(DossierResult.dossier_id == dossier_id)
                                 .order_by(DossierResult.id)).scalars())
    return DigitisationSummary(dossier.id, dossier.code or "", bool(dossier.state_secret),
                               components, results)


# -------------------------------------------------------------------- files


def attachment_path(store: Store, attachment_id: int, *, verify: bool = True) -> Path:
    """The stored file of an attachment, checked against its hash (for the viewer)."""
    from desktop.store.files import FileCorrupt, FileMissing

    with store.reading() as session:
        att = session.get(Attachment, attachment_id)
        if att is None:
            raise DigitisationRefused("Không tìm thấy giấy tờ số hóa này.", code="not_found")
        sha = att.sha256
    files = file_store(store)
    problem = files.check(sha, full=verify)
    if problem is not None:
        raise FileMissing(sha) if problem.kind == "missing" else FileCorrupt(sha)
    return files.path_of(sha)


# ---------------------------------------------------------------------- OCR


def set_ocr_text(store: Store, sha256: str, body: str) -> None:
    """Keep the recognised text of a stored file and index it for search."""
    with store.transaction() as session:
        stored = session.get(StoredFile, sha256)
        if stored is None:
            raise DigitisationRefused("Không tìm thấy tệp số hóa này.", code="not_found")
        stored.ocr_text = body
        _index_ocr(session, sha256, body)


def search_ocr(session: Session, query: str, *, limit: int = 200) -> list[int]:
    """Ids of dossiers (newest first) whose digitised papers' text matches every word of `query`."""
    expr = match_expression(query)
    if expr is None:
        return []
    rows = session.execute(text(
        f"SELECT DISTINCT a.dossier_id FROM {OCR_SEARCH_TABLE} "
        f"JOIN attachments a ON a.sha256 = {OCR_SEARCH_TABLE}.sha256 AND a.removed_at IS NULL "
        f"WHERE {OCR_SEARCH_TABLE} MATCH :q ORDER BY a.dossier_id DESC LIMIT :n"),
        {"q": in_body(expr), "n": limit})
    return [r[0] for r in rows]
