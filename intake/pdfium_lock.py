"""One process-wide lock for pdfium, which is not thread-safe.

pypdfium2 documents that no two threads may call into pdfium at the same time, not even on
different documents. The pipeline runs graph nodes in threads and the review UI renders pages in
server threads, so every pypdfium2 call site holds this lock, from opening a document to closing it
(closing explicitly inside the lock: a garbage-collected handle would close outside it).
"""
from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()  # re-entrant: a locked reader may call a helper that locks too
