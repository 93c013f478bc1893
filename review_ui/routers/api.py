"""The JSON API under /api: same login and roles as the pages (401 for anonymous callers)."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from review_ui.deps import CurrentUser, SessionDep, guarded
from review_ui.roles import ADMINS, EVERYONE
from review_ui.users import service as user_service

router = APIRouter(prefix="/api")

me_router = APIRouter(tags=["session"], dependencies=guarded(EVERYONE))
users_router = APIRouter(prefix="/users", tags=["users"], dependencies=guarded(ADMINS))


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    active: bool


@me_router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    """The logged-in user."""
    return UserOut(id=user.id, username=user.username, role=user.role, active=user.active)


@users_router.get("", response_model=list[UserOut])
def list_users(session: SessionDep) -> list[UserOut]:
    """All web users (admin only)."""
    return [UserOut(id=u.id, username=u.username, role=u.role, active=u.active) for u in user_service.list_all(session=session)]


router.include_router(me_router)
router.include_router(users_router)
