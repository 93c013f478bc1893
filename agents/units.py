"""Units of measure as printed ("Stk", "PCE", "Karton", "Cajas", "件") -> the SKU's own UoM codes.

Printed units are grouped into families (piece, box, carton, pack, ...) in five languages; a
printed unit is then resolved against the codes the SKU actually has (its base unit and its UoM
conversions), whatever spelling master data uses for them.
"""
from __future__ import annotations

import re
from decimal import Decimal

FAMILIES: dict[str, tuple[str, ...]] = {
    "piece": ("pc", "pcs", "pce", "pces", "piece", "pieces", "stk", "stck", "stück", "stueck", "st",
              "ea", "each", "unit", "units", "un", "unt", "ud", "uds", "unidad", "unidades", "stuk", "stuks",
              "pièce", "pièces", "pce.", "ks", "c62", "h87", "u", "stks", "pièce(s)", "件", "个", "個", "只", "支", "pz", "pza", "nos", "no"),
    "box": ("box", "boxes", "bx", "boîte", "boîtes", "boite", "boites", "doos", "ds", "schachtel",
            "sch", "caja", "cajas", "盒", "bte", "btes"),
    "carton": ("carton", "cartons", "ctn", "ctns", "karton", "kartons", "kart", "krt", "ktn", "kt", "箱", "ct", "cnt",
               "omdoos", "omdozen"),
    "case": ("case", "cases", "cs", "kiste", "kisten", "caisse", "caisses", "krat"),
    "pack": ("pack", "packs", "pk", "pkt", "pkg", "packung", "packungen", "paket", "pakete", "pak",
             "pakket", "pakketten", "paquet", "paquets", "包", "pa", "pac", "vpe", "ve", "gebinde"),
    "pallet": ("pallet", "pallets", "pal", "palette", "paletten", "plt", "托盘", "pallett"),
    "set": ("set", "sets", "satz", "sätze", "jeu", "jeux", "套", "kit", "kits"),
    "pair": ("pair", "pairs", "pr", "paar", "paire", "paires", "对", "双"),
    "meter": ("m", "meter", "metre", "metres", "meters", "mtr", "mr", "lfm", "lm", "米", "mètre", "mètres", "lfdm"),
    "kg": ("kg", "kilo", "kilos", "kilogram", "kilogramm", "公斤", "千克", "kgm"),
    "litre": ("l", "ltr", "liter", "litre", "litres", "liters", "升", "ltr."),
    "roll": ("roll", "rolls", "rolle", "rollen", "rol", "rouleau", "rouleaux", "卷", "rl", "ro"),
    "dozen": ("dz", "dzn", "dozen", "dutzend", "douzaine", "打"),
    "bag": ("bag", "bags", "bg", "beutel", "btl", "sack", "sac", "sachet", "sachets", "zak", "zakken", "zakje", "袋"),
    "bottle": ("bottle", "bottles", "flasche", "flaschen", "fles", "bouteille", "瓶"),
    "can": ("can", "cans", "dose", "dosen", "bus", "bidon", "罐"),
}

_LOOKUP: dict[str, str] = {}
for _family, _words in FAMILIES.items():
    for _word in _words:
        _LOOKUP.setdefault(_word, _family)

# Families a customer may write for one another when the SKU has only one of them.
CONTAINERS = ("box", "carton", "case", "pack")


def clean(uom: str | None) -> str:
    """Lower-case, without dots and surrounding punctuation."""
    if not uom:
        return ""
    return re.sub(r"[\s.:()]+", "", uom.strip().lower())


def family(uom: str | None) -> str | None:
    """The unit family of a printed or master unit code, or None when unknown."""
    token = clean(uom)
    if not token:
        return None
    if token in _LOOKUP:
        return _LOOKUP[token]
    if token.endswith("s") and token[:-1] in _LOOKUP:
        return _LOOKUP[token[:-1]]
    return None


def resolve(printed: str | None, factors: dict[str, Decimal], base_uom: str) -> tuple[str, Decimal, float, str]:
    """Map a printed unit onto one of the SKU's units: (code, factor, score, evidence)."""
    if not printed or not printed.strip():
        return base_uom, factors.get(base_uom, Decimal(1)), 0.9, "no unit printed: base unit"
    token = clean(printed)
    for code, factor in factors.items():
        if clean(code) == token:
            return code, factor, 1.0, f"unit {printed!r} is {code}"
    fam = family(printed)
    if fam is not None:
        same = [(code, f) for code, f in factors.items() if family(code) == fam]
        if len(same) == 1:
            code, factor = same[0]
            return code, factor, 0.97, f"unit {printed!r} ({fam}) is {code}"
        if fam in CONTAINERS:
            containers = [(code, f) for code, f in factors.items() if family(code) in CONTAINERS and f != 1]
            if len(containers) == 1:
                code, factor = containers[0]
                return code, factor, 0.8, f"unit {printed!r} ({fam}) taken as the only container unit {code}"
        if fam == "piece" and base_uom in factors:
            return base_uom, factors[base_uom], 0.9, f"unit {printed!r} is a piece: base unit {base_uom}"
    return base_uom, factors.get(base_uom, Decimal(1)), 0.3, f"unit {printed!r} unknown: base unit assumed"
