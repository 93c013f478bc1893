"""What the poller remembers per mailbox: UIDVALIDITY, the last handled UID, copies made."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from intake.tables import insert_ignore, mailbox_copies, mailboxes, utcnow


@dataclass(frozen=True, slots=True)
class MailboxPosition:
    uidvalidity: int
    last_uid: int


class MailboxState:
    """Reads and writes one mailbox's position; every write is its own small transaction."""

    def __init__(self, engine: Engine, mailbox: str):
        self.engine = engine
        self.mailbox = mailbox

    def position(self) -> MailboxPosition | None:
        """The remembered position, or None for a mailbox never polled."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(mailboxes.c.uidvalidity, mailboxes.c.last_uid).where(mailboxes.c.mailbox == self.mailbox)
            ).first()
        return None if row is None else MailboxPosition(int(row.uidvalidity), int(row.last_uid))

    def start(self, uidvalidity: int) -> MailboxPosition:
        """Position to resume from; a new UIDVALIDITY means the old UIDs are void: start at 0."""
        current = self.position()
        if current is not None and current.uidvalidity == uidvalidity:
            return current
        with self.engine.begin() as conn:
            if current is None:
                conn.execute(
                    insert_ignore(
                        mailboxes,
                        conn.dialect.name,
                        {"mailbox": self.mailbox, "uidvalidity": uidvalidity, "last_uid": 0, "updated_at": utcnow()},
                        ["mailbox"],
                    )
                )
            conn.execute(
                update(mailboxes)
                .where(mailboxes.c.mailbox == self.mailbox)
                .values(uidvalidity=uidvalidity, last_uid=0, updated_at=utcnow())
            )
        return MailboxPosition(uidvalidity, 0)

    def advance(self, uidvalidity: int, uid: int) -> None:
        """Remember that every UID up to `uid` is handled (never moves backwards)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(mailboxes)
                .where(
                    mailboxes.c.mailbox == self.mailbox,
                    mailboxes.c.uidvalidity == uidvalidity,
                    mailboxes.c.last_uid < uid,
                )
                .values(last_uid=uid, updated_at=utcnow())
            )

    def record_move_support(self, supported: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(mailboxes).where(mailboxes.c.mailbox == self.mailbox).values(move_supported=supported))

    def was_copied(self, message_key: str) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    select(mailbox_copies.c.message_key).where(
                        mailbox_copies.c.mailbox == self.mailbox, mailbox_copies.c.message_key == message_key
                    )
                ).first()
                is not None
            )

    def record_copy(self, message_key: str, target: str, uidvalidity: int, uid: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert_ignore(
                    mailbox_copies,
                    conn.dialect.name,
                    {
                        "mailbox": self.mailbox,
                        "message_key": message_key,
                        "target": target,
                        "uidvalidity": uidvalidity,
                        "uid": uid,
                        "copied_at": utcnow(),
                    },
                    ["mailbox", "message_key"],
                )
            )
