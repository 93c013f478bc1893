"""The reviewer queue: messages waiting for a person, oldest and most valuable first."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_core.adapters import orm

NEEDS_REVIEW = "needs_review"
PAGE_SIZE = 50
REASON_CODES = (
    "unknown_customer", "unknown_sku", "price_mismatch", "pack_size", "duplicate_po",
    "past_delivery_date", "total_mismatch", "unreadable", "prompt_injection", "low_confidence",
    "credit_limit", "short_lead_time", "unknown_ship_to", "out_of_stock",
)


@dataclass(frozen=True)
class QueueFilters:
    customer: str | None = None
    reason: str | None = None
    format: str | None = None
    sort: str = "age"  # "age": oldest first, then value; "value": highest value first, then age
    page: int = 1

    def query_string(self, **changes) -> str:
        """The filters as a URL query (for links that keep them)."""
        from urllib.parse import urlencode

        values = {"customer": self.customer, "reason": self.reason, "format": self.format, "sort": self.sort,
                  "page": self.page}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "", 1) or k == "sort"})


@dataclass(frozen=True)
class QueueItem:
    message_key: str
    customer_id: str | None
    customer_name: str | None
    po_number: str | None
    sender: str | None
    subject: str | None
    format: str | None
    value: Decimal | None
    currency: str | None
    review_reasons: list[str]
    created_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    filters: QueueFilters
    customers: list[tuple[str, str]] = field(default_factory=list)  # (id, name) seen in the queue
    formats: list[str] = field(default_factory=list)
    reasons: tuple[str, ...] = REASON_CODES

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _where(filters: QueueFilters) -> list:
    t = orm.processed_messages
    clauses = [t.c.status == NEEDS_REVIEW]
    if filters.customer:
        clauses.append(t.c.customer_id == filters.customer)
    if filters.format:
        clauses.append(t.c.format == filters.format)
    if filters.reason:
        # JSON list stored as text on SQLite, json on PostgreSQL: both print codes in quotes.
        clauses.append(sa.cast(t.c.review_reasons, sa.Text).like(f'%"{filters.reason}"%'))
    return clauses


def _order_by(sort: str) -> list:
    t = orm.processed_messages
    if sort == "value":
        return [t.c.value.desc().nulls_last(), t.c.created_at.asc(), t.c.message_key]
    return [t.c.created_at.asc(), t.c.value.desc().nulls_last(), t.c.message_key]


FACETS_SECONDS = 30.0


def _facets(session: Session) -> tuple[list[tuple[str, str]], list[str]]:
    t, c = orm.processed_messages, orm.customers
    base = sa.select(t.c.customer_id, c.c.name).select_from(
        t.outerjoin(c, c.c.customer_id == t.c.customer_id)).where(t.c.status == NEEDS_REVIEW, t.c.customer_id.is_not(None))
    customers = sorted({(r[0], r[1] or r[0]) for r in session.execute(base.distinct())}, key=lambda x: x[1].lower())
    formats = sorted(f for f in session.execute(
        sa.select(t.c.format).where(t.c.status == NEEDS_REVIEW, t.c.format.is_not(None)).distinct()).scalars())
    return customers, formats


def review_queue(*, session: Session, filters: QueueFilters, page_size: int = PAGE_SIZE,
                 facet_cache: dict | None = None) -> QueuePage:
    """One page of the queue with the filter choices that exist in it.

    The choices (customers and formats waiting) change slowly; with a `facet_cache` dict they are
    recomputed at most every FACETS_SECONDS.
    """
    import time
    t, c = orm.processed_messages, orm.customers
    where = _where(filters)
    total = session.execute(sa.select(sa.func.count()).select_from(t).where(*where)).scalar_one()
    offset = max(0, filters.page - 1) * page_size
    # Keys first: the sort then only carries small rows, never the JSON columns.
    keys = list(session.execute(
        sa.select(t.c.message_key).where(*where).order_by(*_order_by(filters.sort)).limit(page_size).offset(offset)
    ).scalars())
    o = orm.orders
    rows = {r.message_key: r for r in session.execute(
        sa.select(
            t.c.message_key, t.c.customer_id, c.c.name.label("customer_name"), t.c.po_number, t.c.sender,
            t.c.subject, t.c.format, t.c.value, t.c.review_reasons, t.c.created_at, t.c.claimed_by,
            t.c.claimed_at, o.c.currency,
        )
        .select_from(t.outerjoin(c, c.c.customer_id == t.c.customer_id).outerjoin(o, o.c.order_id == t.c.order_id))
        .where(t.c.message_key.in_(keys))
    )} if keys else {}
    items = [
        QueueItem(
            message_key=r.message_key, customer_id=r.customer_id, customer_name=r.customer_name,
            po_number=r.po_number, sender=r.sender, subject=r.subject, format=r.format, value=r.value,
            currency=r.currency, review_reasons=list(r.review_reasons or []), created_at=r.created_at,
            claimed_by=r.claimed_by, claimed_at=r.claimed_at,
        )
        for r in (rows[k] for k in keys if k in rows)
    ]
    now = time.monotonic()
    if facet_cache is not None and facet_cache.get("until", 0) > now:
        customers, formats = facet_cache["value"]
    else:
        customers, formats = _facets(session)
        if facet_cache is not None:
            facet_cache.update(value=(customers, formats), until=now + FACETS_SECONDS)
    return QueuePage(items=items, total=total, filters=filters, customers=customers, formats=formats)


def neighbours(*, session: Session, message_key: str, filters: QueueFilters | None = None) -> tuple[str | None, str | None]:
    """The previous and next message keys in queue order (for j/k on the review page)."""
    filters = filters or QueueFilters()
    t = orm.processed_messages
    row = session.execute(sa.select(t.c.created_at, t.c.value).where(t.c.message_key == message_key)).first()
    if row is None:
        return None, None
    where = _where(filters)
    created = row.created_at
    # age order: (created_at, message_key); neighbours by that key keep this a cheap index walk
    position = sa.tuple_(t.c.created_at, t.c.message_key)
    after = position > sa.tuple_(sa.literal(created, t.c.created_at.type), sa.literal(message_key))
    before = position < sa.tuple_(sa.literal(created, t.c.created_at.type), sa.literal(message_key))
    nxt = session.execute(sa.select(t.c.message_key).where(*where, after)
                          .order_by(t.c.created_at.asc(), t.c.message_key.asc()).limit(1)).scalar()
    prev = session.execute(sa.select(t.c.message_key).where(*where, before)
                           .order_by(t.c.created_at.desc(), t.c.message_key.desc()).limit(1)).scalar()
    return prev, nxt
