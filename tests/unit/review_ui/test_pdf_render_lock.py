"""Rendering PDF pages for the review page shares pdfium's process-wide lock with the intake reader."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from intake.documents import read_document
from intake.pdfium_lock import PDFIUM_LOCK
from review_ui.views.original import pdf_page_sizes, render_pdf_page
from tests.unit.intake.builders import make_pdf

ROWS = [["Item", "Description", "Qty"], ["A-1", "Widget", "5"]]


def test_rendering_in_threads_beside_reading_gives_the_serial_results():
    data = make_pdf([["Order 4711"], ["Page two"]], table=ROWS)
    png = render_pdf_page(data, 1, scale=0.5)
    sizes = pdf_page_sizes(data)
    words = [w.text for w in read_document("po.pdf", data).pages[0].words]

    def job(k: int):
        if k % 3 == 0:
            return render_pdf_page(data, 1, scale=0.5)
        if k % 3 == 1:
            return pdf_page_sizes(data)
        return [w.text for w in read_document("po.pdf", data).pages[0].words]

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(job, range(24)))
    assert results == [png, sizes, words] * 8
    assert png.startswith(b"\x89PNG") and len(sizes) == 2


def test_rendering_waits_while_the_pdfium_lock_is_held():
    data = make_pdf([["Order 4711"]])
    out: list[bytes] = []
    renderer = threading.Thread(target=lambda: out.append(render_pdf_page(data, 1, scale=0.5)))
    with PDFIUM_LOCK:
        renderer.start()
        renderer.join(timeout=0.3)
        assert renderer.is_alive() and not out
    renderer.join(timeout=10)
    assert out and out[0].startswith(b"\x89PNG")
