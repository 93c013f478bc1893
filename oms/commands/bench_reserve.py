"""`oms bench reserve`: order lines reserved per second with 1 and N concurrent clients, and oversell.

Each client is its own process with its own engine (see oms_core.service_layer.reserve_bench).
"""
from __future__ import annotations

import functools


def add_arguments(parser) -> None:
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients in the second run")
    parser.add_argument("--lines", type=int, default=4000, help="order lines booked per run")
    parser.add_argument("--lines-per-order", type=int, default=10)
    parser.add_argument("--skus", type=int, default=50, help="scarce SKUs all clients compete for")
    parser.add_argument("--on-hand", type=int, default=40, help="stock per SKU and warehouse")
    parser.add_argument("--url", help="database URL (default: OMS_DATABASE_URL)")
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")


def connect(url: str):
    """(uow_factory, close) for one bench client process: its own engine, one connection."""
    from oms.db import make_engine, make_session_factory
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(url, pool_size=1, max_overflow=0)
    sessions = make_session_factory(engine)
    return (lambda: SqlAlchemyUnitOfWork(sessions)), engine.dispose


def run(args) -> int:
    from oms.db import make_engine, make_session_factory, upgrade
    from oms.settings import get_settings
    from oms_core.service_layer import reserve_bench as bench
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    url = args.url or get_settings().database_url
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    factory = lambda: SqlAlchemyUnitOfWork(sessions)  # noqa: E731
    db = engine.dialect.name
    last, oversell = None, 0
    try:
        for clients in sorted({1, args.clients}):
            work = bench.seed(factory, args.skus, args.on_hand)
            result = bench.run(functools.partial(connect, url), work, clients, args.lines, args.lines_per_order)
            books = bench.audit(sessions, work)
            print(f"clients={clients:<3} orders={result.orders} lines={result.lines} seconds={result.seconds:.2f} "
                  f"lines_per_s={result.lines_per_s:.0f} errors={len(result.errors)} "
                  f"short_lines={books['short_lines']} reserved={books['reserved']} on_hand={books['on_hand']} "
                  f"oversell={books['oversell']} counter_mismatch={books['counter_mismatch']} "
                  f"unresolved_lines={books['unresolved_lines']}")
            for error in sorted(set(result.errors))[:5]:
                print(f"  error: {error}")
            if not args.keep:
                bench.cleanup(sessions, work)
            last, oversell = result, books["oversell"] + books["counter_mismatch"] + books["unresolved_lines"]
    finally:
        engine.dispose()
    print(f"lines_per_s={last.lines_per_s:.0f} oversell={oversell:.0f} clients={last.clients} db={db}")
    return 0 if oversell == 0 and not last.errors else 1
