"""One handler per use case, each `(cmd, uow) -> result`; the handler owns the transaction."""
from oms_core.service_layer.handlers.changes import apply_change_order
from oms_core.service_layer.handlers.fulfilment import expire_soft_reservations, return_order, ship_order
from oms_core.service_layer.handlers.master import add_cross_reference, save_layout_hint
from oms_core.service_layer.handlers.messages import claim_review, record_message_decision, release_review
from oms_core.service_layer.handlers.orders import (accept_order, cancel_order, confirm_order, create_order,
                                                    deliver_order, reject_order)
from oms_core.service_layer.handlers.rules import rule_set_view, update_rule_set

__all__ = [
    "accept_order", "add_cross_reference", "apply_change_order", "cancel_order", "claim_review",
    "confirm_order", "create_order", "deliver_order", "expire_soft_reservations", "record_message_decision",
    "reject_order", "release_review", "return_order", "rule_set_view", "save_layout_hint", "ship_order",
    "update_rule_set",
]
