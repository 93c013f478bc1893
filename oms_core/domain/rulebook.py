"""The rule-set schema: every rule key, its type and its global default (rules are data)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from oms_core.domain.errors import InvalidRule

# key -> (type, default, one-line meaning)
RULE_SCHEMA: dict[str, tuple[type, object, str]] = {
    "price_tolerance_pct": (Decimal, Decimal("2"), "max % difference between PO price and contract price"),
    "total_rounding_tolerance": (Decimal, Decimal("0.05"), "max difference in qty x price and totals"),
    "min_field_confidence": (float, 0.8, "fields read with less confidence go to review"),
    "min_match_score": (float, 0.85, "customer/article matches scoring less go to review"),
    "auto_accept": (bool, True, "book clean orders without a person"),
    "auto_accept_max_order_value": (Decimal, Decimal("50000"), "orders worth more always go to review"),
    "auto_send_confirmation": (bool, True, "send confirmations at once (else keep them as drafts)"),
    "lead_time_days": (int, 2, "requested delivery sooner than this many days after ordering is flagged"),
    "credit_check": (bool, True, "check open orders + this order against the credit limit"),
    "check_pack_size": (bool, True, "order quantities must be multiples of the pack size and >= MOQ"),
}
DEFAULT_RULES: dict = {key: default for key, (_, default, _) in RULE_SCHEMA.items()}
THRESHOLD_KEYS = ("auto_accept", "auto_accept_max_order_value", "min_field_confidence", "min_match_score")


def coerce_rule(key: str, value):
    """The value as the rule's type; raises InvalidRule for unknown keys or bad values."""
    if key not in RULE_SCHEMA:
        raise InvalidRule(f"unknown rule {key!r}; known: {', '.join(sorted(RULE_SCHEMA))}")
    kind = RULE_SCHEMA[key][0]
    try:
        if kind is bool:
            if isinstance(value, str):
                if value.strip().lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(value)
                return value.strip().lower() in {"true", "1", "yes"}
            return bool(value)
        if kind is Decimal:
            return Decimal(str(value))
        return kind(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise InvalidRule(f"rule {key!r}: {value!r} is not a {kind.__name__}") from exc


def merge_rules(global_rules: dict | None, customer_rules: dict | None) -> dict:
    """Defaults, overlaid by the stored global rule set, overlaid by the customer's overrides."""
    merged = dict(DEFAULT_RULES)
    for layer in (global_rules or {}, customer_rules or {}):
        for key, value in layer.items():
            if key in RULE_SCHEMA and value is not None:
                merged[key] = coerce_rule(key, value)
    return merged
