"""`oms import-master DIR`: load the master-data CSV folder (all or nothing)."""
from __future__ import annotations

import sys
import time


def add_arguments(parser) -> None:
    parser.add_argument("folder", nargs="?", help="folder with products.csv, customers.csv, ... (see DESIGN.md)")
    parser.add_argument("--from-erp", action="store_true", help="first pull products, parties and stock from the ERP (Tryton, OMS_ERP_*) into FOLDER (default: a temp folder)")
    parser.add_argument("--url", help="database URL (default: OMS_DATABASE_URL)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema first")


def run(args) -> int:
    from oms.db import make_engine, make_session_factory, upgrade
    from oms.settings import get_settings
    from oms_core.domain.errors import MasterDataInvalid
    from oms_core.service_layer.master_import import import_master
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    url = args.url or get_settings().database_url
    if args.from_erp:
        from oms_core.adapters.erp.tryton_master import pull_master

        args.folder = str(pull_master(get_settings(), args.folder))
    elif not args.folder:
        print("import-master needs FOLDER (or --from-erp)", file=sys.stderr)
        return 2
    if not args.no_migrate:
        upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    try:
        counts = import_master(args.folder, SqlAlchemyUnitOfWork(make_session_factory(engine)),
                               progress=not args.no_progress)
    except MasterDataInvalid as exc:
        print(f"import rejected, nothing changed: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    summary = ", ".join(f"{name}={n}" for name, n in counts.items())
    print(f"imported {summary} in {time.perf_counter() - started:.1f}s")
    return 0
