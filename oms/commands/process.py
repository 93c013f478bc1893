"""`oms process PATH... [--json]`: run .eml files (or folders of them) through the whole pipeline."""
from __future__ import annotations

import json


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", help=".eml files or folders (processed in file-name order)")
    parser.add_argument("--json", action="store_true", help="one JSON object per message, one per line")


def _summary(result: dict) -> str:
    order = result.get("order") or {}
    lines = len(order.get("lines") or [])
    reasons = ", ".join(result.get("review_reasons") or []) or "-"
    parts = [f"{result.get('file')}: {result.get('kind')} -> {result.get('decision')}"]
    if order:
        parts.append(f"customer {order.get('customer_id') or '?'}, PO {order.get('po_number') or '?'}, {lines} lines")
    if result.get("order_id"):
        parts.append(f"order {result['order_id']}")
    parts.append(f"reasons: {reasons}")
    if result.get("error"):
        parts.append(f"error: {result['error']}")
    return "; ".join(parts)


def run(args) -> int:
    from oms.bootstrap import bootstrap
    from oms.pipeline import process_paths

    app = bootstrap()
    failed = 0
    try:
        for result in process_paths(app, args.paths):
            failed += result["decision"] == "failed"
            print(json.dumps(result, ensure_ascii=False) if args.json else _summary(result), flush=True)
    finally:
        app.close()
    return 0 if not failed else 2
