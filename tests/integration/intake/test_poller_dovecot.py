"""The IMAP poller against a real Dovecot the tests start themselves (no IMAP mocks)."""
from __future__ import annotations

import threading
import time

import pytest

from intake.imap_connection import ImapAuthError, ImapConfigError
from intake.locks import LockHeld, mailbox_lock
from intake.poller import Poller
from intake.store import FAILED, STORED
from oms.settings import get_settings
from tests.integration.intake.conftest import make_store, order_mail, truncated_mail

pytestmark = pytest.mark.dovecot


def poller_for(server, store, seen=None, **settings):
    options = {"imap_poll_seconds": 2, **settings}
    security = options.pop("security", "none")
    password = options.pop("password", None)
    on_stored = seen.append if seen is not None else None
    return Poller(
        get_settings(**server.settings(security=security, password=password, **options)),
        store,
        on_stored,
        timeout=5,
        backoff_initial=0.2,
        backoff_max=1.0,
        idle_check_s=0.5,
    )


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Running:
    """A poller's run_forever in a thread, stopped on exit."""

    def __init__(self, poller):
        self.poller = poller
        self.stop = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            self.poller.run_forever(self.stop)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the test
            self.error = exc

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "poller did not stop"


def test_poll_once_stores_new_orders_and_moves_them_to_processed(dovecot, store):
    raws = [order_mail(n) for n in range(3)]
    for raw in raws:
        dovecot.append(raw)
    seen = []

    stats = poller_for(dovecot, store, seen).run_once()

    assert len(stats.stored) == 3 and stats.failed == [] and stats.duplicates == []
    assert seen == stats.stored
    assert [store.load_raw(k) for k in stats.stored] == raws
    assert all(store.get(k).status == STORED for k in stats.stored)
    assert dovecot.folder_messages("INBOX") == []
    assert dovecot.folder_messages("Processed") == raws


def test_polling_again_finds_nothing_new(dovecot, store):
    dovecot.append(order_mail(1))
    poller = poller_for(dovecot, store)
    poller.run_once()
    dovecot.append(order_mail(2))

    second = poller_for(dovecot, store).run_once()  # a fresh process: position comes from the database

    assert len(second.stored) == 1 and second.duplicates == []
    assert len(dovecot.folder_messages("Processed")) == 2


def test_an_unprocessable_message_is_stored_marked_failed_and_moved_to_failed(dovecot, store):
    bad = truncated_mail()
    dovecot.append(bad)
    dovecot.append(order_mail(1))
    seen = []

    stats = poller_for(dovecot, store, seen).run_once()

    assert len(stats.failed) == 1 and len(stats.stored) == 1 and seen == stats.stored
    record = store.get(stats.failed[0])
    assert record.status == FAILED and record.reason.startswith("unreadable")
    assert store.load_raw(record.key) == bad
    assert dovecot.folder_messages("Failed") == [bad]
    assert len(dovecot.folder_messages("Processed")) == 1


def test_the_same_message_delivered_twice_is_stored_once(dovecot, store):
    raw = order_mail(7, message_id="<po-7@customer.example>")
    dovecot.append(raw)
    dovecot.append(b"Received: from mx2.example; Tue, 25 Nov 2026 10:00:00 +0000\r\n" + raw)
    seen = []

    stats = poller_for(dovecot, store, seen).run_once()

    assert len(stats.stored) == 1 and stats.duplicates == stats.stored and seen == stats.stored
    assert len(dovecot.folder_messages("Processed")) == 2  # both copies filed away, none deleted
    assert dovecot.folder_messages("INBOX") == []


def test_a_message_stored_before_a_crash_is_filed_away_without_being_handled_again(dovecot, store):
    raw = order_mail(8)
    dovecot.append(raw)
    key, _ = store.save_raw(raw, "imap")  # stored, then the process died before the MOVE
    seen = []

    stats = poller_for(dovecot, store, seen).run_once()

    assert stats.duplicates == [key] and stats.stored == [] and seen == []
    assert dovecot.folder_messages("Processed") == [raw]


