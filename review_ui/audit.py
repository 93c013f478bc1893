"""Write people's actions in the web app to the core audit log."""
from __future__ import annotations

import logging

from fastapi import Request

log = logging.getLogger("review_ui.audit")


def record(request: Request, *, actor: str, action: str, target: str, detail: dict | None = None) -> None:
    """Append one audit entry (actor, action, target, detail) to the core's audit_log."""
    from review_ui.actions import audit

    log.info("audit %s %s %s", actor, action, target)
    try:
        audit(request.app.state.context, actor=actor, action=action, target=target, detail=detail)
    except ImportError:  # the core room is not installed: the log line above is all we have
        log.warning("core audit log unavailable; kept in the application log only")
