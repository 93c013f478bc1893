"""Header fields in label/value layouts seen only outside the tuning corpus (held-out wordings)."""
import pytest

from agents.extractors.dates import parse_date
from agents.extractors.offline_pdf import extract_pdf
from agents.extractors.offline_text import extract_text

from tests.unit.agents.extractors.helpers import pdf_document, text_document

TABLE = [(40, "Pos"), (70, "Artikel"), (160, "Beschreibung"), (330, "Menge"), (380, "Einheit"), (430, "Preis"),
         (510, "Gesamt")]
ROW = [(40, "1"), (70, "KL-10081"), (160, "Rillenkugellager 6001"), (340, "10"), (380, "ST"), (440, "6,49"),
       (510, "64,90")]


def _order(header_lines, below=()):
    lines = [(40 + 15 * i, cells) for i, cells in enumerate(header_lines)]
    lines += [(200, TABLE), (220, ROW)] + [(235 + 15 * i, cells) for i, cells in enumerate(below)]
    return extract_pdf(pdf_document([lines]))


@pytest.mark.parametrize("label, value, expected", [
    ("Liefern bis", "11. Jan. 2027", "2027-01-11"),
    ("Gewünschter Eingang", "Montag, 14.12.2026", "2026-12-14"),
    ("Deliver on", "18-Jan-2027", "2027-01-18"),
    ("Due date", "Oct 10, 2026", "2026-10-10"),
    ("Uiterste leverdatum", "25 jan. 2027", "2027-01-25"),
    ("À livrer le", "28 déc. 2026", "2026-12-28"),
    ("需求日期", "2027年01月07日", "2027-01-07"),
])
def test_requested_delivery_date_is_read_after_its_label_in_every_language(label, value, expected):
    order = _order([[(40, "Muster GmbH"), (300, "Bestellnummer"), (420, "B-4711")], [(300, label), (420, value)]])
    assert order.requested_delivery_date == expected


def test_caption_printed_above_its_value_names_po_number_and_delivery_date():
    order = _order([[(40, "Unser Zeichen"), (300, "Gewünschter Eingang")],
                    [(40, "PO-2026-20324"), (300, "Donnerstag, 31.12.2026")]])
    assert (order.po_number, order.requested_delivery_date) == ("PO-2026-20324", "2026-12-31")


def test_pairs_separated_by_a_bar_on_one_line_are_read_separately():
    order = _order([[(40, "Bestellung · B/2026/1670")],
                    [(40, "Émise le jeudi 19 novembre 2026 | À livrer le lundi 11 janvier 2027")]])
    assert order.requested_delivery_date == "2027-01-11"


def test_per_line_schedule_gives_the_header_date_most_lines_share():
    order = _order([[(40, "Einkaufsbeleg: GRU204761")]],
                   below=[[(70, "Einteilung: 2027-01-12 10 ST")]])
    assert (order.po_number, order.requested_delivery_date) == ("GRU204761", "2027-01-12")


def test_cover_letter_sentence_gives_the_delivery_date_when_no_label_does():
    order = _order([[(40, "Inkoopordernummer: 260086")],
                    [(40, "Wij verwachten de goederen uiterlijk 2027-01-18 op onze locatie in Rotterdam.")]])
    assert order.requested_delivery_date == "2027-01-18"


def test_an_amount_after_an_order_label_is_never_a_po_number():
    order = extract_text(text_document(
        "we need the items below delivered by Dec 23, 2026; please book them against order ref. PO-2026-14878.\n"
        "- Machine tap HSS-E M12 (WZ-10198) - 6 each, 22.26 GBP each\n"
        "Order value 136.84 GBP net\n"))
    assert order.po_number == "PO-2026-14878"


@pytest.mark.parametrize("text, expected", [
    ("21-Jan-2027", "2027-01-21"), ("14-Dec-26", "2026-12-14"), ("30 déc. 2026", "2026-12-30"),
    ("12th January 2027", "2027-01-12"), ("2026年12月14号", "2026-12-14"), ("14.12.26", "2026-12-14"),
])
def test_more_local_date_forms_become_iso(text, expected):
    assert parse_date(text) == expected


def test_a_title_label_with_a_word_after_it_takes_the_value_from_the_next_part_of_the_line():
    order = _order([[(40, "Bon de commande fournisseur · 726447")]])
    assert order.po_number == "726447"


def test_a_po_number_has_a_digit_a_legal_form_is_not_one():
    from agents.extractors.fields import _valid

    assert _valid("po_number", "Durand Mécanique SARL", "dmy", "fr") is None
    assert _valid("po_number", "4527086427", "dmy", "fr") == "4527086427"
    assert _valid("po_number", "B/2026/0867", "dmy", "nl") == "B/2026/0867"
