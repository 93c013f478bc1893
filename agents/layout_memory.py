"""Layout memory: where a reviewer's corrected header value sits on the page, reused next time.

When a reviewer corrects a header field (PO number, dates) of a PDF, we find the corrected value
among the document's words and remember its page and box under the extractor's `layout_key`.
The next document with the same layout key is read at that position, so it needs no correction.
"""
from __future__ import annotations

import re
from datetime import date

from agents.master import MasterView
from intake.model import Document, InboundMessage, Word

FIELDS = ("po_number", "order_date", "requested_delivery_date")
DATE_FIELDS = {"order_date", "requested_delivery_date"}
DATE_FORMATS = {
    "dmy.": "{d:02d}.{m:02d}.{y:04d}",
    "dmy/": "{d:02d}/{m:02d}/{y:04d}",
    "dmy-": "{d:02d}-{m:02d}-{y:04d}",
    "mdy/": "{m:02d}/{d:02d}/{y:04d}",
    "ymd-": "{y:04d}-{m:02d}-{d:02d}",
    "ymd/": "{y:04d}/{m:02d}/{d:02d}",
    "ymd.": "{y:04d}.{m:02d}.{d:02d}",
    "dmy.short": "{d}.{m}.{y:04d}",
}


def _words(message: InboundMessage) -> list[Word]:
    out: list[Word] = []

    def walk(docs: list[Document]) -> None:
        for doc in docs:
            for page in doc.pages:
                out.extend(w for w in page.words if w.source.bbox is not None)
            walk(doc.embedded)

    walk(message.documents)
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).strip(".,:;").upper()


def _renderings(field: str, value: str) -> dict[str, str]:
    if field in DATE_FIELDS:
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return {}
        return {fmt: pattern.format(d=d.day, m=d.month, y=d.year) for fmt, pattern in DATE_FORMATS.items()}
    return {"text": value}


def _line_runs(words: list[Word], max_len: int = 3):
    """Runs of 1..max_len consecutive words on the same line of the same page and part."""
    for i, first in enumerate(words):
        run = [first]
        yield run
        for nxt in words[i + 1:i + max_len]:
            prev = run[-1]
            if (nxt.source.part, nxt.source.page) != (prev.source.part, prev.source.page):
                break
            if abs(nxt.source.bbox.top - prev.source.bbox.top) > 2 or nxt.source.bbox.x0 < prev.source.bbox.x0:
                break
            run = run + [nxt]
            yield run


def _label_left_of(words: list[Word], run: list[Word]) -> str | None:
    """The words just left of a value on its line (its printed label), e.g. 'Bestell-Nr.'."""
    first = run[0].source
    left = [w for w in words if (w.source.part, w.source.page) == (first.part, first.page)
            and abs(w.source.bbox.top - first.bbox.top) <= 2 and w.source.bbox.x1 <= first.bbox.x0 + 1
            and first.bbox.x0 - w.source.bbox.x1 < 250]
    left.sort(key=lambda w: w.source.bbox.x0)
    label = " ".join(w.text for w in left[-3:]).strip(" :")
    return label if label and not any(ch.isdigit() for ch in label) else None


def build_layout_hint(message: InboundMessage, corrected: dict[str, str]) -> dict | None:
    """Positions (and printed labels) of corrected header values in this message, or None."""
    words = _words(message)
    fields: dict[str, dict] = {}
    labels: dict[str, str] = {}
    for field, value in corrected.items():
        if field not in FIELDS or not value:
            continue
        renderings = {fmt: _norm(text) for fmt, text in _renderings(field, str(value)).items()}
        for run in _line_runs(words):
            joined = _norm("".join(w.text for w in run))
            fmt = next((f for f, r in renderings.items() if r == joined), None)
            if fmt is None:
                continue
            boxes = [w.source.bbox for w in run]
            fields[field] = {
                "part": run[0].source.part, "page": run[0].source.page, "format": fmt,
                "bbox": [min(b.x0 for b in boxes), min(b.top for b in boxes),
                         max(b.x1 for b in boxes), max(b.bottom for b in boxes)],
            }
            label = _label_left_of(words, run)
            if label:
                labels[label] = field
            break
    if not fields:
        return None
    hint: dict = {"fields": fields}
    if labels:
        hint["labels"] = labels  # the extractor's own hint vocabulary: label text -> field
    if any(spec["format"].startswith("mdy") for spec in fields.values()):
        hint["date_order"] = "mdy"
    elif any(spec["format"].startswith("dmy") for spec in fields.values()):
        hint["date_order"] = "dmy"
    return hint


def _parse(fmt: str, text: str) -> str | None:
    if fmt == "text":
        return text.strip(" :;,") or None
    digits = re.findall(r"\d+", text)
    if len(digits) != 3:
        return None
    order = fmt[:3]
    parts = dict(zip(order, (int(x) for x in digits)))
    try:
        return date(parts["y"], parts["m"], parts["d"]).isoformat()
    except (ValueError, KeyError):
        return None


def read_at(message: InboundMessage, spec: dict) -> str | None:
    """The value printed at a remembered position (same line, starting where the old one did)."""
    x0, top, x1, _bottom = spec["bbox"]
    picked = [w for w in _words(message)
              if w.source.page == spec.get("page") and abs(w.source.bbox.top - top) <= 3
              and x0 - 6 <= w.source.bbox.x0 <= x1 + 6]
    if not picked:
        return None
    picked.sort(key=lambda w: w.source.bbox.x0)
    return _parse(spec["format"], " ".join(w.text for w in picked) if spec["format"] == "text"
                  else "".join(w.text for w in picked))


def find_hint(master: MasterView, layout_key: str, customer_id: str | None = None) -> dict | None:
    """The customer's hint for this layout, else any hint saved for it."""
    if (customer_id, layout_key) in master.layout_hints:
        return master.layout_hints[(customer_id, layout_key)]
    for (_cid, key), hint in master.layout_hints.items():
        if key == layout_key:
            return hint
    return None


def apply_layout_hint(extracted: dict, message: InboundMessage, master: MasterView,
                      hint: dict | None = None) -> tuple[dict, str | None]:
    """Override header fields with the values read where the layout memory says they are."""
    hint = hint if hint is not None else find_hint(master, extracted.get("layout_key") or "")
    if not hint:
        return extracted, None
    changed = []
    out = dict(extracted)
    confidence = dict(out.get("confidence") or {})
    for field, spec in (hint.get("fields") or {}).items():
        value = read_at(message, spec)
        if value and value != out.get(field):
            out[field] = value
            changed.append(field)
        if value:
            confidence[field] = max(confidence.get(field, 0.0), 0.95)
    out["confidence"] = confidence
    return out, (", ".join(changed) or "confirmed") if hint else None
