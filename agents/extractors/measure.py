"""Raw-extraction accuracy on a labelled corpus (DIR/mail/*.eml + DIR/truth/*.json), by format and language.

`python -m agents.extractors.measure fixtures/corpus [-v]` prints per-field accuracy of
`extract_file` against the truth, before any matching: kind, po_number, dates, currency,
line count, and per line (aligned by position) qty, unit_price, sku/customer_sku.
"""
from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from agents.extractors import extract_file
from agents.extractors.numbers import default_separator, parse_number

FIELDS = ("kind", "po_number", "order_date", "requested_delivery_date", "currency", "line_count", "qty", "unit_price",
          "code")


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def compare(truth: dict, order, printed_text: str | None = None) -> dict[str, tuple[int, int]]:
    """(correct, total) per field for one message; codes count only where the document prints them."""
    out: dict[str, tuple[int, int]] = {}
    kind = order.kind if order is not None else "not_order"
    out["kind"] = (int(kind == truth["kind"]), 1)
    if truth["kind"] == "not_order" or truth.get("category") == "unreadable":
        return out
    for name in ("po_number", "order_date", "requested_delivery_date", "currency"):
        expected = truth.get(name)
        if name == "order_date" and truth.get("format") == "mail_body":
            continue  # the mail's date, not printed: filled downstream from the Date header
        if name == "currency" and truth.get("format") == "mail_body" and order is not None and order.currency is None:
            continue  # bodies seldom print a currency: the customer's default applies
        got = getattr(order, name, None) if order is not None else None
        out[name] = (int(got == expected), 1)
    if truth["kind"] == "cancel":
        return out
    lines = order.lines if order is not None else []
    tlines = truth.get("lines") or []
    out["line_count"] = (int(len(lines) == len(tlines)), 1)
    printed = (truth.get("printed") or {}).get("lines") or []
    sep = default_separator(truth.get("language"))
    q = p = c = 0
    p_total = 0
    for i, tl in enumerate(tlines):
        got = lines[i] if i < len(lines) else None
        pr = printed[i] if i < len(printed) else {}
        tq = parse_number(pr.get("qty"), sep) if pr.get("qty") else _dec(tl.get("qty"))
        q += int(got is not None and got.qty is not None and tq is not None and got.qty == tq)
        if truth.get("prices_printed", True) is not False:
            p_total += 1
            tp = parse_number(pr.get("unit_price"), sep) if pr.get("unit_price") else _dec(tl.get("unit_price"))
            p += int(got is not None and got.unit_price is not None and tp is not None and got.unit_price == tp)
        codes = {x for x in (tl.get("sku"), tl.get("customer_sku")) if x and (printed_text is None or x in printed_text)}
        got_codes = {x for x in ((got.sku, got.customer_sku) if got else ()) if x}
        c += int(bool(codes & got_codes) or (not codes and not got_codes))
    if tlines:
        out["qty"] = (q, len(tlines))
        if p_total:
            out["unit_price"] = (p, p_total)
        out["code"] = (c, len(tlines))
    return out


def measure(corpus: Path, verbose: bool = False) -> dict:
    """Accuracy per field overall and per format/language; failures listed when verbose."""
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    failures: list[str] = []
    for truth_path in sorted((corpus / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text())
        mail = corpus / "mail" / truth.get("file", truth_path.stem + ".eml")
        orders = extract_file(mail)
        order = orders[0] if orders else None
        result = compare(truth, order, _document_text(mail))
        groups = ("all", f"format={truth.get('format')}", f"lang={truth.get('language')}")
        for name, (ok, n) in result.items():
            for g in groups:
                totals[g][name][0] += ok
                totals[g][name][1] += n
            if ok < n:
                failures.append(f"{mail.name} [{truth.get('format')}/{truth.get('layout')}/{truth.get('language')}] {name}: "
                                f"{_show(truth, order, name)}")
    report = {g: {k: (v[0], v[1], round(v[0] / v[1], 3) if v[1] else None) for k, v in fields.items()}
              for g, fields in totals.items()}
    if verbose:
        for line in failures:
            print(line)
    return {"report": report, "failures": failures}


def _document_text(mail: Path) -> str:
    from intake.mime import parse_message

    message = parse_message(mail.read_bytes())
    parts = []
    for doc in message.readable_documents:
        parts.append(doc.text or "")
        parts.extend(" ".join(w.text for w in page.words) for page in doc.pages)
        parts.extend(" ".join(" ".join(r) for r in t.rows) for t in doc.tables)
        parts.extend(" ".join(" ".join(s.elements[i][j] for i in range(len(s.elements)) for j in range(len(s.elements[i])))
                     for s in doc.segments))
        if doc.xml:
            parts.append(doc.xml.decode("utf-8", "replace"))
    return "\n".join(parts)


def _show(truth: dict, order, name: str) -> str:
    if name in {"qty", "unit_price", "code", "line_count"}:
        got = [(ln.qty, ln.unit_price, ln.sku, ln.customer_sku) for ln in (order.lines if order else [])]
        exp = [(ln.get("qty"), ln.get("unit_price"), ln.get("sku"), ln.get("customer_sku")) for ln in truth.get("lines") or []]
        return f"got {[tuple(str(x) for x in g) for g in got]} want {exp}"
    return f"got {getattr(order, name, None) if order else None!r} want {truth.get(name)!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    result = measure(args.corpus, args.verbose)
    for group, fields in sorted(result["report"].items()):
        cells = "  ".join(f"{k}={v[2]:.3f}({v[0]}/{v[1]})" for k, v in fields.items() if v[2] is not None)
        print(f"{group:22s} {cells}")


if __name__ == "__main__":
    main()
