"""`oms bench pipeline [--messages N]`: single-page PDF orders through the whole pipeline, no LLM.

Runs the embedded default (SQLite, `oms worker` with 1 and 2 processes) and PostgreSQL with 1, 2
and 4 Celery worker processes (`oms worker --concurrency W` on OMS_BROKER_URL), prints
messages/s, p50/p95 inbox->booked and inbox->ERP latency and peak RSS per worker process, and ends
with one line for the best configuration:
`msgs_per_s=<n> p95_inbox_to_erp_ms=<n> peak_rss_mb=<n>`.
`--profile` also profiles the pipeline in-process (cProfile) and prints where the time goes.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--messages", type=int, default=100, help="measured messages per configuration")
    parser.add_argument("--workers", default="1,2,4", help="Celery worker counts to run on PostgreSQL")
    parser.add_argument("--embedded-processes", default="1,2",
                        help="embedded worker process counts to run on SQLite (`oms worker --processes N`)")
    parser.add_argument("--rate", type=float, default=0.0, help="arrival rate, messages/s (0: all at once)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-embedded", action="store_true", help="skip the embedded (SQLite) run")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL + Celery runs")
    parser.add_argument("--profile", action="store_true", help="profile the pipeline in-process and print hot spots")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per configuration")


def run(args: argparse.Namespace) -> int:
    from oms.bench_corpus import clean_pdf_orders, write_master_folder
    from oms.bench_runs import create_postgres_database, run_config
    from oms.celery_app import delete_queue

    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-"))
    counts = [int(w) for w in args.workers.split(",") if w.strip()] if not args.no_postgres else []
    warm = max(counts + [1]) * 2
    started = time.perf_counter()
    master, emls = clean_pdf_orders(args.messages + warm, seed=args.seed)
    warmup, measured = emls[:warm], emls[warm:]
    master_dir = write_master_folder(master, workdir / "master")
    print(f"generated {len(emls)} single-page PDF orders in {time.perf_counter() - started:.1f}s "
          f"({warm} for warm-up); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    base_env.update({"OMS_LLM_BASE_URL": "", "OMS_LLM_API_KEY": "", "OPENAI_API_KEY": ""})
    results = []
    embedded = [] if args.no_embedded else [int(p) for p in args.embedded_processes.split(",") if p.strip()]
    for processes in embedded:
        folder = workdir / f"embedded-{processes}"
        folder.mkdir()
        results.append(run_config(f"embedded (SQLite, {processes} worker process{'es' if processes > 1 else ''})",
                                  url=f"sqlite:///{folder / 'oms.sqlite3'}", env=base_env,
                                  argv=["--interval", "0.05", "--processes", str(processes)], master_dir=master_dir,
                                  workdir=folder, warmup=warmup[:processes], measured=measured, enqueue=None,
                                  rate=args.rate, timeout=args.timeout))
        _print(results[-1])
    broker = os.environ.get("OMS_BROKER_URL") or DEFAULT_BROKER
    admin_url = os.environ.get("OMS_BENCH_POSTGRES_URL") or DEFAULT_ADMIN_URL
    for count in counts:
        folder = workdir / f"celery-{count}"
        folder.mkdir()
        queue = f"oms-bench-{uuid.uuid4().hex[:8]}"
        env = {**base_env, "OMS_BROKER_URL": broker, "OMS_BROKER_QUEUE": queue}
        url, drop = create_postgres_database(admin_url)
        try:
            results.append(run_config(f"PostgreSQL + {count} Celery worker(s)", url=url, env=env,
                                      argv=["--concurrency", str(count)], master_dir=master_dir, workdir=folder,
                                      warmup=warmup[:count * 2], measured=measured, enqueue=_enqueuer(broker, queue),
                                      rate=args.rate, timeout=args.timeout))
        finally:
            drop()
            delete_queue(broker, queue)
        _print(results[-1])
    if args.profile:
        from oms.bench_profile import profile_pipeline

        profile_pipeline(measured[: min(len(measured), 40)], master_dir, workdir / "profile")
    if not results:
        print("nothing was run")
        return 2
    best = max(results, key=lambda r: r.msgs_per_s)
    from oms.bench_runs import percentile

    print(f"best: {best.name}")
    print(f"msgs_per_s={best.msgs_per_s:.2f} p95_inbox_to_erp_ms={percentile(best.to_erp_ms, 95):.0f} "
          f"peak_rss_mb={best.peak_rss_mb:.0f}")
    return 0


def _enqueuer(broker: str, queue: str):
    from oms.celery_app import make_celery
    from oms.settings import get_settings
    from oms.tasks import enqueue

    celery = make_celery(get_settings(broker_url=broker, broker_queue=queue))
    return lambda key, engine: enqueue(key, celery, engine=engine)


def _print(r) -> None:
    from oms.bench_runs import percentile

    print(f"{r.name}: {r.messages} messages in {r.seconds:.1f}s = {r.msgs_per_s:.2f} msgs/s; "
          f"{r.booked} booked automatically and pushed to the ERP")
    print(f"  inbox->booked p50 {percentile(r.to_booked_ms, 50):.0f} ms, p95 {percentile(r.to_booked_ms, 95):.0f} ms; "
          f"inbox->ERP p50 {percentile(r.to_erp_ms, 50):.0f} ms, p95 {percentile(r.to_erp_ms, 95):.0f} ms; "
          f"peak RSS {r.peak_rss_mb:.0f} MB (largest of {r.processes} worker processes)")
    per_message = r.cpu_seconds / max(r.messages, 1)
    cores = os.cpu_count() or 1
    print(f"  worker CPU {per_message * 1000:.0f} ms per message: on {cores} otherwise idle cores at most "
          f"{cores / per_message if per_message else 0:.1f} msgs/s", flush=True)
