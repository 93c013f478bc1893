import datetime as dt

from oms_core.confirmations.edi import edifact_ordrsp, order_response, x12_855

from tests.unit.outbox.sample import sample_view

NOW = dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.timezone.utc)


def _segments(document: str, terminator: str) -> list[list[str]]:
    return [seg.strip().split("*") for seg in document.split(terminator) if seg.strip()]


def test_x12_855_acknowledges_accepted_and_backordered_quantities():
    view = sample_view(edi={"sender_id": "BUYER01", "receiver_id": "SELLER01"})
    segments = _segments(x12_855(view, NOW), "~")
    ids = [s[0] for s in segments]
    assert ids[:3] == ["ISA", "GS", "ST"]
    assert len("*".join(segments[0])) == 105  # ISA is fixed width (without terminator)
    assert segments[0][6].strip() == "SELLER01" and segments[0][8].strip() == "BUYER01"
    bak = segments[ids.index("BAK")]
    assert bak[1:4] == ["00", "AC", "PO-7781"]  # AC: acknowledged with changes (backorder)
    acks = [s for s in segments if s[0] == "ACK"]
    assert ["ACK", "IA", "10", "EA", "068", "20261203"] in acks
    assert ["ACK", "IB", "3", "EA", "068", "20261210"] in acks
    se = segments[ids.index("SE")]
    assert int(se[1]) == ids.index("SE") - ids.index("ST") + 1  # segment count incl. ST/SE


def test_edifact_ordrsp_marks_changed_lines_and_backorder_dates():
    document = edifact_ordrsp(sample_view(), NOW)
    segments = [s.strip() for s in document.split("'\n") if s.strip()]
    assert segments[0].startswith("UNA") and segments[1].startswith("UNB+UNOC:3")
    assert "BGM+231+OMS-42+4" in segments
    assert "RFF+ON:PO-7781" in segments
    assert "LIN+2+3+SKU-300:SA" in segments and "QTY+83:3:EA" in segments
    assert "DTM+2:20261210:102" in segments
    unh, unt = segments.index("UNH+1+ORDRSP:D:96A:UN"), next(
        i for i, s in enumerate(segments) if s.startswith("UNT+"))
    assert segments[unt] == f"UNT+{unt - unh + 1}+1"


def test_edifact_escapes_its_separators_in_data():
    document = edifact_ordrsp(sample_view(po_number="A+B'C"), NOW)
    assert "RFF+ON:A?+B?'C" in document


def test_order_response_follows_the_inbound_format():
    assert order_response(sample_view(format="x12"))[0] == "OMS-42.855.x12"
    assert order_response(sample_view(format="edifact"))[0] == "OMS-42.ordrsp.edi"
    assert order_response(sample_view(format="pdf")) is None
