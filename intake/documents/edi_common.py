"""What the X12 and EDIFACT tokenizers share: the Document they build from segments."""
from __future__ import annotations

from intake.documents.common import new_document
from intake.model import Document, DocumentKind, EdiSegment, Page, Source, Word


def edi_document(kind: DocumentKind, name: str, part: str, content_type: str, data: bytes,
                 segments: list[EdiSegment], raw_segments: list[str]) -> Document:
    """One text line per segment (line = segment index); each value a word whose column is its element number."""
    doc = new_document(kind, name, part, content_type, data)
    doc.segments = segments
    doc.text = "\n".join(raw_segments)
    words = []
    for segment in segments:
        words.append(Word(segment.tag, Source(part=part, line=segment.index, column=0)))
        for column, element in enumerate(segment.elements, start=1):  # column n = element n (BGM02)
            for component in element:
                if component:
                    words.append(Word(component, Source(part=part, line=segment.index, column=column)))
    doc.pages = [Page(number=1, width=0.0, height=0.0, text=doc.text, words=words)]
    return doc


def segment_values(segment: EdiSegment) -> list[str]:
    """All component values of a segment in order (handy for tests and logging)."""
    return [component for element in segment.elements for component in element]
