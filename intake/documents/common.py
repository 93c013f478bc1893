"""Small helpers every reader shares: building Documents and unreadable statuses."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from intake.model import Document, DocumentKind

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Ceilings that keep hostile input (zip bombs, huge files) from exhausting the machine."""

    max_bytes: int = DEFAULT_MAX_BYTES  # one attachment, and one archive member once unpacked
    max_total_unpacked: int = 4 * DEFAULT_MAX_BYTES  # all members of one ZIP/XLSX together
    max_ratio: float = 200.0  # uncompressed / compressed size of one member
    max_members: int = 2000
    max_pages: int = 500
    max_rows: int = 100_000  # per sheet
    max_depth: int = 3  # archives within archives, messages within messages


def new_document(kind: DocumentKind, name: str, part: str, content_type: str, data: bytes) -> Document:
    """An empty Document of the given kind, with size and sha256 of the bytes it came from."""
    return Document(
        kind=kind,
        name=name,
        part=part,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def unreadable(name: str, part: str, content_type: str, data: bytes, reason: str) -> Document:
    """A Document that records why the part could not be read (status 'unreadable: <reason>')."""
    doc = new_document("unreadable", name, part, content_type, data)
    doc.status = f"unreadable: {reason}"
    return doc


def mark_unreadable(doc: Document, reason: str) -> Document:
    """Turn a partly built Document into an unreadable one, keeping what is known about it."""
    doc.kind = "unreadable"
    doc.status = f"unreadable: {reason}"
    return doc
