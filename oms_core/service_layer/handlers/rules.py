"""Rule sets as data: versioned changes (who, when, why) and the view for the admin UI."""
from __future__ import annotations

from oms_core.adapters.types import jsonable
from oms_core.domain.commands import UpdateRuleSet
from oms_core.domain.errors import InvalidRule, UnknownCustomer
from oms_core.domain.model import RuleSet
from oms_core.domain.rulebook import RULE_SCHEMA, coerce_rule
from oms_core.service_layer.outbox_rows import effective_rules


def update_rule_set(cmd: UpdateRuleSet, uow) -> RuleSet:
    """Store a new version of the global or a customer's rule set; None removes an override."""
    if not cmd.why or not cmd.why.strip():
        raise InvalidRule("a rule change needs a reason (why)")
    with uow:
        if cmd.customer_id is not None and uow.customers.get(cmd.customer_id) is None:
            raise UnknownCustomer(f"no customer {cmd.customer_id!r}")
        latest = uow.rules.latest(cmd.customer_id)
        rules = dict(latest.rules) if latest else {}
        for key, value in cmd.changes.items():
            if key not in RULE_SCHEMA:
                coerce_rule(key, value)  # raises InvalidRule naming the known keys
            if value is None:
                rules.pop(key, None)
            else:
                rules[key] = coerce_rule(key, value)
        ruleset = RuleSet(cmd.customer_id, (latest.version if latest else 0) + 1, jsonable(rules), cmd.actor, cmd.why)
        uow.rules.add(ruleset)
        uow.events.audit(cmd.actor, "update_rules", cmd.customer_id or "global",
                         {"version": ruleset.version, "changes": jsonable(cmd.changes), "why": cmd.why})
        uow.commit()
        return ruleset


def rule_set_view(uow, customer_id: str | None = None) -> dict:
    """What the admin UI shows: effective rules, this level's overrides, history, and the schema."""
    with uow:
        history = uow.rules.history(customer_id)
        return jsonable({
            "customer_id": customer_id,
            "version": history[0].version if history else 0,
            "overrides": history[0].rules if history else {},
            "effective": effective_rules(uow, customer_id),
            "history": [{"version": r.version, "rules": r.rules, "actor": r.actor, "why": r.why,
                         "created_at": r.created_at} for r in history],
            "schema": {k: {"type": t.__name__, "default": d, "meaning": m} for k, (t, d, m) in RULE_SCHEMA.items()},
            "customers_with_overrides": uow.rules.customers_with_rules(),
        })
