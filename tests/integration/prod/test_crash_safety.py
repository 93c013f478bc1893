"""kill -9 of Celery workers at every step of the graph and in the outbox dispatcher, with several
workers running on PostgreSQL and Redis or RabbitMQ: afterwards every message has exactly one final
state, none is lost, and no order, ERP push or confirmation exists twice."""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.prod.conftest import worker_env
from tests.integration.prod.pipeline_setup import SEED, drain_after_stale_window, prepare_database, rows, scalar

NODES = ["classify", "extract", "match", "validate", "decide", "commit", "confirm"]
OUTBOX_POINTS = ["erp_sent", "confirmation_sent"]
BOOKED = {"confirmed", "allocated", "backordered"}  # accepted, confirmed, then stock allocated or not


@pytest.fixture(scope="module")
def messages(tmp_path_factory):
    """Eight clean one-page PDF orders and their master data (fixtures generator)."""
    from oms.bench_corpus import clean_pdf_orders, write_master_folder

    master, emls = clean_pdf_orders(8, seed=SEED)
    folder = write_master_folder(master, tmp_path_factory.mktemp("master"))
    return folder, emls


@pytest.fixture(scope="module")
def reference(messages, tmp_path_factory):
    """What the pipeline decides for each message without any crash (embedded default, SQLite)."""
    from oms.bootstrap import bootstrap
    from oms.pipeline import process_key
    from oms.settings import get_settings

    folder, emls = messages
    tmp = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{tmp / 'ref.sqlite3'}"
    engine, keys = prepare_database(url, folder, emls, tmp / "data")
    engine.dispose()
    app = bootstrap(get_settings(database_url=url, data_dir=tmp / "data"))
    try:
        return {key: (r["decision"], sorted(r["review_reasons"])) for key in keys
                for r in [process_key(app, key)]}
    finally:
        app.close()


def celery_for(env: dict):
    from oms.celery_app import make_celery
    from oms.settings import get_settings

    return make_celery(get_settings(broker_url=env["OMS_BROKER_URL"], broker_queue=env["OMS_BROKER_QUEUE"]))


