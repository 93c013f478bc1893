"""What the web app needs from the composition root: settings, an engine, a unit of work, the graph."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from sqlalchemy import Engine


class AppContext(Protocol):
    """The subset of `oms.bootstrap.App` the web app uses (duck-typed so tests can build one)."""

    settings: Any
    engine: Engine
    uow_factory: Callable[[], Any]


@dataclass
class SimpleContext:
    """A minimal context: settings + engine (+ optional unit of work factory and graph)."""

    settings: Any
    engine: Engine
    uow_factory: Callable[[], Any] | None = None
    graph: Any = None
    store: Any = None  # intake.store.MessageStore, for the original messages

    def close(self) -> None:
        self.engine.dispose()
