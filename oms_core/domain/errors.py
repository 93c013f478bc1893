"""Domain errors: specific, with messages; expected business outcomes are events, not errors."""
from __future__ import annotations


class OmsError(Exception):
    """Base for every oms_core error; `code` is stable for the API and UI."""

    code = "oms_error"


class UnknownOrder(OmsError):
    code = "unknown_order"


class UnknownCustomer(OmsError):
    code = "unknown_customer"


class UnknownSku(OmsError):
    code = "unknown_sku"


class UnknownWarehouse(OmsError):
    code = "unknown_warehouse"


class UnknownMessage(OmsError):
    code = "unknown_message"


class UnknownOutboxMessage(OmsError):
    code = "unknown_outbox_message"


class InvalidTransition(OmsError):
    """The order's status does not allow this step (e.g. shipping a cancelled order)."""

    code = "invalid_transition"


class OrderNotEditable(InvalidTransition):
    code = "order_not_editable"


class InvalidQuantity(OmsError):
    code = "invalid_quantity"


class InvalidRule(OmsError):
    """An unknown rule key or a value of the wrong type in a rule-set change."""

    code = "invalid_rule"


class ReviewClaimed(OmsError):
    """Someone else is already reviewing this message."""

    code = "review_claimed"


class MasterDataInvalid(OmsError):
    """A master-data import was rejected; `problems` lists every bad row."""

    code = "master_data_invalid"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems))
