"""match: the extracted order against master data (customer, ship-to, articles, units)."""
from __future__ import annotations

from agents.context import Context
from agents.decide import DEFAULT_RULES
from agents.matching import match_customer, match_order
from agents.nodes._timing import timed
from agents.state import OrderState


@timed("match")
def match(state: OrderState, context: Context) -> dict:
    """Propose the order in the process-json shape, with scores and evidence for every match."""
    extracted = state.get("extracted")
    if not extracted:
        return {"proposal": None, "match": {}}
    master = context.book.master()
    customer = match_customer(extracted, state.get("meta") or {}, master)
    rules = {**DEFAULT_RULES, **context.book.effective_rules(customer.value)}
    proposal, record = match_order(extracted, state.get("meta") or {}, master,
                                   min_score=float(rules["min_match_score"]), customer=customer)
    return {"proposal": proposal, "match": record, "rules": rules}
