"""The vocabulary matcher: longest phrase wins, whole words only, compiled lookups stay current."""
from agents.extractors.labels import COLUMN_LABELS, _vocab, match_vocab


def test_the_longest_phrase_of_any_key_wins():
    vocab = _vocab({"unit_price": "price | unit price", "line_total": "total price"})
    assert match_vocab("Unit price (EUR)", vocab) == ("unit_price", len("unit price"))
    assert match_vocab("Total price", vocab) == ("line_total", len("total price") + 100)


def test_phrases_match_whole_words_only():
    vocab = _vocab({"qty": "qty"})
    assert match_vocab("qtyx", vocab) == (None, 0)
    assert match_vocab("order qty", vocab) == ("qty", 3)


def test_exact_matching_needs_the_whole_text_and_the_first_key_wins():
    vocab = _vocab({"a": "menge", "b": "menge | stueckzahl"})
    assert match_vocab("Menge", vocab, exact=True) == ("a", len("menge") + 100)
    assert match_vocab("Menge gesamt", vocab, exact=True) == (None, 0)


def test_chinese_phrases_match_inside_words():
    assert match_vocab("订购数量", COLUMN_LABELS)[0] == "qty"


def test_a_vocabulary_extended_after_first_use_is_matched_with_its_new_phrase():
    vocab = _vocab({"qty": "qty"})
    assert match_vocab("stueckzahl", vocab) == (None, 0)
    vocab["qty"] = sorted(vocab["qty"] + ["stueckzahl"], key=len, reverse=True)
    assert match_vocab("stueckzahl", vocab, exact=True) == ("qty", len("stueckzahl") + 100)
    assert match_vocab("die stueckzahl", vocab) == ("qty", len("stueckzahl"))


def test_dutch_caption_labels_with_a_trailing_preposition_are_whole_labels():
    # "Levering op" / "Opgemaakt op" stand above their dates (caption boxes): the "op" is part of
    # the label, not a value, so the value is looked for below the caption.
    from agents.extractors.labels import HEADER_LABELS, starts_with_label

    assert starts_with_label("Levering op", HEADER_LABELS) == ("requested_delivery_date", len("Levering op"))
    assert starts_with_label("Opgemaakt op", HEADER_LABELS) == ("order_date", len("Opgemaakt op"))


def test_order_value_labels_are_totals_and_extended_is_a_line_total_column():
    from agents.extractors.labels import TOTAL_LABELS

    assert match_vocab("Orderwaarde excl. btw", TOTAL_LABELS)[0] == "net"
    assert match_vocab("Order value", TOTAL_LABELS)[0] == "net"
    assert match_vocab("Extended", COLUMN_LABELS, exact=True)[0] == "line_total"
