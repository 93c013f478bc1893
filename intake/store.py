"""Raw message store: every inbound message is kept (bytes on disk + a row) before anything else.

The row's primary key is the stable message key (intake.keys.message_key), so the same message
delivered twice, or seen by two pollers at once, is stored once: the insert is an
insert-or-ignore on both SQLite and PostgreSQL, and the database decides who was first.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path

from sqlalchemy import Engine, select, update

from intake.tables import inbound_messages, insert_ignore, metadata, utcnow

log = logging.getLogger(__name__)

__all__ = ["MessageStore", "StoredMessage", "UnknownMessage", "InvalidStatus", "metadata", "STATUSES", "utcnow"]

STORED = "stored"  # raw bytes kept; waiting to be processed
PROCESSING = "processing"  # a worker has taken it
PROCESSED = "processed"  # the pipeline finished with it (whatever the business decision was)
FAILED = "failed"  # could not be processed (reason says why); the raw bytes stay stored
STATUSES = (STORED, PROCESSING, PROCESSED, FAILED)


class UnknownMessage(LookupError):
    """No stored message has this key."""


class InvalidStatus(ValueError):
    """A status outside stored/processing/processed/failed."""


@dataclass(frozen=True, slots=True)
class StoredMessage:
    key: str
    sha256: str
    message_id: str | None
    source: str
    size: int
    received_at: datetime
    updated_at: datetime
    status: str
    reason: str | None
    raw_path: str


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID header as written (headers only; the body is not parsed)."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        value = headers.get("Message-ID")
    except Exception:  # noqa: BLE001 - garbage headers simply mean "no Message-ID"
        return None
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


class MessageStore:
    """Keeps raw messages under data_dir/raw/<key[:2]>/<key>.eml and their status in `inbound_messages`."""

    def __init__(self, engine: Engine, data_dir: str | os.PathLike):
        self.engine = engine
        self.data_dir = Path(data_dir)

    # -- writing -----------------------------------------------------------------------------

    def save_raw(self, raw: bytes, source: str) -> tuple[str, bool]:
        """Store the bytes (file first, then the row); returns (key, created). Idempotent on the key."""
        from intake.keys import message_key

        if not isinstance(raw, (bytes, bytearray)):
            raise TypeError("raw message must be bytes")
        raw = bytes(raw)
        message_id = header_message_id(raw)
        key = message_key(raw, message_id)
        if self._exists(key):
            return key, False
        relative = Path("raw") / key[:2] / f"{key}.eml"
        stored_bytes = self._write_once(self.data_dir / relative, raw)
        now = utcnow()
        row = {
            "key": key,
            "sha256": hashlib.sha256(stored_bytes).hexdigest(),
            "message_id": message_id,
            "source": source[:500],
            "size": len(stored_bytes),
            "received_at": now,
            "updated_at": now,
            "status": STORED,
            "reason": None,
            "raw_path": relative.as_posix(),
        }
        with self.engine.begin() as conn:
            created = conn.execute(insert_ignore(inbound_messages, conn.dialect.name, row, ["key"])).first() is not None
        if created:
            log.info("stored message %s from %s (%d bytes)", key, source, len(stored_bytes))
        if stored_bytes != raw:
            log.info("message %s arrived again with different bytes; the first copy is kept", key)
        return key, created

    @staticmethod
    def _write_once(path: Path, raw: bytes) -> bytes:
        """Write atomically and only if absent; return the bytes that are on disk afterwards.

        A hard link from a fully written temp file either creates the final name or fails, so a
        reader never sees half a file and two writers of the same key never overwrite each other.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                return path.read_bytes()
            _fsync_dir(path.parent)
            return raw
        finally:
            os.unlink(tmp)

    def mark(self, key: str, status: str, reason: str | None = None) -> None:
        """Set a message's status (and the reason, e.g. 'unreadable: truncated mime')."""
        if status not in STATUSES:
            raise InvalidStatus(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        with self.engine.begin() as conn:
            result = conn.execute(
                update(inbound_messages)
                .where(inbound_messages.c.key == key)
                .values(status=status, reason=reason, updated_at=utcnow())
            )
        if result.rowcount != 1:
            raise UnknownMessage(key)

    def claim(self, key: str) -> bool:
        """Move a message from stored to processing; False if another worker already took it."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(inbound_messages)
                .where(inbound_messages.c.key == key, inbound_messages.c.status == STORED)
                .values(status=PROCESSING, updated_at=utcnow())
            )
        return result.rowcount == 1

    # -- reading -----------------------------------------------------------------------------

    def _exists(self, key: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(inbound_messages.c.key).where(inbound_messages.c.key == key)).first() is not None

    def get(self, key: str) -> StoredMessage:
        """The stored row for a key; raises UnknownMessage."""
        with self.engine.connect() as conn:
            row = conn.execute(select(inbound_messages).where(inbound_messages.c.key == key)).mappings().first()
        if row is None:
            raise UnknownMessage(key)
        return StoredMessage(**row)

    def pending(self, limit: int | None = None) -> list[str]:
        """Keys still waiting to be processed (status stored), oldest first."""
        query = (
            select(inbound_messages.c.key)
            .where(inbound_messages.c.status == STORED)
            .order_by(inbound_messages.c.received_at, inbound_messages.c.key)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def recent(self, status: str | None = None, limit: int = 100) -> list[StoredMessage]:
        """Newest stored messages first, optionally only those with one status."""
        query = select(inbound_messages).order_by(inbound_messages.c.received_at.desc()).limit(limit)
        if status is not None:
            query = query.where(inbound_messages.c.status == status)
        with self.engine.connect() as conn:
            return [StoredMessage(**row) for row in conn.execute(query).mappings()]

    def path_for(self, key: str) -> Path:
        """Absolute path of the stored .eml file."""
        return self.data_dir / self.get(key).raw_path

    def load_raw(self, key: str) -> bytes:
        """The stored bytes, checked against the recorded SHA-256."""
        record = self.get(key)
        raw = (self.data_dir / record.raw_path).read_bytes()
        if hashlib.sha256(raw).hexdigest() != record.sha256:
            raise IOError(f"stored message {key} does not match its SHA-256 (file changed on disk)")
        return raw


def _fsync_dir(folder: Path) -> None:
    """Make the new directory entry durable (a power cut must not lose a stored message)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
