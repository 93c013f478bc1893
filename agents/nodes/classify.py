"""classify: what kind of message is this, can it be read, and does it try to instruct us?"""
from __future__ import annotations

from agents.context import Context
from agents.nodes._timing import timed
from agents.state import OrderState
from intake.model import Document, InboundMessage


def _all_documents(docs: list[Document]) -> list[Document]:
    out = []
    for doc in docs:
        out.append(doc)
        out.extend(_all_documents(doc.embedded))
    return out


def _has_content(doc: Document) -> bool:
    return doc.readable and bool(doc.text.strip() or doc.tables or doc.segments or doc.xml
                                 or any(p.text.strip() for p in doc.pages))


def message_meta(message: InboundMessage) -> dict:
    """The header facts later nodes need (JSON-safe)."""
    forwarded = [d.meta.get("from") for d in _all_documents(message.documents) if getattr(d, "meta", None) and d.meta.get("from")]
    return {
        "original_sender": forwarded[0] if forwarded else None,
        "reply_to": getattr(message, "reply_to", None),
        "message_id": message.message_id,
        "sender": message.sender,
        "sender_name": message.sender_name,
        "to": list(message.to),
        "subject": message.subject,
        "date": message.date.isoformat() if message.date else None,
        "in_reply_to": message.in_reply_to,
        "references": list(message.references),
        "raw_path": message.raw_path,
    }


@timed("classify")
def classify(state: OrderState, context: Context) -> dict:
    """Classify the message, list unreadable parts, and look for prompt-injection text."""
    message = context.load_message(state["message_key"])
    classification = context.reader.classify(message)
    documents = _all_documents(message.documents)
    unreadable = [f"{doc.name}: {doc.status}" for doc in documents if not doc.readable]
    if message.status != "ok":
        unreadable.insert(0, f"message: {message.status}")
    readable = any(_has_content(doc) for doc in documents) or bool(message.subject.strip() and documents)
    text = "\n".join([message.subject] + [d.text + "\n" + d.quoted_text for d in documents]
                     + [p.text for d in documents for p in d.pages])
    injection = list(context.reader.detect_injection(text))
    kind = classification.kind
    category = getattr(classification, "category", None)
    if kind == "not_order" and (category == "unreadable" or (unreadable and category in (None, "other"))):
        # Order wording we could not read, or an unreadable part: a person looks rather than
        # a possible order being dropped as a non-order.
        kind = "order"
    return {
        "kind": kind,
        "classification": {"kind": classification.kind, "reasons": list(classification.reasons),
                           "confidence": float(classification.confidence)},
        "meta": message_meta(message),
        "unreadable": unreadable,
        "readable": readable,
        "injection": injection,
        "versions": dict(context.versions),
    }
