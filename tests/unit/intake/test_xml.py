from intake.documents import read_document


def test_ubl_order_example_is_recognised_and_kept(corpus_dir):
    data = (corpus_dir / "oasis_ubl_order_2.1_example.xml").read_bytes()
    doc = read_document("order.xml", data)
    assert doc.kind == "ubl_order" and doc.status == "ok"
    assert doc.xml == data
    assert doc.meta["root"] == "Order" and doc.meta["UBLVersionID"] == "2.1"
    assert "Order/ID: 34" in doc.text.split("\n")


def test_voxel_xml_is_other_xml_with_attributes_in_the_text(corpus_dir):
    doc = read_document("pedido.xml", (corpus_dir / "oca_voxel_pedido_es.xml").read_bytes())
    assert doc.kind == "xml" and doc.meta["root"] == "Transaction"
    assert "@SupplierSKU=SP11111" in doc.text and "@MU=Cajas" in doc.text


def test_ubl_embedded_in_a_pdf_becomes_an_embedded_document(corpus_dir):
    doc = read_document("rfq.pdf", (corpus_dir / "oca_odoo_rfq_PO00004_ubl_embedded.pdf").read_bytes())
    assert doc.kind == "pdf" and doc.status == "ok"
    [embedded] = doc.embedded
    assert embedded.part == "attachment:rfq.pdf/embedded:UBL-Quotation-2.1.xml"
    assert embedded.meta["standard"] == "ubl" and embedded.meta["root"] == "Quotation"
    assert embedded.xml.startswith(b"<?xml") and "Quotation/ID: SO008" in embedded.text


def test_generated_pdf_with_an_embedded_ubl_order():
    from tests.unit.intake.builders import make_pdf

    ubl = b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>7</ID></Order>'
    doc = read_document("po.pdf", make_pdf([["PO 7"]], attachment=("order.xml", ubl)))
    assert [e.kind for e in doc.embedded] == ["ubl_order"]


def test_entity_expansion_and_broken_xml_are_refused_with_a_status():
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>'
    assert read_document("b.xml", bomb).status.startswith("unreadable: xml with forbidden entities")
    assert read_document("x.xml", b"<?xml version='1.0'?><a><b></a>").status.startswith("unreadable: malformed xml")
