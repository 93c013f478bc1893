"""Logging setup: human-readable by default, JSON lines with OMS_LOG_JSON=1."""
from __future__ import annotations

import contextvars
import logging
import os
import sys

message_key_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("message_key", default=None)


class _MessageKeyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.message_key = message_key_var.get()
        return True


def configure_logging(debug: bool = False) -> None:
    """Configure the root logger once; every record carries the current message key."""
    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("OMS_LOG_JSON") == "1":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(message_key)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_MessageKeyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
