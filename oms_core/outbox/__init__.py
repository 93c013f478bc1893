"""The transactional outbox: rows written with the order, delivered by a dispatcher."""
from oms_core.outbox.dispatcher import Dispatcher, build_dispatcher

__all__ = ["Dispatcher", "build_dispatcher"]