def test_idle_wakes_the_poller_for_a_message_arriving_while_it_waits(dovecot, store):
    seen = []
    poller = poller_for(dovecot, store, seen, imap_poll_seconds=60, imap_idle_seconds=60)
    with Running(poller):
        assert wait_until(lambda: poller.state.position() is not None)  # connected and selected
        time.sleep(0.5)  # let it enter IDLE
        sent = time.monotonic()
        dovecot.append(order_mail(1))
        assert wait_until(lambda: len(seen) == 1, timeout=5)
        latency = time.monotonic() - sent

    assert latency < 5.0  # far below the 60 s poll interval: IDLE did the waking
    assert len(dovecot.folder_messages("Processed")) == 1


def test_without_idle_the_poller_falls_back_to_polling(dovecot_factory, store):
    server = dovecot_factory(without_capabilities=("IDLE",))
    seen = []
    poller = poller_for(server, store, seen, imap_poll_seconds=1)
    with Running(poller):
        time.sleep(0.3)
        server.append(order_mail(1))
        assert wait_until(lambda: len(seen) == 1, timeout=5)

    assert len(server.folder_messages("Processed")) == 1


def test_the_poller_reconnects_after_a_server_restart_and_handles_nothing_twice(dovecot, store):
    seen = []
    poller = poller_for(dovecot, store, seen)
    with Running(poller) as running:
        for n in range(2):
            dovecot.append(order_mail(n))
        assert wait_until(lambda: len(seen) == 2)

        dovecot.kill()  # a crash: the IDLE connection drops mid-session
        time.sleep(0.3)
        dovecot.start()
        for n in range(2, 4):
            dovecot.append(order_mail(n))
        assert wait_until(lambda: len(seen) == 4, timeout=15), dovecot.diagnostics()

        dovecot.restart()  # a clean shutdown and start
        dovecot.append(order_mail(4))
        assert wait_until(lambda: len(seen) == 5, timeout=15), dovecot.diagnostics()

    assert running.error is None
    assert len(seen) == len(set(seen)) == 5  # each message handed on exactly once
    assert len(store.recent()) == 5
    assert poller.stats.reconnects >= 2
    # A crash between storing and MOVE shows the message again after reconnecting: it is then
    # recognised by its key (a duplicate), filed away, and not handed on a second time.
    assert set(poller.stats.duplicates) <= set(seen)
    assert len(dovecot.folder_messages("Processed")) == 5
    assert dovecot.folder_messages("INBOX") == []


def test_a_new_uidvalidity_resets_the_position_and_known_messages_are_recognised(dovecot, store):
    folder = "Orders"
    first = [order_mail(n) for n in range(2)]
    for raw in first:
        dovecot.append(raw, folder=folder)
    poller = poller_for(dovecot, store, imap_folder=folder)
    poller.run_once()
    before = poller.state.position()
    client = dovecot.client()
    client.delete_folder(folder)  # the folder is recreated: new UIDVALIDITY, UIDs start again at 1
    client.create_folder(folder)
    client.logout()
    dovecot.append(first[0], folder=folder)  # an old message restored into the new folder
    dovecot.append(order_mail(9), folder=folder)

    stats = poller_for(dovecot, store, imap_folder=folder).run_once()

    after = poller.state.position()
    assert after.uidvalidity != before.uidvalidity  # the server really changed it
    assert len(stats.stored) == 1 and len(stats.duplicates) == 1
    assert after.last_uid == 2
    assert dovecot.folder_messages(folder) == []


