"""Turning bytes of unknown or mislabelled charset into text."""
from __future__ import annotations

import codecs
import logging

log = logging.getLogger(__name__)

# Labels mail clients use that Python does not know, or supersets that decode strictly more.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",  # what senders labelled Latin-1 is nearly always Windows-1252
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "us-ascii": "",  # 8-bit bytes under an ASCII label: guess instead of replacing
    "ascii": "",
}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip('"').lower()
    label = _ALIASES.get(label, label)
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError, TypeError):  # unknown, or garbage such as NUL bytes in the label
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes: declared charset, then UTF-8, then charset-normalizer; returns (text, codec)."""
    if not data:
        return "", _codec(declared) or "utf-8"
    tried: list[str] = []
    candidates = [_codec(declared)]
    if declared and _codec(declared) == "cp1252":
        candidates.append("latin-1")  # bytes undefined in cp1252 (0x81, 0x8d ...) are valid Latin-1
    candidates.append("utf-8")
    for codec in candidates:
        if codec and codec not in tried:
            tried.append(codec)
            try:
                text = data.decode(codec)
            except (UnicodeDecodeError, LookupError, ValueError):
                continue
            if text.startswith("\ufeff"):
                text = text[1:]
            return text, codec
    latin = _plausible_cp1252(data)
    if latin is not None:
        return latin, "cp1252"
    guessed = _guess(data)
    if guessed:
        return guessed
    return data.decode("cp1252", errors="replace"), "cp1252"


_LATIN_SYMBOLS = set("€£¥§°±²³µ·–—‘’‚“”„«»…×÷¼½¾©®™•¿¡ºª")


def _plausible_cp1252(data: bytes) -> str | None:
    """Windows-1252 when the non-ASCII characters read as isolated accented letters and symbols.

    Statistical detectors guess wrong on short Western European texts; text in a multi-byte
    charset (GBK, Shift-JIS) misread as cp1252 shows long runs of non-ASCII characters instead.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    run = longest = 0
    for char in text:
        if ord(char) < 128:
            run = 0
            continue
        if not (char.isalpha() or char in _LATIN_SYMBOLS):
            return None
        run += 1
        longest = max(longest, run)
    return text if longest <= 3 else None


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - a failing guess only means we fall back further
        log.debug("charset-normalizer failed", exc_info=True)
        return None
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding, errors="replace"), best.encoding
    except LookupError:
        return None
