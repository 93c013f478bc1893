from intake.documents import read_document
from intake.documents.edi_common import segment_values

X12 = (
    "ISA*00*          *00*          *ZZ*BUYERID        *ZZ*SELLERID       *250303*1000*U*00401*000000001*0*P*>~\n"
    "GS*PO*BUYERID*SELLERID*20250303*1000*1*X*004010~\n"
    "ST*850*0001~\n"
    "BEG*00*SA*PO-4711**20250303~\n"
    "REF*DP*038~\n"
    "DTM*002*20250310~\n"
    "N1*ST*Main Warehouse*92*0042~\n"
    "PO1*1*5*EA*12.50**VP*A-1>X*BP*CUST-9~\n"
    "PID*F****Widget, blue~\n"
    "PO1*2*3*CS*1.00**VP*B-2~\n"
    "CTT*2~\n"
    "SE*10*0001~\n"
    "GE*1*1~\n"
    "IEA*1*000000001~\n"
)


def test_x12_keeps_every_segment_value_with_isa_delimiters():
    doc = read_document("po.x12", X12.encode())
    assert doc.kind == "x12_850" and doc.status == "ok", doc.status
    tags = [s.tag for s in doc.segments]
    assert tags == ["ISA", "GS", "ST", "BEG", "REF", "DTM", "N1", "PO1", "PID", "PO1", "CTT", "SE", "GE", "IEA"]
    beg = doc.segments[3]
    assert beg.elements == [["00"], ["SA"], ["PO-4711"], [""], ["20250303"]]
    po1 = doc.segments[7]
    assert po1.elements[6] == ["A-1", "X"]  # component separator '>' from ISA16
    assert doc.segments[0].elements[15] == [">"]
    assert doc.meta["segment_terminator"] == "~" and doc.meta["transaction_sets"] == "850"
    assert doc.warnings == []


def test_x12_without_newlines_and_with_other_delimiters():
    compact = X12.replace("\n", "").replace("*", "|").replace("~", "\\").replace(">", "^")
    doc = read_document("po.edi", compact.encode())
    assert doc.status == "ok"
    assert doc.segments[7].elements[6] == ["A-1", "X"]
    assert segment_values(doc.segments[8])[-1] == "Widget, blue"


def test_x12_words_know_segment_and_element():
    doc = read_document("po.x12", X12.encode())
    word = next(w for w in doc.pages[0].words if w.text == "PO-4711")
    assert word.source.line == 3 and word.source.column == 3
    assert "PO-4711" in doc.text.split("\n")[word.source.line]


def test_x12_with_a_short_isa_or_no_transaction_is_unreadable():
    assert read_document("po.x12", b"ISA*00*short~").status == "unreadable: malformed x12 (no complete ISA segment)"
    no_st = X12.split("ST*")[0]
    assert read_document("po.x12", no_st.encode()).status == "unreadable: malformed x12 (no ST transaction set)"


def test_truncated_x12_is_read_with_a_warning():
    doc = read_document("po.x12", X12[: X12.index("SE*")].encode())
    assert doc.status == "ok" and any("truncated" in w for w in doc.warnings)


def test_edifact_corpus_samples_keep_every_segment(corpus_dir):
    for path in sorted(corpus_dir.glob("*.edi")):
        raw = path.read_text()
        doc = read_document(path.name, path.read_bytes())
        assert doc.kind == "edifact_orders" and doc.status == "ok", (path.name, doc.status)
        assert len(doc.segments) == raw.count("'")
        assert [s.tag for s in doc.segments][:3] == ["UNB", "UNH", "BGM"]
        bgm = doc.segments[2]
        assert bgm.elements == [["220"], ["1AA1TEST"], ["9"]]
        assert doc.meta["message_types"] == "ORDERS" and doc.warnings == []
        for segment, line in zip(doc.segments, raw.split("'")):
            joined = "+".join(":".join(element) for element in [[segment.tag]] + segment.elements)
            assert joined == line.strip()


def test_edifact_una_release_characters_and_no_newlines():
    data = ("UNA:+,? 'UNB+UNOC:3+SENDER+RECEIVER+250303:1000+1'UNH+1+ORDERS:D:96A:UN:EAN008'"
            "BGM+220+PO?+4711+9'FTX+AAI+++Call ?'Bob?' at 10?:00'QTY+21:5,5'UNT+5+1'UNZ+1+1'").encode("latin-1")
    doc = read_document("o.edi", data)
    assert doc.status == "ok"
    assert doc.meta["decimal_mark"] == ","
    segs = {s.tag: s for s in doc.segments}
    assert segs["BGM"].elements[1] == ["PO+4711"]
    assert segs["FTX"].elements[3] == ["Call 'Bob' at 10:00"]
    assert segs["QTY"].elements[0] == ["21", "5,5"]


def test_edifact_with_other_separators_declared_in_una():
    data = b"UNA;*.# ~\nUNH*1*ORDERS;D;96A;UN~\nBGM*220*A#*B~\nUNT*3*1~\n"
    doc = read_document("o.edi", data)
    assert [s.tag for s in doc.segments] == ["UNH", "BGM", "UNT"]
    assert doc.segments[0].elements[1] == ["ORDERS", "D", "96A", "UN"]
    assert doc.segments[1].elements[1] == ["A*B"]


def test_malformed_edifact_is_unreadable_with_reason():
    assert read_document("o.edi", b"UNB+UNOA:2+X+Y'garbage").status == "unreadable: malformed edifact (no UNH message header)"
    doc = read_document("o.edi", b"UNH+1+ORDERS:D:96A'BGM+220+1")
    assert doc.status == "ok" and any("not terminated" in w for w in doc.warnings)
