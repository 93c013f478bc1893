"""When to try a failed outbox message again: exponential backoff with jitter."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Backoff:
    """base * 2^(attempt-1), capped, times a random factor in [1 - jitter, 1 + jitter].

    Jitter spreads retries of many rows that failed together (an ERP outage) so they don't
    all hit the recovering ERP in the same second.
    """

    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    jitter: float = 0.2

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """The pause after the `attempts`-th failed attempt (1-based)."""
        raw = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        factor = 1 + (rng or random).uniform(-self.jitter, self.jitter)
        return timedelta(seconds=raw * factor)

    def next_attempt(self, attempts: int, now: datetime, rng: random.Random | None = None) -> datetime:
        """The moment the message becomes due again."""
        return now + self.delay(attempts, rng)
