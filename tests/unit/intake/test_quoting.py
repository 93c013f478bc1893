import pytest

from intake.documents.quoting import split_body

REPLIES = [
    "On Mon, 3 Mar 2025 at 10:00, Bob <b@x.com> wrote:\n> earlier",
    "On Mon, 3 Mar 2025 at 10:00, Bob Smith <bob@example.com>\nwrote:\n> earlier",
    "Am 03.03.2025 um 10:00 schrieb Hans Meier <h@x.de>:\n> alt",
    "Op ma 3 mrt. 2025 om 10:00 schreef Jan <j@x.nl>:\n> oud",
    "Le lun. 3 mars 2025 à 10:00, Marie <m@x.fr> a écrit :\n> vieux",
    "-----Original Message-----\nFrom: A\nSent: Monday\nTo: B\nSubject: x\n\nold",
    "-----Ursprüngliche Nachricht-----\nVon: A\nGesendet: Montag\n\nalt",
    "Von: Hans <h@x.de>\nGesendet: Montag, 3. März 2025\nAn: B\nBetreff: x\n\nalt",
    "________________________________\nFrom: A <a@x>\nSent: Monday\nTo: B\n\nold",
    "------------------ 原始邮件 ------------------\n发件人: 张三\n发送时间: 2025年3月3日\n主题: 订单\n旧",
    "发件人: 张三\n发送时间: 2025年3月3日\n收件人: 李四\n主题: 订单\n\n旧",
    "> quoted line one\n> quoted line two",
]


@pytest.mark.parametrize("history", REPLIES)
def test_reply_history_is_split_from_the_newest_part(history):
    split = split_body("Please ship 5 boxes of A-1.\n\n" + history)
    assert split.newest == "Please ship 5 boxes of A-1."
    assert split.quoted.startswith(history.split("\n")[0].strip())
    assert split.forwarded is None


def test_a_body_without_history_stays_whole():
    text = "Order for 5 pieces\nFrom: warehouse Berlin\nthanks"
    assert split_body(text).newest == text


def test_an_inline_forward_keeps_the_forwarded_message_and_its_headers():
    text = ("FYI\n\n---------- Forwarded message ---------\nFrom: Customer <c@cust.com>\n"
            "Date: Mon, 3 Mar 2025\nSubject: PO 4711\nTo: <sales@us.com>\n\nPlease deliver 5 x A-1")
    split = split_body(text, "Fwd: PO 4711")
    assert split.newest == "FYI"
    assert "Please deliver 5 x A-1" in split.forwarded
    assert split.forwarded_meta["from"] == "Customer <c@cust.com>"
    assert split.forwarded_meta["subject"] == "PO 4711"


def test_an_outlook_header_block_under_a_fw_subject_is_a_forward():
    text = "see below\n\n________________________________\nFrom: C <c@cust.com>\nSent: Monday\nTo: s\nSubject: PO 9\n\norder body"
    split = split_body(text, "FW: PO 9")
    assert split.newest == "see below" and split.quoted == ""
    assert split.forwarded.endswith("order body")
