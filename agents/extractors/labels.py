"""Multilingual label vocabularies (de/en/nl/fr/es/zh): header labels, column headers, totals.

Everything is compared after `norm()`: lower case, accents and punctuation removed, every
"number" word (No., Nr., N°, #, Nummer, número ...) folded to `nr`, so "Bestell-Nr.",
"Order No." and "N° de commande" are matched by a handful of entries instead of hundreds.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBER_WORDS = {"no", "nr", "n", "num", "number", "nummer", "numero", "nro", "nbr", "numer", "nummber"}
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Normalise a label for vocabulary comparison (cached: the same cell texts recur)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ß", "ss")
    text = text.replace("n°", " nr ").replace("nº", " nr ").replace("n.º", " nr ").replace("#", " nr ")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[.:,;()\[\]{}*_\-/\\|'\"’]+", " ", text)
    words = ["nr" if w in _NUMBER_WORDS else w for w in text.split()]
    return " ".join(words)


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese/Japanese characters."""
    return bool(_CJK.search(text))


class Vocabulary(dict):
    """key -> phrases (normalised, longest first). Counts its changes, so the compiled lookups of
    match_vocab are rebuilt when a key is set, without re-measuring the whole vocabulary per call."""

    version = 0

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.version += 1

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        self.version += 1

    def update(self, *args, **kwargs) -> None:
        super().update(*args, **kwargs)
        self.version += 1

    def setdefault(self, key, default=None):
        self.version += 1
        return super().setdefault(key, default)

    def pop(self, *args):
        self.version += 1
        return super().pop(*args)

    def clear(self) -> None:
        super().clear()
        self.version += 1


def _vocab(entries: dict[str, str]) -> Vocabulary:
    out = Vocabulary()
    for key, text in entries.items():
        phrases = [p.strip() for p in text.split("|") if p.strip()]
        out[key] = sorted({norm(p) for p in phrases if norm(p)}, key=len, reverse=True)
    return out


