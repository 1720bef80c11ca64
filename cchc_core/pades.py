"""PAdES signatures of official documents: sign, seal, sign externally, verify.

A leader signs the PDF (:func:`sign_pdf`); the clerk then numbers it and applies the agency's
seal, a second signature whose box (:func:`seal_box`) covers the left third of the leader's, in
a new incremental revision so that the first signature stays valid. When the key is on a USB
token, :func:`prepare_external` writes the PDF with an empty signature and returns the digest
to sign; :func:`embed_external` puts the CMS made elsewhere into it. :func:`verify_pdf` reports
every signature and an overall verdict in ETSI EN 319 102-1 terms.

Speed: pyHanko's :class:`PdfSigner` reloads the key and builds the CMS twice per call (once
to estimate its size). Here the CMS of a signer is a byte template made once
(:class:`PreparedSigner`): per signature only the document digest and the RSA signature
change, and the appearance's font subset and image are cached. Verification takes a fast
path for such documents (see "Fast verification") and pyHanko's full validation otherwise.
"""

from __future__ import annotations

import asyncio
import binascii
import bisect
import hashlib
import io
import os
import re
import weakref
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms, core, tsp
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader, process_data_at_eof
from pyhanko.pdf_utils.xref import read_object_header
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest, SignatureObject
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError
from pyhanko_certvalidator.errors import ValidationError as CertValidationError

from cchc_core.appendix import Message
from cchc_core.pki import Signer, SigningError, check_signing_certificate, common_name

__all__ = [
    "INDETERMINATE",
    "KIND_DOCUMENT_TIMESTAMP",
    "KIND_REMOVED",
    "KIND_SIGNATURE",
    "TOTAL_FAILED",
    "TOTAL_PASSED",
    "Appearance",
    "ExternalState",
    "PdfInputError",
    "PreparedSigner",
    "Report",
    "SignatureReport",
    "ARCHIVE_RENEWAL_MARGIN",
    "ArchiveState",
    "add_archive_timestamp",
    "appearance_lines",
    "archive_state",
    "embed_external",
    "local_timestamper",
    "prepare_external",
    "prepare_signer",
    "revocation_gaps",
    "seal_box",
    "sign_pdf",
    "verify_pdf",
]

TOTAL_PASSED = "TOTAL-PASSED"
TOTAL_FAILED = "TOTAL-FAILED"
INDETERMINATE = "INDETERMINATE"
_VERDICTS = {TOTAL_PASSED: "valid", TOTAL_FAILED: "invalid", INDETERMINATE: "indeterminate"}
KIND_SIGNATURE = "signature"
KIND_DOCUMENT_TIMESTAMP = "document time-stamp"
KIND_REMOVED = "removed signature"

MAX_PDF_BYTES = 100 * 1024 * 1024
# Room left in /Contents for an unsigned attribute such as a time-stamp token.
_TIMESTAMP_ROOM = 12_000

Box = tuple[float, float, float, float]


class PdfInputError(SigningError):
    """The file is not a PDF that can be signed or verified; the message says why."""


# --------------------------------------------------------------------------------------------
# Reading input


def _check_input(pdf_bytes: bytes) -> None:
    """Refuse what is not a PDF at all before any parsing."""
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview) or not pdf_bytes:
        raise PdfInputError(Message("the file is empty"))
    if len(pdf_bytes) > MAX_PDF_BYTES:
        raise PdfInputError(
            Message("the PDF is larger than %(mb)s MB", mb=MAX_PDF_BYTES // (1024 * 1024))
        )
    if b"%PDF-" not in bytes(pdf_bytes[:1024]):
        raise PdfInputError(Message("the file is not a PDF document"))


def _reader(pdf_bytes: bytes) -> PdfFileReader:
    """Parse a PDF, turning every way it can be unusable into a :class:`PdfInputError`."""
    _check_input(pdf_bytes)
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=False)
        encrypted = reader.encrypted
        if not encrypted:
            # Touch the page tree so that a broken one fails here, not half-way through signing.
            reader.root["/Pages"]
    except Exception:  # pyHanko raises many kinds of errors on damaged files
        raise PdfInputError(Message("the PDF file is damaged and cannot be read")) from None
    if encrypted:
        raise PdfInputError(
            Message("the PDF is encrypted; save it without a password before signing")
        )
    return reader


def _writer(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    reader = _reader(pdf_bytes)
    try:
        return IncrementalPdfFileWriter.from_reader(reader)
    except Exception:
        raise PdfInputError(Message("the PDF file is damaged and cannot be read")) from None


# --------------------------------------------------------------------------------------------
# CMS templates


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signed_attributes(certificate: asn1_x509.Certificate, digest: bytes) -> bytes:
    """DER of the signed attributes (a SET, as signed) for a PAdES B-B signature.

    PAdES forbids signing-time (the time is /M); ESS signing-certificate-v2 binds the cert.
    """
    ess = tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "cert_hash": hashlib.sha256(certificate.dump()).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                        "serial_number": certificate.serial_number,
                    },
                }
            ]
        }
    )
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [ess]}),
    ]
    # DER orders a SET OF by the encodings of its elements.
    body = b"".join(sorted(attribute.dump() for attribute in attributes))
    return b"\x31" + _der_length(len(body)) + body


def _signature_algorithm(certificate: asn1_x509.Certificate) -> str:
    return "rsassa_pkcs1v15" if certificate.public_key.algorithm == "rsa" else "sha256_ecdsa"


def _assemble_cms(
    certificate: asn1_x509.Certificate,
    chain: Sequence[asn1_x509.Certificate],
    signed_attrs: bytes,
    signature: bytes,
    unsigned_attrs: cms.CMSAttributes | None = None,
) -> bytes:
    """The detached CMS SignedData around signed attributes and their signature."""
    signer_info = {
        "version": "v1",
        "sid": cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            }
        ),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": cms.CMSAttributes.load(signed_attrs),
        "signature_algorithm": {"algorithm": _signature_algorithm(certificate)},
        "signature": signature,
    }
    if unsigned_attrs is not None:
        signer_info["unsigned_attrs"] = unsigned_attrs
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [certificate, *chain],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


class PreparedSigner:
    """A signer ready for many signatures: key loaded once, the CMS a template.

    Only the document digest (32 bytes) and the RSA signature (fixed length) differ between
    two signatures of the same signer, so both DER structures are cut at those places once.
    """

    def __init__(self, signer: Signer, *, check: bool = True):
        if check:
            check_signing_certificate(signer.certificate)
        self.signer = signer
        self.name = signer.name
        self.key = signer.private_key
        self.certificate = _asn1_cert(signer.certificate)
        own = signer.certificate.fingerprint(hashes.SHA256())
        self.chain = tuple(
            _asn1_cert(c) for c in signer.chain if c.fingerprint(hashes.SHA256()) != own
        )
        self.chain_crypto = signer.chain
        marker = os.urandom(32)
        attrs = _signed_attributes(self.certificate, marker)
        self._attrs = attrs.split(marker)
        if isinstance(self.key, rsa.RSAPrivateKey):
            self._sig_len: int | None = self.key.key_size // 8
            sig_marker = os.urandom(self._sig_len)
            whole = _assemble_cms(self.certificate, self.chain, attrs, sig_marker)
            head, tail = whole.split(sig_marker)
            self._cms = (*head.split(marker), tail)
            self.size = len(whole)
        else:
            # ECDSA signatures vary in length: assembled per call.
            self._sig_len = None
            self.size = len(_assemble_cms(self.certificate, self.chain, attrs, b"\0" * 140))
        if len(self._attrs) != 2 or (self._sig_len and len(self._cms) != 3):
            raise SigningError(Message("could not prepare the signature template"))

    def signed_attributes(self, digest: bytes) -> bytes:
        """DER of the signed attributes for a document digest (what the key signs)."""
        return self._attrs[0] + digest + self._attrs[1]

    def raw_sign(self, data: bytes) -> bytes:
        """Sign ``data`` with the key (SHA-256)."""
        if isinstance(self.key, rsa.RSAPrivateKey):
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def cms(self, digest: bytes, timestamper=None) -> bytes:
        """The CMS SignedData over a document digest."""
        attrs = self.signed_attributes(digest)
        signature = self.raw_sign(attrs)
        if timestamper is not None:
            token = _run(timestamper.async_timestamp(hashlib.sha256(signature).digest(), "sha256"))
            unsigned = cms.CMSAttributes(
                [cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})]
            )
            return _assemble_cms(self.certificate, self.chain, attrs, signature, unsigned)
        if self._sig_len == len(signature):
            head, mid, tail = self._cms
            return head + digest + mid + signature + tail
        return _assemble_cms(self.certificate, self.chain, attrs, signature)


