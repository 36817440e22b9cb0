"""The national-portal (DVCQG) connector: the desk's outbox pushed through the portal's
integration services, for a province whose gateway exposes only that interface.

Transport (../shared/domain/dossier-exchange-format.md; the reference server serves it
under ``/dvcqg``): ``POST {gateway}/login`` → ``session``; ``POST {gateway}/service``
with ``session``, ``madonvi``, ``service`` = DongBoHoSoMC (``isUpdating``, ``data``:
HoSo objects), CapNhatTienDoHoSoMC (``data``: QuaTrinhXuLy rows), TraCuuHoSo
(``mahoso``), LayDanhSachTTHC, LayThuTuc (``maTTHC``). Replies are HTTP 200 with
``error_code`` (0 = success) and, for the batch services, one result per object.

``PortalClient`` is the officer's session (the password only in the OS keyring,
under its own key ``dvcqg:<agency>/<user>``; TLS always verified plus the
province's CA bundle). ``DvcqgEngine`` is the sync engine with its round replaced by
the push and, once a day, the catalogue.

Push. Outbox items go in *waves*: the next unsent item of up to ``batch_size``
dossiers, claimed (``in_flight``) in one transaction, sent as one DongBoHoSoMC call
(then one CapNhatTienDoHoSoMC call for their progress rows), answered in one
transaction:

- success → ``sent`` (what the province now has goes to ``sync_dossiers``);
- "đã tồn tại" to a new dossier / "không tồn tại" to an update → sent again the
  other way (the portal's usual order; a repeat is harmless: the dossier object
  replaces the portal's and a progress row is keyed by MaHoSo + its fields, so the
  same change sent twice is stored once);
- any other refusal → ``conflict`` with the portal's message and a blocking
  conflict entry, like the main engine;
- no connection / 5xx / a broken answer → ``failed`` with back-off; the round
  stops.

Each HoSo carries the dossier's own data (the outbox payload through
``sync.national.hoso_from_record``) plus what the desk knows around it, read once per
wave: TenTTHC, MaLinhVuc, TenLinhVuc from the local catalogue and DonViXuLy = the
office's name. TaiLieuNop and DanhSachLePhi are sent when the payload carries
``components`` / ``fees`` (an item without them leaves the portal's lists as they
were). The portal has no file upload service: a submitted paper goes as TepDinhKemId =
the SHA-256 of its file and DuocSoHoa = "1" when digitised; DuongDanTaiTepTin is filled
only when the setting ``sync.file_url`` holds a download URL template with
``{sha256}`` (where the province can fetch the file), otherwise it stays empty and the
files stay on the desk.

Catalogue. Once a day, with the main engine's schedule and setting
(``reference_every``, ``sync.reference_checked_at``), after the push: the
LayDanhSachTTHC list; each procedure that is new or whose list line changed (a hash
per MATTHC in ``sync.dvcqg_catalogue``) is fetched with LayThuTuc, mapped with
``sync.national.procedure_from_thu_tuc`` and all are loaded with
``refresh_catalogue`` in one transaction, as the main engine loads the province's
catalogue. What the format cannot say stays as the desk has it: a processing time
without a unit the desk can count with (the office's confirmed time stays), "fully
online" (level 4). A record that cannot be read is skipped, logged by its code and
listed in the round's problems; it never stops the round. A change inside a record
whose list line stays the same is not seen (the list has no version or date).

Idempotency: an item is sent only while it is claimed, and it is marked ``sent``
in the same transaction that records the portal's answer; an item left in flight
by a killed process is resent (MaHoSo + the change's content make that safe).

Not done, because the portal's interface has no such service: pulling online
dossiers or the province's status changes, number blocks, integrity digests
(TraCuuHoSo serves spot checks: ``PortalClient.lookup``), file upload, the holiday
calendar (the desk keeps its own).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from desktop.domain.calendar import TimeUnit
from desktop.domain.errors import DomainError
from desktop.services import incoming, settings
from desktop.services.catalogue import refresh_catalogue
from desktop.services.office import get_office
from desktop.store.models import Dossier, Field, OutboxItem, OutboxState, Procedure, SyncConflict
from sync.client import (
    DEFAULT_TIMEOUT,
    AuthRequired,
    Keychain,
    NotConfigured,
    Offline,
    Refused,
    ServerBusy,
    StoredCredentials,
    SyncClient,
    tls_verify,
)
from sync.engine import Cancelled, RoundReport, SyncEngine, _Claimed
from sync.national import (
    ERR_EXISTS,
    ERR_NOT_FOUND,
    ERR_SESSION,
    OK,
    SERVICE_LOOKUP,
    SERVICE_PROCEDURE,
    SERVICE_PROCEDURES,
    SERVICE_PROGRESS,
    SERVICE_PUSH,
    HoSo,
    PortalLoginReply,
    PortalReply,
    QuaTrinhXuLy,
    field_code,
    hoso_from_record,
    procedure_from_thu_tuc,
    qua_trinh_from_progress,
)
from sync.protocol import (
    Change,
    DossierRecord,
    ErrorAnswer,
    ProcedureRecord,
    ProgressData,
    canonical_json,
)

log = logging.getLogger("motcua.sync.dvcqg")

#: Dossiers per DongBoHoSoMC call; progress rows per CapNhatTienDoHoSoMC call.
BATCH_SIZE = 50
PROGRESS_BATCH = 50

#: When the reference data were last asked for: the main engine's setting and schedule.
REFERENCE_CHECKED_KEY = "sync.reference_checked_at"
#: MATTHC → SHA-256 of its LayDanhSachTTHC line when it was last loaded: only new or
#: changed lines are fetched with LayThuTuc.
CATALOGUE_LINES_KEY = "sync.dvcqg_catalogue"
#: A download URL template with ``{sha256}`` for DuongDanTaiTepTin ("" = none).
FILE_URL_KEY = "sync.file_url"


#: Lists of a HoSo left out when the change does not carry them (the payload has no
#: ``components`` / ``fees``), so that the portal keeps what it had rather than an empty
#: list (the protocol's "None = not sent").
OPTIONAL_LISTS = ("TaiLieuNop", "DanhSachLePhi")


def _wire(hoso: HoSo) -> dict[str, Any]:
    data = hoso.model_dump()
    for name in OPTIONAL_LISTS:
        if name not in hoso.model_fields_set:
            data.pop(name, None)
    return data


class PortalClient:
    """One officer's session with a national-portal style gateway."""

    def __init__(self, gateway_url: str, agency_code: str, username: str, *,
                 ca_bundle: str | Path | None = None,
                 timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
                 keychain: Keychain | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not (gateway_url or "").strip():
            raise NotConfigured()
        self.base_url = gateway_url.strip().rstrip("/")
        self.agency_code = agency_code
        self.username = username.strip().lower()
        self.keychain = keychain or Keychain()
        self._key = f"dvcqg:{agency_code}"
        self._http = httpx.Client(base_url=self.base_url, verify=tls_verify(ca_bundle),
                                  timeout=timeout, transport=transport, follow_redirects=False)
        self._session: str | None = None
        self.calls = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise Offline("Không kết nối được với cổng dịch vụ công của tỉnh.",
                          detail=type(exc).__name__) from exc
        self.calls += 1
        if response.status_code >= 500:
            raise ServerBusy(response.status_code)
        if response.status_code != 200:
            raise Refused(response.status_code, ErrorAnswer(
                code=f"http_{response.status_code}", message=f"HTTP {response.status_code}",
                message_vi=f"Cổng dịch vụ công trả lời lỗi HTTP {response.status_code}."))
        try:
            return response.json()
        except ValueError as exc:
            raise Offline("Câu trả lời của cổng dịch vụ công bị hỏng.",
                          detail="invalid answer") from exc

    # ------------------------------------------------------------------ session

    def login(self, password: str, *, remember: bool = True) -> None:
        """Open a session; keep the password in the keyring (``remember``)."""
        if remember:
            self.keychain.check()
        raw = self._post("/login", {"username": self.username, "password": password,
                                    "madonvi": self.agency_code})
        try:
            reply = PortalLoginReply.model_validate(raw)
        except ValidationError as exc:
            raise Offline("Câu trả lời đăng nhập của cổng dịch vụ công bị hỏng.") from exc
        if reply.error_code != OK or not reply.session:
            raise AuthRequired(reply.message or "Cổng dịch vụ công từ chối đăng nhập.",
                               detail=f"error_code {reply.error_code}")
        self._session = reply.session
        if remember:
            self.keychain.save(self._key, self.username, StoredCredentials(password=password))
        log.info("logged in to the portal gateway as %s/%s", self.agency_code, self.username)

    def has_credentials(self) -> bool:
        return self.keychain.load(self._key, self.username) is not None

    def forget_credentials(self) -> None:
        self._session = None
        self.keychain.forget(self._key, self.username)

    def _open(self) -> str:
        if self._session is None:
            creds = self.keychain.load(self._key, self.username)
            if creds is None or not creds.password:
                raise AuthRequired("Chưa đăng nhập tài khoản cổng dịch vụ công cho cán bộ này.",
                                   detail="no stored credentials")
            self.login(creds.password, remember=False)
        assert self._session is not None
        return self._session

    def probe(self) -> None:
        """The gateway answers and the session is open (logs in when needed)."""
        self._open()

    def call(self, service: str, **fields: Any) -> PortalReply:
        """One service call; an expired session is opened again once."""
        for attempt in (1, 2):
            body = {"session": self._open(), "madonvi": self.agency_code, "service": service,
                    **fields}
            try:
                reply = PortalReply.model_validate(self._post("/service", body))
            except ValidationError as exc:
                raise Offline("Câu trả lời của cổng dịch vụ công bị hỏng.",
                              detail="invalid answer") from exc
            if reply.error_code == ERR_SESSION and attempt == 1:
                self._session = None
                continue
            if reply.error_code == ERR_SESSION:
                raise AuthRequired(reply.message or "Phiên làm việc với cổng đã hết hạn.")
            return reply
        raise AssertionError("unreachable")

    # ----------------------------------------------------------------- services

    def lookup(self, code: str) -> dict[str, Any] | None:
        """TraCuuHoSo: the portal's dossier object, or None when it has none."""
        reply = self.call(SERVICE_LOOKUP, mahoso=code)
        result = reply.result or []
        return result[0] if reply.error_code == OK and result else None

    def _items(self, reply: PortalReply, count: int) -> list[tuple[int, str]]:
        result = reply.result if isinstance(reply.result, list) else []
        if len(result) != count:  # a whole-call answer: the same for every object
            return [(reply.error_code, reply.message)] * count
        return [(int(r.get("error_code", reply.error_code)), str(r.get("message", "")))
                for r in result]

    def push_dossiers(self, hosos: Sequence[HoSo], *, updating: bool) -> list[tuple[int, str]]:
        """DongBoHoSoMC: (error_code, message) per dossier, in order."""
        if not hosos:
            return []
        reply = self.call(SERVICE_PUSH, isUpdating="True" if updating else "False",
                          data=[_wire(h) for h in hosos])
        return self._items(reply, len(hosos))

    def push_progress(self, rows: Sequence[QuaTrinhXuLy]) -> list[tuple[int, str]]:
        """CapNhatTienDoHoSoMC: (error_code, message) per row, in order."""
        out: list[tuple[int, str]] = []
        for i in range(0, len(rows), PROGRESS_BATCH):
            chunk = rows[i:i + PROGRESS_BATCH]
            reply = self.call(SERVICE_PROGRESS, data=[r.model_dump() for r in chunk])
            out.extend(self._items(reply, len(chunk)))
        return out

    @staticmethod
    def _refused(reply: PortalReply, what: str) -> Refused:
        return Refused(200, ErrorAnswer(
            code=f"dvcqg_{reply.error_code}", message=reply.message[:500],
            message_vi=reply.message[:500] or f"Cổng không trả {what} (mã lỗi {reply.error_code})."))

    def procedures(self) -> list[dict[str, Any]]:
        """LayDanhSachTTHC: one summary line per procedure (MATTHC, TENTTHC,
        LINHVUCTHUCHIEN, …), as the portal sends them. Refused when the portal says no."""
        reply = self.call(SERVICE_PROCEDURES)
        if reply.error_code != OK:
            raise self._refused(reply, "danh sách thủ tục")
        result = reply.result
        if isinstance(result, dict):
            result = [result]
        return [line for line in result or [] if isinstance(line, dict)]

    def procedure(self, code: str) -> dict[str, Any] | None:
        """LayThuTuc: the procedure's record (upper-case names), or None when the portal has
        no such procedure. Deployed peers answer with the record or with a list holding it."""
        reply = self.call(SERVICE_PROCEDURE, maTTHC=code)
        if reply.error_code == ERR_NOT_FOUND:
            return None
        if reply.error_code != OK:
            raise self._refused(reply, f"thủ tục {code}")
        result = reply.result
        if isinstance(result, list):
            result = result[0] if result else None
        return result if isinstance(result, dict) else None


# ----------------------------------------------------------------------------- engine


@dataclass
class _Out:
    claimed: _Claimed
    hoso: HoSo
    progress: QuaTrinhXuLy | None
    version: int
    status: int
    result: tuple[int, str] | None = None  # the dossier push's answer


@dataclass(frozen=True)
class _Names:
    """What a HoSo names besides the dossier's own data, read once per wave: the office
    (DonViXuLy), the procedures' names and fields (TenTTHC, MaLinhVuc, TenLinhVuc) and the
    download URL template of the files (DuongDanTaiTepTin)."""

    unit_name: str = ""
    file_url: str = ""
    #: MaTTHC → (procedure name, field name)
    procedures: dict[str, tuple[str, str]] = field(default_factory=dict)


def _file_url(template: str) -> str:
    """The configured URL template when it is usable (it has ``{sha256}`` and nothing else
    to fill), else ""."""
    template = (template or "").strip()
    if "{sha256}" not in template:
        return ""
    try:
        template.format(sha256="0" * 64)
    except (KeyError, IndexError, ValueError):
        log.warning("sync.file_url is not a usable template: DuongDanTaiTepTin left empty")
        return ""
    return template


def _portal_objects(claimed: _Claimed, agency: str,
                    names: _Names | None = None) -> tuple[HoSo, QuaTrinhXuLy | None, int]:
    """The HoSo (and progress row) of an outbox item; ValueError when it has no code."""
    change = Change.from_outbox(uid=claimed.uid, kind=claimed.kind,
                                dossier_uid=claimed.dossier_uid, payload=claimed.payload,
                                created_at=claimed.created_at,
                                procedure_code=claimed.procedure_code)
    payload = change.payload
    snap = payload.dossier
    if not snap.code:
        raise ValueError("no code")
    record = DossierRecord(
        agency_code=agency, version=snap.version, updated_at=claimed.created_at,
        dossier=snap, supplement_rounds=payload.supplement_rounds, results=payload.results,
        result_return=payload.result_return, apologies=payload.apologies,
        components=payload.components, fees=payload.fees)
    names = names or _Names()
    proc_name, field_name = names.procedures.get(snap.procedure_code or "", ("", ""))
    hoso = hoso_from_record(record, procedure_name=proc_name,
                            field_code=field_code(field_name) if field_name else "",
                            field_name=field_name, unit_name=names.unit_name,
                            file_url=names.file_url)
    row = payload.progress
    progress = qua_trinh_from_progress(snap.code, cast(ProgressData, row)) if row else None
    return hoso, progress, snap.version


def _desk_ready(rec: ProcedureRecord) -> ProcedureRecord:
    """The record with the time units the desk cannot compute with ("Tháng", …) dropped:
    the procedure is then loaded as published without a unit, for the office to confirm
    (the published text stays in ``as_published``), instead of being refused."""
    rows = []
    for row in rec.processing_time:
        try:
            TimeUnit.from_label(row.unit)
        except DomainError:
            row = row.model_copy(update={"unit": None})
        rows.append(row)
    return rec.model_copy(update={"processing_time": rows})


def _keep_fully_online(rec: ProcedureRecord, fully_online: set[str]) -> ProcedureRecord:
    """A procedure the desk has as fully online (level 4) stays so while the portal still
    lists its online channel: LayThuTuc does not say "toàn trình"."""
    online = rec.online
    if (rec.code in fully_online and online is not None and online.toan_trinh is None
            and "Trực tuyến" in online.kenh_nop):
        return rec.model_copy(update={"online": online.model_copy(update={"toan_trinh": True})})
    return rec


class DvcqgEngine(SyncEngine):
    """The sync engine over a national-portal gateway (``client`` is a PortalClient)."""

    def __init__(self, store: Any, client: PortalClient, officer: Any, *,
                 other_clients: dict[int, PortalClient] | None = None,
                 batch_size: int = BATCH_SIZE, **kwargs: Any) -> None:
        super().__init__(store, cast(SyncClient, client), officer,
                         other_clients=cast(Any, other_clients), **kwargs)
        self.batch_size = batch_size
        #: MaHoSo the portal is known to have (this engine's life): sent as updates.
        self._on_portal: set[str] = set()

    def _round(self, report: RoundReport) -> None:
        self.client.probe()
        self._check_cancel()
        self._push(report)
        self._check_cancel()
        self._reference_data(report)

    # --------------------------------------------------------------- catalogue

    def _reference_data(self, report: RoundReport) -> None:
        """The main engine's daily step (same setting, same ``reference_every``), after the
        push here so that a long first refresh does not hold the officer's changes back.
        The portal has no holiday calendar service: only the catalogue is refreshed, the
        desk keeps its own calendar (resources/seed/holidays.json and the office's edits).
        A refusal of the list is noted and tried again next round, like the main engine's.
        """
        now = self._now()
        with self.store.reading() as session:
            checked = settings.get(session, REFERENCE_CHECKED_KEY) or ""
        if checked:
            try:
                if now - datetime.fromisoformat(checked) < self.reference_every:
                    return
            except ValueError:
                pass  # a damaged value: refresh
        try:
            report.catalogue_changes += self._refresh_catalogue(report, now)
        except Refused as exc:
            report.problems.append(f"Chưa cập nhật được danh mục thủ tục từ cổng dịch vụ "
                                   f"công: {exc.message_vi}")
            return
        self._tx(lambda s: settings.put(s, REFERENCE_CHECKED_KEY, now.isoformat()))

    def _refresh_catalogue(self, report: RoundReport, now: datetime) -> int:
        """The procedures the portal lists that are new or whose line changed, fetched one
        by one (LayThuTuc) and loaded in one transaction with refresh_catalogue, like the
        main engine's catalogue; the number of procedures added or changed.

        A record that cannot be read is skipped (a log line with its code, a line in the
        report's problems) and asked for again at the next refresh; it never stops the
        round. Refused for the list itself; no connection stops the round as usual (what
        came until then is kept).
        """
        with self.store.reading() as session:
            known: dict[str, str] = dict(settings.get(session, CATALOGUE_LINES_KEY) or {})
        portal = cast(PortalClient, self.client)
        lines = portal.procedures()
        wanted: dict[str, str] = {}
        skipped: list[str] = []
        for line in lines:
            upper = {str(k).upper(): v for k, v in line.items()}
            code = str(upper.get("MATTHC") or "").strip()
            if not code:
                skipped.append("?")
                continue
            digest = hashlib.sha256(canonical_json(line).encode("utf-8")).hexdigest()
            if known.get(code) != digest:
                wanted[code] = digest
        fetched: dict[str, ProcedureRecord] = {}  # requested code → record
        try:
            for code in list(wanted):
                self._check_cancel()
                try:
                    raw = portal.procedure(code)
                    if raw is None:
                        raise ValueError("not found")
                    fetched[code] = _desk_ready(procedure_from_thu_tuc(raw))
                except (Refused, ValueError, TypeError, KeyError, AttributeError) as exc:
                    # The catalogue is public data: the code and the reason are safe to log.
                    log.warning("catalogue: procedure %s from the portal skipped: %s",
                                code[:64], exc.message if isinstance(exc, Refused) else exc)
                    skipped.append(code[:64])
                    del wanted[code]
        except (Offline, ServerBusy, Cancelled):
            # The line went down: keep what came (it is not asked for again), retry the rest
            # at the next round.
            loaded, _changes = self._load_catalogue(fetched, now, [])
            self._save_lines(wanted, loaded)
            raise
        loaded, changes = self._load_catalogue(fetched, now, skipped)
        self._save_lines(wanted, loaded)
        if skipped:
            shown = ", ".join(skipped[:5]) + (", …" if len(skipped) > 5 else "")
            report.problems.append(f"Danh mục thủ tục từ cổng dịch vụ công: bỏ qua "
                                   f"{len(skipped)} thủ tục không đọc được ({shown}); sẽ thử "
                                   "lại vào lần cập nhật sau.")
        log.info("catalogue from the portal: %d line(s), %d fetched, %d loaded, %d changed, "
                 "%d skipped", len(lines), len(fetched), len(loaded), changes, len(skipped))
        return changes

    def _save_lines(self, wanted: dict[str, str], loaded: set[str]) -> None:
        """Remember the list lines of the loaded procedures (not asked for again while
        their line stays the same)."""
        if not loaded:
            return

        def tx(session: Any) -> None:
            lines = dict(settings.get(session, CATALOGUE_LINES_KEY) or {})
            lines.update({code: digest for code, digest in wanted.items() if code in loaded})
            settings.put(session, CATALOGUE_LINES_KEY, lines)

        self._tx(tx)

    def _load_catalogue(self, fetched: dict[str, ProcedureRecord], now: datetime,
                        skipped: list[str]) -> tuple[set[str], int]:
        """Load the records with refresh_catalogue in one transaction: (the requested codes
        loaded, how many procedures were added or changed). If that fails (two fields the
        desk cannot tell apart, a value the desk refuses), one transaction per record so
        that only the bad ones are left out (added to ``skipped``)."""
        if not fetched:
            return set(), 0

        def load(batch: list[ProcedureRecord]) -> int:
            def tx(session: Any) -> int:
                # What the portal's format cannot say stays as the desk has it: "fully
                # online" (online level 4).
                fully_online = set(session.execute(select(Procedure.code).where(
                    Procedure.code.in_([r.code for r in batch]),
                    Procedure.online_level == "4")).scalars())
                data = [_keep_fully_online(r, fully_online).model_dump(mode="json")
                        for r in batch]
                done = refresh_catalogue(session, incoming.PROVINCE, {"procedures": data},
                                         at=now, complete=False)
                return len(done.added) + len(done.updated)

            return self._tx(tx)

        try:
            return set(fetched), load(list(fetched.values()))
        except (SQLAlchemyError, DomainError, ValueError, KeyError, TypeError) as exc:
            log.warning("catalogue from the portal: loading all at once failed (%s); loading "
                        "one by one", type(exc).__name__)
        loaded: set[str] = set()
        changes = 0
        for code, rec in fetched.items():
            try:
                changes += load([rec])
            except (SQLAlchemyError, DomainError, ValueError, KeyError, TypeError) as exc:
                log.warning("catalogue: procedure %s from the portal not loaded: %s",
                            rec.code, type(exc).__name__)
                skipped.append(rec.code)
                continue
            loaded.add(code)
        return loaded, changes

    # ------------------------------------------------------------------- waves

    def _wave(self) -> list[int]:
        now = self._now()
        with self.store.reading() as session:
            rows = session.execute(
                select(OutboxItem.id, OutboxItem.dossier_id, OutboxItem.officer_id,
                       OutboxItem.state, OutboxItem.next_attempt_at)
                .where(OutboxItem.state.in_((OutboxState.PENDING, OutboxState.FAILED)),
                       OutboxItem.dossier_id.is_not(None))
                .order_by(OutboxItem.id)).all()
            blocked = set(session.execute(select(SyncConflict.dossier_id).where(
                SyncConflict.resolved_at.is_(None), SyncConflict.blocking.is_(True),
                SyncConflict.dossier_id.is_not(None))).scalars())
        seen: set[int] = set()
        wave: list[int] = []
        for row in rows:
            if row.dossier_id in seen:
                continue
            seen.add(row.dossier_id)  # only a dossier's first unsent item: order kept
            if row.dossier_id in blocked or row.officer_id not in self.clients:
                continue
            if (row.state == OutboxState.FAILED and row.next_attempt_at is not None
                    and row.next_attempt_at > now):
                continue
            wave.append(row.id)
            if len(wave) >= self.batch_size:
                break
        return wave

    def _push(self, report: RoundReport) -> None:
        while True:
            self._check_cancel()
            wave = self._wave()
            if not wave:
                return
            by_officer: dict[int | None, list[_Claimed]] = {}

            def claim(session: Any, ids: list[int] = wave) -> list[tuple[int | None, _Claimed]]:
                out = []
                for item_id in ids:
                    c = self._claim(session, item_id)
                    if c is not None:
                        out.append((session.get_one(OutboxItem, item_id).officer_id, c))
                return out

            for officer_id, c in self._tx(claim):
                by_officer.setdefault(officer_id, []).append(c)
            for officer_id, claimed in by_officer.items():
                portal = cast(PortalClient, self.clients[officer_id])
                try:
                    self._send_wave(portal, claimed, report)
                except BaseException:
                    self._tx(lambda s, cs=claimed: [self._release(s, c) for c in cs])
                    raise

    def _names(self, codes: set[str]) -> _Names:
        """The office's name, the file URL template and the names of the wave's procedures:
        one short read per wave."""
        with self.store.reading() as session:
            office = get_office(session)
            template = settings.get(session, FILE_URL_KEY)
            rows = session.execute(
                select(Procedure.code, Procedure.name, Field.name)
                .join(Field, Procedure.field_id == Field.id)
                .where(Procedure.code.in_(sorted(codes)))).all() if codes else []
        return _Names(unit_name=office.name if office is not None else "",
                      file_url=_file_url(template),
                      procedures={code: (name, fname) for code, name, fname in rows})

    def _send_wave(self, portal: PortalClient, claimed: list[_Claimed],
                   report: RoundReport) -> None:
        outs: list[_Out] = []
        names = self._names({c.procedure_code for c in claimed if c.procedure_code})
        for c in claimed:
            if c.state_secret:
                self._tx(lambda s, c=c: self._withdraw(s, c))
                continue
            try:
                hoso, progress, version = _portal_objects(c, portal.agency_code, names)
            except (ValidationError, ValueError, KeyError, TypeError) as exc:
                self._tx(lambda s, c=c, e=exc: self._refuse_locally(s, c, e))
                report.new_conflicts += 1
                continue
            outs.append(_Out(c, hoso, progress, version, int(hoso.TrangThaiHoSo)))
        if not outs:
            return
        try:
            self._push_dossiers(portal, outs)
            with_progress = [o for o in outs if o.result and o.result[0] == OK and o.progress]
            answers = portal.push_progress([cast(QuaTrinhXuLy, o.progress)
                                            for o in with_progress])
            for o, answer in zip(with_progress, answers, strict=True):
                o.result = answer
        except AuthRequired:
            raise
        except (Offline, ServerBusy) as exc:
            self._tx(lambda s, e=exc: [self._failed(s, o.claimed, e) for o in outs
                                if o.result is None or o.result[0] == OK])
            # Objects the portal already refused are marked as such below.
            self._answer(outs, report, failed=True)
            raise Offline(exc.message_vi) from exc
        self._answer(outs, report, failed=False)

    def _push_dossiers(self, portal: PortalClient, outs: list[_Out]) -> None:
        pending = list(outs)
        for _ in range(2):  # the other way for "đã tồn tại" / "không tồn tại"
            again: list[_Out] = []
            for updating in (False, True):
                group = [o for o in pending if (o.hoso.MaHoSo in self._on_portal) == updating]
                answers = portal.push_dossiers([o.hoso for o in group], updating=updating)
                for o, answer in zip(group, answers, strict=True):
                    code = answer[0]
                    if code in (OK, ERR_EXISTS):
                        self._on_portal.add(o.hoso.MaHoSo)
                    elif code == ERR_NOT_FOUND:
                        self._on_portal.discard(o.hoso.MaHoSo)
                    if code in (ERR_EXISTS, ERR_NOT_FOUND):
                        again.append(o)
                    o.result = answer
            pending = again
            if not pending:
                return

    def _answer(self, outs: list[_Out], report: RoundReport, *, failed: bool) -> None:
        def tx(session: Any) -> None:
            now = self._now()
            for o in outs:
                if o.result is None or (failed and o.result[0] == OK):
                    continue  # marked failed
                code, message = o.result
                if code == OK:
                    item = self._item(session, o.claimed)
                    item.state = OutboxState.SENT
                    item.sent_at = now
                    item.attempts += 1
                    item.last_error = ""
                    item.next_attempt_at = None
                    incoming.mark_synced(session, o.claimed.dossier_id, version=o.version,
                                         status=o.status, at=now)
                    report.pushed += 1
                else:
                    self._refused(session, o.claimed, Refused(200, ErrorAnswer(
                        code=f"dvcqg_{code}", message=message[:500],
                        message_vi=message[:500] or f"Cổng trả lời mã lỗi {code}.")))
                    report.new_conflicts += 1

        self._tx(tx)


def portal_state(portal: PortalClient, codes: Sequence[str]) -> dict[str, dict[str, Any] | None]:
    """TraCuuHoSo for each code (a check after a push)."""
    return {code: portal.lookup(code) for code in codes}


def dossier_codes(store: Any) -> list[str]:
    with store.reading() as session:
        return [c for c in session.execute(select(Dossier.code).where(
            Dossier.code.is_not(None), Dossier.state_secret.is_(False))).scalars()]
