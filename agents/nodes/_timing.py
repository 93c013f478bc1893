"""Each node reports how long it took, under its own name in `timings_ms`."""
from __future__ import annotations

import functools
import time
from typing import Callable


def timed(name: str) -> Callable:
    """Decorator: add {"timings_ms": {name: ms}} to the node's partial update."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def node(*args, **kwargs):
            start = time.perf_counter()
            update = fn(*args, **kwargs)
            elapsed = round((time.perf_counter() - start) * 1000, 2)
            if isinstance(update, dict):
                update = {**update, "timings_ms": {**update.get("timings_ms", {}), name: elapsed}}
            return update

        return node

    return wrap
