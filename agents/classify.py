"""What an inbound message is: order, change, cancel, or not an order (with the sort of non-order).

Keywords in six languages plus structure (EDI/UBL documents, a line table that was read, mail
headers such as Auto-Submitted). A non-order must never be taken for an order, so an order needs
positive evidence (structured order, or order words plus readable lines), and strong non-order
evidence (invoice, newsletter, auto-reply, quote request, complaint, phishing) wins over weak
order evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.model import InboundMessage

NOT_ORDER_KINDS = ("supplier_invoice", "newsletter", "out_of_office", "quote_request", "complaint", "spam")


@dataclass
class Classification:
    kind: str  # order | change | cancel | not_order
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.5
    category: str | None = None  # for not_order: supplier_invoice, newsletter, ...


def _rx(words: str) -> re.Pattern:
    parts = [w.strip() for w in words.split("|") if w.strip()]
    alts = []
    for part in parts:
        esc = re.escape(part).replace(r"\ ", r"\s+")
        alts.append(esc if re.search(r"[\u4e00-\u9fff]", part) else rf"(?<![\w]){esc}(?![\w])")
    return re.compile("|".join(alts), re.IGNORECASE)


ORDER = _rx(
    "purchase order|order|our order|new order|PO|P.O.|please supply|please deliver|please ship|we would like to order"
    "|we order|kindly supply|Bestellung|bestellen|bestellt|Auftrag|Bestellnummer|bitte liefern|liefern Sie|wir bestellen"
    "|Nachbestellung|bestelling|bestellen|inkooporder|graag leveren|wij bestellen|commande|bon de commande|commander"
    "|veuillez livrer|merci de livrer|nous commandons|pedido|orden de compra|hacemos el pedido|les solicitamos|"
    "favor de enviar|por favor envíen|订单|采购订单|订购|采购|请发货|下单")
CHANGE = _rx(
    "change order|order change|amended order|amendment|revised order|updated order|order update|please change|"
    "please amend|modify|correction to order|Änderung|Auftragsänderung|Bestelländerung|geänderte Bestellung|bitte ändern"
    "|ändern Sie|Korrektur|Mengenänderung|statt|anstatt|wijziging|gewijzigde bestelling|graag wijzigen|in plaats van"
    "|modification|commande modifiée|veuillez modifier|au lieu de|modificación|pedido modificado|modificar|cambio"
    "|en lugar de|en vez de|订单变更|变更|修改|更改|改为")
CANCEL = _rx(
    "cancel|cancellation|cancelled|canceled|please cancel|Storno|Stornierung|stornieren|storniert|stornieren Sie"
    "|annullieren|annuleren|annulering|geannuleerd|annulation|annuler|annulez|annulée|anulación|anular|anulen|cancelar"
    "|cancelación|anulado|取消订单|取消|撤销")
INVOICE = _rx(
    "invoice|invoice number|invoice no|amount due|payment due|Rechnung|Rechnungsnummer|Rechnungsbetrag|zahlbar bis"
    "|Zahlungsziel|factuur|factuurnummer|te betalen|facture|numéro de facture|montant dû|à payer avant|factura"
    "|número de factura|importe a pagar|vencimiento|发票|发票号|应付金额|credit note|Gutschrift")
NEWSLETTER = _rx(
    "newsletter|unsubscribe|abmelden|abbestellen|afmelden|uitschrijven|se désinscrire|désabonner|désinscription"
    "|darse de baja|cancelar suscripción|退订|取消订阅|webinar|special offer|sonderangebot|aanbieding|promotion|promoción"
    "|view in browser|im Browser anzeigen|bekijk in browser|voir dans le navigateur|ver en el navegador")
OUT_OF_OFFICE = _rx(
    "out of office|out-of-office|automatic reply|auto-reply|autoreply|I am currently away|on vacation|on leave"
    "|abwesend|Abwesenheit|Abwesenheitsnotiz|automatische Antwort|nicht im Büro|afwezig|automatisch antwoord"
    "|niet op kantoor|absent du bureau|réponse automatique|je suis absent|absente|fuera de la oficina"
    "|respuesta automática|estoy ausente|自动回复|不在办公室|休假")
QUOTE_REQUEST = _rx(
    "request for quotation|request for quote|RFQ|please quote|send us a quote|send us an offer|quotation request"
    "|price request|could you quote|what would be the price|Preisanfrage|Angebotsanfrage|bitte um ein Angebot"
    "|bitte um Angebot|um ein Angebot|Angebot anfordern|bitten um Ihr Angebot|Anfrage|offerteaanvraag|offerte aanvragen"
    "|graag een offerte|prijsopgave|demande de devis|demande de prix|faire un devis|un devis|solicitud de cotización"
    "|solicitamos presupuesto|solicitud de presupuesto|cotización|presupuesto|询价|请报价|报价单")
COMPLAINT = _rx(
    "complaint|damaged|defective|broken|wrong item|wrong items|missing items|not received|Reklamation|Beschwerde"
    "|beschädigt|defekt|falsche Lieferung|fehlerhafte|nicht erhalten|klacht|beschadigd|kapot|verkeerde levering"
    "|réclamation|endommagé|défectueux|mauvaise livraison|reclamación|queja|dañado|defectuoso|投诉|损坏|质量问题")
SPAM = _rx(
    "verify your account|confirm your password|password expires|your account will be suspended|click here|login now"
    "|update your payment|bank details have changed|new bank details|gift card|bitcoin|crypto|lottery|you have won"
    "|Konto bestätigen|Passwort|Kontosperrung|neue Bankverbindung|account verifiëren|wachtwoord|vérifiez votre compte"
    "|mot de passe|verifique su cuenta|contraseña|账户验证|密码|中奖|order now|buy now|best price|cheap|limited time"
    "|jetzt kaufen|nu kopen|achetez maintenant|compre ahora|立即购买")
_PERCENT_OFF = re.compile(r"(?i)\d+\s*%\s*(?:off|rabatt|korting|de réduction|remise|descuento|折)")


def _count(pattern: re.Pattern, text: str) -> int:
    return len(pattern.findall(text))


def classify_text(subject: str, body: str, attachment_text: str = "", *, structured: str | None = None,
                  lines_found: int = 0, headers: dict[str, str] | None = None,
                  unreadable_attachment: bool = False) -> Classification:
    """Classify from the subject, newest body, attachment text and structural evidence."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    reasons: list[str] = []
    head = f"{subject}\n{body}"
    head_l = head.lower()
    auto = headers.get("auto-submitted", "no").lower() not in {"", "no"} or "x-autoreply" in headers or \
        headers.get("x-auto-response-suppress") is not None and _count(OUT_OF_OFFICE, head) > 0
    if auto or _count(OUT_OF_OFFICE, subject) or (_count(OUT_OF_OFFICE, body) and lines_found == 0 and not structured):
        return Classification("not_order", ["out-of-office / automatic reply"], 0.95, "out_of_office")
    if "list-unsubscribe" in headers or _count(NEWSLETTER, head) >= 2:
        if not structured:
            return Classification("not_order", ["newsletter markers (unsubscribe/list headers)"], 0.9, "newsletter")
    spam = _count(SPAM, head) + len(_PERCENT_OFF.findall(head))
    if spam >= 1 and (re.search(r"https?://", head_l) or spam >= 2) and not structured:
        return Classification("not_order", ["phishing/spam phrases"], 0.85, "spam")
    cancel = _count(CANCEL, head)
    change = _count(CHANGE, head)
    orders = _count(ORDER, head) + _count(ORDER, attachment_text[:3000])
    if structured in {"cancel", "change"}:
        return Classification(structured, [f"structured document says {structured}"], 0.98)
    if structured == "order":
        reasons.append("structured order document (EDI/UBL/XML)")
    subject_kind = None
    if _count(CANCEL, subject):
        subject_kind = "cancel"
    elif _count(CHANGE, subject):
        subject_kind = "change"
    invoice_subject = _count(INVOICE, subject)
    invoice_doc = _count(INVOICE, attachment_text[:1500]) + _count(INVOICE, body)
    if (invoice_subject or invoice_doc >= 2) and not _count(ORDER, subject) and structured != "order":
        return Classification("not_order", ["supplier invoice wording"], 0.85 if invoice_subject else 0.7, "supplier_invoice")
    quote = _count(QUOTE_REQUEST, head)
    if quote and not structured and (_count(ORDER, subject) == 0 or _count(QUOTE_REQUEST, subject)):
        if not re.search(r"(?i)\b(?:gemäß|according to|per your|as per|selon|conforme|volgens|según)\b[^.\n]{0,30}"
                         r"(?:angebot|quote|quotation|offer|devis|offerte|cotización|presupuesto)", head):
            return Classification("not_order", ["quote request wording"], 0.8, "quote_request")
    complaint = _count(COMPLAINT, head)
    complaint_subject = _count(COMPLAINT, subject)
    if not structured and cancel == 0 and (complaint_subject or (complaint and (lines_found == 0 or not _count(ORDER, subject)))):
        return Classification("not_order", ["complaint wording"], 0.8, "complaint")
    if subject_kind == "cancel" or (cancel and (lines_found == 0 or cancel > change)):
        return Classification("cancel", ["cancellation wording"], 0.85)
    if subject_kind == "change" or (change and orders):
        return Classification("change", ["change wording"], 0.8)
    if structured == "order":
        return Classification("order", reasons, 0.98)
    if lines_found and orders:
        return Classification("order", ["order wording", f"{lines_found} line(s) read"], 0.9)
    if lines_found >= 1:
        return Classification("order", [f"{lines_found} line(s) read, no order wording"], 0.65)
    if orders and unreadable_attachment:
        return Classification("order", ["order wording; the attached document cannot be read"], 0.6, "unreadable")
    if orders:
        return Classification("not_order", ["order wording but no readable lines"], 0.5, "unreadable")
    return Classification("not_order", ["no order evidence"], 0.7, "other")


def classify(message: InboundMessage, orders: list | None = None) -> Classification:
    """Classify a message; `orders` (already extracted) adds structural evidence."""
    body_docs = [d for d in message.documents if d.kind == "text" and d.part.endswith(("body", "body.forwarded"))]
    body = "\n".join(d.text for d in body_docs)
    attachments = [d for d in message.readable_documents if d not in body_docs]
    attachment_text = "\n".join((d.text or "\n".join(p.text for p in d.pages))[:3000] for d in attachments)
    structured = None
    lines_found = 0
    for order in orders or []:
        if order.extractor in {"edifact", "x12", "ubl", "voxel", "xml"}:
            structured = order.kind if order.kind != "not_order" else "order"
        lines_found = max(lines_found, len(order.lines))
    unreadable = any(not d.readable or (d.kind == "pdf" and not any(p.words for p in d.pages) and not d.embedded)
                     for d in message.documents if d not in body_docs)
    return classify_text(message.subject or "", body, attachment_text, structured=structured, lines_found=lines_found,
                         headers=getattr(message, "headers", None), unreadable_attachment=unreadable)
