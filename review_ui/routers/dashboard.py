"""The dashboard everyone sees first: volumes, touchless rate, review time, reasons, LLM cost."""
from __future__ import annotations

from fastapi import APIRouter, Request

from review_ui.deps import guarded
from review_ui.roles import EVERYONE
from review_ui.templating import render

router = APIRouter(tags=["dashboard"], dependencies=guarded(EVERYONE), include_in_schema=False)


@router.get("/")
def dashboard(request: Request):
    return render(request, "dashboard.html", {"stats": None})
