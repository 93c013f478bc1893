"""Real servers for the outbox tests: Tryton 8.2, aiosmtpd, an HTTP webhook receiver."""
from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import missing

WEBHOOK_SECRET = "webhook-test-secret"


def _start_tryton(tmp_path_factory, **options):
    if importlib.util.find_spec("trytond") is None or importlib.util.find_spec("trytond.modules.sale") is None:
        missing("trytond 8.2 with sale and stock is not installed (pip install '.[tryton]')")
    from tests.support.tryton import TrytonService

    return TrytonService(tmp_path_factory.mktemp("tryton"), **options)


@pytest.fixture(scope="session")
def tryton_service(tmp_path_factory):
    """One trytond for the whole session; each test takes a fresh seeded database."""
    service = _start_tryton(tmp_path_factory)
    yield service
    service.stop()


@pytest.fixture(scope="module")
def queued_tryton_service(tmp_path_factory):
    """A trytond that leaves sale processing to a queue worker (never started): sales stay confirmed."""
    service = _start_tryton(tmp_path_factory, databases=4, queue_worker=True)
    yield service
    service.stop()


@pytest.fixture
def tryton_db(tryton_service):
    """(url, database) of a fresh ERP seeded with the parties and products of tests.support.tryton."""
    return tryton_service.url, tryton_service.fresh_database()


@pytest.fixture(scope="module")
def shared_tryton_db(tryton_service):
    """One fresh ERP for a whole module whose tests use distinct order references (faster)."""
    return tryton_service.url, tryton_service.fresh_database()


def settings_for_tryton(db, **overrides):
    from oms.settings import get_settings
    from tests.support.tryton import ADMIN_LOGIN, ADMIN_PASSWORD

    url, database = db
    return get_settings(erp="tryton", erp_url=url, erp_database=database, erp_user=ADMIN_LOGIN,
                        erp_password=ADMIN_PASSWORD, **overrides)


@pytest.fixture
def tryton_settings(shared_tryton_db):
    return settings_for_tryton(shared_tryton_db)


@pytest.fixture
def tryton_client(shared_tryton_db):
    """An independent JSON-RPC client to look into the ERP."""
    from tests.support.tryton import TrytonClient

    client = TrytonClient(*shared_tryton_db)
    yield client
    client.close()


@pytest.fixture
def oms(sqlite_url):
    """A migrated SQLite OMS with the Tryton seed's master data; yields its uow factory."""
    from tests.integration.outbox.orders import make_oms

    engine, uow_factory = make_oms(sqlite_url)
    yield uow_factory
    engine.dispose()


@pytest.fixture
def smtp_server(tmp_path):
    from tests.support.smtp import start_smtp

    server = start_smtp(tmp_path / "smtp")
    yield server
    server.stop()


@pytest.fixture
def webhook_receiver():
    from tests.support.webhook import WebhookReceiver

    receiver = WebhookReceiver(WEBHOOK_SECRET)
    yield receiver
    receiver.stop()
