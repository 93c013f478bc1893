"""Small helpers shared by the extractors: provenance from intake Sources, field setters."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from agents.schema import ExtractedLine, ExtractedOrder, Provenance
from intake.model import Source

from agents.extractors.numbers import normalise


def provenance(source: Source | None, part: str | None = None, **extra: Any) -> Provenance | None:
    """Provenance of a value from an intake Source (or just a part name)."""
    if source is None:
        return Provenance(part=part, **extra) if part else None
    bbox = None
    if source.bbox is not None:
        b = source.bbox
        bbox = (round(b.x0, 2), round(b.top, 2), round(b.x1, 2), round(b.bottom, 2))
    return Provenance(part=source.part, page=source.page, bbox=bbox, line=source.line, column=source.column)


def set_field(order: ExtractedOrder | ExtractedLine, name: str, value: Any, confidence: float,
              prov: Provenance | None = None) -> None:
    """Set a field with its confidence and provenance; None values are ignored."""
    if value is None or value == "":
        return
    setattr(order, name, value)
    order.confidence[name] = round(max(0.0, min(1.0, confidence)), 3)
    if prov is not None:
        order.provenance[name] = prov


def set_line(line: ExtractedLine, name: str, value: Any, confidence: float, prov: Provenance | None = None) -> None:
    """Set a line field (quantities normalised: `5.000` -> `5`)."""
    if name == "qty" and isinstance(value, Decimal):
        value = normalise(value)
    set_field(line, name, value, confidence, prov)


def clean_code(text: str | None) -> str | None:
    """An article/PO code as printed, without surrounding punctuation."""
    if text is None:
        return None
    value = text.strip().strip(":;,").strip()
    return value or None


def fingerprint(*parts: Any) -> str:
    """A short stable hash of layout features (for the layout memory)."""
    raw = "|".join(str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def finish(order: ExtractedOrder) -> ExtractedOrder:
    """Fill derived bits every extractor shares: line numbers when missing, line confidences."""
    for index, line in enumerate(order.lines, start=1):
        if line.line_no is None:
            line.line_no = index
            line.confidence.setdefault("line_no", 0.5)
    return order
