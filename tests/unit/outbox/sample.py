"""A confirmation view used by several unit tests (the shape confirmation_view produces)."""
from __future__ import annotations


def sample_view(**changes) -> dict:
    view = {
        "order_id": 42,
        "reference": "OMS-42",
        "po_number": "PO-7781",
        "order_date": "2026-11-20",
        "customer_id": "C1001",
        "customer_name": "Bäckerei Schmidt GmbH",
        "language": "de",
        "currency": "EUR",
        "delivery_date": "2026-12-03",
        "order_total": "1234.50",
        "sender_name": "OMS Demo Distribution",
        "format": "email",
        "lines": [
            {"line_no": 1, "sku": "SKU-100", "description": "Weizenmehl 550", "qty": "10",
             "confirmed_qty": "10", "backordered_qty": None, "expected_date": None, "uom": "EA",
             "unit_price": "18.50", "line_total": "185.00"},
            {"line_no": 2, "sku": "SKU-300", "description": "Backpapier", "qty": "5",
             "confirmed_qty": "2", "backordered_qty": "3", "expected_date": "2026-12-10",
             "uom": "EA", "unit_price": "4.25", "line_total": "21.25"},
        ],
        "reply_to": {"message_id": "<po-7781@kunde.example>", "subject": "Bestellung PO-7781",
                     "sender": "Einkauf <einkauf@kunde.example>",
                     "references": "<older@kunde.example>"},
    }
    view.update(changes)
    return view
