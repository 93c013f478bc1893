"""Benchmark (not a test): import N generated products. Run:
python -m tests.integration.core.bench_import_master [N] [DATABASE_URL]"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from oms.db import make_engine, make_session_factory, upgrade
from oms_core.service_layer.master_import import import_master
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork
from tests.integration.core.master_files import write_big_master


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tmp}/bench.sqlite3"
        folder = write_big_master(Path(tmp) / "master", n)
        upgrade(url)
        engine = make_engine(url)
        for attempt in ("first import", "re-import"):
            started = time.perf_counter()
            counts = import_master(folder, SqlAlchemyUnitOfWork(make_session_factory(engine)), progress=True)
            print(f"{attempt}: {counts} in {time.perf_counter() - started:.1f}s on {engine.dialect.name}")
        engine.dispose()


if __name__ == "__main__":
    main()
