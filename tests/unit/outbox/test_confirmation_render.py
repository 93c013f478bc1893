from oms_core.confirmations import LANGUAGES, language_for, render_confirmation
from oms_core.confirmations.render import reply_subject

from tests.unit.outbox.sample import sample_view


def test_german_confirmation_lists_lines_prices_backorders_and_delivery_date():
    subject, text, html = render_confirmation(sample_view(), "de")
    text = text.replace("\xa0", " ")  # babel puts a no-break space before the euro sign
    assert subject == "Re: Bestellung PO-7781"
    assert "vielen Dank für Ihre Bestellung PO-7781" in text
    assert "10 EA x 18,50 € = 185,00 €\n   Bestätigt: 10 EA\n" in text
    assert "Im Rückstand: 3 EA (voraussichtlich 10.12.2026)" in text
    assert "Liefertermin: 03.12.2026" in text
    assert "Auftragssumme: 1.234,50 €" in text
    assert "Backpapier" in html and "10.12.2026" in html


def test_every_language_has_its_own_wording():
    texts = {lang: render_confirmation(sample_view(), lang)[1] for lang in LANGUAGES}
    assert len(set(texts.values())) == len(LANGUAGES)
    assert "Orderbevestiging" not in texts["nl"]  # subject words stay in the subject
    assert "Bevestigd" in texts["nl"]
    assert "Confirmé" in texts["fr"]
    assert "已确认" in texts["zh"]
    assert "5 EA x €4.25 = €21.25\n   Confirmed: 2 EA\n   Backordered: 3 EA" in texts["en"]


def test_unknown_or_regional_languages_fall_back_sensibly():
    assert language_for("de-AT") == "de"
    assert language_for("pt") == "en"
    assert language_for(None) == "en"


def test_html_escapes_what_the_customer_wrote():
    view = sample_view(po_number="<script>alert(1)</script>")
    _subject, text, html = render_confirmation(view, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in text  # plain text is not HTML


def test_subject_without_an_original_email_names_the_po():
    subject, _text, _html = render_confirmation(sample_view(reply_to=None), "fr")
    assert subject == "Confirmation de commande PO-7781"


def test_reply_subject_is_not_prefixed_twice():
    assert reply_subject("AW: Bestellung", "x") == "AW: Bestellung"
    assert reply_subject("Order 5", "x") == "Re: Order 5"


def test_order_without_backorders_has_no_backorder_note():
    view = sample_view()
    view["lines"] = view["lines"][:1]
    _subject, text, _html = render_confirmation(view, "en")
    assert "Backordered" not in text
