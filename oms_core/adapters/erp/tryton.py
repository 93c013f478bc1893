"""OMS_ERP=tryton: create, quote and confirm a `sale.sale` per order over JSON-RPC.

Mapping: our customer_id = party code, our SKU = product code, our order reference
(`erp_reference(order_id)`) = sale reference, the PO number goes into the sale description. A push
first searches the reference, so a retry after a crash resumes the same sale (draft -> quote ->
confirm) instead of creating a second one. Change orders and cancellations amend that same sale
(see tryton_amend).
"""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from oms_core.adapters.erp.base import ErpRejected
from oms_core.adapters.erp.tryton_amend import amend_sale
from oms_core.adapters.erp.tryton_rpc import TrytonRpc

log = logging.getLogger(__name__)

DONE_STATES = {"confirmed", "processing", "done"}
PRICE_DIGITS = Decimal("0.0001")


class TrytonErpAdapter:
    """Pushes orders into Tryton 8.2 as confirmed sales; amends them on change or cancellation."""

    name = "tryton"

    def __init__(self, settings=None, *, rpc: TrytonRpc | None = None):
        self.rpc = rpc or TrytonRpc(
            getattr(settings, "erp_url", None), getattr(settings, "erp_database", None),
            getattr(settings, "erp_user", None), getattr(settings, "erp_password", None),
        )

    def find_order(self, reference: str) -> str | None:
        """The sale number of a confirmed sale with our reference (drafts don't count)."""
        sale = self.find_sale(reference)
        if sale and sale["state"] in DONE_STATES:
            return sale["number"] or str(sale["id"])
        return None

    def push_order(self, order_payload: dict[str, Any], idempotency_key: str) -> str:
        """Create (or resume) the sale for this order, quote and confirm it; returns its number.

        A payload that `amends` an earlier push changes or cancels that push's sale instead.
        """
        if order_payload.get("amends"):
            return amend_sale(self, order_payload)
        sale = self.find_sale(idempotency_key)
        if sale is None:
            sale_id = self._create_sale(order_payload, idempotency_key)
            state = "draft"
        else:
            sale_id, state = sale["id"], sale["state"]
            if state == "cancelled":
                raise ErpRejected(f"sale {sale['number'] or sale_id} for {idempotency_key} "
                                  "was cancelled in Tryton")
            log.info("resuming Tryton sale %s for %s in state %s", sale_id, idempotency_key, state)
        return self.confirm_sale(sale_id, state)

    def confirm_sale(self, sale_id: int, state: str) -> str:
        """Move a draft or quotation on to confirmed (a confirmed sale is left alone); its number."""
        if state == "draft":
            self.rpc.model("sale.sale", "quote", [sale_id])
            state = "quotation"
        if state == "quotation":
            self.rpc.model("sale.sale", "confirm", [sale_id])
        number = self.rpc.model("sale.sale", "read", [sale_id], ["number"])[0]["number"]
        return number or str(sale_id)

    def find_sale(self, reference: str) -> dict | None:
        """The sale with our reference (a live one before a cancelled one), or None."""
        sales = self.rpc.search_read("sale.sale", [("reference", "=", reference)],
                                     ["id", "number", "state", "comment"], order=[("id", "ASC")])
        live = [s for s in sales if s["state"] != "cancelled"]
        return (live or sales or [None])[0]

    def _create_sale(self, order: dict[str, Any], reference: str) -> int:
        party = self.party(order.get("customer_id"))
        values: dict[str, Any] = {
            "party": party["id"],
            "invoice_address": party["invoice_address"],
            "reference": reference,
            "description": f"PO {order.get('po_number') or '-'}"[:100],
            "comment": f"Booked by OMS as {reference} (customer PO {order.get('po_number')})",
            "lines": [["create", self.sale_lines(order, reference)]],
            **self.delivery(order, party),
        }
        currency = self._currency(order.get("currency"))
        if currency:
            values["currency"] = currency
        sale_id = self.rpc.model("sale.sale", "create", [values])[0]
        log.info("created Tryton sale %s for %s", sale_id, reference)
        return sale_id

    def sale_lines(self, order: dict[str, Any], reference: str) -> list[dict]:
        """`sale.line` values for the order's lines (lines a change order cancelled are left out)."""
        lines = [line for line in order.get("lines") or [] if line.get("status") != "cancelled"]
        if not lines:
            raise ErpRejected(f"order {reference} has no lines")
        products = self._products({line.get("sku") for line in lines})
        return [self._line(line, products) for line in lines]

    def delivery(self, order: dict[str, Any], party: dict) -> dict[str, Any]:
        """Shipment address and shipping date: the sale header fields a change order may move."""
        values: dict[str, Any] = {"shipment_address": self._shipment_address(party, order.get("ship_to"))}
        shipping = order.get("requested_delivery_date")
        if shipping:
            shipping = dt.date.fromisoformat(str(shipping)[:10])
            # Tryton refuses a shipping date before the sale date (today, set on confirm).
            if shipping >= dt.date.today():
                values["shipping_date"] = shipping
        return values

    def party(self, customer_id: str | None) -> dict:
        """The party whose code is our customer_id, with its address rows."""
        if not customer_id:
            raise ErpRejected("order has no customer_id to find the Tryton party")
        parties = self.rpc.search_read("party.party", [("code", "=", customer_id)],
                                       ["id", "addresses"], limit=1)
        if not parties:
            raise ErpRejected(f"no Tryton party with code {customer_id!r}")
        party = parties[0]
        if not party["addresses"]:
            raise ErpRejected(f"Tryton party {customer_id!r} has no address")
        party["address_rows"] = self.rpc.model(
            "party.address", "read", party["addresses"],
            ["id", "street", "postal_code", "city", "invoice", "delivery"])
        invoice = [a for a in party["address_rows"] if a.get("invoice")]
        party["invoice_address"] = (invoice or party["address_rows"])[0]["id"]
        return party

    @staticmethod
    def _shipment_address(party: dict, ship_to: Any) -> int:
        rows = party["address_rows"]
        if isinstance(ship_to, dict):
            want = (str(ship_to.get("postal_code") or "").replace(" ", "").lower(),
                    str(ship_to.get("street") or "").lower())
            for row in rows:
                have = (str(row.get("postal_code") or "").replace(" ", "").lower(),
                        str(row.get("street") or "").lower())
                if want[0] and have == want:
                    return row["id"]
        delivery = [a for a in rows if a.get("delivery")]
        return (delivery or rows)[0]["id"]

    def _products(self, skus: set) -> dict[str, dict]:
        if None in skus or "" in skus:
            raise ErpRejected("an order line has no SKU, so no Tryton product can be chosen")
        found = self.rpc.search_read("product.product", [("code", "in", sorted(skus))],
                                     ["id", "code", "default_uom"])
        by_code = {p["code"]: p for p in found}
        missing = sorted(skus - set(by_code))
        if missing:
            raise ErpRejected(f"no Tryton product with code {', '.join(missing)}")
        return by_code

    def _currency(self, code: str | None) -> int | None:
        if not code:
            return None
        found = self.rpc.search_read("currency.currency", [("code", "=", code)], ["id"], limit=1)
        if not found:
            raise ErpRejected(f"currency {code} is not set up in Tryton")
        return found[0]["id"]

    @staticmethod
    def _line(line: dict, products: dict[str, dict]) -> dict:
        """Quantities go in the product's base unit (qty_base), so the price is per base unit."""
        product = products[line["sku"]]
        qty = Decimal(str(line.get("qty") or "0"))
        qty_base = Decimal(str(line.get("qty_base") or qty))
        price = Decimal(str(line.get("unit_price") or "0"))
        if qty_base and qty and qty_base != qty:
            price = price * qty / qty_base
        description = line.get("description") or line["sku"]
        return {
            "type": "line",
            "product": product["id"],
            "unit": product["default_uom"],
            "quantity": float(qty_base),  # sale.line.quantity is a Float field in Tryton
            "unit_price": price.quantize(PRICE_DIGITS),
            "description": f"{description}"[:500],
        }

    def close(self) -> None:
        """Close the RPC client."""
        self.rpc.close()
