"""Order dates of forwarded orders, and the PO number corroborated by the subject line."""
from __future__ import annotations

from agents.nodes.match import po_corroborated
from agents.readers import ExtractorReader
from agents.sent_date import order_sent_date, parse_sent
from intake.mime import parse_message

FORWARD = """From: Sales desk <desk@distributor.example>
To: orders@distributor.example
Subject: FW: PO# PO-2026-14878
Date: Sat, 14 Nov 2026 08:56:00 +0000
Message-ID: <fw1@distributor.example>
Content-Type: text/plain; charset=utf-8

pls book this one

-----Original Message-----
From: James Smith <james.smith@ashford-fluid.co.uk>
Sent: {sent}
To: orders@distributor.example
Subject: PO# PO-2026-14878

Hello,

please book against order ref. PO-2026-14878:

- Machine tap HSS-E M12 (WZ-10198) - 6 each, 22.26 GBP each
- Hex nut DIN 934 M6 8 zinc plated (VB-10564) - 200 pcs, 0.0112 GBP each

Cheers,
James
"""


def _read(sent: str):
    message = parse_message(FORWARD.format(sent=sent).encode(), key="k1")
    extracted = ExtractorReader().extract(message)[0].model_dump(mode="json")
    return message, extracted


def test_parse_sent_reads_header_and_mail_client_forms():
    assert parse_sent("Fri, 13 Nov 2026 16:56:00 +0100") == "2026-11-13"
    assert parse_sent("Friday, November 13, 2026 04:56 PM") == "2026-11-13"
    assert parse_sent("Freitag, 13. November 2026 16:56") == "2026-11-13"
    assert parse_sent("sometime last week") is None


def test_a_forwarded_order_is_dated_by_the_original_message():
    message, extracted = _read("Friday, November 13, 2026 04:56 PM")
    assert extracted["lines"], "the forwarded order's lines are read"
    assert order_sent_date(message, extracted, "2026-11-14") == ("2026-11-13", True)


def test_an_unreadable_forwarded_date_leaves_the_message_date_as_a_guess():
    message, extracted = _read("the day before yesterday")
    assert order_sent_date(message, extracted, "2026-11-14") == ("2026-11-14", False)


def test_a_direct_order_is_dated_by_its_own_message():
    message = parse_message(b"From: a@b.example\nSubject: Order 4711\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\n"
                            b"Please supply 5x WZ-10198 at 22.26 EUR.\n", key="k2")
    extracted = ExtractorReader().extract(message)[0].model_dump(mode="json")
    assert order_sent_date(message, extracted, "2026-11-02") == ("2026-11-02", True)


def test_po_number_is_corroborated_only_when_subject_and_document_agree():
    text = "please book against order ref. PO-2026-14878"
    assert po_corroborated({"po_number": "PO-2026-14878"}, "FW: PO# PO-2026-14878", text)
    assert not po_corroborated({"po_number": "PO-2026-14878"}, "FW: PO# PO-2026-14879", text)
    assert not po_corroborated({"po_number": "PO-2026-14878"}, "Re: your quotation", text)
    # read from the subject alone: nothing independent agrees
    assert not po_corroborated({"po_number": "PO-2026-14878"}, "PO PO-2026-14878", "please supply the items below")
    # a longer number that merely contains it is not the same number
    assert not po_corroborated({"po_number": "4711"}, "Order 4711", "ref 4711-22 attached")
    assert not po_corroborated({"po_number": None}, "Order 4711", "order 4711")


def test_a_currency_other_than_the_customers_is_unusual():
    from types import SimpleNamespace

    from agents.nodes.match import unusual_currency

    chf_customer = SimpleNamespace(currency="CHF")
    assert unusual_currency({"currency": "EUR"}, chf_customer)
    assert not unusual_currency({"currency": "CHF"}, chf_customer)
    assert not unusual_currency({"currency": None}, chf_customer)  # filled from the customer later
    assert not unusual_currency({"currency": "EUR"}, None)  # unknown customer: flagged as such
