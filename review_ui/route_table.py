"""The app's route table, flattened (path, methods, dependencies), for the role matrix and docs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from fastapi.routing import iter_route_contexts


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    dependencies: tuple[Any, ...]  # the dependency callables (RoleGuard instances, markers)

    @property
    def roles(self) -> tuple[str, ...] | None:
        """Roles allowed by the route's RoleGuard; None when it has none."""
        from review_ui.deps import RoleGuard

        for dep in self.dependencies:
            if isinstance(dep, RoleGuard):
                return dep.roles
        return None

    @property
    def public(self) -> bool:
        from review_ui.routers.auth import public

        return public in self.dependencies


def routes(app) -> Iterator[RouteInfo]:
    """Every HTTP route with its methods and the dependencies its routers put on it."""
    for context in iter_route_contexts(app.routes):
        methods = context.methods
        if not methods:
            continue  # mounts (static files) and websockets
        deps = tuple(d.dependency for d in (getattr(context, "dependencies", None) or []))
        yield RouteInfo(context.path, frozenset(methods), deps)
