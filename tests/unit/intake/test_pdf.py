from intake.documents import read_document
from tests.unit.intake.builders import make_image_pdf, make_pdf


def test_words_know_page_box_and_line_and_the_page_text_holds_them():
    data = make_pdf([["Purchase Order 4711", "Date 2025-03-03"], ["Page two text"]])
    doc = read_document("PO-4711.pdf", data, "application/pdf")
    assert doc.kind == "pdf" and doc.status == "ok" and doc.part == "attachment:PO-4711.pdf"
    assert [p.number for p in doc.pages] == [1, 2]
    first = doc.pages[0].words[0]
    assert first.text == "Purchase" and first.source.page == 1 and first.source.part == "attachment:PO-4711.pdf"
    assert 45 < first.source.bbox.x0 < 55 and first.source.bbox.top < first.source.bbox.bottom
    assert first.size == 12.0
    for page in doc.pages:
        lines = page.text.split("\n")
        for word in page.words:
            assert word.text in lines[word.source.line]
    assert doc.pages[1].words[0].source.page == 2
    assert "Purchase Order 4711" in doc.text and "Page two text" in doc.text


def test_ruled_tables_come_with_header_row_and_cell_boxes():
    rows = [["Item", "Description", "Qty", "Price"], ["A-1", "Widget", "5", "12.50"], ["B-2", "Gadget", "3", "1.00"]]
    doc = read_document("po.pdf", make_pdf([["Order"]], table=rows))
    table = doc.pages[0].tables[0]
    assert table.rows == rows
    assert table.header_row == 0
    cell = table.cell_sources[1][2]
    assert cell.page == 1 and cell.bbox.x0 < cell.bbox.x1


def test_encrypted_pdf_without_the_password_is_unreadable_with_reason():
    doc = read_document("po.pdf", make_pdf([["secret order"]], encrypt="s3cret"))
    assert doc.status == "unreadable: encrypted pdf" and doc.kind == "unreadable"
    assert doc.size > 0 and len(doc.sha256) == 64


def test_a_pdf_with_only_an_owner_password_is_read():
    doc = read_document("po.pdf", make_pdf([["open order"]], encrypt=""))
    assert doc.readable and "open order" in doc.text


def test_image_only_pdf_is_reported_as_scanned():
    doc = read_document("scan.pdf", make_image_pdf())
    assert doc.status == "unreadable: scanned pdf (no text layer)"


def test_corrupt_pdf_gets_a_status():
    data = make_pdf([["order"]])
    doc = read_document("po.pdf", data[:200])
    assert doc.status.startswith("unreadable: ") and doc.kind == "unreadable"


def test_corpus_pdfs_are_read_with_words_and_text(corpus_dir):
    for path in sorted(corpus_dir.glob("*.pdf")):
        doc = read_document(path.name, path.read_bytes())
        assert doc.status == "ok", path.name
        assert all(w.source.bbox is not None for p in doc.pages for w in p.words)
        assert sum(len(p.words) for p in doc.pages) > 50, path.name


def test_contoso_po_line_table_is_found_with_its_own_column_names(corpus_dir):
    doc = read_document("po.pdf", (corpus_dir / "syntex_contoso_po_Adatum-Adel.pdf").read_bytes())
    tables = doc.pages[0].tables
    lines = next(t for t in tables if t.rows[0][:3] == ["ITEM #", "DESCRIPTION", "QTY"])
    assert lines.header_row == 0
    assert lines.rows[1][:4] == ["MM4-4010", "Micro-Motor #4", "89", "62.00"]
    assert "PO #      190122" in doc.pages[0].text or "PO # 190122" in " ".join(doc.pages[0].text.split())


def test_decathlon_order_number_and_lines_are_in_the_text(corpus_dir):
    doc = read_document("po.pdf", (corpus_dir / "oca_po_decathlon_es.pdf").read_bytes())
    flat = " ".join(doc.text.split())
    assert "Numero de Orden ES9812110233" in flat
    assert "4449130 1 66.11" in flat


def test_only_the_first_pages_up_to_the_limit_are_read_and_the_rest_is_reported():
    from intake.documents.common import Limits

    doc = read_document("po.pdf", make_pdf([["one"], ["two"], ["three"]]), "application/pdf", limits=Limits(max_pages=2))
    assert [p.number for p in doc.pages] == [1, 2] and "three" not in doc.text
    assert doc.warnings == ["only the first 2 of 3 pages read"]


def test_a_pdf_with_ruling_but_no_text_or_images_has_no_text():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.line(10, 10, 100, 100)
    pdf.showPage()
    pdf.save()
    assert read_document("po.pdf", buf.getvalue()).status == "unreadable: pdf has no text"
