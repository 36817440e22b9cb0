"""The procedure catalogue: seeding from the published list, reading it back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.calendar import TimeUnit
from desktop.domain.text import fold
from desktop.services import audit
from desktop.services.actor import Actor
from desktop.store.models import (
    Channel,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    ProcedureResult,
)

CHANNEL_BY_LABEL = {
    "Trực tiếp": Channel.IN_PERSON,
    "Trực tuyến": Channel.ONLINE,
    "Dịch vụ bưu chính": Channel.POST,
}
_CUTOFF_RE = re.compile(r"sau\s+(\d{1,2})\s*giờ", re.IGNORECASE)


def is_conditional_component(name: str) -> bool:
    """A paper needed only in some cases ("Trường hợp …", "… (nếu có)")."""
    low = name.lower()
    return (low.startswith(("trường hợp", "đối với", "nếu", "riêng", "ngoài ra"))
            or "(nếu có)" in low or "nếu người" in low or "trường hợp" in low[:80])


def field_code(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:64]


def _time_for(record: Mapping[str, Any], online: bool) -> tuple[float | None, str | None]:
    """Pick the published processing time for in-person/post or for online."""
    rows = record.get("processing_time") or []
    preferred = ["Trực tuyến"] if online else ["Trực tiếp", "Dịch vụ bưu chính"]
    for label in preferred:
        for row in rows:
            if row.get("channel") == label and row.get("amount") is not None:
                unit = TimeUnit.from_label(row.get("unit"))
                return float(row["amount"]), unit.value if unit else None
    return None, None


def _online_level(record: Mapping[str, Any]) -> str:
    online = record.get("online") or {}
    if online.get("toan_trinh"):
        return "4"
    if "Trực tuyến" in (online.get("kenh_nop") or []):
        return "3"
    return "2"


def _cutoff(record: Mapping[str, Any]) -> str | None:
    for rule in record.get("time_rules") or []:
        m = _CUTOFF_RE.search(rule)
        if m and "ngày làm việc tiếp theo" in rule:
            return f"{int(m.group(1)):02d}:00"
    return None


def _fill(proc: Procedure, rec: Mapping[str, Any], field: Field, *, times: bool,
          components: bool) -> None:
    """Write a published record onto a procedure (its time and papers only when asked)."""
    proc.name = rec["name"].strip()
    proc.field = field
    proc.online_level = _online_level(rec)
    if times:
        proc.time_amount, proc.time_unit = _time_for(rec, online=False)
        proc.online_time_amount, proc.online_time_unit = _time_for(rec, online=True)
        proc.cutoff = _cutoff(rec)
    proc.announced_by = rec.get("announced_by") or ""
    proc.applicants = rec.get("applicants") or ""
    proc.source_url = rec.get("source") or ""
    proc.unconfirmed_notes = "\n".join(rec.get("unconfirmed") or [])
    proc.active = True
    proc.fees = [
        ProcedureFee(
            channel=CHANNEL_BY_LABEL.get(f.get("channel"), Channel.IN_PERSON).value,
            amount=int(f.get("amount_vnd") or 0),
            currency="USD" if "USD" in (f.get("as_published") or "") else "VND",
            description=f.get("description") or "",
            as_published=f.get("as_published") or "",
        )
        for f in rec.get("fees") or []
    ]
    if components:
        proc.components = [
            ProcedureComponent(
                position=i + 1, name=c["name"].strip(), section=c.get("section") or "",
                originals=int(c.get("originals") or 0),
                certified=int(c.get("copies") or 0) if "chứng thực" in (c.get("as_published") or "") else 0,
                photocopies=int(c.get("copies") or 0) if "chứng thực" not in (c.get("as_published") or "") else 0,
                # The published sections rarely say "phải nộp"; a paper is required
                # unless its text makes it conditional.
                required=not is_conditional_component(c["name"]),
            )
            for i, c in enumerate(rec.get("components") or [])
        ]
    proc.results = [
        ProcedureResult(code=r.get("code") or "", name=r["name"].strip())
        for r in rec.get("results") or []
    ]


def _field(session: Session, fields: dict[str, Field], rec: Mapping[str, Any]) -> Field:
    fname = (rec.get("field") or "Khác").strip()
    if fname not in fields:
        fields[fname] = Field(code=field_code(fname), name=fname)
        session.add(fields[fname])
    return fields[fname]


def seed_catalogue(session: Session, actor: Actor, data: Mapping[str, Any], *,
                   at: datetime | None = None) -> int:
    """Insert or refresh the procedures of a published list (resources/seed/procedures.json).

    Returns the number of procedures written. Existing procedures keep their
    id (dossiers refer to them); a procedure already seeded (it has papers) is
    left as it is: the office may have edited it.
    """
    fields = {f.name: f for f in session.execute(select(Field)).scalars()}
    existing = {p.code: p for p in session.execute(select(Procedure)).scalars()}
    count = 0
    for rec in data.get("procedures", []):
        proc = existing.get(rec["code"])
        if proc is None:
            proc = Procedure(code=rec["code"])
            session.add(proc)
            existing[rec["code"]] = proc
        elif proc.components:
            continue  # already seeded; the office may have edited it
        _fill(proc, rec, _field(session, fields, rec), times=True, components=True)
        count += 1
    session.flush()
    audit.record(session, actor, "catalogue.seed", "procedure", "", after={"procedures": count},
                 at=at)
    return count


@dataclass
class CatalogueRefresh:
    """What a refresh from the province's catalogue changed (audited, shown after a round)."""

    added: list[str] = dc_field(default_factory=list)
    updated: list[str] = dc_field(default_factory=list)
    #: Procedures whose papers changed at the province but stay as they were here,
    #: because dossiers already refer to them.
    papers_kept: list[str] = dc_field(default_factory=list)
    #: Local procedures the province's list no longer has (left active: an office
    #: decision; listed in the audit event).
    not_listed: list[str] = dc_field(default_factory=list)


