import email
import email.policy

import pytest

from oms_core.confirmations.mail import NoRecipient, build_reply, message_id_for

from tests.unit.outbox.sample import sample_view


def test_reply_is_threaded_under_the_purchase_order_email():
    message = build_reply(sample_view(), "Re: Bestellung PO-7781", "text", "<p>html</p>",
                          sender="orders@oms.test", message_id="<oms.confirm.42@oms.test>")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["In-Reply-To"] == "<po-7781@kunde.example>"
    assert parsed["References"] == "<older@kunde.example> <po-7781@kunde.example>"
    assert parsed["To"] == "Einkauf <einkauf@kunde.example>"
    assert parsed["Message-ID"] == "<oms.confirm.42@oms.test>"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>html</p>"


def test_message_id_is_stable_per_outbox_key_so_a_resend_is_recognisable():
    first = message_id_for("confirm:42", "Orders <orders@oms.test>")
    assert first == message_id_for("confirm:42", "Orders <orders@oms.test>")
    assert first == "<oms.confirm.42@oms.test>"
    assert first != message_id_for("confirm:43", "orders@oms.test")


def test_an_order_without_any_address_cannot_be_confirmed_by_mail():
    with pytest.raises(NoRecipient):
        build_reply(sample_view(reply_to=None), "s", "t", None, sender="o@oms.test",
                    message_id="<x@oms.test>")


def test_edi_attachment_rides_along_with_the_text():
    message = build_reply(sample_view(), "s", "t", None, sender="o@oms.test",
                          message_id="<x@oms.test>",
                          attachments=(("OMS-42.855.x12", "application/edi-x12", b"ISA*00~"),))
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["OMS-42.855.x12"]
