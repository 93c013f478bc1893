"""The Reader port over EXTRACT's functions (classification, extraction, injection detection)."""
from __future__ import annotations

import threading
from collections import OrderedDict

from agents.schema import ExtractedOrder
from intake.model import InboundMessage


class ExtractorReader:
    """Calls agents.classify, agents.extractors and agents.injection (imported when first used).

    Classification uses the extracted orders as evidence, so the plain extraction of a message
    is kept for a while and reused by the extract step instead of reading the documents twice.
    """

    def __init__(self, cache_size: int = 32):
        self._cache: OrderedDict[tuple[str, str], list[ExtractedOrder]] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def _plain(self, message: InboundMessage) -> list[ExtractedOrder]:
        from agents.extractors import extract_documents

        key = (message.key, message.sha256)
        with self._lock:
            if key in self._cache:
                return [o.model_copy(deep=True) for o in self._cache[key]]
        orders = list(extract_documents(message))
        with self._lock:
            self._cache[key] = orders
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return [o.model_copy(deep=True) for o in orders]

    def classify(self, message: InboundMessage):
        from agents.classify import classify

        try:
            orders = self._plain(message)
        except Exception:  # noqa: BLE001 - classification must not depend on an extractor bug
            orders = None
        return classify(message, orders)

    def extract(self, message: InboundMessage, layout_hints: dict | None = None) -> list[ExtractedOrder]:
        if layout_hints:
            from agents.extractors import extract_documents

            return list(extract_documents(message, layout_hints))
        return self._plain(message)

    def detect_injection(self, text: str) -> list[str]:
        from agents.injection import detect_injection

        return list(detect_injection(text))
