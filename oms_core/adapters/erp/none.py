"""OMS_ERP=none: no ERP; a push is recorded as done without leaving the process."""
from __future__ import annotations

from typing import Any


class NoErpAdapter:
    """Accepts every order and remembers nothing: the OMS is the system of record."""

    name = "none"

    def __init__(self, settings=None):
        self.settings = settings

    def push_order(self, order_payload: dict[str, Any], idempotency_key: str) -> str:
        """Nothing to send; the external reference just echoes our key."""
        return f"none:{idempotency_key}"

    def find_order(self, reference: str) -> str | None:
        """Never pushed anywhere, so never found (push is harmless to repeat)."""
        return None

    def close(self) -> None:
        """Nothing to release."""
