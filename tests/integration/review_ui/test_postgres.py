"""The same pages on PostgreSQL (production shape): queue filters, review, backtest, dashboard."""
from __future__ import annotations

import random
import re

import pytest
from sqlalchemy.orm import Session

from tests.integration.review_ui.conftest import PASSWORD, client_for, csrf_of, log_in

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    from intake.store import MessageStore
    from oms.commands.bench_ui import seed
    from oms.db import make_engine, make_session_factory, upgrade
    from oms.settings import get_settings
    from oms_core.service_layer.unit_of_work import uow_factory
    from review_ui.app import create_app
    from review_ui.context import SimpleContext
    from review_ui.users import service

    upgrade(postgres_url)
    settings = get_settings(database_url=postgres_url, data_dir=tmp_path / "data", secret_key="pg-test-secret-0123456789")
    engine = make_engine(postgres_url)
    context = SimpleContext(settings=settings, engine=engine, uow_factory=uow_factory(make_session_factory(engine)),
                            store=MessageStore(engine, settings.data_dir))
    keys = seed(engine, 60, review_share=0.5, customers=5, rng=random.Random(5))
    with Session(engine) as session:
        service.create(session=session, username="ada", password=PASSWORD, role="admin")
        session.commit()
    yield create_app(context), keys
    context.close()


def test_queue_review_backtest_and_dashboard_work_on_postgresql(pg_app):
    app, keys = pg_app
    with client_for(app) as client:
        assert log_in(client, "ada").status_code == 303
        queue = client.get("/queue?reason=unknown_sku&sort=value")
        assert queue.status_code == 200
        shown = re.findall(r'<tr data-href="/review/([0-9a-f]+)\?', queue.text)
        assert shown and set(shown) <= set(keys)
        review = client.get(f"/review/{shown[0]}")
        assert review.status_code == 200 and "unknown_sku" in review.text
        token = csrf_of(client.get("/admin/rules").text)
        backtest = client.post("/admin/rules/backtest", data={"csrf_token": token, "rule_auto_accept_max_order_value": "1", "n": "60"},
                               headers={"HX-Request": "true"})
        assert backtest.status_code == 200
        assert int(re.search(r'id="flips-to-review">(\d+)<', backtest.text).group(1)) == 60 - len(keys)
        assert client.get("/").status_code == 200
