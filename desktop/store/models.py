"""SQLAlchemy 2 typed models: the local store of one commune office.

The local SQLite file is the source of truth for the desk. Names follow
../shared/domain/GLOSSARY.md; where a column mirrors a field of the national
exchange format (dossier-exchange-format.md) the docstring names that field.

Every constraint is named (see NAMING_CONVENTION) so that Alembic batch
migrations on SQLite can find and alter them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(StrEnum):
    """Officer roles. An officer may hold several."""

    FRONT_DESK = "front_desk"
    SPECIALIST = "specialist"
    LEADER = "leader"
    ADMIN = "admin"


class Channel(StrEnum):
    """KenhThucHien: 1 in person, 2 online, 3 public postal service."""

    IN_PERSON = "1"
    ONLINE = "2"
    POST = "3"


class OutboxState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    FAILED = "failed"
    CONFLICT = "conflict"


# --------------------------------------------------------------------------- office


class Office(Base):
    """The office profile: one row (id = 1)."""

    __tablename__ = "office"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    agency_code: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(500), default="")
    place_name: Mapped[str] = mapped_column(String(255), default="")
    parent_name: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    desk_number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    department: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    roles: Mapped[list[OfficerRole]] = relationship(
        back_populates="officer", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> set[Role]:
        return {Role(r.role) for r in self.roles}


class OfficerRole(Base):
    __tablename__ = "officer_roles"
    __table_args__ = (
        CheckConstraint(
            "role IN ('front_desk', 'specialist', 'leader', 'admin')", name="known_role"
        ),
    )

    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    officer: Mapped[Officer] = relationship(back_populates="roles")


# ------------------------------------------------------------------- catalogue


class Field(Base):
    """Lĩnh vực: the area a procedure belongs to (Hộ tịch, Chứng thực, …)."""

    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)


class Procedure(Base):
    """A procedure (thủ tục hành chính) of the catalogue (LayThuTuc record)."""

    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # MaTTHC, e.g. 1.001193
    name: Mapped[str] = mapped_column(Text)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    # Online service level used in statistics: "4" fully online, "3" partly, "2" information.
    online_level: Mapped[str] = mapped_column(String(2), default="2")
    # Processing time in person / by post; unit None = published without a unit,
    # the office must confirm it before a due date can be computed.
    time_amount: Mapped[float | None] = mapped_column()
    time_unit: Mapped[str | None] = mapped_column(String(20))
    online_time_amount: Mapped[float | None] = mapped_column()
    online_time_unit: Mapped[str | None] = mapped_column(String(20))
    # "HH:MM": requests received after it are counted from the next working day.
    cutoff: Mapped[str | None] = mapped_column(String(5))
    announced_by: Mapped[str] = mapped_column(String(255), default="")
    applicants: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    unconfirmed_notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    field: Mapped[Field] = relationship(lazy="joined")
    fees: Mapped[list[ProcedureFee]] = relationship(
        cascade="all, delete-orphan", order_by="ProcedureFee.id"
    )
    components: Mapped[list[ProcedureComponent]] = relationship(
        cascade="all, delete-orphan", order_by="ProcedureComponent.position"
    )
    results: Mapped[list[ProcedureResult]] = relationship(
        cascade="all, delete-orphan", order_by="ProcedureResult.id"
    )


class ProcedureFee(Base):
    __tablename__ = "procedure_fees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(1))  # Channel
    amount: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    description: Mapped[str] = mapped_column(Text, default="")
    as_published: Mapped[str] = mapped_column(String(255), default="")


class ProcedureComponent(Base):
    """Thành phần hồ sơ: one paper the procedure asks for."""

    __tablename__ = "procedure_components"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(255), default="")
    form_template: Mapped[str] = mapped_column(String(255), default="")
    originals: Mapped[int] = mapped_column(Integer, default=0)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    photocopies: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)


class ProcedureResult(Base):
    """Kết quả: a result document the procedure issues."""

    __tablename__ = "procedure_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------- dossiers


class Dossier(Base):
    """Hồ sơ: one applicant's request for one procedure (DongBoHoSoMC object)."""

    __tablename__ = "dossiers"
    __table_args__ = (
        CheckConstraint("status BETWEEN 1 AND 10", name="status_range"),
        CheckConstraint("channel IN ('1', '2', '3')", name="channel_known"),
        Index("ix_dossiers_status_due", "status", "due_at"),
        Index("ix_dossiers_status_received", "status", "received_at"),  # 0007
        Index("ix_dossiers_received", "received_at"),
        Index("ix_dossiers_procedure_received", "procedure_id", "received_at"),
        Index("ix_dossiers_applicant_id", "applicant_id_number"),
        # The dossier list sorts by these (keyset pages on (column, id)): migration 0003.
        Index("ix_dossiers_due", "due_at"),
        Index("ix_dossiers_applicant_name", "applicant_name"),
        Index("ix_dossiers_applicant_sort", "applicant_sort"),  # 0011
        Index("ix_dossiers_status", "status"),
        Index("ix_dossiers_channel", "channel"),
        Index("ix_dossiers_procedure", "procedure_id"),
        # "Việc của tôi": an officer's assigned dossiers by status and due date (migration 0005).
        Index("ix_dossiers_assignee_status_due", "assignee_id", "status", "due_at"),
        # Periodic reports and the leaders' indicators read only these (migration 0009):
        # covering indexes by reception time and by finishing time (services.reports).
        Index("ix_dossiers_report", "received_at", "status", "channel", "procedure_id",
              "finished_at", "due_at", "updated_at", "fee_total", "paid_online"),
        Index("ix_dossiers_finished", "status", "finished_at", "due_at", "updated_at",
              "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # client-generated id for sync
    code: Mapped[str | None] = mapped_column(String(40), unique=True)  # MaHoSo
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"))
    channel: Mapped[str] = mapped_column(String(1), default=Channel.IN_PERSON)
    status: Mapped[int] = mapped_column(Integer)  # TrangThaiHoSo
    applicant_kind: Mapped[str] = mapped_column(String(1), default="1")  # LoaiDoiTuong

    applicant_id_number: Mapped[str] = mapped_column(String(20), default="")
    applicant_old_id: Mapped[str] = mapped_column(String(12), default="")
    applicant_name: Mapped[str] = mapped_column(String(255))
    # The name's sort key (domain.text.sort_key: no tone marks, đ → d, lower case), so the
    # list sorts "Đặng" among the D's, not after Z; set on every save (below), 0011.
    applicant_sort: Mapped[str] = mapped_column(String(255), default="", server_default="")
    applicant_birth_date: Mapped[date | None] = mapped_column(Date)
    applicant_sex: Mapped[str] = mapped_column(String(3), default="")
    applicant_address: Mapped[str] = mapped_column(Text, default="")
    applicant_phone: Mapped[str] = mapped_column(String(30), default="")
    applicant_email: Mapped[str] = mapped_column(String(255), default="")

    # Người nộp: set only when someone else submits for the applicant.
    submitter_id_number: Mapped[str] = mapped_column(String(20), default="")
    submitter_name: Mapped[str] = mapped_column(String(255), default="")
    submitter_birth_date: Mapped[date | None] = mapped_column(Date)
    submitter_sex: Mapped[str] = mapped_column(String(3), default="")
    submitter_address: Mapped[str] = mapped_column(Text, default="")
    submitter_phone: Mapped[str] = mapped_column(String(30), default="")
    submitter_email: Mapped[str] = mapped_column(String(255), default="")

    summary: Mapped[str] = mapped_column(Text, default="")  # TrichYeuHoSo
    note: Mapped[str] = mapped_column(Text, default="")  # GhiChu
    # Why the dossier was refused, withdrawn or stopped (mandatory for those statuses).
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    sets_count: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayNopHoSo
    received_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayTiepNhan
    due_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayHenTra
    original_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    refused_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayTuChoi
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayKetThucXuLy
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayTra
    return_by_post: Mapped[bool] = mapped_column(Boolean, default=False)  # HinhThuc
    fee_total: Mapped[int] = mapped_column(Integer, default=0)
    paid_online: Mapped[bool] = mapped_column(Boolean, default=False)
    state_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    procedure: Mapped[Procedure] = relationship()
    components: Mapped[list[DossierComponent]] = relationship(
        cascade="all, delete-orphan", order_by="DossierComponent.position"
    )
    fees: Mapped[list[DossierFee]] = relationship(cascade="all, delete-orphan")
    progress: Mapped[list[ProgressRow]] = relationship(
        cascade="all, delete-orphan", order_by="ProgressRow.acted_at"
    )


class DossierComponent(Base):
    """A paper submitted with a dossier (TaiLieuNop)."""

    __tablename__ = "dossier_components"
    __table_args__ = (
        CheckConstraint("digitisation_state IN (0, 1, 2, 3)", name="digitisation_state_known"),
        # The digitisation rate of components without reading the table (migration 0009).
        Index("ix_dossier_components_digitisation", "dossier_id", "present",
              "digitisation_state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    procedure_component_id: Mapped[int | None] = mapped_column(
        ForeignKey("procedure_components.id")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    originals: Mapped[int] = mapped_column(Integer, default=0)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    photocopies: Mapped[int] = mapped_column(Integer, default=0)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    # 0 not digitised, 1 digitised at reception, 2 reused from a component, 3 from a result.
    digitisation_state: Mapped[int] = mapped_column(Integer, default=0)
    file_sha256: Mapped[str | None] = mapped_column(String(64))


class DossierFee(Base):
    """DanhSachLePhi: a fee charged on a dossier."""

    __tablename__ = "dossier_fees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    amount: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_online: Mapped[bool] = mapped_column(Boolean, default=False)


class ProgressRow(Base):
    """QuaTrinhXuLy: one step in a dossier's timeline (CapNhatTienDoHoSoMC)."""

    __tablename__ = "progress_rows"
    __table_args__ = (Index("ix_progress_rows_dossier_acted", "dossier_id", "acted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    officer_name: Mapped[str] = mapped_column(String(50))  # NguoiXuLy (≤ 50 chars)
    officer_title: Mapped[str] = mapped_column(String(255), default="")  # ChucDanh
    department: Mapped[str] = mapped_column(String(255), default="")  # PhongBanXuLy
    acted_at: Mapped[datetime] = mapped_column(DateTime)  # ThoiDiemXuLy
    content: Mapped[str] = mapped_column(Text)  # NoiDungXuLy
    status: Mapped[int] = mapped_column(Integer)  # TrangThai
    started_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayBatDau
    step_deadline: Mapped[datetime | None] = mapped_column(DateTime)  # NgayKetThucTheoQuyDinh


# ------------------------------------------------------------ processing (0005)


class SupplementRound(Base):
    """DanhSachHoSoBoSung: one request for further papers and, later, their receipt.

    `state` (TrangThaiBoSung): open while the office waits for the papers;
    received once they came in; closed when the dossier was stopped or
    withdrawn meanwhile. Both due dates are kept: `previous_due_at`
    (NgayHenTraTruoc) when it was requested, `new_due_at` (NgayHenTraMoi) once
    the papers came in.
    """

    __tablename__ = "supplement_rounds"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'received', 'closed')", name="state_known"),
        Index("ix_supplement_rounds_dossier", "dossier_id", "requested_at"),
        Index("ix_supplement_rounds_requested_by_state", "requested_by", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # HoSoBoSungId
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime] = mapped_column(DateTime)  # NgayBoSung
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    requested_by_name: Mapped[str] = mapped_column(String(255))  # NguoiYeuCauBoSung
    content: Mapped[str] = mapped_column(Text)  # NoiDungBoSung: the reason
    missing: Mapped[str] = mapped_column(Text)  # JSON list of papers: DanhSachGiayToBoSung
    previous_due_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayHenTraTruoc
    received_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayTiepNhanBoSung
    received_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    received_by_name: Mapped[str] = mapped_column(String(255), default="")  # NguoiTiepNhanBoSung
    new_due_at: Mapped[datetime | None] = mapped_column(DateTime)  # NgayHenTraMoi
    state: Mapped[str] = mapped_column(String(10), default="open")  # TrangThaiBoSung


class DossierResult(Base):
    """DanhSachGiayToKetQua: a result document issued for a dossier."""

    __tablename__ = "dossier_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)  # TenGiayTo
    code: Mapped[str] = mapped_column(String(64), default="")  # MaGiayToKetQua (catalogue code)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Apology(Base):
    """Mẫu 04: an apology with a new appointment date, proposed and then decided by a leader.

    `approved_by` / `approved_at` name the leader who decided and when (for a
    rejected apology too). `original_due_at` is the appointment the office missed.
    """

    __tablename__ = "apologies"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'approved', 'rejected')", name="state_known"),
        Index("ix_apologies_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    original_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    new_due_at: Mapped[datetime] = mapped_column(DateTime)
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(10), default="pending")


class ResultReturn(Base):
    """Who received a dossier's result, when, and how (at the desk or by post)."""

    __tablename__ = "result_returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True
    )
    returned_at: Mapped[datetime] = mapped_column(DateTime)
    returned_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    receiver_name: Mapped[str] = mapped_column(String(255))
    receiver_id_number: Mapped[str] = mapped_column(String(20), default="")
    # True: the applicant (chủ hồ sơ) came; False: an authorised person.
    receiver_is_applicant: Mapped[bool] = mapped_column(Boolean, default=True)
    by_post: Mapped[bool] = mapped_column(Boolean, default=False)


# --------------------------------------------------------- digitisation (0008)


class StoredFile(Base):
    """A file in the content-addressed store (desktop.store.files): data/files/ab/<sha256>.

    `ocr_text` is the recognised text (Tesseract `vie`), when OCR ran; it is also
    indexed in the FTS5 table `dossier_search_ocr`.
    """

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    mime: Mapped[str] = mapped_column(String(100), default="application/pdf")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    ocr_text: Mapped[str | None] = mapped_column(Text)


class Attachment(Base):
    """A digitised paper of a dossier: a stored file on one component or one result.

    The digitised document register (calendar-and-identity.md, "Digitisation
    state"): who digitised it and when, validity (`valid_until` None =
    permanent), the file, the kind ("component" / "result"). `state` mirrors the
    component's DuocSoHoa / DuocTaiSuDung: 1 digitised here, 2 reused from
    another dossier's component, 3 reused from an earlier result (`reused_from`
    names the attachment it was taken from). `removed_at` is set when the paper
    was digitised again or taken off; the row stays for the record.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("kind IN ('component', 'result')", name="kind_known"),
        CheckConstraint("state IN (1, 2, 3)", name="state_known"),
        CheckConstraint(
            "(kind = 'component' AND component_id IS NOT NULL AND result_id IS NULL) OR "
            "(kind = 'result' AND result_id IS NOT NULL AND component_id IS NULL)",
            name="target_matches_kind"),
        Index("ix_attachments_dossier", "dossier_id", "removed_at"),
        Index("ix_attachments_component", "component_id"),
        Index("ix_attachments_result", "result_id"),
        Index("ix_attachments_sha256", "sha256"),
        # Dossiers with a digitised result still attached (migration 0009, reports).
        Index("ix_attachments_live_result", "dossier_id",
              sqlite_where=text("kind = 'result' AND removed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # client-generated id for sync
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_components.id", ondelete="CASCADE"))
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_results.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    state: Mapped[int] = mapped_column(Integer, default=1)
    digitised_at: Mapped[datetime] = mapped_column(DateTime)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    officer_name: Mapped[str] = mapped_column(String(255))
    valid_until: Mapped[date | None] = mapped_column(Date)
    reused_from: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)


# ------------------------------------------------------------ reports (0009)


class ReportSnapshot(Base):
    """A periodic report as it was made: frozen, for the record and for the province.

    `content` is the JSON of every cell, the headings, the period and the checks
    (`services.reports.engine.ReportResult.as_json`); `sha256` is its hash, checked
    when the snapshot is opened. Rows are never changed; the outbox item
    ``report.submit`` made in the same transaction carries the content to the province.
    """

    __tablename__ = "report_snapshots"
    __table_args__ = (
        Index("ix_report_snapshots_report_period", "report", "period_start", "made_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # client-generated id for sync
    report: Mapped[str] = mapped_column(String(40))  # the definition's key, e.g. "bieu06"
    period_key: Mapped[str] = mapped_column(String(40))  # "2026-Q3", "2026-01-05..2026-02-10"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    made_by_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)  # JSON
    sha256: Mapped[str] = mapped_column(String(64))


# ------------------------------------------------------------- audit and sync


class AuditEvent(Base):
    """Append-only record of every action: who, when, what, before and after.

    Rows are chained: `hash` = SHA-256 over the previous row's hash and this
    row's content, so a changed or deleted row breaks the chain.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        # The inspection screen's filters, newest first (migration 0006).
        Index("ix_audit_events_actor_at", "actor_id", "at"),
        Index("ix_audit_events_action_at", "action", "at"),
        Index("ix_audit_events_entity", "entity", "entity_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    actor_name: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class OutboxItem(Base):
    """A change waiting to be sent to the provincial system, kept per officer."""

    __tablename__ = "outbox_items"
    __table_args__ = (
        Index("ix_outbox_items_state_officer", "state", "officer_id"),
        CheckConstraint(
            "state IN ('pending', 'in_flight', 'sent', 'failed', 'conflict')", name="state_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # client-generated idempotency key
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. dossier.received, progress
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncDossier(Base):
    """What the province has acknowledged of a dossier: its version and status there (0010).

    Written when the server answers a change, when a pulled item is applied and
    when the integrity check repairs a dossier; the desk's side of the integrity
    checksum is computed from these rows (sync/engine.py).
    """

    __tablename__ = "sync_dossiers"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    server_version: Mapped[int] = mapped_column(Integer)
    server_status: Mapped[int] = mapped_column(Integer)
    #: The server version of the province's last own change (0: none known).
    province_version: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime] = mapped_column(DateTime)


class SyncConflict(Base):
    """Something sync could not do as the desk wanted, kept for the officer to see (0010).

    `kind`: "conflict" (the province changed the dossier first), "refused" (the
    server refused a change for another reason), "province_status" (a province
    change arrived while the desk had unsent changes), "repair" (the integrity
    check found the desk and the province apart), "server_missing", "pull".
    `server_data` / `local_data` hold both sides as JSON: nothing is dropped.
    `blocking`: the dossier's later changes wait until an officer resolves it.
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (
        Index("ix_sync_conflicts_open", "resolved_at", "created_at"),
        Index("ix_sync_conflicts_dossier", "dossier_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    dossier_uid: Mapped[str] = mapped_column(String(64), default="")
    dossier_code: Mapped[str | None] = mapped_column(String(40))
    #: The outbox item concerned (no foreign key: withdrawn items are deleted).
    outbox_uid: Mapped[str | None] = mapped_column(String(36))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(40), default="")  # the server's error code
    message: Mapped[str] = mapped_column(Text)  # what happened, in Vietnamese
    server_data: Mapped[str | None] = mapped_column(Text)  # JSON
    local_data: Mapped[str | None] = mapped_column(Text)  # JSON
    blocking: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))


class SyncFile(Base):
    """A stored file the province has confirmed complete (hash checked there) (0010)."""

    __tablename__ = "sync_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


# ------------------------------------------------------------- calendar, numbers


class CalendarOverride(Base):
    """An office's own calendar entry: an extra day off or a make-up working day."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (
        CheckConstraint("kind IN ('day_off', 'working_day')", name="kind_known"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(20), default="office")  # seed | office | province


class NumberBlock(Base):
    """A block of daily dossier sequence numbers reserved for this desk.

    Offline, the desk uses the static block of its desk number (see
    desktop.domain.codes.offline_block); online, the province may hand out more.
    """

    __tablename__ = "number_blocks"
    __table_args__ = (
        UniqueConstraint("day", "first", name="uq_number_blocks_day_first"),
        CheckConstraint("first <= last", name="ordered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    desk: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    last_used: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="offline")  # offline | province


class Draft(Base):
    """A form not yet saved as a dossier (an incomplete reception), kept per officer.

    The reception form is written here as the officer types, so nothing typed
    is lost when validation fails, the app is closed or the PC crashes.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="reception")
    title: Mapped[str] = mapped_column(String(255), default="")
    payload: Mapped[str] = mapped_column(Text)  # JSON of the form
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SearchQueue(Base):
    """Dossiers whose search entry must be (re)written.

    Filled in the same transaction as the dossier change; drained by
    services.search.drain in a transaction of its own, so an FTS5 merge (which
    can take half a second on a large office) never delays the officer's save.
    """

    __tablename__ = "search_queue"

    dossier_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class Setting(Base):
    """Typed settings, stored as JSON values under dotted keys."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _applicant_sort_key(_mapper, _connection, dossier: Dossier) -> None:  # noqa: ANN001
    from desktop.domain.text import sort_key

    dossier.applicant_sort = sort_key(dossier.applicant_name or "")[:255]
