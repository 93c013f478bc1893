"""When was the order sent? For an order read from a forwarded or attached message, that message's date.

An order without a printed date is dated by its sending. "FW: PO 4711" forwarded a day later
was still sent by the customer on the original's date, which the forwarded header block
("Sent: Friday, November 13, 2026 04:56 PM") or the attached message's Date header gives.
"""
from __future__ import annotations

from email.utils import parsedate_to_datetime

from agents.extractors.dates import find_dates


def _parts_of(extracted: dict) -> set[str]:
    """The message parts the order's lines were read from."""
    return {p["part"] for line in extracted.get("lines") or [] for p in (line.get("provenance") or {}).values()
            if isinstance(p, dict) and p.get("part")}


def _inside(part: str, container: str) -> bool:
    return part == container or part.startswith((container + ".", container + "/"))


def parse_sent(value: str) -> str | None:
    """ISO date of a Date header or a forwarded "Sent:" line, in whatever form the mail client wrote it."""
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    dates = find_dates(value)
    return dates[0][1].isoformat() if dates else None


def order_sent_date(message, extracted: dict, message_date: str | None) -> tuple[str | None, bool]:
    """(ISO date the order was sent, whether we are sure of it).

    The innermost forwarded/attached message holding the lines decides; its date unreadable means
    the message's own date is only a guess.
    """
    parts = _parts_of(extracted)
    holders = [d for d in message.readable_documents
               if (d.meta or {}).get("date") and any(_inside(p, d.part) for p in parts)]
    if not holders:
        return message_date, True
    holder = max(holders, key=lambda d: len(d.part))
    sent = parse_sent(holder.meta["date"])
    return (sent, True) if sent else (message_date, False)
