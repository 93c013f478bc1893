"""Order events (an order's history) and the audit log (everything else people and rules did)."""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.adapters.deferred import defer_insert
from oms_core.domain.model import OrderEvent, utcnow


class SqlEventRepository:
    def __init__(self, session):
        self.session = session
        self.pending: list[dict] = []

    def add(self, event: OrderEvent) -> None:
        """Append one order event (its time defaults to now, UTC); written in one batch at flush."""
        event.at = event.at or utcnow()
        self.pending.append({
            "order_id": event.order_id, "type": event.type, "actor": event.actor,
            "reasons": list(event.reasons), "detail": event.detail, "versions": event.versions,
            "at": event.at})

    def flush(self) -> None:
        """Write buffered events (the unit of work calls this before commit): one multi-row INSERT."""
        if self.pending:
            rows, self.pending = self.pending, []
            defer_insert(self.session, orm.order_events, rows)

    def for_order(self, order_id: str) -> list[OrderEvent]:
        """An order's events, oldest first."""
        self.flush()
        rows = self.session.execute(
            sa.select(orm.order_events).where(orm.order_events.c.order_id == order_id)
            .order_by(orm.order_events.c.id)).mappings().all()
        return [OrderEvent(order_id=r["order_id"], type=r["type"], actor=r["actor"],
                           reasons=tuple(r["reasons"] or ()), detail=r["detail"] or {},
                           versions=r["versions"] or {}, at=r["at"], id=r["id"]) for r in rows]

    def audit(self, actor: str, action: str, target: str | None, detail: dict | None = None, at=None) -> None:
        """Append one audit-log entry (rule changes, cross references, reviews, imports)."""
        self.session.execute(orm.audit_log.insert(), [{
            "actor": actor, "action": action, "target": target, "detail": detail or {},
            "at": at or utcnow()}])

    def audit_log(self, limit: int = 100, action: str | None = None, target: str | None = None) -> list[dict]:
        """Newest audit entries first, as dicts."""
        query = sa.select(orm.audit_log).order_by(orm.audit_log.c.id.desc()).limit(limit)
        if action:
            query = query.where(orm.audit_log.c.action == action)
        if target:
            query = query.where(orm.audit_log.c.target == target)
        return [dict(r) for r in self.session.execute(query).mappings().all()]
