"""Learned master data: cross references from reviewer corrections, layout hints."""
from __future__ import annotations

from oms_core.domain.commands import AddCrossReference, SaveLayoutHint
from oms_core.domain.errors import UnknownCustomer, UnknownSku
from oms_core.domain.model import CustomerItem, LayoutHint, utcnow


def add_cross_reference(cmd: AddCrossReference, uow) -> CustomerItem:
    """Remember that the customer's part number means our SKU (e.g. from a reviewer's correction)."""
    with uow:
        if uow.customers.get(cmd.customer_id) is None:
            raise UnknownCustomer(f"no customer {cmd.customer_id!r}")
        if uow.products.get(cmd.sku) is None:
            raise UnknownSku(f"no product {cmd.sku!r}")
        item = CustomerItem(cmd.customer_id, cmd.customer_sku, cmd.sku, cmd.customer_description)
        uow.customers.save_cross_reference(item)
        uow.events.audit(cmd.actor, "add_cross_reference", cmd.customer_id,
                         {"customer_sku": cmd.customer_sku, "sku": cmd.sku})
        uow.commit()
        return item


def save_layout_hint(cmd: SaveLayoutHint, uow) -> LayoutHint:
    """Remember how a customer's document layout reads (for the offline extractor)."""
    with uow:
        hint = LayoutHint(cmd.customer_id, cmd.layout_key, dict(cmd.hint), cmd.actor, utcnow())
        uow.customers.save_layout_hint(hint)
        uow.events.audit(cmd.actor, "save_layout_hint", cmd.customer_id, {"layout_key": cmd.layout_key})
        uow.commit()
        return hint
