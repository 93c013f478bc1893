"""A real app on a real SQLite database (schema via Alembic), with one user per role."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from review_ui.users import service as user_service

PASSWORD = "correct horse battery"
ROLE_USERS = {"reviewer": "rita", "sales": "sam", "admin": "ada"}


@pytest.fixture
def app_context(sqlite_url, tmp_path):
    from oms.commands.serve import build_context
    from oms.settings import get_settings

    settings = get_settings(database_url=sqlite_url, data_dir=tmp_path / "data", secret_key="test-secret-key-123456")
    context = build_context(settings)
    with Session(context.engine) as session:
        for role, name in ROLE_USERS.items():
            user_service.create(session=session, username=name, password=PASSWORD, role=role)
        session.commit()
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
