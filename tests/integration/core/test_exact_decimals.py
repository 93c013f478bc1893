"""Money and quantity columns are exact on both databases (scaled integers on SQLite, NUMERIC on PostgreSQL)."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from oms.db import make_engine, upgrade
from oms_core.adapters import orm
from oms_core.adapters.types import InexactDecimal
from oms_core.domain.commands import CreateOrder, NewOrderLine
from oms_core.domain.errors import InvalidQuantity
from oms_core.domain.model import utcnow
from oms_core.service_layer.handlers import create_order


def _stock_rows(engine, rows):
    with engine.begin() as conn:
        conn.execute(orm.stock.insert(), [{"warehouse_id": w, "sku": s, "on_hand": on_hand, "reserved": reserved}
                                          for w, s, on_hand, reserved in rows])


def test_point_one_plus_point_two_stored_and_summed_in_sql_is_exactly_point_three(engine):
    _stock_rows(engine, [("W", "X1", Decimal("0.1"), Decimal(0)), ("W", "X2", Decimal("0.2"), Decimal(0))])
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.sum(orm.stock.c.on_hand))).scalar_one()
        coalesced = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(orm.stock.c.on_hand), 0))).scalar_one()
    assert total == Decimal("0.3") and isinstance(total, Decimal)
    assert coalesced == Decimal("0.3")
    assert str(total) == "0.3000"


def test_sqlite_stores_money_as_a_scaled_integer_not_a_float(sqlite_url):
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    _stock_rows(engine, [("W", "X", Decimal("12.3456"), Decimal("0.0001"))])
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT on_hand, reserved, typeof(on_hand) FROM stock").one()
    engine.dispose()
    assert tuple(raw) == (123456, 1, "integer")


@pytest.mark.parametrize("value", ["0", "0.0001", "-0.0001", "1234567890.1234", "99999999999999.9999", "-42.5", "1E+3"])
def test_a_decimal_round_trips_unchanged(engine, value):
    _stock_rows(engine, [("W", "RT", Decimal(value), Decimal(0))])
    with engine.connect() as conn:
        back = conn.execute(sa.select(orm.stock.c.on_hand)).scalar_one()
    assert isinstance(back, Decimal)
    assert back == Decimal(value)
    assert back.as_tuple().exponent == -4  # always quantized to the column's scale


def test_sql_arithmetic_and_comparisons_between_columns_and_with_literals_stay_exact(engine):
    _stock_rows(engine, [("W", "A", Decimal("10.1"), Decimal("10.0999")), ("W", "B", Decimal("0.3"), Decimal("0.1")),
                         ("W", "C", Decimal("5"), Decimal("7.25"))])
    s = orm.stock.c
    with engine.begin() as conn:
        atp = dict(conn.execute(sa.select(s.sku, s.on_hand - s.reserved).order_by(s.sku)).all())
        enough = conn.execute(sa.select(s.sku).where(s.on_hand - s.reserved >= Decimal("0.2"))).scalars().all()
        conn.execute(orm.stock.update().where(s.sku == "B").values(reserved=s.reserved + Decimal("0.2")))
        after = conn.execute(sa.select(s.on_hand - s.reserved).where(s.sku == "B")).scalar_one()
        ordered = conn.execute(sa.select(s.sku).order_by(s.on_hand.desc())).scalars().all()
    assert atp == {"A": Decimal("0.0001"), "B": Decimal("0.2"), "C": Decimal("-2.25")}
    assert enough == ["B"]
    assert after == Decimal("0")
    assert ordered == ["A", "C", "B"]


def test_the_stock_repository_reports_oversell_exactly(uow_factory, engine):
    _stock_rows(engine, [("W", "A", Decimal("1.1"), Decimal("1.3")), ("W", "B", Decimal("2"), Decimal("1"))])
    with uow_factory() as uow:
        assert uow.stock.oversold() == Decimal("0.2")


def test_a_value_with_more_places_than_the_column_keeps_is_refused_not_rounded(engine):
    with pytest.raises(StatementError) as err:
        _stock_rows(engine, [("W", "A", Decimal("1.00005"), Decimal(0))])
    assert isinstance(err.value.orig, InexactDecimal)
    assert "more than 4 decimal places" in str(err.value)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(orm.stock)).scalar_one() == 0


def test_floats_are_refused_because_they_are_never_exact(engine):
    with pytest.raises(StatementError) as err:
        _stock_rows(engine, [("W", "A", 0.1, Decimal(0))])
    assert isinstance(err.value.orig, InexactDecimal)


def test_estimates_such_as_llm_cost_are_rounded_half_even_to_four_places(engine):
    from oms_core.adapters.types import Estimate

    assert Estimate.exact(Decimal("0.00005")) == Decimal("0.0000")
    assert Estimate.exact(Decimal("0.00015")) == Decimal("0.0002")
    with engine.begin() as conn:
        conn.execute(orm.processed_messages.insert(), [{
            "message_key": "m1", "status": "done", "review_reasons": [], "reasons_detail": [], "timings": {},
            "versions": {}, "llm_cost": Decimal("0.000185"), "value": Decimal("12.34565"),
            "created_at": utcnow(), "updated_at": utcnow()}])
        row = conn.execute(sa.select(orm.processed_messages.c.llm_cost, orm.processed_messages.c.value)).one()
    assert tuple(row) == (Decimal("0.0002"), Decimal("12.3456"))


def test_an_order_line_with_too_many_decimal_places_is_refused_with_its_line_number(seeded):
    lines = (NewOrderLine(1, "A", Decimal("2")), NewOrderLine(2, "B", Decimal("2.5"), qty_base=Decimal("0.83325")))
    with pytest.raises(InvalidQuantity, match=r"line 2: qty_base 0.83325 has more than 4 decimal places"):
        create_order(CreateOrder("exact-1", "C1", "PO-X", None, None, None, "EUR", lines, actor="test"), seeded())
    with seeded() as uow:
        assert uow.orders.get_by_message_key("exact-1") is None


def test_reserving_more_than_is_available_fails_the_guard_and_changes_nothing(seeded):
    from oms_core.adapters.deferred import GuardFailed

    with pytest.raises(GuardFailed, match="reserve stock"):
        with seeded() as uow:
            uow.stock.add_reserved([("W-DE", "A", Decimal("60")), ("W-FR", "A", Decimal("10.0001"))])
            uow.commit()
    with seeded() as uow:
        assert {(s.warehouse_id, s.reserved) for s in uow.stock.items("A")} == {("W-DE", Decimal(0)), ("W-FR", Decimal(0))}
        uow.stock.add_reserved([("W-DE", "A", Decimal("100")), ("W-FR", "A", Decimal("10"))])  # exactly all of it
        uow.commit()
    with seeded() as uow:
        assert sum((s.atp for s in uow.stock.items("A")), Decimal(0)) == 0
        uow.stock.add_reserved([("W-DE", "A", Decimal("-100"))])  # releasing is never blocked by the guard
        uow.commit()
        assert uow.stock.items("A")[0].reserved == Decimal(0)
