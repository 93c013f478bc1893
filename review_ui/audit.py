"""Write people's actions in the web app to the core audit log."""
from __future__ import annotations

import logging

from fastapi import Request

log = logging.getLogger("review_ui.audit")


def record(request: Request, *, actor: str, action: str, target: str, detail: dict | None = None) -> None:
    """Append one audit entry (actor, action, target, detail)."""
    log.info("audit %s %s %s %s", actor, action, target, detail or {})
