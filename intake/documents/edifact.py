"""UN/EDIFACT tokenizer (ORDERS D96A / EANCOM and friends): UNA advice, release characters."""
from __future__ import annotations

import re

from intake.documents.charsets import decode_bytes
from intake.documents.common import mark_unreadable, new_document
from intake.documents.edi_common import edi_document
from intake.model import Document, EdiSegment

_SYNTAX_CHARSETS = {"A": "ascii", "B": "ascii", "C": "iso-8859-1", "D": "iso-8859-2", "E": "iso-8859-5",
                    "F": "iso-8859-7", "W": "utf-8", "Y": "utf-8"}
_SYNTAX = re.compile(rb"UNB.UNO([A-Z])")


def read_edifact(name: str, data: bytes, content_type: str, part: str, charset: str | None = None) -> Document:
    """Split an EDIFACT interchange into segments, elements and components; keep every value."""
    syntax = _SYNTAX.search(data[:200])
    declared = _SYNTAX_CHARSETS.get(syntax.group(1).decode()) if syntax else charset
    text, _ = decode_bytes(data, declared)
    text = text.lstrip("\ufeff \t\r\n")
    component, element, decimal, release, terminator = ":", "+", ".", "?", "'"
    if text.startswith("UNA"):
        if len(text) < 9:
            return mark_unreadable(new_document("edifact_orders", name, part, content_type, data), "malformed edifact (short UNA)")
        component, element, decimal, release, terminator = text[3], text[4], text[5], text[6], text[8]
        if release == " ":
            release = ""  # a space in the release position means "no release character"
        text = text[9:]
    segments, raw_segments, warnings = tokenize(text, component, element, release, terminator)
    doc = edi_document("edifact_orders", name, part, content_type or "application/edifact", data, segments, raw_segments)
    doc.warnings.extend(warnings)
    doc.meta.update({"component_separator": component, "element_separator": element, "decimal_mark": decimal,
                     "release_character": release, "segment_terminator": terminator})
    _check(doc, segments)
    return doc


def tokenize(text: str, component: str, element: str, release: str, terminator: str):
    """Segments as lists of elements of components, with release characters resolved."""
    segments: list[EdiSegment] = []
    raw_segments: list[str] = []
    warnings: list[str] = []
    elements: list[list[str]] = [[""]]
    raw: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if release and ch == release:
            if i + 1 >= n:
                warnings.append("dangling release character at end of file")
                break
            elements[-1][-1] += text[i + 1]
            raw.append(text[i:i + 2])
            i += 2
            continue
        if ch == terminator:
            raw.append(ch)
            _close(segments, raw_segments, elements, raw)
            elements, raw = [[""]], []
        elif ch in "\r\n" or (ch in " \t" and not raw):
            pass  # line breaks between (or inside) segments are layout, not data
        elif ch == element:
            elements.append([""])
            raw.append(ch)
        elif ch == component:
            elements[-1].append("")
            raw.append(ch)
        else:
            elements[-1][-1] += ch
            raw.append(ch)
        i += 1
    if any(c for e in elements for c in e):
        warnings.append("last segment not terminated: file may be truncated")
        _close(segments, raw_segments, elements, raw)
    return segments, raw_segments, warnings


def _close(segments, raw_segments, elements, raw) -> None:
    tag = elements[0][0].strip()
    if not tag and len(elements) == 1:
        return
    # The tag is not an element: elements[0] is the first data element (BGM01), as in the specs.
    segments.append(EdiSegment(tag=tag, elements=elements[1:], index=len(segments)))
    raw_segments.append("".join(raw))


def _check(doc: Document, segments: list[EdiSegment]) -> None:
    tags = [s.tag for s in segments]
    if "UNH" not in tags:
        mark_unreadable(doc, "malformed edifact (no UNH message header)")
        return
    bad = [t for t in tags if not re.fullmatch(r"[A-Z][A-Z0-9]{2}", t)]
    if bad:
        mark_unreadable(doc, f"malformed edifact (bad segment tags {bad[:3]})")
        return
    types = []
    start = None
    for i, segment in enumerate(segments):
        if segment.tag == "UNH":
            start = i
            identifier = segment.elements[1] if len(segment.elements) > 1 else [""]
            types.append(identifier[0])
        elif segment.tag == "UNT" and start is not None:
            declared = segment.elements[0][0] if segment.elements else ""
            if declared.isdigit() and int(declared) != i - start + 1:
                doc.warnings.append(f"UNT segment count {declared} but {i - start + 1} segments found")
            start = None
    if start is not None:
        doc.warnings.append("message not closed (UNT missing): file may be truncated")
    if "UNB" in tags and "UNZ" not in tags:
        doc.warnings.append("interchange not closed (UNZ missing)")
    doc.meta["message_types"] = ",".join(types)
