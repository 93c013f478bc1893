"""In-memory unit of work with the same repository methods as the SQL one (for unit tests)."""
from __future__ import annotations

import copy
from collections import defaultdict
from decimal import Decimal

from oms_core.domain.model import CustomerItem, utcnow
from oms_core.domain.statuses import OrderStatus, ReservationKind, ReservationStatus
from oms_core.service_layer.unit_of_work import AbstractUnitOfWork


class FakeOrders:
    def __init__(self):
        self.rows = {}

    def add(self, order):
        order.created_at = order.created_at or utcnow()
        order.updated_at = utcnow()
        self.rows[order.order_id] = copy.deepcopy(order)

    def save(self, order):
        order.updated_at = utcnow()
        self.rows[order.order_id] = copy.deepcopy(order)

    def get(self, order_id, for_update=False):
        return copy.deepcopy(self.rows.get(order_id))

    def get_by_message_key(self, key):
        return next((copy.deepcopy(o) for o in self.rows.values() if o.message_key == key), None)

    def find_by_po(self, customer_id, po_number):
        return [copy.deepcopy(o) for o in self.rows.values() if (o.customer_id, o.po_number) == (customer_id, po_number)]

    def list(self, status=None, customer_id=None, limit=100, offset=0):
        rows = [o for o in self.rows.values() if (status is None or o.status == status)
                and (customer_id is None or o.customer_id == customer_id)]
        return copy.deepcopy(rows[offset:offset + limit])

    def open_value(self, customer_id, exclude_order_id=None):
        open_ = set(OrderStatus.OPEN) - {OrderStatus.NEEDS_REVIEW}
        return sum((o.total for o in self.rows.values() if o.customer_id == customer_id and o.status in open_
                    and o.order_id != exclude_order_id), Decimal(0))


class FakeProducts:
    def __init__(self):
        self.rows, self.conv, self.prices, self.kits = {}, {}, [], []

    def add(self, product):
        self.rows[product.sku] = product

    def get(self, sku):
        return self.rows.get(sku)

    def get_many(self, skus):
        return {s: self.rows[s] for s in skus if s in self.rows}

    def by_gtin(self, gtin):
        return next((p for p in self.rows.values() if p.gtin == gtin), None)

    def all(self):
        return sorted(self.rows.values(), key=lambda p: p.sku)

    def conversions(self):
        return list(self.conv.values())

    def add_conversion(self, c):
        self.conv[(c.sku, c.uom)] = c

    def uom_factor(self, sku, uom):
        c = self.conv.get((sku, uom))
        return c.factor if c else None

    def prices_for(self, customer_id, sku):
        return [p for p in self.prices if (p.customer_id, p.sku) == (customer_id, sku)]

    def all_prices(self):
        return list(self.prices)

    def add_price(self, price):
        self.prices.append(price)

    def add_kit_component(self, component):
        self.kits.append(component)

    def kit_components(self, skus):
        result = {}
        for k in sorted(self.kits, key=lambda k: (k.kit_sku, k.component_sku)):
            if k.kit_sku in set(skus):
                result.setdefault(k.kit_sku, []).append(k)
        return result

    def all_kits(self):
        return list(self.kits)


class FakeCustomers:
    def __init__(self):
        self.rows, self.ships, self.items, self.hints = {}, {}, {}, {}

    def add(self, c):
        self.rows[c.customer_id] = c

    def get(self, customer_id):
        return self.rows.get(customer_id)

    def all(self):
        return list(self.rows.values())

    def add_ship_to(self, s):
        self.ships[(s.customer_id, s.ship_to_id)] = s

    def ship_to(self, customer_id, ship_to_id):
        return self.ships.get((customer_id, ship_to_id))

    def ship_tos(self, customer_id=None):
        return [s for s in self.ships.values() if customer_id is None or s.customer_id == customer_id]

    def cross_references(self, customer_id=None):
        return [i for i in self.items.values() if customer_id is None or i.customer_id == customer_id]

    def save_cross_reference(self, item: CustomerItem):
        self.items[(item.customer_id, item.customer_sku)] = item

    def layout_hint(self, customer_id, layout_key):
        return self.hints.get((customer_id, layout_key))

    def layout_hints(self):
        return list(self.hints.values())

    def save_layout_hint(self, hint):
        self.hints[(hint.customer_id, hint.layout_key)] = hint


