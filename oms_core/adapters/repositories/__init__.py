"""SQL repositories: rows in, plain domain dataclasses out. One module per area."""
from oms_core.adapters.repositories.customers import SqlCustomerRepository
from oms_core.adapters.repositories.events import SqlEventRepository
from oms_core.adapters.repositories.master import SqlMasterRepository
from oms_core.adapters.repositories.messages import SqlMessageRepository
from oms_core.adapters.repositories.orders import SqlOrderRepository
from oms_core.adapters.repositories.outbox import SqlOutboxRepository
from oms_core.adapters.repositories.products import SqlProductRepository
from oms_core.adapters.repositories.rules import SqlRuleRepository
from oms_core.adapters.repositories.stock import SqlStockRepository

__all__ = [
    "SqlCustomerRepository", "SqlEventRepository", "SqlMasterRepository", "SqlMessageRepository", "SqlOrderRepository",
    "SqlOutboxRepository", "SqlProductRepository", "SqlRuleRepository", "SqlStockRepository",
]
