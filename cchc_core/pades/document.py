"""An official document's PDF laid out as Nghị định 30/2020/NĐ-CP Phụ lục I prints it, ready
for the two signatures of an electronic document.

The page carries everything but what only the issue decides: the header's number and date are
empty text fields over their printed placeholders (``Số:      /QĐ-UBND``, ``Bến Tre, ngày
tháng     năm 2026``), and the signature block holds two empty signature fields: the leader's
between the position line and the name, the agency's (the seal) over its left third. The
leader signs the whole page; the clerk's revision then fills the number and date (form filling,
which the leader's signature allows) and signs with the seal (:func:`cchc_core.pades.sign_pdf`
with ``fill=``). Both signatures stay valid; no page content changes after the first one.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields

from cchc_core.pades.appearance import Box, draw_text_field, font_path, seal_box
from cchc_core.pades.pdf_io import _reader

NUMBER_FIELD = "SoKyHieu"
DATE_FIELD = "NgayBanHanh"
LEADER_FIELD = "ChuKyLanhDao"
SEAL_FIELD = "ChuKyCoQuan"

# A4 and the margins of Phụ lục I (top 20-25 mm, bottom 20-25 mm, left 30-35 mm, right 15-20 mm).
PAGE_W, PAGE_H = 595.28, 841.89
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, PAGE_W - 15 * MM, PAGE_H - 20 * MM, 20 * MM
# The header's two columns: the issuing agency (left), the national motto (right).
SPLIT = LEFT + 205
LEFT_CENTRE, RIGHT_CENTRE = (LEFT + SPLIT) / 2, (SPLIT + RIGHT) / 2
# The leader's signature box (width x height, points); the seal, as high, covers its left third
# at about a real seal's size (36 mm).
SIGNATURE_W, SIGNATURE_H = 210.0, 100.0
_FONTS = {
    "CchcSerif": "serif",
    "CchcSerifBold": "serif-bold",
    "CchcSerifItalic": "serif-italic",
    "CchcSerifBoldItalic": "serif-bold-italic",
}
RED = (0.78, 0.06, 0.1)


@dataclass(frozen=True)
class OfficialDocument:
    """What the page shows. ``issuer_lines``: the governing body (if any) and the issuing
    agency, the last one bold (``("ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE")``); ``kind_title``: the
    kind in capitals (``QUYẾT ĐỊNH``), empty for a công văn (its subject then follows the
    number as ``V/v …``); ``signature_lines``: authority and position (``TM. ỦY BAN NHÂN
    DÂN``, ``CHỦ TỊCH``)."""

    issuer_lines: tuple[str, ...]
    notation: str
    place: str
    year: int
    kind_title: str
    subject: str
    body: str
    signature_lines: tuple[str, ...]
    signer_name: str
    recipients: str = ""


@dataclass(frozen=True)
class Placement:
    page: int  # 0-based
    box: Box


@dataclass(frozen=True)
class Layout:
    """Where things are (points, origin bottom left): the header's fields, the signature
    block (authority lines to the name) and the two signature boxes inside it."""

    pages: int
    number: Placement
    date: Placement
    signature_block: Placement
    leader: Placement
    seal: Placement


def number_text(number: int, notation: str) -> str:
    """``Số: 01/QĐ-UBND`` (a number below 10 takes a leading zero)."""
    return f"Số: {number:02d}/{notation}"


def date_text(place: str, day: date) -> str:
    """``Bến Tre, ngày 05 tháng 12 năm 2026``: days below 10 and the months 1 and 2 take a
    leading zero (Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{_day_prefix(place)} {day.day:02d} tháng {month} năm {day.year}"


def _day_prefix(place: str) -> str:
    return f"{place}, ngày" if place else "Ngày"


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, style in _FONTS.items():
        pdfmetrics.registerFont(TTFont(name, font_path(style)))


class _Writer:
    """Lines of text on the pages, top down, with a cursor."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.y = TOP
        self.page = 0

    def line(self, text: str, font: str, size: float, centre: float | None = None, x=LEFT):
        self.canvas.setFont(font, size)
        if centre is not None:
            self.canvas.drawCentredString(centre, self.y, text)
        else:
            self.canvas.drawString(x, self.y, text)
        return self.canvas.stringWidth(text, font, size)

    def underline(self, centre: float, width: float, gap: float = 3.5):
        self.canvas.setLineWidth(0.6)
        self.canvas.line(centre - width / 2, self.y - gap, centre + width / 2, self.y - gap)

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self.page += 1
            self.y = TOP


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width) or [""]


def _justified(writer: _Writer, text: str, font: str, size: float, indent: float) -> None:
    """One paragraph, first line indented, lines spread to the margins but the last."""
    canvas = writer.canvas
    space = canvas.stringWidth(" ", font, size)
    lines: list[list[str]] = [[]]
    used = indent
    for word in text.split():
        width = canvas.stringWidth(word, font, size)
        room = RIGHT - LEFT
        if lines[-1] and used + space + width > room:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + width
        lines[-1].append(word)
    for i, words in enumerate(lines):
        writer.need(size * 1.35)
        x = LEFT + (indent if i == 0 else 0)
        room = RIGHT - x
        canvas.setFont(font, size)
        if i == len(lines) - 1 or len(words) < 2:
            canvas.drawString(x, writer.y, " ".join(words))
        else:
            width = sum(canvas.stringWidth(w, font, size) for w in words)
            gap = (room - width) / (len(words) - 1)
            for word in words:
                canvas.drawString(x, writer.y, word)
                x += canvas.stringWidth(word, font, size) + gap
        writer.y -= size * 1.35
    writer.y -= size * 0.4


def render(doc: OfficialDocument) -> tuple[bytes, Layout]:
    """The draft's PDF, with its empty header fields and signature fields, and its layout."""
    from reportlab.pdfgen import canvas as pdf_canvas

    _register_fonts()
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    canvas.setTitle(f"{doc.kind_title or 'CÔNG VĂN'} {doc.subject}".strip())
    w = _Writer(canvas)
    # Header: the agency (left) and the national title (right) on the same lines.
    top = w.y
    lines = [line.upper() for line in doc.issuer_lines if line.strip()]
    for i, line in enumerate(lines):
        bold = i == len(lines) - 1
        width = w.line(line, "CchcSerifBold" if bold else "CchcSerif", 12.5, LEFT_CENTRE)
        if bold:
            w.underline(LEFT_CENTRE, min(width, 90))
        w.y -= 15
    left_end = w.y
    w.y = top
    w.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CchcSerifBold", 12, RIGHT_CENTRE)
    w.y -= 15
    width = w.line("Độc lập - Tự do - Hạnh phúc", "CchcSerifBold", 13, RIGHT_CENTRE)
    w.underline(RIGHT_CENTRE, width)
    w.y = min(left_end, w.y - 15) - 10
    number_y = w.y
    number = Placement(0, (LEFT, number_y - 5, SPLIT, number_y + 14))
    day = Placement(0, (SPLIT + 4, number_y - 5, RIGHT, number_y + 14))
    w.y -= 17
    if not doc.kind_title:
        for line in _wrap(f"V/v {doc.subject}", "CchcSerif", 12, SPLIT - LEFT - 20):
            w.line(line, "CchcSerif", 12, LEFT_CENTRE)
            w.y -= 14
    w.y -= 20
    if doc.kind_title:
        w.line(
            doc.kind_title.upper(), "CchcSerifBold", 14, PAGE_W / 2 + (LEFT - (PAGE_W - RIGHT)) / 2
        )
        w.y -= 18
        centre = (LEFT + RIGHT) / 2
        for line in _wrap(doc.subject, "CchcSerifBold", 14, RIGHT - LEFT - 60):
            width = w.line(line, "CchcSerifBold", 14, centre)
            w.y -= 17
        w.y += 17
        w.underline(centre, 80, gap=8)
        w.y -= 30
    # Body.
    for paragraph in (p.strip() for p in doc.body.split("\n")):
        if paragraph:
            _justified(w, paragraph, "CchcSerif", 13.5, 1 * 28.35)
    # Recipients (left) and the signature block (right), side by side.
    sig_lines = [line.upper() for line in doc.signature_lines if line.strip()]
    block_height = 17 * len(sig_lines) + SIGNATURE_H + 30
    w.need(block_height + 10)
    w.y -= 8
    block_top = w.y + 14
    recipients = [r for r in doc.recipients.split("\n") if r.strip()]
    if recipients:
        w.line("Nơi nhận:", "CchcSerifBoldItalic", 12, x=LEFT)
        y = w.y
        for line in recipients:
            w.y -= 13
            w.line(line.strip(), "CchcSerif", 11, x=LEFT)
        w.y = y
    for line in sig_lines:
        w.line(line, "CchcSerifBold", 13.5, RIGHT_CENTRE)
        w.y -= 17
    box_top = w.y + 2  # under the last line, its descenders included
    leader = (
        RIGHT_CENTRE - SIGNATURE_W / 2,
        box_top - SIGNATURE_H,
        RIGHT_CENTRE + SIGNATURE_W / 2,
        box_top,
    )
    w.y = box_top - SIGNATURE_H - 12
    w.line(doc.signer_name, "CchcSerifBold", 13.5, RIGHT_CENTRE)
    block = (SPLIT - 10, w.y - 8, RIGHT, block_top)
    last = w.page
    canvas.showPage()
    canvas.save()
    layout = Layout(
        pages=last + 1,
        number=number,
        date=day,
        signature_block=Placement(last, block),
        leader=Placement(last, leader),
        seal=Placement(last, seal_box(leader)),
    )
    return _add_fields(out.getvalue(), layout, doc), layout


def _text_field(writer, page_ref, name: str, box: Box, da: str, placeholder: str):
    field = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): generic.TextStringObject(name),
            pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 2)) for v in box),
            pdf_name("/P"): page_ref,
            pdf_name("/F"): generic.NumberObject(4),  # printed
            pdf_name("/Ff"): generic.NumberObject(1),  # read-only: the system fills it
            pdf_name("/DA"): generic.TextStringObject(da),
            pdf_name("/Q"): generic.NumberObject(1),  # centred
        }
    )
    # The placeholder is the empty field's own appearance (not page text under it): once
    # filled, the header reads the number alone, on screen and to text extraction.
    draw_text_field(writer, field, placeholder)
    return writer.add_object(field)


