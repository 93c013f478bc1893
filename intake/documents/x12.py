"""ANSI X12 tokenizer (e.g. 850 purchase orders): delimiters from the fixed-width ISA segment."""
from __future__ import annotations

from intake.documents.charsets import decode_bytes
from intake.documents.common import mark_unreadable, new_document
from intake.documents.edi_common import edi_document
from intake.model import Document, EdiSegment

ISA_LENGTH = 106


def read_x12(name: str, data: bytes, content_type: str, part: str, charset: str | None = None) -> Document:
    """Split an X12 interchange into segments, elements and components; keep every value."""
    text, _ = decode_bytes(data, charset)
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("ISA") or len(text) < ISA_LENGTH:
        return mark_unreadable(new_document("x12_850", name, part, content_type, data), "malformed x12 (no complete ISA segment)")
    element_sep = text[3]
    delimiters = _isa_delimiters(text, element_sep)
    if delimiters is None:
        return mark_unreadable(new_document("x12_850", name, part, content_type, data), "malformed x12 (ISA segment has wrong length)")
    component_sep, terminator, repetition_sep = delimiters
    raw_segments = [s.strip("\r\n \t") for s in text.split(terminator)]
    raw_segments = [s for s in raw_segments if s]
    segments = []
    for index, raw in enumerate(raw_segments):
        fields = raw.split(element_sep)
        elements = [f.split(component_sep) if component_sep and fields[0] != "ISA" else [f] for f in fields[1:]]
        segments.append(EdiSegment(tag=fields[0].strip(), elements=elements, index=index))
    doc = edi_document("x12_850", name, part, content_type or "application/edi-x12", data, segments, raw_segments)
    doc.meta.update({"element_separator": element_sep, "component_separator": component_sep,
                     "segment_terminator": terminator, "repetition_separator": repetition_sep or ""})
    _check(doc, segments)
    return doc


def _isa_delimiters(text: str, element_sep: str) -> tuple[str, str, str | None] | None:
    """(component separator, segment terminator, repetition separator) from the ISA segment."""
    positions = [i for i, ch in enumerate(text[:ISA_LENGTH + 20]) if ch == element_sep]
    if len(positions) < 16:
        return None
    component_at = positions[15] + 1  # ISA16 is one character after the 16th separator
    if component_at + 1 >= len(text):
        return None
    component_sep, terminator = text[component_at], text[component_at + 1]
    if terminator == "\r" and text[component_at + 2:component_at + 3] == "\n":
        terminator = "\r\n"
    isa_fields = text[:component_at].split(element_sep)
    repetition = isa_fields[11] if len(isa_fields) > 11 and len(isa_fields[11]) == 1 and not isa_fields[11].isalnum() else None
    if component_sep.isalnum() or terminator.isalnum() and terminator not in "\r\n":
        return None
    return component_sep, terminator, repetition


def _check(doc: Document, segments: list[EdiSegment]) -> None:
    tags = [s.tag for s in segments]
    if "ST" not in tags:
        mark_unreadable(doc, "malformed x12 (no ST transaction set)")
        doc.kind = "unreadable"
        return
    transaction_sets = [s.elements[0][0] for s in segments if s.tag == "ST" and s.elements]
    doc.meta["transaction_sets"] = ",".join(transaction_sets)
    if any(t != "850" for t in transaction_sets):
        doc.warnings.append(f"transaction sets other than 850: {sorted(set(transaction_sets) - {'850'})}")
    if "IEA" not in tags:
        doc.warnings.append("interchange not closed (IEA missing): file may be truncated")
    start = None
    for i, segment in enumerate(segments):
        if segment.tag == "ST":
            start = i
        elif segment.tag == "SE" and start is not None:
            declared = segment.elements[0][0] if segment.elements else ""
            if declared.isdigit() and int(declared) != i - start + 1:
                doc.warnings.append(f"SE segment count {declared} but {i - start + 1} segments found")
            start = None
    if start is not None:
        doc.warnings.append("transaction set not closed (SE missing): file may be truncated")
