"""Drop folder and upload ingestion (embedded default, no IMAP)."""
from __future__ import annotations

import threading
import time

from intake.dropfolder import ingest_bytes, scan, watch
from intake.store import FAILED, STORED
from tests.integration.intake.conftest import order_mail, truncated_mail


def test_scan_stores_each_eml_and_moves_it_to_processed(store, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    for n in range(3):
        (drop / f"{n:04d}.eml").write_bytes(order_mail(n))
    (drop / "notes.txt").write_text("not mail")
    (drop / ".0009.eml").write_bytes(order_mail(9))  # still being written by someone
    seen = []

    result = scan(store, drop, on_stored=seen.append)

    assert len(result.stored) == 3 and result.failed == [] and result.duplicates == []
    assert seen == result.stored
    assert sorted(p.name for p in (drop / "processed").iterdir()) == ["0000.eml", "0001.eml", "0002.eml"]
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == [".0009.eml", "notes.txt"]
    assert [store.get(k).source for k in result.stored] == ["drop:0000.eml", "drop:0001.eml", "drop:0002.eml"]
    assert store.pending() == result.stored


def test_an_unprocessable_file_is_stored_marked_failed_and_moved_to_failed(store, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    raw = truncated_mail()
    (drop / "broken.eml").write_bytes(raw)
    seen = []

    result = scan(store, drop, on_stored=seen.append)

    assert len(result.failed) == 1 and result.stored == [] and seen == []
    record = store.get(result.failed[0])
    assert record.status == FAILED and record.reason.startswith("unreadable")
    assert store.load_raw(record.key) == raw
    assert (drop / "failed" / "broken.eml").read_bytes() == raw


def test_the_same_message_dropped_twice_is_stored_once_and_both_files_are_kept(store, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    raw = order_mail(5)
    (drop / "a.eml").write_bytes(raw)
    first = scan(store, drop)
    (drop / "a.eml").write_bytes(raw)

    second = scan(store, drop)

    assert second.duplicates == first.stored and second.stored == []
    assert len(list((drop / "processed").iterdir())) == 2


def test_ingest_bytes_reports_new_duplicate_and_failed_uploads(store):
    seen = []

    new = ingest_bytes(store, order_mail(6), "upload:alice", seen.append)
    again = ingest_bytes(store, order_mail(6, message_id=store.get(new.key).message_id), "upload:alice", seen.append)
    bad = ingest_bytes(store, truncated_mail(), "upload:bob", seen.append)

    assert (new.created, new.status) == (True, STORED)
    assert (again.key, again.created, again.status) == (new.key, False, STORED)
    assert bad.failed and bad.reason.startswith("unreadable")
    assert seen == [new.key]


def test_a_failing_callback_leaves_the_message_pending(store):
    def explode(key):
        raise RuntimeError("queue down")

    result = ingest_bytes(store, order_mail(7), "upload", explode)

    assert result.status == STORED and store.pending() == [result.key]


def test_watch_picks_up_files_dropped_while_it_runs(store, tmp_path):
    drop = tmp_path / "drop"
    stop = threading.Event()
    seen = []
    watcher = threading.Thread(target=watch, args=(store, drop, stop, seen.append), kwargs={"interval_s": 0.1, "settle_s": 0.2})
    watcher.start()
    try:
        time.sleep(0.2)
        (drop / ".incoming.tmp").write_bytes(order_mail(8))
        (drop / ".incoming.tmp").rename(drop / "0008.eml")
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(5)

    assert len(seen) == 1 and not watcher.is_alive()
    assert (drop / "processed" / "0008.eml").exists()


def test_a_file_still_being_written_is_left_for_the_next_scan(store, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "fresh.eml").write_bytes(order_mail(9))

    early = scan(store, drop, settle_s=30)
    assert early.handled == 0 and (drop / "fresh.eml").exists()

    later = scan(store, drop)
    assert len(later.stored) == 1 and not (drop / "fresh.eml").exists()
