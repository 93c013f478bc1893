"""Separating the newest part of a mail body from quoted reply history and inline forwards."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_I = re.IGNORECASE

# A line that starts a forwarded message (always a forward, whatever the subject says).
_FORWARD_MARKERS = [
    re.compile(p, _I)
    for p in (
        r"^-{2,}\s*forwarded message\s*-{2,}$",
        r"^begin forwarded message:?$",
        r"^-{2,}\s*weitergeleitete nachricht\s*-{2,}$",
        r"^-{2,}\s*doorgestuurd bericht\s*-{2,}$",
        r"^-{2,}\s*message transf[ée]r[ée]\s*-{2,}$",
        r"^-{2,}\s*mensaje reenviado\s*-{2,}$",
        r"^-{2,}\s*messaggio inoltrato\s*-{2,}$",
        r"^-{2,}\s*(转发邮件|轉寄郵件|转发的邮件)\s*-{2,}$",
        r"^-{2,}\s*forwarded by .*$",
    )
]

# A line that starts quoted history (a reply; a forward when the subject says so).
_ORIGINAL_MARKERS = [
    re.compile(p, _I)
    for p in (
        r"^-{2,}\s*original message\s*-{2,}$",
        r"^-{2,}\s*urspr[üu]ngliche nachricht\s*-{2,}$",
        r"^-{2,}\s*original-?nachricht\s*-{2,}$",
        r"^-{2,}\s*oorspronkelijk bericht\s*-{2,}$",
        r"^-{2,}\s*message d'origine\s*-{2,}$",
        r"^-{2,}\s*mensaje original\s*-{2,}$",
        r"^-{2,}\s*messaggio originale\s*-{2,}$",
        r"^-{2,}\s*(原始邮件|原始郵件)\s*-{2,}$",
        r"^_{10,}$",  # Outlook's rule above its From:/Sent: block
    )
]

# "On <date>, <person> wrote:" and its translations; may wrap over two lines.
_ATTRIBUTION = [
    re.compile(p, _I)
    for p in (
        r"^on\b.+\bwrote:?$",
        r"^am\b.+\bschrieb\b.*:$",
        r"^op\b.+\bschreef\b.*:$",
        r"^le\b.+\ba [ée]crit\s*:?$",
        r"^el\b.+\bescribi[óo]:?$",
        r"^il\b.+\bha scritto:?$",
        r"^em\b.+\bescreveu:?$",
        r"^.{0,80}(写道|寫道)[:：]?$",
        r"^.+ <[^>]+@[^>]+> (wrote|schrieb|schreef|a écrit):?$",
    )
]
_ATTRIBUTION_START = re.compile(r"^(on|am|op|le|el|il|em)\s.+", _I)
_ATTRIBUTION_END = re.compile(r"(wrote|schrieb|schreef|a [ée]crit|escribi[óo]|ha scritto|escreveu)\s*:?$", _I)

_FROM = re.compile(r"^\*?(from|von|van|de|da|od|från|fra|发件人|寄件者|發件人)\s*\*?\s*[:：]", _I)
_HEADER = re.compile(
    r"^\*?(sent|date|to|cc|subject|gesendet|datum|an|betreff|verzonden|aan|onderwerp|envoy[ée]|"
    r"[àa]|objet|enviado|para|asunto|fecha|inviato|oggetto|data|发送时间|日期|收件人|主题|寄件日期|"
    r"主旨|時間|时间)\s*\*?\s*[:：]",
    _I,
)
_FORWARD_SUBJECT = re.compile(r"^\s*((fwd?|wg|tr|rv|doorst|vs|enc|i)\s*[:：]|转发[:：]|轉寄[:：])", _I)
_HEADER_FIELDS = {
    "from": "from", "von": "from", "van": "from", "de": "from", "da": "from", "发件人": "from",
    "寄件者": "from", "發件人": "from",
    "subject": "subject", "betreff": "subject", "onderwerp": "subject", "objet": "subject",
    "asunto": "subject", "oggetto": "subject", "主题": "subject", "主旨": "subject",
    "date": "date", "sent": "date", "gesendet": "date", "datum": "date", "verzonden": "date",
    "envoyé": "date", "envoye": "date", "fecha": "date", "enviado": "date", "发送时间": "date",
    "日期": "date", "寄件日期": "date",
    "to": "to", "an": "to", "aan": "to", "à": "to", "a": "to", "para": "to", "收件人": "to",
}


@dataclass(slots=True)
class SplitBody:
    """A body cut into the newest text, quoted history and (if any) an inline-forwarded message."""

    newest: str
    quoted: str = ""
    forwarded: str | None = None  # the forwarded message's text (its header block included)
    forwarded_meta: dict[str, str] = field(default_factory=dict)


def split_body(text: str, subject: str = "") -> SplitBody:
    """Find the first reply/forward marker and cut there; a forward keeps its text separately."""
    lines = text.split("\n")
    is_forward_subject = bool(_FORWARD_SUBJECT.match(subject or ""))
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        kind = _marker(lines, i, line)
        if kind is None:
            continue
        newest = "\n".join(lines[:i]).strip()
        rest = "\n".join(lines[i:]).strip()
        if kind == "forward" or (kind == "original" and is_forward_subject):
            body = "\n".join(lines[i + 1:]) if _is_rule(line) else rest  # drop the marker line
            return SplitBody(newest=newest, forwarded=body.strip("\n"), forwarded_meta=_header_block(body))
        return SplitBody(newest=newest, quoted=rest)
    return SplitBody(newest=text.strip("\n"))


def _is_rule(line: str) -> bool:
    return bool(re.match(r"^[-_]{2,}.*[-_]{2,}$|^_{10,}$", line)) or line.lower().startswith("begin forwarded")


def _marker(lines: list[str], i: int, line: str) -> str | None:
    if any(p.match(line) for p in _FORWARD_MARKERS):
        return "forward"
    if any(p.match(line) for p in _ORIGINAL_MARKERS):
        if _ORIGINAL_MARKERS[-1].match(line) and not _next_is_from(lines, i):
            return None  # a long underline that is just decoration
        return "original"
    if any(p.match(line) for p in _ATTRIBUTION):
        return "original"
    if _ATTRIBUTION_START.match(line) and i + 1 < len(lines) and _ATTRIBUTION_END.search(lines[i + 1].strip()):
        return "original"
    if line.startswith(">") and _mostly_quoted(lines[i:]):
        return "original"
    if _FROM.match(line) and _header_follows(lines, i):
        return "original"
    return None


def _next_is_from(lines: list[str], i: int) -> bool:
    for nxt in lines[i + 1:i + 4]:
        if nxt.strip():
            return bool(_FROM.match(nxt.strip()))
    return False


def _header_follows(lines: list[str], i: int) -> bool:
    """A From: line counts as a quoted header block only when more header lines follow."""
    found = 0
    for nxt in lines[i + 1:i + 6]:
        if _HEADER.match(nxt.strip()):
            found += 1
    return found >= 1


def _mostly_quoted(lines: list[str]) -> bool:
    body = [line for line in lines if line.strip()]
    quoted = sum(1 for line in body if line.lstrip().startswith(">"))
    return quoted >= max(1, len(body) // 2)


def _header_block(text: str) -> dict[str, str]:
    """The From/Date/Subject/To lines at the top of a forwarded message, as a dict."""
    return split_header_block(text)[0]


def split_header_block(text: str) -> tuple[dict[str, str], str, str]:
    """(fields, header lines, the rest) for a forwarded message that starts with From:/Date: lines."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    end = 0
    for index, raw in enumerate(lines[:20]):
        line = raw.strip().replace("*", "")
        if not line:
            if meta:
                break
            end = index + 1
            continue
        match = re.match(r"^([^:：]{1,20})\s*[:：]\s*(.*)$", line)
        key = _HEADER_FIELDS.get(match.group(1).strip().lower()) if match else None
        if key is None and not _HEADER.match(line):
            break
        if key and key not in meta:
            meta[key] = match.group(2).strip()
        end = index + 1
    if not meta:
        return {}, "", text
    return meta, "\n".join(lines[:end]).strip("\n"), "\n".join(lines[end:]).strip("\n")
