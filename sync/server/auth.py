"""Officer login on the reference server: argon2 passwords, expiring tokens, refresh rotation.

- Passwords: argon2id (argon2-cffi), the desktop's profile (19 MiB, 2 passes).
- A login gives an access token (``token_ttl``, default 15 minutes) and a
  refresh token (``refresh_ttl``, default 30 days); both are random 256-bit
  strings, stored only as their SHA-256.
- A refresh spends the refresh token and gives a new pair. Presenting a spent
  refresh token again (a stolen copy, or a client that lost the answer and
  retried) revokes every token of that login: the officer logs in again.
- Five wrong passwords in a row lock the account for 15 minutes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.protocol import OfficeInfo, OfficerInfo, TokenAnswer
from sync.server import models as m
from sync.server.errors import ApiError
from sync.server.store import ServerStore

_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MAX_FAILED_LOGINS = 5
LOCK_SECONDS = 15 * 60
DEFAULT_TOKEN_TTL = timedelta(minutes=15)
DEFAULT_REFRESH_TTL = timedelta(days=30)
#: A hash to check against when the user does not exist, so timing tells nothing.
_DUMMY_HASH = _hasher.hash("motcua-province-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the officer and their office."""

    officer_id: int
    office_id: int
    agency_code: str
    office_name: str
    username: str
    full_name: str


class Auth:
    def __init__(self, store: ServerStore, *, token_ttl: timedelta = DEFAULT_TOKEN_TTL,
                 refresh_ttl: timedelta = DEFAULT_REFRESH_TTL) -> None:
        self.store = store
        self.token_ttl = token_ttl
        self.refresh_ttl = refresh_ttl

    # --- login ---------------------------------------------------------------------

    def _find_officer(self, session: Session, agency_code: str | None,
                      username: str) -> tuple[m.Officer, m.Office] | None:
        q = (select(m.Officer, m.Office).join(m.Office, m.Officer.office_id == m.Office.id)
             .where(m.Officer.username == username))
        if agency_code:
            q = q.where(m.Office.agency_code == agency_code)
        rows = session.execute(q.limit(2)).all()
        if len(rows) != 1:
            return None
        officer, office = rows[0]
        return officer, office

    def check_password(self, agency_code: str | None, username: str,
                       password: str) -> tuple[int, int]:
        """(officer id, office id) of a right password; ApiError otherwise. Counts failures."""
        now = self.store.epoch()
        with self.store.read() as session:
            found = self._find_officer(session, agency_code, username)
            if found is None:
                verify_password(_DUMMY_HASH, password)
                raise ApiError("bad_credentials")
            officer, office = found
            ok = verify_password(officer.password_hash, password)
            officer_id, office_id = officer.id, office.id
            locked_until, active = officer.locked_until, officer.active
        if locked_until is not None and locked_until > now:
            raise ApiError("account_locked", minutes=max(1, round((locked_until - now) / 60)))
        if not active:
            raise ApiError("account_disabled")
        with self.store.write() as session:
            officer = session.get_one(m.Officer, officer_id)
            if ok:
                officer.failed_logins = 0
                officer.locked_until = None
            else:
                officer.failed_logins += 1
                if officer.failed_logins >= MAX_FAILED_LOGINS:
                    officer.failed_logins = 0
                    officer.locked_until = now + LOCK_SECONDS
        if not ok:
            raise ApiError("bad_credentials")
        return officer_id, office_id

    def issue(self, officer_id: int, *, device: str = "", family: str | None = None,
              session: Session | None = None) -> TokenAnswer:
        """A new access and refresh token for an officer."""
        if session is None:
            with self.store.write() as s:
                return self.issue(officer_id, device=device, family=family, session=s)
        now_epoch = self.store.epoch()
        now = self.store.now()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        family = family or str(uuid.uuid4())
        ttl, rttl = self.token_ttl.total_seconds(), self.refresh_ttl.total_seconds()
        session.add_all([
            m.Token(token_hash=token_hash(access), kind="access", officer_id=officer_id,
                    family=family, expires=now_epoch + ttl, device=device, created_at=now),
            m.Token(token_hash=token_hash(refresh), kind="refresh", officer_id=officer_id,
                    family=family, expires=now_epoch + rttl, device=device, created_at=now),
        ])
        officer = session.get_one(m.Officer, officer_id)
        office = session.get_one(m.Office, officer.office_id)
        return TokenAnswer(
            access_token=access, refresh_token=refresh, expires_in=int(ttl),
            expires_at=now + timedelta(seconds=ttl), refresh_expires_at=now + timedelta(seconds=rttl),
            officer=OfficerInfo(username=officer.username, full_name=officer.full_name,
                                title=officer.title, department=officer.department,
                                roles=[r for r in officer.roles.split(",") if r]),
            office=OfficeInfo(agency_code=office.agency_code, name=office.name),
        )

    def login(self, agency_code: str, username: str, password: str, device: str) -> TokenAnswer:
        officer_id, _ = self.check_password(agency_code, username, password)
        return self.issue(officer_id, device=device)

    def refresh(self, refresh_token: str) -> TokenAnswer:
        now = self.store.epoch()
        revoke_family: str | None = None
        with self.store.write() as session:
            row = session.execute(select(m.Token).where(
                m.Token.token_hash == token_hash(refresh_token),
                m.Token.kind == "refresh")).scalar_one_or_none()
            if row is None or row.revoked or row.expires <= now:
                raise ApiError("refresh_invalid")
            if row.used:
                revoke_family = row.family
            else:
                officer = session.get_one(m.Officer, row.officer_id)
                if not officer.active:
                    raise ApiError("account_disabled")
                row.used = True
                return self.issue(row.officer_id, device=row.device, family=row.family,
                                  session=session)
        self.revoke_family(revoke_family)
        raise ApiError("refresh_invalid")

    def revoke_family(self, family: str) -> None:
        with self.store.write() as session:
            session.execute(update(m.Token).where(m.Token.family == family)
                            .values(revoked=True))

    def logout(self, access_token: str) -> None:
        with self.store.read() as session:
            row = session.execute(select(m.Token).where(
                m.Token.token_hash == token_hash(access_token))).scalar_one_or_none()
            family = None if row is None else row.family
        if family is not None:
            self.revoke_family(family)

    # --- checking a bearer token ---------------------------------------------------

    def principal(self, access_token: str | None) -> Principal:
        if not access_token:
            raise ApiError("token_missing", headers={"WWW-Authenticate": "Bearer"})
        now = self.store.epoch()
        with self.store.read() as session:
            row = session.execute(
                select(m.Token, m.Officer, m.Office)
                .join(m.Officer, m.Token.officer_id == m.Officer.id)
                .join(m.Office, m.Officer.office_id == m.Office.id)
                .where(m.Token.token_hash == token_hash(access_token),
                       m.Token.kind == "access")).first()
            if row is None or row[0].revoked or not row[1].active:
                raise ApiError("token_invalid", headers={"WWW-Authenticate": "Bearer"})
            token, officer, office = row
            if token.expires <= now:
                raise ApiError("token_expired", headers={
                    "WWW-Authenticate": 'Bearer error="invalid_token"'})
            return Principal(officer.id, office.id, office.agency_code, office.name,
                             officer.username, officer.full_name)
