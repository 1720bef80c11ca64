"""What a signature shows on the page: the text lines, the image, the seal's box, drawn
into the widget with a cached font subset."""

from __future__ import annotations

import binascii
import hashlib
import io
import os
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name

from cchc_core.messages import Message
from cchc_core.pki import SigningError

Box = tuple[float, float, float, float]
# Vietnam time (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving): every time a signature
# shows or records. Nghị định 30/2020 Phụ lục I asks for the Vietnamese time zone (ISO 8601).
VIETNAM = timezone(timedelta(hours=7), "+07")
# What a mark typed in place of a missing signature image is drawn in: the blue of a pen.
_INK = b"0 0.2 0.6 rg"


def vietnam_time(moment: datetime) -> datetime:
    """``moment`` in Vietnam time (a naive ``moment`` is taken as UTC, as Odoo stores it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM)


@dataclass(frozen=True)
class Appearance:
    """What the signature shows: ``on_behalf`` (``"KT. CHỦ TỊCH"``), position, name, time.

    ``in_block``: the page itself prints the capacity, position and name around the widget (a
    document laid out by :mod:`cchc_core.pades.document`); the widget then shows only the
    signature image (without one, the name typed as a signature mark) and the signing time.
    """

    name: str
    position: str = ""
    on_behalf: str = ""
    image: bytes | None = None
    time: datetime | None = None
    in_block: bool = False


def appearance_lines(appearance: Appearance) -> tuple[list[str], list[str]]:
    """The text above the image (on behalf, position) and below it (name, time).
    ``on_behalf`` may hold several lines (``TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH``)."""
    top = [
        line
        for text in (appearance.on_behalf, appearance.position)
        for line in (text or "").split("\n")
        if line.strip()
    ]
    bottom = [appearance.name] if appearance.name else []
    if appearance.in_block:
        top = ["Đã ký"] if appearance.name and not appearance.image else []
        bottom = [appearance.name] if top else []
    if appearance.time is not None:
        bottom.append("Ký ngày " + time_text(appearance.time))
    return top, bottom


def time_text(moment: datetime) -> str:
    """``05/12/2026 13:20:05 +07:00``: the date, the time and the zone, in Vietnam time."""
    local = vietnam_time(moment)
    return local.strftime("%d/%m/%Y %H:%M:%S ") + local.strftime("%z")[:3] + ":00"


def seal_box(leader_box: Box) -> Box:
    """The seal's box: a square as high as the leader's box, covering its left third."""
    x1, y1, x2, y2 = leader_box
    width, height = abs(x2 - x1), abs(y2 - y1)
    left, bottom = min(x1, x2), min(y1, y2)
    side = height
    right = left + width / 3
    return (right - side, bottom, right, bottom + side)


_FONT_CANDIDATES = {
    "sans": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ),
    "sans-bold": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/liberation/LiberationSans-Bold.ttf",
    ),
    # The serif faces of an administrative document. (reportlab 4.1 draws no Vietnamese
    # letter of Liberation Serif: not in this list.)
    "serif": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerifCondensed.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
    ),
    "serif-bold": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerifCondensed-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif-Bold.ttf",
    ),
    "serif-italic": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Italic.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerifCondensed-Italic.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif-Italic.ttf",
    ),
    "serif-bold-italic": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-BoldItalic.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerifCondensed-BoldItalic.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
        "/usr/share/fonts/dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
}


def font_path(style: str = "sans") -> str:
    """The file of a face with Vietnamese letters in ``style`` (sans, serif, serif-bold,
    serif-italic); ``CCHC_SIGN_FONT`` overrides the sans one."""
    own = [os.environ.get("CCHC_SIGN_FONT", "")] if style == "sans" else []
    for candidate in [*own, *_FONT_CANDIDATES[style], *_FONT_CANDIDATES["sans"]]:
        if candidate and Path(candidate).is_file():
            return candidate
    import reportlab

    # Vera lacks Vietnamese letters but keeps signing possible on a bare machine.
    return str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


@lru_cache(maxsize=8)
def _font_face(style: str = "sans"):
    """A TrueType face with Vietnamese letters (reportlab's parser; no fontTools needed)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    return TTFontFace(font_path(style))


@dataclass(frozen=True)
class _FontSubset:
    chars: tuple[str, ...]
    codes: dict[str, int]
    font_file: bytes  # zlib-compressed TrueType subset
    length1: int
    to_unicode: bytes  # zlib-compressed CMap
    widths: tuple[int, ...]
    base_name: str


@lru_cache(maxsize=256)
def _font_subset(chars: tuple[str, ...], style: str = "sans") -> _FontSubset:
    """A font subset for these characters, code i = chars[i]; cached per character set."""
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    face = _font_face(style)
    points = [ord(c) for c in chars]
    data = face.makeSubset(points)
    key = (style + "".join(chars)).encode()
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(key).digest()[:6])
    base = f"{tag}+{face.name.decode('latin-1') if isinstance(face.name, bytes) else face.name}"
    cmap = makeToUnicodeCMap(base, points)
    return _FontSubset(
        chars=chars,
        codes={c: i for i, c in enumerate(chars)},
        font_file=zlib.compress(data),
        length1=len(data),
        to_unicode=zlib.compress(cmap.encode("latin-1")),
        widths=tuple(int(face.getCharWidth(p)) for p in points),
        base_name=base,
    )


