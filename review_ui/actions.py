"""The few writes the web app makes, each handed to its owner: core handlers or the agents' graph.

Kept in one place so the routers stay thin and the calls into other rooms are easy to find.
Core handlers open and commit their own transaction (`with uow: ... uow.commit()`).
"""
from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class ClaimedByOther(Exception):
    """Another reviewer holds this item."""


class ActionFailed(Exception):
    """A write was refused by its owner (message is safe to show)."""


def claim(context: Any, message_key: str, username: str) -> None:
    """Claim a review item for this user (raises ClaimedByOther)."""
    from oms_core.domain.errors import ReviewClaimed
    from oms_core.service_layer.handlers import claim_review

    try:
        claim_review(message_key, username, context.uow_factory())
    except ReviewClaimed as exc:
        raise ClaimedByOther(str(exc)) from None


def release(context: Any, message_key: str, username: str) -> None:
    """Give a claimed item back to the queue."""
    from oms_core.service_layer.handlers import release_review

    release_review(message_key, username, context.uow_factory())


def decide(context: Any, message_key: str, payload: dict) -> dict:
    """Resume the message's workflow with the reviewer's decision (approve/reject + corrections)."""
    from agents.review import resume_review

    return resume_review(context, message_key, payload)


def update_rules(context: Any, *, customer_id: str | None, changes: dict, actor: str, why: str):
    """Store a new version of a rule set (who, when, why are kept by the core)."""
    from oms_core.domain.commands import UpdateRuleSet
    from oms_core.domain.errors import OmsError
    from oms_core.service_layer.handlers import update_rule_set

    try:
        return update_rule_set(UpdateRuleSet(customer_id=customer_id, changes=changes, actor=actor, why=why),
                               context.uow_factory())
    except OmsError as exc:
        raise ActionFailed(str(exc)) from None


def rules_view(context: Any, customer_id: str | None) -> dict:
    """Effective rules, overrides, history and schema for the admin page."""
    from oms_core.service_layer.handlers import rule_set_view

    return rule_set_view(context.uow_factory(), customer_id)


def audit(context: Any, *, actor: str, action: str, target: str, detail: dict | None = None) -> None:
    """Append an entry to the core audit log."""
    uow = context.uow_factory()
    with uow:
        uow.events.audit(actor, action, target, detail or {})
        uow.commit()
