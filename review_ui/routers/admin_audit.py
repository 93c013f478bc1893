"""Admin: the audit log (every person's and the system's decisions, newest first)."""
from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request

from oms_core.adapters import orm
from review_ui.deps import SessionDep, guarded
from review_ui.roles import ADMINS
from review_ui.templating import render

router = APIRouter(prefix="/admin/audit", tags=["audit"], dependencies=guarded(ADMINS), include_in_schema=False)
PAGE_SIZE = 100


def audit_entries(session, *, actor: str | None = None, action: str | None = None, before: int | None = None,
                  limit: int = PAGE_SIZE) -> list:
    """Newest audit entries first, keyset-paged by id."""
    t = orm.audit_log
    query = sa.select(t).order_by(t.c.id.desc()).limit(limit)
    if actor:
        query = query.where(t.c.actor == actor)
    if action:
        query = query.where(t.c.action == action)
    if before:
        query = query.where(t.c.id < before)
    return list(session.execute(query))


@router.get("")
def audit_page(request: Request, session: SessionDep, actor: str | None = None, action: str | None = None,
               before: int | None = None):
    entries = audit_entries(session, actor=actor or None, action=action or None, before=before)
    actions = list(session.execute(sa.select(orm.audit_log.c.action).distinct().order_by(orm.audit_log.c.action)).scalars())
    return render(request, "admin/audit.html", {"entries": entries, "actor": actor or "", "action": action or "",
                                                "actions": actions, "page_size": PAGE_SIZE})