_prepared: weakref.WeakKeyDictionary[Signer, PreparedSigner] = weakref.WeakKeyDictionary()


def prepare_signer(signer: Signer | PreparedSigner) -> PreparedSigner:
    """The prepared form of a signer, made once per :class:`Signer` object."""
    if isinstance(signer, PreparedSigner):
        return signer
    prepared = _prepared.get(signer)
    if prepared is None:
        prepared = _prepared[signer] = PreparedSigner(signer)
    return prepared


def local_timestamper(
    certificate: x509.Certificate,
    key: rsa.RSAPrivateKey,
    chain: Sequence[x509.Certificate] = (),
    *,
    at: datetime | None = None,
):
    """A time-stamping authority running in this process, for tests and offline demos only.

    pyHanko's :class:`~pyhanko.sign.timestamps.DummyTimeStamper` signs every request with
    ``certificate`` (which should carry the critical id-kp-timeStamping extended key usage,
    see :func:`cchc_core.pki.issue_tsa_certificate`) and ``key``, embedding ``chain`` in the
    token; ``at`` fixes the time it certifies (default: the time of each request). It is no
    substitute for a real TSA: whoever holds the key can time-stamp any moment.
    """
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign.timestamps import DummyTimeStamper

    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningError(Message("the local time-stamping authority needs an RSA key"))
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    own = certificate.fingerprint(hashes.SHA256())
    return DummyTimeStamper(
        tsa_cert=_asn1_cert(certificate),
        tsa_key=key_info,
        certs_to_embed=[_asn1_cert(c) for c in chain if c.fingerprint(hashes.SHA256()) != own],
        fixed_dt=at,
    )


def _run(coro):
    """Run a pyHanko coroutine from synchronous code (Odoo workers have no event loop)."""
    return asyncio.run(coro)


# --------------------------------------------------------------------------------------------
# Appearance


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


# --------------------------------------------------------------------------------------------
# Signing


def _reason(appearance: Appearance | None, reason: str | None) -> str | None:
    """/Reason carries the signing-on-behalf capacity ("KT. CHỦ TỊCH - PHÓ CHỦ TỊCH")."""
    capacity = ""
    if appearance is not None:
        capacity = " - ".join(p for p in (appearance.on_behalf, appearance.position) if p)
    if capacity and reason:
        return f"{capacity}: {reason}"
    return capacity or reason or None


def _crl_der(crls: Iterable) -> list[bytes]:
    out = []
    for item in crls:
        if isinstance(item, x509.CertificateRevocationList):
            out.append(item.public_bytes(serialization.Encoding.DER))
        elif isinstance(item, asn1_crl.CertificateList):
            out.append(item.dump())
        else:
            out.append(bytes(item))
    return out


def _crypto_crls(crls: Iterable) -> list[x509.CertificateRevocationList]:
    return [x509.load_der_x509_crl(der) for der in _crl_der(crls)]


def _start(
    pdf_bytes: bytes,
    *,
    field_name: str,
    box: Box | None,
    page: int,
    appearance: Appearance | None,
    reason: str | None,
    location: str | None,
    name: str,
    bytes_reserved: int,
    certs_for_dss: Sequence[asn1_x509.Certificate] = (),
    crls: Sequence[bytes] = (),
    when: datetime | None = None,
):
    """Write the PDF with an empty signature; returns the pyHanko coroutine and its digest."""
    writer = _writer(pdf_bytes)
    try:
        pages = int(writer.root["/Pages"]["/Count"])
    except Exception:
        raise PdfInputError(Message("the PDF file is damaged and cannot be read")) from None
    if not 0 <= page < pages:
        raise SigningError(Message("the PDF has no page %(page)s", page=page + 1))
    for existing in fields.enumerate_sig_fields(writer.prev):
        if existing[0] == field_name and existing[1] is not None:
            raise SigningError(
                Message("the signature field %(field)s is already signed", field=field_name)
            )
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=page,
        box=tuple(int(round(v)) for v in box) if box else None,  # type: ignore[arg-type]
    )
    coroutine = PdfCMSEmbedder(new_field_spec=spec).write_cms(field_name, writer)
    next(coroutine)
    when = when or (appearance.time if appearance and appearance.time else datetime.now(UTC))
    placeholder = SignatureObject(
        timestamp=when,
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        location=location or None,
        reason=_reason(appearance, reason),
        bytes_reserved=bytes_reserved,
    )
    stamp = _StampSetup(appearance) if appearance is not None and box else None
    coroutine.send(SigObjSetup(sig_placeholder=placeholder, appearance_setup=stamp))
    if crls or certs_for_dss:
        # B-LT: the revocation data in the signed revision itself (no VRI, as pyHanko does
        # for "together with signature"), so one signature needs one revision only.
        DocumentSecurityStore.supply_dss_in_writer(
            writer,
            None,
            certs=list(certs_for_dss),
            crls=[asn1_crl.CertificateList.load(c) for c in crls],
        )
    prepared, output = coroutine.send(
        SigIOSetup(md_algorithm="sha256", in_place=False, output=io.BytesIO())
    )
    return coroutine, prepared, output


def _preflight(certificate, appearance, crls, embed_revocation):
    """What both signing paths check first: the certificate at signing time, and CRLs for B-LT."""
    crl_der = _crl_der(crls)
    when = appearance.time if appearance and appearance.time else datetime.now(UTC)
    check_signing_certificate(certificate, at=when, crls=_crypto_crls(crl_der))
    if embed_revocation and not crl_der:
        raise SigningError(Message("revocation data (CRLs) are needed to embed them (B-LT)"))
    return crl_der, when


def _timestamper_certs(timestamper) -> list[asn1_x509.Certificate]:
    """The certificates of a time-stamping authority known before it answers (the local one's)."""
    if timestamper is None:
        return []
    own = getattr(timestamper, "tsa_cert", None)
    return ([own] if own is not None else []) + list(getattr(timestamper, "certs_to_embed", ()))


def revocation_gaps(
    certificates: Iterable[x509.Certificate], crls: Iterable
) -> list[x509.Certificate]:
    """The certificates below a self-signed root that no CRL of ``crls`` covers.

    A CRL covers a certificate when its issuer is the certificate's issuer. A B-LT signature
    whose signer, intermediate CAs and time-stamping authority leave no gap here can be
    validated offline by a strict validator (pyHanko's ``adesverify``); one with a gap cannot.
    """
    issuers = {crl.issuer for crl in _crypto_crls(crls)}
    return [
        certificate
        for certificate in certificates
        if certificate.issuer != certificate.subject and certificate.issuer not in issuers
    ]


