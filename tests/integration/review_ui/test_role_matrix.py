"""Every route × anonymous/reviewer/sales/admin, generated from the app's own route table."""
from __future__ import annotations

import re

import pytest

from review_ui.route_table import routes
from tests.integration.review_ui.conftest import csrf_of

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/healthz"), ("GET", "/readyz"),
          ("GET", "/metrics")}


def _fill(path: str, keys: list[str]) -> str:
    values = {"message_key": keys[0], "order_id": "O00000000", "outbox_id": "1", "user_id": "1", "index": "0",
              "number": "1"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


def test_only_the_login_pages_are_public_and_every_other_route_declares_its_roles(app):
    table = list(routes(app))
    assert len(table) > 25
    public = {(m, r.path) for r in table for m in r.methods if r.public}
    assert public == PUBLIC
    undeclared = [r.path for r in table if not r.public and r.roles is None]
    assert undeclared == []


@pytest.mark.parametrize("role", ["anonymous", "reviewer", "sales", "admin"])
def test_each_role_reaches_exactly_the_routes_of_its_role(app, as_role, anonymous, seeded, role):
    client = anonymous if role == "anonymous" else as_role(role)
    token = csrf_of(client.get("/login").text) if role == "anonymous" else csrf_of(client.get("/orders").text)
    checked = 0
    for route in routes(app):
        if route.public:
            continue
        path = _fill(route.path, seeded)
        for method in sorted(route.methods - {"HEAD"}):
            response = client.request(method, path, headers={"X-CSRF-Token": token})
            where = f"{role} {method} {path}"
            if role == "anonymous":
                if path.startswith("/api"):
                    assert response.status_code == 401, where
                else:
                    assert response.status_code == 303 and response.headers["location"].startswith("/login"), where
            elif role in route.roles:
                assert response.status_code not in (401, 403), where
                assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
            else:
                assert response.status_code == 403, where
            checked += 1
    assert checked > 25
