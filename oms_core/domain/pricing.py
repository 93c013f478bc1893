"""Which contract price applies, pure."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable

from oms_core.domain.model import Price


def applicable_price(prices: Iterable[Price], qty_base: Decimal | None, on: date | None) -> Price | None:
    """The valid price with the highest min_qty reached by `qty_base` (newest valid_from on ties)."""
    candidates = [
        p for p in prices
        if (on is None or p.valid_from is None or p.valid_from <= on)
        and (on is None or p.valid_to is None or on <= p.valid_to)
        and (p.min_qty is None or qty_base is None or qty_base >= p.min_qty)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.min_qty or Decimal(0), p.valid_from or date.min))