def sign_pdf(
    pdf_bytes: bytes,
    signer: Signer | PreparedSigner,
    *,
    field_name: str,
    box: Box | None = None,
    page: int = 0,
    appearance: Appearance | None = None,
    reason: str | None = None,
    location: str | None = None,
    timestamper=None,
    embed_revocation: bool = False,
    crls: Sequence = (),
) -> bytes:
    """Sign a PDF (PAdES B-B; B-T with a ``timestamper``; B-LT with ``embed_revocation``).

    B-LT puts into the signed revision's /DSS the signer's chain, the local time-stamping
    authority's certificates and every CRL of ``crls``: give the CRLs of every CA of every
    chain (the intermediate's for the signer and the TSA, the root's for the intermediate,
    see :func:`revocation_gaps` and :attr:`cchc_core.pki.DemoPki.crls`) so that the signature
    validates offline. B-LTA: then :func:`add_archive_timestamp`.

    ``box`` is ``(x1, y1, x2, y2)`` in points on ``page`` (0-based); without it the signature
    is invisible. The signer's certificate is checked (key usage, validity, ``crls``) first.
    """
    prepared = prepare_signer(signer)
    crl_der, when = _preflight(prepared.signer.certificate, appearance, crls, embed_revocation)
    reserved = prepared.size + 64 + (_TIMESTAMP_ROOM if timestamper else 0)
    try:
        coroutine, digest, output = _start(
            pdf_bytes,
            field_name=field_name,
            box=box,
            page=page,
            appearance=appearance,
            reason=reason,
            location=location,
            name=appearance.name if appearance and appearance.name else prepared.name,
            bytes_reserved=reserved * 2 + 2,
            certs_for_dss=(
                [*prepared.chain, *_timestamper_certs(timestamper)] if embed_revocation else ()
            ),
            crls=crl_der if embed_revocation else (),
            when=when,
        )
        coroutine.send(prepared.cms(digest.document_digest, timestamper))
    except HankoSigningError as error:
        raise SigningError(Message("the PDF cannot be signed: %(error)s", error=str(error)))
    return output.getvalue()


@dataclass(frozen=True)
class ExternalState:
    """What :func:`embed_external` needs; plain values, so it can be stored between requests."""

    prepared_pdf: bytes
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    certificate_der: bytes


def prepare_external(
    pdf_bytes: bytes,
    certificate: x509.Certificate,
    *,
    field_name: str,
    box: Box | None = None,
    page: int = 0,
    appearance: Appearance | None = None,
    reason: str | None = None,
    location: str | None = None,
    chain: Sequence[x509.Certificate] = (),
    embed_revocation: bool = False,
    crls: Sequence = (),
    reserve: int = 16_000,
) -> tuple[bytes, bytes, ExternalState]:
    """Prepare a PDF for a signature made elsewhere (a USB token).

    Returns the PDF with an empty signature, the SHA-256 digest of its signed byte ranges (the
    CMS messageDigest the token must sign) and the state for :func:`embed_external`.
    """
    crl_der, when = _preflight(certificate, appearance, crls, embed_revocation)
    try:
        _coroutine, digest, output = _start(
            pdf_bytes,
            field_name=field_name,
            box=box,
            page=page,
            appearance=appearance,
            reason=reason,
            location=location,
            name=appearance.name if appearance and appearance.name else common_name(certificate),
            bytes_reserved=reserve,
            certs_for_dss=[_asn1_cert(c) for c in chain] if embed_revocation else (),
            crls=crl_der if embed_revocation else (),
            when=when,
        )
    except HankoSigningError as error:
        raise SigningError(Message("the PDF cannot be signed: %(error)s", error=str(error)))
    prepared_pdf = output.getvalue()
    state = ExternalState(
        prepared_pdf=prepared_pdf,
        document_digest=digest.document_digest,
        reserved_start=digest.reserved_region_start,
        reserved_end=digest.reserved_region_end,
        certificate_der=certificate.public_bytes(serialization.Encoding.DER),
    )
    return prepared_pdf, digest.document_digest, state


def embed_external(state: ExternalState, cms_bytes: bytes) -> bytes:
    """Put a CMS signature made elsewhere into the prepared PDF, after checking it fits."""
    try:
        content = cms.ContentInfo.load(bytes(cms_bytes))
        signed_data = content["content"]
        if content["content_type"].native != "signed_data":
            raise ValueError
        signer_info = signed_data["signer_infos"][0]
        attrs = {a["type"].native: a["values"][0].native for a in signer_info["signed_attrs"]}
        certs = [c.chosen.dump() for c in signed_data["certificates"]]
    except Exception:
        raise SigningError(Message("the signature sent back is not a CMS signature")) from None
    if attrs.get("message_digest") != state.document_digest:
        raise SigningError(Message("the signature sent back was made for another document"))
    if state.certificate_der not in certs:
        raise SigningError(Message("the signature sent back was made with another certificate"))
    if len(cms_bytes) * 2 > state.reserved_end - state.reserved_start - 2:
        raise SigningError(Message("the signature sent back is larger than the room reserved"))
    output = io.BytesIO(state.prepared_pdf)
    digest = PreparedByteRangeDigest(
        document_digest=state.document_digest,
        reserved_region_start=state.reserved_start,
        reserved_region_end=state.reserved_end,
    )
    digest.fill_with_cms(output, bytes(cms_bytes))
    return output.getvalue()


# --------------------------------------------------------------------------------------------
# Long-term archival (PAdES B-LTA)
#
# A document time-stamp over the whole file (signatures, /DSS and all) proves that everything
# in it existed at that time; it stays verifiable while its TSA certificate is valid and its
# hash algorithm strong. Before then, a new one is added over the old one together with the
# validation data of the old one's TSA, and so on for as long as the document is kept.

# Re-stamp this long before the last time-stamp's TSA certificate expires.
ARCHIVE_RENEWAL_MARGIN = timedelta(days=180)


def _archive_context(trust_roots: Iterable, crls: Iterable, at: datetime | None = None):
    return ValidationContext(
        trust_roots=_roots(trust_roots),
        crls=_crl_der(crls),
        allow_fetching=False,
        revocation_mode="hard-fail",
        moment=at,
    )


def add_archive_timestamp(
    pdf_bytes: bytes,
    timestamper,
    *,
    trust_roots: Iterable = (),
    crls: Iterable = (),
) -> bytes:
    """Add a document time-stamp (PAdES B-LTA) in a new revision of a signed PDF.

    The last document time-stamp already in the file, if any, is validated first against
    ``trust_roots`` and ``crls`` (which must cover its TSA's chain) and its validation data is
    added to the /DSS; then the new time-stamp covers the whole file. The same call renews the
    archive before the last time-stamp's TSA certificate expires (see :func:`archive_state`).
    A :class:`~cchc_core.pki.SigningError` says why it cannot be done.
    """
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

    reader = _reader(pdf_bytes)
    context = _archive_context(trust_roots, [*_crl_der(crls), *_dss_crls(reader)])
    try:
        output = PdfTimeStamper(timestamper).update_archival_timestamp_chain(
            reader, context, in_place=False, output=io.BytesIO()
        )
    except (
        HankoSigningError,
        SignatureValidationError,
        CertValidationError,
        PathError,
        misc.PdfError,
        ValueError,
    ) as error:
        raise SigningError(
            Message("the document time-stamp cannot be added: %(error)s", error=str(error))
        ) from None
    return output.getvalue()


@dataclass(frozen=True)
class ArchiveState:
    """Where a PDF stands for long-term archival.

    ``timestamp`` is the time certified by the last document time-stamp (None without one),
    ``tsa_expires`` when its TSA certificate expires, ``renew_by`` the time by which a new
    one must be added, and ``due`` whether that is now (or the file has none yet).
    """

    timestamp: datetime | None
    tsa_name: str
    tsa_expires: datetime | None
    renew_by: datetime | None
    due: bool


def archive_state(
    pdf_bytes: bytes,
    *,
    at: datetime | None = None,
    margin: timedelta = ARCHIVE_RENEWAL_MARGIN,
) -> ArchiveState:
    """Whether the PDF needs a (new) document time-stamp at ``at`` (default now): it has
    none, or its last one's TSA certificate expires within ``margin``."""
    at = at or datetime.now(UTC)
    reader = _reader(pdf_bytes)
    try:
        stamps = reader.embedded_timestamp_signatures
    except (SignatureValidationError, misc.PdfError, ValueError) as error:
        raise PdfInputError(
            Message("the signatures of the PDF cannot be read: %(error)s", error=str(error))
        ) from None
    if not stamps:
        return ArchiveState(None, "", None, None, True)
    last = stamps[-1]
    tsa = _crypto_cert(last.signer_cert.dump())
    expires = tsa.not_valid_after_utc
    renew_by = expires - margin
    try:
        certified = last.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except (KeyError, ValueError, AttributeError):
        certified = None
    return ArchiveState(certified, common_name(tsa), expires, renew_by, at >= renew_by)


# --------------------------------------------------------------------------------------------
# Verification


