"""`oms bench outbox`: ERP pushes per second to a real Tryton and confirmation emails per second.

Books N accepted orders in a throwaway SQLite OMS, then drains the outbox with one dispatcher:
each order is one Tryton sale (create, quote, confirm over JSON-RPC) and one threaded reply over
SMTP. Uses the Tryton given by OMS_ERP_* when OMS_ERP=tryton, else starts the seeded test
Tryton (needs the `tryton` extra and a checkout with tests/); mail goes to a loopback aiosmtpd.
Last line: `erp_pushes_per_s=<n> emails_per_s=<n>`.
"""
from __future__ import annotations

import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--orders", type=int, default=40, help="orders to book and deliver")
    parser.add_argument("--lines", type=int, default=3, help="lines per order (max 3 SKUs)")


def _tryton(work: Path, settings):
    if settings.erp == "tryton" and settings.erp_url and settings.erp_database:
        return settings, None
    from tests.support.tryton import ADMIN_LOGIN, ADMIN_PASSWORD, TrytonService

    service = TrytonService(work / "tryton", databases=1)
    settings = settings.model_copy(update={
        "erp": "tryton", "erp_url": service.url, "erp_database": service.fresh_database(),
        "erp_user": ADMIN_LOGIN, "erp_password": ADMIN_PASSWORD})
    return settings, service


def run(args) -> int:
    from oms.settings import get_settings
    from oms_core.outbox import build_dispatcher
    from tests.integration.outbox.orders import book_order, make_oms
    from tests.support.smtp import start_smtp
    from tests.support.tryton import SEED_CUSTOMERS, SEED_PRODUCTS

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs every SMTP verb
    work = Path(tempfile.mkdtemp(prefix="oms-bench-outbox-"))
    settings, service = _tryton(work, get_settings())
    smtp = start_smtp(work / "smtp")
    engine = None
    try:
        settings = settings.model_copy(update={**smtp.settings_overrides(),
                                                "database_url": f"sqlite:///{work / 'oms.sqlite3'}"})
        engine, uow_factory = make_oms(settings.database_url)
        skus = [(sku, "2") for sku, *_ in SEED_PRODUCTS[: max(1, min(args.lines, 3))]]
        run_id = int(time.time())
        for n in range(args.orders):
            customer = SEED_CUSTOMERS[n % len(SEED_CUSTOMERS)][0]
            book_order(uow_factory, f"bench-{run_id}-{n}", customer=customer, skus=skus)

        dispatcher = build_dispatcher(settings, uow_factory)
        spent: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        deliver = dispatcher.deliver

        def timed(message, now):
            started = time.perf_counter()
            deliver(message, now)
            spent[message.kind] += time.perf_counter() - started
            counts[message.kind] += 1

        dispatcher.deliver = timed
        dispatcher.adapter.find_order("warm-up")  # log in once, outside the measurement
        started = time.perf_counter()
        while dispatcher.run_once():
            pass
        wall = time.perf_counter() - started
        with uow_factory() as uow:
            statuses = defaultdict(int)
            for message in uow.outbox.list(limit=10 * args.orders + 10):
                statuses[(message.kind, message.status)] += 1
        pushes = counts["erp_push"] / spent["erp_push"] if spent["erp_push"] else 0.0
        emails = counts["confirmation"] / spent["confirmation"] if spent["confirmation"] else 0.0
        print(f"orders={args.orders} lines_per_order={len(skus)} wall_s={wall:.2f}")
        for (kind, status), n in sorted(statuses.items()):
            print(f"  {kind} {status}: {n}")
        print(f"erp push: {counts['erp_push']} in {spent['erp_push']:.2f}s; "
              f"confirmations: {counts['confirmation']} in {spent['confirmation']:.2f}s; "
              f"emails received: {len(smtp.messages)}")
        print(f"erp_pushes_per_s={pushes:.2f} emails_per_s={emails:.2f}")
        dispatcher.close()
        failed = sum(n for (kind, status), n in statuses.items() if status != "sent")
        return 1 if failed else 0
    finally:
        smtp.stop()
        if service:
            service.stop()
        if engine is not None:
            engine.dispose()
