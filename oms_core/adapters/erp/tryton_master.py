"""Pull master data from Tryton into the DESIGN.md CSV folder format (`import-master --from-erp`).

Products (code = SKU) with list price and unit, customers (parties with a code, their language,
email domains and first invoice address), every address as a ship-to, warehouses, and stock on
hand per warehouse. The ERP is usually the system of record; the OMS imports from it.
"""
from __future__ import annotations

import csv
import logging
import tempfile
from decimal import Decimal
from pathlib import Path

from oms_core.adapters.erp.tryton_rpc import TrytonRpc

log = logging.getLogger(__name__)

# Tryton unit symbols that have a usual order-unit code of their own.
UOM_CODES = {"u": "EA", "unit": "EA", "pc": "EA", "kg": "KG", "g": "G", "l": "L", "m": "M"}

COLUMNS = {
    "products.csv": ["sku", "name", "description", "uom", "pack_size", "unit_price", "currency",
                     "gtin", "active"],
    "customers.csv": ["customer_id", "name", "email_domains", "language", "currency",
                      "credit_limit", "payment_terms", "bill_street", "bill_postal_code",
                      "bill_city", "bill_country"],
    "ship_to.csv": ["customer_id", "ship_to_id", "name", "street", "postal_code", "city", "country"],
    "warehouses.csv": ["warehouse_id", "name", "country", "postal_code"],
    "stock.csv": ["warehouse_id", "sku", "on_hand"],
}


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    with open(folder / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS[name])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row[k] for k in COLUMNS[name]})


def _first_line(text: str | None) -> str | None:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else None


class TrytonMasterReader:
    """Reads master data over the same JSON-RPC client the adapter uses."""

    def __init__(self, rpc: TrytonRpc):
        self.rpc = rpc

    def company(self) -> dict:
        company_id = self.rpc.context.get("company")
        row = self.rpc.model("company.company", "read", [company_id], ["party", "currency"])[0]
        currency = self.rpc.model("currency.currency", "read", [row["currency"]], ["code"])[0]
        return {"party": row["party"], "currency": currency["code"]}

    def products(self, currency: str) -> list[dict]:
        rows = self.rpc.search_read(
            "product.product", [("code", "!=", None), ("salable", "=", True)],
            ["code", "name", "description", "list_price_used", "default_uom", "active"])
        uoms = {u["id"]: u for u in self.rpc.search_read("product.uom", [], ["symbol", "name"])}
        out = []
        for row in rows:
            uom = uoms.get(row["default_uom"], {})
            symbol = str(uom.get("symbol") or uom.get("name") or "EA")
            out.append({"sku": row["code"], "name": row["name"],
                        "description": _first_line(row.get("description")),
                        "uom": UOM_CODES.get(symbol.lower(), symbol.upper()), "pack_size": "1",
                        "unit_price": row.get("list_price_used"), "currency": currency,
                        "active": "true" if row.get("active", True) else "false"})
        return out

    def customers(self, currency: str, company_party: int) -> tuple[list[dict], list[dict]]:
        parties = self.rpc.search_read("party.party", [("code", "!=", None), ("id", "!=", company_party)],
                                       ["code", "name", "lang", "addresses", "contact_mechanisms"])
        langs = {l["id"]: l["code"] for l in self.rpc.search_read("ir.lang", [], ["code"])}
        address_ids = [a for p in parties for a in p["addresses"]]
        addresses = {a["id"]: a for a in self.rpc.model(
            "party.address", "read", address_ids,
            ["party", "party_name", "street", "postal_code", "city", "country", "invoice", "delivery"])}
        countries = {c["id"]: c["code"] for c in self.rpc.search_read("country.country", [], ["code"])}
        mechanism_ids = [m for p in parties for m in p["contact_mechanisms"]]
        emails: dict[int, set[str]] = {}
        if mechanism_ids:
            for mech in self.rpc.model("party.contact_mechanism", "read", mechanism_ids,
                                       ["party", "type", "value"]):
                if mech["type"] == "email" and "@" in (mech["value"] or ""):
                    emails.setdefault(mech["party"], set()).add(mech["value"].rsplit("@", 1)[1].lower())
        customers, ship_tos = [], []
        for party in parties:
            rows = [addresses[a] for a in party["addresses"] if a in addresses]
            bill = next((a for a in rows if a.get("invoice")), rows[0] if rows else {})
            customers.append({
                "customer_id": party["code"], "name": party["name"],
                "email_domains": ";".join(sorted(emails.get(party["id"], ()))),
                "language": (langs.get(party.get("lang")) or "en")[:2], "currency": currency,
                "bill_street": _first_line(bill.get("street")), "bill_postal_code": bill.get("postal_code"),
                "bill_city": bill.get("city"), "bill_country": countries.get(bill.get("country"))})
            for address in rows:
                ship_tos.append({
                    "customer_id": party["code"], "ship_to_id": f"A{address['id']}",
                    "name": address.get("party_name") or party["name"],
                    "street": _first_line(address.get("street")), "postal_code": address.get("postal_code"),
                    "city": address.get("city"), "country": countries.get(address.get("country"))})
        return customers, ship_tos

    def warehouses_and_stock(self, skus: set[str]) -> tuple[list[dict], list[dict]]:
        warehouses = self.rpc.search_read("stock.location", [("type", "=", "warehouse")],
                                          ["code", "name", "address"])
        out_wh, stock = [], []
        for wh in warehouses:
            wid = wh["code"] or f"WH{wh['id']}"
            country = postal = None
            if wh.get("address"):
                addr = self.rpc.model("party.address", "read", [wh["address"]],
                                      ["country", "postal_code"])[0]
                postal = addr.get("postal_code")
                if addr.get("country"):
                    country = self.rpc.model("country.country", "read", [addr["country"]], ["code"])[0]["code"]
            out_wh.append({"warehouse_id": wid, "name": wh["name"], "country": country,
                           "postal_code": postal})
            context = {**self.rpc.context, "locations": [wh["id"]], "with_childs": True}
            rows = self.rpc.call("model.product.product.search_read", [("code", "in", sorted(skus))],
                                 0, None, None, ["code", "quantity"], context)
            for row in rows:
                quantity = Decimal(str(row.get("quantity") or 0))
                stock.append({"warehouse_id": wid, "sku": row["code"],
                              "on_hand": format(max(quantity, Decimal(0)).normalize(), "f")})
        return out_wh, stock


def pull_master(settings, folder: Path | str | None = None) -> Path:
    """Write the CSV folder from the Tryton in OMS_ERP_*; returns the folder."""
    target = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="oms-erp-master-"))
    target.mkdir(parents=True, exist_ok=True)
    rpc = TrytonRpc(settings.erp_url, settings.erp_database, settings.erp_user, settings.erp_password)
    try:
        reader = TrytonMasterReader(rpc)
        company = reader.company()
        products = reader.products(company["currency"])
        customers, ship_tos = reader.customers(company["currency"], company["party"])
        warehouses, stock = reader.warehouses_and_stock({p["sku"] for p in products})
    finally:
        rpc.close()
    _write(target, "products.csv", products)
    _write(target, "customers.csv", customers)
    _write(target, "ship_to.csv", ship_tos)
    _write(target, "warehouses.csv", warehouses)
    _write(target, "stock.csv", stock)
    log.info("pulled %d products, %d customers, %d ship-tos, %d stock rows from Tryton into %s",
             len(products), len(customers), len(ship_tos), len(stock), target)
    return target