@dataclass
class SignatureReport:
    """One signature of a verified PDF."""

    field_name: str
    signer: str
    subject: str
    issuer: str
    serial_number: str
    signing_time: datetime | None  # claimed (/M or signed attribute)
    reason: str | None
    location: str | None
    name: str | None
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # chain to a trust anchor, valid at validation time, not revoked
    chain: list[str] = field(default_factory=list)
    valid_at_signing_time: bool | None = None
    revoked: bool = False
    revocation_date: datetime | None = None
    revocation_checked: bool = False
    coverage: str = ""  # "entire file", "entire revision", "partial"
    modifications: str = ""  # what was changed after it: none, form filling, annotations, other
    docmdp_ok: bool | None = None
    timestamp: datetime | None = None
    timestamp_valid: bool | None = None
    indication: str = INDETERMINATE
    subindication: str | None = None
    explanation: Message = field(default_factory=lambda: Message(""))
    # KIND_SIGNATURE, KIND_DOCUMENT_TIMESTAMP (B-LTA) or KIND_REMOVED (a signature an earlier
    # revision holds and a later one removed or replaced).
    kind: str = "signature"

    @property
    def verdict(self) -> str:
        """``valid``, ``invalid`` or ``indeterminate``."""
        return _VERDICTS[self.indication]


@dataclass
class Report:
    """Every signature of a PDF and the overall verdict (the worst of theirs)."""

    signatures: list[SignatureReport]
    indication: str
    explanation: Message

    @property
    def verdict(self) -> str:
        """``valid``, ``invalid`` or ``indeterminate``."""
        return _VERDICTS[self.indication]


_MODIFICATIONS = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "validation data",
    ModificationLevel.FORM_FILLING: "form filling and signatures",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


@lru_cache(maxsize=64)
def _asn1_root(der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(der)


def _roots(trust_roots: Iterable) -> list[asn1_x509.Certificate]:
    out = []
    for root in trust_roots:
        if isinstance(root, x509.Certificate):
            out.append(_asn1_root(root.public_bytes(serialization.Encoding.DER)))
        elif isinstance(root, asn1_x509.Certificate):
            out.append(root)
        else:
            out.append(_asn1_root(bytes(root)))
    return out


def _dss_crls(reader: PdfFileReader) -> list[bytes]:
    try:
        dss = reader.root.get("/DSS")
        if dss is None:
            return []
        return [s.get_object().data for s in dss.get_object().get("/CRLs", ())]
    except Exception:
        return []


def _timestamp_ok(ts) -> bool:
    """A signature time-stamp token is sound and its TSA trusted (as pyHanko's bottom line)."""
    return bool(ts.intact and ts.valid and ts.trusted)


def _judge(report: SignatureReport, status) -> None:
    """Set the ETSI indication of one signature from pyHanko's status."""
    indic = status.trust_problem_indic
    indic_name = indic.name if indic is not None else None
    if not status.intact:
        report.indication, report.subindication = TOTAL_FAILED, "HASH_FAILURE"
        report.explanation = Message("the signed content was changed after signing")
    elif not status.valid:
        report.indication, report.subindication = TOTAL_FAILED, "SIG_CRYPTO_FAILURE"
        report.explanation = Message("the cryptographic signature is not correct")
    elif status.docmdp_ok is False or (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        and status.modification_level == ModificationLevel.OTHER
    ):
        report.indication, report.subindication = TOTAL_FAILED, "HASH_FAILURE"
        report.explanation = Message(
            "the document was modified after signing in a way that is not allowed: %(what)s",
            what=str(status.diff_result) if status.diff_result is not None else "unknown",
        )
    elif status.coverage not in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    ):
        report.indication, report.subindication = TOTAL_FAILED, "FORMAT_FAILURE"
        report.explanation = Message("the signature does not cover a whole revision")
    elif status.revoked:
        revoked_at = status.revocation_details.revocation_date
        claimed = report.signing_time
        # The signer's own claim of signing after the revocation condemns the signature;
        # otherwise there is no proof it predates the revocation (ETSI REVOKED_NO_POE).
        if claimed is None or claimed >= revoked_at:
            report.indication, report.subindication = TOTAL_FAILED, "REVOKED"
        else:
            report.indication, report.subindication = INDETERMINATE, "REVOKED_NO_POE"
        report.explanation = Message(
            "the signer's certificate was revoked on %(date)s",
            date=revoked_at.strftime("%d/%m/%Y %H:%M"),
        )
    elif indic is not None or status.validation_path is None:
        failed = indic is not None and type(indic).__name__ == "AdESFailure"
        report.indication = TOTAL_FAILED if failed else INDETERMINATE
        report.subindication = indic_name or "NO_CERTIFICATE_CHAIN_FOUND"
        if indic_name in (
            "NO_CERTIFICATE_CHAIN_FOUND",
            "CERTIFICATE_CHAIN_GENERAL_FAILURE",
            "CHAIN_CONSTRAINTS_FAILURE",
            None,
        ):
            report.explanation = Message(
                "the signer's certificate does not chain to a trusted authority"
            )
        elif indic_name and "OUT_OF_BOUNDS" in indic_name:
            report.explanation = Message(
                "the signer's certificate is expired or not yet valid at validation time"
            )
        else:
            report.explanation = Message(
                "the signer's certificate cannot be validated (%(why)s)", why=indic_name
            )
    elif status.timestamp_validity is not None and not _timestamp_ok(status.timestamp_validity):
        # ETSI EN 319 102-1 would ignore the token and judge a B-B signature; pyHanko's bottom
        # line refuses it. A signature presented with a time proof that cannot be confirmed is
        # not passed: indeterminate (trusting the TSA, or a sound token, may settle it). The
        # subindication is the token's own (e.g. NO_CERTIFICATE_CHAIN_FOUND for its TSA).
        ts_indic = status.timestamp_validity.trust_problem_indic
        report.indication = INDETERMINATE
        report.subindication = ts_indic.name if ts_indic is not None else "GENERIC"
        report.explanation = Message("the time-stamp of the signature is not valid")
    else:
        report.indication, report.subindication = TOTAL_PASSED, None
        report.explanation = Message("the signature is valid")


def _context(roots, crls: list[bytes], others, at: datetime | None) -> ValidationContext:
    return ValidationContext(
        trust_roots=roots,
        crls=crls,
        other_certs=list(others),
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=at,
    )


async def _verify(reader: PdfFileReader, roots, crls: list[bytes], at: datetime | None):
    from pyhanko.sign.validation.pdf_embedded import (
        EmbeddedPdfSignature,
        async_validate_pdf_timestamp,
    )

    found = []
    for order, (name, sig_obj, sig_field) in enumerate(
        fields.enumerate_sig_fields(reader, filled_status=True)
    ):
        # One signature that cannot be read or checked gets its own verdict; the others are
        # still reported.
        try:
            embedded = EmbeddedPdfSignature(reader, sig_field, name)
            revision = embedded.signed_revision
            if embedded.sig_object_type == "/DocTimeStamp":
                context = _context(roots, crls, embedded.other_embedded_certs, at)
                status = await async_validate_pdf_timestamp(embedded, validation_context=context)
                report = _timestamp_report(embedded, status)
            else:
                if embedded.sig_object.get("/SubFilter") not in _SUBFILTERS:
                    raise ValueError(f"unknown /SubFilter {embedded.sig_object.get('/SubFilter')}")
                context = _context(roots, crls, embedded.other_embedded_certs, at)
                status = await async_validate_pdf_signature(
                    embedded, signer_validation_context=context
                )
                report = _report(embedded, status, crls)
        except Exception as error:  # whatever breaks, this signature only
            revision, report = 1 << 30, _unreadable(name, sig_obj, error)
        found.append((revision, order, report))
    return [report for _, _, report in sorted(found, key=lambda item: item[:2])]


_SUBFILTERS = {
    "/ETSI.CAdES.detached",
    "/adbe.pkcs7.detached",
    "/adbe.pkcs7.sha1",
    "/ETSI.RFC3161",
}


