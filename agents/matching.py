"""Match an extracted order against master data: customer, ship-to, articles and units.

Every match carries a score (0..1) and its evidence, so `decide` can weigh it and the review UI
can show why. Identifiers are tried first (customer number, VAT id, sender domain; our SKU, the
customer's part number, GTIN), fuzzy text only after (rapidfuzz on names and descriptions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz import fuzz, utils

from agents import units
from agents.master import CustomerInfo, MasterView, ProductInfo

GENERIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com", "live.com", "gmx.de",
    "gmx.net", "web.de", "t-online.de", "icloud.com", "aol.com", "qq.com", "163.com", "126.com",
})


def norm_code(value: str | None) -> str:
    """Identifier spelling variants compare equal: upper case, no spaces, dots, dashes or slashes."""
    return re.sub(r"[\s.\-_/]+", "", (value or "").upper())


def norm_vat(value: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].strip().strip(">").lower()


@dataclass
class Match:
    """One matched value: what, how sure, why, and the runners-up."""

    value: str | None
    score: float
    method: str
    evidence: list[str] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)
    code: str | None = None  # the printed code that matched, when an identifier did

    def as_dict(self) -> dict:
        return {"value": self.value, "score": round(self.score, 4), "method": self.method,
                "evidence": list(self.evidence), "candidates": [[c, round(s, 4)] for c, s in self.candidates]}


# --------------------------------------------------------------------------- customer

def _domain_matches(domain: str, customer: CustomerInfo) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in customer.email_domains)


def match_customer(extracted: dict, meta: dict, master: MasterView) -> Match:
    """Customer by customer number, VAT id, sender domain, then name + address."""
    buyer = extracted.get("buyer") or {}
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}

    def add(cid: str, score: float, why: str) -> None:
        # Independent signals for the same customer reinforce each other.
        prev = scores.get(cid, 0.0)
        scores[cid] = 1 - (1 - prev) * (1 - score)
        evidence.setdefault(cid, []).append(why)

    number = norm_code(buyer.get("customer_number"))
    if number:
        for cid in master.customers:
            if norm_code(cid) == number:
                add(cid, 0.97, f"customer number {buyer.get('customer_number')!r} printed")
    vat = norm_vat(buyer.get("vat_id"))
    if vat:
        for cid, c in master.customers.items():
            if c.vat_id and norm_vat(c.vat_id) == vat:
                add(cid, 0.97, f"VAT id {buyer.get('vat_id')!r}")
    own = set(master.own_domains)
    for label, address in (("sender", meta.get("sender")), ("buyer e-mail", buyer.get("email")),
                           ("forwarded from", meta.get("original_sender")), ("reply-to", meta.get("reply_to"))):
        domain = domain_of(address)
        if not domain or domain in GENERIC_DOMAINS or domain in own:
            continue
        for cid, c in master.customers.items():
            if _domain_matches(domain, c):
                add(cid, 0.9, f"{label} domain {domain}")
    name = buyer.get("name") or (extracted.get("bill_to") or {}).get("name")
    addresses = [a for a in (extracted.get("bill_to"), extracted.get("ship_to")) if a]
    if name or addresses:
        for cid, c in master.customers.items():
            name_score = fuzz.token_set_ratio(name, c.name, processor=utils.default_process) / 100 if name else 0
            postal = any(a.get("postal_code") and str(a.get("postal_code")).replace(" ", "") ==
                         p.replace(" ", "") for a in addresses
                         for p in [c.postal_code, *(s.postal_code for s in c.ship_tos)] if p)
            if name_score >= 0.9 and postal:
                add(cid, 0.9, f"name {name!r} and postal code")
            elif name_score >= 0.92:
                add(cid, 0.75, f"name {name!r} ~ {c.name!r}")
            elif postal and name_score >= 0.6:
                add(cid, 0.6, f"postal code and similar name {name!r}")
    if not scores:
        return Match(None, 0.0, "none", ["no customer number, VAT id, known domain or name found"])
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, best_score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= best_score - 0.05:
        # Two customers equally likely: keep the best but make the doubt visible.
        best_score = min(best_score, 0.6)
        evidence[best].append(f"ambiguous with {ranked[1][0]}")
    return Match(best, best_score, "customer", evidence[best], ranked[1:4])


# --------------------------------------------------------------------------- ship-to

DELIVERY_LABELS = re.compile(
    r"deliver|ship\s*to|liefer|versand|warenempf|livr|adresse de livraison|aflever|leveradres|送货|收货|交货|destinat",
    re.IGNORECASE)


def _squash(text: str | None) -> str:
    return re.sub(r"[^0-9a-z\u00c0-\u024f\u4e00-\u9fff]+", "", utils.default_process(text or ""))


def _addr_tokens(text: str | None) -> str:
    """Address text as a token chain: digit runs, letter runs and single CJK characters.

    "Industriestr. 5, 70469" and "Industriestr 5 70469" give the same chain, and street
    number 1 never matches inside 12.
    """
    tokens = re.findall(r"[0-9]+|[a-z\u00c0-\u024f]+|[\u4e00-\u9fff]", utils.default_process(text or ""))
    return "\x1f" + "\x1f".join(tokens) + "\x1f"


def _contains_street(haystack: str, street: str) -> bool:
    """The street (token chain) inside the text (token chain)."""
    return len(street) > 4 and street in haystack


def _house_number(street: str | None) -> str | None:
    found = re.findall(r"\d+\s*[a-z]?\b", (street or "").lower())
    return found[-1].replace(" ", "") if found else None


def _address_score(ship: dict, s) -> float:
    """0..1: how well a printed address fits one ship-to (postal code, street + number, city, name)."""
    blob = _squash(" ".join(str(ship.get(k) or "") for k in ("name", "street", "postal_code", "city")))
    chain = _addr_tokens(" ".join(str(ship.get(k) or "") for k in ("name", "street", "postal_code", "city")))
    score = 0.0
    if s.postal_code and _squash(s.postal_code) and _squash(s.postal_code) in blob:
        score += 0.35
    if s.street and _contains_street(chain, _addr_tokens(s.street)):
        score += 0.45
    elif ship.get("street") and s.street:
        same_number = _house_number(ship["street"]) == _house_number(s.street)
        score += 0.45 * fuzz.ratio(_squash(ship["street"]), _squash(s.street)) / 100 * (1.0 if same_number else 0.5)
    if s.city and _squash(s.city) and _squash(s.city) in blob:
        score += 0.1
    if ship.get("name") and s.name:
        score += 0.1 * fuzz.token_set_ratio(ship["name"], s.name, processor=utils.default_process) / 100
    return score


def ship_to_in_text(text: str, customer: CustomerInfo) -> Match | None:
    """A ship-to whose street and house number are printed in the message, near a delivery label."""
    if not text:
        return None
    squashed_lines = [(_addr_tokens(line), line) for line in text.splitlines()]
    found = []
    for s in customer.ship_tos:
        street = _addr_tokens(s.street)
        if len(street) < 7:
            continue
        hits = [i for i, (sq, _raw) in enumerate(squashed_lines) if _contains_street(sq, street)]
        if hits:
            # Letterheads and signatures repeat the billing address; a delivery label makes it a ship-to.
            near = any(DELIVERY_LABELS.search(" ".join(raw for _sq, raw in squashed_lines[max(0, i - 2):i + 1]))
                       for i in hits)
            found.append((s, near))
    if not found:
        return None
    labelled = [s for s, near in found if near]
    if len(labelled) == 1:
        return Match(labelled[0].ship_to_id, 0.9, "address in text", [f"{labelled[0].street} printed under a delivery label"])
    candidates = {s.ship_to_id: s for s, _ in found}
    if len(candidates) > 1:
        # The billing address is printed anyway (letterhead, signature); another one is the delivery.
        bill = _squash(customer.street)
        others = [s for s in candidates.values() if _squash(s.street) != bill]
        if len(others) == 1:
            return Match(others[0].ship_to_id, 0.85, "address in text", [f"{others[0].street} printed besides the billing address"])
        return None
    only = next(iter(candidates.values()))
    if _squash(only.street) == _squash(customer.street):
        return None  # the billing address in a letterhead or signature says nothing about delivery
    return Match(only.ship_to_id, 0.85, "address in text", [f"{only.street} printed in the message"])


def match_ship_to(extracted: dict, customer: CustomerInfo | None, text: str = "") -> Match:
    """The customer's ship-to by location id, printed address, address found in the text, or default."""
    if customer is None:
        return Match(None, 0.0, "none", ["no customer"])
    ship = extracted.get("ship_to") or {}
    options = list(customer.ship_tos)
    if not options:
        return Match(None, 0.5, "none", ["customer has no ship-to addresses"])
    loc = norm_code(ship.get("location_id"))
    if loc:
        for s in options:
            if norm_code(s.ship_to_id) == loc or norm_code(s.ship_to_id).endswith(loc) and len(loc) >= 2:
                return Match(s.ship_to_id, 1.0, "location id", [f"ship-to code {ship.get('location_id')!r}"])
    scored: list[tuple[str, float]] = []
    if any(ship.get(k) for k in ("street", "postal_code", "city", "name")):
        scored = sorted(((s.ship_to_id, _address_score(ship, s)) for s in options), key=lambda kv: -kv[1])
        best, score = scored[0]
        if score >= 0.6 and (len(scored) == 1 or scored[1][1] < score - 0.1):
            return Match(best, min(1.0, score + 0.1), "address", [f"address matches ship-to {best}"], scored[1:3])
        blob = _squash(" ".join(str(ship.get(k) or "") for k in ("name", "street", "postal_code", "city")))
        by_postal = [s for s in options if s.postal_code and _squash(s.postal_code) in blob]
        postals = {_squash(s.postal_code) for s in by_postal}
        if len(by_postal) == 1 and len(postals) == 1 and sum(_squash(o.postal_code) in postals for o in options) == 1:
            # The street was not read, but only one of the customer's addresses has this postal code.
            only = by_postal[0]
            return Match(only.ship_to_id, 0.86, "postal code", [f"postal code {only.postal_code} is only {only.ship_to_id}"],
                         scored[1:3])
    in_text = ship_to_in_text(text, customer)
    if in_text is not None:
        return in_text
    if scored:
        if len(options) == 1:
            return Match(options[0].ship_to_id, 0.6, "only", ["printed address differs; customer's only ship-to"])
        return Match(None, scored[0][1], "address", ["ship-to address not recognised"], scored[:3])
    if len(options) == 1:
        return Match(options[0].ship_to_id, 0.95, "only", ["no ship-to printed; customer's only ship-to"])
    bill = _squash(customer.street)
    main = next((s for s in options if bill and _squash(s.street) == bill), options[0])
    return Match(main.ship_to_id, 0.85, "default", [f"no ship-to printed; the billing address {main.ship_to_id}"])


