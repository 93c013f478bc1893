"""`oms bench ui`: seed N orders (+ processed messages) and measure p95 of the queue and review pages.

Seeding writes the core's tables in bulk (the point is page speed on a full database, not the
pipeline); pages are then fetched through the real app with a logged-in reviewer.
"""
from __future__ import annotations

import logging
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

log = logging.getLogger(__name__)
REASONS = ("unknown_sku", "price_mismatch", "low_confidence", "pack_size", "unknown_customer", "total_mismatch")
FORMATS = ("offline", "spreadsheet", "edifact", "x12", "ubl", "llm")


def add_arguments(parser) -> None:
    parser.add_argument("--orders", type=int, default=10_000, help="orders to seed (default 10000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind (default 200)")
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file in a temp folder)")


def seed(engine, n: int, *, review_share: float = 0.3, customers: int = 40, now: datetime | None = None, rng=None) -> list[str]:
    """Insert n orders with lines and one processed message each; returns the keys in review."""
    from oms_core.adapters import orm

    rng = rng or random.Random(7)
    now = now or datetime.now(timezone.utc)
    cust_rows = [{"customer_id": f"C{i:04d}", "name": f"Customer {i} GmbH", "email_domains": [f"c{i}.example"],
                  "vat_id": None, "language": "de", "currency": "EUR", "credit_limit": Decimal("100000"),
                  "payment_terms": "30 days", "bill_street": None, "bill_postal_code": None, "bill_city": None,
                  "bill_country": "DE", "active": True} for i in range(customers)]
    prod_rows = [{"sku": f"SKU-{i:05d}", "name": f"Article {i}", "description": f"Article {i} description",
                  "uom": "EA", "pack_size": Decimal(1), "unit_price": Decimal("9.90"), "currency": "EUR",
                  "gtin": None, "active": True} for i in range(500)]
    orders, lines, messages, review_keys = [], [], [], []
    for i in range(n):
        created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        cid = f"C{rng.randrange(customers):04d}"
        in_review = rng.random() < review_share
        order_id = f"O{i:08d}"
        key = f"{i:032x}"
        order_lines, total = [], Decimal(0)
        for no in range(1, rng.randint(1, 8) + 1):
            qty = Decimal(rng.randint(1, 50))
            price = Decimal(rng.randint(100, 9000)) / 100
            line_total = qty * price
            total += line_total
            sku = f"SKU-{rng.randrange(500):05d}"
            order_lines.append({"line_no": no, "sku": sku, "customer_sku": f"X-{no}", "description": f"Article {sku}",
                                "qty": str(qty), "uom": "EA", "qty_base": str(qty), "unit_price": str(price),
                                "line_total": str(line_total),
                                "provenance": {"qty": {"part": "body", "line": 4 + no}}})
            lines.append({"order_id": order_id, "line_no": no, "sku": sku, "customer_sku": f"X-{no}",
                          "description": f"Article {sku}", "qty": qty, "uom": "EA", "qty_base": qty,
                          "unit_price": price, "line_total": line_total, "status": "open", "qty_reserved": qty,
                          "qty_backordered": Decimal(0), "qty_shipped": Decimal(0), "qty_returned": Decimal(0)})
        status = "needs_review" if in_review else "confirmed"
        orders.append({"order_id": order_id, "message_key": key, "customer_id": cid, "po_number": f"PO-{i}",
                       "order_date": created.date(), "requested_delivery_date": None, "ship_to_id": None,
                       "currency": "EUR", "status": status, "origin": "email", "total": total, "reply_to": None,
                       "created_at": created, "updated_at": created})
        reasons = rng.sample(REASONS, rng.randint(1, 2)) if in_review else []
        proposed = {"customer_id": cid, "po_number": f"PO-{i}", "order_date": created.date().isoformat(),
                    "requested_delivery_date": None, "ship_to_id": None, "currency": "EUR", "lines": order_lines,
                    "order_total": str(total), "provenance": {"po_number": {"part": "body", "line": 1}}}
        messages.append({"message_key": key, "kind": "order", "decision": "review" if in_review else "auto",
                         "status": "needs_review" if in_review else "done", "review_reasons": reasons,
                         "reasons_detail": [{"code": r, "why": f"seeded {r}"} for r in reasons], "proposed": proposed,
                         "order_id": order_id, "error": None, "timings": {"total": rng.randint(50, 900)},
                         "customer_id": cid, "po_number": f"PO-{i}", "sender": f"buyer@c{cid}.example",
                         "subject": f"Order PO-{i}", "format": rng.choice(FORMATS), "language": "de", "value": total,
                         "claimed_by": None, "claimed_at": None, "decided_by": None, "decided_at": None,
                         "created_at": created, "updated_at": created, "versions": {}, "llm_tokens": None, "llm_cost": None})
        if in_review:
            review_keys.append(key)
    with engine.begin() as conn:
        conn.execute(orm.customers.insert(), cust_rows)
        conn.execute(orm.products.insert(), prod_rows)
        for table, rows in ((orm.orders, orders), (orm.order_lines, lines), (orm.processed_messages, messages)):
            for start in range(0, len(rows), 2000):
                conn.execute(table.insert(), rows[start:start + 2000])
    return review_keys


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(args) -> int:
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    from oms.commands.serve import build_context
    from oms.db import upgrade
    from oms.settings import get_settings
    from review_ui.app import create_app
    from review_ui.users import service as users

    with tempfile.TemporaryDirectory(prefix="oms-bench-ui-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        settings = get_settings(database_url=url, data_dir=Path(tmp) / "data", secret_key="bench-secret-key-0123456789")
        context = build_context(settings)
        started = time.perf_counter()
        keys = seed(context.engine, args.orders)
        print(f"seeded {args.orders} orders ({len(keys)} in review) in {time.perf_counter() - started:.1f}s")
        with Session(context.engine) as session:
            users.create(session=session, username="bench", password="bench-password", role="reviewer")
            session.commit()
        app = create_app(context)
        figures = {}
        with TestClient(app, base_url="https://bench") as client:
            login = client.get("/login")
            import re

            token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
            client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
            rng = random.Random(11)
            pages = {
                "queue": lambda: "/queue",
                "queue filtered": lambda: f"/queue?reason={rng.choice(REASONS)}&sort=value",
                "queue deep page": lambda: f"/queue?page={rng.randint(2, 40)}",
                "review": lambda: f"/review/{rng.choice(keys)}",
            }
            for name, make in pages.items():
                samples = []
                for _ in range(args.requests):
                    path = make()
                    t0 = time.perf_counter()
                    response = client.get(path)
                    samples.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        print(f"{path}: HTTP {response.status_code}")
                        return 1
                figures[name] = (statistics.median(samples), p95(samples))
        context.close()
    for name, (med, p) in figures.items():
        verdict = "ok" if p < 200 else "SLOW"
        print(f"{name:16s} median {med:6.1f} ms   p95 {p:6.1f} ms   target p95 < 200 ms: {verdict}")
    return 0 if all(p < 200 for _, p in figures.values()) else 1