class FakeStock:
    def __init__(self):
        self.whs, self.rows, self.res, self.locked = {}, {}, [], []

    def warehouses(self):
        return sorted(self.whs.values(), key=lambda w: w.warehouse_id)

    def add_warehouse(self, w):
        self.whs[w.warehouse_id] = w

    def set_on_hand(self, warehouse_id, sku, on_hand):
        from oms_core.domain.model import StockItem
        reserved = sum((r.qty for r in self.res if (r.warehouse_id, r.sku) == (warehouse_id, sku)
                        and r.status == ReservationStatus.ACTIVE), Decimal(0))
        self.rows[(warehouse_id, sku)] = StockItem(warehouse_id, sku, Decimal(on_hand), reserved)

    def lock(self, skus):
        self.locked.append(sorted(set(skus)))
        return [copy.copy(s) for k, s in sorted(self.rows.items(), key=lambda kv: (kv[0][1], kv[0][0]))
                if s.sku in set(skus)]

    def items(self, sku=None):
        return [copy.copy(s) for s in self.rows.values() if sku is None or s.sku == sku]

    def add_reserved(self, deltas):
        for w, s, q in deltas:
            self.rows[(w, s)].reserved += q

    def add_on_hand(self, deltas):
        for w, s, q in deltas:
            if (w, s) not in self.rows:
                self.set_on_hand(w, s, Decimal(0))
            self.rows[(w, s)].on_hand += q

    def add_reservations(self, reservations):
        for r in reservations:
            r.id = len(self.res) + 1
            r.created_at = r.created_at or utcnow()
            self.res.append(copy.copy(r))

    def reservations_for(self, order_id, status=ReservationStatus.ACTIVE):
        return [copy.copy(r) for r in self.res if r.order_id == order_id and (status is None or r.status == status)]

    def set_reservation_status(self, ids, status):
        for r in self.res:
            if r.id in ids:
                r.status = status

    def harden(self, order_id):
        n = 0
        for r in self.res:
            if r.order_id == order_id and r.kind == ReservationKind.SOFT and r.status == ReservationStatus.ACTIVE:
                r.kind, r.expires_at, n = ReservationKind.HARD, None, n + 1
        return n

    def expired_soft(self, now):
        return [copy.copy(r) for r in self.res if r.kind == ReservationKind.SOFT
                and r.status == ReservationStatus.ACTIVE and r.expires_at <= now]

    def oversold(self):
        return sum((max(s.reserved - s.on_hand, Decimal(0)) for s in self.rows.values()), Decimal(0))


class FakeRules:
    def __init__(self):
        self.rows = []

    def latest(self, customer_id):
        mine = [r for r in self.rows if r.customer_id == customer_id]
        return max(mine, key=lambda r: r.version) if mine else None

    def latest_pair(self, customer_id):
        return self.latest(None), self.latest(customer_id) if customer_id else None

    def history(self, customer_id):
        return sorted((r for r in self.rows if r.customer_id == customer_id), key=lambda r: -r.version)

    def customers_with_rules(self):
        return sorted({r.customer_id for r in self.rows if r.customer_id})

    def add(self, ruleset):
        ruleset.created_at = ruleset.created_at or utcnow()
        self.rows.append(copy.deepcopy(ruleset))


class FakeMessages:
    def __init__(self):
        self.rows = {}

    def get(self, key, for_update=False):
        return copy.deepcopy(self.rows.get(key))

    def save(self, message):
        message.created_at = message.created_at or utcnow()
        message.updated_at = utcnow()
        self.rows[message.message_key] = copy.deepcopy(message)

    def list(self, status=None, decision=None, customer_id=None, reason=None, claimed_by=None, limit=100, offset=0):
        rows = [m for m in self.rows.values()
                if all(v is None or getattr(m, k) == v for k, v in
                       (("status", status), ("decision", decision), ("customer_id", customer_id),
                        ("claimed_by", claimed_by)))
                and (reason is None or reason in m.review_reasons)]
        return copy.deepcopy(rows[offset:offset + limit])


class FakeOutbox:
    def __init__(self):
        self.rows = []

    def add(self, message):
        if self.get_by_key(message.idempotency_key):
            return False
        message.id = len(self.rows) + 1
        message.created_at = message.updated_at = utcnow()
        self.rows.append(copy.deepcopy(message))
        return True

    def add_all(self, messages):
        for message in messages:
            self.add(message)

    def get(self, id):
        return next((copy.deepcopy(m) for m in self.rows if m.id == id), None)

    def get_by_key(self, key):
        return next((copy.deepcopy(m) for m in self.rows if m.idempotency_key == key), None)

    def list(self, status=None, kind=None, order_id=None, limit=100, offset=0):
        rows = [m for m in reversed(self.rows) if (status is None or m.status == status)
                and (kind is None or m.kind == kind) and (order_id is None or m.order_id == order_id)]
        return copy.deepcopy(rows[offset:offset + limit])


class FakeEvents:
    def __init__(self):
        self.rows, self.audits = [], []

    def add(self, event):
        event.at = event.at or utcnow()
        event.id = len(self.rows) + 1
        self.rows.append(copy.deepcopy(event))

    def for_order(self, order_id):
        return [copy.deepcopy(e) for e in self.rows if e.order_id == order_id]

    def audit(self, actor, action, target, detail=None, at=None):
        self.audits.append({"actor": actor, "action": action, "target": target, "detail": detail or {},
                            "at": at or utcnow()})

    def last_audit_id(self, actions):
        return max((i + 1 for i, a in enumerate(self.audits) if a["action"] in actions), default=0)

    def audit_log(self, limit=100, action=None, target=None):
        return [a for a in reversed(self.audits) if (action is None or a["action"] == action)
                and (target is None or a["target"] == target)][:limit]


class FakeUnitOfWork(AbstractUnitOfWork):
    """Repositories keep state across `with` blocks, like a database; commits are counted."""

    def __init__(self, soft_reservation_minutes: int = 60):
        self.orders, self.products, self.customers = FakeOrders(), FakeProducts(), FakeCustomers()
        self.stock, self.rules, self.messages = FakeStock(), FakeRules(), FakeMessages()
        self.outbox, self.events = FakeOutbox(), FakeEvents()
        self.soft_reservation_minutes = soft_reservation_minutes
        self.commits = 0

    def commit(self):
        self.commits += 1

    def rollback(self):
        pass
