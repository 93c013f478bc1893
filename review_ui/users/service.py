"""User service: get, get_by_name, create, update, authenticate (with lock-out)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update as sql_update
from sqlalchemy.orm import Session

from review_ui.roles import ROLES
from review_ui.users.passwords import (
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from review_ui.users.tables import users

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15


class UserError(Exception):
    """A user could not be created or changed (message is safe to show)."""


@dataclass(frozen=True)
class UserRead:
    id: int
    username: str
    role: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginResult:
    user: UserRead | None
    error: str | None  # shown to the person; never tells whether the name exists


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we store is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _read(row) -> UserRead:
    return UserRead(
        id=row.id,
        username=row.username,
        role=row.role,
        active=bool(row.active),
        failed_logins=row.failed_logins,
        locked_until=_aware(row.locked_until),
        last_login_at=_aware(row.last_login_at),
        created_at=_aware(row.created_at),
    )


def get(*, session: Session, user_id: int) -> UserRead | None:
    """Return the user with this id, or None."""
    row = session.execute(select(users).where(users.c.id == user_id)).first()
    return _read(row) if row else None


def get_by_name(*, session: Session, username: str) -> UserRead | None:
    """Return the user with this name (case-insensitive), or None."""
    row = session.execute(select(users).where(users.c.username == username.strip().lower())).first()
    return _read(row) if row else None


def list_all(*, session: Session) -> list[UserRead]:
    """All users ordered by name."""
    return [_read(r) for r in session.execute(select(users).order_by(users.c.username))]


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")


def create(*, session: Session, username: str, password: str, role: str) -> UserRead:
    """Create a user; the caller commits."""
    name = username.strip().lower()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise UserError("user name must be 1-100 characters without spaces")
    _check_role(role)
    _check_password(password)
    if get_by_name(session=session, username=name):
        raise UserError(f"user {name!r} already exists")
    session.execute(
        insert(users).values(
            username=name, password_hash=hash_password(password), role=role, active=True,
            failed_logins=0, created_at=_now(),
        )
    )
    return get_by_name(session=session, username=name)  # type: ignore[return-value]


def update(
    *, session: Session, user_id: int, role: str | None = None, active: bool | None = None,
    password: str | None = None, unlock: bool = False,
) -> UserRead:
    """Change role, active flag, password or lift a lock-out; the caller commits."""
    values: dict = {}
    if role is not None:
        _check_role(role)
        values["role"] = role
    if active is not None:
        values["active"] = active
    if password:
        _check_password(password)
        values["password_hash"] = hash_password(password)
    if unlock:
        values.update(failed_logins=0, locked_until=None)
    if values:
        session.execute(sql_update(users).where(users.c.id == user_id).values(**values))
    user = get(session=session, user_id=user_id)
    if user is None:
        raise UserError("no such user")
    return user


def authenticate(*, session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a login; count failures and lock the account after MAX_FAILED_LOGINS; the caller commits."""
    now = now or _now()
    row = session.execute(select(users).where(users.c.username == username.strip().lower())).first()
    if row is None:
        verify_password(dummy_hash(), password)  # same cost as a real check
        return LoginResult(None, "Wrong user name or password.")
    user = _read(row)
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, "Too many failed attempts: this account is locked for a while.")
    if not verify_password(row.password_hash, password):
        failed = user.failed_logins + 1
        values: dict = {"failed_logins": failed}
        if failed >= MAX_FAILED_LOGINS:
            values.update(failed_logins=0, locked_until=now + timedelta(minutes=LOCK_MINUTES))
        session.execute(sql_update(users).where(users.c.id == user.id).values(**values))
        if failed >= MAX_FAILED_LOGINS:
            return LoginResult(None, "Too many failed attempts: this account is locked for a while.")
        return LoginResult(None, "Wrong user name or password.")
    if not user.active:
        return LoginResult(None, "This account is disabled.")
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if needs_rehash(row.password_hash):
        values["password_hash"] = hash_password(password)
    session.execute(sql_update(users).where(users.c.id == user.id).values(**values))
    return LoginResult(get(session=session, user_id=user.id), None)
