"""Column types that behave the same on SQLite and PostgreSQL (UTC datetimes, JSON with Decimals)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

Money = sa.Numeric(18, 4)
Quantity = sa.Numeric(18, 4)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetimes stored in UTC; naive values are refused (they are bugs)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use timezone-aware UTC times")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def jsonable(value):
    """Decimals become strings, dates ISO strings, tuples lists: safe for any JSON column."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


class Json(TypeDecorator):
    """JSON that accepts Decimals and dates (stored as strings)."""

    impl = sa.JSON(none_as_null=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        # one C-level round trip through json is much cheaper than walking the value in Python
        return None if value is None else json.loads(json.dumps(value, default=_json_default))


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
