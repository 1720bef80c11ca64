"""Reading the PDF given to sign or verify: every way it can be unusable becomes a
:class:`PdfInputError`."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc_core.messages import Message
from cchc_core.pki import SigningError

MAX_PDF_BYTES = 100 * 1024 * 1024
# The SHA-256 of the last PDFs this process read whole (a bounded number): checking again that
# the same bytes can be read (a received document's PDF, verified a moment before it is
# stored) does not parse them a second time.
READABLE_KEPT = 256
_readable: OrderedDict[bytes, None] = OrderedDict()
_readable_lock = threading.Lock()


class PdfInputError(SigningError):
    """The file is not a PDF that can be signed or verified; the message says why."""


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
    _remember_readable(pdf_bytes)
    return reader


def _remember_readable(pdf_bytes: bytes) -> None:
    """These bytes were parsed: not encrypted, their page tree read."""
    key = hashlib.sha256(pdf_bytes).digest()
    with _readable_lock:
        _readable[key] = None
        _readable.move_to_end(key)
        while len(_readable) > READABLE_KEPT:
            _readable.popitem(last=False)


def check_readable(pdf_bytes: bytes) -> None:
    """Raise :class:`PdfInputError` as :func:`_reader` does for what is not a readable PDF;
    bytes this process has read lately are not parsed again."""
    _check_input(pdf_bytes)
    if hashlib.sha256(pdf_bytes).digest() in _readable:
        return
    _reader(pdf_bytes)


def _writer(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    reader = _reader(pdf_bytes)
    try:
        return IncrementalPdfFileWriter.from_reader(reader)
    except Exception:
        raise PdfInputError(Message("the PDF file is damaged and cannot be read")) from None


def _dss_crls(reader: PdfFileReader) -> list[bytes]:
    try:
        dss = reader.root.get("/DSS")
        if dss is None:
            return []
        return [s.get_object().data for s in dss.get_object().get("/CRLs", ())]
    except Exception:
        return []