# --------------------------------------------------------------------------- articles

GUESS_FLOOR = 0.6
_SPEC = re.compile(r"[0-9]")


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^\w.,/x×-]+", utils.default_process(text or "")) if t]


def _spec_tokens(text: str) -> set[str]:
    """Atomic tokens with digits (sizes, norms, bearing numbers, suffixes like 2RS): what tells
    similar articles apart. "6200-2RS 10x30x9" -> {6200, 2rs, 10, 30, 9}."""
    atoms = set()
    for token in re.findall(r"[\w.,/×-]*\d[\w.,/×-]*", (text or "").lower()):
        token = token.strip(".,-/").replace(",", ".").replace("×", "x")
        for part in re.split(r"[-/]|(?<=\d)x(?=\d)", token):
            part = part.strip(".").lstrip("øø⌀#")
            if re.fullmatch(r"\d+(\.\d+)?", part):
                part = part.rstrip("0").rstrip(".") if "." in part else part  # 5,0 = 5.0 = 5
            if part and _SPEC.search(part):
                atoms.add(part)
    return atoms


class ArticleIndex:
    """Product lookup tables for one master snapshot and (optionally) one customer."""

    def __init__(self, master: MasterView, customer_id: str | None):
        self.master = master
        self.customer_id = customer_id
        shared = master.cache.get("articles")
        if shared is None:
            # Built once per master snapshot: the same for every message and customer.
            others: dict[str, set[str]] = {}
            for item in master.customer_items:
                others.setdefault(norm_code(item.customer_sku), set()).add(item.sku)
            shared = {
                "by_sku": {norm_code(sku): sku for sku in master.products},
                "by_gtin": {norm_code(p.gtin).lstrip("0"): p.sku for p in master.products.values() if p.gtin},
                "any_items": others,
                "texts": {p.sku: [t for t in (p.name, p.description) if t] for p in master.products.values() if p.active},
                "sku_pattern": self._sku_pattern(),
            }
            master.cache["articles"] = shared
        self.by_sku, self.by_gtin, self.any_items = shared["by_sku"], shared["by_gtin"], shared["any_items"]
        self.sku_pattern = shared["sku_pattern"]
        own = master.items_of(customer_id) if customer_id else []
        self.own_items = {norm_code(i.customer_sku): i for i in own}
        self.texts = {sku: list(texts) for sku, texts in shared["texts"].items()}
        for item in own:
            if item.customer_description and item.sku in self.texts:
                self.texts[item.sku].append(item.customer_description)

    def _sku_pattern(self) -> re.Pattern | None:
        skus = sorted((s for s in self.master.products if len(s) >= 4), key=len, reverse=True)
        if not skus:
            return None
        return re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in skus) + r")(?![\w-])", re.IGNORECASE)

    def by_code(self, code: str | None, label: str) -> Match | None:
        """Resolve a printed code as our SKU, the customer's part number or a GTIN."""
        key = norm_code(code)
        if not key:
            return None
        if key in self.by_sku:
            return Match(self.by_sku[key], 1.0, "sku", [f"{label} {code!r} is our SKU"])
        if key in self.own_items:
            item = self.own_items[key]
            return Match(item.sku, 0.99, "cross-reference", [f"{label} {code!r} is the customer's part number for {item.sku}"])
        if key.isdigit() and len(key) in (8, 12, 13, 14) and key.lstrip("0") in self.by_gtin:
            return Match(self.by_gtin[key.lstrip("0")], 0.98, "gtin", [f"GTIN {code}"])
        if key in self.any_items and len(self.any_items[key]) == 1:
            sku = next(iter(self.any_items[key]))
            return Match(sku, 0.8, "cross-reference (other customer)", [f"{label} {code!r} is another customer's part number for {sku}"])
        return None

    def by_text(self, description: str | None, limit: int = 3) -> Match:
        """Fuzzy description match: token-set similarity blended with shared spec tokens."""
        if not description or not description.strip():
            return Match(None, 0.0, "none", ["no description"])
        query_specs = _spec_tokens(description)
        scored: list[tuple[str, float]] = []
        for sku, texts in self.texts.items():
            best = 0.0
            for text in texts:
                sim = fuzz.token_set_ratio(description, text, processor=utils.default_process) / 100
                if query_specs:
                    specs = _spec_tokens(text)
                    overlap = len(query_specs & specs) / len(query_specs)
                    # Each spec the candidate has but the query lacks (a 2RS seal, a size)
                    # argues for a different variant of the same article.
                    extra = len(specs - query_specs)
                    sim = 0.5 * sim + 0.5 * overlap - 0.15 * extra
                best = max(best, sim)
            scored.append((sku, best))
        scored.sort(key=lambda kv: -kv[1])
        top = scored[:limit]
        if not top:
            return Match(None, 0.0, "none", ["no products"])
        sku, score = top[0]
        margin = score - (top[1][1] if len(top) > 1 else 0.0)
        # A near tie between two articles is not a match we can trust.
        confidence = max(0.0, min(0.95, score)) if margin >= 0.05 else min(score, 0.6)
        return Match(sku, confidence, "description", [f"description ~ {self.master.products[sku].name!r} ({score:.2f}, margin {margin:.2f})"], top[1:])


