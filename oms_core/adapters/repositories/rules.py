"""Versioned rule sets (global defaults and per-customer overrides)."""
from __future__ import annotations

import sqlalchemy as sa

from oms_core.adapters import orm
from oms_core.domain.model import RuleSet, utcnow


def _newest(where):
    r = orm.rule_versions
    return sa.select(sa.select(r).where(where).order_by(r.c.version.desc()).limit(1).subquery())


# Built once (they are on the booking path): the newest global version, and it with a customer's.
_GLOBAL = _newest(orm.rule_versions.c.customer_id.is_(None))
_GLOBAL_AND_CUSTOMER = sa.union_all(_GLOBAL, _newest(orm.rule_versions.c.customer_id == sa.bindparam("customer_id")))


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
        self._load([customer_id])
        return self._latest[customer_id]

    def latest_pair(self, customer_id: str | None) -> tuple[RuleSet | None, RuleSet | None]:
        """The newest global rule set and the customer's (None without a customer), in one query."""
        self._load([None, customer_id] if customer_id else [None])
        return self._latest[None], self._latest[customer_id] if customer_id else None

    def _load(self, customer_ids: list[str | None]) -> None:
        missing = [c for c in customer_ids if c not in self._latest]
        if not missing:
            return
        if missing == [None]:
            rows = self.session.execute(_GLOBAL).mappings().all()
        else:
            customer = next(c for c in missing if c is not None)
            rows = self.session.execute(_GLOBAL_AND_CUSTOMER, {"customer_id": customer}).mappings().all()
        for c in {None, *missing}:
            self._latest.setdefault(c, next((_ruleset(row) for row in rows if row["customer_id"] == c), None))

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
