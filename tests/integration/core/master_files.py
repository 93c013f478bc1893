"""Write small master-data CSV folders for tests (and big ones for the import benchmark)."""
from __future__ import annotations

import csv
from pathlib import Path

HEADERS = {
    "products.csv": "sku,name,description,uom,pack_size,unit_price,currency,gtin,active",
    "uom_conversions.csv": "sku,uom,factor",
    "customers.csv": "customer_id,name,email_domains,language,currency,credit_limit,payment_terms,"
                     "bill_street,bill_postal_code,bill_city,bill_country",
    "ship_to.csv": "customer_id,ship_to_id,name,street,postal_code,city,country",
    "customer_items.csv": "customer_id,customer_sku,sku,customer_description",
    "prices.csv": "customer_id,sku,unit_price,currency,valid_from,valid_to,min_qty",
    "warehouses.csv": "warehouse_id,name,country,postal_code",
    "stock.csv": "warehouse_id,sku,on_hand",
    "kits.csv": "kit_sku,component_sku,qty",
}


def write_csv(folder: Path, name: str, rows) -> None:
    with open(folder / name, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS[name].split(","))
        writer.writerows(rows)


def write_small_master(folder: Path, price_a: str = "10.00") -> Path:
    """Two customers, three products (one a kit), two warehouses: every file of the contract."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder, "products.csv", [
        ["A-100", "Bolt M8", "Bolt, zinc", "EA", "10", price_a, "EUR", "4006381333931", "true"],
        ["B-200", "Nut M8", "", "EA", "1", "0.50", "EUR", "", "true"],
        ["KIT-1", "Bolt kit", "10 bolts + 10 nuts", "EA", "1", "12.00", "EUR", "", "1"]])
    write_csv(folder, "uom_conversions.csv", [["A-100", "BOX", "100"]])
    write_csv(folder, "customers.csv", [
        ["C-1", "Acme GmbH", "acme.example;acme-group.example", "de", "EUR", "5000", "30 days net",
         "Hauptstr. 1", "10115", "Berlin", "DE"],
        ["C-2", "Globex SA", "globex.example", "fr", "EUR", "", "", "", "", "", "FR"]])
    write_csv(folder, "ship_to.csv", [["C-1", "S-1", "Acme Lager", "Werkstr. 5", "04109", "Leipzig", "DE"]])
    write_csv(folder, "customer_items.csv", [["C-1", "ACME-BOLT", "A-100", "our bolt"]])
    write_csv(folder, "prices.csv", [["C-1", "A-100", "9.50", "EUR", "2024-01-01", "", "100"]])
    write_csv(folder, "warehouses.csv", [["W-DE", "Berlin", "DE", "10115"], ["W-FR", "Lyon", "FR", "69001"]])
    write_csv(folder, "stock.csv", [["W-DE", "A-100", "500"], ["W-DE", "B-200", "1000"], ["W-FR", "A-100", "20"]])
    write_csv(folder, "kits.csv", [["KIT-1", "A-100", "10"], ["KIT-1", "B-200", "10"]])
    return folder


def write_big_master(folder: Path, products: int) -> Path:
    """`products` products with stock in two warehouses and one customer price each (benchmark)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder, "products.csv", ([f"P{i:07d}", f"Product {i}", f"Description of product {i}", "EA", "1",
                                        f"{i % 1000}.{i % 100:02d}", "EUR", f"{4000000000000 + i}", "true"]
                                       for i in range(products)))
    write_csv(folder, "customers.csv", [["C-1", "Acme", "acme.example", "en", "EUR", "", "", "", "", "", "DE"]])
    write_csv(folder, "warehouses.csv", [["W1", "One", "DE", ""], ["W2", "Two", "FR", ""]])
    write_csv(folder, "stock.csv", ([w, f"P{i:07d}", str(i % 50)] for i in range(products) for w in ("W1", "W2")))
    write_csv(folder, "prices.csv", (["C-1", f"P{i:07d}", "1.00", "EUR", "", "", ""] for i in range(products)))
    return folder
