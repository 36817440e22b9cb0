"""The reference server's own tables (SQLAlchemy 2). Nothing here is shared with desktop/.

Created with ``metadata.create_all`` at start (no migrations: the reference
server is for tests, demos and training; its database can be made anew).
JSON documents are stored as text (the same on SQLite and PostgreSQL), and
first answers as the exact bytes sent, so a repeat gets the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Meta(Base):
    """Key/value: the change-log counter, the catalogue and calendar versions."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Office(Base):
    """A commune office (receiving unit), by its agency identifier code."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Officer(Base):
    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("office_id", "username", name="office_username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    department: Mapped[str] = mapped_column(String(255), default="")
    roles: Mapped[str] = mapped_column(String(255), default="")  # comma-separated
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float | None] = mapped_column(Float)  # epoch seconds
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Token(Base):
    """Access and refresh tokens, stored as SHA-256 of the token (never the token)."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # access | refresh
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    #: One login's tokens share a family: reusing a spent refresh token revokes the family.
    family: Mapped[str] = mapped_column(String(36), index=True)
    expires: Mapped[float] = mapped_column(Float)  # epoch seconds
    used: Mapped[bool] = mapped_column(Boolean, default=False)  # a refresh token, rotated
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    device: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Procedure(Base):
    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)  # MaTTHC
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(255), default="")
    record: Mapped[str] = mapped_column(Text)  # ProcedureRecord JSON


class CalendarDay(Base):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # day_off | working_day
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(40), default="")


class NumberBlock(Base):
    __tablename__ = "number_blocks"
    __table_args__ = (UniqueConstraint("office_id", "day", "first", name="office_day_first"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    day: Mapped[date] = mapped_column(Date)
    desk: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    request_uid: Mapped[str] = mapped_column(String(64), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    reserved_at: Mapped[datetime] = mapped_column(DateTime)


class Dossier(Base):
    """A dossier's latest state, keyed by the desk's uid."""

    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("office_id", "code", name="office_code"),
        Index("ix_dossiers_office_uid", "office_id", "uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[str | None] = mapped_column(String(40))  # MaHoSo
    procedure_code: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    province_version: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(10))  # desk | online | dvcqg
    snapshot: Mapped[str] = mapped_column(Text)  # DossierSnapshot JSON
    related: Mapped[str] = mapped_column(Text, default="{}")  # DossierRelated JSON
    #: DongBoHoSoMC fields the protocol does not model, kept for TraCuuHoSo.
    national: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ProgressRow(Base):
    __tablename__ = "progress_rows"
    __table_args__ = (Index("ix_progress_rows_dossier_acted", "dossier_id", "acted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    acted_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)  # ProgressData JSON


class Push(Base):
    """A change received from a desk: its content hash and the first answer, as sent."""

    __tablename__ = "pushes"

    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    dossier_uid: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)


class ProvinceChange(Base):
    """A status change made at the province."""

    __tablename__ = "province_changes"

    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    from_status: Mapped[int] = mapped_column(Integer)
    to_status: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    data: Mapped[str] = mapped_column(Text)  # StatusChange JSON


class ChangeLog(Base):
    """What a desk pulls, in cursor order. The cursor comes from a counter in ``meta``
    taken under a row lock, so cursors are given out in commit order."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_office_cursor", "office_id", "cursor"),)

    cursor: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(20))  # online_dossier | status_change
    dossier_uid: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)
    data: Mapped[str] = mapped_column(Text)  # PullItem JSON


class StoredFile(Base):
    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)


class FileChunk(Base):
    __tablename__ = "file_chunks"
    __table_args__ = (UniqueConstraint("sha256", "offset", name="sha256_offset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), index=True)
    offset: Mapped[int] = mapped_column(Integer)
    length: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Report(Base):
    __tablename__ = "reports"

    uid: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)  # ReportUpload JSON
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)
