"""Real servers for the production-shape tests: PostgreSQL, a Redis broker, aiosmtpd, Celery workers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO, missing

REDIS_URL = os.environ.get("OMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis broker on loopback (fails in CI when it is not running)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no broker"
        missing(f"Redis not reachable at {REDIS_URL}: {exc}")
    return REDIS_URL


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
            self.start(name, pool=old.pool, beat=old.beat, oms_command=old.oms_command)  # type: ignore[attr-defined]
        return dead

    def stop(self) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for p in self.procs.values():
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    def logs(self) -> str:
        return "\n".join(f.read_text(errors="replace") for f in sorted(self.log_dir.glob("*.log")))


def worker_env(tmp_path: Path, database_url: str, broker_url: str, **extra: str) -> dict:
    """OMS_* environment for worker subprocesses: their own queue, file ERP, JSON logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update({
        "PYTHONPATH": str(REPO),
        "OMS_DATABASE_URL": database_url,
        "OMS_DATA_DIR": str(tmp_path / "data"),
        "OMS_BROKER_URL": broker_url,
        "OMS_BROKER_QUEUE": f"oms-test-{uuid.uuid4().hex[:10]}",
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
