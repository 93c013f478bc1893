"""Pure scoring of pipeline results against corpus truth (no database, no pipeline imports).

A predicted line matches a truth line when sku, qty_base and unit_price are equal (decimals compared
as numbers; for an unknown article, whose base unit nobody knows, a missing qty_base may be replaced
by an equal ordered qty). Whole-order exact match: right kind; for orders and changes the header (customer, PO
number, order date, requested delivery date, ship-to, currency) and the multiset of lines match; for
cancellations customer and PO number match; for non-orders the kind alone.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

REASON_CODES = ("unknown_customer", "unknown_sku", "price_mismatch", "pack_size", "duplicate_po", "past_delivery_date",
                "total_mismatch", "unreadable", "prompt_injection")
HEADER_FIELDS = ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency")
ORDER_KINDS = ("order", "change", "cancel")


def as_decimal(value) -> Decimal | None:
    """A decimal from a string/number, None when absent or not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def same_value(field_name: str, truth, pred) -> bool:
    """Field equality: decimals by value, strings trimmed and case-insensitive for ids and codes."""
    if field_name in ("order_total", "qty", "qty_base", "unit_price", "line_total"):
        return as_decimal(truth) == as_decimal(pred)
    if truth is None or pred is None:
        return truth is None and pred is None
    return str(truth).strip().casefold() == str(pred).strip().casefold()


def line_key(line: dict) -> tuple:
    sku = line.get("sku")
    return (str(sku).strip().casefold() if sku else None, as_decimal(line.get("qty_base")), as_decimal(line.get("unit_price")))


def lines_match(truth_line: dict, pred_line: dict) -> bool:
    """Equal sku, qty_base and unit_price. An unknown article (truth sku null) has no known base unit,
    so there a predicted line without qty_base matches on the ordered quantity instead."""
    t_sku, t_base, t_price = line_key(truth_line)
    p_sku, p_base, p_price = line_key(pred_line)
    if t_sku != p_sku or t_price != p_price:
        return False
    if t_base == p_base:
        return True
    return t_sku is None and p_base is None and as_decimal(truth_line.get("qty")) == as_decimal(pred_line.get("qty"))


