"""The IMAP poller: wait with IDLE (or poll), store each new message, file it away, never delete.

For every message above the remembered UID: fetch it (without setting \\Seen), store the raw
bytes, check it parses, then MOVE it to `Processed` (or `Failed` when unprocessable). Servers
without MOVE get COPY + \\Seen instead, remembered so the copy is never repeated. The last UID
is saved after each message, so a crash or a server restart resumes where it stopped; the store's
key makes a message seen twice count once. One poller per mailbox holds a lock (intake.locks).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from imapclient import SEEN, IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy.exc import OperationalError

from intake.imap_connection import CONNECTION_ERRORS, ImapConfigError, connect, logout_quietly, mailbox_id
from intake.ingest import IngestResult, OnStored, ingest_bytes
from intake.locks import LockHeld, LockLost, mailbox_lock
from intake.mailbox_state import MailboxState
from intake.store import MessageStore

log = logging.getLogger(__name__)

PROCESSED_FOLDER = "Processed"
FAILED_FOLDER = "Failed"
# Untagged responses during IDLE that mean "there may be something new to fetch".
WAKE_UP = {b"EXISTS", b"RECENT", b"BYE"}


@dataclass
class PollStats:
    """What a poll run did, by message key."""

    stored: list[str] = field(default_factory=list)  # new messages, parsed fine
    failed: list[str] = field(default_factory=list)  # new messages, unprocessable (moved to Failed)
    duplicates: list[str] = field(default_factory=list)  # already stored: filed away, not stored again
    reconnects: int = 0

    def add(self, result: IngestResult) -> None:
        if not result.created:
            self.duplicates.append(result.key)
        elif result.failed:
            self.failed.append(result.key)
        else:
            self.stored.append(result.key)


class Poller:
    """Polls one mailbox (settings.imap_*) into a MessageStore; on_stored(key) is called per new message."""

    def __init__(
        self,
        settings,
        store: MessageStore,
        on_stored: OnStored | None = None,
        *,
        timeout: float = 30.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 60.0,
        idle_check_s: float = 1.0,
        processed_folder: str = PROCESSED_FOLDER,
        failed_folder: str = FAILED_FOLDER,
    ):
        self.settings = settings
        self.store = store
        self.on_stored = on_stored
        self.timeout = timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.idle_check_s = idle_check_s
        self.processed_folder = processed_folder
        self.failed_folder = failed_folder
        self.mailbox = mailbox_id(settings)
        self.state = MailboxState(store.engine, self.mailbox)
        self.stats = PollStats()
        self._stop = threading.Event()
        self._source = f"imap:{self.mailbox}"
        self._targets: dict[str, str] = {}

    # -- public ------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask a running poller to finish the current message and return."""
        self._stop.set()

    def run_once(self, lock_timeout: float | None = 10.0) -> PollStats:
        """Handle what is in the mailbox now and return; raises ImapConfigError, LockHeld, CONNECTION_ERRORS."""
        stats_before = len(self.stats.stored), len(self.stats.failed), len(self.stats.duplicates)
        lock = mailbox_lock(self.store.engine, self.mailbox, self.store.data_dir / "locks")
        lock.acquire(timeout=lock_timeout)
        try:
            client = connect(self.settings, timeout=self.timeout)
            try:
                uidvalidity = self._prepare(client)
                self._handle_new(client, uidvalidity)
            finally:
                logout_quietly(client)
        finally:
            lock.release()
        return PollStats(
            stored=self.stats.stored[stats_before[0]:],
            failed=self.stats.failed[stats_before[1]:],
            duplicates=self.stats.duplicates[stats_before[2]:],
        )

    def run_forever(self, stop_event: threading.Event | None = None) -> PollStats:
        """Poll until stopped: IDLE or timed polling; reconnect with backoff; raise only on config errors."""
        if stop_event is not None:
            self._stop = stop_event
        lock = mailbox_lock(self.store.engine, self.mailbox, self.store.data_dir / "locks")
        try:
            while not self._stop.is_set():
                if not self._wait_for_lock(lock):
                    break
                try:
                    self._serve(lock)
                except LockLost as exc:
                    log.warning("%s; taking the lock again", exc)
                    lock.release()
        finally:
            lock.release()
        return self.stats

    # -- the loop ----------------------------------------------------------------------------

    def _wait_for_lock(self, lock) -> bool:
        """Standby until we hold the mailbox lock (another replica may be polling); False if stopped."""
        announced = False
        while not self._stop.is_set():
            try:
                lock.acquire(timeout=1.0)
                return True
            except LockHeld:
                if not announced:
                    log.info("another poller holds %s; standing by", self.mailbox)
                    announced = True
            except OperationalError as exc:  # the lock lives in the database: wait for it to return
                log.warning("cannot reach the database for the poller lock: %s", exc)
                self._stop.wait(self.backoff_max / 4)
        return False

    def _serve(self, lock) -> None:
        backoff = self.backoff_initial
        while not self._stop.is_set():
            client = None
            try:
                client = connect(self.settings, timeout=self.timeout)
                uidvalidity = self._prepare(client)
                backoff = self.backoff_initial  # connected and selected: the line is healthy again
                while not self._stop.is_set():
                    lock.check()
                    self._handle_new(client, uidvalidity)
                    self._wait_for_news(client)
            except ImapConfigError:
                raise
            except (*CONNECTION_ERRORS, IMAPClientError, OperationalError) as exc:
                self.stats.reconnects += 1
                log.warning("IMAP %s: %s: %s; reconnecting in %.1fs", self.mailbox, type(exc).__name__, exc, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.backoff_max)
            finally:
                logout_quietly(client)

    def _prepare(self, client: IMAPClient) -> int:
        """Make sure the target folders exist, select the watched folder; return its UIDVALIDITY."""
        watched = self.settings.imap_folder
        if not client.folder_exists(watched):
            raise ImapConfigError(f"IMAP folder {watched!r} does not exist for {self.settings.imap_user}")
        self._targets = {}
        for name in (self.processed_folder, self.failed_folder):
            self._targets[name] = folder = _in_personal_namespace(client, name)
            if not client.folder_exists(folder):
                try:
                    client.create_folder(folder)
                    log.info("created IMAP folder %s", folder)
                except IMAPClientError:
                    if not client.folder_exists(folder):  # another client may have just made it
                        raise
                try:
                    client.subscribe_folder(folder)
                except IMAPClientError:
                    pass  # subscribing is a courtesy for mail clients, not needed by us
        selected = client.select_folder(watched)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        position = self.state.position()
        if position is not None and position.uidvalidity != uidvalidity:
            log.warning(
                "UIDVALIDITY of %s changed (%d -> %d): rescanning the folder; stored messages are recognised by key",
                self.mailbox,
                position.uidvalidity,
                uidvalidity,
            )
        self.state.start(uidvalidity)
        self.state.record_move_support(self._can_move(client))
        return uidvalidity

    def _wait_for_news(self, client: IMAPClient) -> None:
        """Block until the server reports new mail, the poll interval passes, or we are stopped."""
        poll_s = max(1, int(self.settings.imap_poll_seconds))
        if not client.has_capability("IDLE"):
            self._stop.wait(poll_s)
            if not self._stop.is_set():
                client.noop()
            return
        # Re-issue IDLE at least every poll interval: a safety net for missed notifications, and
        # well inside the 29 minutes after which servers may drop an idle client.
        idle_s = max(1, min(int(self.settings.imap_idle_seconds), poll_s))
        client.idle()
        try:
            deadline = time.monotonic() + idle_s
            while not self._stop.is_set() and time.monotonic() < deadline:
                began = time.monotonic()
                responses = client.idle_check(timeout=self.idle_check_s)
                if any(_wakes_up(response) for response in responses):
                    break
                if not responses and time.monotonic() - began < self.idle_check_s / 2:
                    # The socket woke us with nothing to read: imapclient swallows EOF here, so
                    # leave IDLE; idle_done() then raises if the server has gone away.
                    break
        finally:
            client.idle_done()

    # -- one batch ---------------------------------------------------------------------------

    def _handle_new(self, client: IMAPClient, uidvalidity: int) -> None:
        last_uid = self.state.start(uidvalidity).last_uid
        # "UID n:*" always matches the newest message even when its UID is below n: filter.
        uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
        for uid in uids:
            if self._stop.is_set():
                return
            fetched = client.fetch([uid], [b"BODY.PEEK[]"]).get(uid)
            if fetched is None or b"BODY[]" not in fetched:
                log.info("UID %d vanished from %s before we fetched it", uid, self.mailbox)
                self.state.advance(uidvalidity, uid)
                continue
            result = ingest_bytes(
                self.store,
                fetched[b"BODY[]"],
                self._source,
                self.on_stored,
                max_attachment_bytes=self.settings.max_attachment_bytes,
            )
            self.stats.add(result)
            self._file_away(client, uid, result, uidvalidity)
            self.state.advance(uidvalidity, uid)

    def _file_away(self, client: IMAPClient, uid: int, result: IngestResult, uidvalidity: int) -> None:
        """MOVE to Processed/Failed; without MOVE: COPY once and flag \\Seen. Never delete."""
        name = self.failed_folder if result.failed else self.processed_folder
        target = self._targets.get(name, name)
        if self._can_move(client):
            client.move([uid], target)
            log.info("moved %s (UID %d) to %s", result.key, uid, target)
            return
        if not self.state.was_copied(result.key):
            client.copy([uid], target)
            self.state.record_copy(result.key, target, uidvalidity, uid)
            log.info("copied %s (UID %d) to %s (server has no MOVE)", result.key, uid, target)
        client.add_flags([uid], [SEEN])

    @staticmethod
    def _can_move(client: IMAPClient) -> bool:
        return client.has_capability("MOVE")


def _in_personal_namespace(client: IMAPClient, name: str) -> str:
    """'Processed' on most servers; 'INBOX.Processed' where personal folders live under a prefix."""
    if not client.has_capability("NAMESPACE"):
        return name
    personal = client.namespace().personal or ()
    prefix = personal[0][0] if personal and personal[0] else ""
    if isinstance(prefix, bytes):
        prefix = prefix.decode()
    if not prefix or name.startswith(prefix):
        return name
    return prefix + name


def _wakes_up(response: tuple) -> bool:
    """True for untagged '* n EXISTS', '* n RECENT' and '* BYE ...' during IDLE."""
    return any(isinstance(part, bytes) and part.upper() in WAKE_UP for part in response[:2])


__all__ = ["Poller", "PollStats", "PROCESSED_FOLDER", "FAILED_FOLDER", "LockHeld", "ImapConfigError"]
