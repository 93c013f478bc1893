from decimal import Decimal

from agents.extractors.structured_edifact import extract_edifact
from agents.extractors.structured_x12 import extract_x12
from agents.extractors.structured_xml import extract_xml

from tests.unit.agents.extractors.helpers import text_document

EDIFACT = (
    "UNA:+.? 'UNB+UNOC:3+4012345000009:14+4098765000002:14+240321:1015+77'UNH+1+ORDERS:D:96A:UN:EAN008'"
    "BGM+220+PO-4711+9'DTM+137:20240321:102'DTM+2:20240405:102'NAD+BY+4012345000009::9++Muster GmbH'"
    "RFF+VA:DE123456789'NAD+DP+4012345000016::9++Lager Nord+Hafenstr. 1+Hamburg++20457+DE'CUX+2:EUR:9'"
    "LIN+1++4006381333931:EN'PIA+5+ART-100:SA+K-77:BP'IMD+F++:::Schraube M6?+Mutter'QTY+21:20:PCE'PRI+AAA:1.25'"
    "MOA+203:25'LIN+2'PIA+5+ART-200:SA'QTY+21:5'PRI+AAA:10:CA::10:PCE'UNS+S'MOA+79:30'CNT+2:2'UNT+20+1'UNZ+1+77'"
)


def test_edifact_orders_are_read_exactly_with_party_and_line_codes():
    [order] = extract_edifact(text_document(EDIFACT, part="attachment:o.edi"))
    assert (order.po_number, order.order_date, order.requested_delivery_date, order.currency) == (
        "PO-4711", "2024-03-21", "2024-04-05", "EUR")
    assert order.buyer.vat_id == "DE123456789" and order.ship_to.city == "Hamburg"
    first, second = order.lines
    assert (first.gtin, first.sku, first.customer_sku, first.qty, first.uom) == ("4006381333931", "ART-100", "K-77", Decimal(20), "PCE")
    assert first.description == "Schraube M6+Mutter"  # released '+' kept
    assert first.line_total == Decimal(25)
    assert second.unit_price == Decimal(1)  # price per 10 -> per piece
    assert order.order_total == Decimal(30) and order.printed_line_count == 2


def test_edifact_cancellation_function_code_gives_cancel_kind():
    cancel = EDIFACT.replace("BGM+220+PO-4711+9'", "BGM+220+PO-4711+1'")
    [order] = extract_edifact(text_document(cancel))
    assert order.kind == "cancel"


X12 = (
    "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240321*1015*U*00401*000000001*0*P*>~"
    "GS*PO*BUYER*SELLER*20240321*1015*1*X*004010~"
    "ST*850*0001~BEG*00*SA*PO-1**20240321~CUR*BY*USD~DTM*002*20240410~N1*ST*Acme Store*92*S-1~N3*1 Main St~"
    "N4*Springfield*IL*62701*US~PO1*1*10*EA*2.50**VP*ABC-1*BP*C-9*UP*012345678905~PID*F****Widget small~CTT*1~SE*11*0001~"
    "ST*850*0002~BEG*00*SA*PO-2**20240322~PO1*1*3*CS*12**VP*XYZ~PO1*2*1*EA*5**BP*C-1~CTT*2~SE*6*0002~GE*2*1~IEA*1*000000001~"
)


def test_x12_file_with_two_transaction_sets_gives_two_orders():
    first, second = extract_x12(text_document(X12, part="attachment:po.x12"))
    assert (first.po_number, first.order_date, first.requested_delivery_date, first.currency) == (
        "PO-1", "2024-03-21", "2024-04-10", "USD")
    line = first.lines[0]
    assert (line.sku, line.customer_sku, line.gtin, line.qty, line.uom, line.unit_price, line.description) == (
        "ABC-1", "C-9", "012345678905", Decimal(10), "EA", Decimal("2.50"), "Widget small")
    assert first.ship_to.postal_code == "62701"
    assert second.po_number == "PO-2" and len(second.lines) == 2 and second.printed_line_count == 2
    assert second.lines[1].customer_sku == "C-1" and second.lines[1].sku is None


UBL = b"""<?xml version="1.0"?>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>U-9</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:BuyerCustomerParty><cbc:SupplierAssignedAccountID>C100</cbc:SupplierAssignedAccountID>
  <cac:Party><cac:PartyName><cbc:Name>Buyer BV</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty>
 <cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID><cbc:Quantity unitCode="C62">4</cbc:Quantity>
  <cbc:LineExtensionAmount currencyID="EUR">10.00</cbc:LineExtensionAmount>
  <cac:Price><cbc:PriceAmount currencyID="EUR">2.50</cbc:PriceAmount></cac:Price>
  <cac:Item><cbc:Name>Bolt</cbc:Name><cac:BuyersItemIdentification><cbc:ID>B-1</cbc:ID></cac:BuyersItemIdentification>
  <cac:SellersItemIdentification><cbc:ID>S-1</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:LineItem></cac:OrderLine>
</Order>"""


def test_ubl_order_lines_keep_buyer_and_seller_item_ids():
    [order] = extract_xml(UBL, "attachment:o.xml", "o.xml")
    assert (order.po_number, order.order_date, order.currency, order.buyer.customer_number) == ("U-9", "2024-03-01", "EUR", "C100")
    [line] = order.lines
    assert (line.sku, line.customer_sku, line.qty, line.unit_price, line.line_total) == (
        "S-1", "B-1", Decimal(4), Decimal("2.50"), Decimal("10.00"))


def test_voxel_products_carry_both_skus_and_the_printed_unit():
    xml = b"""<Transaction><GeneralData Ref="77" Type="Pedido" Currency="EUR" BeginDate="2024-01-02" EndDate="2024-01-09"/>
    <ProductList><Product SupplierSKU="S1" CustomerSKU="C1" Item="Caja" Qty="3.0" MU="Cajas"/></ProductList></Transaction>"""
    [order] = extract_xml(xml, "attachment:v.xml", "v.xml")
    assert order.po_number == "77" and order.requested_delivery_date == "2024-01-09"
    assert (order.lines[0].sku, order.lines[0].customer_sku, order.lines[0].qty, order.lines[0].uom) == ("S1", "C1", Decimal(3), "Cajas")


def test_xml_that_is_not_an_order_yields_nothing():
    assert extract_xml(b"<html><body>hi</body></html>", "x", "x.xml") == []
