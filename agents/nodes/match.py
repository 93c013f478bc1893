"""match: the extracted order against master data (customer, ship-to, articles, units)."""
from __future__ import annotations

import re
from decimal import Decimal

from agents.completion import complete
from agents.context import Context
from agents.decide import DEFAULT_RULES
from agents.extractors.offline_text import prose_po_number
from agents.matching import match_customer, match_order
from agents.missed import missed_fields
from agents.sent_date import order_sent_date
from agents.nodes._timing import timed
from agents.state import OrderState


TEXT_EXTRACTORS = ("offline_text", "llm", "offline_text+llm")


@timed("match")
def match(state: OrderState, context: Context) -> dict:
    """Propose the order in the process-json shape, with scores and evidence for every match."""
    extracted = state.get("extracted")
    if not extracted:
        return {"proposal": None, "match": {}}
    master = context.book.master()
    customer = match_customer(extracted, state.get("meta") or {}, master)
    rules = {**DEFAULT_RULES, **context.book.effective_rules(customer.value)}
    message = context.load_message(state["message_key"])
    text = "\n".join(d.text or "\n".join(p.text for p in d.pages) for d in message.readable_documents)
    proposal, record = match_order(extracted, state.get("meta") or {}, master,
                                   min_score=float(rules["min_match_score"]), customer=customer, text=text)
    if not extracted.get("lines"):
        # Nothing was read: a reviewer starts from the customer, not from guessed defaults.
        proposal["ship_to_id"] = None
        proposal["currency"] = extracted.get("currency")
        return {"proposal": proposal, "match": record, "rules": rules}
    line_dates = [line.get("delivery_date") for line in extracted.get("lines") or []]
    if state.get("kind") == "order":
        sent, sure = order_sent_date(message, extracted, ((state.get("meta") or {}).get("date") or "")[:10] or None)
        record["derived"], record["uncertain"] = complete(proposal, master, sent, line_dates=line_dates,
                                                          date_in_text=extracted.get("extractor") in TEXT_EXTRACTORS)
        if not sure and "order_date: the day the message was sent" in record["derived"]:
            record["uncertain"].append("order_date")  # forwarded: the original's date was unreadable
    elif state.get("kind") == "change":
        record["derived"], record["uncertain"] = complete(proposal, master, None, line_dates=line_dates)
    if unusual_currency(extracted, master.customers.get(proposal.get("customer_id") or "")):
        record.setdefault("uncertain", []).append("currency")
    if po_corroborated(extracted, (state.get("meta") or {}).get("subject"), text):
        record["confirmed"] = [*record.get("confirmed", []), "po_number"]
    if state.get("kind") != "cancel":
        total = proposal.get("order_total")
        record["missed"] = missed_fields(message, extracted, Decimal(total) if total else None)
    return {"proposal": proposal, "match": record, "rules": rules}


def po_corroborated(extracted: dict, subject: str | None, text: str) -> bool:
    """The PO number read from the documents is also the one the subject line names as the order
    ("Order 235070", "Bestellung BRA161922"): two independent places agree on it."""
    po = str(extracted.get("po_number") or "")
    named = prose_po_number(subject or "")
    if not po or not named or named[0] != po:
        return False
    return re.search(rf"(?<![\w/-]){re.escape(po)}(?![\w/-])", text) is not None


def unusual_currency(extracted: dict, customer) -> bool:
    """The order names a currency other than the customer's: read from a disclaimer ("SAS au capital
    de 71894 EUR") or a real exception. Contract prices are in the usual one, so a person decides."""
    usual = getattr(customer, "currency", None)
    return bool(extracted.get("currency") and usual and extracted["currency"] != usual)
