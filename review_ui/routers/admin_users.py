"""Admin: list, create and change web users."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from review_ui.audit import record
from review_ui.deps import CurrentUser, SessionDep, guarded
from review_ui.roles import ADMINS, ROLES
from review_ui.templating import flash, render
from review_ui.users import service as user_service
from review_ui.users.service import UserError

router = APIRouter(prefix="/admin/users", tags=["users"], dependencies=guarded(ADMINS), include_in_schema=False)


@router.get("")
def users_page(request: Request, session: SessionDep):
    users = user_service.list_all(session=session)
    return render(request, "admin/users.html", {"users": users, "roles": ROLES})


@router.post("")
def create_user(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
):
    try:
        created = user_service.create(session=session, username=username, password=password, role=role)
    except UserError as exc:
        flash(request, str(exc), "error")
        return RedirectResponse("/admin/users", status_code=303)
    session.commit()
    record(request, actor=user.username, action="user.create", target=created.username, detail={"role": role})
    flash(request, f"User {created.username} created.")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/{user_id}")
def change_user(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    user_id: int,
    role: Annotated[str | None, Form()] = None,
    active: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    unlock: Annotated[str | None, Form()] = None,
):
    if user_id == user.id and (active == "0" or (role and role != "admin")):
        flash(request, "You cannot disable yourself or drop your own admin role.", "error")
        return RedirectResponse("/admin/users", status_code=303)
    try:
        changed = user_service.update(
            session=session, user_id=user_id, role=role or None,
            active=None if active is None else active == "1", password=password or None, unlock=bool(unlock),
        )
    except UserError as exc:
        flash(request, str(exc), "error")
        return RedirectResponse("/admin/users", status_code=303)
    session.commit()
    detail = {"role": role, "active": active, "password_changed": bool(password), "unlocked": bool(unlock)}
    record(request, actor=user.username, action="user.update", target=changed.username, detail=detail)
    flash(request, f"User {changed.username} updated.")
    return RedirectResponse("/admin/users", status_code=303)
