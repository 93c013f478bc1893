"""Column types that behave the same on SQLite and PostgreSQL (exact decimals, UTC datetimes, JSON)."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class InexactDecimal(ValueError):
    """A value cannot be stored in an exact decimal column without losing digits (or is not a number)."""


class ExactDecimal(TypeDecorator):
    """Decimals stored exactly: NUMERIC(precision, scale) on PostgreSQL, a scaled BIGINT on SQLite.

    SQLite has no decimal type (NUMERIC columns hold floats), so there the column holds
    value x 10^scale as an integer: sums, differences and comparisons between such columns
    stay exact in SQL, and reading them back (through this type) divides by 10^scale.
    Binds and results are Decimals quantized to `scale`. A value with more digits is refused
    (InexactDecimal) unless the column says how to round (`rounding`, e.g. ROUND_HALF_EVEN for
    estimates such as LLM cost); floats are refused, they are never exact.
    Only + and - keep the scale: multiply or divide such columns in Python, not in SQL.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 4, rounding: str | None = None):
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision, self.scale, self.rounding = precision, scale, rounding
        self.quantum = Decimal(1).scaleb(-scale)
        self.limit = Decimal(10) ** (precision - scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=True))

    def coerce_compared_value(self, op, value):
        return self  # literals in `reserved + :q`, `on_hand >= :x` are scaled like the column

    def exact(self, value) -> Decimal:
        """The value as a Decimal with exactly `scale` places, or InexactDecimal."""
        if isinstance(value, float) or isinstance(value, bool):
            raise InexactDecimal(f"{value!r} is a {type(value).__name__}; exact columns take Decimal or int")
        try:
            number = value if isinstance(value, Decimal) else Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
            quantized = number.quantize(self.quantum, rounding=self.rounding or ROUND_HALF_EVEN)
        except (InvalidOperation, TypeError, ValueError):
            raise InexactDecimal(f"{value!r} is not a finite decimal number") from None
        if self.rounding is None and quantized != number:
            raise InexactDecimal(f"{value} has more than {self.scale} decimal places; round it first")
        if abs(quantized) >= self.limit:
            raise InexactDecimal(f"{value} does not fit NUMERIC({self.precision},{self.scale})")
        return quantized

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = self.exact(value)
        return int(value.scaleb(self.scale)) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            if isinstance(value, float):  # SQL arithmetic with a REAL (never from our binds)
                if not value.is_integer():
                    raise InexactDecimal(f"scaled integer column returned the float {value!r}")
                value = int(value)
            return Decimal(int(value)).scaleb(-self.scale).quantize(self.quantum)
        return Decimal(value).quantize(self.quantum)


Money = ExactDecimal(18, 4)
Quantity = ExactDecimal(18, 4)
Estimate = ExactDecimal(18, 4, rounding=ROUND_HALF_EVEN)  # figures the domain rounds: LLM cost, queue value
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


def json_text(value) -> str:
    """The JSON text of a value (Decimals and dates as strings), as the Json column would store it."""
    return json.dumps(value, default=_json_default)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