def match_article(line: dict, index: ArticleIndex) -> Match:
    """One order line's article: printed codes first, then SKUs in the text, then the description."""
    found: list[Match] = []
    for label in ("sku", "customer_sku", "gtin"):
        m = index.by_code(line.get(label), label)
        if m is not None:
            m.code = line.get(label)
            found.append(m)
    if found:
        best = max(found, key=lambda m: m.score)
        conflicting = {m.value for m in found if m.score >= 0.95} - {best.value}
        if conflicting:
            best = Match(best.value, 0.5, best.method, best.evidence + [f"conflicts with {sorted(conflicting)}"])
        return best
    description = line.get("description") or ""
    if index.sku_pattern is not None and description:
        hits = {index.by_sku[norm_code(h)] for h in index.sku_pattern.findall(description)}
        if len(hits) == 1:
            sku = hits.pop()
            return Match(sku, 0.95, "sku in text", [f"our SKU {sku} in the description"])
    printed = line.get("sku") or line.get("customer_sku")
    text = index.by_text(description)
    if printed:
        # A printed article number we do not know is a strong sign of an unknown article.
        text.evidence.insert(0, f"printed number {printed!r} not found")
        text.score = min(text.score, 0.5)
    return text


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _expected_price(index: ArticleIndex, sku: str) -> Decimal | None:
    contract = index.master.contract_price(index.customer_id, sku, None, None)
    product = index.master.products.get(sku)
    return contract.unit_price if contract else (product.unit_price if product else None)