def _unreadable(name: str, sig_obj, error: Exception) -> SignatureReport:
    """The report of a signature whose CMS cannot be read or checked at all."""
    try:
        sig = sig_obj.get_object()
        claimed = generic.parse_pdf_date(sig["/M"]) if "/M" in sig else None
        signer = str(sig.get("/Name") or "")
    except Exception:  # the dictionary itself may be what is broken
        claimed, signer = None, ""
    return SignatureReport(
        field_name=name,
        signer=signer,
        subject="",
        issuer="",
        serial_number="",
        signing_time=claimed,
        reason=None,
        location=None,
        name=signer or None,
        intact=False,
        valid=False,
        trusted=False,
        indication=TOTAL_FAILED,
        subindication="FORMAT_FAILURE",
        explanation=Message(
            "the signature cannot be read (damaged or unsupported): %(error)s",
            error=str(error)[:200] or type(error).__name__,
        ),
    )


def _timestamp_report(embedded, status) -> SignatureReport:
    """A document time-stamp (PAdES B-LTA) judged like a signature."""
    cert = status.signing_cert
    report = SignatureReport(
        field_name=embedded.field_name,
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly),
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_number=format(cert.serial_number, "X"),
        signing_time=status.timestamp,
        reason=None,
        location=None,
        name=None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        chain=[c.subject.human_friendly for c in status.validation_path or ()],
        coverage={
            SignatureCoverageLevel.ENTIRE_FILE: "entire file",
            SignatureCoverageLevel.ENTIRE_REVISION: "entire revision",
        }.get(status.coverage, "partial"),
        modifications=_MODIFICATIONS.get(status.modification_level, "unknown"),
        timestamp=status.timestamp,
        timestamp_valid=_timestamp_ok(status),
        kind=KIND_DOCUMENT_TIMESTAMP,
    )
    if not status.intact:
        report.indication, report.subindication = TOTAL_FAILED, "HASH_FAILURE"
        report.explanation = Message("the signed content was changed after signing")
    elif not status.valid:
        report.indication, report.subindication = TOTAL_FAILED, "SIG_CRYPTO_FAILURE"
        report.explanation = Message("the cryptographic signature is not correct")
    elif status.modification_level == ModificationLevel.OTHER:
        report.indication, report.subindication = TOTAL_FAILED, "HASH_FAILURE"
        report.explanation = Message(
            "the document was modified after signing in a way that is not allowed: %(what)s",
            what=str(status.diff_result) if status.diff_result is not None else "unknown",
        )
    elif not status.trusted:
        indic = status.trust_problem_indic
        report.indication = INDETERMINATE
        report.subindication = indic.name if indic is not None else "NO_CERTIFICATE_CHAIN_FOUND"
        report.explanation = Message("the time-stamp of the signature is not valid")
    else:
        report.indication, report.subindication = TOTAL_PASSED, None
        report.explanation = Message("the document time-stamp is valid")
    return report


def _removed(data: bytes, reports: list[SignatureReport]) -> list[SignatureReport]:
    """Signatures that an earlier revision holds and the document as it now reads does not:
    a later revision removed the field or put another signature in its place.

    Incremental updates never take bytes away, so every signature dictionary ever written is
    still in the file with its /ByteRange; only when there are more of those than signatures
    reported are the revisions read one by one to name what went missing.
    """
    ranges = {tuple(int(n) for n in m.groups()) for m in _BYTE_RANGE.finditer(data)}
    if len(ranges) <= len(reports):
        return []
    reader = _reader(data)

    def signed(handler):
        for name, sig_obj, _field in fields.enumerate_sig_fields(handler, filled_status=True):
            try:
                byte_range = tuple(int(n) for n in sig_obj.get_object()["/ByteRange"])
            except Exception:  # a damaged one is reported elsewhere
                continue
            yield name, byte_range

    current = {byte_range for _name, byte_range in signed(reader)}
    removed: dict[tuple, SignatureReport] = {}
    for revision in range(reader.xrefs.total_revisions - 1):
        for name, byte_range in signed(reader.get_historical_resolver(revision)):
            if byte_range in current or byte_range in removed:
                continue
            removed[byte_range] = SignatureReport(
                field_name=name,
                signer="",
                subject="",
                issuer="",
                serial_number="",
                signing_time=None,
                reason=None,
                location=None,
                name=None,
                intact=False,
                valid=False,
                trusted=False,
                indication=TOTAL_FAILED,
                subindication="SIG_CONSTRAINTS_FAILURE",
                explanation=Message(
                    "the signature %(field)s of revision %(revision)s was removed or replaced "
                    "by a later revision",
                    field=name,
                    revision=revision + 1,
                ),
                kind=KIND_REMOVED,
            )
    return list(removed.values())


def _report(embedded, status, crls: list[bytes]) -> SignatureReport:
    cert = status.signing_cert
    sig = embedded.sig_object

    def text(key: str) -> str | None:
        value = sig.get(key)
        return str(value) if value is not None else None

    claimed = status.signer_reported_dt or embedded.self_reported_timestamp
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    crypto_cert = _crypto_cert(cert.dump())
    from cchc_core.pki import find_revocation

    crl_objects = [_crypto_crl(der) for der in crls]
    report = SignatureReport(
        field_name=embedded.field_name,
        signer=cert.subject.native.get("common_name", cert.subject.human_friendly),
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_number=format(cert.serial_number, "X"),
        signing_time=claimed,
        reason=text("/Reason"),
        location=text("/Location"),
        name=text("/Name"),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        chain=[c.subject.human_friendly for c in status.validation_path or ()],
        valid_at_signing_time=(not_before <= claimed <= not_after) if claimed else None,
        revoked=status.revoked,
        revocation_date=(
            status.revocation_details.revocation_date if status.revocation_details else None
        ),
        # Checked for the whole chain: the signer and every CA below the trust anchor.
        revocation_checked=bool(crl_objects)
        and not revocation_gaps(
            [crypto_cert, *(_crypto_cert(c.dump()) for c in status.validation_path or ())],
            crls,
        ),
        coverage={
            SignatureCoverageLevel.ENTIRE_FILE: "entire file",
            SignatureCoverageLevel.ENTIRE_REVISION: "entire revision",
        }.get(status.coverage, "partial"),
        modifications=_MODIFICATIONS.get(status.modification_level, "unknown"),
        docmdp_ok=status.docmdp_ok,
    )
    if status.timestamp_validity is not None:
        report.timestamp = status.timestamp_validity.timestamp
        report.timestamp_valid = _timestamp_ok(status.timestamp_validity)
    if not report.revoked and crl_objects and claimed:
        # pyHanko checks revocation at validation time; also look at the claimed signing time.
        entry = find_revocation(crypto_cert, crl_objects, at=None)
        if entry is not None:
            report.revoked, report.revocation_date = True, entry.revocation_date_utc
    _judge(report, status)
    return report


