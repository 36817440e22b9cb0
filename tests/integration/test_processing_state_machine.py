"""Random sequences of processing actions by random officers never reach an illegal state.

A hypothesis state machine receives a few dossiers (at the desk or online) and
lets the desk officer, two specialists and a leader try any action on any of
them, with valid or invalid input, while the clock moves on. After every step:

- each dossier's status is the status of its last progress row, and its
  progress rows follow TRANSITIONS from an initial status;
- the audit chain verifies;
- a dossier that is not a state secret has exactly one outbox item per
  progress row, in the same order, and one per approved apology (its new
  date), each with the dossier's version at that time; a state-secret one
  has none;
- the bookkeeping of each status holds (assignee in processing, one open
  supplement round while waiting for papers, results when processed, the
  receiver when returned, the first due date kept);
- an action is accepted exactly when `actions_for` offered it, and a refused
  action changed nothing (row counts and dossier versions before and after).
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from desktop.domain.status import INITIAL_STATUSES, TRANSITIONS, Status
from desktop.paths import DataPaths
from desktop.services import audit, auth, dossiers, processing, reception
from desktop.services.actor import Actor
from desktop.services.catalogue import confirm_missing_units
from desktop.services.office import initialise_office
from desktop.services.validation import PermissionDenied, ValidationError
from desktop.store.database import open_store
from desktop.store.models import (
    Apology,
    AuditEvent,
    Dossier,
    DossierFee,
    DossierResult,
    Officer,
    OutboxItem,
    Procedure,
    ProgressRow,
    ResultReturn,
    Role,
    SearchQueue,
    SupplementRound,
)
from tests.conftest import admin_form, office_form

START = datetime(2026, 11, 26, 9, 30)  # a Thursday
MAX_DOSSIERS = 4
OFFICERS = ("desk", "spec1", "spec2", "leader")
TABLES = (Dossier, ProgressRow, AuditEvent, OutboxItem, SearchQueue, SupplementRound, DossierFee,
          DossierResult, Apology, ResultReturn)

_template: dict[str, object] = {}


def _template_office() -> tuple[Path, dict[str, Actor], int]:
    """One office with its staff, built once; every example starts from a copy of its file."""
    if not _template:
        root = Path(tempfile.mkdtemp(prefix="motcua-sm-template-"))
        atexit.register(shutil.rmtree, root, True)
        store = open_store(DataPaths(root / "data"))
        try:
            initialise_office(store, office_form(), admin_form())
            with store.transaction() as s:
                admin = Actor.of(s.execute(select(Officer).where(Officer.username == "quantri"))
                                 .scalar_one())
                confirm_missing_units(s, admin)
                people = {}
                for key, username, name, role in (
                        ("desk", "tiepnhan1", "Trần Thị Thu Hà", Role.FRONT_DESK),
                        ("spec1", "tuphap", "Phạm Thị Ngọc Lan", Role.SPECIALIST),
                        ("spec2", "diachinh", "Hoàng Văn Dũng", Role.SPECIALIST),
                        ("leader", "lanhdao", "Đặng Quốc Bảo", Role.LEADER)):
                    o = auth.create_officer(s, admin, username=username, full_name=name,
                                            password="mat-khau-456", roles=[role])
                    people[key] = Actor(o.id, o.full_name, roles=frozenset({role}))
                procedure_id = s.execute(select(Procedure.id)
                                         .where(Procedure.code == "1.004873")).scalar_one()
            store.checkpoint("TRUNCATE")
        finally:
            store.close()
        _template.update(db=root / "data" / "motcua.db", people=people, procedure=procedure_id)
    return _template["db"], _template["people"], _template["procedure"]  # type: ignore[return-value]


class ProcessingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        template, self.people, self.procedure_id = _template_office()
        self.root = Path(tempfile.mkdtemp(prefix="motcua-sm-"))
        paths = DataPaths(self.root / "data")
        paths.root.mkdir(parents=True)
        shutil.copyfile(template, paths.root / "motcua.db")
        self.store = open_store(paths)
        self.ids: list[int] = []
        self.first_due: dict[int, datetime | None] = {}
        self.now = START

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # ----------------------------------------------------------------- helpers

    def footprint(self) -> tuple:
        with self.store.reading() as s:
            counts = tuple(s.execute(select(func.count()).select_from(t)).scalar_one()
                           for t in TABLES)
            rows = tuple(s.execute(select(Dossier.id, Dossier.version, Dossier.status,
                                          Dossier.due_at, Dossier.assignee_id,
                                          Dossier.state_secret)).all())
            pending = tuple(s.execute(select(Apology.id, Apology.state)).all())
        return counts, rows, pending

    def tick(self, minutes: int = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def form(self) -> reception.ReceptionForm:
        with self.store.reading() as s:
            lines = reception.components_for(s, self.procedure_id)
        for line in lines:
            if line.state == reception.ComponentState.MISSING:
                line.state = reception.ComponentState.PRESENT
        return reception.ReceptionForm(
            procedure_id=self.procedure_id,
            applicant=reception.PersonForm(
                id_number="001090123456", name="Nguyễn Văn Đức", birth_date=date(1990, 5, 17),
                sex="Nam", address="Thôn Phú Mỹ, xã Tân Phú", phone="0912345678"),
            components=lines)

    # ------------------------------------------------------------------- rules

    @precondition(lambda self: len(self.ids) < MAX_DOSSIERS)
    @rule()
    def receive_at_the_desk(self) -> None:
        saved = reception.receive(self.store, self.people["desk"], self.form(), now=self.tick())
        self.ids.append(saved.dossier_id)
        with self.store.reading() as s:
            self.first_due[saved.dossier_id] = s.get_one(Dossier, saved.dossier_id).original_due_at

    @precondition(lambda self: len(self.ids) < MAX_DOSSIERS)
    @rule()
    def submitted_online(self) -> None:
        with self.store.transaction() as s:
            d = Dossier(procedure_id=self.procedure_id, channel="2", status=1,
                        applicant_name="Võ Thị Kim Oanh", applicant_id_number="079190123456",
                        submitted_at=self.tick())
            dossiers.create(s, Actor(None, "Cổng dịch vụ công"), d, content="Nộp trực tuyến",
                            at=self.now)
            self.ids.append(d.id)
            self.first_due[d.id] = None

    @precondition(lambda self: self.ids)
    @rule()
    def receive_online(self) -> None:
        """The desk receives the oldest online submission (reception's own service)."""
        with self.store.reading() as s:
            waiting = [i for i in self.ids if s.get_one(Dossier, i).status == 1]
        if waiting:
            reception.receive_online(self.store, self.people["desk"], waiting[0], now=self.tick())
            with self.store.reading() as s:
                self.first_due[waiting[0]] = s.get_one(Dossier, waiting[0]).original_due_at

    @rule(minutes=st.integers(min_value=1, max_value=3 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        self.tick(minutes)

    def attempt(self, action: str, who: str, d: int, variant: bool, receiver: str,
                offered: list[str] | None = None) -> bool:
        """Try `action` with valid input; check it against `actions_for`. True if accepted."""
        actor = self.people[who]
        at = self.tick()
        with self.store.reading() as s:
            if offered is None:
                offered = processing.actions_for(s, actor, d, now=at)
            row = s.get_one(Dossier, d)
            due, assignee = row.due_at, row.assignee_id
            pending = [a.id for a in processing.apologies_of(s, d) if a.state == "pending"]
        specialist = self.people[receiver].officer_id
        handover = specialist if (variant or assignee is None) else None
        p = processing
        calls = {
            p.HAND_OVER: lambda: p.hand_over(self.store, actor, d, specialist, now=at),
            p.REQUEST_SUPPLEMENT: lambda: p.request_supplement(
                self.store, actor, d, ["Giấy xác nhận cư trú"],
                "Thiếu giấy tờ chứng minh nơi cư trú", now=at),
            p.RECEIVE_SUPPLEMENT: lambda: p.receive_supplement(
                self.store, actor, d, specialist_id=handover, now=at),
            p.REQUIRE_PAYMENT: lambda: p.require_payment(self.store, actor, d, 30_000,
                                                         "Lệ phí hộ tịch", now=at),
            p.RECORD_PAYMENT: lambda: p.record_payment(self.store, actor, d, online=variant,
                                                       specialist_id=handover, now=at),
            p.FINISH: lambda: p.finish(self.store, actor, d,
                                       ["Giấy xác nhận tình trạng hôn nhân"], now=at),
            p.RETURN_RESULT: lambda: p.return_result(
                self.store, actor, d, receiver_name="Nguyễn Văn Đức" if variant else "Lê Thị Hoa",
                by_post=not variant, now=at),
            p.STOP: lambda: p.stop(self.store, actor, d, "Chờ kết quả xác minh của Công an xã",
                                   now=at),
            p.RESUME: lambda: p.resume(self.store, actor, d, specialist_id=handover, now=at),
            p.WITHDRAW: lambda: p.withdraw(self.store, actor, d, "Công dân không còn nhu cầu",
                                           now=at),
            p.PROPOSE_APOLOGY: lambda: p.propose_apology(
                self.store, actor, d, "Chờ xác minh thông tin hộ tịch",
                max(due or at, at) + timedelta(days=7), now=at),
            p.APPROVE_APOLOGY: lambda: p.approve_apology(self.store, actor, pending[0], now=at),
            p.REJECT_APOLOGY: lambda: p.reject_apology(self.store, actor, pending[0], now=at),
            p.MARK_STATE_SECRET: lambda: p.mark_state_secret(self.store, actor, d, now=at),
        }
        if action in (p.APPROVE_APOLOGY, p.REJECT_APOLOGY) and not pending:
            assert action not in offered
            return False
        before = self.footprint()
        try:
            calls[action]()
        except (PermissionDenied, ValidationError) as exc:
            assert action not in offered, (action, who, exc.message_vi)
            assert self.footprint() == before, action
            return False
        assert action in offered, (action, who, offered)
        event(f"accepted: {action}")
        return True

    @precondition(lambda self: self.ids)
    @rule(action=st.sampled_from(processing.ACTIONS), who=st.sampled_from(OFFICERS),
          pick=st.integers(min_value=0, max_value=MAX_DOSSIERS - 1), variant=st.booleans(),
          receiver=st.sampled_from(("spec1", "spec2", "leader")))
    def any_action(self, action: str, who: str, pick: int, variant: bool, receiver: str) -> None:
        """Any officer tries any action: accepted exactly when offered."""
        self.attempt(action, who, self.ids[pick % len(self.ids)], variant, receiver)

    @precondition(lambda self: self.ids)
    @rule(who=st.sampled_from(OFFICERS), pick=st.integers(min_value=0, max_value=MAX_DOSSIERS - 1),
          choice=st.integers(min_value=0, max_value=20), variant=st.booleans(),
          receiver=st.sampled_from(("spec1", "spec2", "leader")))
    def offered_action(self, who: str, pick: int, choice: int, variant: bool,
                       receiver: str) -> None:
        """An officer does one of the actions the UI offers: it must be accepted."""
        d = self.ids[pick % len(self.ids)]
        with self.store.reading() as s:
            offered = processing.actions_for(s, self.people[who], d, now=self.now + timedelta(
                minutes=1))
        if offered:
            assert self.attempt(offered[choice % len(offered)], who, d, variant, receiver,
                                offered)

    @precondition(lambda self: self.ids)
    @rule(action=st.sampled_from((
        processing.HAND_OVER, processing.REQUEST_SUPPLEMENT, processing.REQUIRE_PAYMENT,
        processing.FINISH, processing.RETURN_RESULT, processing.STOP, processing.WITHDRAW,
        processing.PROPOSE_APOLOGY)),
        who=st.sampled_from(OFFICERS), pick=st.integers(min_value=0, max_value=MAX_DOSSIERS - 1))
    def act_with_bad_input(self, action: str, who: str, pick: int) -> None:
        """Missing reason, papers, amount, result or receiver: always refused, nothing written."""
        d = self.ids[pick % len(self.ids)]
        actor = self.people[who]
        at = self.tick()
        p = processing
        calls = {
            p.HAND_OVER: lambda: p.hand_over(self.store, actor, d, self.people["desk"].officer_id,
                                             now=at),
            p.REQUEST_SUPPLEMENT: lambda: p.request_supplement(self.store, actor, d, [], "",
                                                               now=at),
            p.REQUIRE_PAYMENT: lambda: p.require_payment(self.store, actor, d, 0, "", now=at),
            p.FINISH: lambda: p.finish(self.store, actor, d, [" "], now=at),
            p.RETURN_RESULT: lambda: p.return_result(self.store, actor, d, receiver_name="",
                                                     now=at),
            p.STOP: lambda: p.stop(self.store, actor, d, "  ", now=at),
            p.WITHDRAW: lambda: p.withdraw(self.store, actor, d, "ngắn", now=at),
            p.PROPOSE_APOLOGY: lambda: p.propose_apology(self.store, actor, d, "", at, now=at),
        }
        before = self.footprint()
        try:
            calls[action]()
        except (PermissionDenied, ValidationError):
            pass
        else:  # pragma: no cover - a failure
            raise AssertionError(f"{action} accepted bad input")
        assert self.footprint() == before

    # -------------------------------------------------------------- invariants

    @invariant()
    def timelines_follow_the_status_machine(self) -> None:
        with self.store.reading() as s:
            for d_id in self.ids:
                d = s.get_one(Dossier, d_id)
                rows = s.execute(select(ProgressRow).where(ProgressRow.dossier_id == d_id)
                                 .order_by(ProgressRow.acted_at, ProgressRow.id)).scalars().all()
                statuses = [r.status for r in rows]
                assert statuses and Status(statuses[0]) in INITIAL_STATUSES
                for a, b in zip(statuses, statuses[1:], strict=False):
                    assert Status(b) in TRANSITIONS[Status(a)], (a, b)
                assert d.status == statuses[-1]
                assert d.version == len(rows) + (1 if d.state_secret else 0) + s.execute(
                    select(func.count()).select_from(Apology).where(
                        Apology.dossier_id == d_id, Apology.state == "approved")).scalar_one()
                items = s.execute(select(OutboxItem).where(OutboxItem.dossier_id == d_id)
                                  .order_by(OutboxItem.id)).scalars().all()
                if d.state_secret:
                    assert items == []
                else:
                    by_id = sorted(rows, key=lambda r: r.id)
                    payloads = [json.loads(i.payload) for i in items]
                    moves = [(i, pl) for i, pl in zip(items, payloads, strict=True)
                             if "progress" in pl]
                    assert [pl["progress"]["uid"] for _, pl in moves] == [r.uid for r in by_id]
                    assert [i.kind for i, _ in moves] == [
                        f"dossier.{Status(r.status).name.lower()}" for r in by_id]
                    # Changes without a status move: each approved apology's new date.
                    others = [i.kind for i, pl in zip(items, payloads, strict=True)
                              if "progress" not in pl]
                    assert others == ["apology.approve"] * (d.version - len(rows))
                    # Every change went out, in order, with the dossier as it then was.
                    assert [pl["dossier"]["version"] for pl in payloads] == list(
                        range(1, d.version + 1))

    @invariant()
    def bookkeeping_matches_the_status(self) -> None:
        with self.store.reading() as s:
            for d_id in self.ids:
                d = s.get_one(Dossier, d_id)
                open_rounds = s.execute(select(func.count()).select_from(SupplementRound).where(
                    SupplementRound.dossier_id == d_id,
                    SupplementRound.state == "open")).scalar_one()
                assert open_rounds == (1 if d.status == 5 else 0)
                for r in s.execute(select(SupplementRound)
                                   .where(SupplementRound.dossier_id == d_id)).scalars():
                    assert (r.received_at is not None) == (r.state == "received")
                    assert (r.new_due_at is not None) == (r.state == "received")
                if d.status == 4:
                    assert d.assignee_id is not None
                if d.status in (9, 10):
                    assert d.finished_at is not None
                    assert s.execute(select(func.count()).select_from(DossierResult)
                                     .where(DossierResult.dossier_id == d_id)).scalar_one() >= 1
                returned = s.execute(select(func.count()).select_from(ResultReturn)
                                     .where(ResultReturn.dossier_id == d_id)).scalar_one()
                assert returned == (1 if d.status == 10 else 0)
                assert (d.returned_at is not None) == (d.status == 10)
                if d.status == 7:
                    assert d.finished_at is not None and d.reason
                if d.status == 8:
                    assert d.reason
                assert d.original_due_at == self.first_due.get(d_id)
                if d.due_at is not None and d.original_due_at is not None:
                    assert d.due_at >= d.original_due_at
                pending = s.execute(select(func.count()).select_from(Apology).where(
                    Apology.dossier_id == d_id, Apology.state == "pending")).scalar_one()
                assert pending <= 1

    @invariant()
    def audit_chain_verifies(self) -> None:
        with self.store.reading() as s:
            assert audit.verify_chain(s) == []


ProcessingMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestProcessingStateMachine = ProcessingMachine.TestCase
