"""pdfium is not thread-safe: every reader call holds the one process-wide lock."""
from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

from intake.documents import read_document
from intake.pdfium_lock import PDFIUM_LOCK
from tests.unit.intake.builders import make_image_pdf, make_layout_pdf, make_pdf

ROWS = [["Item", "Description", "Qty"], ["A-1", "Widget", "5"], ["B-2", "Gadget", "3"]]


def read(data: bytes) -> dict:
    return dataclasses.asdict(read_document("po.pdf", data, "application/pdf"))


def test_reads_from_many_threads_give_what_serial_reads_give():
    pdfs = [make_layout_pdf(), make_layout_pdf(rotate=90), make_pdf([["Order 4711"], ["Page two"]], table=ROWS), make_image_pdf()]
    serial = [read(data) for data in pdfs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(read, pdfs * 6))
    assert concurrent == serial * 6


def test_a_reader_waits_while_another_thread_holds_the_pdfium_lock():
    data = make_pdf([["Order 4711"]])
    result: list[dict] = []
    reader = threading.Thread(target=lambda: result.append(read(data)))
    with PDFIUM_LOCK:
        reader.start()
        reader.join(timeout=0.3)
        assert reader.is_alive() and not result  # blocked on the lock, not reading
    reader.join(timeout=10)
    assert result and result[0]["status"] == "ok"
