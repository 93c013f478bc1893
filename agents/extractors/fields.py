"""Header fields from label/value layouts: value after the label on the same line, or below it.

Works on `layout.Row`s, so the same reader serves PDF pages, mail bodies and sheet cells.
A reviewer's layout hint (`{"labels": {"Auftrag": "po_number"}}`) adds or overrides labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from agents.schema import Address
from agents.extractors.dates import delivery_verb_after, find_dates
from agents.extractors.labels import ADDRESS_LABELS, HEADER_LABELS, SCHEDULE_LABELS, has_cjk, norm, starts_with_label
from agents.extractors.layout import Row, Token, merge_sources
from agents.extractors.numbers import CURRENCY_CODES, currency_in

_EXACT: dict[str, str] = {}
for _key, _phrases in HEADER_LABELS.items():
    for _p in _phrases:
        _EXACT.setdefault(_p, _key)
_ADDRESS_EXACT: dict[str, str] = {p: k for k, ps in ADDRESS_LABELS.items() for p in ps}
_WEAK = {"order", "po", "date", "datum", "fecha", "pedido", "commande", "bestellung", "auftrag", "delivery",
         "levering", "livraison", "entrega", "account", "cliente", "mail", "日期", "单号", "bestelling"}
_VAT = re.compile(r"\b([A-Z]{2}[- ]?[0-9A-Z][0-9A-Z .-]{5,15}[0-9A-Z])\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_AMOUNT = re.compile(r"^\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}$|^\d+[.,]\d{2}$")
_CODE = re.compile(r"^[#:]?([A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|[0-9])$")


@dataclass
class Candidate:
    value: object
    score: float
    tokens: list[Token]
    row: Row


def _label_key(text: str, extra: dict[str, str]) -> str | None:
    n = norm(text)
    if not n:
        return None
    return extra.get(n) or _EXACT.get(n)


def _split_phrase(phrase: Token, extra: dict[str, str]) -> tuple[str | None, str, int]:
    """(field, value text, label length) when the phrase starts with a label."""
    text = phrase.text.strip()
    m = re.match(r"^(.{1,40}?)\s*[:：]\s*(\S+)\s+(\S.{0,40}?)\s*[:：]\s*\S", text)
    if m and _label_key(m.group(3), extra) and _label_key(m.group(1), extra):
        # "Datum: 1.2.2026  Liefertermin: 3.4.2026" in one phrase: only the first pair here
        return _label_key(m.group(1), extra), m.group(2), len(norm(m.group(1))) + 3
    m = re.match(r"^(.{1,50}?)\s*[:：]\s*(.*)$", text)
    if m:
        key = _label_key(m.group(1), extra)
        if key:
            return key, m.group(2).strip(), len(norm(m.group(1))) + 3
    words = text.split()
    for k in range(min(6, len(words)), 0, -1):
        key = _label_key(" ".join(words[:k]), extra)
        if key:
            return key, " ".join(words[k:]).strip(" :#"), len(norm(" ".join(words[:k])))
    if has_cjk(text):
        for length in range(min(8, len(text)), 1, -1):
            key = _label_key(text[:length], extra)
            if key:
                return key, text[length:].strip(" :：#"), length + 2
    return None, "", 0


def _valid(field: str, value: str, date_order: str | None, language: str | None):
    value = value.strip()
    if not value:
        return None
    if field in {"order_date", "requested_delivery_date"}:
        dates = find_dates(value, date_order, language)
        return dates[0][1].isoformat() if dates else None
    if field == "po_number":
        for word in value.replace(",", " ").split()[:3]:
            word = word.strip(" .:;,()")
            if find_dates(word, date_order, language):
                continue
            if _AMOUNT.match(word):
                return None  # "Order value 136.84 GBP": an amount, never a PO number
            # letters only is a company's legal form or a word ("Durand Mécanique SARL"), not a PO
            if _CODE.match(word) and re.search(r"\d", word):
                return word.lstrip("#:")
        return None
    if field == "customer_number":
        word = value.split()[0].strip(" .:;,")
        return word if re.search(r"\d", word) and _CODE.match(word) else None
    if field == "vat_id":
        m = _VAT.search(value.upper())
        return m.group(1).replace(" ", "") if m else None
    if field == "currency":
        code = value.split()[0].upper().strip(".:")
        return code if code in CURRENCY_CODES else currency_in(value)
    if field == "email":
        m = _EMAIL.search(value)
        return m.group() if m else None
    return None


_SEPARATOR = re.compile(r"\s*\|\s*|\s+[—–·]\s+")


def _split_separators(phrases: list[Token]) -> list[Token]:
    """Split "Date 2026-11-22 | Need by 2027-01-04" (or "… — …", "… · …") into one token per part."""
    out: list[Token] = []
    for phrase in phrases:
        bounds = [0]
        for m in _SEPARATOR.finditer(phrase.text):
            bounds.extend([m.start(), m.end()])
        bounds.append(len(phrase.text))
        if len(bounds) == 2:
            out.append(phrase)
            continue
        width = (phrase.x1 - phrase.x0) / max(len(phrase.text), 1)
        for a, b in zip(bounds[::2], bounds[1::2]):
            piece = phrase.text[a:b].strip()
            if piece:
                out.append(Token(piece, phrase.x0 + a * width, phrase.x0 + b * width, phrase.top, phrase.bottom,
                                 phrase.source))
    return out


def _split_pairs(phrases: list[Token], extra: dict[str, str]) -> list[Token]:
    """Split a phrase holding several "label: value" pairs into one token per pair."""
    out: list[Token] = []
    for phrase in _split_separators(phrases):
        words = [(m.start(), m.group()) for m in re.finditer(r"\S+", phrase.text)]
        starts = []
        covered = 0
        for i in range(len(words)):
            if i < covered:
                continue
            for k in range(1, 5):
                if i + k > len(words):
                    break
                chunk = phrase.text[words[i][0]:words[i + k - 1][0] + len(words[i + k - 1][1])]
                colon = re.search(r"[:：]", chunk)
                if colon is None:
                    continue
                label = chunk[:colon.start()]
                if label.strip() and _label_key(label, extra):
                    starts.append(i)
                    covered = i + k
                break
        starts = sorted(set(starts) | {0})
        if len(starts) <= 1:
            out.append(phrase)
            continue
        width = (phrase.x1 - phrase.x0) / max(len(phrase.text), 1)
        bounds = [words[i][0] for i in starts] + [len(phrase.text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = phrase.text[a:b].strip()
            if piece:
                out.append(Token(piece, phrase.x0 + a * width, phrase.x0 + b * width, phrase.top, phrase.bottom,
                                 phrase.source))
    return out


def _phrases(row: Row) -> list[Token]:
    return row.phrases() if row.unit == "pt" else row.tokens


def _below(rows: list[Row], at: int, phrase: Token, max_rows: int = 2) -> list[Token]:
    row = rows[at]
    found = []
    for j in range(at + 1, min(len(rows), at + 1 + max_rows)):
        other = rows[j]
        if other.page != row.page:
            break
        if row.unit == "pt" and other.top - row.bottom > row.height * 3:
            break
        for cand in _phrases(other):
            if min(cand.x1, phrase.x1 + 5) - max(cand.x0, phrase.x0 - 5) > 0:
                found.append(cand)
                break
        if found:
            break
    return found


def find_fields(rows: list[Row], skip: set[int], date_order: str | None, language: str | None,
                hints: dict | None = None) -> dict[str, Candidate]:
    """Best candidate per header field (po_number, dates, customer number, VAT, currency, email)."""
    extra = {norm(k): v for k, v in ((hints or {}).get("labels") or {}).items()}
    best: dict[str, Candidate] = {}
    for at, row in enumerate(rows):
        if row.index in skip or not row.tokens:
            continue
        phrases = _split_pairs(_phrases(row), extra)
        for p_index, phrase in enumerate(phrases):
            key, value_text, strength = _split_phrase(phrase, extra)
            if not key:
                continue
            value = _valid(key, value_text, date_order, language) if value_text else None
            source_tokens = [phrase]
            if value is None:
                # "Bon de commande fournisseur · 726447": the value is the next part of the line
                nxt = phrases[p_index + 1] if p_index + 1 < len(phrases) else None
                if nxt is not None and _split_phrase(nxt, extra)[0] is None:
                    value = _valid(key, nxt.text, date_order, language)
                    source_tokens = [nxt]
                if value is None and not value_text:
                    for cand in _below(rows, at, phrase):
                        if _split_phrase(cand, extra)[0] is None:
                            value = _valid(key, cand.text, date_order, language)
                            source_tokens = [cand]
            if value is None:
                continue
            label_norm = norm(phrase.text.split(":")[0])
            score = strength + (0 if label_norm in _WEAK else 5) + (20 if norm(phrase.text) in extra or
                                                                    norm(phrase.text.split(":")[0]) in extra else 0)
            score -= at * 0.01
            if key not in best or score > best[key].score:
                best[key] = Candidate(value, score, source_tokens, row)
    if "requested_delivery_date" not in best:
        found = _schedule_date(rows, date_order, language) or _prose_delivery_date(rows, skip, date_order, language)
        if found:
            best["requested_delivery_date"] = found
    return best


def _schedule_date(rows: list[Row], date_order: str | None, language: str | None) -> Candidate | None:
    """The header date of an order whose lines each carry a schedule sub-row ("Einteilung: 2027-01-12 60 St.").

    The date most lines share is the order's; on a tie the earliest (the first delivery the buyer needs).
    """
    seen: list[tuple[str, Token, Row]] = []
    for row in rows:
        for tok in _phrases(row):
            key, length = starts_with_label(tok.text, SCHEDULE_LABELS)
            if not key:
                continue
            dates = find_dates(tok.text, date_order, language)
            if dates:
                seen.append((dates[0][1].isoformat(), tok, row))
    if not seen:
        return None
    values = [v for v, _, _ in seen]
    chosen = min(set(values), key=lambda v: (-values.count(v), v))
    _, tok, row = next(s for s in seen if s[0] == chosen)
    return Candidate(chosen, 10.0, [tok], row)


_DELIVERY_PROSE = re.compile(
    r"(?i)(?:liefer\w*|anliefer\w*|deliver\w*|livr\w*|lever\w*|uiterlijk|au plus tard|spätestens|no later than"
    r"|parvenir|eintreffen|arriv\w*|交货|到货|交期|送达|请于)")


def _prose_delivery_date(rows: list[Row], skip: set[int], date_order: str | None,
                         language: str | None) -> Candidate | None:
    """A delivery date written in a sentence of a cover letter ("… uiterlijk 2027-01-18 op onze locatie")."""
    for row in rows:
        if row.index in skip:
            continue
        for tok in _phrases(row):
            for pos, value in find_dates(tok.text, date_order, language):
                if _DELIVERY_PROSE.search(tok.text[max(0, pos - 40):pos]) or delivery_verb_after(tok.text, pos):
                    return Candidate(value.isoformat(), 1.0, [tok], row)
    return None


_COUNTRIES = {
    "deutschland": "DE", "germany": "DE", "allemagne": "DE", "alemania": "DE", "duitsland": "DE", "德国": "DE",
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "pays bas": "NL", "paises bajos": "NL", "荷兰": "NL",
    "france": "FR", "frankreich": "FR", "frankrijk": "FR", "francia": "FR", "法国": "FR",
    "espana": "ES", "spain": "ES", "spanien": "ES", "espagne": "ES", "spanje": "ES", "西班牙": "ES",
    "belgium": "BE", "belgie": "BE", "belgique": "BE", "belgien": "BE", "belgica": "BE",
    "osterreich": "AT", "austria": "AT", "autriche": "AT", "schweiz": "CH", "switzerland": "CH", "suisse": "CH",
    "china": "CN", "中国": "CN", "chine": "CN", "united kingdom": "GB", "uk": "GB", "united states": "US", "usa": "US",
    "italy": "IT", "italia": "IT", "italien": "IT", "luxembourg": "LU", "luxemburg": "LU", "poland": "PL", "polen": "PL",
}
_POSTAL_CITY = re.compile(
    r"^(?:(?P<cc>[A-Z]{1,2})[- ])?(?P<pc>\d{4}\s?[A-Z]{2}|\d{4,6}|\d{5}-\d{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})[ ,]+(?P<city>[^\d].*)$")
_CITY_POSTAL = re.compile(r"^(?P<city>[^\d,]+),?\s+(?:[A-Z]{2}\s+)?(?P<pc>\d{5}(?:-\d{4})?)$")


def country_code(text: str) -> str | None:
    """ISO alpha-2 for a printed country name (several languages)."""
    n = norm(text)
    return _COUNTRIES.get(n) or (text.strip().upper() if re.fullmatch(r"[A-Z]{2}", text.strip()) else None)


def parse_address(lines: list[str]) -> Address | None:
    """An address from its printed lines (name, street, postal code + city, country)."""
    lines = [ln.strip(" ,") for ln in lines if ln and ln.strip(" ,")]
    if not lines:
        return None
    address = Address()
    hit = None
    for idx, ln in enumerate(lines):
        m = _CITY_POSTAL.match(ln) or _POSTAL_CITY.match(ln)
        if m and idx > 0:
            hit = (idx, m)  # the last match wins: a US street may start with digits
    if hit is None:
        address.name = lines[0]
        address.street = lines[1] if len(lines) > 1 else None
        return address
    idx, m = hit
    address.postal_code = m.group("pc")
    parts = [c.strip() for c in m.group("city").strip(" ,").split(",")]
    address.city = parts[0]
    if len(parts) > 1 and country_code(parts[-1]):
        address.country = country_code(parts[-1])
    if m.groupdict().get("cc") and country_code(m.group("cc")):
        address.country = address.country or m.group("cc")
    for ln in lines[idx + 1:idx + 2]:
        address.country = address.country or country_code(ln)
    before = lines[:idx]
    address.name = before[0] if before else None
    if len(before) > 1:
        address.street = before[-1]
    return address


def find_addresses(rows: list[Row], skip: set[int]) -> dict[str, tuple[Address, list[Token]]]:
    """Ship-to and bill-to blocks introduced by an address heading."""
    out: dict[str, tuple[Address, list[Token]]] = {}
    for at, row in enumerate(rows):
        if row.index in skip or not row.tokens:
            continue
        for phrase in _phrases(row):
            words = phrase.text.split()
            i = 0
            while i < len(words):
                hit = None
                for k in range(min(5, len(words) - i), 0, -1):
                    chunk = " ".join(words[i:i + k])
                    if re.search(r"[:：]", chunk.rstrip(":： ")):
                        continue  # the colon ends the label; words after it are the value
                    key = _ADDRESS_EXACT.get(norm(chunk))
                    if key:
                        hit = (key, k)
                        break
                if not hit:
                    i += 1
                    continue
                key, k = hit
                if key in out:
                    i += k
                    continue
                inline = " ".join(words[i + k:]).lstrip(":").strip() if i == 0 else ""
                label_x0 = phrase.x0 + (phrase.x1 - phrase.x0) * i / max(len(words), 1)
                label_x1 = phrase.x0 + (phrase.x1 - phrase.x0) * (i + k) / max(len(words), 1)
                if len(inline) > 5:
                    # "Lieferanschrift: Firma, Straße 1, 12345 Ort" on the label's own line
                    block, tokens = [s.strip() for s in inline.split(",")], [phrase]
                else:
                    block, tokens = _block_below(rows, at, label_x0, label_x1)
                address = parse_address(block)
                if address:
                    out[key] = (address, tokens)
                i += k
    return out


def _block_below(rows: list[Row], at: int, x0: float, x1: float) -> tuple[list[str], list[Token]]:
    row = rows[at]
    lines: list[str] = []
    tokens: list[Token] = []
    prev_bottom = row.bottom
    for j in range(at + 1, min(len(rows), at + 7)):
        other = rows[j]
        if other.page != row.page or not other.tokens:
            break
        if other.unit == "pt" and other.top - prev_bottom > row.height * 1.8:
            break
        picked = [t for t in _phrases(other) if min(t.x1, x1 + 60) - max(t.x0, x0 - 5) > 0 and t.x0 >= x0 - 15]
        if other.unit != "pt":
            picked = [t for t in other.tokens if abs(t.x0 - x0) <= 3] or ([] if row.tokens[0].x0 != x0 else other.tokens[:1])
        if not picked:
            break
        text = " ".join(t.text for t in picked)
        if _split_phrase(picked[0], {})[0] or _ADDRESS_EXACT.get(norm(text.split(":")[0])):
            break
        lines.append(text)
        tokens.extend(picked)
        prev_bottom = other.bottom
    return lines, tokens


def source_of(tokens: list[Token]):
    """Merged intake Source of the tokens a value was read from."""
    return merge_sources(tokens)
