"""Quality gates kept in the repo: minimum whole-order exact match, maximum false-accept rate."""
from __future__ import annotations

import json
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "eval_thresholds.json"


def load_thresholds(path: Path | None = None) -> dict:
    return json.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))


def check_thresholds(summary: dict, thresholds: dict) -> list[str]:
    """Human-readable violations (empty when the summary passes every gate)."""
    problems = []
    exact = summary.get("exact_match")
    if "min_exact_match" in thresholds and (exact is None or exact < thresholds["min_exact_match"]):
        problems.append(f"whole-order exact match {exact} is below the minimum {thresholds['min_exact_match']}")
    fa = summary.get("false_accept_rate")
    if "max_false_accept_rate" in thresholds and (fa is None or fa > thresholds["max_false_accept_rate"]):
        problems.append(f"false-accept rate {fa} is above the maximum {thresholds['max_false_accept_rate']}")
    booked = summary.get("non_orders_booked")
    if "max_non_orders_booked" in thresholds and (booked is None or booked > thresholds["max_non_orders_booked"]):
        problems.append(f"{booked} non-orders were booked (maximum {thresholds['max_non_orders_booked']})")
    return problems
