"""32 client processes reserve the same scarce SKUs on PostgreSQL: never oversold, nothing lost."""
from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from oms.commands.bench_reserve import connect
from oms.db import make_engine, make_session_factory, upgrade
from oms_core.service_layer import reserve_bench as bench
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork


def _run(url: str, clients: int) -> tuple[bench.RunResult, dict]:
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        work = bench.seed(lambda: SqlAlchemyUnitOfWork(sessions), skus=6, on_hand=5, warehouses=2)  # 60 units
        result = bench.run(functools.partial(connect, url), work, clients=clients, total_lines=clients * 12,
                           lines_per_order=4)  # ~1000 units demanded
        return result, bench.audit(sessions, work)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_thirty_two_clients_never_oversell_and_every_line_ends_reserved_or_backordered(postgres_url):
    result, books = _run(postgres_url, 32)
    assert result.errors == []
    assert books["lines"] == result.lines == 32 * 12
    assert books["oversell"] == 0 and books["counter_mismatch"] == 0
    assert books["unresolved_lines"] == 0
    assert books["reserved"] == books["on_hand"] == Decimal(60)  # demand exceeds supply: all stock is taken
    assert books["short_lines"] > 0


def test_concurrent_clients_on_sqlite_serialise_through_begin_immediate(sqlite_url):
    result, books = _run(sqlite_url, 8)
    assert result.errors == []
    assert books["oversell"] == 0 and books["counter_mismatch"] == 0 and books["unresolved_lines"] == 0
    assert books["reserved"] == books["on_hand"]
