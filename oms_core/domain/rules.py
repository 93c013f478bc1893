"""Validation rules, pure: an order draft + facts from master data -> results with reason codes.

Each rule returns RuleResults (code, severity, English and German message, line, data).
Severity: "error" sends the order to review, "warning" is shown to the reviewer, "info" is a note.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from oms_core.domain.model import Customer, Product
from oms_core.domain.rulebook import THRESHOLD_KEYS

ERROR, WARNING, INFO = "error", "warning", "info"
CODES = ("unknown_customer", "unknown_sku", "price_mismatch", "pack_size", "duplicate_po", "past_delivery_date",
         "total_mismatch", "unreadable", "prompt_injection", "low_confidence", "credit_limit", "short_lead_time",
         "unknown_ship_to", "out_of_stock")


@dataclass(frozen=True)
class DraftLine:
    line_no: int
    sku: str | None
    qty: Decimal | None
    uom: str | None = None
    qty_base: Decimal | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    customer_sku: str | None = None
    description: str | None = None
    match_score: float | None = None  # how sure the article match is (0..1)


@dataclass(frozen=True)
class OrderDraft:
    """A matched order before booking: what validation checks."""

    customer_id: str | None
    po_number: str | None
    order_date: date | None
    requested_delivery_date: date | None
    ship_to_id: str | None
    currency: str | None
    lines: tuple[DraftLine, ...]
    order_total: Decimal | None = None
    message_key: str | None = None
    kind: str = "order"  # "change" skips the duplicate-PO rule (a change names an existing PO)
    confidence: dict = field(default_factory=dict)  # field -> 0..1 from extraction
    customer_match_score: float | None = None
    today: date | None = None


@dataclass(frozen=True)
class RuleResult:
    code: str
    severity: str
    message_en: str
    message_de: str
    line_no: int | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ValidationReport:
    results: list[RuleResult]
    thresholds: dict  # the customer's effective auto-accept thresholds
    versions: dict = field(default_factory=dict)  # rule-set versions used

    @property
    def codes(self) -> list[str]:
        return sorted({r.code for r in self.results})

    @property
    def review_reasons(self) -> list[str]:
        """Codes of errors: each one alone sends the order to review."""
        return sorted({r.code for r in self.results if r.severity == ERROR})

    @property
    def has_errors(self) -> bool:
        return any(r.severity == ERROR for r in self.results)

    def auto_accept_allowed(self, order_value: Decimal) -> bool:
        """No errors, the customer allows auto-accept, and the value is within the limit."""
        limit = self.thresholds.get("auto_accept_max_order_value")
        return (not self.has_errors and bool(self.thresholds.get("auto_accept"))
                and (limit is None or order_value <= limit))


@dataclass(frozen=True)
class RuleFacts:
    """What the rules need from master data and open orders (gathered by the service layer)."""

    rules: dict
    customer: Customer | None
    ship_to_known: bool
    products: dict[str, Product]
    expected_prices: dict[int, Decimal | None]  # line_no -> price per ordered unit
    below_moq: dict[int, Decimal]  # line_no -> the minimum quantity the line does not reach
    base_qty: dict[int, Decimal]  # line_no -> quantity in base units
    atp: dict[int, Decimal]  # line_no -> available to promise (base units)
    duplicate_order_ids: tuple[str, ...] = ()
    open_value: Decimal = Decimal(0)


def _r(code, severity, en, de, line_no=None, **data) -> RuleResult:
    return RuleResult(code, severity, en, de, line_no, data)


def check_customer(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    if f.customer is None:
        return [_r("unknown_customer", ERROR, "The customer could not be identified.",
                   "Der Kunde konnte nicht ermittelt werden.", customer_id=d.customer_id)]
    if d.ship_to_id and not f.ship_to_known:
        return [_r("unknown_ship_to", ERROR, f"Ship-to address {d.ship_to_id} is not known for this customer.",
                   f"Die Lieferadresse {d.ship_to_id} ist für diesen Kunden nicht bekannt.", ship_to_id=d.ship_to_id)]
    return []


def check_articles(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    out = []
    for line in d.lines:
        product = f.products.get(line.sku or "")
        if product is None or not product.active:
            out.append(_r("unknown_sku", ERROR, f"Line {line.line_no}: article {line.sku or line.customer_sku!r} "
                          "is unknown or inactive.", f"Position {line.line_no}: Artikel "
                          f"{line.sku or line.customer_sku!r} ist unbekannt oder inaktiv.", line.line_no,
                          sku=line.sku, customer_sku=line.customer_sku))
    return out


def check_prices(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    tolerance = f.rules["price_tolerance_pct"]
    out = []
    for line in d.lines:
        expected = f.expected_prices.get(line.line_no)
        if line.unit_price is None or expected is None:
            continue
        pct = (abs(line.unit_price - expected) / expected * 100) if expected else (
            Decimal(0) if line.unit_price == 0 else Decimal(100))
        if pct > tolerance:
            out.append(_r("price_mismatch", ERROR, f"Line {line.line_no}: PO price {line.unit_price} differs from "
                          f"the contract price {expected} by {pct:.1f}% (tolerance {tolerance}%).",
                          f"Position {line.line_no}: Bestellpreis {line.unit_price} weicht vom Vertragspreis "
                          f"{expected} um {pct:.1f}% ab (Toleranz {tolerance}%).", line.line_no,
                          expected=expected, got=line.unit_price, pct=round(pct, 2)))
    return out


def check_pack_sizes(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    if not f.rules["check_pack_size"]:
        return []
    out = []
    for line in d.lines:
        product, qty = f.products.get(line.sku or ""), f.base_qty.get(line.line_no)
        if product is None or qty is None:
            continue
        if product.pack_size and qty % product.pack_size != 0:
            out.append(_r("pack_size", ERROR, f"Line {line.line_no}: {qty} is not a multiple of the pack size "
                          f"{product.pack_size}.", f"Position {line.line_no}: {qty} ist kein Vielfaches der "
                          f"Verpackungseinheit {product.pack_size}.", line.line_no, qty=qty,
                          pack_size=product.pack_size))
        if line.line_no in f.below_moq:
            moq = f.below_moq[line.line_no]
            out.append(_r("pack_size", ERROR, f"Line {line.line_no}: {qty} is below the minimum order quantity "
                          f"{moq}.", f"Position {line.line_no}: {qty} liegt unter der Mindestbestellmenge {moq}.",
                          line.line_no, qty=qty, min_qty=moq))
    return out


def check_duplicate(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    if d.kind == "change" or not f.duplicate_order_ids:
        return []
    return [_r("duplicate_po", ERROR, f"PO {d.po_number} was already booked ({', '.join(f.duplicate_order_ids)}).",
               f"Bestellung {d.po_number} wurde bereits erfasst ({', '.join(f.duplicate_order_ids)}).",
               order_ids=list(f.duplicate_order_ids))]


def check_dates(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    wanted = d.requested_delivery_date
    ordered = d.order_date or d.today
    if wanted is None or ordered is None:
        return []
    if wanted < ordered:
        return [_r("past_delivery_date", ERROR, f"Requested delivery {wanted} is before the order date {ordered}.",
                   f"Der Liefertermin {wanted} liegt vor dem Bestelldatum {ordered}.", wanted=wanted, ordered=ordered)]
    lead = int(f.rules["lead_time_days"])
    if wanted < ordered + timedelta(days=lead):
        return [_r("short_lead_time", WARNING, f"Requested delivery {wanted} is sooner than our lead time of "
                   f"{lead} days.", f"Der Liefertermin {wanted} ist kürzer als unsere Lieferzeit von {lead} Tagen.",
                   wanted=wanted, lead_time_days=lead)]
    return []


def check_arithmetic(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    tolerance = f.rules["total_rounding_tolerance"]
    out, total = [], Decimal(0)
    for line in d.lines:
        computed = line.qty * line.unit_price if line.qty is not None and line.unit_price is not None else None
        if computed is not None and line.line_total is not None and abs(computed - line.line_total) > tolerance:
            out.append(_r("total_mismatch", ERROR, f"Line {line.line_no}: {line.qty} x {line.unit_price} = "
                          f"{computed:.2f}, not {line.line_total}.", f"Position {line.line_no}: {line.qty} x "
                          f"{line.unit_price} = {computed:.2f}, nicht {line.line_total}.", line.line_no,
                          computed=computed, printed=line.line_total))
        total += line.line_total if line.line_total is not None else (computed or 0)
    if d.order_total is not None and d.lines and abs(total - d.order_total) > tolerance:
        out.append(_r("total_mismatch", ERROR, f"The lines add up to {total:.2f}, the order says {d.order_total}.",
                      f"Die Positionen ergeben {total:.2f}, die Bestellung nennt {d.order_total}.",
                      computed=total, printed=d.order_total))
    return out


def check_credit(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    limit = f.customer.credit_limit if f.customer else None
    if not f.rules["credit_check"] or limit is None:
        return []
    value = draft_value(d)
    if f.open_value + value > limit:
        return [_r("credit_limit", ERROR, f"Open orders {f.open_value:.2f} plus this order {value:.2f} exceed the "
                   f"credit limit {limit:.2f}.", f"Offene Aufträge {f.open_value:.2f} plus dieser Auftrag "
                   f"{value:.2f} überschreiten das Kreditlimit {limit:.2f}.", open_value=f.open_value,
                   order_value=value, credit_limit=limit)]
    return []


def check_stock(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    out = []
    for line in d.lines:
        need, atp = f.base_qty.get(line.line_no), f.atp.get(line.line_no)
        if need is not None and atp is not None and atp < need:
            out.append(_r("out_of_stock", INFO, f"Line {line.line_no}: {atp} available of {need}; the rest "
                          "will be backordered.", f"Position {line.line_no}: {atp} von {need} verfügbar; der "
                          "Rest wird nachgeliefert.", line.line_no, atp=atp, qty=need))
    return out


def check_confidence(d: OrderDraft, f: RuleFacts) -> list[RuleResult]:
    min_field, min_match = f.rules["min_field_confidence"], f.rules["min_match_score"]
    weak = sorted(k for k, v in d.confidence.items() if v is not None and v < min_field)
    weak += [f"line {l.line_no} match" for l in d.lines if l.match_score is not None and l.match_score < min_match]
    if d.customer_match_score is not None and d.customer_match_score < min_match:
        weak.append("customer match")
    if not weak:
        return []
    return [_r("low_confidence", ERROR, f"Read or matched with low confidence: {', '.join(weak)}.",
               f"Mit geringer Sicherheit gelesen oder zugeordnet: {', '.join(weak)}.", fields=weak)]


RULES = (check_customer, check_articles, check_prices, check_pack_sizes, check_duplicate, check_dates,
         check_arithmetic, check_credit, check_stock, check_confidence)


def draft_value(d: OrderDraft) -> Decimal:
    """The order's value: printed total, else the sum of line totals / qty x price."""
    if d.order_total is not None:
        return d.order_total
    return sum((l.line_total if l.line_total is not None else
                (l.qty * l.unit_price if l.qty is not None and l.unit_price is not None else Decimal(0))
                for l in d.lines), Decimal(0))


def evaluate(draft: OrderDraft, facts: RuleFacts) -> ValidationReport:
    """Run every rule; thresholds are the customer's effective auto-accept settings."""
    results = [result for rule in RULES for result in rule(draft, facts)]
    return ValidationReport(results, {k: facts.rules[k] for k in THRESHOLD_KEYS})
