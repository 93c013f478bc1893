"""A tiny OpenAI-compatible HTTP server on loopback that misbehaves on purpose.

Used to reproduce endpoint faults a real model cannot be made to produce on demand (a reply
that is not JSON, a 500, a hang); it speaks the real wire protocol to the real openai client.
"""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _completion(content: str) -> dict:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "standin",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


@contextmanager
def standin_server(mode: str):
    """mode: 'not_json' | 'wrong_schema' | 'error_500' | 'hang'. Yields (base_url, request_log)."""
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            requests.append(body)
            if mode == "hang":
                time.sleep(5)
            if mode == "error_500":
                payload, status = {"error": {"message": "boom", "type": "server_error"}}, 500
            elif mode == "wrong_schema":
                payload, status = _completion(json.dumps({"po_number": 12, "lines": "many"})), 200
            else:
                payload, status = _completion("Sure! Here is the order: PO 4711, 20 pieces."), 200
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests
    finally:
        server.shutdown()
        server.server_close()
