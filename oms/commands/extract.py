"""`oms extract FILE --json`: the raw extraction of one file, no master data, one JSON line per order."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("file", help=".eml, .pdf, .xlsx, .csv, .edi/.x12 or .xml file")
    parser.add_argument("--json", action="store_true", help="print one JSON object per order (the default)")
    parser.add_argument("--hints", help="JSON file with layout hints (reviewer corrections) to apply")
    parser.add_argument("--full", action="store_true", help="also print provenance and extractor details")


def run(args) -> int:
    from agents.extractors import extract_file

    path = Path(args.file)
    if not path.is_file():
        print(json.dumps({"file": str(path), "error": "file not found"}), file=sys.stderr)
        return 2
    hints = json.loads(Path(args.hints).read_text()) if args.hints else None
    for order in extract_file(path, layout_hints=hints):
        payload = order.to_extract_json()
        if args.full:
            payload["extractor"] = order.extractor
            payload["layout_key"] = order.layout_key
            payload["printed_line_count"] = order.printed_line_count
            payload["provenance"] = {k: v.model_dump() for k, v in order.provenance.items()}
            payload["line_confidence"] = [line.confidence for line in order.lines]
        print(json.dumps(payload, ensure_ascii=False))
    return 0