def refresh_catalogue(session: Session, actor: Actor, data: Mapping[str, Any], *,
                      at: datetime | None = None, complete: bool = True) -> CatalogueRefresh:
    """Bring the catalogue in line with the province's published one (the sync's refresh).

    The province is the authority on what it publishes: names, fields, fees,
    results, online level. A processing time is taken when the province gives
    both an amount and a unit; one published without a unit leaves the time
    the office confirmed. Papers are replaced only while no dossier uses the
    procedure (a dossier's papers point at them). Nothing is deleted.
    ``complete``: ``data`` is the whole published list (else only some procedures,
    and the local ones it lacks are not listed as missing).
    """
    from desktop.store.models import DossierComponent

    fields = {f.name: f for f in session.execute(select(Field)).scalars()}
    existing = {p.code: p for p in session.execute(
        select(Procedure).options(selectinload(Procedure.components),
                                  selectinload(Procedure.fees),
                                  selectinload(Procedure.results))).scalars()}
    used = set(session.execute(select(ProcedureComponent.procedure_id).join(
        DossierComponent, DossierComponent.procedure_component_id == ProcedureComponent.id)
        .distinct()).scalars())
    out = CatalogueRefresh()
    listed: set[str] = set()
    for rec in data.get("procedures", []):
        code = rec["code"]
        listed.add(code)
        proc = existing.get(code)
        if proc is None:
            proc = Procedure(code=code)
            session.add(proc)
            _fill(proc, rec, _field(session, fields, rec), times=True, components=True)
            out.added.append(code)
            continue
        before = _published(proc)
        keep_papers = proc.id in used
        published_time = _time_for(rec, online=False)
        _fill(proc, rec, _field(session, fields, rec),
              times=published_time[1] is not None, components=not keep_papers)
        if keep_papers and [c["name"].strip() for c in rec.get("components") or []] != [
                c.name for c in sorted(proc.components, key=lambda c: c.position)]:
            out.papers_kept.append(code)
        if _published(proc) != before:
            out.updated.append(code)
    out.not_listed = sorted(set(existing) - listed) if complete else []
    session.flush()
    audit.record(session, actor, "catalogue.refresh", "procedure", "", after={
        "added": out.added, "updated": out.updated, "papers_kept": out.papers_kept,
        "not_listed": out.not_listed[:200]}, at=at)
    return out


