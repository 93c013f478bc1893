"""decide: auto or review, with reason codes (agents.decide holds the pure logic)."""
from __future__ import annotations

from agents import confidence
from agents.context import Context
from agents.decide import DEFAULT_RULES, decide as decide_order
from agents.nodes._timing import timed
from agents.state import OrderState


@timed("decide")
def decide(state: OrderState, context: Context) -> dict:
    """Weigh confidences, match scores and rule results into a decision with reasons."""
    rules = {**DEFAULT_RULES, **(state.get("rules") or {})}
    assessment = confidence.assess(state.get("extracted") or {}, state.get("match") or {})
    low = confidence.low_fields(assessment, float(rules["min_field_confidence"]), float(rules["min_match_score"]))
    result = decide_order(
        kind=state.get("kind", "order"),
        readable=state.get("readable", True),
        unreadable=list(state.get("unreadable") or []),
        injection=list(state.get("injection") or []),
        proposal=state.get("proposal"),
        checks=list(state.get("checks") or []),
        assessment=assessment,
        low_fields=low,
        rules=rules,
        original_order=state.get("original_order"),
        kind_confidence=float((state.get("classification") or {}).get("confidence", 1.0)),
    )
    versions = {**(state.get("versions") or {}), "rule_set": rules.get("version")}
    return {"decision": result.decision, "review_reasons": result.reasons, "reasons_detail": result.detail,
            "confidence": assessment["overall"], "versions": versions}
