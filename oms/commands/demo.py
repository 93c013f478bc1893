"""`oms demo`: the embedded default end to end — SQLite, demo master data, demo mail, the web UI.

Everything lives in one folder (default ./oms-demo): the database, the raw messages, the drop
folder (drop more .eml files there while it runs) and the ERP file export. Re-running continues
where the last run stopped; `--reset` starts from scratch.
"""
from __future__ import annotations

import logging
import shutil
import threading
from collections import Counter
from pathlib import Path

log = logging.getLogger(__name__)

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
DEMO_USERS = (("admin", "admin", "demo-admin"), ("reviewer", "reviewer", "demo-reviewer"), ("sales", "sales", "demo-sales"))


def add_arguments(parser) -> None:
    parser.add_argument("--dir", default="oms-demo", help="folder for the demo database and files")
    parser.add_argument("--messages", type=int, default=60, help="how many demo messages to process")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help="process the demo mail, print a summary, exit")
    parser.add_argument("--reset", action="store_true", help="delete the demo folder first")


def demo_settings(folder: Path):
    """Embedded-default settings rooted in the demo folder (ERP = JSON files in folder/erp)."""
    from oms.settings import get_settings

    return get_settings(
        database_url=f"sqlite:///{folder / 'oms.sqlite3'}",
        data_dir=folder / "data",
        drop_dir=folder / "drop",
        erp="file",
        erp_url=str(folder / "erp"),
        smtp_pickup_dir=folder / "mail-out",
    )


def ensure_users(app) -> None:
    """Create the demo logins once (printed on start)."""
    from sqlalchemy.orm import Session

    from review_ui.users import service
    from review_ui.users.service import UserError

    with Session(app.engine) as session:
        for name, role, password in DEMO_USERS:
            try:
                service.create(session=session, username=name, role=role, password=password)
                session.commit()
            except UserError:
                session.rollback()  # already there from an earlier run


def import_demo_master(app) -> dict:
    from oms_core.service_layer.master_import import import_master

    return import_master(DEMO_CORPUS / "master", app.uow_factory(), progress=False)


def process_demo_mail(app, limit: int) -> Counter:
    """Run the first `limit` demo messages through the pipeline; returns decisions counted."""
    from oms.pipeline import process_paths

    paths = sorted((DEMO_CORPUS / "mail").glob("*.eml"))[:limit]
    decisions: Counter = Counter()
    for result in process_paths(app, paths):
        decisions[f"{result['kind']}/{result['decision']}"] += 1
    return decisions


def start_background_worker(app, stop: threading.Event) -> threading.Thread:
    """The embedded default's in-process worker: drop folder, pending messages, outbox."""
    from intake.dropfolder import scan
    from oms.commands.worker import build_outbox, work_once

    dispatcher = build_outbox(app)

    def loop() -> None:
        while not stop.is_set():
            try:
                scan(app.store, app.settings.effective_drop_dir)
                if work_once(app, dispatcher) == 0:
                    stop.wait(2.0)
            except Exception:  # noqa: BLE001 - the worker must outlive one bad message
                log.exception("background worker step failed")
                stop.wait(5.0)

    thread = threading.Thread(target=loop, name="oms-embedded-worker", daemon=True)
    thread.start()
    return thread


def run(args) -> int:
    from oms.bootstrap import bootstrap
    from oms.commands.worker import build_outbox

    folder = Path(args.dir).resolve()
    if args.reset and folder.exists():
        shutil.rmtree(folder)
    (folder / "drop").mkdir(parents=True, exist_ok=True)
    settings = demo_settings(folder)
    app = bootstrap(settings)
    stop = threading.Event()
    try:
        counts = import_demo_master(app)
        print("demo master data: " + ", ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
        ensure_users(app)
        decisions = process_demo_mail(app, args.messages)
        dispatcher = build_outbox(app)
        while dispatcher is not None and dispatcher.run_once():
            pass
        print("demo mail processed: " + ", ".join(f"{k}={v}" for k, v in sorted(decisions.items())), flush=True)
        print(f"ERP exports in {folder / 'erp'}, confirmations sent to {folder / 'mail-out'}; "
              f"drop more .eml files into {folder / 'drop'}", flush=True)
        if args.no_serve:
            return 0
        import uvicorn

        from review_ui.app import create_app

        start_background_worker(app, stop)
        logins = ", ".join(f"{name} / {password}" for name, _, password in DEMO_USERS)
        print(f"serving on http://{args.host}:{args.port}/  (logins: {logins})", flush=True)
        uvicorn.run(create_app(app, cookie_secure=False), host=args.host, port=args.port, log_level="warning")
        return 0
    finally:
        stop.set()
        app.close()
