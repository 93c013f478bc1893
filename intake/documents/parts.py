"""Walking a MIME tree: body candidates, attachments, and attached messages (recursively)."""
from __future__ import annotations

import email
from email.message import Message

from intake.documents import read_document
from intake.documents.charsets import decode_bytes
from intake.documents.common import Limits, unreadable
from intake.model import Document


class PartWalker:
    """Collects one message level: plain/HTML body candidates and attachment Documents."""

    def __init__(self, prefix: str, limits: Limits, depth: int, warnings: list[str]):
        self.prefix, self.limits, self.depth, self.warnings = prefix, limits, depth, warnings
        self.plain: list[tuple[str, bytes]] = []
        self.html: list[tuple[str, bytes]] = []
        self.documents: list[Document] = []
        self._names: set[str] = set()
        self._count = 0

    def walk(self, part: Message) -> None:
        """Visit a part and, for multiparts, its children in order."""
        content_type = part.get_content_type()
        payload = part.get_payload()
        if part.is_multipart() and isinstance(payload, list) and not content_type.startswith("message/"):
            for child in payload:
                if isinstance(child, Message):
                    self.walk(child)
            return
        self._count += 1
        if content_type in ("message/rfc822", "message/global") and isinstance(payload, list):
            inner = payload[0] if payload and isinstance(payload[0], Message) else None
            if inner is not None:
                self._attached_message(part, inner)
                return
        from intake.mime import decode_header_value, guess_name

        filename = decode_header_value(part.get_filename()) if part.get_filename() else None
        disposition = part.get_content_disposition()
        data = self._payload(part)
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            text, _ = decode_bytes(data, part.get_content_charset())
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            (self.plain if content_type == "text/plain" else self.html).append((text, data))
            return
        if content_type.startswith("image/") and disposition != "attachment" and part.get("Content-ID"):
            self.warnings.append(f"skipped inline image {filename or content_type}")
            return
        name = self._unique(filename or guess_name(content_type, self._count))
        if name.lower().endswith(".eml") or content_type in ("message/rfc822", "message/global"):
            self._attached_message(part, email.message_from_bytes(data), name)
            return
        doc = read_document(
            name, data, content_type, part=f"{self.prefix}attachment:{name}", limits=self.limits,
            charset=part.get_content_charset(), depth=self.depth,
        )
        self.documents.append(doc)
        if doc.kind == "archive":  # members are attachments in their own right
            self.documents.extend(doc.embedded)
            doc.meta["members"] = str(len(doc.embedded))
            doc.embedded = []

    def _payload(self, part: Message) -> bytes:
        try:
            data = part.get_payload(decode=True)
        except Exception:  # noqa: BLE001 - broken transfer encoding: keep the raw text
            data = None
        if data is None:
            raw = part.get_payload()
            data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
        return data

    def _attached_message(self, part: Message, inner: Message, name: str | None = None) -> None:
        from intake.mime import collect_documents, decode_header_value, decoded_headers, message_meta

        headers = decoded_headers(inner)
        if name is None:
            filename = decode_header_value(part.get_filename()) if part.get_filename() else None
            name = self._unique(filename or _safe(headers.get("subject", "")) or f"message{self._count}.eml")
        prefix = f"{self.prefix}attachment:{name}/"
        if self.depth + 1 > self.limits.max_depth:
            self.documents.append(unreadable(name, prefix.rstrip("/"), "message/rfc822", b"", "attached message nested too deep"))
            return
        docs = collect_documents(inner, prefix, headers.get("subject", ""), self.limits, self.depth + 1, self.warnings)
        meta = message_meta(headers)
        for doc in docs:
            for k, v in meta.items():
                doc.meta.setdefault(k, v)
        self.documents.extend(docs)

    def _unique(self, name: str) -> str:
        name = name.replace("/", "_").strip() or "unnamed"
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}#{n}"
        self._names.add(candidate)
        return candidate


def _safe(subject: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in subject).strip()
    return f"{cleaned[:60]}.eml" if cleaned else ""
