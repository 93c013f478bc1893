"""The Celery application of the production shape: workers on a Redis or RabbitMQ broker.

`celery -A oms.celery_app worker` and `oms worker` (with OMS_BROKER_URL set) both use `app`
below. Its configuration is read lazily, from the environment, the first time Celery needs it,
so importing this module builds nothing and connects to nothing.

Crash safety comes from the settings here together with idempotent tasks (oms.tasks):
a task is acknowledged only after it finished (`acks_late`), a task whose worker process died
is put back on the queue (`task_reject_on_worker_lost`), and a worker holds one message at a
time (prefetch 1), so a killed worker strands at most the one message it was working on.
"""
from __future__ import annotations

import logging
from typing import Any

from celery import Celery, signals

from oms.settings import Settings, get_settings

log = logging.getLogger(__name__)

PROCESS_TASK = "oms.process_message"
DRAIN_TASK = "oms.drain_outbox"
SWEEP_TASK = "oms.sweep"


def celery_config(settings: Settings | None = None) -> dict[str, Any]:
    """The Celery configuration for these settings (OMS_BROKER_*, OMS_SWEEP_SECONDS, ...)."""
    settings = settings or get_settings()
    if not settings.broker_url:
        raise RuntimeError("OMS_BROKER_URL is not set: the Celery workers need a Redis or RabbitMQ broker")
    return {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {"visibility_timeout": settings.broker_visibility_timeout},
        "result_backend": None,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": settings.broker_queue,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "timezone": "UTC",
        "enable_utc": True,
        # In-memory beat schedule: no celerybeat-schedule file to share between replicas; a
        # sweep run twice (two beats) only re-queues idempotent work.
        "beat_scheduler": "celery.beat:Scheduler",
        "beat_schedule": {
            "sweep": {"task": SWEEP_TASK, "schedule": settings.sweep_seconds},
            "drain-outbox": {"task": DRAIN_TASK, "schedule": settings.outbox_drain_seconds},
        },
    }


def make_celery(settings: Settings | None = None) -> Celery:
    """A Celery app with the OMS tasks registered; configuration is read on first use."""
    from oms import tasks

    celery = Celery("oms", set_as_current=False)
    celery.add_defaults(lambda: celery_config(settings))
    tasks.register(celery)
    return celery


def delete_queue(broker_url: str, queue: str) -> None:
    """Drop a queue and its exchange (a bench's or test's own): RabbitMQ keeps durable ones forever."""
    from kombu import Connection, Exchange, Queue

    with Connection(broker_url, connect_timeout=5) as conn:
        # Declared with Celery's arguments for its default queue (RabbitMQ refuses others).
        bound = Queue(queue, Exchange(queue, type="direct"), routing_key=queue)(conn.default_channel)
        bound.declare()
        bound.delete()
        bound.exchange.delete()


@signals.setup_logging.connect
def _use_oms_logging(**_kwargs) -> None:
    """Celery keeps its hands off logging: ours (JSON with OMS_LOG_JSON=1, message key on every line)."""
    import os

    from oms.logs import configure_logging

    configure_logging(debug=os.environ.get("OMS_LOG_DEBUG") == "1")


app = make_celery()


def start_worker(*, concurrency: int = 2, queues: str | None = None, beat: bool = True,
                 pool: str = "prefork", loglevel: str = "INFO", hostname: str | None = None) -> int:
    """Run a Celery worker in this process until it is stopped (what `oms worker` calls)."""
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", f"--pool={pool}",
            "--without-gossip", "--without-mingle"]
    argv.append(f"--queues={queues or get_settings().broker_queue}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    if beat:
        argv.append("--beat")
    app.worker_main(argv=argv)
    return 0
