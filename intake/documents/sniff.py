"""Deciding which reader a file needs, from its first bytes first and its name second."""
from __future__ import annotations

import re

_XML_START = re.compile(rb"^\s*(<\?xml|<[A-Za-z_][\w:.-]*[\s>/])")
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
_X12_START = re.compile(rb"^\s*ISA.")
_EDIFACT_START = re.compile(rb"^\s*(UNA.{6}|(UNB|UNH)[+])", re.DOTALL)
_EXT_TYPES = {
    "xls": "legacy excel .xls", "doc": "word .doc", "docx": "word .docx", "odt": "opendocument text",
    "ods": "opendocument spreadsheet", "msg": "outlook .msg", "rtf": "rtf", "pptx": "powerpoint",
    "7z": "7z archive", "rar": "rar archive", "gz": "gzip archive", "tar": "tar archive",
}


def sniff(name: str, data: bytes, content_type: str | None = None) -> str:
    """One of pdf, xlsx, csv, zip, x12, edifact, xml, html, eml, text, or 'unsupported type …'."""
    ct = (content_type or "").lower().split(";")[0].strip()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, ext)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e".encode("latin-1") in data:
            return "unsupported type: encrypted office file (password protected)"
        return f"unsupported type {_EXT_TYPES.get(ext, 'ole2 office file')} ({ext or 'no extension'})"
    if _X12_START.match(head):
        return "x12"
    if _EDIFACT_START.match(head):
        return "edifact"
    if ct == "message/rfc822" or ext == "eml":
        return "eml"
    if _HTML_START.match(head) or ct in ("text/html", "application/xhtml+xml") or ext in ("htm", "html"):
        return "html"
    if _XML_START.match(head) and (ext in ("xml", "ubl", "") or "xml" in ct or head.lstrip().startswith(b"<?xml")):
        return "xml"
    if ext in ("csv", "tsv") or ct in ("text/csv", "application/csv", "text/tab-separated-values", "text/comma-separated-values"):
        return "csv"
    if ct.startswith("image/") or ext in ("png", "jpg", "jpeg", "gif", "tif", "tiff", "bmp", "heic", "webp"):
        return f"unsupported type {ct or 'image/' + ext} (image, no OCR)"
    if ext in _EXT_TYPES:
        return f"unsupported type {_EXT_TYPES[ext]} ({ext})"
    if ct.startswith("text/") or ext in ("txt", "edi", "x12", "edifact", "text", "asc") or _looks_textual(data):
        return "text"
    return f"unsupported type {ct or 'unknown'} ({ext or 'no extension'})"


def _sniff_zip(data: bytes, ext: str) -> str:
    # A ZIP's central directory lists member names in plain bytes; enough to tell XLSX apart.
    if b"xl/workbook.xml" in data or b"xl/_rels" in data:
        return "xlsx"
    if b"word/document.xml" in data:
        return "unsupported type word .docx (docx)"
    if b"ppt/presentation.xml" in data:
        return "unsupported type powerpoint (pptx)"
    if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
        return "unsupported type opendocument (" + (ext or "odf") + ")"
    if ext in ("xlsx", "xlsm"):
        return "xlsx"
    return "zip"


def _looks_textual(data: bytes) -> bool:
    sample = data[:4096]
    if not sample or b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) < 0.01
