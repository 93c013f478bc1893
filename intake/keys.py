"""Stable idempotency keys for inbound messages."""
from __future__ import annotations

import hashlib
import re

_ANGLE = re.compile(r"<([^<>]+)>")


def normalize_message_id(message_id: str | None) -> str | None:
    """The Message-ID without angle brackets and surrounding space, or None when blank."""
    if not message_id:
        return None
    text = message_id.strip()
    match = _ANGLE.search(text)
    if match:
        text = match.group(1).strip()
    return text or None


def message_key(raw: bytes, message_id: str | None) -> str:
    """32 hex chars: sha256 of the normalized Message-ID when present, else of the raw bytes."""
    normalized = normalize_message_id(message_id)
    if normalized:
        digest = hashlib.sha256(normalized.encode("utf-8", "surrogateescape"))
    else:
        digest = hashlib.sha256(raw)
    return digest.hexdigest()[:32]
