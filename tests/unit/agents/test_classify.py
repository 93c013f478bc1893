import pytest

from agents.classify import classify_text


@pytest.mark.parametrize("subject, body, category", [
    ("Rechnung 2026-0815", "anbei erhalten Sie unsere Rechnung. Zahlbar bis 30.11. ohne Abzug.", "supplier_invoice"),
    ("Invoice INV-1001", "Please find attached invoice, amount due 1,200.00 EUR.", "supplier_invoice"),
    ("Newsletter November", "Unsere Angebote des Monats ... Abmelden: hier klicken", "newsletter"),
    ("Automatische Antwort: Bestellung 4711", "Ich bin bis 20.11. nicht im Büro.", "out_of_office"),
    ("Out of Office", "I am currently away with limited access to email.", "out_of_office"),
    ("Preisanfrage Kugellager", "Bitte um ein Angebot für 200 Stk 6204-2RS.", "quote_request"),
    ("Demande de devis", "Merci de nous faire un devis pour 50 roulements.", "quote_request"),
    ("Klacht levering 83141645", "bij pakbon 83141645 waren 3 stuks beschadigd.", "complaint"),
    ("Reclamación entrega", "10 piezas llegaron dañadas, solicitamos reposición.", "complaint"),
    ("Verify your account", "Your password expires today, click here: http://bad.example/login", "spam"),
    ("账户验证", "您的密码即将过期，请点击 http://x.example 验证", "spam"),
])
def test_non_orders_are_never_classified_as_orders(subject, body, category):
    result = classify_text(subject, body, lines_found=1)
    assert result.kind == "not_order" and result.category == category and result.reasons


def test_an_order_with_lines_is_an_order():
    result = classify_text("Bestellung 4711", "bitte liefern Sie folgende Artikel", lines_found=3)
    assert result.kind == "order" and result.confidence >= 0.8


@pytest.mark.parametrize("subject, body, kind", [
    ("Stornierung Bestellung 4711", "bitte stornieren Sie unsere Bestellung 4711.", "cancel"),
    ("Annulation commande GIR1", "Merci d'annuler notre commande GIR1.", "cancel"),
    ("取消订单 CG1", "请取消订单 CG1。", "cancel"),
    ("Änderung zur Bestellung 4711", "bitte ändern Sie die Menge, vollständige Bestellung unten.", "change"),
    ("Amendment to PO BRI1", "Change to PO BRI1 - revised quantities below, full order.", "change"),
    ("Wijziging bestelling 55", "Graag wijzigen: nieuwe aantallen hieronder.", "change"),
    ("Rectificatif commande DUR4", "Cette commande remplace intégralement la commande DUR4.", "change"),
    ("PO 778 (revised)", "This order supersedes PO 778 sent last week.", "change"),
    ("Bestellung 4711", "Diese Bestellung ersetzt unsere Bestellung 4711 vom 2. November.", "change"),
])
def test_changes_and_cancellations_are_recognised(subject, body, kind):
    assert classify_text(subject, body, lines_found=2 if kind == "change" else 0).kind == kind


def test_order_wording_with_an_unreadable_attachment_stays_an_order_for_review():
    result = classify_text("Order - see attachment", "please see the attached order", unreadable_attachment=True)
    assert result.kind == "order" and result.category == "unreadable"


def test_order_wording_without_lines_or_attachment_is_not_booked():
    assert classify_text("Re: order", "thanks for the order confirmation").kind == "not_order"


def test_structured_documents_decide_the_kind():
    assert classify_text("", "", structured="order").kind == "order"
    assert classify_text("", "", structured="cancel").kind == "cancel"
