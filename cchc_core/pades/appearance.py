"""What a signature shows on the page: the text lines, the image, the seal's box, drawn
into the widget with a cached font subset."""

from __future__ import annotations

import binascii
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name

from cchc_core.appendix import Message
from cchc_core.pki import SigningError

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Appearance:
    """What the signature shows: ``on_behalf`` (``"KT. CHỦ TỊCH"``), position, name, time."""

    name: str
    position: str = ""
    on_behalf: str = ""
    image: bytes | None = None
    time: datetime | None = None


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
    if appearance.time is not None:
        bottom.append("Ký ngày " + appearance.time.strftime("%d/%m/%Y %H:%M"))
    return top, bottom


def seal_box(leader_box: Box) -> Box:
    """The seal's box: a square as high as the leader's box, covering its left third."""
    x1, y1, x2, y2 = leader_box
    width, height = abs(x2 - x1), abs(y2 - y1)
    left, bottom = min(x1, x2), min(y1, y2)
    side = height
    right = left + width / 3
    return (right - side, bottom, right, bottom + side)


_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)


@lru_cache(maxsize=1)
def _font_face():
    """A TrueType face with Vietnamese letters (reportlab's parser; no fontTools needed)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    candidates = [os.environ.get("CCHC_SIGN_FONT", ""), *_FONT_CANDIDATES]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return TTFontFace(candidate)
    import reportlab

    # Vera lacks Vietnamese letters but keeps signing possible on a bare machine.
    return TTFontFace(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"))


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
def _font_subset(chars: tuple[str, ...]) -> _FontSubset:
    """A font subset for these characters, code i = chars[i]; cached per character set."""
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    face = _font_face()
    points = [ord(c) for c in chars]
    data = face.makeSubset(points)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256("".join(chars).encode()).digest()[:6])
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
        xobject = _stream(
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
        sig_annot[pdf_name("/AP")] = generic.DictionaryObject(
            {pdf_name("/N"): writer.add_object(xobject)}
        )
        writer.update_container(sig_annot)

    def _content(self, writer, width: float, height: float):
        top, bottom = appearance_lines(self.appearance)
        chars = tuple(sorted(set("".join(top + bottom)) | {" "}))
        if len(chars) > 255:
            raise SigningError(Message("the signature text is too long"))
        subset = _font_subset(chars)
        resources = generic.DictionaryObject()
        if top or bottom:
            font_file = _stream(
                {"/Length1": generic.NumberObject(subset.length1)}, subset.font_file
            )
            face = _font_face()
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
            resources[pdf_name("/Font")] = generic.DictionaryObject(
                {pdf_name("/F1"): writer.add_object(font)}
            )
        ops: list[bytes] = []
        line_height = height / max(len(top) + len(bottom) + (3 if self.appearance.image else 0), 1)
        size = max(min(10.0, line_height * 0.8), 3.0)
        image_top, image_bottom = height - len(top) * line_height, len(bottom) * line_height
        if self.appearance.image:
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
            # A seal without text fills its box; otherwise the image sits between the lines.
            if not (top or bottom):
                image_top, image_bottom = height, 0.0
            room_w, room_h = width, max(image_top - image_bottom, 1.0)
            scale = min(room_w / picture.width, room_h / picture.height)
            w, h = picture.width * scale, picture.height * scale
            x, y = (width - w) / 2, image_bottom + (room_h - h) / 2
            ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q" % (w, h, x, y))
        lines = [(line, height - (i + 1) * line_height) for i, line in enumerate(top)]
        lines += [(line, (len(bottom) - i - 1) * line_height) for i, line in enumerate(bottom)]
        for text, base in lines:
            advance = sum(subset.widths[subset.codes[c]] for c in text) / 1000
            fitted = min(size, width * 0.96 / advance) if advance else size
            x = (width - advance * fitted) / 2
            y = base + (line_height - fitted * 0.75) / 2
            codes = bytes(subset.codes[c] for c in text)
            ops.append(
                b"BT /F1 %.2f Tf %.2f %.2f Td <%s> Tj ET" % (fitted, x, y, binascii.hexlify(codes))
            )
        return b"\n".join(ops), resources
