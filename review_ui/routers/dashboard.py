"""The dashboard everyone sees first: volumes, touchless rate, review time, reasons, LLM cost."""
from __future__ import annotations

from fastapi import APIRouter, Request

from review_ui.deps import SessionDep, guarded
from review_ui.roles import EVERYONE
from review_ui.templating import render
from review_ui.views.dashboard import dashboard as dashboard_figures

router = APIRouter(tags=["dashboard"], dependencies=guarded(EVERYONE), include_in_schema=False)


@router.get("/")
def dashboard(request: Request, session: SessionDep, days: int = 30):
    days = max(1, min(days, 365))
    return render(request, "dashboard.html", {"d": dashboard_figures(session=session, days=days)})