# Header labels: label text -> ExtractedOrder field.
HEADER_LABELS = _vocab({
    "po_number": "PO # | PO nr | P.O. nr | PO number | purchase order | purchase order nr | purchase order number"
    " | order nr | order number | order ref | order reference | your order | customer order nr | our order nr"
    " | our order | PO | PO ref | PO reference | Bestellung | Bestellung Nr | Bestellnummer | Bestell-Nr"
    " | Bestellnr | Bestell Nr | Unsere Bestellnummer | Unsere Bestellung | Auftragsnummer | Auftrags-Nr"
    " | Auftrag Nr | Auftrag | Bestellreferenz | Belegnummer | Beleg-Nr | Ordernummer | Order | Bestelnummer"
    " | Bestelling | Bestelling nr | Inkooporder | Inkoopordernummer | Inkooporder nr | Onze referentie"
    " | Ons ordernummer | Bestelnr | Numéro de commande | N° de commande | Commande nr | Commande"
    " | Bon de commande | Bon de commande nr | Notre commande | Référence commande | Réf commande"
    " | Número de pedido | Nº de pedido | Pedido | Pedido nr | Nr pedido | Numero de Orden | Orden de compra"
    " | Orden de compra nr | Nº orden | Referencia pedido | Su pedido | Nuestro pedido"
    " | 订单号 | 订单编号 | 采购订单号 | 采购单号 | 订单号码 | 采购订单编号 | PO号 | 单号"
    # buyer's own reference / document captions that carry the PO number
    " | Unser Zeichen | Unsere Referenz | Einkaufsbeleg | Einkaufsbelegnummer | Bestellbeleg | Bestellschein Nr"
    " | Our reference | Our ref | Order ref | Purchase order ref | PO no | Buyer reference | Purchase requisition nr"
    " | Ons kenmerk | Onze ref | Ons ordernr | Inkoopnummer | Inkoopordernr | Bestelbon | Bestelbon nr"
    " | Notre référence | Notre réf | Commande nr | Réf commande client | Ordre d achat | Ordre d achat nr"
    " | 订购单编号 | 订购单号 | 采购单编号 | 采购合同号 | 合同编号 | 合同号",
    "order_date": "date | order date | PO date | date ordered | date of order | issue date | dated"
    " | Datum | Bestelldatum | Belegdatum | Auftragsdatum | Datum der Bestellung | Orderdatum | Besteldatum"
    " | Datum bestelling | Opgemaakt op | Aangemaakt op | Datum opgemaakt | Date de commande | Date | Date commande | Date d'émission | Fecha | Fecha de pedido"
    " | Fecha pedido | Fecha de Compra | Fecha de emisión | Fecha del pedido | 订单日期 | 日期 | 下单日期 | 采购日期",
    "requested_delivery_date": "delivery date | requested delivery date | requested delivery | required by"
    " | need by | needed by | deliver by | delivery by | required date | date required | requested date"
    " | ship date | delivery | desired delivery date | Liefertermin | Lieferdatum | Wunschtermin"
    " | Wunschliefertermin | Gewünschter Liefertermin | gewünschtes Lieferdatum | Anliefertermin | Liefertag"
    " | Lieferung bis | Leverdatum | Gewenste leverdatum | Afleverdatum | Leveringsdatum | Levering"
    " | Levering op | Leveren op | Afleveren op | Gewenste levering op"
    " | Gewenste levering | Leverdatum gewenst | Date de livraison | Livraison souhaitée | Livraison"
    " | Date de livraison souhaitée | Livraison le | A livrer le | Fecha de entrega | Entrega"
    " | Fecha entrega | Fecha de entrega deseada | Entrega prevista | Plazo de entrega"
    " | 交货日期 | 交付日期 | 要求交货日期 | 到货日期 | 送货日期 | 交期 | 要求到货日期"
    " | due date | deliver on | delivery on | delivery requested | requested on | required on | required delivery"
    " | need date | needed on | wanted by | delivery due | delivery required by | requested arrival | arrival date"
    " | Liefern bis | Lieferung am | Liefern am | Gewünschter Eingang | Gewünschtes Eingangsdatum | Eingang bis"
    " | Wareneingang bis | Liefertermin gewünscht | Gewünschter Termin | Anlieferung am | Anlieferung bis"
    " | Lieferdatum gewünscht | Spätester Liefertermin | Benötigt bis | Benötigt am"
    " | Uiterste leverdatum | Leveren op | Leveren voor | Leveren vóór | Gewenste leveringsdatum | Gewenste datum"
    " | Gewenste afleverdatum | Leverdatum uiterlijk | Afleveren op"
    " | À livrer le | A livrer avant le | À livrer avant le | Livraison au plus tard le | Livraison le"
    " | Livraison souhaitée le | Date de livraison demandée | Date livraison souhaitée | Délai souhaité"
    " | Délai de livraison | Date d arrivée souhaitée"
    " | 需求日期 | 要求日期 | 要货日期 | 交货期 | 希望交货日期 | 到货时间 | 交货时间",
    "customer_number": "customer nr | customer number | customer id | account nr | account | customer account"
    " | Kundennummer | Kunden-Nr | Kunden Nr | Kundennr | Ihre Kundennummer | Debitor | Debitorennummer"
    " | Klantnummer | Klant nr | Debiteurnummer | Klantnr | N° client | Numéro client | Code client"
    " | Client nr | Nº cliente | Número de cliente | Cliente nr | Código cliente | Cliente"
    " | 客户编号 | 客户号 | 客户代码",
    "vat_id": "VAT | VAT nr | VAT ID | VAT reg | USt-IdNr | USt-ID | UID | UID-Nr | Steuernummer | BTW"
    " | BTW nr | BTW-nummer | TVA | N° TVA | TVA intracom | NIF | CIF | DNI / CIF | CIF NIF | 税号 | 纳税人识别号",
    "currency": "currency | Währung | Valuta | Devise | Monnaie | Moneda | Divisa | 币种 | 货币",
    "email": "email | e-mail | mail | courriel | correo | 邮箱 | 电子邮件",
})

# Block headings introducing an address.
ADDRESS_LABELS = _vocab({
    "ship_to": "ship to | ship-to | deliver to | delivery address | shipping address | delivery to"
    " | Lieferadresse | Lieferanschrift | Anlieferadresse | Warenempfänger | Lieferung an"
    " | Afleveradres | Leveradres | Bezorgadres | Adresse de livraison | Livrer à | Lieu de livraison"
    " | Dirección de envío | Dirección de entrega | Entregar en | Lugar de entrega | 收货地址 | 送货地址 | 交货地址",
    "bill_to": "bill to | bill-to | invoice to | invoice address | billing address"
    " | Rechnungsadresse | Rechnungsanschrift | Rechnung an | Factuuradres | Factuur aan"
    " | Adresse de facturation | Facturer à | Dirección de facturación | Facturar a | 开票地址 | 发票地址",
})

