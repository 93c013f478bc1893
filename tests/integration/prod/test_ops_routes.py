"""/healthz, /readyz and /metrics: open without login, answering from the real database and broker."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.prod.pipeline_setup import SEED, prepare_database, rows


def client_for(context) -> TestClient:
    from review_ui.app import create_app

    return TestClient(create_app(context, cookie_secure=False), follow_redirects=False)


def ops_context(settings, engine):
    """A context with only the composition root's ops hooks (no pipeline)."""
    from oms.hooks import web_hooks
    from review_ui.context import SimpleContext

    return SimpleContext(settings, engine, hooks=web_hooks(pipeline=False))


def samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


@pytest.fixture(scope="module")
def processed_db(tmp_path_factory):
    """A SQLite database with three clean PDF orders run through the pipeline and the outbox drained."""
    from oms.bench_corpus import clean_pdf_orders, write_master_folder
    from oms.bootstrap import bootstrap
    from oms.commands.worker import build_outbox, work_once
    from oms.settings import get_settings

    tmp = tmp_path_factory.mktemp("ops")
    master, emls = clean_pdf_orders(4, seed=SEED)
    url = f"sqlite:///{tmp / 'oms.sqlite3'}"
    engine, keys = prepare_database(url, write_master_folder(master, tmp / "master"), emls, tmp / "data")
    engine.dispose()
    settings = get_settings(database_url=url, data_dir=tmp / "data", erp="file", erp_url=str(tmp / "erp"),
                            secret_key="test-secret-key-123456")
    app = bootstrap(settings)
    work_once(app, build_outbox(app))
    yield app
    app.close()


def test_healthz_answers_ok_without_login(processed_db):
    response = client_for(processed_db).get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_metrics_report_messages_decisions_review_queue_outbox_and_latencies_without_login(processed_db):
    engine = processed_db.engine
    response = client_for(processed_db).get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    got = samples(response.text)

    assert got[("oms_database_up", ())] == 1
    assert got[("oms_inbound_messages", (("status", "processed"),))] == 4
    decisions = dict(rows(engine, "SELECT decision, count(*) FROM processed_messages GROUP BY decision"))
    for decision, n in decisions.items():
        assert got[("oms_messages", (("decision", decision), ("status", "done" if decision == "auto" else "needs_review")))] == n
    assert got[("oms_review_queue_length", ())] == decisions.get("review", 0)
    assert got[("oms_review_queue_oldest_age_seconds", ())] >= 0
    flagged = sum(v for (name, labels), v in got.items() if name == "oms_decisions" and ("decision", "review") in labels)
    assert flagged >= decisions.get("review", 0)
    if decisions.get("auto"):
        assert got[("oms_decisions", (("decision", "auto"), ("reason", "none")))] == decisions["auto"]

    outbox = dict(((k, s), n) for k, s, n in rows(engine, "SELECT kind, status, count(*) FROM outbox GROUP BY kind, status"))
    assert outbox, "booked orders queue ERP pushes and confirmations"
    for (kind, status), n in outbox.items():
        assert got[("oms_outbox_messages", (("kind", kind), ("status", status)))] == n
    pushed = outbox.get(("erp_push", "sent"), 0)
    assert got[("oms_inbox_to_erp_seconds_count", ())] == pushed
    assert got[("oms_inbox_to_booked_seconds_count", ())] == rows(engine, "SELECT count(*) FROM orders")[0][0]
    assert got[("oms_llm_tokens_total", ())] == 0  # no LLM configured: the offline extractor read everything


def test_readyz_is_ready_with_a_migrated_database_and_a_reachable_broker(processed_db, broker):
    settings = processed_db.settings.model_copy(update={"broker_url": broker.url})
    response = client_for(ops_context(settings, processed_db.engine)).get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_fails_when_the_database_is_unreachable(processed_db):
    from oms.db import make_engine

    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", connect_args={"connect_timeout": 2})
    response = client_for(ops_context(processed_db.settings, engine)).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["checks"]["database"].startswith("database unreachable")
    engine.dispose()


def test_readyz_fails_when_the_schema_is_behind(processed_db, tmp_path):
    from oms.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = client_for(ops_context(processed_db.settings, engine)).get("/readyz")
    assert response.status_code == 503
    assert "schema not at head" in response.json()["checks"]["database"]
    engine.dispose()


def test_readyz_fails_when_the_configured_broker_is_unreachable(processed_db):
    settings = processed_db.settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})
    response = client_for(ops_context(settings, processed_db.engine)).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("broker unreachable")


def test_without_the_roots_hooks_readyz_and_metrics_answer_503(processed_db):
    from review_ui.context import SimpleContext

    client = client_for(SimpleContext(processed_db.settings, processed_db.engine))
    assert client.get("/healthz").status_code == 200
    readyz = client.get("/readyz")
    assert readyz.status_code == 503 and readyz.json()["checks"] == {"readiness": "no readiness check configured"}
    assert client.get("/metrics").status_code == 503
