"""A real HTTP receiver for webhook pushes (http.server on loopback, in a thread).

It verifies the HMAC signature, deduplicates on Idempotency-Key like a well-behaved receiver,
and can be told to answer the next requests with given status codes (503, 400, ...).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oms_core.adapters.erp.webhook import verify


@dataclass
class Received:
    requests: list = field(default_factory=list)  # (headers dict, body bytes, status answered)
    orders: dict = field(default_factory=dict)  # idempotency key -> order JSON
    scripted: list = field(default_factory=list)  # statuses to answer next, in order
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class WebhookReceiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.state = Received()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = receiver._handle(dict(self.headers), body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/orders"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handle(self, headers: dict, body: bytes) -> tuple[int, dict]:
        import time

        if self.state.delay_s:
            time.sleep(self.state.delay_s)
        with self.state.lock:
            if self.state.scripted:
                status = self.state.scripted.pop(0)
                self.state.requests.append((headers, body, status))
                return status, {"error": f"scripted {status}"}
            if not verify(self.secret, body, headers.get("X-OMS-Signature")):
                self.state.requests.append((headers, body, 401))
                return 401, {"error": "bad signature"}
            key = headers.get("Idempotency-Key")
            if not key:
                self.state.requests.append((headers, body, 400))
                return 400, {"error": "Idempotency-Key required"}
            created = key not in self.state.orders
            self.state.orders.setdefault(key, json.loads(body))
            self.state.requests.append((headers, body, 201 if created else 200))
            return (201 if created else 200), {"reference": f"WH-{list(self.state.orders).index(key) + 1}"}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
