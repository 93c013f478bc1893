"""One router per feature; each declares its roles once (see deps.guarded)."""
from __future__ import annotations

from review_ui.routers import admin_users, api, api_docs, auth, dashboard

ROUTERS = [
    auth.router,
    dashboard.router,
    admin_users.router,
    api_docs.router,
    api.router,
]
