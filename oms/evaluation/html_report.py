"""A self-contained HTML evaluation report: inline SVG charts, no scripts from a CDN."""
from __future__ import annotations

import os
from html import escape
from pathlib import Path


def _pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def bar_chart(title: str, rows: list[tuple[str, float | None, str]], width: int = 560) -> str:
    """Horizontal bars (0..1) as inline SVG; each row is (label, value, note)."""
    bar_h, gap, label_w = 16, 6, 170
    height = len(rows) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
             f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    scale = width - label_w - 90
    for i, (label, value, note) in enumerate(rows):
        y = 24 + i * (bar_h + gap)
        v = value or 0.0
        color = "#2e7d32" if v >= 0.97 else "#f9a825" if v >= 0.85 else "#c62828"
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{escape(label[:26])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{scale}" height="{bar_h}" fill="#eee"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{scale * v:.1f}" height="{bar_h}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + scale + 6}" y="{y + 12}" font-size="11">{escape(_pct(value))} {escape(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, values: list[float], width: int = 560, bins: int = 20) -> str:
    """Time-per-message histogram as inline SVG."""
    if not values:
        return ""
    top = max(values) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(v / top * bins))] += 1
    peak = max(counts) or 1
    h, bw = 120, (width - 40) / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h + 40}" role="img" aria-label="{escape(title)}">',
             f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i, c in enumerate(counts):
        bh = c / peak * h
        parts.append(f'<rect x="{20 + i * bw:.1f}" y="{20 + h - bh:.1f}" width="{bw - 2:.1f}" height="{bh:.1f}" fill="#1565c0"><title>{c}</title></rect>')
    parts.append(f'<text x="20" y="{h + 36}" font-size="11">0 ms</text><text x="{width - 80}" y="{h + 36}" font-size="11">{top:.0f} ms</text></svg>')
    return "".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _breakdown_section(name: str, data: dict) -> str:
    rows = [[escape(k), str(v["messages"]), _pct(v["classification_accuracy"]), _pct(v["exact_match"]), _pct(v["line_f1"]),
             _pct(v["touchless_rate"]), str(v["false_accepts"])] for k, v in data.items()]
    chart = bar_chart(f"Exact match by {name}", [(k, v["exact_match"], f"n={v['messages']}") for k, v in data.items() if v["exact_match"] is not None])
    return (f"<h2>By {escape(name)}</h2>{chart}" +
            _table([name, "messages", "classification", "exact match", "line F1", "touchless", "false accepts"], rows))


