"""Plain-text parts (mail bodies, .txt files) as Documents: one pseudo-page, words by line."""
from __future__ import annotations

from intake.documents.common import new_document
from intake.documents.charsets import decode_bytes
from intake.model import Document, Page, Source, Word


def text_document(
    text: str, *, name: str, part: str, content_type: str = "text/plain", data: bytes | None = None,
    quoted: str = "",
) -> Document:
    """A Document for already decoded text; every word knows its part and 0-based line."""
    raw = data if data is not None else text.encode("utf-8")
    doc = new_document("text", name, part, content_type, raw)
    doc.text = text
    doc.quoted_text = quoted
    doc.pages = [Page(number=1, width=0.0, height=0.0, text=text, words=words_by_line(text, part))]
    return doc


def words_by_line(text: str, part: str) -> list[Word]:
    """Split text on whitespace, remembering the line each token sits on."""
    words = []
    for number, line in enumerate(text.split("\n")):
        for token in line.split():
            words.append(Word(token, Source(part=part, line=number)))
    return words


def read_text(name: str, data: bytes, content_type: str, part: str, charset: str | None = None) -> Document:
    """Read a text attachment (.txt and friends)."""
    text, codec = decode_bytes(data, charset)
    doc = text_document(text.replace("\r\n", "\n"), name=name, part=part, content_type=content_type, data=data)
    doc.meta["charset"] = codec
    return doc
