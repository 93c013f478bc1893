"""Column vocabulary of order spreadsheets (de/en/nl/fr/es/zh): header cell text -> column role.

Sheet headers are short and free-form ("Lief.-Artikel", "Req qty", "净价", "Preis netto"), so a
header is matched three ways: the whole cell equals a phrase, a phrase appears as whole words,
or (German compounds, Chinese) a phrase ends a word ("Bestell|menge", "需求|数量"). The longest,
most exact match wins. Article-number columns are then split into OUR number (the supplier's,
"Ihre Art.-Nr.", "Vendor item", "供方货号") and the BUYER's part number ("Sachnummer", "Our code",
"我司料号") by ownership words; a bare "Artikelnr." stays generic (`item_code`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from agents.extractors.labels import COLUMN_LABELS, has_cjk, norm

ID_ROLES = {"sku", "customer_sku", "item_code", "gtin"}
NUMERIC_ROLES = {"qty", "unit_price", "line_total", "line_no", "discount", "tax", "price_unit"}
# Roles that name a field of the whole order when a CSV export repeats it on every line.
HEADER_ROLES = {"hdr:po_number", "hdr:order_date", "hdr:ship_to", "hdr:currency", "hdr:customer_number",
                "hdr:buyer", "hdr:requested_delivery_date"}


def _phrases(text: str) -> list[str]:
    return [norm(p) for p in text.split("|") if norm(p)]


# Our own vocabulary first; labels.COLUMN_LABELS (shared with the PDF reader) is consulted after.
VOCAB: dict[str, list[str]] = {role: _phrases(text) for role, text in {
    "line_no": "pos | pos nr | position | posnr | line | line nr | ln | lfd nr | lfd | zeile | zeilennr | regel"
    " | regelnr | ligne | lig | línea | linea | nr | 序号 | 行号 | 项次 | 行 | 项目",
    "sku": "sachnummer lieferant | lieferantenartikel | lieferantenartikelnummer | herstellerartikel"
    " | supplier sku | vendor sku | 供方货号 | 供应商货号 | 供应商料号 | 供应商编码 | 贵司料号 | 贵司货号",
    "customer_sku": "sachnummer | sach nr | sachnr | materialnummer | material nr | mat nr | material"
    " | kundenmaterial | kundenartikelnummer | teilenummer | identnummer | ident nr | our ref"
    " | partnummer | 我司料号 | 我方料号 | 客户料号 | 本厂料号 | 物料编码 | 物料号 | 物料代码",
    "item_code": "artikel | artikel nr | artikelnr | artikelnummer | art nr | art | artnr | artikelcode"
    " | article | article nr | art code | item | item nr | item code | item id | part | part nr | part number"
    " | sku | product code | product nr | product id | code | ref | reference | référence | réf | refer"
    " | code article | referencia | ref art | código | codigo | cod | artikelnummer | artcode | productcode"
    " | 料号 | 货号 | 编号 | 编码 | 产品编号 | 产品代码 | 商品编码 | 物料",
    "gtin": "ean | gtin | ean code | ean nr | upc | barcode | ean13 | gtin13 | 条码 | 条形码",
    "description": "description | desc | item description | item text | text | kurztext | langtext | materialkurztext"
    " | bezeichnung | beschreibung | artikelbezeichnung | artikeltext | benennung | produkt | product | product name"
    " | name | designation | désignation | libellé | libelle | produit | omschrijving | tekst | benaming"
    " | artikelomschrijving | descripción | descripcion | denominación | producto | concepto | detalle"
    " | 品名 | 描述 | 名称 | 产品名称 | 商品名称 | 物料描述 | 规格 | 品名规格 | 规格型号 | 物料名称 | 说明",
    "qty": "qty | quantity | qty ordered | ordered qty | order qty | req qty | required qty | menge | anzahl"
    " | bestellmenge | bedarf | bedarfsmenge | stückzahl | stk | mng | aantal | hoeveelheid | aantal besteld"
    " | quantité | qté | qte | quantite | cantidad | cant | unidades | 数量 | 订购数量 | 需求数量 | 采购数量 | 订货数量",
    "uom": "unit | uom | um | u m | unit of measure | units | einheit | me | bme | mengeneinheit | eenheid | eenh"
    " | eh | unité | unite | udm | unidad | ud | un | 单位 | 计量单位",
    "price_unit": "preiseinheit | pe | per | price unit qty | prijseenheid | 价格单位",
    "unit_price": "unit price | price | price each | unit cost | net price | price net | netto price | rate"
    " | preis | einzelpreis | ep | e preis | stückpreis | preis einheit | preis je einheit | preis pro einheit"
    " | nettopreis | preis netto | netto preis | prijs | stukprijs | eenheidsprijs | netto prijs | prijs per stuk"
    " | prix | prix unitaire | pu | p u | pu ht | pu net | prix unit | prix net | precio | precio unitario"
    " | unitario | precio neto | 单价 | 价格 | 净价 | 含税单价 | 未税单价 | 不含税单价",
    "line_total": "total | amount | line total | total price | ext price | extended price | ext value | extension"
    " | value | net value | net amount | line value | gesamt | gesamtpreis | betrag | summe | gesamtbetrag | wert"
    " | positionswert | nettowert | bedrag | totaal | totaalprijs | regeltotaal | waarde | montant | montant ht"
    " | total ht | total ligne | valeur | importe | precio total | total línea | importe total | valor"
    " | 金额 | 总价 | 小计 | 合计金额 | 总金额 | 行金额",
    "delivery_date": "delivery date | deliv date | date required | due date | need date | need by | required by"
    " | required date | requested date | liefertermin | lieferdatum | wunschtermin | termin | bedarfstermin"
    " | wunschdatum | anliefertermin | leverdatum | gewenste leverdatum | afleverdatum | date de livraison"
    " | date livraison | date besoin | livraison | fecha de entrega | fecha entrega | entrega"
    " | 交货日期 | 交期 | 到货日期 | 需求日期 | 交付日期 | 要求到货日期",
    "discount": "discount | disc | rabatt | korting | remise | descuento | dto | 折扣",
    "tax": "tax | vat | vat % | mwst | ust | btw | tva | iva | 税率 | 税额",
    "other": "kostenstelle | cost centre | cost center | kostenplaats | centre de coût | centre de cout"
    " | centro de coste | 成本中心 | konto | sachkonto | account | gl account | weight | gewicht | gewicht kg"
    " | bemerkung | remark | remarks | note | notes | opmerking | remarque | observaciones | 备注 | lager"
    " | warehouse | werk | plant",
    "hdr:po_number": "bestell nr | bestellnummer | bestellnr | po nr | po number | purchase order | order nr"
    " | order number | commande nr | numéro de commande | bestelnummer | inkoopordernummer | pedido nr"
    " | número de pedido | 订单号 | 采购单号 | 采购订单号",
    "hdr:order_date": "bestelldatum | order date | po date | date de commande | besteldatum | orderdatum"
    " | fecha de pedido | fecha pedido | 订单日期 | 采购日期",
    "hdr:ship_to": "lieferanschrift | lieferadresse | ship to | delivery address | shipping address"
    " | adresse de livraison | afleveradres | leveradres | dirección de entrega | 收货地址 | 送货地址",
    "hdr:currency": "währung | waehrung | currency | devise | valuta | moneda | divisa | 币种 | 货币",
    "hdr:customer_number": "kundennummer | kunden nr | customer nr | customer number | klantnummer"
    " | n° client | numéro client | nº cliente | 客户编号",
}.items()}

# Words that say whose article number a code column holds. The PO is written by the buyer:
# "your"/"supplier" = the supplier's (our) number, "our"/"internal" = the buyer's own.
SUPPLIER_WORDS = ("lief", "lieferant", "lieferanten", "supplier", "vendor", "ihre", "ihr", "your", "uw", "leverancier",
                  "lev", "votre", "fournisseur", "fourn", "frs", "su", "proveedor", "prov", "hersteller", "manufacturer")
BUYER_WORDS = ("our", "unsere", "unser", "ons", "onze", "eigen", "notre", "interne", "interne", "intern", "internal",
               "nuestro", "nuestra", "kunde", "kunden", "customer", "buyer", "klant", "client", "cliente", "sach")
SUPPLIER_CJK = ("供方", "供应商", "贵司", "贵方", "卖方")
BUYER_CJK = ("我司", "我方", "本公司", "本厂", "客户", "买方")
NET_WORDS = ("net", "netto", "nett", "ht", "neto", "净", "未税", "不含税")


@dataclass(frozen=True, slots=True)
class ColumnRole:
    role: str | None
    score: float
    text: str


def _match_score(n: str, phrase: str) -> float:
    """How well a normalised header contains a phrase (0: not at all)."""
    if n == phrase:
        return 3.0 * len(phrase) + 10
    if has_cjk(phrase):
        if n.endswith(phrase):
            return 2.0 * len(phrase) + 1  # Chinese head noun comes last: "需求数量"
        return 1.5 * len(phrase) if phrase in n else 0.0
    if re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", n):
        return 2.0 * len(phrase)
    if len(phrase) >= 4 and " " not in phrase:
        # German compounds: "bestellmenge", "nettopreis", "positionswert" end in the head word.
        for word in n.split():
            if word.endswith(phrase) and len(word) > len(phrase):
                return 1.5 * len(phrase)
    return 0.0


def _best(n: str, vocab: dict[str, list[str]]) -> tuple[str | None, float]:
    best: tuple[str | None, float] = (None, 0.0)
    for role, phrases in vocab.items():
        for phrase in phrases:
            score = _match_score(n, phrase)
            if score > best[1]:
                best = (role, score)
    return best


def _owner(n: str, raw: str) -> str | None:
    words = set(n.split())
    supplier = any(w in words for w in SUPPLIER_WORDS) or any(w in raw for w in SUPPLIER_CJK) or n.startswith("lief")
    buyer = any(w in words for w in BUYER_WORDS) or any(w in raw for w in BUYER_CJK) or n.startswith("sach")
    if supplier and not buyer:
        return "sku"
    if buyer and not supplier:
        return "customer_sku"
    return None


def column_role(text: str) -> ColumnRole:
    """The role of one header cell ('' -> role None)."""
    raw = (text or "").strip()
    n = norm(raw)
    if not n or len(n) > 60:
        return ColumnRole(None, 0.0, raw)
    role, score = _best(n, VOCAB)
    shared, shared_score = _best(n, COLUMN_LABELS)
    if shared and shared_score > score:
        role, score = shared, shared_score
    if role in {"item_code", "sku", "customer_sku"}:
        owner = _owner(n, raw)
        if owner and not (role != "item_code" and n in VOCAB.get(role, [])):
            role = owner
    elif role is None or role == "other":
        # "Lief.-Artikel" style headers whose noun is unknown but whose owner word is clear.
        pass
    if role and score < 12 and len(n) > 4 * max(score, 1):
        return ColumnRole(None, 0.0, raw)  # a long sentence that merely mentions "price"
    return ColumnRole(role, score, raw)


def is_net(text: str) -> bool:
    """True when a price header says it is net ("Preis netto", "Net price", "净价")."""
    n = norm(text)
    return any(re.search(rf"(?<![a-z]){w}", n) for w in NET_WORDS if not has_cjk(w)) or any(
        w in text for w in NET_WORDS if has_cjk(w))