def match_lines(truth_lines: list[dict], pred_lines: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair lines with equal (sku, qty_base, unit_price); returns (pairs, missing truth lines, extra predicted lines)."""
    remaining = list(pred_lines)
    pairs, missing = [], []
    for t in truth_lines:
        hit = next((p for p in remaining if lines_match(t, p)), None)
        if hit is None:
            missing.append(t)
        else:
            remaining.remove(hit)
            pairs.append((t, hit))
    return pairs, missing, remaining


def sku_hits(truth_lines: list[dict], pred_lines: list[dict]) -> tuple[int, int]:
    """(truth lines whose article was found among the predicted skus, truth lines with a known article)."""
    wanted = Counter(str(l["sku"]).casefold() for l in truth_lines if l.get("sku"))
    found = Counter(str(l["sku"]).casefold() for l in pred_lines if l.get("sku"))
    return sum((wanted & found).values()), sum(wanted.values())


@dataclass
class MessageScore:
    file: str
    kind: str
    pred_kind: str
    decision: str
    format: str
    language: str
    layout: str
    expected_review: bool
    truth_reasons: list[str]
    pred_reasons: list[str]
    kind_ok: bool
    exact: bool
    fields: dict[str, bool] = field(default_factory=dict)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    sku_found: int = 0
    sku_total: int = 0
    false_accept: bool = False
    auto_order: bool = False
    ms: float | None = None
    error: str | None = None
    diff: list[str] = field(default_factory=list)

    @property
    def badness(self) -> tuple:
        return (self.false_accept, not self.kind_ok, not self.exact, self.fn + self.fp, sum(not v for v in self.fields.values()))


def _fmt_line(line: dict) -> str:
    return (f"#{line.get('line_no')} sku={line.get('sku')} cust={line.get('customer_sku')} qty={line.get('qty')} {line.get('uom')} "
            f"base={line.get('qty_base')} price={line.get('unit_price')} total={line.get('line_total')} | {line.get('description')}")


def score_message(truth: dict, pred: dict | None, ms: float | None = None) -> MessageScore:
    """Score one message's pipeline result against its truth; a missing result counts as failed."""
    pred = pred or {"kind": None, "decision": "failed", "review_reasons": [], "order": None, "error": "no result"}
    order = pred.get("order") or {}
    kind, pred_kind = truth["kind"], pred.get("kind") or "none"
    decision = pred.get("decision") or "failed"
    pred_reasons = sorted(set(pred.get("review_reasons") or []))
    s = MessageScore(file=truth["file"], kind=kind, pred_kind=pred_kind, decision=decision, format=truth.get("format", "?"),
                     language=truth.get("language", "?"), layout=truth.get("layout", "?"),
                     expected_review=bool(truth.get("expected_review")), truth_reasons=sorted(truth.get("review_reasons") or []),
                     pred_reasons=pred_reasons, kind_ok=kind == pred_kind, exact=False, ms=ms, error=pred.get("error"))
    if not s.kind_ok:
        s.diff.append(f"kind: expected {kind}, got {pred_kind}")
    if kind in ("order", "change"):
        names = HEADER_FIELDS + ("order_total",)
    elif kind == "cancel":
        names = ("customer_id", "po_number")
    else:
        names = ()
    for name in names:
        ok = same_value(name, truth.get(name), order.get(name))
        s.fields[name] = ok
        if not ok:
            s.diff.append(f"{name}: expected {truth.get(name)!r}, got {order.get(name)!r}")
    header_ok = all(s.fields.get(n, True) for n in names if n != "order_total")
    if kind in ("order", "change"):
        pairs, missing, extra = match_lines(truth.get("lines") or [], order.get("lines") or [])
        s.tp, s.fn, s.fp = len(pairs), len(missing), len(extra)
        s.sku_found, s.sku_total = sku_hits(truth.get("lines") or [], order.get("lines") or [])
        s.diff += [f"missing line: {_fmt_line(l)}" for l in missing] + [f"extra line:   {_fmt_line(l)}" for l in extra]
        s.exact = s.kind_ok and header_ok and not missing and not extra
    else:
        s.exact = s.kind_ok and header_ok
    s.auto_order = decision == "auto" and pred_kind in ORDER_KINDS
    s.false_accept = s.auto_order and (s.expected_review or not s.exact)
    if s.expected_review and decision == "auto":
        s.diff.append(f"auto-accepted, expected review for {s.truth_reasons}")
    missing_reasons = set(s.truth_reasons) - set(pred_reasons)
    if missing_reasons:
        s.diff.append(f"review reasons missing: {sorted(missing_reasons)} (got {pred_reasons})")
    return s


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 1)


def summarize(scores: list[MessageScore]) -> dict:
    """The headline figures over a list of message scores."""
    orders = [s for s in scores if s.kind in ORDER_KINDS]
    with_lines = [s for s in scores if s.kind in ("order", "change")]
    clean = [s for s in orders if not s.expected_review]
    tp, fp, fn = (sum(getattr(s, k) for s in with_lines) for k in ("tp", "fp", "fn"))
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else (0.0 if tp + fp + fn else None)
    autos = [s for s in scores if s.auto_order]
    field_names = sorted({n for s in scores for n in s.fields})
    times = [s.ms for s in scores if s.ms is not None]
    customer_scored = [s for s in orders if "customer_id" in s.fields]
    return {
        "messages": len(scores),
        "classification_accuracy": _ratio(sum(s.kind_ok for s in scores), len(scores)),
        "exact_match": _ratio(sum(s.exact for s in orders), len(orders)),
        "exact_match_all_messages": _ratio(sum(s.exact for s in scores), len(scores)),
        "customer_match_rate": _ratio(sum(s.fields["customer_id"] for s in customer_scored), len(customer_scored)),
        "article_match_rate": _ratio(sum(s.sku_found for s in with_lines), sum(s.sku_total for s in with_lines)),
        "line_precision": precision, "line_recall": recall, "line_f1": f1, "line_tp": tp, "line_fp": fp, "line_fn": fn,
        "field_accuracy": {n: _ratio(sum(s.fields[n] for s in scores if n in s.fields), sum(n in s.fields for s in scores))
                           for n in field_names},
        "clean_orders": len(clean),
        "touchless_rate": _ratio(sum(s.decision == "auto" for s in clean), len(clean)),
        "touchless_exact_rate": _ratio(sum(s.decision == "auto" and s.exact for s in clean), len(clean)),
        "auto_decisions": len(autos),
        "false_accepts": sum(s.false_accept for s in autos),
        "false_accept_rate": _ratio(sum(s.false_accept for s in autos), len(autos)) if autos else 0.0,
        "non_orders_booked": sum(1 for s in scores if s.kind == "not_order" and s.auto_order),
        "hard_cases": sum(s.expected_review for s in scores),
        "hard_cases_flagged": sum(1 for s in scores if s.expected_review and s.decision != "auto"),
        "hard_cases_flagged_with_reason": sum(1 for s in scores if s.truth_reasons and set(s.truth_reasons) <= set(s.pred_reasons)),
        "failed": sum(s.decision == "failed" for s in scores),
        "time_ms_p50": _percentile(times, 0.5),
        "time_ms_p95": _percentile(times, 0.95),
        "time_ms_total": round(sum(times), 1) if times else None,
    }


