"""A real app on a real SQLite database (schema via Alembic), with one user per role."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from review_ui.users import service as user_service

PASSWORD = "correct horse battery"
ROLE_USERS = {"reviewer": "rita", "sales": "sam", "admin": "ada"}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """Migrate once and add the role users; every test gets a copy of this file."""
    from oms.db import make_engine, upgrade

    path = tmp_path_factory.mktemp("template") / "oms.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        for role, name in ROLE_USERS.items():
            user_service.create(session=session, username=name, password=PASSWORD, role=role)
        session.commit()
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture
def app_context(template_db, tmp_path):
    """Engine, units of work and the message store; no workflow graph (page tests need none)."""
    from intake.store import MessageStore
    from oms.db import make_engine, make_session_factory
    from oms.settings import get_settings
    from oms_core.service_layer.unit_of_work import uow_factory
    from review_ui.context import SimpleContext

    db = tmp_path / "oms.sqlite3"
    shutil.copyfile(template_db, db)
    settings = get_settings(database_url=f"sqlite:///{db}", data_dir=tmp_path / "data", secret_key="test-secret-key-123456")
    engine = make_engine(settings.database_url)
    context = SimpleContext(settings=settings, engine=engine, uow_factory=uow_factory(make_session_factory(engine)))
    context.store = MessageStore(engine, settings.data_dir)
    yield context
    context.close()


@pytest.fixture
def app(app_context):
    from review_ui.app import create_app

    return create_app(app_context)


def client_for(app) -> TestClient:
    """A client over https (the session cookie is Secure)."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text)})


@pytest.fixture
def anonymous(app):
    with client_for(app) as client:
        yield client


@pytest.fixture
def as_role(app):
    """as_role("admin") -> a logged-in TestClient."""
    clients = []

    def make(role: str) -> TestClient:
        client = client_for(app)
        clients.append(client)
        response = log_in(client, ROLE_USERS[role])
        assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def seeded(app_context):
    """30 seeded orders with processed messages; returns the keys waiting for review."""
    import random

    from oms.commands.bench_ui import seed

    return seed(app_context.engine, 30, review_share=0.5, customers=4, rng=random.Random(3))
