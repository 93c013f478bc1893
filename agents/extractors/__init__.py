"""Extractors: every inbound document to `ExtractedOrder`s, most certain first.

Structured formats (EDIFACT, X12, UBL, Voxel/other XML) are read exactly; spreadsheets by their
recognised columns; PDFs and mail bodies by the offline layout extractor. Public API:

- `extract_documents(message, layout_hints=None) -> list[ExtractedOrder]`
- `extract_file(path, layout_hints=None) -> list[ExtractedOrder]`
- `extract_document(doc, ...) -> list[ExtractedOrder]` for one intake Document.

`layout_hints` (from a reviewer's corrections, stored per customer + layout_key) override guesses:
`{"columns": {"<header text>": "<role>"}, "labels": {"<label text>": "<field>"},
  "generic_code_role": "sku"|"customer_sku", "decimal_separator": ","|".", "date_order": "dmy"|"mdy"}`.
Roles: line_no, sku, customer_sku, gtin, description, qty, uom, unit_price, line_total, delivery_date.
Fields: po_number, order_date, requested_delivery_date, customer_number, vat_id, currency, email.
"""
from agents.extractors.dispatch import extract_document, extract_documents, extract_file

__all__ = ["extract_document", "extract_documents", "extract_file"]