def reason_scores(scores: list[MessageScore]) -> dict:
    """Precision and recall of each truth review reason code, plus counts of other predicted codes."""
    out = {}
    for code in REASON_CODES:
        tp = sum(1 for s in scores if code in s.truth_reasons and code in s.pred_reasons)
        fp = sum(1 for s in scores if code not in s.truth_reasons and code in s.pred_reasons)
        fn = sum(1 for s in scores if code in s.truth_reasons and code not in s.pred_reasons)
        out[code] = {"support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn)}
    others = Counter(r for s in scores for r in s.pred_reasons if r not in REASON_CODES)
    return {"codes": out, "other_codes": dict(sorted(others.items()))}


def confusion(scores: list[MessageScore]) -> dict:
    """truth kind -> predicted kind -> count."""
    table: dict[str, Counter] = defaultdict(Counter)
    for s in scores:
        table[s.kind][s.pred_kind] += 1
    return {k: dict(v) for k, v in sorted(table.items())}


def breakdown(scores: list[MessageScore], attr: str) -> dict:
    """Headline figures per value of a message attribute (format, language, layout)."""
    groups: dict[str, list[MessageScore]] = defaultdict(list)
    for s in scores:
        groups[getattr(s, attr)].append(s)
    out = {}
    for key, group in sorted(groups.items()):
        summary = summarize(group)
        out[key] = {k: summary[k] for k in ("messages", "classification_accuracy", "exact_match", "line_f1", "touchless_rate",
                                            "false_accepts", "time_ms_p50")}
    return out


def worst(scores: list[MessageScore], limit: int = 25) -> list[dict]:
    """The worst messages first (false accepts, misclassified, inexact), each with its readable diff."""
    bad = [s for s in scores if s.false_accept or not s.exact or (s.truth_reasons and not set(s.truth_reasons) <= set(s.pred_reasons))]
    bad.sort(key=lambda s: s.badness, reverse=True)
    return [{"file": s.file, "kind": s.kind, "pred_kind": s.pred_kind, "decision": s.decision, "format": s.format,
             "language": s.language, "layout": s.layout, "false_accept": s.false_accept, "error": s.error, "diff": s.diff}
            for s in bad[:limit]]


def build_report(truths: list[dict], results: dict[str, dict], times_ms: dict[str, float] | None = None, *, corpus: str = "") -> dict:
    """The whole evaluation report (JSON-ready) from truths and pipeline results keyed by file name."""
    times_ms = times_ms or {}
    scores = [score_message(t, results.get(t["file"]), times_ms.get(t["file"])) for t in truths]
    return {
        "corpus": corpus,
        "summary": summarize(scores),
        "reasons": reason_scores(scores),
        "confusion": confusion(scores),
        "by_format": breakdown(scores, "format"),
        "by_language": breakdown(scores, "language"),
        "by_layout": breakdown(scores, "layout"),
        "worst": worst(scores),
        "messages": [{k: v for k, v in asdict(s).items()} for s in scores],
    }
