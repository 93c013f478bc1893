"""A tiny language guess (de/en/nl/fr/es/zh) from function words and order vocabulary."""
from __future__ import annotations

import re
from collections import Counter

_WORDS = {
    "de": "und der die das bitte bestellung menge stück stk lieferung liefertermin mit freundlichen grüßen grüssen "
          "wir ihre ihr sie für artikel bezeichnung einzelpreis gesamt datum lieferadresse vielen dank",
    "en": "the and please order quantity qty price delivery item description regards thank you we our your for "
          "total date ship purchase",
    "nl": "het een graag bestelling aantal prijs levering leverdatum omschrijving met vriendelijke groet "
          "wij onze uw voor artikel bedankt alvast",
    "fr": "le les et des une commande quantité prix livraison désignation merci cordialement nous notre votre "
          "pour date article veuillez bonjour",
    "es": "el los las y una pedido cantidad precio entrega descripción gracias saludos nosotros nuestro su "
          "para fecha artículo por favor atentamente",
}
_VOCAB = {lang: set(words.split()) for lang, words in _WORDS.items()}


def guess_language(text: str) -> str | None:
    """Most likely language code of the text, or None when there is too little to tell."""
    if not text:
        return None
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    if cjk >= 4:
        return "zh"
    words = re.findall(r"[a-zäöüßéèêàçñóíúáâîôû]+", text.lower())
    counts: Counter[str] = Counter()
    for word in words:
        for lang, vocab in _VOCAB.items():
            if word in vocab:
                counts[lang] += 1
    if not counts:
        return None
    (best, n), *rest = counts.most_common()
    if rest and rest[0][1] == n:
        return None
    return best