# Column headers of the line table: header text -> role.
COLUMN_LABELS = _vocab({
    "line_no": "pos | pos nr | position | line | line nr | ln | lfd nr | lfd | zeile | zeilennr | regel | regelnr | pos nr"
    " | ligne | lig | línea | linea | lin | nr | posicion | 序号 | 行号 | 项次 | 行",
    "sku": "your item | your item nr | your part | your part nr | your article nr | supplier item"
    " | supplier part | supplier part nr | vendor part | vendor part nr | vendor item | supplier sku"
    " | supplier article | supplier code | Ihre Art nr | Ihre Artikelnummer | Ihre Artikel nr"
    " | Lieferanten Art nr | Lieferantenartikel | Lieferanten Artikelnummer | Art nr Lieferant"
    " | Ihre Materialnummer | Lief Art nr | Lieferanten Art nr | Lief Artikelnr | Lieferantenartikelnummer"
    " | Uw artikelnr | Art nr lev | Lev art nr | Réf fourn | Ref prov | Ref proveedor | 供应商货号 | 供应商料号 | Uw artikelnummer | Uw art nr | Artikelnr leverancier"
    " | Leveranciersartikel | Art nr leverancier | Votre référence | Votre réf | Réf fournisseur"
    " | Référence fournisseur | Code fournisseur | Votre code | Su referencia | Su ref | Ref proveedor"
    " | Referencia proveedor | Código proveedor | Su código | 供应商料号 | 供应商编号 | 供应商货号 | 贵司料号 | 贵司编号",
    "customer_sku": "our item | our item nr | our part | our part nr | our article nr | our ref | buyer part"
    " | buyer part nr | customer part | customer part nr | customer item | customer sku | customer article"
    " | material | material nr | mat nr | unsere mat nr | unsere materialnummer | our mat nr | Unsere Art nr | Unsere Artikelnummer | Unser Artikel | Materialnummer"
    " | Material | Kunden Art nr | Kundenartikelnummer | Kunden Artikelnummer | Onze art nr | Ons artikelnr"
    " | Onze artikelnummer | Ons art nr | Ons artikelnummer | Onze art nr | Eigen artikelnr | Artikelnr klant | Klant artikelnr | Notre référence"
    " | Notre réf | Réf client | Référence client | Notre code | Code article client | Nuestra referencia"
    " | Nuestra ref | Ref cliente | Referencia cliente | Nuestro código | Código cliente"
    " | 我方料号 | 客户料号 | 物料编码 | 物料号 | 我司料号 | 我方编号",
    "item_code": "item | item nr | item code | article | article nr | art nr | artikel nr | artikelnummer"
    " | artikel | sku | part | part nr | product code | product nr | product id | code | ref | reference"
    " | Artikelnr | Artikelcode | Produktnummer | Référence | Réf | Réf article | Code article | Referencia"
    " | Ref | Código | Codigo artículo | Cód | 料号 | 货号 | 编号 | 产品编号 | 物料 | 产品代码",
    "gtin": "EAN | GTIN | EAN code | EAN-Code | UPC | barcode | EAN13 | 条码 | 条形码",
    "description": "description | item description | product | product description | product name | name"
    " | designation | details | Bezeichnung | Beschreibung | Artikelbezeichnung | Artikelbeschreibung"
    " | Produkt | Text | Leistung | Omschrijving | Artikelomschrijving | Product | Benaming | Désignation"
    " | Description | Libellé | Produit | Article description | Descripción | Artículo | Articulo | Producto"
    " | Concepto | Denominación | 品名 | 描述 | 名称 | 产品名称 | 商品名称 | 物料描述 | 规格 | 品名规格",
    "qty": "qty | quantity | qty ordered | ordered | quant | Menge | Anzahl | Bestellmenge | Stückzahl | Mng"
    " | Aantal | Hoeveelheid | Quantité | Qté | Qte | Quantite | Cantidad | Cant | Unidades | 数量 | 订购数量",
    "uom": "unit | uom | UM | u m | unit of measure | units | Einheit | ME | Mengeneinheit | Eenheid | Eh"
    " | Unité | Unite | UdM | Unidad | Ud | 单位",
    "unit_price": "preis einheit | preis je einheit | price unit | price per unit | prix unite | prix par unite"
    " | precio unidad | precio por unidad | prijs eenheid | prijs per eenheid | 单位价格 | unit price | price | price each | price unit | unit cost | rate | net price | price per unit"
    " | Preis | Einzelpreis | E Preis | Stückpreis | Preis je Einheit | Preis pro Einheit | Nettopreis"
    " | Prijs | Stukprijs | Eenheidsprijs | Prijs per stuk | Prix | Prix unitaire | PU | P U | Prix unit"
    " | Prix HT | Precio | Precio unitario | Unitario | Precio ud | P unit | 单价 | 价格 | 含税单价 | 未税单价",
    "line_total": "total | amount | line total | total price | ext price | extended price | extension | extended | value"
    " | net amount | Gesamt | Gesamtpreis | Betrag | Summe | Gesamtbetrag | Wert | Positionswert | Bedrag"
    " | Totaal | Totaalprijs | Regeltotaal | Montant | Montant HT | Total HT | Total ligne | Importe"
    " | Precio Total | Total línea | Importe total | 金额 | 总价 | 小计 | 合计金额 | 总金额",
    "delivery_date": "delivery date | deliv date | date required | due date | need by | required by"
    " | Liefertermin | Lieferdatum | Termin | Leverdatum | Date de livraison | Date livraison | Livraison"
    " | Fecha de entrega | Fecha entrega | Entrega | 交货日期 | 交期 | 到货日期",
    "discount": "discount | disc | Rabatt | Korting | Remise | Descuento | Dto | 折扣",
    "tax": "tax | taxes | VAT | VAT % | MwSt | USt | BTW | TVA | IVA | % IVA | Cuota de IVA | 税率 | 税额",
})

