import io
import zipfile

from intake.documents import Limits, read_document
from intake.mime import parse_message
from tests.unit.intake.builders import make_message, make_pdf, make_xlsx


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_zip_attachment_members_become_documents_with_nested_parts():
    data = _zip({"orders/po.csv": b"sku;qty\nA-1;5\n", "readme.txt": b"hello"})
    doc = read_document("orders.zip", data)
    assert doc.kind == "archive" and doc.readable
    assert [d.part for d in doc.embedded] == ["attachment:orders.zip/orders/po.csv", "attachment:orders.zip/readme.txt"]
    assert doc.embedded[0].tables[0].rows[1] == ["A-1", "5"]


def test_zip_members_are_flattened_into_the_message_documents():
    raw = make_message(body="orders attached", attachments=[("o.zip", _zip({"po.csv": b"sku;qty\nA-1;5\n"}), "application/zip")])
    parts = [d.part for d in parse_message(raw).documents]
    assert parts == ["body", "attachment:o.zip", "attachment:o.zip/po.csv"]


def test_zip_bomb_is_refused_before_unpacking():
    bomb = _zip({"zeros.csv": b"0" * 5_000_000})
    assert len(bomb) < 50_000
    doc = read_document("bomb.zip", bomb)
    assert doc.status.startswith("unreadable: zip bomb suspected") and doc.embedded == []


def test_archive_whose_total_would_exceed_the_limit_is_refused():
    data = _zip({f"f{i}.txt": bytes(range(256)) * 400 for i in range(5)})
    doc = read_document("many.zip", data, limits=Limits(max_bytes=200_000, max_total_unpacked=300_000))
    assert doc.status.startswith("unreadable: zip bomb suspected: unpacks to")


def test_xlsx_bomb_is_refused_before_openpyxl_reads_it():
    xlsx = make_xlsx({"S": [["a", "b"], ["1", "2"]]})
    buf = io.BytesIO(xlsx)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/huge.bin", b"\x00" * 8_000_000)
    doc = read_document("o.xlsx", buf.getvalue())
    assert doc.status.startswith("unreadable: zip bomb suspected")


def test_nested_archives_stop_at_the_depth_limit():
    data = b"sku;qty\nA;1\n"
    for level in range(5):
        data = _zip({f"level{level}.zip" if level else "po.csv": data})
    doc = read_document("deep.zip", data)
    innermost = doc
    while innermost.embedded:
        innermost = innermost.embedded[0]
    assert innermost.status == "unreadable: archive nested too deep"


def test_unknown_file_types_get_an_unsupported_status_with_the_type():
    assert read_document("logo.png", b"\x89PNG\r\n\x1a\n....", "image/png").status == "unreadable: unsupported type image/png (image, no OCR)"
    assert read_document("blob.bin", bytes(range(256)) * 4, "application/octet-stream").status == \
        "unreadable: unsupported type application/octet-stream (bin)"
    assert read_document("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100).status == \
        "unreadable: unsupported type legacy excel .xls (xls)"


def test_password_protected_office_file_is_reported():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    assert "encrypted office file" in read_document("o.xlsx", data).status


def test_oversized_attachment_is_not_read_but_measured():
    data = make_pdf([["order"]])
    doc = read_document("po.pdf", data, max_bytes=100)
    assert doc.status == f"unreadable: attachment too large ({len(data)} bytes > 100)"
    assert doc.size == len(data)


def test_truncated_attachment_inside_a_message_is_unreadable_while_the_body_survives():
    raw = make_message(body="Please ship", attachments=[("o.xlsx", make_xlsx({"S": [["a", "b"]]})[:300], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
    message = parse_message(raw)
    assert message.status == "ok"
    assert message.documents[0].text == "Please ship"
    assert message.documents[1].status.startswith("unreadable: corrupt xlsx")
