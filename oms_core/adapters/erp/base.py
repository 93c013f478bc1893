"""The ERP adapter contract: push an order once, find it again by our reference."""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


class ErpError(Exception):
    """An ERP call failed; `transient` says whether trying again later may succeed."""

    transient = True

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ErpUnavailable(ErpError):
    """The ERP could not be reached or answered 5xx/timeout: retry with backoff."""

    transient = True


class ErpRejected(ErpError):
    """The ERP refused the order (4xx, unknown party/product, validation): retrying won't help."""

    transient = False


@runtime_checkable
class ErpAdapter(Protocol):
    """What the outbox dispatcher needs from an ERP.

    `reference` is our order reference (`erp_reference(order_id)`, e.g. "SO-1A2B3C4D5E6F"); adapters
    store it on the ERP document so `find_order` can tell whether a push already happened.
    """

    name: str

    def push_order(self, order_payload: dict[str, Any], idempotency_key: str) -> str:
        """Create the order in the ERP (at most once per key) and return the ERP's reference."""
        ...

    def find_order(self, reference: str) -> str | None:
        """The ERP's reference of an order we pushed earlier, or None."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def erp_reference(order_id: Any) -> str:
    """Our order reference as stored in the ERP: our order id, the idempotency key of a push."""
    return str(order_id)
