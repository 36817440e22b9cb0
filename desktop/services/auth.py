"""Officer accounts: passwords (argon2), login with lockout, roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.services import audit, settings
from desktop.services.actor import Actor
from desktop.services.validation import Collector, PermissionDenied
from desktop.store.models import Officer, OfficerRole, Role

# OWASP's argon2id profile (19 MiB, 2 passes, 1 lane): ~20 ms per check on an office PC.
# The library default (64 MiB, 4 lanes) took ~160 ms on a busy two-core machine, on
# every login of a queue-facing desk. Older hashes are upgraded at the next login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 8

ROLE_LABELS_VI = {
    Role.FRONT_DESK: "Cán bộ một cửa",
    Role.SPECIALIST: "Chuyên viên xử lý",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị hệ thống",
}


class LoginFailed(Exception):
    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_rules(c: Collector, password: str, confirm: str | None) -> None:
    if len(password) < MIN_PASSWORD:
        c.add("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    elif confirm is not None and password != confirm:
        c.add("password_confirm", "Mật khẩu nhập lại không khớp.")


def validate_officer(session: Session, *, username: str, full_name: str, password: str,
                     password_confirm: str | None, roles: Iterable[Role]) -> Collector:
    c = Collector()
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        c.add("username", "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch.")
    elif session.execute(
        select(func.count()).select_from(Officer).where(Officer.username == username)
    ).scalar_one():
        c.add("username", f"Tên đăng nhập \"{username}\" đã có người dùng.")
    c.required("full_name", full_name, "họ và tên")
    _check_password_rules(c, password, password_confirm)
    if not list(roles):
        c.add("roles", "Chọn ít nhất một vai trò.")
    return c


def create_officer(session: Session, actor: Actor, *, username: str, full_name: str,
                   password: str, roles: Iterable[Role], title: str = "", department: str = "",
                   password_confirm: str | None = None, now: datetime | None = None) -> Officer:
    roles = [Role(r) for r in roles]
    if session.execute(select(func.count()).select_from(Officer)).scalar_one() and not actor.has(
        Role.ADMIN
    ):
        raise PermissionDenied("Chỉ quản trị hệ thống mới thêm được cán bộ.")
    c = validate_officer(session, username=username, full_name=full_name, password=password,
                         password_confirm=password_confirm, roles=roles)
    c.raise_if_any()
    officer = Officer(
        username=username.strip().lower(), full_name=full_name.strip(), title=title.strip(),
        department=department.strip(), password_hash=hash_password(password), active=True,
        failed_logins=0, created_at=now or datetime.now(),
        roles=[OfficerRole(role=r.value) for r in sorted(set(roles))],
    )
    session.add(officer)
    session.flush()
    audit.record(session, actor, "officer.create", "officer", officer.id,
                 after={"username": officer.username, "full_name": officer.full_name,
                        "roles": sorted(r.value for r in roles)}, at=now)
    return officer


def login(session: Session, username: str, password: str, *, now: datetime | None = None) -> Officer:
    """Check a password; lock the account after repeated failures. Audited either way."""
    now = now or datetime.now()
    username = username.strip().lower()
    officer = session.execute(
        select(Officer).where(Officer.username == username)
    ).scalar_one_or_none()
    wrong = LoginFailed("Tên đăng nhập hoặc mật khẩu không đúng.")
    if officer is None:
        _hasher.hash(password)  # same cost as a real check: no user enumeration by timing
        audit.record(session, Actor(None, username or "?"), "login.unknown_user", "officer", "")
        raise wrong
    if not officer.active:
        raise LoginFailed("Tài khoản này đã ngừng hoạt động. Hãy liên hệ quản trị hệ thống.")
    if officer.locked_until and officer.locked_until > now:
        raise LoginFailed(
            "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. "
            f"Hãy thử lại sau {officer.locked_until:%H:%M} hoặc nhờ quản trị mở khóa."
        )
    try:
        _hasher.verify(officer.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        officer.failed_logins += 1
        limit = settings.get(session, "login.max_failures")
        action = "login.failed"
        if officer.failed_logins >= limit:
            officer.locked_until = now + timedelta(minutes=settings.get(session, "login.lock_minutes"))
            officer.failed_logins = 0
            action = "login.locked"
        audit.record(session, Actor.of(officer), action, "officer", officer.id)
        if action == "login.locked":
            raise LoginFailed(
                "Nhập sai mật khẩu quá số lần cho phép: tài khoản tạm khóa đến "
                f"{officer.locked_until:%H:%M}."
            ) from None
        left = limit - officer.failed_logins
        raise LoginFailed(f"Tên đăng nhập hoặc mật khẩu không đúng. Còn {left} lần thử.") from None
    if _hasher.check_needs_rehash(officer.password_hash):
        officer.password_hash = hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.last_login_at = now
    audit.record(session, Actor.of(officer), "login.success", "officer", officer.id)
    return officer


def _require_admin(actor: Actor) -> None:
    if not actor.has(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống mới làm được việc này.")


def reset_password(session: Session, actor: Actor, officer_id: int, password: str,
                   password_confirm: str | None = None) -> None:
    if actor.officer_id != officer_id:
        _require_admin(actor)
    c = Collector()
    _check_password_rules(c, password, password_confirm)
    c.raise_if_any()
    officer = session.get_one(Officer, officer_id)
    officer.password_hash = hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    audit.record(session, actor, "officer.password", "officer", officer_id)


def update_officer(session: Session, actor: Actor, officer_id: int, *, full_name: str,
                   title: str, department: str, roles: Iterable[Role], active: bool) -> Officer:
    _require_admin(actor)
    roles = sorted({Role(r) for r in roles})
    c = Collector()
    c.required("full_name", full_name, "họ và tên")
    if not roles:
        c.add("roles", "Chọn ít nhất một vai trò.")
    officer = session.get_one(Officer, officer_id)
    if officer_id == actor.officer_id and (Role.ADMIN not in roles or not active):
        c.add("roles", "Không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình.")
    c.raise_if_any()
    before = _snapshot(officer)
    officer.full_name = full_name.strip()
    officer.title = title.strip()
    officer.department = department.strip()
    officer.active = active
    officer.roles = [OfficerRole(role=r.value) for r in roles]
    session.flush()
    audit.record(session, actor, "officer.update", "officer", officer_id,
                 before=before, after=_snapshot(officer))
    return officer


def unlock(session: Session, actor: Actor, officer_id: int) -> None:
    _require_admin(actor)
    officer = session.get_one(Officer, officer_id)
    officer.locked_until = None
    officer.failed_logins = 0
    audit.record(session, actor, "officer.unlock", "officer", officer_id)


def _snapshot(officer: Officer) -> dict:
    return {
        "full_name": officer.full_name, "title": officer.title,
        "department": officer.department, "active": officer.active,
        "roles": sorted(r.role for r in officer.roles),
    }


def list_officers(session: Session) -> list[Officer]:
    return list(session.execute(select(Officer).order_by(Officer.full_name)).scalars())


def authenticate(store, username: str, password: str, *, now: datetime | None = None) -> Officer:
    """Log in within one transaction that is committed whether or not it succeeds.

    A failed attempt still counts towards the lockout and stays in the audit
    trail, so the transaction is committed before LoginFailed propagates.
    """
    with store.writing() as session:
        try:
            officer = login(session, username, password, now=now)
        except LoginFailed:
            session.commit()
            raise
        session.commit()
        return officer
