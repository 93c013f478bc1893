"""A small Tryton JSON-RPC client: log in once, keep the session, map errors to ErpError."""
from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import logging
import threading
from decimal import Decimal
from typing import Any

import httpx

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable

log = logging.getLogger(__name__)

# Tryton exceptions that mean "your request is wrong", not "try again later".
_REJECTIONS = {"UserError", "UserWarning", "AccessError", "RequiredValidationError"}


def _encode(value: Any):
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"__class__": "datetime", "year": value.year, "month": value.month,
                "day": value.day, "hour": value.hour, "minute": value.minute,
                "second": value.second, "microsecond": value.microsecond}
    if isinstance(value, dt.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    raise TypeError(f"cannot send {type(value).__name__} to Tryton")


def _decode(obj: dict):
    kind = obj.get("__class__")
    if kind == "Decimal":
        return Decimal(obj["decimal"])
    if kind == "date":
        return dt.date(obj["year"], obj["month"], obj["day"])
    if kind == "datetime":
        return dt.datetime(obj["year"], obj["month"], obj["day"], obj["hour"], obj["minute"],
                           obj["second"], obj["microsecond"])
    if kind == "timedelta":
        return dt.timedelta(seconds=obj["seconds"])
    if kind == "bytes":
        return base64.b64decode(obj["base64"])
    return obj


class TrytonRpc:
    """JSON-RPC against `POST {url}/{database}/rpc/` with a session header (one login per client).

    Per-call basic auth costs ~190 ms a call in Tryton 8.2; a session costs one login. An expired
    session (401/403) triggers exactly one fresh login and a retry of the call.
    """

    def __init__(self, url: str, database: str, user: str, password: str, *,
                 timeout: float = 30.0, transport: httpx.BaseTransport | None = None):
        if not (url and database and user and password):
            raise ErpRejected("Tryton needs OMS_ERP_URL, OMS_ERP_DATABASE, OMS_ERP_USER and "
                              "OMS_ERP_PASSWORD")
        self.user = user
        self.password = password
        self.http = httpx.Client(base_url=f"{url.rstrip('/')}/{database}/", timeout=timeout,
                                 headers={"Content-Type": "application/json"},
                                 transport=transport)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._context: dict | None = None
        self._logged_in = False

    @property
    def context(self) -> dict:
        """The user's preferences (company, language): sent with every model call."""
        if self._context is None:
            self._context = self.call("model.res.user.get_preferences", True, {})
        return self._context

    def login(self) -> None:
        """Open a session and remember it in the Authorization header."""
        self.http.headers.pop("Authorization", None)
        try:
            result = self._post("common.db.login", [self.user, {"password": self.password}, "en"])
        except ErpRejected as exc:
            # Wrong credentials are fixed by an admin, after which retries must succeed.
            raise ErpUnavailable(f"Tryton login failed: {exc.message}") from exc
        if not result:
            raise ErpUnavailable("Tryton login failed: bad user or password")
        uid, session = result[0], result[1]
        token = base64.b64encode(f"{self.user}:{uid}:{session}".encode()).decode()
        self.http.headers["Authorization"] = f"Session {token}"
        self._logged_in = True

    def call(self, method: str, *params):
        """One RPC call; logs in first when needed and once more if the session expired."""
        with self._lock:
            if not self._logged_in:
                self.login()
            try:
                return self._post(method, list(params))
            except _SessionExpired:
                self.login()
                return self._post(method, list(params))

    def model(self, model: str, method: str, *params):
        """`model.<model>.<method>(*params, context)`."""
        return self.call(f"model.{model}.{method}", *params, self.context)

    def search_read(self, model: str, domain: list, fields: list[str], limit: int | None = None,
                    order: list | None = None) -> list[dict]:
        """Search and read in one round trip."""
        return self.model(model, "search_read", domain, 0, limit, order, fields)

    def _post(self, method: str, params: list):
        body = json.dumps({"id": next(self._ids), "method": method, "params": params},
                          default=_encode)
        try:
            reply = self.http.post("rpc/", content=body)
        except httpx.TransportError as exc:
            raise ErpUnavailable(f"Tryton unreachable at {self.http.base_url}: {exc}") from exc
        if reply.status_code in (401, 403) and method != "common.db.login":
            raise _SessionExpired()
        if reply.status_code == 404:
            raise ErpUnavailable(f"Tryton database not found at {self.http.base_url}")
        if reply.status_code >= 400:
            error = ErpUnavailable if reply.status_code >= 500 or reply.status_code == 429 \
                else ErpRejected
            raise error(f"Tryton {method} answered {reply.status_code}: {reply.text[:300]}")
        data = json.loads(reply.content, object_hook=_decode)
        if data.get("error"):
            raise _error(method, data["error"])
        return data.get("result")

    def close(self) -> None:
        """Close the HTTP connection pool (the session simply expires server side)."""
        self.http.close()


class _SessionExpired(Exception):
    pass


def _error(method: str, error) -> Exception:
    kind = error[0] if isinstance(error, (list, tuple)) and error else str(error)
    detail = error[1] if isinstance(error, (list, tuple)) and len(error) > 1 else ""
    if isinstance(detail, (list, tuple)):
        detail = " ".join(str(part) for part in detail[:2] if part)
    message = f"Tryton {method}: {kind}: {detail}".strip()
    if kind in _REJECTIONS:
        return ErpRejected(message)
    if kind == "ConcurrencyException":
        return ErpUnavailable(message)
    # Anything else is a server-side crash; log it and let the outbox back off and retry.
    log.warning("unexpected Tryton error: %s", message[:2000])
    return ErpUnavailable(message[:500])
