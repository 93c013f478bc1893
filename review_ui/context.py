"""What the web app needs from the composition root: settings, an engine, a unit of work, the graph,
and the root's own functions as hooks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from sqlalchemy import Engine


@dataclass(frozen=True)
class Hooks:
    """Functions of the composition root that the web app calls but may not import (oms sits above it).

    `readiness(engine, settings)` -> (ready, {check: detail}) answers /readyz; `metrics(engine)` ->
    (body, content type) answers /metrics; `process(context, key)` runs an uploaded message through
    the pipeline at once. A missing hook turns its feature off: /readyz and /metrics answer 503,
    uploads wait for the worker.
    """

    readiness: Callable[[Engine, Any], tuple[bool, dict[str, str]]] | None = None
    metrics: Callable[[Engine], tuple[bytes, str]] | None = None
    process: Callable[[Any, str], dict] | None = None


class AppContext(Protocol):
    """The subset of `oms.bootstrap.App` the web app uses (duck-typed so tests can build one)."""

    settings: Any
    engine: Engine
    uow_factory: Callable[[], Any]
    hooks: Hooks


@dataclass
class SimpleContext:
    """A minimal context: settings + engine (+ optional unit of work factory, graph and hooks)."""

    settings: Any
    engine: Engine
    uow_factory: Callable[[], Any] | None = None
    graph: Any = None
    store: Any = None  # intake.store.MessageStore, for the original messages
    hooks: Hooks = field(default_factory=Hooks)

    def close(self) -> None:
        self.engine.dispose()
