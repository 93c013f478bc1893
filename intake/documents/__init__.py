"""Attachment readers: `read_document` sniffs the bytes and hands them to one reader per format.

Never raises on bad input: a file that cannot be read comes back as a Document with kind
"unreadable" and a status such as "unreadable: encrypted pdf"; its size and sha256 are kept.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from intake.documents.common import DEFAULT_MAX_BYTES, Limits, unreadable
from intake.documents.sniff import sniff
from intake.model import Document

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_MAX_BYTES", "Limits", "read_document", "sniff"]


def read_document(
    name: str,
    data: bytes,
    content_type: str | None = None,
    part: str | None = None,
    *,
    limits: Limits | None = None,
    max_bytes: int | None = None,
    charset: str | None = None,
    depth: int = 0,
) -> Document:
    """Read one file into a Document (part defaults to "attachment:<name>"); never raises."""
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes, max_total_unpacked=max(limits.max_total_unpacked, max_bytes))
    part = part or f"attachment:{name}"
    content_type = (content_type or "").lower()
    if len(data) > limits.max_bytes:
        return unreadable(name, part, content_type, data, f"attachment too large ({len(data)} bytes > {limits.max_bytes})")
    try:
        return _dispatch(name, data, content_type, part, limits, charset, depth)
    except RecursionError:
        return unreadable(name, part, content_type, data, "nested too deep")
    except Exception as exc:  # noqa: BLE001 - the promise is a status, never an exception
        log.warning("reader failed on %s: %s", part, exc, exc_info=True)
        return unreadable(name, part, content_type, data, f"reader failed ({type(exc).__name__}: {exc})"[:300])


def _dispatch(name, data, content_type, part, limits, charset, depth) -> Document:
    kind = sniff(name, data, content_type)
    if kind == "pdf":
        from intake.documents.pdf import read_pdf

        return read_pdf(name, data, content_type, part, limits, depth)
    if kind == "xlsx":
        from intake.documents.sheet import read_xlsx

        return read_xlsx(name, data, content_type, part, limits)
    if kind == "csv":
        from intake.documents.delimited import read_csv

        return read_csv(name, data, content_type, part, limits, charset)
    if kind == "zip":
        from intake.documents.archive import read_archive

        return read_archive(name, data, content_type, part, limits, depth)
    if kind == "x12":
        from intake.documents.x12 import read_x12

        return read_x12(name, data, content_type, part, charset)
    if kind == "edifact":
        from intake.documents.edifact import read_edifact

        return read_edifact(name, data, content_type, part, charset)
    if kind == "xml":
        from intake.documents.xml_order import read_xml

        return read_xml(name, data, content_type, part)
    if kind == "html":
        from intake.documents.html_doc import read_html

        return read_html(name, data, content_type, part, charset)
    if kind == "eml":
        from intake.mime import read_eml_document

        return read_eml_document(name, data, part, limits, depth)
    if kind == "text":
        from intake.documents.text import read_text

        return read_text(name, data, content_type or "text/plain", part, charset)
    return unreadable(name, part, content_type, data, kind)  # sniff explains what it is
