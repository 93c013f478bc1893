"""Scoring on synthetic predictions: no pipeline, no database."""
from __future__ import annotations

import copy

from oms.evaluation.html_report import render_html
from oms.evaluation.scoring import build_report, match_lines, score_message, summarize
from oms.evaluation.thresholds import check_thresholds


def truth(file="0001.eml", kind="order", reasons=(), lines=None, **over):
    t = {"file": file, "message_id": f"<{file}>", "kind": kind, "customer_id": "C1", "po_number": "PO-1",
         "order_date": "2026-11-02", "requested_delivery_date": "2026-12-15", "ship_to_id": "C1-01", "currency": "EUR",
         "lines": lines if lines is not None else [
             {"line_no": 1, "sku": "KL-1", "customer_sku": None, "description": "Lager", "qty": "2", "uom": "BOX",
              "qty_base": "20", "unit_price": "12.50", "line_total": "25.00"},
             {"line_no": 2, "sku": "VB-2", "customer_sku": "A-1", "description": "Schraube", "qty": "100", "uom": "PCE",
              "qty_base": "100", "unit_price": "0.0845", "line_total": "8.45"}],
         "order_total": "33.45", "expected_review": bool(reasons), "review_reasons": list(reasons), "format": "pdf",
         "language": "de", "layout": "classic"}
    t.update(over)
    return t


def prediction(t, decision="auto", reasons=(), **order_over):
    order = {k: t[k] for k in ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency",
                               "order_total")}
    order["lines"] = copy.deepcopy(t["lines"])
    order.update(order_over)
    return {"message_id": t["message_id"], "file": t["file"], "kind": t["kind"], "decision": decision,
            "review_reasons": list(reasons), "order": None if t["kind"] == "not_order" else order, "order_id": "O1",
            "error": None, "timings_ms": {}}


def test_a_perfect_prediction_is_an_exact_match_and_not_a_false_accept():
    t = truth()
    s = score_message(t, prediction(t))
    assert s.exact and s.kind_ok and not s.false_accept
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)


def test_lines_match_on_value_not_on_decimal_spelling():
    t = truth()
    p = prediction(t)
    p["order"]["lines"][0].update(qty_base="20.000", unit_price="12.5", description="anything", line_no=7)
    assert score_message(t, p).exact


def test_a_wrong_base_quantity_breaks_the_line_and_the_order():
    t = truth()
    p = prediction(t)
    p["order"]["lines"][0]["qty_base"] = "2"  # forgot the box factor
    s = score_message(t, p)
    assert not s.exact and (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert any("missing line" in d for d in s.diff) and any("extra line" in d for d in s.diff)


def test_auto_accepting_a_wrong_order_is_a_false_accept():
    t = truth()
    p = prediction(t, po_number="PO-2")
    s = score_message(t, p)
    assert s.false_accept and not s.exact
    assert "po_number: expected 'PO-1', got 'PO-2'" in s.diff


def test_auto_accepting_a_case_that_needed_review_is_a_false_accept_even_when_exact():
    t = truth(reasons=["price_mismatch"])
    s = score_message(t, prediction(t, decision="auto"))
    assert s.exact and s.false_accept


def test_review_with_the_right_reason_is_not_a_false_accept():
    t = truth(reasons=["pack_size"])
    s = score_message(t, prediction(t, decision="review", reasons=["pack_size", "low_confidence"]))
    assert not s.false_accept and s.pred_reasons == ["low_confidence", "pack_size"]


def test_a_missing_result_counts_as_failed():
    s = score_message(truth(), None)
    assert s.decision == "failed" and not s.exact and s.fn == 2


def test_cancellations_need_customer_and_po_only():
    t = truth(kind="cancel", lines=[], order_date=None, requested_delivery_date=None, ship_to_id=None, currency=None,
              order_total=None)
    p = prediction(t)
    p["order"].update(order_date="2026-01-01", lines=[])
    assert score_message(t, p).exact


def test_a_non_order_read_as_order_and_booked_counts_as_booked_non_order():
    t = truth(kind="not_order", lines=[], customer_id=None, po_number=None)
    p = prediction(truth(), decision="auto")
    p["file"] = t["file"]
    report = summarize([score_message(t, p)])
    assert report["non_orders_booked"] == 1 and report["false_accept_rate"] == 1.0
    assert report["classification_accuracy"] == 0.0


def test_match_lines_pairs_each_predicted_line_once():
    lines = truth()["lines"]
    pairs, missing, extra = match_lines(lines + [lines[0]], [lines[0], lines[1]])
    assert len(pairs) == 2 and len(missing) == 1 and extra == []


def test_report_figures_touchless_reason_recall_and_breakdowns():
    clean = truth("0001.eml")
    clean2 = truth("0002.eml", language="en", format="mail_body")
    hard = truth("0003.eml", reasons=["unknown_sku"])
    junk = truth("0004.eml", kind="not_order", lines=[], customer_id=None, po_number=None)
    results = {"0001.eml": prediction(clean), "0002.eml": prediction(clean2, decision="review", reasons=["low_confidence"]),
               "0003.eml": prediction(hard, decision="review", reasons=["price_mismatch"]),
               "0004.eml": {**prediction(junk), "order": None}}
    report = build_report([clean, clean2, hard, junk], results, {"0001.eml": 10.0, "0002.eml": 30.0, "0003.eml": 20.0})
    s = report["summary"]
    assert s["touchless_rate"] == 0.5 and s["classification_accuracy"] == 1.0
    assert s["false_accept_rate"] == 0.0 and s["auto_decisions"] == 1
    assert s["time_ms_p50"] == 20.0
    assert report["reasons"]["codes"]["unknown_sku"]["recall"] == 0.0
    assert report["reasons"]["codes"]["price_mismatch"]["fp"] == 1
    assert report["reasons"]["other_codes"] == {"low_confidence": 1}
    assert set(report["by_language"]) == {"de", "en"} and report["by_format"]["mail_body"]["messages"] == 1
    assert report["worst"][0]["file"] == "0003.eml"


def test_html_report_is_self_contained_and_links_failures(tmp_path):
    t = truth()
    bad = prediction(t, po_number="X")
    report = build_report([t], {t["file"]: bad}, {t["file"]: 5.0}, corpus=str(tmp_path))
    html = render_html(report, tmp_path / "out" / "report.html", tmp_path)
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert 'id="m-0001.eml"' in html and 'href="#m-0001.eml"' in html
    assert "../mail/0001.eml" in html


def test_thresholds_report_each_violation():
    summary = {"exact_match": 0.8, "false_accept_rate": 0.02, "non_orders_booked": 1}
    problems = check_thresholds(summary, {"min_exact_match": 0.9, "max_false_accept_rate": 0.01, "max_non_orders_booked": 0})
    assert len(problems) == 3
    assert check_thresholds({"exact_match": 0.95, "false_accept_rate": 0.0, "non_orders_booked": 0},
                            {"min_exact_match": 0.9, "max_false_accept_rate": 0.01}) == []


def test_an_unknown_article_without_base_quantity_matches_on_its_ordered_quantity():
    unknown = {"line_no": 1, "sku": None, "customer_sku": "ZNR-1", "description": "Sonderteil", "qty": "2", "uom": "PCE",
               "qty_base": "2", "unit_price": "79.86", "line_total": "159.72"}
    t = truth(lines=[unknown], reasons=["unknown_sku"])
    p = prediction(t, decision="review", reasons=["unknown_sku"])
    p["order"]["lines"][0]["qty_base"] = None
    assert score_message(t, p).exact
    p["order"]["lines"][0]["qty"] = "3"
    assert not score_message(t, p).exact
