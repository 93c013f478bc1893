"""`oms import-master --from-erp` against a real Tryton 8.2: Tryton is the system of record."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from oms.cli import main
from oms.db import make_engine, make_session_factory
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

from tests.support.tryton import ADMIN_LOGIN, ADMIN_PASSWORD

pytestmark = [pytest.mark.tryton, pytest.mark.slow]


def test_import_master_from_erp_loads_products_parties_addresses_and_stock(
        shared_tryton_db, tmp_path, monkeypatch, capsys):
    url, database = shared_tryton_db
    for key, value in {"ERP": "tryton", "ERP_URL": url, "ERP_DATABASE": database,
                       "ERP_USER": ADMIN_LOGIN, "ERP_PASSWORD": ADMIN_PASSWORD}.items():
        monkeypatch.setenv(f"OMS_{key}", value)
    db_url = f"sqlite:///{tmp_path / 'oms.sqlite3'}"
    folder = tmp_path / "from-erp"
    assert main(["import-master", str(folder), "--from-erp", "--url", db_url, "--no-progress"]) == 0
    assert "imported" in capsys.readouterr().out

    products = {row["sku"]: row for row in csv.DictReader(open(folder / "products.csv"))}
    assert set(products) == {"SKU-100", "SKU-200", "SKU-300"}
    assert products["SKU-100"]["uom"] == "EA"
    assert Decimal(products["SKU-100"]["unit_price"]) == Decimal("18.50")

    engine = make_engine(db_url)
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            customers = {c.customer_id: c for c in uow.customers.all()}
            assert set(customers) == {"C1001", "C1002", "C1003"}  # the company itself is not a customer
            assert customers["C1001"].language == "de" and customers["C1003"].language == "nl"
            assert customers["C1001"].bill_address.city == "Berlin"
            ship_tos = uow.customers.ship_tos("C1002")
            assert [(s.postal_code, s.country) for s in ship_tos] == [("SW1A 1AA", "GB")]
            assert {s.warehouse_id: s.on_hand for s in uow.stock.items("SKU-100")} == {"WH": Decimal("500")}
            assert {s.warehouse_id: s.on_hand for s in uow.stock.items("SKU-300")} == {"WH": Decimal("0")}
    finally:
        engine.dispose()
