"""Roles and which role may use which part of the app (the role matrix, enforced per router)."""
from __future__ import annotations

REVIEWER = "reviewer"  # works the review queue
SALES = "sales"  # follows orders and confirmations for customers
ADMIN = "admin"  # rules, master data, users, audit; may do everything

ROLES = (REVIEWER, SALES, ADMIN)

# Feature -> roles allowed. Admin is always included.
EVERYONE = (REVIEWER, SALES, ADMIN)
REVIEWERS = (REVIEWER, ADMIN)
SALES_REPS = (SALES, ADMIN)
ADMINS = (ADMIN,)
