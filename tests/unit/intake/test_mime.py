from datetime import timedelta

from intake.keys import message_key
from intake.mime import parse_message
from tests.unit.intake.builders import make_message, make_pdf


def _raw(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body


def test_headers_are_decoded_and_the_sender_is_lower_case():
    raw = _raw(
        "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <Juergen@Customer.DE>\n"
        "To: orders@us.com, \"B\" <B@us.com>\nCc: c@us.com\n"
        "Subject: =?iso-8859-1?q?Bestellung_f=FCr_M=E4rz?=\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n"
        "Message-ID: <abc@customer.de>\nIn-Reply-To: <q@us.com>\nReferences: <p@us.com> <q@us.com>\n",
        b"Hallo\r\n",
    )
    message = parse_message(raw)
    assert message.sender == "juergen@customer.de"
    assert message.sender_name == "Jürgen Müller"
    assert message.to == ["orders@us.com", "b@us.com"] and message.cc == ["c@us.com"]
    assert message.subject == "Bestellung für März"
    assert message.date.utcoffset() == timedelta(hours=1)
    assert message.message_id == "<abc@customer.de>"
    assert message.in_reply_to == "<q@us.com>" and message.references == ["<p@us.com>", "<q@us.com>"]
    assert message.key == message_key(raw, "<abc@customer.de>")
    assert message.status == "ok"


def test_a_date_without_zone_is_still_timezone_aware():
    message = parse_message(_raw("From: a@b.c\nDate: Mon, 3 Mar 2025 10:00:00 -0000\n", b"x"))
    assert message.date.tzinfo is not None


def test_a_given_key_is_kept():
    assert parse_message(make_message(body="x"), key="k" * 32).key == "k" * 32


def test_windows_1252_body_is_decoded():
    raw = _raw("From: a@b.c\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n",
               "Größe 5 Stück – 12,50 €".encode("cp1252"))
    assert parse_message(raw).documents[0].text == "Größe 5 Stück – 12,50 €"


def test_latin_9_and_latin_1_bodies_are_decoded():
    raw15 = _raw("From: a@b.c\nContent-Type: text/plain; charset=iso-8859-15\n", "Preis 10 €".encode("iso-8859-15"))
    raw1 = _raw("From: a@b.c\nContent-Type: text/plain; charset=iso-8859-1\n", "Menge: 5 Stück".encode("latin-1"))
    assert parse_message(raw15).documents[0].text == "Preis 10 €"
    assert parse_message(raw1).documents[0].text == "Menge: 5 Stück"


def test_gb2312_and_gbk_bodies_are_decoded():
    text = "请发货：产品编号 A-1，数量 5 件"
    for charset in ("gb2312", "gbk"):
        raw = _raw(f"From: a@b.c\nContent-Type: text/plain; charset={charset}\n", text.encode("gbk"))
        assert parse_message(raw).documents[0].text == text


def test_an_undeclared_or_wrong_charset_is_guessed():
    text = "Bitte liefern Sie 5 Stück Größe M an unser Lager in München. Vielen Dank für die schnelle Bearbeitung."
    raw = _raw("From: a@b.c\nContent-Type: text/plain; charset=us-ascii\n", text.encode("utf-8"))
    assert parse_message(raw).documents[0].text == text
    raw = _raw("From: a@b.c\nContent-Type: text/plain; charset=utf-8\n", text.encode("cp1252"))
    assert "Stück" in parse_message(raw).documents[0].text


def test_raw_8bit_headers_are_decoded():
    raw = "From: 张三 <zhang@kunde.cn>\r\nSubject: 订单 PO-1\r\n\r\nbody".encode("utf-8")
    message = parse_message(raw)
    assert message.subject == "订单 PO-1" and message.sender_name == "张三"


def test_html_only_bodies_become_text_with_tables_and_no_markup():
    html = "<html><body><p>Please ship:</p><table><tr><th>SKU</th><th>Qty</th></tr><tr><td>A-1</td><td>5</td></tr></table><script>x()</script></body></html>"
    raw = _raw("From: a@b.c\nContent-Type: text/html; charset=utf-8\n", html.encode())
    body = parse_message(raw).documents[0]
    assert body.text == "Please ship:\n\nSKU\tQty\nA-1\t5"
    assert "<" not in body.text
    table = body.tables[0]
    assert table.rows == [["SKU", "Qty"], ["A-1", "5"]] and table.header_row == 0
    assert table.cell_sources[1][0].part == "body.html" and table.cell_sources[1][0].line == 1


def test_plain_text_is_preferred_unless_it_lost_the_html_table():
    same = make_message(body="Please ship 5 x A-1", html="<p>Please ship <b>5</b> x A-1</p>")
    assert parse_message(same).documents[0].content_type == "text/plain"
    lost = make_message(body="See the table.", html="<table><tr><td>SKU</td><td>Qty</td></tr><tr><td>A-1</td><td>5</td></tr></table>")
    body = parse_message(lost).documents[0]
    assert "A-1\t5" in body.text and body.tables


def test_reply_history_goes_to_quoted_text_and_words_know_their_line():
    raw = make_message(body="Please add 3 x B-2.\n\nOn Mon, 3 Mar 2025, Sales <s@us.com> wrote:\n> Thanks for order 4711")
    body = parse_message(raw).documents[0]
    assert body.part == "body"
    assert body.text == "Please add 3 x B-2."
    assert body.quoted_text.startswith("On Mon, 3 Mar 2025")
    assert [(w.text, w.source.part, w.source.line) for w in body.pages[0].words][:2] == [("Please", "body", 0), ("add", "body", 0)]


def test_an_inline_forward_becomes_its_own_document_with_the_original_sender():
    raw = make_message(subject="Fwd: PO 4711", body=(
        "FYI\n\n---------- Forwarded message ---------\nFrom: Customer <c@cust.com>\nDate: Mon, 3 Mar 2025\n"
        "Subject: PO 4711\nTo: <sales@us.com>\n\nPlease deliver 5 x A-1\n\nOn Sun wrote:\n> older"))
    body, forwarded = parse_message(raw).documents
    assert body.text == "FYI"
    assert forwarded.part == "body.forwarded" and forwarded.meta["from"] == "Customer <c@cust.com>"
    assert "Please deliver 5 x A-1" in forwarded.text and "older" in forwarded.quoted_text


def test_an_attached_eml_yields_its_own_documents_with_nested_part_names():
    pdf = make_pdf([["PO 4711", "A-1 5 pcs"]])
    inner = make_message(body="Order attached.", subject="PO 4711", sender="Customer <c@cust.com>",
                         attachments=[("PO-4711.pdf", pdf, "application/pdf")], message_id="<inner@cust.com>")
    outer = make_message(body="Forwarding the customer's order.", subject="Fwd: PO 4711", sender="Rep <rep@us.com>",
                         attachments=[("PO.eml", inner, "message/rfc822")])
    message = parse_message(outer)
    parts = [d.part for d in message.documents]
    assert parts == ["body", "attachment:PO.eml/body", "attachment:PO.eml/attachment:PO-4711.pdf"]
    nested_body, nested_pdf = message.documents[1:]
    assert nested_body.text == "Order attached." and nested_body.meta["from"] == "Customer <c@cust.com>"
    assert nested_pdf.kind == "pdf" and nested_pdf.pages[0].words[0].source.part == "attachment:PO.eml/attachment:PO-4711.pdf"


def test_attachments_are_read_and_oversized_ones_get_a_status():
    pdf = make_pdf([["PO 4711"]])
    raw = make_message(body="see attached", attachments=[("PO.pdf", pdf, "application/pdf"), ("big.csv", b"a;b\n1;2\n" * 2000, "text/csv")])
    message = parse_message(raw, max_attachment_bytes=10_000)
    pdf_doc, csv_doc = message.documents[1:]
    assert pdf_doc.kind == "pdf" and pdf_doc.readable and pdf_doc.part == "attachment:PO.pdf"
    assert csv_doc.status.startswith("unreadable: attachment too large") and csv_doc.size == 16000
    assert len(csv_doc.sha256) == 64


def test_truncated_mime_gets_a_status_and_keeps_what_was_readable():
    raw = make_message(body="Please ship 5 x A-1", attachments=[("PO.pdf", make_pdf([["PO 4711"]]), "application/pdf")])
    message = parse_message(raw[: len(raw) * 2 // 3])
    assert message.status == "unreadable: truncated mime (closing boundary missing)"
    assert message.documents[0].text == "Please ship 5 x A-1"
    assert not message.documents[1].readable


def test_empty_and_headerless_input_get_statuses():
    assert parse_message(b"").status == "unreadable: empty message"
    assert parse_message(b"\x00\x01 just bytes").status.startswith("unreadable")


def test_inline_logo_images_are_skipped_with_a_warning_not_an_unreadable_document():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "a@b.c"
    msg.set_content("Order below")
    msg.add_alternative("<p>Order below</p><img src='cid:logo'>", subtype="html")
    msg.get_payload()[1].add_related(b"\x89PNG....", maintype="image", subtype="png", cid="<logo>")
    message = parse_message(msg.as_bytes())
    assert [d.kind for d in message.documents] == ["text"]
    assert any("inline image" in w for w in message.warnings)