def _published(proc: Procedure) -> tuple[Any, ...]:
    """What a refresh may change on a procedure, to tell whether it did."""
    return (proc.name, proc.field.name if proc.field else None, proc.online_level,
            proc.time_amount, proc.time_unit, proc.online_time_amount, proc.online_time_unit,
            proc.cutoff, proc.announced_by, proc.applicants,
            tuple((f.channel, f.amount, f.currency, f.description) for f in proc.fees),
            tuple((r.code, r.name) for r in proc.results),
            tuple(c.name for c in sorted(proc.components, key=lambda c: c.position)))


def list_procedures(session: Session, *, active_only: bool = True) -> list[Procedure]:
    q = select(Procedure).options(selectinload(Procedure.fees)).order_by(Procedure.code)
    if active_only:
        q = q.where(Procedure.active.is_(True))
    return list(session.execute(q).scalars())


def fee_for(procedure: Procedure, channel: Channel) -> int:
    """The VND fee the catalogue sets for a channel (0 when free or unknown)."""
    for fee in procedure.fees:
        if fee.channel == channel.value and fee.currency == "VND":
            return fee.amount
    return 0


def update_processing_time(session: Session, actor: Actor, procedure_id: int, *,
                           amount: float | None, unit: str | None,
                           online_amount: float | None, online_unit: str | None,
                           cutoff: str | None) -> Procedure:
    """Confirm or correct a procedure's processing time (the catalogue often lost its unit)."""
    from desktop.services.validation import Collector, PermissionDenied
    from desktop.store.models import Role

    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới sửa được danh mục thủ tục.")
    c = Collector()
    units = {u.value for u in TimeUnit}
    if amount is None or amount < 0:
        c.add("amount", "Thời hạn giải quyết phải là số không âm.")
    if unit not in units:
        c.add("unit", "Chọn đơn vị thời hạn: ngày làm việc, ngày hoặc giờ làm việc.")
    if online_amount is not None and (online_amount < 0 or online_unit not in units):
        c.add("online_amount", "Thời hạn trực tuyến cần số không âm và một đơn vị.")
    cutoff = (cutoff or "").strip() or None
    if cutoff is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", cutoff):
        c.add("cutoff", "Giờ chốt nhận hồ sơ viết dạng HH:MM, ví dụ 15:00.")
    c.raise_if_any()
    proc = session.get_one(Procedure, procedure_id)
    before = {"amount": proc.time_amount, "unit": proc.time_unit, "online_amount":
              proc.online_time_amount, "online_unit": proc.online_time_unit, "cutoff": proc.cutoff}
    proc.time_amount, proc.time_unit = amount, unit
    proc.online_time_amount = online_amount
    proc.online_time_unit = online_unit if online_amount is not None else None
    proc.cutoff = cutoff
    audit.record(session, actor, "procedure.time", "procedure", proc.code, before=before,
                 after={"amount": amount, "unit": unit, "online_amount": online_amount,
                        "online_unit": proc.online_time_unit, "cutoff": cutoff})
    return proc


def confirm_missing_units(session: Session, actor: Actor, *,
                          unit: TimeUnit = TimeUnit.WORKING_DAYS, default_amount: float = 1.0,
                          at: datetime | None = None) -> list[str]:
    """Give every procedure published without a time unit `unit` (and an amount if none).

    For an office that has checked its catalogue and found the missing units to
    be working days (the usual case), and for the demo office. Returns the codes changed.
    """
    from desktop.services.validation import PermissionDenied
    from desktop.store.models import Role

    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới sửa được danh mục thủ tục.")
    changed: list[str] = []
    for proc in session.execute(select(Procedure).where(Procedure.time_unit.is_(None))).scalars():
        proc.time_unit = unit.value
        if proc.time_amount is None:
            proc.time_amount = default_amount
        if proc.online_time_unit is None:
            proc.online_time_unit = unit.value
            if proc.online_time_amount is None:
                proc.online_time_amount = proc.time_amount
        changed.append(proc.code)
    if changed:
        audit.record(session, actor, "catalogue.confirm_units", "procedure", "",
                     after={"unit": unit.value, "default_amount": default_amount,
                            "procedures": changed}, at=at)
    return changed
