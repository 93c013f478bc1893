"""Layout memory: a corrected field's position is learned and read on the next document."""
from __future__ import annotations

from agents.layout_memory import apply_layout_hint, build_layout_hint
from agents.master import MasterView
from tests.unit.agents.fakes import message, pdf_document


def test_corrected_po_number_and_date_positions_are_read_on_the_next_document():
    first = message("l1", documents=[pdf_document([("Bestellung", 50, 100), ("4500012345", 400, 100),
                                                   ("Datum", 50, 120), ("03.02.2025", 400, 120)])])
    hint = build_layout_hint(first, {"po_number": "4500012345", "order_date": "2025-02-03"})
    assert set(hint["fields"]) == {"po_number", "order_date"}
    assert hint["fields"]["order_date"]["format"] == "dmy."
    master = MasterView(layout_hints={("C100", "layout-A"): hint})
    second = message("l2", documents=[pdf_document([("Bestellung", 50, 100), ("4500099999", 400, 100),
                                                    ("Datum", 50, 120), ("17.04.2025", 400, 120)])])
    extracted = {"layout_key": "layout-A", "po_number": "Bestellung", "order_date": None, "confidence": {}}
    fixed, used = apply_layout_hint(extracted, second, master)
    assert fixed["po_number"] == "4500099999" and fixed["order_date"] == "2025-04-17"
    assert used and fixed["confidence"]["po_number"] >= 0.95


def test_no_hint_for_an_unknown_layout_changes_nothing():
    extracted = {"layout_key": "other", "po_number": "X"}
    assert apply_layout_hint(extracted, message("l3"), MasterView()) == (extracted, None)
