"""`oms worker --processes N` (embedded, SQLite): several processes share the store, each message
is worked once, and a process killed mid-message is restarted and its message resumed."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.conftest import REPO
from tests.integration.prod.pipeline_setup import SEED, prepare_database, rows, scalar

BOOKED = ("confirmed", "allocated", "backordered")


@pytest.fixture
def stored(tmp_path):
    """Six clean one-page PDF orders stored in a fresh SQLite database (nothing processed yet)."""
    from oms.bench_corpus import clean_pdf_orders, write_master_folder

    master, emls = clean_pdf_orders(6, seed=SEED)
    url = f"sqlite:///{tmp_path / 'oms.sqlite3'}"
    engine, keys = prepare_database(url, write_master_folder(master, tmp_path / "master"), emls, tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update({"OMS_DATABASE_URL": url, "OMS_DATA_DIR": str(tmp_path / "data"), "OMS_ERP": "file",
                "OMS_ERP_URL": str(tmp_path / "erp"), "OMS_LLM_BASE_URL": "", "OMS_LLM_API_KEY": "",
                "OPENAI_API_KEY": ""})
    yield engine, keys, env, tmp_path
    engine.dispose()


def run_worker(env: dict, log_path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    with open(log_path, "wb") as log:
        return subprocess.run([sys.executable, "-m", "oms", "worker", *args], cwd=REPO, env=env, stdout=log,
                              stderr=subprocess.STDOUT, timeout=timeout)


def assert_each_message_once(engine, keys, erp_dir) -> None:
    states = dict(rows(engine, "SELECT key, status FROM inbound_messages"))
    assert states == {k: "processed" for k in keys}
    orders = rows(engine, "SELECT message_key, status FROM orders")
    assert Counter(k for k, _ in orders) == Counter({k: 1 for k in keys}), "one order per message"
    assert {s for _, s in orders} <= set(BOOKED)
    decisions = Counter(k for (k,) in rows(engine, "SELECT message_key FROM processed_messages"))
    assert decisions == Counter({k: 1 for k in keys}), "one recorded decision per message"
    pushed = sorted(p.name for p in erp_dir.glob("*.json"))
    assert len(pushed) == len(keys) == len(set(pushed)), "one ERP export per order"
    assert scalar(engine, "SELECT count(*) FROM outbox WHERE kind = 'erp_push' AND status = 'sent'") == len(keys)


def test_two_worker_processes_work_every_message_once(stored):
    engine, keys, env, tmp = stored
    done = run_worker(env, tmp / "worker.log", "--processes", "2", "--until-idle", "--interval", "0.1")
    log = (tmp / "worker.log").read_text()
    assert done.returncode == 0, log[-4000:]
    assert log.count("worker process") >= 2 and "started" in log
    assert_each_message_once(engine, keys, tmp / "erp")


def test_a_worker_process_killed_mid_message_is_restarted_and_its_message_resumed(stored):
    engine, keys, env, tmp = stored
    crash_dir = tmp / "crashes"
    crash_dir.mkdir()
    env = {**env, "OMS_TEST_CRASH_AT": "match,commit", "OMS_TEST_CRASH_DIR": str(crash_dir)}
    log_path = tmp / "worker.log"
    with open(log_path, "wb") as log:
        supervisor = subprocess.Popen([sys.executable, "-m", "oms", "worker", "--processes", "2", "--interval", "0.1"],
                                      cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            finished = scalar(engine, "SELECT count(*) FROM inbound_messages WHERE status = 'processed'")
            if finished == len(keys) and len(list(crash_dir.glob("crashed-*"))) == 2:
                break
            assert supervisor.poll() is None, log_path.read_text()[-4000:]
            time.sleep(0.3)
        else:
            pytest.fail(f"not finished: {log_path.read_text()[-4000:]}")
        time.sleep(1.0)  # let the outbox of the last message drain
    finally:
        supervisor.terminate()
        supervisor.wait(60)
    text = log_path.read_text()
    assert {p.name for p in crash_dir.glob("crashed-*")} == {"crashed-match", "crashed-commit"}
    assert text.count("restarting") == 2, text[-4000:]
    assert supervisor.returncode == 0
    assert_each_message_once(engine, keys, tmp / "erp")
