"""Versioned rule sets (global defaults and per-customer overrides)."""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.domain.model import RuleSet, utcnow


def _ruleset(r) -> RuleSet:
    return RuleSet(r["customer_id"], r["version"], r["rules"] or {}, r["actor"], r["why"], r["created_at"])


class SqlRuleRepository:
    def __init__(self, session):
        self.session = session
        self._latest: dict = {}  # per unit of work

    def _where(self, customer_id):
        c = orm.rule_versions.c.customer_id
        return c.is_(None) if customer_id is None else c == customer_id

    def latest(self, customer_id: str | None) -> RuleSet | None:
        """The newest version for the customer (None = the global rule set)."""
        if customer_id not in self._latest:
            row = self.session.execute(sa.select(orm.rule_versions).where(self._where(customer_id))
                                       .order_by(orm.rule_versions.c.version.desc()).limit(1)).mappings().first()
            self._latest[customer_id] = _ruleset(row) if row else None
        return self._latest[customer_id]

    def history(self, customer_id: str | None) -> list[RuleSet]:
        """Every version, newest first."""
        rows = self.session.execute(sa.select(orm.rule_versions).where(self._where(customer_id))
                                    .order_by(orm.rule_versions.c.version.desc())).mappings()
        return [_ruleset(r) for r in rows]

    def customers_with_rules(self) -> list[str]:
        c = orm.rule_versions.c.customer_id
        return list(self.session.execute(sa.select(c).where(c.is_not(None)).distinct().order_by(c)).scalars())

    def add(self, ruleset: RuleSet) -> None:
        self._latest.pop(ruleset.customer_id, None)
        ruleset.created_at = ruleset.created_at or utcnow()
        self.session.execute(orm.rule_versions.insert(), [{
            "customer_id": ruleset.customer_id, "version": ruleset.version, "rules": ruleset.rules,
            "actor": ruleset.actor, "why": ruleset.why, "created_at": ruleset.created_at}])
