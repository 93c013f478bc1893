"""Fixtures for intake integration tests: a real Dovecot, message stores on SQLite and PostgreSQL."""
from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone

import pytest

from tests.conftest import missing


@pytest.fixture
def dovecot_factory():
    """Start Dovecot servers on demand (e.g. without IDLE or MOVE); all are stopped afterwards."""
    from tests.support.dovecot import Dovecot, dovecot_binary

    if dovecot_binary() is None:
        missing("dovecot is not installed (scripts/install-system-deps installs dovecot-imapd)")
    started = []

    def start(**options):
        server = Dovecot(**options)
        started.append(server)
        try:
            return server.start()
        except Exception:
            print(server.diagnostics())
            raise

    yield start
    for server in started:
        server.cleanup()


@pytest.fixture
def dovecot(dovecot_factory):
    """A running Dovecot with one mailbox user (orders@example.com)."""
    return dovecot_factory()


def make_store(url: str, data_dir):
    """A MessageStore on a fresh database with the intake tables created through Alembic."""
    from intake.store import MessageStore
    from oms.db import make_engine, upgrade

    upgrade(url)
    return MessageStore(make_engine(url), data_dir)


@pytest.fixture
def store(sqlite_url, tmp_path):
    store = make_store(sqlite_url, tmp_path / "data")
    yield store
    store.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request, tmp_path):
    """The same tests on the embedded default (SQLite) and on production PostgreSQL."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    store = make_store(url, tmp_path / "data")
    yield store
    store.engine.dispose()


def order_mail(n: int, *, message_id: str | None = None, body: str | None = None) -> bytes:
    """A small, well-formed purchase order e-mail."""
    msg = EmailMessage()
    msg["From"] = "Buyer <buyer@customer.example>"
    msg["To"] = "orders@example.com"
    msg["Subject"] = f"Purchase order PO-{n:05d}"
    msg["Date"] = format_datetime(datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))
    msg["Message-ID"] = message_id or make_msgid(idstring=f"po{n}", domain="customer.example")
    msg.set_content(body or f"Please deliver:\n10 x ART-{n:04d} at 12.50 EUR\n")
    return msg.as_bytes(policy=SMTP)


def truncated_mail() -> bytes:
    """A multipart message cut off in the middle of its attachment (no closing boundary)."""
    msg = EmailMessage()
    msg["From"] = "buyer@customer.example"
    msg["To"] = "orders@example.com"
    msg["Subject"] = "PO attached"
    msg["Message-ID"] = make_msgid(idstring="truncated", domain="customer.example")
    msg.set_content("see attachment")
    msg.add_attachment(b"%PDF-1.4\n" + bytes(range(256)) * 40, maintype="application", subtype="pdf", filename="po.pdf")
    raw = msg.as_bytes(policy=SMTP)
    return raw[: len(raw) // 2]


@pytest.fixture
def mails():
    return order_mail