def _confirm_by_price(article: Match, line: dict, index: ArticleIndex) -> Match:
    """A fuzzy description match whose master price fits the printed price (and the runner-up's
    does not) is more than a similar text: the customer ordered at the price of that article."""
    if article.method != "description" or not article.value or article.score >= 0.9:
        return article
    qty, price, total = _dec(line.get("qty")), _dec(line.get("unit_price")), _dec(line.get("line_total"))
    if price is None and qty and total is not None:
        price = total / qty
    if not price:
        return article

    def fits(sku: str) -> bool:
        base = _expected_price(index, sku)
        if not base:
            return False
        factors = index.master.factors_of(sku).values() or [Decimal(1)]
        return any(abs(price - base * f) <= base * f * Decimal("0.02") for f in factors)

    rivals = [sku for sku, score in article.candidates[:2] if score >= article.score - 0.15]
    if fits(article.value) and not any(fits(r) for r in rivals):
        return Match(article.value, max(article.score, 0.9), "description+price",
                     article.evidence + ["the printed price is this article's price"], article.candidates)
    return article


def _unit_by_price(line: dict, product: ProductInfo, factors: dict, index: ArticleIndex, chosen: tuple) -> tuple:
    """When the printed unit is unsure or ambiguous, the unit whose price fits the printed price wins."""
    code, factor, uscore, why = chosen
    price = _dec(line.get("unit_price"))
    qty, total = _dec(line.get("qty")), _dec(line.get("line_total"))
    if price is None and qty and total is not None:
        price = total / qty  # no unit price printed: the line total still tells the unit
    if price is None or len(factors) < 2:
        return chosen
    contract = index.master.contract_price(index.customer_id, product.sku, None, None)
    base = contract.unit_price if contract else product.unit_price
    if not base:
        return chosen

    def fits(f: Decimal) -> bool:
        return abs(price - base * f) <= base * f * Decimal("0.02")

    if fits(factor):
        if uscore < 0.95:
            return code, factor, 0.95, f"{why}; the printed price confirms it"
        return chosen
    family = units.family(line.get("uom"))
    ambiguous = uscore < 0.97 or family in units.CONTAINERS
    fitting = [(c, f) for c, f in factors.items() if fits(f)]
    if ambiguous and len(fitting) == 1 and (uscore < 0.97 or units.family(fitting[0][0]) in units.CONTAINERS):
        c, f = fitting[0]
        return c, f, 0.9, f"unit {line.get('uom')!r} read as {c}: the printed price fits {c}"
    return chosen


