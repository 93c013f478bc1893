"""One pipeline-bench run: a fresh database, a worker process, N messages fed in, figures read back.

A run starts the real worker command (`oms worker`: the embedded in-process loop on SQLite, or
Celery workers on PostgreSQL + a broker), warms it up, stores the measured messages (inbox time =
the stored row's `received_at`), queues them as intake would, and waits until every message is
decided and every booked order's ERP push is sent (ERP = the file adapter). Memory is sampled from
/proc for every process of the worker's tree.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

BOOKED = ("confirmed", "allocated", "backordered")


@dataclass
class RunResult:
    name: str
    messages: int
    seconds: float
    booked: int
    to_booked_ms: list[float] = field(default_factory=list)
    to_erp_ms: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    processes: int = 0
    cpu_seconds: float = 0.0  # CPU time of the worker processes while the measured messages ran

    @property
    def msgs_per_s(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class RssSampler(threading.Thread):
    """Samples VmRSS of a process and its descendants; keeps the peak per pid."""

    def __init__(self, root_pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.peaks: dict[int, float] = {}
        self.cpu: dict[int, float] = {}  # last seen user+system seconds per pid (kept after it exits)
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def sample(self) -> None:
        for pid in _tree(self.root_pid):
            rss = _rss_mb(pid)
            if rss:
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss)
            cpu = _cpu_seconds(pid)
            if cpu is not None:
                self.cpu[pid] = cpu

    def cpu_total(self) -> float:
        """User+system seconds used so far by the tree (sampled now)."""
        self.sample()
        return sum(self.cpu.values())

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            pids.append(child)
            frontier.append(child)
    return pids


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def prepare(url: str, master_dir: Path, data_dir: Path):
    """Schema, master data (confirmations kept as drafts: no SMTP in the bench); returns (engine, store)."""
    from intake.store import MessageStore
    from oms.db import make_engine, make_session_factory, upgrade
    from oms_core.domain.commands import UpdateRuleSet
    from oms_core.service_layer import handlers
    from oms_core.service_layer.master_import import import_master
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    import_master(master_dir, SqlAlchemyUnitOfWork(factory), progress=False)
    handlers.update_rule_set(UpdateRuleSet(customer_id=None, changes={"auto_send_confirmation": False},
                                           actor="bench", why="no SMTP server in the pipeline bench"),
                             SqlAlchemyUnitOfWork(factory))
    return engine, MessageStore(engine, data_dir)


def create_postgres_database(admin_url: str) -> tuple[str, callable]:
    """A fresh database beside `admin_url`; returns (url, drop)."""
    from sqlalchemy import create_engine

    name = f"oms_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return admin_url.rsplit("/", 1)[0] + f"/{name}", drop


def run_config(name: str, *, url: str, env: dict, argv: list[str], master_dir: Path, workdir: Path,
               warmup: list[bytes], measured: list[bytes], enqueue, rate: float, timeout: float) -> RunResult:
    """Start the worker command, warm it up, feed the measured messages, collect the figures."""
    data_dir = workdir / "data"
    engine, store = prepare(url, master_dir, data_dir)
    env = {**env, "OMS_DATABASE_URL": url, "OMS_DATA_DIR": str(data_dir), "OMS_ERP": "file",
           "OMS_ERP_URL": str(workdir / "erp")}
    log = open(workdir / f"{name}.log", "wb")
    worker = subprocess.Popen([sys.executable, "-m", "oms", "worker", *argv], env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    sampler = RssSampler(worker.pid)
    sampler.start()
    try:
        warm_keys = _feed(store, warmup, enqueue, engine, rate=0)
        _wait(engine, warm_keys, timeout, worker)
        cpu_before = sampler.cpu_total()
        keys = _feed(store, measured, enqueue, engine, rate=rate)
        _wait(engine, keys, timeout, worker)
        cpu_used = sampler.cpu_total() - cpu_before
        result = _figures(name, engine, keys)
        result.cpu_seconds = cpu_used
    finally:
        sampler.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        engine.dispose()
    result.peak_rss_mb = max(sampler.peaks.values(), default=0.0)
    result.processes = len(sampler.peaks)
    return result


def _feed(store, emls: list[bytes], enqueue, engine, *, rate: float) -> list[str]:
    keys, started = [], time.monotonic()
    for i, raw in enumerate(emls):
        if rate > 0:
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        key, _ = store.save_raw(raw, "bench")
        if enqueue is not None:
            enqueue(key, engine)
        keys.append(key)
    return keys


def _wait(engine, keys: list[str], timeout: float, worker) -> None:
    """Until every message is decided and no booked order's ERP push is waiting."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}")
        with engine.connect() as conn:
            done = conn.execute(text("SELECT count(*) FROM inbound_messages WHERE key IN :keys AND status IN "
                                     "('processed', 'failed')").bindparams(_expanding("keys")), {"keys": keys}).scalar()
            waiting = conn.execute(text("SELECT count(*) FROM outbox WHERE kind = 'erp_push' AND status IN "
                                        "('pending', 'sending')")).scalar()
        if done == len(keys) and waiting == 0:
            return
        time.sleep(0.1)
    raise TimeoutError(f"not finished after {timeout}s")


def _expanding(name: str):
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def _figures(name: str, engine, keys: list[str]) -> RunResult:
    params = {"keys": keys}
    with engine.connect() as conn:
        first = conn.execute(text("SELECT min(received_at) FROM inbound_messages WHERE key IN :keys")
                             .bindparams(_expanding("keys")), params).scalar()
        rows = conn.execute(text(
            "SELECT i.received_at, o.created_at, x.sent_at, o.status FROM inbound_messages i "
            "LEFT JOIN orders o ON o.message_key = i.key "
            "LEFT JOIN outbox x ON x.order_id = o.order_id AND x.kind = 'erp_push' "
            "WHERE i.key IN :keys").bindparams(_expanding("keys")), params).all()
        last = conn.execute(text("SELECT max(updated_at) FROM processed_messages WHERE message_key IN :keys")
                            .bindparams(_expanding("keys")), params).scalar()
    first, last = _utc(first), _utc(last)
    sent = [r for r in rows if r[3] in BOOKED and r[2] is not None]
    last_erp = max((_utc(r[2]) for r in sent), default=last)
    seconds = (max(last, last_erp) - first).total_seconds()
    result = RunResult(name, len(keys), seconds, booked=len(sent))
    result.to_booked_ms = [(_utc(o) - _utc(r)).total_seconds() * 1000 for r, o, _, s in rows if s in BOOKED]
    result.to_erp_ms = [(_utc(x) - _utc(r)).total_seconds() * 1000 for r, _, x, _ in sent]
    return result


def _utc(value):
    from datetime import datetime, timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