@dataclass(frozen=True)
class _Image:
    width: int
    height: int
    rgb: bytes  # zlib
    alpha: bytes | None  # zlib


@lru_cache(maxsize=32)
def _image(png: bytes) -> _Image:
    from PIL import Image

    try:
        picture = Image.open(io.BytesIO(png))
        picture.load()
    except Exception:
        raise SigningError(Message("the signature image is not a readable PNG or JPEG")) from None
    picture = picture.convert("RGBA")
    alpha = picture.getchannel("A")
    has_alpha = alpha.getextrema() != (255, 255)
    return _Image(
        picture.width,
        picture.height,
        zlib.compress(picture.convert("RGB").tobytes()),
        zlib.compress(alpha.tobytes()) if has_alpha else None,
    )


def _stream(dictionary: dict, data: bytes, *, flate: bool = True) -> generic.StreamObject:
    entries = {pdf_name(k): v for k, v in dictionary.items()}
    if flate:
        entries[pdf_name("/Filter")] = pdf_name("/FlateDecode")
    return generic.StreamObject(generic.DictionaryObject(entries), encoded_data=data)


def _font(writer, text: str, style: str = "sans"):
    """A font object for ``text`` (a subset of the ``style`` face) and its subset."""
    chars = tuple(sorted(set(text) | {" "}))
    if len(chars) > 255:
        raise SigningError(Message("the signature text is too long"))
    subset = _font_subset(chars, style)
    face = _font_face(style)
    font_file = _stream({"/Length1": generic.NumberObject(subset.length1)}, subset.font_file)
    descriptor = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): pdf_name("/" + subset.base_name),
            pdf_name("/Flags"): generic.NumberObject(4),
            pdf_name("/FontBBox"): generic.ArrayObject(
                generic.NumberObject(int(v)) for v in face.bbox
            ),
            pdf_name("/ItalicAngle"): generic.NumberObject(int(face.italicAngle)),
            pdf_name("/Ascent"): generic.NumberObject(int(face.ascent)),
            pdf_name("/Descent"): generic.NumberObject(int(face.descent)),
            pdf_name("/CapHeight"): generic.NumberObject(int(face.capHeight)),
            pdf_name("/StemV"): generic.NumberObject(int(face.stemV)),
            pdf_name("/FontFile2"): writer.add_object(font_file),
        }
    )
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/TrueType"),
            pdf_name("/BaseFont"): pdf_name("/" + subset.base_name),
            pdf_name("/FirstChar"): generic.NumberObject(0),
            pdf_name("/LastChar"): generic.NumberObject(len(chars) - 1),
            pdf_name("/Widths"): generic.ArrayObject(
                generic.NumberObject(w) for w in subset.widths
            ),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/ToUnicode"): writer.add_object(_stream({}, subset.to_unicode)),
        }
    )
    return writer.add_object(font), subset