def match_line(line: dict, index: ArticleIndex, min_score: float) -> tuple[dict, dict]:
    """Proposed order line (process-json shape) and its match record."""
    article = _confirm_by_price(match_article(line, index), line, index)
    # Below the floor it is no match at all (unknown_sku); between floor and threshold the best
    # guess is kept for the reviewer and `decide` flags it as low confidence.
    floor = min(GUESS_FLOOR, min_score)
    sku = article.value if article.value and article.score >= floor else None
    product: ProductInfo | None = index.master.products.get(article.value) if article.value else None
    qty = _dec(line.get("qty"))
    unit_record = None
    uom, qty_base = line.get("uom"), None
    if product is not None:
        factors = index.master.factors_of(product.sku)
        code, factor, uscore, why = units.resolve(line.get("uom"), factors, product.uom)
        code, factor, uscore, why = _unit_by_price(line, product, factors, index, (code, factor, uscore, why))
        uom = code
        qty_base = qty * factor if qty is not None else None
        unit_record = {"score": uscore, "evidence": why, "factor": _fmt(factor)}
    customer_sku = line.get("customer_sku")
    if customer_sku and sku and norm_code(customer_sku) == norm_code(sku) and norm_code(customer_sku) not in index.own_items:
        customer_sku = None  # our own article number printed in the buyer's column: not their part number
    if not customer_sku and article.method.startswith("cross-reference") and article.code:
        customer_sku = article.code  # their part number printed where our article number was expected
    proposed = {
        "line_no": line.get("line_no"),
        "sku": sku,
        "customer_sku": customer_sku,
        "description": line.get("description"),
        "qty": _fmt(qty),
        "uom": uom,
        "qty_base": _fmt(qty_base) if sku else None,
        "unit_price": _fmt(_dec(line.get("unit_price"))),
        "line_total": _fmt(_dec(line.get("line_total"))),
    }
    record = {"article": article.as_dict(), "unit": unit_record, "matched": sku is not None,
              "confidence": dict(line.get("confidence") or {})}
    return proposed, record


def match_order(extracted: dict, meta: dict, master: MasterView, *, min_score: float = 0.85,
                customer: Match | None = None, text: str = "") -> tuple[dict, dict]:
    """The proposed order (process-json `order` shape) and the match record with all evidence."""
    if customer is None:
        customer = match_customer(extracted, meta, master)
    info = master.customers.get(customer.value) if customer.value else None
    ship = match_ship_to(extracted, info, text)
    index = ArticleIndex(master, customer.value)
    lines, records = [], []
    for line in extracted.get("lines") or []:
        proposed, record = match_line(line, index, min_score)
        lines.append(proposed)
        records.append(record)
    currency = extracted.get("currency") or (info.currency if info else None)
    proposal = {
        "customer_id": customer.value,
        "po_number": extracted.get("po_number"),
        "order_date": extracted.get("order_date"),
        "requested_delivery_date": extracted.get("requested_delivery_date"),
        "ship_to_id": ship.value,
        "currency": currency,
        "lines": lines,
        "order_total": _fmt(_dec(extracted.get("order_total"))),
    }
    record = {"customer": customer.as_dict(), "ship_to": ship.as_dict(), "lines": records}
    return proposal, record
