"""The national-portal (DVCQG) connector: the desk's outbox pushed through the portal's
integration services, for a province whose gateway exposes only that interface.

Transport (../shared/domain/dossier-exchange-format.md; the reference server serves it
under ``/dvcqg``): ``POST {gateway}/login`` → ``session``; ``POST {gateway}/service``
with ``session``, ``madonvi``, ``service`` = DongBoHoSoMC (``isUpdating``, ``data``:
HoSo objects), CapNhatTienDoHoSoMC (``data``: QuaTrinhXuLy rows), TraCuuHoSo
(``mahoso``). Replies are HTTP 200 with ``error_code`` (0 = success) and, for the
batch services, one result per object.

``PortalClient`` is the officer's session (the password only in the OS keyring,
under its own key ``dvcqg:<agency>/<user>``; TLS always verified plus the
province's CA bundle). ``DvcqgEngine`` is the sync engine with its push replaced:
outbox items go in *waves* — the next unsent item of up to ``batch_size`` dossiers,
claimed (``in_flight``) in one transaction, sent as one DongBoHoSoMC call (then one
CapNhatTienDoHoSoMC call for their progress rows), answered in one transaction:

- success → ``sent`` (what the province now has goes to ``sync_dossiers``);
- "đã tồn tại" to a new dossier / "không tồn tại" to an update → sent again the
  other way (the portal's usual order; a repeat is harmless: the dossier object
  replaces the portal's and a progress row is keyed by MaHoSo + its fields, so the
  same change sent twice is stored once);
- any other refusal → ``conflict`` with the portal's message and a blocking
  conflict entry, like the main engine;
- no connection / 5xx / a broken answer → ``failed`` with back-off; the round
  stops pushing.

Idempotency: an item is sent only while it is claimed, and it is marked ``sent``
in the same transaction that records the portal's answer; an item left in flight
by a killed process is resent (MaHoSo + the change's content make that safe).
The portal has no pull, file upload, number blocks or integrity digests: a round
is the push only (TraCuuHoSo serves checks: ``PortalClient.lookup``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
from pydantic import ValidationError
from sqlalchemy import select

from desktop.services import incoming
from desktop.store.models import Dossier, OutboxItem, OutboxState, SyncConflict
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
from sync.engine import RoundReport, SyncEngine, _Claimed
from sync.national import (
    ERR_EXISTS,
    ERR_NOT_FOUND,
    ERR_SESSION,
    OK,
    SERVICE_LOOKUP,
    SERVICE_PROGRESS,
    SERVICE_PUSH,
    HoSo,
    PortalLoginReply,
    PortalReply,
    QuaTrinhXuLy,
    hoso_from_record,
    qua_trinh_from_progress,
)
from sync.protocol import Change, DossierRecord, ErrorAnswer, ProgressData

log = logging.getLogger("motcua.sync.dvcqg")

#: Dossiers per DongBoHoSoMC call; progress rows per CapNhatTienDoHoSoMC call.
BATCH_SIZE = 50
PROGRESS_BATCH = 50


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
                          data=[h.model_dump() for h in hosos])
        return self._items(reply, len(hosos))

    def push_progress(self, rows: Sequence[QuaTrinhXuLy]) -> list[tuple[int, str]]:
        """CapNhatTienDoHoSoMC: (error_code, message) per row, in order."""
        out: list[tuple[int, str]] = []
        for i in range(0, len(rows), PROGRESS_BATCH):
            chunk = rows[i:i + PROGRESS_BATCH]
            reply = self.call(SERVICE_PROGRESS, data=[r.model_dump() for r in chunk])
            out.extend(self._items(reply, len(chunk)))
        return out


# ----------------------------------------------------------------------------- engine


@dataclass
class _Out:
    claimed: _Claimed
    hoso: HoSo
    progress: QuaTrinhXuLy | None
    version: int
    status: int
    result: tuple[int, str] | None = None  # the dossier push's answer


def _portal_objects(claimed: _Claimed, agency: str) -> tuple[HoSo, QuaTrinhXuLy | None, int]:
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
    hoso = hoso_from_record(record)
    row = payload.progress
    progress = qua_trinh_from_progress(snap.code, cast(ProgressData, row)) if row else None
    return hoso, progress, snap.version


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

    def _send_wave(self, portal: PortalClient, claimed: list[_Claimed],
                   report: RoundReport) -> None:
        outs: list[_Out] = []
        for c in claimed:
            if c.state_secret:
                self._tx(lambda s, c=c: self._withdraw(s, c))
                continue
            try:
                hoso, progress, version = _portal_objects(c, portal.agency_code)
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