def _add_fields(pdf: bytes, layout: Layout, doc: OfficialDocument) -> bytes:
    """The empty header fields and signature fields, added to the rendered pages."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    refs = [
        _text_field(
            writer,
            page_ref,
            NUMBER_FIELD,
            layout.number.box,
            "/CchcSerif 13 Tf 0 g",
            f"Số:        /{doc.notation}",
        ),
        _text_field(
            writer,
            page_ref,
            DATE_FIELD,
            layout.date.box,
            "/CchcSerifItalic 13 Tf 0 g",
            f"{_day_prefix(doc.place)}      tháng      năm {doc.year}",
        ),
    ]
    annots = page.get("/Annots", generic.ArrayObject())
    page[pdf_name("/Annots")] = generic.ArrayObject([*annots, *refs])
    writer.update_container(page)
    writer.root[pdf_name("/AcroForm")] = writer.add_object(
        generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject(refs)})
    )
    writer.update_root()
    for name, placement in ((LEADER_FIELD, layout.leader), (SEAL_FIELD, layout.seal)):
        box = tuple(int(round(v)) for v in placement.box)
        fields.append_signature_field(
            writer, fields.SigFieldSpec(sig_field_name=name, on_page=placement.page, box=box)
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def laid_out(pdf: bytes, field: str = LEADER_FIELD) -> bool:
    """Whether the PDF was laid out here and waits for the signature ``field``: it has that
    signature field, empty."""
    reader = _reader(pdf)
    return any(
        name == field and value is None for name, value, _ in fields.enumerate_sig_fields(reader)
    )


# ------------------------------------------------------------------------------------------
# The seal


@lru_cache(maxsize=32)
def seal_png(name: str, size: int = 600) -> bytes:
    """A round red seal for the agency ``name``, drawn here (no artwork copied): a double
    ring, the name in capitals around it, a five-pointed star in the centre; transparent
    background, as Phụ lục I asks of the seal's image (.png)."""
    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 26, 255)
    scale = size / 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2

    def ring(radius: float, width: float):
        r = radius * scale
        draw.ellipse(
            (centre - r, centre - r, centre + r, centre + r),
            outline=red,
            width=round(width * scale),
        )

    ring(292, 14)
    ring(198, 6)
    star = [
        (
            centre + (72 if i % 2 == 0 else 29) * scale * math.sin(math.pi * i / 5),
            centre - (72 if i % 2 == 0 else 29) * scale * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=red)
    text = unicodedata.normalize("NFC", " ".join(name.upper().split()))
    font = ImageFont.truetype(font_path("sans-bold"), round(46 * scale))
    radius = 243 * scale  # the middle of the band between the rings
    widths = [font.getlength(c) for c in text]
    spacing = 4 * scale
    total = sum(widths) + spacing * (len(text) - 1)
    arc = min(total / radius, math.radians(330))
    factor = arc / (total / radius)
    angle = -arc / 2  # clockwise from the top
    for char, width in zip(text, widths, strict=True):
        step = (width + spacing) * factor / radius
        mid = angle + width * factor / radius / 2
        glyph = Image.new("RGBA", (round(width) + 20, round(70 * scale)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((10, 4 * scale), char, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(mid), resample=Image.BICUBIC, expand=True)
        x = centre + radius * math.sin(mid) - glyph.width / 2
        y = centre - radius * math.cos(mid) - glyph.height / 2
        image.alpha_composite(glyph, (round(x), round(y)))
        angle += step
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