def render_html(report: dict, out_path: Path, corpus_dir: Path | None = None) -> str:
    """The report as one HTML page; failures link to their detail section and to the .eml file."""
    s = report["summary"]
    mail_dir = None
    if corpus_dir is not None:
        mail_dir = Path(os.path.relpath(Path(corpus_dir).resolve() / "mail", Path(out_path).resolve().parent))
    headline = [("Whole-order exact match", _pct(s["exact_match"])), ("Line F1", _pct(s["line_f1"])),
                ("Touchless (clean orders)", _pct(s["touchless_rate"])), ("False-accept rate", _pct(s["false_accept_rate"])),
                ("Classification accuracy", _pct(s["classification_accuracy"])), ("Customer match", _pct(s["customer_match_rate"])),
                ("Article match", _pct(s["article_match_rate"])), ("Non-orders booked", str(s["non_orders_booked"])),
                ("Time p50 / p95", f"{s['time_ms_p50']} / {s['time_ms_p95']} ms"), ("Messages", str(s["messages"]))]
    cards = "".join(f'<div class="card"><div class="v">{escape(v)}</div><div class="l">{escape(k)}</div></div>' for k, v in headline)
    fields = bar_chart("Per-field accuracy", [(k, v, "") for k, v in s["field_accuracy"].items()])
    reasons = report["reasons"]["codes"]
    reason_chart = bar_chart("Review-reason recall", [(k, v["recall"], f"{v['tp']}/{v['support']}") for k, v in reasons.items()])
    reason_rows = [[escape(k), str(v["support"]), _pct(v["precision"]), _pct(v["recall"]), str(v["fp"]), str(v["fn"])] for k, v in reasons.items()]
    other = ", ".join(f"{escape(k)}={v}" for k, v in report["reasons"]["other_codes"].items()) or "none"
    conf = report["confusion"]
    kinds = sorted({k for row in conf.values() for k in row} | set(conf))
    conf_rows = [[escape(t)] + [str(conf.get(t, {}).get(p, "")) for p in kinds] for t in conf]
    times = [m["ms"] for m in report["messages"] if m.get("ms") is not None]
    failures = []
    for w in report["worst"]:
        anchor = f"m-{w['file']}"
        link = f'<a href="{escape(str(mail_dir / w["file"]))}">{escape(w["file"])}</a>' if mail_dir else escape(w["file"])
        failures.append(f'<details id="{escape(anchor)}"><summary><b>{link}</b> {escape(w["kind"])} → {escape(w["pred_kind"])}, '
                        f'{escape(w["decision"])}{" <span class=bad>FALSE ACCEPT</span>" if w["false_accept"] else ""} '
                        f'<small>{escape(w["format"])}/{escape(w["language"])}/{escape(w["layout"])}</small></summary>'
                        f'<pre>{escape(chr(10).join(w["diff"]) or "(no field differences)")}{escape(chr(10) + "error: " + w["error"]) if w.get("error") else ""}</pre></details>')
    message_rows = []
    for m in report["messages"]:
        status = "ok" if m["exact"] and not m["false_accept"] else "bad"
        name = f'<a href="#m-{escape(m["file"])}">{escape(m["file"])}</a>' if status == "bad" else escape(m["file"])
        message_rows.append([name, escape(m["kind"]), escape(m["pred_kind"]), escape(m["decision"]), escape(m["format"]),
                             escape(m["language"]), escape(m["layout"]), f'<span class="{status}">{"exact" if m["exact"] else "differs"}</span>',
                             escape(", ".join(m["truth_reasons"])), escape(", ".join(m["pred_reasons"])),
                             "" if m["ms"] is None else f"{m['ms']:.0f}"])
    conf_table = _table(["truth \\ predicted"] + kinds, conf_rows)
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>oms eval – {escape(report.get('corpus', ''))}</title>
<style>
body{{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1200px}}
.cards{{display:flex;flex-wrap:wrap;gap:10px}}.card{{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}}
.card .v{{font-size:22px;font-weight:bold}}.card .l{{font-size:12px;color:#555}}
table{{border-collapse:collapse;margin:8px 0 20px;font-size:13px}}td,th{{border:1px solid #ddd;padding:3px 7px;text-align:left}}
th{{background:#f4f4f4}}.bad{{color:#c62828;font-weight:bold}}.ok{{color:#2e7d32}}pre{{background:#fafafa;padding:8px;white-space:pre-wrap}}
details{{margin:4px 0}}.charts{{display:flex;flex-wrap:wrap;gap:24px}}
</style></head><body>
<h1>Evaluation report</h1><p>Corpus: <code>{escape(report.get('corpus', ''))}</code></p>
<div class="cards">{cards}</div>
<div class="charts">{fields}{reason_chart}{histogram("Time per message", times)}</div>
<h2>Review reasons</h2>{_table(["code", "support", "precision", "recall", "false pos.", "missed"], reason_rows)}
<p>Other codes raised: {other}</p>
<h2>Classification (truth rows, predicted columns)</h2>{conf_table}
{_breakdown_section("format", report["by_format"])}
{_breakdown_section("language", report["by_language"])}
{_breakdown_section("layout", report["by_layout"])}
<h2>Worst messages</h2>{"".join(failures) or "<p>None – every message matched.</p>"}
<h2>All messages</h2>{_table(["file", "kind", "predicted", "decision", "format", "language", "layout", "order", "expected reasons", "raised reasons", "ms"], message_rows)}
</body></html>
"""
    return html
