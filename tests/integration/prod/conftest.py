"""Real servers for the production-shape tests: PostgreSQL, Redis and RabbitMQ brokers, aiosmtpd,
Celery workers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import REPO, missing

# The two brokers OMS_BROKER_URL may name; every Celery test runs on each.
BROKER_URLS = {
    "redis": os.environ.get("OMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
    "rabbitmq": os.environ.get("OMS_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}


@dataclass(frozen=True)
class Broker:
    """A reachable broker and a queue of this test's own, so parallel runs never share tasks."""

    name: str
    url: str
    queue: str


@pytest.fixture(params=sorted(BROKER_URLS))
def broker(request) -> Iterator[Broker]:
    """Redis and RabbitMQ in turn (fails in CI when one is not running); the queue is deleted after."""
    from oms.celery_app import delete_queue
    from oms.health import check_broker

    url = BROKER_URLS[request.param]
    ok, detail = check_broker(url)
    if not ok:
        missing(f"{request.param} not reachable at {url}: {detail}")
    broker = Broker(request.param, url, f"oms-test-{uuid.uuid4().hex[:10]}")
    yield broker
    delete_queue(broker.url, broker.queue)


@pytest.fixture
def smtp_server(tmp_path):
    from tests.support.smtp import start_smtp

    server = start_smtp(tmp_path / "smtp-cert")
    yield server
    server.stop()


@dataclass
class Workers:
    """Celery worker subprocesses sharing one environment; restarted when they die."""

    env: dict
    log_dir: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    started: int = 0

    def start(self, name: str, *, pool: str = "prefork", beat: bool = False, oms_command: bool = False) -> None:
        """One worker: `celery -A oms.celery_app worker ...`, or `oms worker` itself (prefork, with beat)."""
        self.started += 1
        if oms_command:
            argv = [sys.executable, "-m", "oms", "worker", "--concurrency=1"]
        else:
            argv = [sys.executable, "-m", "celery", "-A", "oms.celery_app", "worker", f"--pool={pool}",
                    "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                    f"--queues={self.env['OMS_BROKER_QUEUE']}", f"--hostname={name}-{self.started}@%h",
                    "--loglevel=INFO"]
            if beat:
                argv.append("--beat")
        log = open(self.log_dir / f"{name}-{self.started}.log", "wb")
        self.procs[name] = subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self.procs[name].beat = beat  # type: ignore[attr-defined]
        self.procs[name].pool = pool  # type: ignore[attr-defined]
        self.procs[name].oms_command = oms_command  # type: ignore[attr-defined]

    def restart_dead(self) -> list[str]:
        """Start again every worker whose process ended (the 'restart' after a kill -9)."""
        dead = [name for name, p in self.procs.items() if p.poll() is not None]
        for name in dead:
            old = self.procs[name]
            _kill_group(old.pid)  # what the dead worker left behind (its embedded beat process)
            self.start(name, pool=old.pool, beat=old.beat, oms_command=old.oms_command)  # type: ignore[attr-defined]
        return dead

    def stop(self) -> None:
        for p in self.procs.values():
            try:
                os.killpg(p.pid, signal.SIGTERM)  # the group: a worker's children too, even if it died
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 15
        for p in self.procs.values():
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(p.pid)
                p.wait()

    def logs(self) -> str:
        return "\n".join(f.read_text(errors="replace") for f in sorted(self.log_dir.glob("*.log")))


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def worker_env(tmp_path: Path, database_url: str, broker: Broker, **extra: str) -> dict:
    """OMS_* environment for worker subprocesses: the test's broker queue, file ERP, JSON logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update({
        "PYTHONPATH": str(REPO),
        "OMS_DATABASE_URL": database_url,
        "OMS_DATA_DIR": str(tmp_path / "data"),
        "OMS_BROKER_URL": broker.url,
        "OMS_BROKER_QUEUE": broker.queue,
        "OMS_ERP": "file",
        "OMS_ERP_URL": str(tmp_path / "erp"),
        "OMS_LOG_JSON": "1",
        "OMS_TEST_CRASH_DIR": str(tmp_path / "crashes"),
    })
    env.update(extra)
    (tmp_path / "crashes").mkdir(exist_ok=True)
    return env


@pytest.fixture
def workers(tmp_path):
    log_dir = tmp_path / "worker-logs"
    log_dir.mkdir()
    made: list[Workers] = []

    def make(env: dict) -> Workers:
        w = Workers(env, log_dir)
        made.append(w)
        return w

    yield make
    for w in made:
        w.stop()
