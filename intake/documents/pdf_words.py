"""Characters to words with pdfplumber's `extract_words` rules (x_tolerance=3, y_tolerance=3).

The rules, as pdfplumber 0.11 applies them: runs of characters that share orientation and size (in
content order) are taken apart; within a run characters are clustered into lines by `top` (a new
line when the next distinct `top` is more than 3 points below the previous one), each line is read
left to right, and a word ends at whitespace, when the next character starts left of the previous
one, more than 3 points after its end, or more than 3 points above or below it. Rotated (not upright)
characters read top to bottom in lines clustered by `x0`. Kept identical so that words, and all the
extractor logic tuned on them, do not change with the PDF library underneath.
"""
from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import NamedTuple, Sequence

from intake.documents.pdf_chars import BOTTOM, SIZE, TEXT, TOP, UPRIGHT, X0, X1, Char

TOLERANCE = 3.0
_RUN_KEY = itemgetter(UPRIGHT, SIZE)
_BY_TOP, _BY_X0, _BY_TOP_BOTTOM = itemgetter(TOP), itemgetter(X0), itemgetter(TOP, BOTTOM)


class RawWord(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # of the word's first character, as pdfplumber's extra_attrs=["size"]


def extract_words(chars: Sequence[Char]) -> list[RawWord]:
    """Words in pdfplumber's order: per run of same-size characters, line by line, left to right."""
    words: list[RawWord] = []
    for (upright, _size), run in groupby(chars, key=_RUN_KEY):
        run = list(run)
        line_key, along = (_BY_TOP, _BY_X0) if upright else (_BY_X0, _BY_TOP_BOTTOM)
        for line in _cluster(run, line_key):
            line.sort(key=along)
            _split(line, upright, words)
    return words


def _cluster(chars: list[Char], key) -> list[list[Char]]:
    """pdfplumber's cluster_objects: chained clusters of the key values, chars kept in input order."""
    values = sorted(set(map(key, chars)))
    if len(values) == 1:
        return [chars]
    cluster_of: dict[float, int] = {}
    index, last = 0, values[0]
    for value in values:
        if value > last + TOLERANCE:
            index += 1
        cluster_of[value] = index
        last = value
    clusters: list[list[Char]] = [[] for _ in range(index + 1)]
    for char in chars:
        clusters[cluster_of[key(char)]].append(char)
    return clusters


def _split(line: list[Char], upright: bool, words: list[RawWord]) -> None:
    """pdfplumber's iter_chars_to_words on one line, already sorted in reading order."""
    # (start, end, cross) per reading direction: x0, x1 and top across a line; top, bottom and x0 down
    start, end, cross = (X0, X1, TOP) if upright else (TOP, BOTTOM, X0)
    first = None  # index of the current word's first character
    prev = None
    for index, char in enumerate(line):
        if char[0].isspace():
            if first is not None:
                words.append(_merge(line[first:index]))
            first = None
            continue
        if first is not None and (prev[start] > char[start] or char[start] > prev[end] + TOLERANCE
                                  or abs(char[cross] - prev[cross]) > TOLERANCE):
            words.append(_merge(line[first:index]))
            first = None
        if first is None:
            first = index
        prev = char
    if first is not None:
        words.append(_merge(line[first:]))


_TEXTS, _X0S, _TOPS, _X1S, _BOTTOMS = (itemgetter(i) for i in (TEXT, X0, TOP, X1, BOTTOM))


def _merge(chars: list[Char]) -> RawWord:
    if len(chars) == 1:
        c = chars[0]
        return _new_word((c[TEXT], c[X0], c[TOP], c[X1], c[BOTTOM], c[SIZE]))
    return _new_word(("".join(map(_TEXTS, chars)), min(map(_X0S, chars)), min(map(_TOPS, chars)),
                      max(map(_X1S, chars)), max(map(_BOTTOMS, chars)), chars[0][SIZE]))


_new_word = RawWord._make  # (no keyword handling: words are made by the thousand)
