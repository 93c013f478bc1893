"""MessageStore on SQLite and PostgreSQL: raw bytes first, once per message key."""
from __future__ import annotations

import hashlib
import threading
from datetime import timezone

import pytest

from intake.store import FAILED, PROCESSED, STORED, InvalidStatus, UnknownMessage
from tests.integration.intake.conftest import order_mail


def test_save_raw_writes_the_file_and_a_row_with_its_sha256(any_store):
    raw = order_mail(1)

    key, created = any_store.save_raw(raw, "test")

    assert created is True
    record = any_store.get(key)
    assert record.sha256 == hashlib.sha256(raw).hexdigest()
    assert record.status == STORED and record.reason is None
    assert record.size == len(raw)
    assert record.received_at.tzinfo is not None and record.received_at.utcoffset().total_seconds() == 0
    assert record.raw_path == f"raw/{key[:2]}/{key}.eml"
    assert (any_store.data_dir / record.raw_path).read_bytes() == raw
    assert any_store.load_raw(key) == raw
    assert record.message_id and record.message_id.startswith("<")


def test_the_same_message_saved_twice_is_stored_once(any_store):
    raw = order_mail(2)

    first = any_store.save_raw(raw, "imap")
    second = any_store.save_raw(raw, "drop")

    assert first == (first[0], True)
    assert second == (first[0], False)
    assert any_store.get(first[0]).source == "imap"
    assert len(list((any_store.data_dir / "raw").rglob("*.eml"))) == 1


def test_a_redelivered_message_with_other_headers_keeps_the_first_copy(any_store):
    raw = order_mail(3, message_id="<po-3@customer.example>")
    redelivered = b"Received: from relay.example by mx.example; Tue, 25 Nov 2026 10:00:00 +0000\r\n" + raw

    key, created = any_store.save_raw(raw, "imap")
    again, created_again = any_store.save_raw(redelivered, "imap")

    assert (again, created, created_again) == (key, True, False)
    assert any_store.load_raw(key) == raw


def test_a_message_without_message_id_is_keyed_by_its_bytes(any_store):
    raw = b"From: a@example.com\r\nSubject: no id\r\n\r\nhello\r\n"

    key, created = any_store.save_raw(raw, "test")
    other, other_created = any_store.save_raw(raw.replace(b"hello", b"hallo"), "test")

    assert created and other_created and key != other
    assert any_store.get(key).message_id is None


def test_concurrent_saves_of_one_message_store_it_exactly_once(any_store):
    raw = order_mail(4)
    results, barrier = [], threading.Barrier(6)

    def save():
        barrier.wait()
        results.append(any_store.save_raw(raw, "race"))

    threads = [threading.Thread(target=save) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({key for key, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert any_store.load_raw(results[0][0]) == raw


def test_mark_records_status_and_reason_and_pending_lists_only_stored(any_store):
    keys = [any_store.save_raw(order_mail(n), "test")[0] for n in range(10, 14)]

    any_store.mark(keys[1], FAILED, "unreadable: truncated mime")
    any_store.mark(keys[2], PROCESSED)

    assert any_store.pending() == [k for k in keys if k not in (keys[1], keys[2])]
    assert any_store.get(keys[1]).reason == "unreadable: truncated mime"
    assert any_store.get(keys[2]).status == PROCESSED
    assert [m.key for m in any_store.recent(status=FAILED)] == [keys[1]]


def test_claim_hands_a_stored_message_to_one_worker_only(any_store):
    key, _ = any_store.save_raw(order_mail(20), "test")

    assert any_store.claim(key) is True
    assert any_store.claim(key) is False
    assert any_store.get(key).status == "processing"


def test_mark_rejects_unknown_statuses_and_keys(any_store):
    key, _ = any_store.save_raw(order_mail(21), "test")

    with pytest.raises(InvalidStatus):
        any_store.mark(key, "done")
    with pytest.raises(UnknownMessage):
        any_store.mark("0" * 32, PROCESSED)


def test_load_raw_refuses_a_file_changed_on_disk(any_store):
    key, _ = any_store.save_raw(order_mail(22), "test")
    any_store.path_for(key).write_bytes(b"tampered")

    with pytest.raises(IOError, match="SHA-256"):
        any_store.load_raw(key)


def test_a_file_left_without_its_row_is_adopted_on_the_next_save(store):
    raw = order_mail(23)
    key, _ = store.save_raw(raw, "first")
    with store.engine.begin() as conn:  # as if the process died between file and row
        from intake.tables import inbound_messages

        conn.execute(inbound_messages.delete())

    again, created = store.save_raw(raw, "second")

    assert (again, created) == (key, True)
    assert store.get(key).sha256 == hashlib.sha256(raw).hexdigest()


def test_no_temporary_files_are_left_behind(store):
    for n in range(3):
        store.save_raw(order_mail(30 + n), "test")
        store.save_raw(order_mail(30 + n), "test")

    leftovers = [p for p in (store.data_dir / "raw").rglob("*") if p.is_file() and not p.name.endswith(".eml")]
    assert leftovers == []


def test_times_are_stored_in_utc(store):
    key, _ = store.save_raw(order_mail(40), "test")

    assert store.get(key).received_at.tzinfo == timezone.utc
