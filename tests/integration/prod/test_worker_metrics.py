"""`oms worker` on a broker serves its pool processes' event metrics (OMS_WORKER_METRICS_PORT)."""
from __future__ import annotations

import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.prod.conftest import worker_env
from tests.integration.prod.pipeline_setup import SEED, prepare_database, scalar
from tests.support.smtp import free_port


@pytest.mark.postgres
@pytest.mark.slow
def test_a_celery_worker_counts_processed_messages_and_times_each_graph_step(postgres_url, broker, workers,
                                                                             tmp_path):
    from oms.bench_corpus import clean_pdf_orders, write_master_folder
    from oms.celery_app import make_celery
    from oms.settings import get_settings
    from oms.tasks import enqueue

    master, emls = clean_pdf_orders(2, seed=SEED)
    port = free_port()
    env = worker_env(tmp_path, postgres_url, broker, OMS_WORKER_METRICS_PORT=str(port))
    engine, keys = prepare_database(postgres_url, write_master_folder(master, tmp_path / "master"), emls,
                                    tmp_path / "data")
    celery = make_celery(get_settings(broker_url=broker.url, broker_queue=broker.queue))
    for key in keys:
        enqueue(key, celery, engine=engine)
    pool = workers(env)
    pool.start("metrics", oms_command=True)
    deadline = time.monotonic() + 90
    while scalar(engine, "SELECT count(*) FROM inbound_messages WHERE status = 'processed'") < len(keys):
        assert time.monotonic() < deadline, pool.logs()[-3000:]
        time.sleep(0.3)
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    got = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            got.setdefault(s.name, []).append((s.labels, s.value))
    assert sum(v for _, v in got["oms_messages_processed_total"]) == len(keys)
    assert sum(v for _, v in got["oms_message_processing_seconds_count"]) == len(keys)
    steps = {labels["step"] for labels, v in got["oms_pipeline_step_seconds_count"] if v}
    assert {"classify", "extract", "match", "validate", "decide"} <= steps
    engine.dispose()