def test_without_move_messages_are_copied_once_flagged_seen_and_never_deleted(dovecot_factory, store):
    server = dovecot_factory(without_capabilities=("MOVE",))
    raws = [order_mail(n) for n in range(2)]
    for raw in raws:
        server.append(raw)

    first = poller_for(server, store).run_once()
    # Forget the position as a UIDVALIDITY change would; the copies must not be repeated.
    from intake.tables import mailboxes

    with store.engine.begin() as conn:
        conn.execute(mailboxes.update().values(uidvalidity=1, last_uid=0))
    again = poller_for(server, store).run_once()

    assert len(first.stored) == 2 and again.duplicates == first.stored and again.stored == []
    assert server.folder_messages("Processed") == raws
    assert server.folder_messages("INBOX") == raws
    client = server.client()
    client.select_folder("INBOX", readonly=True)
    assert set(client.search(["SEEN"])) == set(client.search(["ALL"]))
    client.logout()


def test_two_pollers_at_once_handle_each_message_exactly_once(dovecot, store):
    from oms.db import make_engine
    from intake.store import MessageStore

    other_store = MessageStore(make_engine(str(store.engine.url)), store.data_dir)
    seen_a, seen_b = [], []
    a, b = poller_for(dovecot, store, seen_a), poller_for(dovecot, other_store, seen_b)
    with Running(a), Running(b):
        for n in range(6):
            dovecot.append(order_mail(n))
        assert wait_until(lambda: len(seen_a) + len(seen_b) >= 6)
        time.sleep(1.0)  # give a double-handling a chance to show

    assert len(seen_a) + len(seen_b) == 6 and len(set(seen_a + seen_b)) == 6
    assert [] in (seen_a, seen_b)  # one polled, the other stood by
    assert len(dovecot.folder_messages("Processed")) == 6
    other_store.engine.dispose()


@pytest.mark.postgres
def test_two_pollers_on_postgres_share_the_mailbox_through_an_advisory_lock(dovecot, postgres_url, tmp_path):
    stores = [make_store(postgres_url, tmp_path / "data") for _ in range(2)]
    for n in range(4):
        dovecot.append(order_mail(n))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def poll_once(store):
        barrier.wait()
        try:
            results.append(poller_for(dovecot, store).run_once(lock_timeout=10))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=poll_once, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(len(r.stored) for r in results) == [0, 4]
    held = mailbox_lock(stores[0].engine, poller_for(dovecot, stores[0]).mailbox)
    held.acquire(timeout=0)
    try:
        with pytest.raises(LockHeld):
            poller_for(dovecot, stores[1]).run_once(lock_timeout=0.2)
    finally:
        held.release()
        for store in stores:
            store.engine.dispose()


def test_processed_and_failed_are_created_inside_a_prefixed_personal_namespace(dovecot_factory, store):
    server = dovecot_factory(namespace_prefix="INBOX/")
    raw = order_mail(1)
    server.append(raw)

    stats = poller_for(server, store).run_once()

    assert len(stats.stored) == 1
    assert server.folder_messages("INBOX/Processed") == [raw]
    client = server.client()
    assert client.folder_exists("INBOX/Failed")
    client.logout()


def test_a_missing_watched_folder_is_a_configuration_error(dovecot, store):
    poller = poller_for(dovecot, store, imap_folder="Orders")

    with pytest.raises(ImapConfigError, match="'Orders' does not exist"):
        poller.run_forever()


def test_a_wrong_password_is_a_clear_error_not_a_retry_loop(dovecot, store):
    poller = poller_for(dovecot, store, password="wrong")

    with pytest.raises(ImapAuthError, match="login as orders@example.com"):
        poller.run_once()
    started = time.monotonic()
    with pytest.raises(ImapAuthError):
        poller.run_forever()
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_connections_trust_the_configured_ca_file(dovecot, store, security):
    dovecot.append(order_mail(1))

    stats = poller_for(dovecot, store, security=security).run_once()

    assert len(stats.stored) == 1
    log = dovecot.log_path.read_text()
    assert "TLS" in log


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_an_untrusted_certificate_is_a_clear_error(dovecot, store, security):
    poller = poller_for(dovecot, store, security=security, imap_ca_file=None)

    with pytest.raises(ImapConfigError, match="not trusted"):
        poller.run_once()
