"""Log in, log out, lock-out, CSRF and the session cookie's flags, against a real database."""
from __future__ import annotations

from tests.integration.review_ui.conftest import PASSWORD, csrf_of, log_in


def test_anonymous_page_request_redirects_to_login_with_next(anonymous):
    response = anonymous.get("/admin/users?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Fusers%3Fx%3D1"


def test_anonymous_api_request_gets_401(anonymous):
    assert anonymous.get("/api/me").status_code == 401
    assert anonymous.get("/api/openapi.json").status_code == 401


def test_login_sets_a_secure_httponly_samesite_cookie_and_lands_on_next(anonymous):
    page = anonymous.get("/login?next=/admin/users")
    response = anonymous.post(
        "/login", data={"username": "ADA", "password": PASSWORD, "next": "/admin/users", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users"
    cookie = response.headers["set-cookie"].lower()
    assert "oms_session=" in cookie and "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert anonymous.get("/api/me").json()["username"] == "ada"


def test_login_refuses_an_offsite_next(anonymous):
    page = anonymous.get("/login")
    data = {"username": "ada", "password": PASSWORD, "next": "//evil.example/x", "csrf_token": csrf_of(page.text)}
    assert anonymous.post("/login", data=data).headers["location"] == "/"


def test_wrong_password_is_refused_without_saying_whether_the_user_exists(anonymous):
    wrong = log_in(anonymous, "ada", "wrong password!")
    unknown = log_in(anonymous, "nobody", "wrong password!")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.text and "Wrong user name or password." in unknown.text
    assert anonymous.get("/api/me").status_code == 401


def test_five_failures_lock_the_account_even_for_the_right_password(anonymous):
    for _ in range(5):
        log_in(anonymous, "rita", "not the password")
    response = log_in(anonymous, "rita", PASSWORD)
    assert response.status_code == 401
    assert "locked" in response.text


def test_login_form_without_csrf_token_is_refused(anonymous):
    anonymous.get("/login")
    response = anonymous.post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 403
    assert anonymous.get("/api/me").status_code == 401


def test_logout_ends_the_session(as_role):
    client = as_role("sales")
    assert client.get("/api/me").status_code == 200
    token = csrf_of(client.get("/").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/me").status_code == 401


def test_every_response_carries_a_strict_csp_and_nosniff(anonymous):
    response = anonymous.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_admin_creates_a_user_who_can_then_log_in(as_role, app):
    admin = as_role("admin")
    token = csrf_of(admin.get("/admin/users").text)
    response = admin.post("/admin/users", data={"username": "Neu", "role": "sales", "password": "another pass", "csrf_token": token})
    assert response.status_code == 303
    from tests.integration.review_ui.conftest import client_for

    with client_for(app) as fresh:
        assert log_in(fresh, "neu", "another pass").status_code == 303
        assert fresh.get("/api/me").json()["role"] == "sales"


def test_user_form_post_without_csrf_token_changes_nothing(as_role):
    admin = as_role("admin")
    response = admin.post("/admin/users", data={"username": "sneaky", "role": "admin", "password": "another pass"})
    assert response.status_code == 403
    assert "sneaky" not in admin.get("/admin/users").text
