"""Small generated fixtures for the intake tests: PDFs, XLSX files and MIME messages."""
from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.message import EmailMessage


def make_pdf(lines_per_page: list[list[str]], *, table: list[list[str]] | None = None, encrypt: str | None = None,
             attachment: tuple[str, bytes] | None = None) -> bytes:
    """A text PDF: one page per list of lines; optionally a ruled table, a password, an embedded file."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    kwargs = {"encrypt": pdfencrypt.StandardEncryption(encrypt, ownerPassword="owner", strength=128)} if encrypt else {}
    pdf = canvas.Canvas(buf, pagesize=A4, **kwargs)
    if attachment:
        import pypdf  # reportlab cannot attach files; pypdf adds them afterwards

    for page_lines in lines_per_page:
        y = 800
        for line in page_lines:
            pdf.drawString(50, y, line)
            y -= 16
        if table:
            _ruled_table(pdf, table, top=y - 20)
        pdf.showPage()
    pdf.save()
    data = buf.getvalue()
    if attachment:
        reader = pypdf.PdfReader(io.BytesIO(data))
        writer = pypdf.PdfWriter()
        writer.append(reader)
        writer.add_attachment(attachment[0], attachment[1])
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def _ruled_table(pdf, rows: list[list[str]], top: float) -> None:
    widths = [120, 200, 60, 80]
    height = 18
    x_positions = [50]
    for w in widths[: len(rows[0])]:
        x_positions.append(x_positions[-1] + w)
    for r, row in enumerate(rows):
        y = top - r * height
        for c, cell in enumerate(row):
            pdf.drawString(x_positions[c] + 3, y - 13, cell)
    bottom = top - len(rows) * height
    for r in range(len(rows) + 1):
        pdf.line(x_positions[0], top - r * height, x_positions[-1], top - r * height)
    for x in x_positions:
        pdf.line(x, top, x, bottom)


def make_image_pdf() -> bytes:
    """A 'scanned' PDF: one page holding only an image, no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = _tiny_png()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawImage(ImageReader(io.BytesIO(png)), 50, 500, width=300, height=200)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _tiny_png() -> bytes:
    import struct
    import zlib

    width, height = 4, 4
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX with the given sheets (name -> rows of values)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def make_message(*, body: str = "", html: str | None = None, subject: str = "Order", sender: str = "Buyer <buyer@customer.example>",
                 attachments: list[tuple[str, bytes, str]] = (), charset: str = "utf-8",
                 message_id: str | None = "<m1@customer.example>", date: str = "Mon, 03 Mar 2025 10:00:00 +0100") -> bytes:
    """A MIME message with a plain body, optional HTML alternative and attachments."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "orders@distributor.example"
    msg["Subject"] = subject
    msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(body, charset=charset)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for name, data, content_type in attachments:
        maintype, subtype = content_type.split("/", 1)
        if maintype == "message":
            inner = message_from_bytes(data, policy=policy.default)
            msg.add_attachment(inner, filename=name)  # a real message/rfc822 part
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def make_layout_pdf(*, rotate: int = 0) -> bytes:
    """One page where pdfplumber's word rules matter: tight and wide gaps, kerning, letter and word
    spacing, sizes, a superscript, rotated text, a form XObject, and ruling of every path kind.
    With `rotate` the page has /Rotate and its content is turned back: it reads upright on screen."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if rotate:
        pdf.setPageRotation(rotate)
        width, height = A4
        pdf.translate(*{90: (width, 0), 180: (width, height), 270: (0, height)}[rotate])
        pdf.rotate({90: 90, 180: 180, 270: -90}[rotate])
    pdf.setFont("Helvetica", 10)
    pdf.drawString(50, 780, "Purchase Order PO-4711")
    pdf.drawString(50, 760, "tight")
    pdf.drawString(50 + pdf.stringWidth("tight", "Helvetica", 10) + 2, 760, "join")  # 2 pt: one word
    pdf.drawString(50, 740, "wide")
    pdf.drawString(50 + pdf.stringWidth("wide", "Helvetica", 10) + 4, 740, "apart")  # 4 pt: two words
    pdf._code.append("BT /F1 10 Tf 50 720 Td [(Kern)-120(ed) -400 (gap)-2000(far)] TJ ET")
    # (each in its own BT: after a string with Tc pdfminer skips the last Tc, pdfium does not)
    pdf._code.append("BT /F1 10 Tf 50 700 Td 4 Tc (SPACED OUT) Tj 0 Tc ET")
    pdf._code.append("BT /F1 10 Tf 200 700 Td 6 Tw (word spaced) Tj 0 Tw ET")
    pdf._code.append("BT /F1 10 Tf 80 Tz 50 680 Td (narrow text) Tj 100 Tz ET")
    pdf.setFont("Times-Roman", 10)
    pdf.drawString(50, 660, "m")
    pdf.setFont("Times-Roman", 6)
    pdf.drawString(58, 664, "2")  # a superscript: another size, the same line
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(300, 780, "TOTAL 62.50")
    pdf.saveState()
    pdf.translate(30, 400)
    pdf.rotate(90)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(0, 0, "Printed by ERP 4.2")
    pdf.restoreState()
    pdf.beginForm("header")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(320, 640, "In a form XObject")
    pdf.rect(310, 600, 200, 60)
    pdf.endForm()
    pdf.doForm("header")
    pdf.line(50, 560, 500, 560)
    pdf.roundRect(50, 450, 200, 80, 8)
    pdf.circle(400, 480, 30)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def make_unmapped_font_pdf() -> bytes:
    """Text in an embedded font whose ToUnicode map was removed: the glyphs cannot be read as text."""
    import pypdf
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont("DejaVuSans", 10)
    for i, line in enumerate(["Заказ номер 4711", "Позиция Товар Количество", "Болт Гайка Шайба"]):
        pdf.drawString(50, 780 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(buf.getvalue())))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font.get_object().pop("/ToUnicode", None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_cjk_cells_pdf() -> bytes:
    """CJK text in a non-embedded font, some cells a single character (pdfium needs a system font
    to draw those; without one its text page drops them)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont("STSong-Light", 9)
    pdf.drawString(50, 780, "采购订单 CG2026")
    for i, (qty, unit) in enumerate([("4", "袋"), ("12", "个"), ("3", "件")]):
        pdf.drawString(50, 750 - 14 * i, qty)
        pdf.drawString(80, 750 - 14 * i, unit)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
