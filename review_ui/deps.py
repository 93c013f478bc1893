"""Typed dependencies: the database session, the unit of work, the current user and role guards.

Role guards are applied once per router (`APIRouter(dependencies=guarded(ROLES))`), never per
route; `RoleGuard.roles` is read by the role-matrix test, so every new route is covered.
"""
from __future__ import annotations

from typing import Annotated, Any, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from review_ui.context import AppContext
from review_ui.security import Forbidden, NotAuthenticated, check_csrf
from review_ui.users import service as user_service
from review_ui.users.service import UserRead


def get_context(request: Request) -> AppContext:
    return request.app.state.context


def get_db(request: Request) -> Iterator[Session]:
    """A SQLAlchemy session for the request (the caller commits what it changes)."""
    with request.app.state.session_factory() as session:
        yield session


def get_uow(request: Request) -> Any:
    """A fresh core unit of work (a context manager; rolls back unless committed)."""
    factory = request.app.state.context.uow_factory
    if factory is None:
        raise RuntimeError("this app context has no unit of work factory")
    return factory()


ContextDep = Annotated[AppContext, Depends(get_context)]
SessionDep = Annotated[Session, Depends(get_db)]
UowDep = Annotated[Any, Depends(get_uow)]


def get_current_user(request: Request, session: SessionDep) -> UserRead:
    """The logged-in, active user, or NotAuthenticated."""
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        raise NotAuthenticated()
    user = user_service.get(session=session, user_id=user_id)
    # End this read at once: on SQLite every transaction takes the write lock, and the route may
    # call core handlers that open their own unit of work.
    session.rollback()
    if user is None or not user.active:
        request.session.clear()
        raise NotAuthenticated()
    request.state.user = user
    return user


CurrentUser = Annotated[UserRead, Depends(get_current_user)]


class RoleGuard:
    """Dependency that lets only the given roles through (admin is always allowed)."""

    def __init__(self, roles: tuple[str, ...]):
        self.roles = tuple(sorted(set(roles) | {"admin"}))

    def __call__(self, user: CurrentUser) -> UserRead:
        if user.role not in self.roles:
            raise Forbidden()
        return user

    def __repr__(self) -> str:
        return f"RoleGuard({', '.join(self.roles)})"


def guarded(roles: tuple[str, ...]) -> list:
    """Router dependencies: log-in + role check first, then the CSRF check on unsafe methods."""
    return [Depends(RoleGuard(roles)), Depends(check_csrf)]


async def get_form(request: Request) -> dict[str, str]:
    """The posted form's text fields (files are left out)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(get_form)]
