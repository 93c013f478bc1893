"""XML documents: UBL 2.1 / PEPPOL orders recognised by namespace, any other XML kept as a tree.

Parsed with defusedxml: entity expansion and external entities are refused, never resolved.
"""
from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from intake.documents.common import mark_unreadable, new_document
from intake.documents.text import words_by_line
from intake.model import Document, Page

UBL_PREFIX = "urn:oasis:names:specification:ubl:schema:xsd:"
UBL_ORDER_ROOTS = {"Order", "OrderChange", "OrderCancellation"}


def read_xml(name: str, data: bytes, content_type: str, part: str) -> Document:
    """Parse XML; UBL Order/OrderChange/OrderCancellation become kind 'ubl_order', others 'xml'."""
    doc = new_document("xml", name, part, content_type or "application/xml", data)
    doc.xml = data
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return mark_unreadable(doc, f"xml with forbidden entities ({type(exc).__name__})")
    except (ParseError, ValueError, UnicodeError) as exc:
        return mark_unreadable(doc, f"malformed xml ({str(exc)[:120]})")
    namespace, local = split_tag(root.tag)
    doc.meta["root"] = local
    if namespace:
        doc.meta["namespace"] = namespace
    if namespace.startswith(UBL_PREFIX):
        doc.meta["standard"] = "ubl"
        for child in root:
            child_local = split_tag(child.tag)[1]
            if child_local in ("CustomizationID", "ProfileID", "UBLVersionID") and child.text:
                doc.meta[child_local] = child.text.strip()
        if local in UBL_ORDER_ROOTS:
            doc.kind = "ubl_order"
        if "peppol" in doc.meta.get("CustomizationID", "").lower():
            doc.meta["standard"] = "peppol"
    doc.text = "\n".join(flatten(root))
    doc.pages = [Page(number=1, width=0.0, height=0.0, text=doc.text, words=words_by_line(doc.text, part))]
    return doc


def split_tag(tag) -> tuple[str, str]:
    """('namespace', 'LocalName') from '{namespace}LocalName'."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def flatten(root, limit: int = 20_000) -> list[str]:
    """One readable line per element with text or attributes: 'Path/To/Elem [@a=1]: text'."""
    lines: list[str] = []

    def walk(element, path: str) -> None:
        if len(lines) >= limit:
            return
        local = split_tag(element.tag)[1]
        here = f"{path}/{local}" if path else local
        text = (element.text or "").strip()
        attributes = " ".join(f"@{split_tag(k)[1]}={v}" for k, v in element.attrib.items() if v and "}" not in k)
        if text or attributes:
            lines.append(f"{here}{' [' + attributes + ']' if attributes else ''}: {' '.join(text.split())}".rstrip(": "))
        for child in element:
            walk(child, here)

    walk(root, "")
    return lines
