"""Bounded fuzzing: whatever the bytes, parse_message and every reader return a status, never raise."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.documents import read_document
from intake.mime import parse_message
from tests.unit.intake.builders import make_message, make_pdf, make_xlsx
from tests.unit.intake.test_edi import X12

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _seeds() -> dict[str, bytes]:
    return {
        "po.pdf": make_pdf([["Purchase Order 4711", "A-1 5 12.50"]], table=[["SKU", "Qty"], ["A-1", "5"]]),
        "po.xlsx": make_xlsx({"S": [["SKU", "Qty"], ["A-1", 5]]}),
        "po.csv": "SKU;Menge;Preis\nA-1;5;12,50\n".encode("cp1252"),
        "po.x12": X12.encode(),
        "po.edi": b"UNA:+.? 'UNB+UNOA:2+S+R+250303:1000+1'UNH+1+ORDERS:D:96A:UN'BGM+220+P?+1+9'QTY+21:5'UNT+4+1'UNZ+1+1'",
        "po.xml": b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>7</ID></Order>',
        "po.zip": _zip({"po.csv": b"sku;qty\nA-1;5\n", "po.xml": b"<Order><ID>1</ID></Order>"}),
        "po.eml": make_message(body="see attached", attachments=[("po.csv", b"sku;qty\nA-1;5\n", "text/csv")]),
        "po.html": b"<html><body><table><tr><td>SKU</td><td>Qty</td></tr><tr><td>A-1</td><td>5</td></tr></table></body></html>",
    }


SEEDS = _seeds()


@st.composite
def mutated(draw, seed: bytes):
    """The seed with a few bytes flipped, a slice cut out, or cut short."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()) and len(data) > 2:
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start, min(len(data), start + 200)))
        del data[start:end]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def _assert_status(doc) -> None:
    assert doc.status == "ok" or doc.status.startswith("unreadable: "), doc.status
    # the catch-all in read_document is a safety net: a reader must name its own failures
    assert not doc.status.startswith("unreadable: reader failed"), doc.status
    assert len(doc.sha256) == 64
    for child in doc.embedded:
        _assert_status(child)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_reader_turns_damaged_files_into_statuses(name):
    @FUZZ
    @given(mutated(SEEDS[name]))
    def check(data):
        _assert_status(read_document(name, data))

    check()


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(sorted(SEEDS) + ["x.bin", "noext"]))
def test_random_bytes_under_any_name_get_a_status(data, name):
    _assert_status(read_document(name, data))


MESSAGE = make_message(
    body="Please ship.\n\nOn Mon, Bob wrote:\n> old", html="<p>Please <b>ship</b></p>", subject="=?utf-8?q?Bestellung_f=C3=BCr?=",
    attachments=[("po.csv", SEEDS["po.csv"], "text/csv"), ("po.xml", SEEDS["po.xml"], "application/xml")],
)


@FUZZ
@given(mutated(MESSAGE))
def test_damaged_messages_get_a_status_never_an_exception(raw):
    message = parse_message(raw)
    assert message.status == "ok" or message.status.startswith("unreadable: ")
    assert not message.status.startswith("unreadable: mime parse failed"), message.status
    for doc in message.documents:
        _assert_status(doc)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_as_a_message_get_a_status(raw):
    message = parse_message(raw)
    assert message.status == "ok" or message.status.startswith("unreadable: ")
    assert not message.status.startswith("unreadable: mime parse failed"), message.status
    assert len(message.key) == 32
