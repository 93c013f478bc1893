"""HTML mail bodies to plain text and tables, with BeautifulSoup; nothing is ever rendered."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

_SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template", "svg",
         "object", "embed", "iframe", "button", "select", "form"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr",
          "section", "article", "header", "footer", "address", "center", "dl", "dt", "dd",
          "thead", "tbody", "tfoot", "caption", "fieldset", "hr", "body", "html", "main", "nav"}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr"}
_CELL = {"td", "th"}
# Block edges are marked first and collapsed later, so nested blocks give one line break
# and paragraphs one blank line, however deep the markup.
_LINE, _PARA = "\x01", "\x02"
_BREAKS = re.compile("[\x01\x02][\x01\x02 ]*")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u3000\r\n\f\v]+")


@dataclass(slots=True)
class HtmlText:
    """Plain text of an HTML body (blockquotes prefixed with '> ') and its data tables."""

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)


def html_to_text(html: str) -> HtmlText:
    """Turn HTML into readable plain text plus innermost tables as rows of cell strings."""
    soup = BeautifulSoup(html, "html.parser")
    out: list[str] = []
    _walk(soup, out)
    return HtmlText(text=_tidy("".join(out)), tables=_tables(soup))


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.append(_SPACES.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = (child.name or "").lower()
        if name in _SKIP:
            continue
        if name == "br":
            out.append("\n")
        elif name in _PARAGRAPH:
            out.append(_PARA)
            _walk(child, out)
            out.append(_PARA)
        elif name == "blockquote":
            inner: list[str] = []
            _walk(child, inner)
            quoted = _tidy("".join(inner))
            out.append(_LINE + "\n".join("> " + line if line else ">" for line in quoted.split("\n")) + _LINE)
        elif name == "pre":
            out.append(_LINE + child.get_text() + _LINE)
        elif name in _CELL:
            _walk(child, out)
            out.append("\t")
        elif name == "img":
            alt = (child.get("alt") or "").strip()
            if alt:
                out.append(f" {alt} ")
        elif name in _BLOCK:
            out.append(_LINE)
            _walk(child, out)
            out.append(_LINE)
        else:
            _walk(child, out)


def _tidy(text: str) -> str:
    text = _BREAKS.sub(lambda m: "\n\n" if _PARA in m.group(0) else "\n", text)
    lines = []
    for line in text.split("\n"):
        cells = [re.sub(r" {2,}", " ", cell).strip() for cell in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    tidy = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", tidy).strip("\n")


def _tables(soup: BeautifulSoup) -> list[list[list[str]]]:
    tables = []
    for table in soup.find_all("table"):
        if table.find("table") is not None:
            continue  # layout wrapper: only innermost tables hold data
        rows = []
        for tr in table.find_all("tr"):
            cells = [_SPACES.sub(" ", c.get_text(" ")).strip() for c in tr.find_all(_CELL)]
            if any(cells):
                rows.append(cells)
        if rows and (len(rows) > 1 or len(rows[0]) > 1):
            tables.append(rows)
    return tables
