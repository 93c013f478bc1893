"""Warehouse routing: complete shipment first, then nearest, then fewest splits; shortages backorder."""
from decimal import Decimal as D

from oms_core.domain.allocation import Need, kit_units, plan_allocation
from oms_core.domain.geo import country_distance_km, rank_warehouses
from oms_core.domain.model import Warehouse


def test_prefers_the_nearest_warehouse_that_can_ship_everything():
    atp = {("W1", "A"): D(5), ("W2", "A"): D(5), ("W2", "B"): D(5)}
    plan = plan_allocation([Need(1, "A", D(2)), Need(2, "B", D(1))], atp, ["W1", "W2"])
    assert {a.warehouse_id for a in plan.allocations} == {"W2"} and not plan.shortages


def test_nearest_warehouse_ships_what_it_has_when_no_single_one_is_complete():
    atp = {("NEAR", "A"): D(3), ("FAR", "A"): D(10), ("FAR", "B"): D(1)}
    plan = plan_allocation([Need(1, "A", D(5)), Need(2, "B", D(2))], atp, ["NEAR", "FAR"])
    got = {(a.warehouse_id, a.sku): a.qty for a in plan.allocations}
    assert got == {("NEAR", "A"): D(3), ("FAR", "A"): D(2), ("FAR", "B"): D(1)}
    assert [(n.sku, n.qty) for n in plan.shortages] == [("B", D(1))]


def test_remaining_quantity_goes_to_the_warehouse_covering_most_to_keep_splits_few():
    atp = {("NEAR", "A"): D(1), ("MID", "B"): D(1), ("FAR", "B"): D(5), ("FAR", "C"): D(5)}
    plan = plan_allocation([Need(1, "A", D(1)), Need(2, "B", D(5)), Need(3, "C", D(5))], atp,
                           ["NEAR", "MID", "FAR"])
    assert plan.split_count == 2 and not plan.shortages
    assert {a.warehouse_id for a in plan.allocations} == {"NEAR", "FAR"}


def test_nothing_in_stock_means_everything_is_backordered():
    plan = plan_allocation([Need(1, "A", D(4))], {}, ["W1"])
    assert plan.allocations == () and plan.shortages == (Need(1, "A", D(4)),)


def test_two_lines_of_the_same_sku_never_share_the_same_units():
    plan = plan_allocation([Need(1, "A", D(3)), Need(2, "A", D(3))], {("W", "A"): D(4)}, ["W"])
    assert sum(a.qty for a in plan.allocations) == D(4)
    assert sum(n.qty for n in plan.shortages) == D(2)


def test_warehouses_are_ranked_by_distance_to_the_ship_to_country():
    whs = [Warehouse("W-ES", country="ES"), Warehouse("W-PL", country="PL"), Warehouse("W-AT", country="AT")]
    assert rank_warehouses(whs, "DE") == ["W-AT", "W-PL", "W-ES"]
    assert country_distance_km("DE", "DE") == 0
    assert rank_warehouses([Warehouse("B"), Warehouse("A")], None) == ["A", "B"]


def test_kit_units_are_limited_by_the_scarcest_component():
    assert kit_units({"X": D(4), "Y": D(3)}, {"X": D(2), "Y": D(1)}) == D(2)