def wait_until_settled(engine, workers, crash_dir: Path, points: list[str], keys: list[str], timeout: float) -> None:
    """Restart dead workers until every message is finished, every crash happened and the
    outbox has nothing pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers.restart_dead()
        finished = scalar(engine, "SELECT count(*) FROM inbound_messages WHERE status IN ('processed', 'failed')")
        crashed = {p.name.removeprefix("crashed-") for p in crash_dir.glob("crashed-*")}
        pending = scalar(engine, "SELECT count(*) FROM outbox WHERE status = 'pending'")
        if finished == len(keys) and crashed >= set(points) and pending == 0:
            return
        time.sleep(0.5)
    pytest.fail(f"not settled after {timeout}s: finished={finished}/{len(keys)}, crashed={sorted(crashed)}, "
                f"pending outbox={pending}\n{workers.logs()[-6000:]}")


def assert_exactly_once(engine, settings, smtp_server, erp_dir: Path, keys: list[str], reference: dict) -> None:
    # One final state per message, the one a crash-free run reaches.
    states = dict(rows(engine, "SELECT key, status FROM inbound_messages"))
    assert sorted(states) == sorted(keys)
    assert set(states.values()) == {"processed"}
    decisions = {k: (d, sorted(json.loads(r) if isinstance(r, str) else r)) for k, d, r in
                 rows(engine, "SELECT message_key, decision, review_reasons FROM processed_messages")}
    assert decisions == reference

    # One order per message: confirmed when booked automatically, else waiting for review;
    # every line reserved at most once.
    expected = {k: "booked" if d == "auto" else "needs_review" for k, (d, _) in reference.items()}
    assert "booked" in expected.values(), "the corpus must contain orders that are booked automatically"
    orders = rows(engine, "SELECT order_id, message_key, status FROM orders ORDER BY message_key")
    assert {m: "booked" if s in BOOKED else s for _, m, s in orders} == expected
    assert len(orders) == len(expected)
    over_reserved = rows(engine, """
        SELECT l.order_id, l.line_no FROM order_lines l
        JOIN (SELECT order_id, line_no, sum(qty) AS q FROM reservations WHERE status <> 'released'
              GROUP BY order_id, line_no) r ON r.order_id = l.order_id AND r.line_no = l.line_no
        WHERE r.q > l.qty_base""")
    assert over_reserved == []

    # Exactly one ERP export and one confirmation email per booked order.
    order_ids = sorted(o for o, _, s in orders if s in BOOKED)
    exports = sorted(p.name for p in erp_dir.glob("*.json"))
    assert len(exports) == len(order_ids)
    assert all(any(o in name for name in exports) for o in order_ids)
    outbox = rows(engine, "SELECT order_id, kind, status, last_error FROM outbox ORDER BY order_id, kind")
    assert Counter((o, k) for o, k, _, _ in outbox) == Counter({(o, k): 1 for o in order_ids
                                                               for k in ("confirmation", "erp_push")})
    assert {s for _, k, s, _ in outbox if k == "erp_push"} == {"sent"}
    for _, kind, status, error in outbox:
        if kind == "confirmation" and status != "sent":  # killed after SMTP took it: not sent twice
            assert status == "dead" and "probably delivered" in error
    sent_ids = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(sent_ids) == len(order_ids) and set(sent_ids.values()) == {1}


def assert_key_on_every_message_line(log_text: str) -> None:
    """Structured logs: every line the pipeline writes while a message is processed names it."""
    records = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    about_messages = [r for r in records if r["name"].startswith(("agents.", "oms.pipeline", "intake.mime"))
                      or (r["name"] == "celery.app.trace" and "oms.process_message" in r["message"])
                      or (r["name"] == "oms.tasks" and r["message"].startswith("message "))
                      or (r["name"] == "oms.tasks" and r["message"].split(" at ")[-1] in NODES)]
    assert len(about_messages) > 10
    missing = [r for r in about_messages if not r.get("message_key")]
    assert missing == []


@pytest.mark.postgres
@pytest.mark.slow
def test_workers_killed_at_every_graph_step_and_in_the_dispatcher_leave_each_message_done_once(
        postgres_url, broker, smtp_server, messages, reference, workers, tmp_path):
    from oms.settings import get_settings
    from oms.tasks import enqueue

    folder, emls = messages
    smtp = {f"OMS_{k.upper()}": str(v) for k, v in smtp_server.settings_overrides().items()}
    env = worker_env(tmp_path, postgres_url, broker, OMS_TEST_CRASH_AT=",".join(NODES + OUTBOX_POINTS),
                     OMS_SWEEP_SECONDS="1", OMS_REQUEUE_SECONDS="20", OMS_STALE_PROCESSING_SECONDS="20", **smtp)
    engine, keys = prepare_database(postgres_url, folder, emls, tmp_path / "data")
    celery = celery_for(env)
    for key in keys[:-1]:
        enqueue(key, celery, engine=engine)  # the last one is never queued: the sweep must find it

    pool = workers(env)
    pool.start("w0", oms_command=True)  # `oms worker` with OMS_BROKER_URL: Celery, prefork, embedded beat
    for i in (1, 2):
        pool.start(f"w{i}")
    wait_until_settled(engine, pool, tmp_path / "crashes", NODES + OUTBOX_POINTS, keys, timeout=150)
    pool.stop()
    settings = get_settings(**{k.removeprefix("OMS_").lower(): v for k, v in env.items()
                               if k.startswith("OMS_") and not k.startswith("OMS_TEST")})
    drain_after_stale_window(settings)

    killed = [json.loads(json.dumps(p.read_text())) for p in (tmp_path / "crashes").glob("crashed-*")]
    assert len(killed) == len(NODES + OUTBOX_POINTS)
    assert_exactly_once(engine, settings, smtp_server, tmp_path / "erp", keys, reference)
    assert_key_on_every_message_line(pool.logs())
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_a_whole_worker_killed_while_booking_is_restarted_and_its_message_finished_once(
        postgres_url, broker, smtp_server, messages, reference, workers, tmp_path):
    """Solo pool: the kill takes the worker's main process too. Redis hands the unacked task out
    again after the visibility timeout, RabbitMQ as soon as the dead worker's connection closes;
    the restarted workers (and the sweep of stale `processing` messages) finish it."""
    from oms.settings import get_settings
    from oms.tasks import enqueue

    folder, emls = messages
    smtp = {f"OMS_{k.upper()}": str(v) for k, v in smtp_server.settings_overrides().items()}
    env = worker_env(tmp_path, postgres_url, broker, OMS_TEST_CRASH_AT="commit",
                     OMS_BROKER_VISIBILITY_TIMEOUT="5", OMS_SWEEP_SECONDS="1", OMS_REQUEUE_SECONDS="20",
                     OMS_STALE_PROCESSING_SECONDS="8", **smtp)
    engine, keys = prepare_database(postgres_url, folder, emls, tmp_path / "data")
    celery = celery_for(env)
    for key in keys:
        enqueue(key, celery, engine=engine)
    pool = workers(env)
    pool.start("solo0", pool="solo", beat=True)
    pool.start("solo1", pool="solo")
    wait_until_settled(engine, pool, tmp_path / "crashes", ["commit"], keys, timeout=150)
    pool.stop()
    settings = get_settings(**{k.removeprefix("OMS_").lower(): v for k, v in env.items()
                               if k.startswith("OMS_") and not k.startswith("OMS_TEST")})
    drain_after_stale_window(settings)
    assert pool.started >= 3  # the killed worker was started again
    assert_exactly_once(engine, settings, smtp_server, tmp_path / "erp", keys, reference)
    engine.dispose()
