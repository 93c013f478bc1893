"""The Reader port over EXTRACT's functions (classification, extraction, injection detection)."""
from __future__ import annotations

from agents.schema import ExtractedOrder
from intake.model import InboundMessage


class ExtractorReader:
    """Calls agents.classify, agents.extractors and agents.injection (imported when first used)."""

    def classify(self, message: InboundMessage):
        from agents.classify import classify

        return classify(message)

    def extract(self, message: InboundMessage) -> list[ExtractedOrder]:
        from agents.extractors import extract_documents

        return list(extract_documents(message))

    def detect_injection(self, text: str) -> list[str]:
        from agents.injection import detect_injection

        return list(detect_injection(text))