TOTAL_LABELS = _vocab({
    "net": "subtotal | sub total | net total | total net | total without taxes | total excl vat | net amount"
    " | Zwischensumme | Nettobetrag | Nettosumme | Summe netto | Gesamt netto | Warenwert | Netto"
    " | Subtotaal | Totaal excl BTW | Netto bedrag | Sous total | Total HT | Montant HT | Base Imponible"
    " | Subtotal | Total neto | Importe neto | 小计 | 不含税合计 | 未税合计 | order value | Auftragswert"
    " | Orderwaarde | Bestelwaarde | Valeur commande | Valeur de la commande | Valor del pedido",
    "gross": "total | grand total | order total | total amount | total due | Gesamt | Gesamtsumme | Summe"
    " | Gesamtbetrag | Endbetrag | Bestellsumme | Bestellwert | Totaal | Totaalbedrag | Total TTC"
    " | Montant total | Total commande | Total general | Importe total | Total pedido | 合计 | 总计 | 总金额 | 总额 | 订单总额",
})

CARRIED_LABELS = _vocab({
    "carried": "carried forward | brought forward | carry forward | c f | b f | transfer | balance forward"
    " | continued | page total | Übertrag | Uebertrag | Seitenübertrag | Seitensumme | Zwischensumme Seite"
    " | Transport | van vorige pagina | naar volgende pagina | Subtotaal pagina | Report | À reporter"
    " | A reporter | Reporté | Total page | Suma anterior | Suma y sigue | Saldo anterior | Transporte"
    " | Suma y sigue | 承上页 | 转下页 | 续上页 | 上页合计 | 本页小计 | 接上页",
})

LINE_COUNT_LABELS = _vocab({
    "count": "number of lines | line count | total lines | lines | number of items | total items | items"
    " | number of positions | positions | Anzahl Positionen | Positionen | Anzahl Pos | Positionsanzahl"
    " | Aantal regels | Aantal posities | Aantal orderregels | Regels | Nombre de lignes | Nombre d'articles"
    " | Lignes | Número de líneas | Numero de lineas | Líneas | Lineas | Posiciones | 行数 | 项数 | 明细行数",
})

# Sub-row captions of a per-line delivery schedule ("Schedule: Jan 22, 2027 10 bx" under a line).
SCHEDULE_LABELS = _vocab({
    "schedule": "schedule | delivery schedule | scheduled delivery | schedule line | Einteilung | Lieferplan"
    " | Liefereinteilung | Einteilungstermin | Teillieferung | Échéancier | Echéancier | Échéance de livraison"
    " | Calendrier de livraison | Leverschema | Leveringsschema | Leverplanning | Deellevering"
    " | Calendario de entregas | Entrega programada | 交货计划 | 分批交货 | 交货安排",
})

