"""Units of measure as printed on orders (Stk, PCE, Karton, doos, carton, caja, 箱 ...).

Extraction keeps the unit *as printed*; `canonical_unit` maps it to a small code set
(EA, BOX, CS, PK, PAL, KG, G, L, M, ROLL, SET, PR) that matching may use for conversions.
"""
from __future__ import annotations

import re

_UNITS: dict[str, str] = {}
for _code, _words in {
    "EA": "u ea each pc pcs pce pces piece pieces st stk stck stück stueck stuck x unit units unit(s) u un "
    "ud uds unidad unidades c62 h87 stuks stuk pièce pièces pce. pièce(s) pz 件 个 只 台 片 支",
    "BOX": "kart kart. krt. omdoos ds bte btes bt box boxes bx karton kartons krt ctn ctns carton cartons doos dozen kt boîte boîtes boite "
    "boites caja cajas cj bx. 箱 盒 ct car",
    "CS": "case cases cs kiste kisten colli colis",
    "PK": "vpe ve pack packs pk pkg paket pakete packung pak pakken paquet paquets paquete paquetes pq 包",
    "PAL": "pallet pallets pal palette paletten pallet(s) palet pallets. palettes palé palés 托",
    "KG": "kg kgs kilo kilogramm kilogram 公斤 千克",
    "G": "g gr gramm gram",
    "L": "l ltr liter litre litres litro litros 升",
    "M": "m mtr meter metre mètre metro metros lfm 米",
    "ROLL": "rl rlx rol. roll rolls rolle rollen rol rollen rouleau rouleaux rollo rollos 卷",
    "BAG": "bag bags sac sacs sachet sachets beutel btl zak zakken bolsa bolsas 袋",
    "SET": "set sets satz jeu juego 套",
    "PR": "pair pairs paar paire paires par pares 双 对",
    "DZ": "dz doz dozen dutzend douzaine docena 打",
}.items():
    for _w in _words.split():
        _UNITS.setdefault(_w, _code)

UNIT_WORDS = frozenset(_UNITS)
_STRIP = re.compile(r"[.:]+$")


def canonical_unit(text: str | None) -> str | None:
    """Canonical code for a printed unit, or None if it is not a known unit word."""
    if not text:
        return None
    token = text.strip().lower()
    if token in _UNITS:
        return _UNITS[token]
    token = _STRIP.sub("", token)
    return _UNITS.get(token)


def is_unit(text: str) -> bool:
    """True when the token is a unit of measure."""
    return canonical_unit(text) is not None
