"""OMS_ERP=webhook: POST the order as JSON, signed with HMAC-SHA256, with an idempotency key."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-OMS-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(secret: str, body: bytes) -> str:
    """The signature header value the receiver recomputes: `sha256=<hex hmac of the body>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Receiver side check (constant time); handy for anyone writing a receiver in Python."""
    return bool(header) and hmac.compare_digest(sign(secret, body), header)


class WebhookErpAdapter:
    """Delivers orders to an HTTP endpoint; the receiver deduplicates on Idempotency-Key.

    5xx answers and timeouts are retried a few times right away (short pauses), then reported
    as ErpUnavailable so the outbox backs off; 4xx is a permanent ErpRejected, except 409
    which a receiver uses to say "already have it".
    """

    name = "webhook"

    def __init__(self, settings=None, *, url: str | None = None, secret: str | None = None,
                 timeout: float = 10.0, attempts: int = 3, pause: float = 0.5,
                 transport: httpx.BaseTransport | None = None):
        self.url = url or getattr(settings, "erp_url", None)
        self.secret = secret or getattr(settings, "erp_webhook_secret", None)
        self.attempts = max(1, attempts)
        self.pause = pause
        self.client = httpx.Client(timeout=timeout, transport=transport)

    def find_order(self, reference: str) -> str | None:
        """A plain webhook has no lookup; the Idempotency-Key makes a repeat harmless."""
        return None

    def push_order(self, order_payload: dict[str, Any], idempotency_key: str) -> str:
        """POST once (with short in-call retries on 5xx/timeouts); returns the receiver's id."""
        if not self.url:
            raise ErpRejected("OMS_ERP_URL must be the webhook URL for OMS_ERP=webhook")
        if not self.secret:
            raise ErpRejected("OMS_ERP_WEBHOOK_SECRET must be set to sign webhook pushes")
        body = json.dumps(order_payload, sort_keys=True, default=str).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.secret, body),
            IDEMPOTENCY_HEADER: idempotency_key,
        }
        last_error = "no attempt made"
        for attempt in range(1, self.attempts + 1):
            try:
                reply = self.client.post(self.url, content=body, headers=headers)
            except httpx.TimeoutException as exc:
                last_error = f"timeout after {self.client.timeout.read}s: {exc}"
            except httpx.TransportError as exc:
                last_error = f"cannot reach {self.url}: {exc}"
            else:
                if reply.status_code < 300 or reply.status_code == 409:
                    return self._reference(reply, idempotency_key)
                if reply.status_code < 500 and reply.status_code != 429:
                    raise ErpRejected(f"webhook answered {reply.status_code}: {reply.text[:300]}")
                last_error = f"webhook answered {reply.status_code}: {reply.text[:300]}"
            log.info("webhook push %s attempt %d failed: %s", idempotency_key, attempt, last_error)
            if attempt < self.attempts:
                time.sleep(self.pause * 2 ** (attempt - 1))
        raise ErpUnavailable(last_error)

    @staticmethod
    def _reference(reply: httpx.Response, fallback: str) -> str:
        try:
            data = reply.json()
        except ValueError:
            return fallback
        if isinstance(data, dict):
            for key in ("reference", "id", "number"):
                if data.get(key) not in (None, ""):
                    return str(data[key])
        return fallback

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.client.close()