@lru_cache(maxsize=256)
def _crypto_cert(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


@lru_cache(maxsize=256)
def _crypto_crl(der: bytes) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(der)


@lru_cache(maxsize=256)
def _asn1_cert_der(der: bytes) -> asn1_x509.Certificate:
    # Shared, read-only: the human-friendly names asn1crypto computes are then computed once.
    return asn1_x509.Certificate.load(der)


def _verify_full(pdf_bytes: bytes, roots, crl_der: list[bytes], at) -> list[SignatureReport]:
    """pyHanko's complete validation: the reference for every verdict."""
    reader = _reader(pdf_bytes)
    crl_der = crl_der + _dss_crls(reader)
    try:
        return _run(_verify(reader, roots, crl_der, at))
    except (SignatureValidationError, misc.PdfError, ValueError) as error:
        raise PdfInputError(
            Message("the signatures of the PDF cannot be read: %(error)s", error=str(error))
        ) from None


# --------------------------------------------------------------------------------------------
# Fast verification
#
# The same checks as pyHanko's, for the documents this module makes (signature fields added in
# incremental revisions, RSA, SHA-256, no time-stamp, no DocMDP), done without its slow parts.
# Anything else, and any signature that does not pass, goes to :func:`_verify_full`: the fast
# path only ever confirms a document that the full path also confirms; it never condemns one.

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_HEX_STRING = re.compile(rb"<(?:[0-9A-Fa-f]{2})*>")
_CONTENTS_BEFORE = re.compile(rb"/Contents[\s\x00]*\Z")
_INFO_BEFORE = re.compile(rb"/Info[\s\x00]*\Z")
_FAST_SUBFILTERS = ("/ETSI.CAdES.detached", "/adbe.pkcs7.detached")
_FAST_ATTRIBUTES = {"content_type", "message_digest", "signing_certificate_v2"}
_FAST_MECHANISMS = ("rsassa_pkcs1v15", "sha256_rsa")
# Cached chain verdicts stay valid while the time stays between the same certificate and CRL
# dates; this margin exceeds certvalidator's time tolerance (1 s) around each of them.
_TIME_MARGIN = timedelta(seconds=5)


class _Fallback(Exception):
    """The fast path does not cover this document: the full path decides."""


def _need(condition) -> None:
    if not condition:
        raise _Fallback


def _ref(obj) -> tuple[int, int]:
    _need(isinstance(obj, generic.IndirectObject))
    return obj.idnum, obj.generation


@dataclass
class _FastEmbedded:
    """What :func:`_report` reads of pyHanko's ``EmbeddedPdfSignature``."""

    field_name: str
    sig_object: generic.DictionaryObject
    self_reported_timestamp: datetime | None


@dataclass
class _FastStatus:
    """What :func:`_report` and :func:`_judge` read of pyHanko's ``PdfSignatureStatus``.

    ``trusted`` and ``revoked`` are defined as pyHanko defines them.
    """

    signing_cert: asn1_x509.Certificate
    signer_reported_dt: datetime | None
    coverage: SignatureCoverageLevel
    modification_level: ModificationLevel
    diff_result: DiffResult
    trust_problem_indic: object
    validation_path: object
    revocation_details: object
    intact: bool = True
    valid: bool = True
    docmdp_ok: bool = True
    timestamp_validity: None = None

    @property
    def trusted(self) -> bool:
        return (
            self.valid
            and self.intact
            and self.trust_problem_indic is None
            and self.validation_path is not None
        )

    @property
    def revoked(self) -> bool:
        return self.revocation_details is not None


@dataclass
class _FastSig:
    name: str
    field_ref: tuple[int, int]
    sig_object: generic.DictionaryObject
    byte_range: tuple[int, int, int, int]
    revision: int


_OBJ_HEADER = re.compile(rb"(?<![0-9])(\d+)[\s\x00]+(\d+)[\s\x00]+obj\b")


def _short_objects(data: bytes):
    """Each signature's byte range, and the object holding its gap, without the ``<hex>``.

    pyHanko's tokeniser reads a /Contents hex string byte by byte (tens of kilobytes per
    signature: most of the reading time). The object around each gap is copied with the gap
    replaced by ``<>``, and :class:`_ShortReader` parses that copy instead of the file; every
    other object is read from the file itself. :func:`_signature_fields` then proves each gap
    is the /Contents of exactly one signature dictionary; the CMS is read from the file.
    """
    ranges: dict[tuple[int, int, int, int], int] = {}
    short: dict[int, bytes] = {}
    for match in _BYTE_RANGE.finditer(data):
        start1, len1, start2, len2 = (int(v) for v in match.groups())
        _need(start1 == 0 and len1 < start2 and start2 + len2 <= len(data))
        _need(_HEX_STRING.fullmatch(data, len1, start2) is not None)
        headers = list(_OBJ_HEADER.finditer(data, max(0, len1 - 8192), len1))
        _need(headers)
        offset = headers[-1].start()
        end = data.find(b"endobj", start2)
        _need(end > 0 and data.find(b"endobj", offset, len1) < 0)
        key = (start1, len1, start2, len2)
        _need(key not in ranges and offset not in short)
        ranges[key] = offset
        short[offset] = data[offset:len1] + b"<>" + data[start2 : end + 6]
    _need(ranges)
    return short, ranges


class _ShortReader(PdfFileReader):
    """A reader that parses the objects at the offsets of ``short`` from those copies.

    Relies on pyHanko's (0.38) internal ``_read_object``; were it to change, the error sends
    the document to the full path.
    """

    def __init__(self, stream, short: dict[int, bytes]):
        self._short = short
        super().__init__(stream, strict=False)

    def _read_object(self, ref, marker, never_decrypt=False, as_metadata_stream=False):
        copy = self._short.get(marker) if isinstance(marker, int) else None
        if copy is None or self.encrypted:
            return super()._read_object(ref, marker, never_decrypt, as_metadata_stream)
        stream = io.BytesIO(copy)
        _need(read_object_header(stream, strict=False) == (ref.idnum, ref.generation))
        return generic.read_object(stream, generic.Reference(ref.idnum, ref.generation, self))


def _signature_fields(reader: PdfFileReader, data: bytes, ranges) -> list[_FastSig]:
    """The filled signature fields, each tied to exactly one byte range gap."""
    xrefs = reader.xrefs
    found: list[_FastSig] = []
    for name, _value, field_ref in fields.enumerate_sig_fields(reader, filled_status=True):
        field_obj = field_ref.get_object()
        # Seed values, field locks, field hierarchies: the full path.
        _need(not any(k in field_obj for k in ("/Lock", "/SV", "/Kids", "/Parent")))
        sig_ref = field_obj.raw_get("/V")
        sig_id = _ref(sig_ref)
        sig = sig_ref.get_object()
        _need(isinstance(sig, generic.DictionaryObject))
        _need(sig.get("/Type", "/Sig") == "/Sig" and "/Reference" not in sig)  # no DocMDP
        _need(str(sig.get("/SubFilter")) in _FAST_SUBFILTERS)
        byte_range = sig.raw_get("/ByteRange")
        _need(isinstance(byte_range, generic.ArrayObject) and len(byte_range) == 4)
        key = tuple(int(v) for v in byte_range)
        _need(key in ranges)
        contents = sig.raw_get("/Contents")
        _need(isinstance(contents, generic.ByteStringObject | generic.TextStringObject))
        _need(contents.original_bytes == b"")
        # The gap must be this dictionary's /Contents: the dictionary was read from the copy
        # made around that gap (so its /Contents is the ``<>`` put there), it is stored plainly
        # (not in an object stream), holds the gap, one /ByteRange and one /Contents, and
        # /Contents is followed directly by the gap.
        revision = xrefs.get_last_change(generic.Reference(*sig_id))
        offset = xrefs.get_historical_ref(generic.Reference(*sig_id), revision)
        _need(offset == ranges[key])  # the copy read for it is the one around its gap
        end = data.find(b"endobj", offset)
        _need(end > 0 and offset < key[1] and key[2] < end)
        body = data[offset:end]
        _need(body.startswith(b"%d %d obj" % sig_id))
        _need(body.count(b"/Contents") == 1 and body.count(b"/ByteRange") == 1)
        _need(_CONTENTS_BEFORE.search(data, offset, key[1]) is not None)
        found.append(_FastSig(name, _ref(field_ref), sig, key, revision))
    _need(len(found) == len(ranges))
    _need(len({s.byte_range for s in found}) == len(found))
    _need(len({s.name for s in found}) == len(found))
    found.sort(key=lambda s: s.revision)  # pyHanko's order
    _need(len({s.revision for s in found}) == len(found))
    return found


def _check_cms(cms_bytes: bytes, digest: bytes):
    """Check the CMS as pyHanko does; returns the signer's certificate and the others.

    Covered: one SignerInfo identified by issuer and serial number, SHA-256, RSA PKCS#1 v1.5,
    signed attributes content-type (data), message-digest, signing-certificate-v2 and nothing
    else, no unsigned attributes (time-stamps). A digest or signature that does not match is
    left to the full path, which reports it.
    """
    content = cms.ContentInfo.load(cms_bytes)
    _need(content["content_type"].native == "signed_data")
    signed_data = content["content"]
    eci = signed_data["encap_content_info"]
    _need(eci["content_type"].native == "data" and isinstance(eci["content"], core.Void))
    _need(len(signed_data["signer_infos"]) == 1)
    signer_info = signed_data["signer_infos"][0]
    sid = signer_info["sid"]
    _need(sid.name == "issuer_and_serial_number")
    _need(signer_info["digest_algorithm"]["algorithm"].native == "sha256")
    _need(signer_info["signature_algorithm"]["algorithm"].native in _FAST_MECHANISMS)
    _need(isinstance(signer_info["unsigned_attrs"], core.Void))
    attrs = signer_info["signed_attrs"]
    _need(not isinstance(attrs, core.Void))
    # The signed bytes as received, taken before any child is parsed (asn1crypto would
    # otherwise serialise the parsed children again).
    signed = attrs.contents
    values = {}
    for attribute in attrs:
        kind = attribute["type"].native
        _need(kind in _FAST_ATTRIBUTES and kind not in values and len(attribute["values"]) == 1)
        values[kind] = attribute["values"][0]
    _need("content_type" in values and "signing_certificate_v2" in values)
    _need(values["content_type"].native == "data")
    _need(values.get("message_digest") is not None)
    _need(values["message_digest"].native == digest)
    # The signer's certificate: the only one with that serial number, and its issuer the same
    # DER (pyHanko compares names normalised; with one candidate both find the same one).
    ders = []
    for choice in signed_data["certificates"]:
        _need(choice.name == "certificate")
        ders.append(choice.chosen.dump())
    certs = [_asn1_cert_der(der) for der in ders]
    serial = sid.chosen["serial_number"].native
    candidates = [i for i, c in enumerate(certs) if c.serial_number == serial]
    _need(len(candidates) == 1)
    signer = certs[candidates[0]]
    _need(signer.issuer.dump() == sid.chosen["issuer"].dump())
    _ess_matches(signer, ders[candidates[0]], values["signing_certificate_v2"])
    public = _crypto_cert(ders[candidates[0]]).public_key()
    _need(isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048)
    try:
        public.verify(
            signer_info["signature"].native,
            b"\x31" + _der_length(len(signed)) + signed,
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature:
        raise _Fallback from None
    others = tuple(c for i, c in enumerate(certs) if i != candidates[0])
    return signer, others


def _ess_matches(signer: asn1_x509.Certificate, der: bytes, attribute) -> None:
    """pyHanko's ``check_ess_certid`` on the first ESSCertIDv2, with exact names.

    A SHA-256 hash of the certificate, and an issuer-serial (if any) naming the signer's
    issuer byte for byte (pyHanko also accepts names equal after normalisation: the full path).
    """
    certid = attribute["certs"][0]
    _need(certid["hash_algorithm"]["algorithm"].native == "sha256")
    _need(certid["cert_hash"].native == hashlib.sha256(der).digest())
    issuer_serial = certid["issuer_serial"]
    if isinstance(issuer_serial, core.Void) or not issuer_serial:
        return
    names = issuer_serial["issuer"]
    _need(len(names) == 1 and names[0].name == "directory_name")
    _need(names[0].chosen.contents == signer.issuer.contents)  # [4] EXPLICIT Name
    _need(issuer_serial["serial_number"].native == signer.serial_number)


def _coverage(reader: PdfFileReader, data: bytes, sig: _FastSig) -> SignatureCoverageLevel:
    """pyHanko's coverage evaluation (the gap is exactly the ``<hex>`` by construction)."""
    _, len1, start2, len2 = sig.byte_range
    zone = len1 + len2 + (start2 - len1)
    if zone == len(data):
        return SignatureCoverageLevel.ENTIRE_FILE
    stream = io.BytesIO(data)
    stream.seek(zone)
    _need(process_data_at_eof(stream) == reader.xrefs.get_startxref_for_revision(sig.revision))
    for revision in range(sig.revision + 1):
        _need(reader.xrefs.get_xref_container_info(revision).end_location <= zone)
    return SignatureCoverageLevel.ENTIRE_REVISION


def _same_except(old, new, allowed: set[str]) -> None:
    """Two dictionaries equal (raw values) except for the keys ``allowed``."""
    _need(isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject))
    for key in set(old) | set(new):
        if key not in allowed:
            _need(key in old and key in new and old.raw_get(key) == new.raw_get(key))


def _appended(old, new, item: tuple[int, int]) -> None:
    """``new`` is the direct array ``old`` plus the reference ``item`` at its end."""
    old = generic.ArrayObject() if old is None else old
    _need(isinstance(old, generic.ArrayObject) and isinstance(new, generic.ArrayObject))
    raw_old = [old.raw_get(i) for i in range(len(old))]
    raw_new = [new.raw_get(i) for i in range(len(new))]
    _need(len(raw_new) == len(raw_old) + 1 and raw_new[:-1] == raw_old)
    _need(_ref(raw_new[-1]) == item)


def _only_info_uses(data: bytes, end: int, ref: tuple[int, int]) -> None:
    """In the first ``end`` bytes, the object ``ref`` is used only as ``/Info n g R``.

    /Info may change freely (pyHanko's DocInfoRule), provided it is used nowhere else; this
    textual scan over-approximates the uses (it would also count numbers in streams), so it
    can only send a document to the full path, never let a use through. Object streams hide
    references from it: none allowed.
    """
    _need(data.find(b"/ObjStm", 0, end) < 0)
    # Every "n g" not followed by "obj" (the object itself) must follow /Info.
    pattern = re.compile(rb"(?<![0-9])%d[\s\x00]+%d(?![0-9])(?![\s\x00]*obj)" % ref)
    for match in pattern.finditer(data, 0, end):
        _need(_INFO_BEFORE.search(data, max(0, match.start() - 64), match.start()) is not None)


def _dss_update(old_dss, new_dss) -> None:
    """A /DSS that only gains certificates and CRLs (streams), keeping what it had."""
    _need(isinstance(new_dss, generic.DictionaryObject))
    _need(set(new_dss) <= {"/Type", "/Certs", "/CRLs", "/OCSPs"})
    for key in ("/Certs", "/CRLs", "/OCSPs"):
        new = new_dss.raw_get(key) if key in new_dss else generic.ArrayObject()
        _need(isinstance(new, generic.ArrayObject))
        for item in new:
            _ref(item)
            _need(isinstance(item.get_object(), generic.StreamObject))
        if old_dss is not None and key in old_dss:
            old = old_dss.raw_get(key)
            _need(
                isinstance(old, generic.ArrayObject) and set(map(_ref, old)) <= set(map(_ref, new))
            )


def _signature_revision(reader: PdfFileReader, data: bytes, revision: int, sig: _FastSig) -> None:
    """Revision ``revision`` only adds the signature ``sig`` (signed in it), as ours do.

    Allowed against the revision before: new objects (the field/widget, its appearance, the
    signature dictionary, /DSS streams, the xref stream); the catalog with a new /DSS; the
    AcroForm with the field appended to /Fields (and /SigFlags 3); one page with the widget
    appended to a direct /Annots; the /Info dictionary; /DSS gaining streams. Everything else
    (including freed objects) is the full DiffAnalysis's business. pyHanko rates such a
    revision "form filling" (FORM_FILLING), the level reported here.
    """
    xrefs = reader.xrefs
    _need(sig.revision == revision and revision > 0)
    _need(not xrefs.refs_freed_in_revision(revision))
    old = reader.get_historical_resolver(revision - 1)
    new = reader.get_historical_resolver(revision)
    old_trailer, new_trailer = old.trailer_view, new.trailer_view
    root_ref = _ref(new_trailer.raw_get("/Root"))
    _need(_ref(old_trailer.raw_get("/Root")) == root_ref)
    old_root, new_root = old(generic.Reference(*root_ref)), new(generic.Reference(*root_ref))
    _same_except(old_root, new_root, {"/DSS"})
    _need("/Perms" not in new_root)
    form_ref = _ref(new_root.raw_get("/AcroForm"))
    old_form, new_form = old(generic.Reference(*form_ref)), new(generic.Reference(*form_ref))
    _same_except(old_form, new_form, {"/Fields", "/SigFlags"})
    _appended(old_form.raw_get("/Fields"), new_form.raw_get("/Fields"), sig.field_ref)
    if "/SigFlags" in new_form and new_form.raw_get("/SigFlags") != old_form.get("/SigFlags"):
        _need(new_form.raw_get("/SigFlags") == 3)
    field_obj = new(generic.Reference(*sig.field_ref))
    _need(xrefs.get_historical_ref(generic.Reference(*sig.field_ref), revision - 1) is None)
    _need(field_obj.get("/FT") == "/Sig")
    old_fields = old_form.raw_get("/Fields")
    names = {
        str(old(generic.Reference(*_ref(old_fields.raw_get(i)))).get("/T"))
        for i in range(len(old_fields))
    }
    _need(str(field_obj.get("/T")) not in names)
    explained = {root_ref, form_ref}
    old_dss = old_root["/DSS"] if "/DSS" in old_root else None
    if "/DSS" in new_root:
        dss_ref = _ref(new_root.raw_get("/DSS"))
        if old_dss is not None:
            _need(_ref(old_root.raw_get("/DSS")) == dss_ref)
        _dss_update(old_dss, new(generic.Reference(*dss_ref)))
        explained.add(dss_ref)
    else:
        _need(old_dss is None)
    info = new_trailer.raw_get("/Info") if "/Info" in new_trailer else None
    info_ref = _ref(info) if info is not None else None
    widget_pages = 0
    for changed in xrefs.explicit_refs_in_revision(revision):
        key = (changed.idnum, changed.generation)
        if key in explained or xrefs.get_historical_ref(changed, revision - 1) is None:
            continue  # explained above, or a new object
        before, after = old(changed), new(changed)
        if key == info_ref:
            _need(isinstance(after, generic.DictionaryObject))
            _only_info_uses(data, xrefs.get_xref_container_info(revision - 1).end_location, key)
        elif isinstance(after, generic.DictionaryObject) and after.get("/Type") == "/Page":
            _same_except(before, after, {"/Annots"})
            _appended(
                before.raw_get("/Annots") if "/Annots" in before else None,
                after.raw_get("/Annots"),
                sig.field_ref,
            )
            widget_pages += 1
        else:
            _need(_identical(before, after))
    _need(widget_pages <= 1)


def _identical(before, after) -> bool:
    """An object written again unchanged (pyHanko ignores those too)."""
    if isinstance(before, generic.StreamObject) or isinstance(after, generic.StreamObject):
        return (
            isinstance(before, generic.StreamObject)
            and isinstance(after, generic.StreamObject)
            and before.encoded_data == after.encoded_data
            and dict(before) == dict(after)
        )
    return type(before) is type(after) and before == after


_chain_cache: dict = {}


def _time_slot(moment: datetime, certs, crls: Sequence[bytes]) -> int:
    """Which interval between the certificates' and CRLs' dates ``moment`` falls in.

    Chain validation compares the time only with those dates (validity periods, CRL update
    times, revocation dates), so within one interval its outcome does not change.
    """
    dates = []
    for cert in certs:
        crypto = _crypto_cert(cert.dump())
        dates += [crypto.not_valid_before_utc, crypto.not_valid_after_utc]
    for der in crls:
        crl = _crypto_crl(der)
        dates.append(crl.last_update_utc)
        if crl.next_update_utc is not None:
            dates.append(crl.next_update_utc)
        dates += [entry.revocation_date_utc for entry in crl]
    edges = sorted(d + delta for d in dates for delta in (-_TIME_MARGIN, _TIME_MARGIN))
    return bisect.bisect_right(edges, moment)


def _chain(signer, others, roots, crls: Sequence[bytes], at: datetime | None):
    """certvalidator's verdict on the signer's chain, as in ``cms_basic_validation``.

    Cached per (certificate, other certificates, roots, CRLs, time): the same leader and seal
    certificates are checked again and again; a miss runs the full path-building validation.
    """
    moment = at or datetime.now(UTC)
    key = (
        signer.dump(),
        tuple(c.dump() for c in others),
        tuple(r.dump() for r in roots),
        tuple(crls),
        at,
        _time_slot(moment, [signer, *others, *roots], crls),
    )
    hit = _chain_cache.get(key)
    if hit is None:
        if len(_chain_cache) > 1024:
            _chain_cache.clear()
        hit = _chain_cache[key] = _run(_validate_chain(signer, list(others), roots, crls, at))
    return hit


async def _validate_chain(signer, others, roots, crls, at):
    from pyhanko.sign.ades.report import AdESIndeterminate
    from pyhanko.sign.validation.generic_cms import validate_cert_usage
    from pyhanko.sign.validation.status import PdfSignatureStatus

    context = ValidationContext(
        trust_roots=roots,
        crls=list(crls),
        other_certs=others,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=at,
    )
    context.certificate_registry.register_multiple(others)
    try:
        result = await validate_cert_usage(
            signer,
            context,
            key_usage_settings=PdfSignatureStatus.default_usage_constraints(None),
            paths=context.path_builder.async_build_paths_lazy(signer),
        )
    except ValueError:
        return AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE, None, None
    return result.error_subindic, result.revo_details, result.success_result or result.error_path


def _verify_fast(data: bytes, roots, crl_der: list[bytes], at) -> list[SignatureReport] | None:
    """The reports for a document the fast path covers, else ``None`` (use the full path)."""
    try:
        return _fast(data, roots, crl_der, at)
    except Exception:  # _Fallback, or anything unexpected: the full path decides
        return None


def _fast(data: bytes, roots, crl_der: list[bytes], at) -> list[SignatureReport]:
    short, ranges = _short_objects(data)
    reader = _ShortReader(io.BytesIO(data), short)
    _need(not reader.encrypted and not reader.xrefs.hybrid_xrefs_present)
    root = reader.root
    root["/Pages"]
    _need("/Perms" not in root)
    signatures = _signature_fields(reader, data, ranges)
    crls = crl_der + _dss_crls(reader)
    by_revision = {s.revision: s for s in signatures}
    last = reader.xrefs.total_revisions - 1
    checked: set[int] = set()
    reports = []
    for sig in signatures:
        coverage = _coverage(reader, data, sig)
        level = ModificationLevel.NONE
        if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            # Every later revision must add one of the other signatures and nothing else.
            for revision in range(sig.revision + 1, last + 1):
                _need(revision in by_revision)
                if revision not in checked:
                    _signature_revision(reader, data, revision, by_revision[revision])
                    checked.add(revision)
            level = ModificationLevel.FORM_FILLING
        _, len1, start2, len2 = sig.byte_range
        view = memoryview(data)
        digest = hashlib.sha256(view[:len1])
        digest.update(view[start2 : start2 + len2])
        cms_bytes = binascii.unhexlify(data[len1 + 1 : start2 - 1])
        signer, others = _check_cms(cms_bytes, digest.digest())
        indic, revocation, path = _chain(signer, others, roots, crls, at)
        claimed = generic.parse_pdf_date(sig.sig_object["/M"]) if "/M" in sig.sig_object else None
        status = _FastStatus(
            signing_cert=signer,
            signer_reported_dt=claimed,
            coverage=coverage,
            modification_level=level,
            diff_result=DiffResult(level, set()),
            trust_problem_indic=indic,
            validation_path=path,
            revocation_details=revocation,
        )
        embedded = _FastEmbedded(sig.name, sig.sig_object, claimed)
        reports.append(_report(embedded, status, crls))
    return reports


def verify_pdf(
    pdf_bytes: bytes,
    trust_roots: Iterable,
    crls: Iterable = (),
    *,
    at: datetime | None = None,
) -> Report:
    """Verify every signature of a PDF against ``trust_roots`` (and CRLs, also those in /DSS).

    ``at`` is the validation time (default now).
    """
    _check_input(pdf_bytes)
    roots, crl_der = _roots(trust_roots), _crl_der(crls)
    data = bytes(pdf_bytes)
    reports = _verify_fast(data, roots, crl_der, at)
    if reports is None:
        reports = _verify_full(data, roots, crl_der, at)
    reports += _removed(data, reports)
    if not reports:
        return Report([], INDETERMINATE, Message("the document has no signature"))
    worst = next((r for r in reports if r.indication == TOTAL_FAILED), None) or next(
        (r for r in reports if r.indication == INDETERMINATE), None
    )
    if worst is None:
        return Report(reports, TOTAL_PASSED, Message("every signature is valid"))
    return Report(
        reports,
        worst.indication,
        Message("signature %(field)s: %(why)s", field=worst.field_name, why=str(worst.explanation)),
    )
