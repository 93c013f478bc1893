from email.message import EmailMessage

from oms.settings import Settings
from oms_core.adapters.smtp import PickupDirSender, SmtpSender, build_sender


def confirmation(message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["Message-ID"] = message_id
    message["Subject"] = "Re: PO 4711"
    message.set_content("confirmed")
    return message


def test_each_message_becomes_one_eml_file_and_a_resend_replaces_it(tmp_path):
    sender = PickupDirSender(tmp_path / "out")
    assert sender.send(confirmation("<confirm-1@oms>")) == "<confirm-1@oms>"
    sender.send(confirmation("<confirm-1@oms>"))
    sender.send(confirmation("<confirm-2@oms>"))
    files = sorted((tmp_path / "out").glob("*.eml"))
    assert len(files) == 2
    assert b"Subject: Re: PO 4711" in files[0].read_bytes()


def test_smtp_wins_over_the_pickup_folder_when_a_host_is_configured(tmp_path):
    assert isinstance(build_sender(Settings(smtp_pickup_dir=tmp_path)), PickupDirSender)
    assert isinstance(build_sender(Settings(smtp_pickup_dir=tmp_path, smtp_host="mail")), SmtpSender)
