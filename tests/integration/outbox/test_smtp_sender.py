"""The SMTP sender against a real aiosmtpd server with STARTTLS and AUTH."""
from email.message import EmailMessage

import pytest

from oms_core.adapters.smtp import SmtpError, SmtpSender


def message(to="buyer@customer.example") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "orders@oms.test"
    msg["To"] = to
    msg["Subject"] = "Re: Bestellung"
    msg["Message-ID"] = "<oms.confirm.1@oms.test>"
    msg.set_content("Danke")
    return msg


def sender_for(server, **changes) -> SmtpSender:
    options = server.settings_overrides()
    options.update(changes)
    return SmtpSender(options["smtp_host"], options["smtp_port"], options["smtp_security"],
                      options["smtp_user"], options["smtp_password"], options["smtp_ca_file"],
                      timeout=5)


def test_sends_over_starttls_with_login(smtp_server):
    assert sender_for(smtp_server).send(message()) == "<oms.confirm.1@oms.test>"
    (received,) = smtp_server.messages
    assert received["Subject"] == "Re: Bestellung"
    assert smtp_server.handler.envelopes[0] == ("orders@oms.test", ["buyer@customer.example"])


def test_a_refused_recipient_is_a_permanent_error(smtp_server):
    smtp_server.handler.refuse = "550 5.1.1 mailbox unknown"
    with pytest.raises(SmtpError) as caught:
        sender_for(smtp_server).send(message())
    assert not caught.value.transient and "550" in caught.value.message
    assert smtp_server.messages == []


def test_a_temporary_refusal_is_transient(smtp_server):
    smtp_server.handler.refuse = "451 4.3.0 try again later"
    with pytest.raises(SmtpError) as caught:
        sender_for(smtp_server).send(message())
    assert caught.value.transient


def test_wrong_password_is_a_permanent_error(smtp_server):
    with pytest.raises(SmtpError) as caught:
        sender_for(smtp_server, smtp_password="nope").send(message())
    assert not caught.value.transient and "535" in caught.value.message


def test_an_untrusted_certificate_is_refused(smtp_server):
    with pytest.raises(SmtpError) as caught:
        sender_for(smtp_server, smtp_ca_file=None).send(message())
    assert caught.value.transient and "CERTIFICATE_VERIFY_FAILED" in caught.value.message
    assert smtp_server.messages == []


def test_a_server_that_is_down_is_a_transient_error():
    from tests.support.smtp import free_port

    with pytest.raises(SmtpError) as caught:
        SmtpSender("127.0.0.1", free_port(), "starttls", timeout=2).send(message())
    assert caught.value.transient
