"""pdfium functions called with bare addresses: the hot loops avoid a ctypes pointer object per call.

pypdfium2's raw bindings take and return typed pointers; turning those into comparable keys costs a
`ctypes.cast` each, and out-parameters a `byref` each. The same C functions, declared here with
`c_void_p`, take and return ints, so `map` can call them for every character of a page at C speed.
"""
from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c


def _bare(function, restype, *argtypes):
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_P, _I = ctypes.c_void_p, ctypes.c_int
# text page
text_object = _bare(pdfium_c.FPDFText_GetTextObject, _P, _P, _I)  # (textpage, index) -> text object
is_generated = _bare(pdfium_c.FPDFText_IsGenerated, _I, _P, _I)  # (textpage, index) -> 0/1
char_matrix = _bare(pdfium_c.FPDFText_GetMatrix, _I, _P, _I, _P)  # (textpage, index, FS_MATRIX*) -> ok
char_font_size = _bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _P, _I)  # (textpage, index) -> Tf size
char_origin = _bare(pdfium_c.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)  # (textpage, index, double* x, double* y)
# page objects
page_object = _bare(pdfium_c.FPDFPage_GetObject, _P, _P, _I)  # (page, index) -> object
form_object = _bare(pdfium_c.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)  # (form, index) -> object
form_object_count = _bare(pdfium_c.FPDFFormObj_CountObjects, _I, _P)
object_type = _bare(pdfium_c.FPDFPageObj_GetType, _I, _P)
object_matrix = _bare(pdfium_c.FPDFPageObj_GetMatrix, _I, _P, _P)  # (object, FS_MATRIX*) -> ok
text_object_font = _bare(pdfium_c.FPDFTextObj_GetFont, _P, _P)
path_segment_count = _bare(pdfium_c.FPDFPath_CountSegments, _I, _P)
path_segment = _bare(pdfium_c.FPDFPath_GetPathSegment, _P, _P, _I)
segment_type = _bare(pdfium_c.FPDFPathSegment_GetType, _I, _P)
segment_point = _bare(pdfium_c.FPDFPathSegment_GetPoint, _I, _P, _P, _P)  # (segment, float* x, float* y) -> ok
segment_closes = _bare(pdfium_c.FPDFPathSegment_GetClose, _I, _P)
# fonts
font_is_embedded = _bare(pdfium_c.FPDFFont_GetIsEmbedded, _I, _P)
font_flags = _bare(pdfium_c.FPDFFont_GetFlags, _I, _P)  # the FontDescriptor's /Flags
font_descent = _bare(pdfium_c.FPDFFont_GetDescent, _I, _P, ctypes.c_float, _P)  # (font, size, float*) -> ok
font_glyph_width = _bare(pdfium_c.FPDFFont_GetGlyphWidth, _I, _P, ctypes.c_uint32, ctypes.c_float, _P)  # (font, unicode, size, float*)
font_base_name = _bare(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _P, _P, ctypes.c_size_t)  # (font, char*, size) -> size


def address(handle) -> int:
    """The address behind a pypdfium2 raw handle (0 for NULL)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0