def _advance(subset: _FontSubset, text: str) -> float:
    """The width of ``text`` at size 1."""
    return sum(subset.widths[subset.codes[c]] for c in text) / 1000


def _show(subset: _FontSubset, text: str, size: float, x: float, y: float) -> bytes:
    codes = bytes(subset.codes[c] for c in text)
    return b"BT /F1 %.2f Tf %.2f %.2f Td <%s> Tj ET" % (size, x, y, binascii.hexlify(codes))


def _set_appearance(writer, annot, width: float, height: float, content: bytes, resources):
    """Make ``content`` the normal appearance of the widget ``annot``."""
    xobject = _form(width, height, content, resources)
    annot[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): writer.add_object(xobject)})
    writer.update_container(annot)


def _form(width: float, height: float, content: bytes, resources) -> generic.StreamObject:
    return _stream(
        {
            "/Type": pdf_name("/XObject"),
            "/Subtype": pdf_name("/Form"),
            "/BBox": generic.ArrayObject(
                [generic.FloatObject(0), generic.FloatObject(0)]
                + [generic.FloatObject(width), generic.FloatObject(height)]
            ),
            "/Resources": resources,
        },
        zlib.compress(content),
    )


# The faces a text field's /DA may name (fields made by cchc_core.pades.document).
_DA_FACES = {
    "/CchcSerif": "serif",
    "/CchcSerifBold": "serif-bold",
    "/CchcSerifItalic": "serif-italic",
}
_DA_FONT = re.compile(r"(/\w+)\s+([\d.]+)\s+Tf")


def fill_text_fields(writer, values: dict[str, str]) -> None:
    """Fill the text fields named in ``values`` and draw them. A filled field is form
    filling: it keeps the signatures made before valid. Every field must exist, be a text
    field and be empty."""
    form = writer.root.get("/AcroForm")
    found = {}
    for ref in form.get_object().get("/Fields", ()) if form is not None else ():
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name in values:
            found[name] = field
    for name, text in values.items():
        field = found.get(name)
        if field is None or field.get("/FT") != "/Tx" or str(field.get("/V", "")):
            raise SigningError(
                Message("the PDF has no empty text field %(field)s to fill", field=name)
            )
        field[pdf_name("/V")] = generic.TextStringObject(text)
        draw_text_field(writer, field, text)
        writer.update_container(field)


def draw_text_field(writer, field: generic.DictionaryObject, text: str) -> None:
    """Make ``text`` the appearance of a text field, in the face and size of its /DA, aligned
    as its /Q says (shrunk to fit its width)."""
    match = _DA_FONT.search(str(field.get("/DA", "")))
    style = _DA_FACES.get(match.group(1), "serif") if match else "serif"
    size = float(match.group(2)) if match else 12.0
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    width, height = abs(x2 - x1), abs(y2 - y1)
    font, subset = _font(writer, text, style)
    advance = _advance(subset, text)
    size = min(size, width * 0.98 / advance) if advance else size
    align = int(field.get("/Q", 0))
    x = {0: 0.0, 1: (width - advance * size) / 2, 2: width - advance * size}.get(align, 0.0)
    y = (height - size * 0.72) / 2
    content = b"0 g " + _show(subset, text, size, x, y)
    resources = generic.DictionaryObject(
        {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
    )
    xobject = _form(width, height, content, resources)
    field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): writer.add_object(xobject)})


