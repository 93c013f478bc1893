"""`oms eval DIR [--json OUT] [--html OUT]`: run the pipeline over a labelled corpus and score it."""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, help="corpus folder with master/, mail/ and truth/")
    parser.add_argument("--json", dest="json_out", type=Path, help="write the full report as JSON here")
    parser.add_argument("--html", dest="html_out", type=Path, help="write the self-contained HTML report here")
    parser.add_argument("--thresholds", type=Path, help="fail (exit 1) when the figures miss these gates "
                        "(e.g. fixtures/eval_thresholds.json)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def print_summary(report: dict) -> None:
    s = report["summary"]
    print(f"messages {s['messages']}  classification {_pct(s['classification_accuracy'])}  "
          f"exact match {_pct(s['exact_match'])}  line P/R/F1 {_pct(s['line_precision'])}/{_pct(s['line_recall'])}/{_pct(s['line_f1'])}")
    print(f"customer match {_pct(s['customer_match_rate'])}  article match {_pct(s['article_match_rate'])}  "
          f"touchless (clean) {_pct(s['touchless_rate'])}  false-accept {_pct(s['false_accept_rate'])} "
          f"({s['false_accepts']}/{s['auto_decisions']})  non-orders booked {s['non_orders_booked']}")
    print(f"time per message p50 {s['time_ms_p50']} ms  p95 {s['time_ms_p95']} ms  failed {s['failed']}")
    print("fields: " + "  ".join(f"{k} {_pct(v)}" for k, v in s["field_accuracy"].items()))
    print("reasons (recall): " + "  ".join(f"{k} {_pct(v['recall'])}" for k, v in report["reasons"]["codes"].items()))
    for name in ("by_format", "by_language"):
        print(f"{name}: " + "  ".join(f"{k} {_pct(v['exact_match'])}" for k, v in report[name].items()))


def run(args: argparse.Namespace) -> int:
    from oms.evaluation.html_report import render_html
    from oms.evaluation.runner import CorpusError, evaluate
    from oms.evaluation.thresholds import check_thresholds, load_thresholds

    import logging

    if not getattr(args, "verbose", False):  # per-message INFO lines would drown the progress bar
        logging.getLogger().setLevel(logging.WARNING)
    try:
        report = evaluate(args.corpus, progress=not args.no_progress)
    except CorpusError as exc:
        print(f"error: {exc}")
        return 2
    print_summary(report)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"JSON report: {args.json_out}")
    if args.html_out:
        args.html_out.parent.mkdir(parents=True, exist_ok=True)
        args.html_out.write_text(render_html(report, args.html_out, args.corpus), encoding="utf-8")
        print(f"HTML report: {args.html_out}")
    if args.thresholds:
        problems = check_thresholds(report["summary"], load_thresholds(args.thresholds))
        for problem in problems:
            print(f"THRESHOLD: {problem}")
        return 1 if problems else 0
    return 0
