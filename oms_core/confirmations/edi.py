"""Order responses for EDI customers: X12 855 (PO acknowledgment) and EDIFACT ORDRSP (D.96A)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Mapping


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def _num(value: Any) -> str:
    text = format(_dec(value).normalize(), "f")
    return text


def _day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _control_number(view: Mapping[str, Any]) -> int:
    digits = re.sub(r"\D", "", str(view.get("order_id") or view.get("reference") or "1"))
    return int(digits[-9:] or "1")


def _parties(view: Mapping[str, Any]) -> tuple[str, str]:
    """(our id, their id): answer to whoever sent the order, swapping the original envelope."""
    edi = view.get("edi") or {}
    ours = edi.get("receiver_id") or view.get("supplier_edi_id") or "OMS"
    theirs = edi.get("sender_id") or view.get("customer_id") or "CUSTOMER"
    return str(ours), str(theirs)


def _x12(value: Any) -> str:
    # Element (*), segment (~) and component (>) separators may not appear inside data.
    return re.sub(r"[*~>]", " ", str(value or ""))


def x12_855(view: Mapping[str, Any], now: dt.datetime | None = None) -> str:
    """An X12 004010 855 acknowledging every line: IA accepted, IB backordered (with date)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ours, theirs = _parties(view)
    control = _control_number(view)
    lines = view.get("lines") or []
    changed = any(_dec(line.get("backordered_qty")) for line in lines)
    delivery = _day(view.get("delivery_date"))
    body = [
        f"ST*855*0001",
        f"BAK*00*{'AC' if changed else 'AD'}*{_x12(view.get('po_number'))}*"
        f"{(_day(view.get('order_date')) or now.date()):%Y%m%d}",
        f"REF*VN*{_x12(view.get('reference'))}",
    ]
    if delivery:
        body.append(f"DTM*067*{delivery:%Y%m%d}")
    for line in lines:
        uom = _x12(line.get("uom") or "EA")
        body.append(f"PO1*{line.get('line_no')}*{_num(line.get('qty'))}*{uom}*"
                    f"{_num(line.get('unit_price'))}**VP*{_x12(line.get('sku'))}")
        confirmed = _dec(line.get("confirmed_qty", line.get("qty")))
        backordered = _dec(line.get("backordered_qty"))
        if confirmed:
            ship = _day(line.get("delivery_date")) or delivery
            body.append(f"ACK*IA*{_num(confirmed)}*{uom}" + (f"*068*{ship:%Y%m%d}" if ship else ""))
        if backordered:
            expected = _day(line.get("expected_date"))
            body.append(f"ACK*IB*{_num(backordered)}*{uom}"
                        + (f"*068*{expected:%Y%m%d}" if expected else ""))
        if not confirmed and not backordered:
            body.append(f"ACK*IR*0*{uom}")
    body.append(f"CTT*{len(lines)}")
    body.append(f"SE*{len(body) + 1}*0001")
    header = [
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{ours[:15]:<15}*ZZ*{theirs[:15]:<15}*"
        f"{now:%y%m%d}*{now:%H%M}*U*00401*{control:09d}*0*P*>",
        f"GS*PR*{ours}*{theirs}*{now:%Y%m%d}*{now:%H%M}*{control}*X*004010",
    ]
    trailer = [f"GE*1*{control}", f"IEA*1*{control:09d}"]
    return "~\n".join(header + body + trailer) + "~\n"


def _edifact(value: Any) -> str:
    return re.sub(r"([?'+:])", r"?\1", str(value or ""))


def edifact_ordrsp(view: Mapping[str, Any], now: dt.datetime | None = None) -> str:
    """An EDIFACT D.96A ORDRSP: BGM 29 (accepted) or 4 (changed: backorders) and per-line QTYs."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ours, theirs = _parties(view)
    control = _control_number(view)
    lines = view.get("lines") or []
    changed = any(_dec(line.get("backordered_qty")) for line in lines)
    delivery = _day(view.get("delivery_date"))
    body = [
        "UNH+1+ORDRSP:D:96A:UN",
        f"BGM+231+{_edifact(view.get('reference'))}+{'4' if changed else '29'}",
        f"DTM+137:{now:%Y%m%d}:102",
    ]
    if delivery:
        body.append(f"DTM+69:{delivery:%Y%m%d}:102")
    body += [
        f"RFF+ON:{_edifact(view.get('po_number'))}",
        f"NAD+BY+{_edifact(theirs)}::91",
        f"NAD+SU+{_edifact(ours)}::91",
        f"CUX+2:{_edifact(view.get('currency') or 'EUR')}:9",
    ]
    for line in lines:
        backordered = _dec(line.get("backordered_qty"))
        uom = _edifact(line.get("uom") or "EA")
        body.append(f"LIN+{line.get('line_no')}+{'3' if backordered else '5'}+"
                    f"{_edifact(line.get('sku'))}:SA")
        body.append(f"QTY+21:{_num(line.get('qty'))}:{uom}")
        body.append(f"QTY+113:{_num(line.get('confirmed_qty', line.get('qty')))}:{uom}")
        if backordered:
            body.append(f"QTY+83:{_num(backordered)}:{uom}")
            expected = _day(line.get("expected_date"))
            if expected:
                body.append(f"DTM+2:{expected:%Y%m%d}:102")
        body.append(f"PRI+AAA:{_num(line.get('unit_price'))}")
    body += ["UNS+S", f"CNT+2:{len(lines)}"]
    body.append(f"UNT+{len(body) + 1}+1")
    segments = [
        f"UNB+UNOC:3+{_edifact(ours)}+{_edifact(theirs)}+{now:%y%m%d}:{now:%H%M}+{control}",
        *body,
        f"UNZ+1+{control}",
    ]
    return "UNA:+.? '\n" + "'\n".join(segments) + "'\n"


def order_response(view: Mapping[str, Any]) -> tuple[str, str, bytes] | None:
    """(filename, mime type, bytes) matching the format the order arrived in; None if not EDI."""
    fmt = str(view.get("format") or "").lower()
    reference = re.sub(r"[^A-Za-z0-9-]", "_", str(view.get("reference") or "order"))
    if "edifact" in fmt:
        return f"{reference}.ordrsp.edi", "application/edifact", edifact_ordrsp(view).encode()
    if "x12" in fmt or fmt in {"edi", "850"}:
        return f"{reference}.855.x12", "application/edi-x12", x12_855(view).encode()
    return None