class _StampSetup:
    """Draws the appearance into the widget (duck-typed as pyHanko's SigAppearanceSetup)."""

    def __init__(self, appearance: Appearance):
        self.appearance = appearance

    def apply(self, sig_annot: generic.DictionaryObject, writer) -> None:
        x1, y1, x2, y2 = (float(v) for v in sig_annot["/Rect"])
        width, height = abs(x2 - x1), abs(y2 - y1)
        if not width or not height:
            return
        content, resources = self._content(writer, width, height)
        _set_appearance(writer, sig_annot, width, height, content, resources)

    def _content(self, writer, width: float, height: float):
        top, bottom = appearance_lines(self.appearance)
        resources = generic.DictionaryObject()
        subset = None
        if top or bottom:
            font, subset = _font(writer, "".join(top + bottom))
            resources[pdf_name("/Font")] = generic.DictionaryObject({pdf_name("/F1"): font})
        if self.appearance.in_block:
            return self._block(writer, resources, subset, top, bottom, width, height), resources
        ops: list[bytes] = []
        line_height = height / max(len(top) + len(bottom) + (3 if self.appearance.image else 0), 1)
        size = max(min(10.0, line_height * 0.8), 3.0)
        image_top, image_bottom = height - len(top) * line_height, len(bottom) * line_height
        if self.appearance.image:
            # A seal without text fills its box; otherwise the image sits between the lines.
            if not (top or bottom):
                image_top, image_bottom = height, 0.0
            ops.append(self._image(writer, resources, 0.0, image_bottom, width, image_top))
        lines = [(line, height - (i + 1) * line_height) for i, line in enumerate(top)]
        lines += [(line, (len(bottom) - i - 1) * line_height) for i, line in enumerate(bottom)]
        for text, base in lines:
            advance = _advance(subset, text)
            fitted = min(size, width * 0.96 / advance) if advance else size
            x = (width - advance * fitted) / 2
            y = base + (line_height - fitted * 0.75) / 2
            ops.append(_show(subset, text, fitted, x, y))
        return b"\n".join(ops), resources

    def _image(self, writer, resources, left: float, bottom: float, right: float, top: float):
        """The appearance's image, as large as fits the room given, centred in it."""
        picture = _image(self.appearance.image)
        entries = {
            "/Type": pdf_name("/XObject"),
            "/Subtype": pdf_name("/Image"),
            "/Width": generic.NumberObject(picture.width),
            "/Height": generic.NumberObject(picture.height),
            "/ColorSpace": pdf_name("/DeviceRGB"),
            "/BitsPerComponent": generic.NumberObject(8),
        }
        if picture.alpha is not None:
            mask = {**entries, "/ColorSpace": pdf_name("/DeviceGray")}
            entries["/SMask"] = writer.add_object(_stream(mask, picture.alpha))
        resources[pdf_name("/XObject")] = generic.DictionaryObject(
            {pdf_name("/Im1"): writer.add_object(_stream(entries, picture.rgb))}
        )
        room_w, room_h = max(right - left, 1.0), max(top - bottom, 1.0)
        scale = min(room_w / picture.width, room_h / picture.height)
        w, h = picture.width * scale, picture.height * scale
        x, y = left + (room_w - w) / 2, bottom + (room_h - h) / 2
        return b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q" % (w, h, x, y)

    def _block(self, writer, resources, subset, top, bottom, width: float, height: float):
        """In the signature block: the image (or the name in ink under "Đã ký") above a small
        line with the signing time."""
        ops: list[bytes] = []
        time_size = min(7.0, height / 8)
        timed = self.appearance.time is not None
        room_bottom = time_size * 1.6 if timed else 0.0
        if timed:
            line = bottom[-1]
            size = min(time_size, width * 0.96 / _advance(subset, line))
            ops.append(
                b"0.2 g "
                + _show(
                    subset, line, size, (width - _advance(subset, line) * size) / 2, time_size * 0.3
                )
            )
        if self.appearance.image:
            ops.append(self._image(writer, resources, 0.0, room_bottom, width, height))
        elif top:
            mark = bottom[0]
            room = height - room_bottom
            size = min(room * 0.45, width * 0.9 / _advance(subset, mark), 18.0)
            small = min(size * 0.6, 9.0)
            y = room_bottom + (room - size - small * 1.4) / 2
            ops.append(
                _INK
                + b" "
                + _show(subset, mark, size, (width - _advance(subset, mark) * size) / 2, y)
            )
            label = top[0]
            ops.append(
                _show(
                    subset,
                    label,
                    small,
                    (width - _advance(subset, label) * small) / 2,
                    y + size * 1.1,
                )
            )
        return b"\n".join(ops)