CHANGE_WORDS = [norm(w) for w in (
    "change order | order change | amended order | amendment | revised order | revision | updated order"
    " | Änderung | Auftragsänderung | Bestelländerung | geänderte Bestellung | Korrektur der Bestellung"
    " | Wijziging | Gewijzigde bestelling | Orderwijziging | Modification de commande | Commande modifiée"
    " | Modificación de pedido | Pedido modificado | Cambio de pedido | 订单变更 | 变更 | 修改订单"
).split("|")]
CANCEL_WORDS = [norm(w) for w in (
    "cancel | cancellation | cancelled | canceled | Storno | Stornierung | stornieren | storniert"
    " | Annullierung | widerrufen | annuleren | annulering | geannuleerd | Annulation | annuler | annulée"
    " | Anulación | anular | cancelar | cancelación | anulado | 取消 | 撤销"
).split("|")]


@lru_cache(maxsize=None)
def _bounded(needle: str) -> re.Pattern | None:
    """The whole-word pattern of a vocabulary phrase (None for CJK phrases: plain substring)."""
    if has_cjk(needle):
        return None
    return re.compile(rf"(?<![\w]){re.escape(needle)}(?![\w])")


def _contains(haystack: str, needle: str) -> bool:
    if needle not in haystack:  # cheap test first: most phrases are not even substrings
        return False
    pattern = _bounded(needle)
    return pattern is None or pattern.search(haystack) is not None


class _Compiled:
    """A vocabulary's lookup structures, built once: exact phrase -> key, and one any-phrase pattern."""

    def __init__(self, vocab: dict[str, list[str]]):
        self.vocab = vocab
        self.shape = _shape(vocab)
        self.exact: dict[str, tuple[str, int]] = {}
        for key, phrases in vocab.items():
            for phrase in phrases:
                self.exact.setdefault(phrase, (key, len(phrase) + 100))  # the first key wins, as in the scan
        words = sorted({p for ps in vocab.values() for p in ps if _bounded(p) is not None}, key=len, reverse=True)
        self.any_word = re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, words))})(?![\w])") if words else None
        self.has_cjk_phrase = any(_bounded(p) is None for ps in vocab.values() for p in ps)

    def may_match(self, n: str) -> bool:
        """False when no phrase of the vocabulary can appear in `n` (the usual case for a table cell)."""
        if self.has_cjk_phrase and has_cjk(n):
            return True
        return self.any_word is not None and self.any_word.search(n) is not None


def _shape(vocab: dict[str, list[str]]) -> tuple[int, int]:
    if isinstance(vocab, Vocabulary):
        return len(vocab), vocab.version
    return len(vocab), sum(len(p) for p in vocab.values())


_COMPILED: dict[int, _Compiled] = {}


def _compiled(vocab: dict[str, list[str]]) -> _Compiled:
    # Keyed by identity, checked against the object and its size so a vocabulary extended at
    # run time (or a new dict reusing an id) is compiled again rather than matched stale.
    entry = _COMPILED.get(id(vocab))
    if entry is None or entry.vocab is not vocab or entry.shape != _shape(vocab):
        entry = _COMPILED[id(vocab)] = _Compiled(vocab)
    return entry


def match_vocab(text: str, vocab: dict[str, list[str]], exact: bool = False) -> tuple[str | None, int]:
    """The vocabulary key whose longest phrase appears in the text, and that phrase's length."""
    n = norm(text)
    if not n:
        return None, 0
    compiled = _compiled(vocab)
    if exact:
        return compiled.exact.get(n, (None, 0))
    if not compiled.may_match(n):
        return None, 0
    best: tuple[str | None, int] = (None, 0)
    for key, phrases in vocab.items():
        for phrase in phrases:
            if len(phrase) <= best[1]:
                break
            if _contains(n, phrase):
                best = (key, len(phrase) + (100 if n == phrase else 0))
                break
    return best


def column_role(header_text: str) -> str | None:
    """Role of a table column from its (possibly multi-word) header text."""
    role, _ = match_vocab(header_text, COLUMN_LABELS)
    return role


def starts_with_label(text: str, vocab: dict[str, list[str]]) -> tuple[str | None, int]:
    """(key, characters consumed) when the text begins with a label of the vocabulary."""
    n = norm(text)
    best_key, best_len = None, 0
    for key, phrases in vocab.items():
        for phrase in phrases:
            if len(phrase) > best_len and (n == phrase or n.startswith(phrase + " ") or
                                           (has_cjk(phrase) and n.startswith(phrase))):
                best_key, best_len = key, len(phrase)
    return best_key, best_len
