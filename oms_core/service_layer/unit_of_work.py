"""Unit of work: one transaction; rolls back unless `commit()` is called."""
from __future__ import annotations

from oms_core.adapters import repositories as repos

DEFAULT_SOFT_RESERVATION_MINUTES = 24 * 60


class AbstractUnitOfWork:
    """What handlers see: repositories plus commit/rollback. `FakeUnitOfWork` mirrors it in tests."""

    orders: repos.SqlOrderRepository
    products: repos.SqlProductRepository
    customers: repos.SqlCustomerRepository
    stock: repos.SqlStockRepository
    rules: repos.SqlRuleRepository
    messages: repos.SqlMessageRepository
    outbox: repos.SqlOutboxRepository
    events: repos.SqlEventRepository
    soft_reservation_minutes: int = DEFAULT_SOFT_RESERVATION_MINUTES

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    def __init__(self, session_factory, soft_reservation_minutes: int = DEFAULT_SOFT_RESERVATION_MINUTES):
        self.session_factory = session_factory
        self.soft_reservation_minutes = soft_reservation_minutes
        self.session = None

    def __enter__(self):
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > 1:  # a handler inside a caller's `with uow:` shares its transaction
            return self
        self.session = self.session_factory()
        self.orders = repos.SqlOrderRepository(self.session)
        self.products = repos.SqlProductRepository(self.session)
        self.customers = repos.SqlCustomerRepository(self.session)
        self.stock = repos.SqlStockRepository(self.session)
        self.rules = repos.SqlRuleRepository(self.session)
        self.messages = repos.SqlMessageRepository(self.session)
        self.outbox = repos.SqlOutboxRepository(self.session)
        self.events = repos.SqlEventRepository(self.session)
        self.master = repos.SqlMasterRepository(self.session)  # bulk import only
        return self

    def __exit__(self, *exc) -> None:
        self._depth -= 1
        if self._depth:
            return
        try:
            self.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.events.flush()
        self.session.commit()

    def rollback(self) -> None:
        self.events.pending.clear()
        self.session.rollback()


def uow_factory(session_factory, soft_reservation_minutes: int = DEFAULT_SOFT_RESERVATION_MINUTES):
    """A callable returning a fresh unit of work per call (what bootstrap hands to the rooms)."""
    return lambda: SqlAlchemyUnitOfWork(session_factory, soft_reservation_minutes)
