"""One router per feature; each declares its roles once (see deps.guarded)."""
from __future__ import annotations

from review_ui.routers import (admin_audit, admin_master, admin_rules, admin_users, api, api_docs, auth,
                               confirmations, dashboard, orders, queue, review)

ROUTERS = [
    auth.router,
    dashboard.router,
    queue.router,
    review.router,
    orders.router,
    confirmations.router,
    admin_rules.router,
    admin_master.router,
    admin_users.router,
    admin_audit.router,
    api_docs.router,
    api.router,
]
