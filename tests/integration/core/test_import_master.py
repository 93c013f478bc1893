"""`oms import-master`: all-or-nothing, every bad row reported, re-import updates in place."""
from __future__ import annotations

from decimal import Decimal

import pytest

from oms.cli import main
from oms_core.domain.errors import MasterDataInvalid
from oms_core.service_layer import queries
from oms_core.service_layer.master_import import import_master
from tests.integration.core.master_files import write_csv, write_small_master


def test_import_loads_every_file_of_the_contract(uow_factory, tmp_path):
    counts = import_master(write_small_master(tmp_path / "m"), uow_factory(), progress=False)
    assert counts == {"products": 3, "uom_conversions": 1, "customers": 2, "ship_to": 1, "customer_items": 1,
                      "prices": 1, "warehouses": 2, "stock": 3, "kits": 2}
    master = queries.master_snapshot(uow_factory())
    assert master.customers["C-1"].email_domains == ("acme.example", "acme-group.example")
    assert master.uom_factor("A-100", "BOX") == Decimal("100")
    assert master.contract_price("C-1", "A-100", Decimal("100")) == Decimal("9.5")
    assert master.contract_price("C-1", "A-100", Decimal("5")) == Decimal("10")
    assert [k.component_sku for k in master.kits["KIT-1"]] == ["A-100", "B-200"]
    assert master.products_by_gtin["4006381333931"] == "A-100"


def test_reimport_updates_in_place_and_keeps_reservations(uow_factory, tmp_path):
    import_master(write_small_master(tmp_path / "m"), uow_factory(), progress=False)
    with uow_factory() as uow:
        uow.stock.add_reserved([("W-DE", "A-100", Decimal("7"))])
        uow.commit()
    import_master(write_small_master(tmp_path / "m2", price_a="11.00"), uow_factory(), progress=False)
    with uow_factory() as uow:
        assert uow.products.get("A-100").unit_price == Decimal("11.00")
        assert len(uow.products.all()) == 3 and len(uow.products.all_prices()) == 1
        de = {s.warehouse_id: s for s in uow.stock.items("A-100")}["W-DE"]
        assert (de.on_hand, de.reserved) == (Decimal("500"), Decimal("7"))


def test_a_bad_file_rejects_the_whole_import_and_lists_every_bad_row(uow_factory, tmp_path):
    folder = write_small_master(tmp_path / "m")
    write_csv(folder, "products.csv", [
        ["A-100", "Bolt", "", "EA", "1", "10", "EUR", "", "true"],
        ["B-200", "Nut", "", "EA", "0", "abc", "EURO", "123", "maybe"],
        ["A-100", "Bolt again", "", "EA", "1", "1", "EUR", "", "true"]])
    write_csv(folder, "stock.csv", [["W-XX", "A-100", "-1"]])
    with pytest.raises(MasterDataInvalid) as caught:
        import_master(folder, uow_factory(), progress=False)
    problems = caught.value.problems
    assert "products.csv:3: unit_price 'abc' is not a decimal" in problems
    assert "products.csv:3: pack_size '0' must be greater than 0" in problems
    assert "products.csv:3: currency 'EURO' is not a 3-letter currency code" in problems
    assert "products.csv:3: gtin '123' is not a GTIN (8, 12, 13 or 14 digits)" in problems
    assert "products.csv:3: active 'maybe' is not a boolean (true/false)" in problems
    assert any(p.startswith("products.csv:4: sku") and "repeats line 2" in p for p in problems)
    assert "stock.csv:2: on_hand '-1' must be at least 0" in problems
    assert any(p.startswith("kits.csv:3: component_sku 'B-200' is not a known product") for p in problems)
    with uow_factory() as uow:  # nothing half-imported: not even the good files
        assert uow.products.all() == [] and uow.customers.all() == []


def test_cli_prints_a_summary_or_the_problems(sqlite_url, tmp_path, capsys):
    folder = write_small_master(tmp_path / "m")
    assert main(["import-master", str(folder), "--url", sqlite_url, "--no-progress"]) == 0
    assert "products=3" in capsys.readouterr().out
    write_csv(folder, "customers.csv", [["C-1", "", "not a domain", "de", "EUR", "", "", "", "", "", "DEU"]])
    assert main(["import-master", str(folder), "--url", sqlite_url, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "customers.csv:2: name is required" in err
    assert "customers.csv:2: bill_country 'DEU' is not a 2-letter country code" in err
    assert "customers.csv:2: email_domains 'not a domain' holds 'not a domain', not an email domain" in err
