"""edXML packages of QCVN 102:2016/BTTTT (amended 2022): build, sign, parse and verify.

An agency sends a document to others as an edXML package: a header (``MessageHeader``: sender,
recipients, number and notation, promulgation, type, subject, signer, due date, priority...;
``TraceHeaderList``: the organs the package went through and the business type — new,
revocation, update or replacement), an enveloped XML-DSig ``Signature`` made with the agency's
certificate, a manifest of the attachments and the attachments themselves in base64. A
receiving agency answers with status packages (arrived, refused, registered, assigned,
processing, completed, recall requested/accepted/refused) signed the same way.

:func:`build_document` / :func:`build_status` write unsigned packages, :func:`sign_document` /
:func:`sign_status` signed ones, :func:`sign` signs a package read from elsewhere,
:func:`parse` reads a package without looking at its signature and :func:`verify` checks the
signature and the certificate before reading it. Every refusal is an :class:`EdxmlError`
whose message is a translatable :class:`~cchc_core.appendix.Message`.

Layout written: the one the e-office SDKs in use read (the Bkav eDoc SDK and the VPCP gateway
client look for the envelope as a child of the root, for the attachments beside it, match
content ids as text and read a status only from a ``MessageHeader``). The root
``edXML:edXML`` (namespace prefix ``edXML``) holds ``edXMLEnvelope`` — ``edXMLHeader``
(``MessageHeader``, ``TraceHeaderList``, ``ds:Signature``) and
``edXMLBody/edXMLManifest/Reference`` — and, beside it, ``AttachmentEncoded/Attachment``,
whose ``ContentTransferEncoded`` element carries the base64 text on one line; the same
``cid:…`` text names an attachment in the manifest and in ``Attachment``. A status is a
``MessageHeader`` holding From, ResponseFor, StaffInfo, StatusCode, Description, Timestamp
(``header="Status"`` writes the ``Status`` element this module wrote before). The signature is
RSA-SHA256 (ECDSA-SHA256 for EC keys) over a SHA-256 digest, one Reference ``URI=""`` with
the enveloped-signature and C14N 1.0 transforms, KeyInfo with the subject name, the
certificate and its chain. The element names live in :class:`E`; where the text of the
standard is silent they follow the packages of the government exchange platform (VXP):
``OrganizationInCharge``, ``Bussiness`` (sic) inside ``TraceHeaderList``, the base64 inside
``ContentTransferEncoded``.

Layouts read. The same, and what other senders write: the envelope as root, the wrapper in
the default namespace, ``AttachmentEncoded`` in the envelope or beside it, child elements in
the edXML namespace or in none, ``OrganInCharge``, a status as ``Status``, ``MessageStatus``
or a ``MessageHeader`` holding StatusCode, ``Bussiness`` in ``MessageHeader``, a new document
repeating its own id in ``Bussiness``, a ``cid:`` manifest reference given as ``xlink:href``,
content ids with or without ``cid:`` (read without), base64 wrapped over lines, attachments the
sender zipped (opened, see :func:`_unzipped`), elements this module does not know (ignored).
Reading is strict about what it reads: required elements, dates (``yyyy/MM/dd``), times
(``yyyy/MM/dd HH:mm:ss``, Vietnam time), numbers, codes.

Speed. A 1 MB attachment is 1.4 MB of base64 in one text node, and that is where the time goes:
signxml parses the package, copies the tree and canonicalises it several times, each
canonicalisation escaping the text node character by character in libxml2 (about 5 ms per pass
here); ``benchmarks/bench_edxml.py`` measures it at its best (key object loaded once). Here the
writer emits the canonical form itself (C14N 1.0: one namespace declaration on the root, no
attributes, no empty-element tags, ``& < > CR`` escaped, nothing outside the root but the XML
declaration), so that the digest of a package being signed is SHA-256 over the bytes written,
minus the declaration — no parsing at all — and only the small ``SignedInfo`` is signed with the
key: 2.6 ms per package here, 1.6 of them base64-encoding the attachment, 0.8 hashing it.
Verification parses once (about 0.5 ms for 1.4 MB) and canonicalises once with every long text
node swapped for a random token; the canonical bytes of those texts (escaping needs only four
``str.find`` scans when, as with base64, there is nothing to escape) are put back in the stream
being hashed. libxml2 still canonicalises the structure, namespaces and every short text, so the
result is the standard canonical form, checked against lxml's own in the tests; signatures
verify with signxml and xmlsec1 and theirs verify here. About 6 ms per package, half of it
decoding the attachment (the Python standard library's base64). ``SignedInfo`` is canonicalised
from a copy parsed on its own, because lxml canonicalises an element that inherits a default
namespace with stray ``xmlns=""`` (libxml2 2.13); for the same reason the signatures written
here use the ``ds`` prefix, which signxml needs.

Safety. The package is refused before parsing when larger than ``max_bytes`` or when its
prolog declares a DOCTYPE, and after parsing when libxml2 saw a DTD; the parser never loads
DTDs, resolves entities or touches the network, and without ``huge_tree`` it refuses deep
nesting and huge names. One exception: a text node above libxml2's 10 MB limit (an attachment
above about 7.5 MB) makes the package be parsed again with ``huge_tree`` — only when the
bytes hold no ``<!DOCTYPE``/``<!ENTITY`` at all and are UTF-8, so that no entity can be
declared and amplified. Base64 is decoded strictly, after its size was checked. A package
must carry exactly one signature, in the header or as a child of the envelope or the root
(signxml puts it last in the root), with one reference to the whole package (``URI=""``) and
no transforms but enveloped-signature and a canonicalisation: ID references, XPath and XSLT
are refused, so the content read is always the content signed (signature wrapping).
Comments are not signed (``URI=""`` drops them) and are never read. SHA-1 (digest or
RSA-SHA1/ECDSA-SHA1 signature, as in the public samples of the standard) is accepted and
reported as ``weak``; HMAC, DSA and unknown algorithms are refused.

The certificate must have been valid at ``at``, have a signing key usage, not be on the CRLs
given and, with ``trust_roots``, chain up to one of them through the certificates the package
carries (each link's signature checked, intermediate CAs valid at ``at``). Not covered:
time-stamps (a package carries none, so verify at reception and keep the result), OCSP, the
``BussinessDocumentInfo/ReceiverList`` of updates, and keys on USB tokens (signing needs the
private key here).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import mimetypes
import re
import secrets
import threading
import weakref
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from lxml import etree

from cchc_core.messages import Message
from cchc_core.pki import (
    CERTIFICATE_ERRORS,
    Signer,
    SigningError,
    check_signing_certificate,
    common_name,
    validate_certificate,
)

__all__ = [
    "ALLOW_SHA1",
    "MAX_ZIP_RATIO",
    "STATUS_HEADERS",
    "SignatureInfo",
    "BUSINESS_NEW",
    "BUSINESS_REPLACEMENT",
    "BUSINESS_REVOCATION",
    "BUSINESS_TYPES",
    "BUSINESS_UPDATE",
    "MAX_ATTACHMENT_BYTES",
    "MAX_BYTES",
    "NS",
    "STATUS_CODES",
    "VN_TZ",
    "Attachment",
    "Document",
    "E",
    "EdxmlError",
    "Organization",
    "ResponseFor",
    "Status",
    "Trace",
    "Verified",
    "build_document",
    "build_status",
    "package_sha256",
    "parse",
    "sign",
    "sign_document",
    "sign_status",
    "signature_info",
    "verify",
]

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
# Dates and times in packages carry no zone: they are Vietnam time.
VN_TZ = timezone(timedelta(hours=7), "ICT")
MAX_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Whether verify() accepts SHA-1 signatures (flagged weak) by default; see verify().
ALLOW_SHA1 = True

BUSINESS_NEW, BUSINESS_REVOCATION, BUSINESS_UPDATE, BUSINESS_REPLACEMENT = 0, 1, 2, 3
BUSINESS_TYPES = {0: "new", 1: "revocation", 2: "update", 3: "replacement"}
STATUS_CODES = {
    "01": "arrived",
    "02": "refused",
    "03": "registered",
    "04": "assigned",
    "05": "processing",
    "06": "completed",
    "13": "recall requested",
    "15": "recall accepted",
    "16": "recall refused",
}
STATUS_REFUSED = "02"
# The element of the header holding a status. Written: MessageHeader, the only one the Bkav
# eDoc SDK and the VPCP gateway client read (their status is a MessageHeader holding
# StatusCode); Status (the layout written before) on request. Read: both, and MessageStatus.
STATUS_HEADERS = ("MessageHeader", "Status")


class E:
    """Element names of the package, in one place: correct a spelling here and both the
    writer and the reader follow. Where a name has variants in the wild, the reader also
    accepts the ``*_ALIASES``."""

    WRAPPER = "edXML"  # the VXP SDK's root around the envelope
    ENVELOPE = "edXMLEnvelope"
    HEADER = "edXMLHeader"
    MESSAGE_HEADER = "MessageHeader"
    STATUS = "Status"
    STATUS_ALIASES = ("MessageStatus",)
    FROM = "From"
    TO = "To"
    ORGAN_ID = "OrganId"
    ORGAN_IN_CHARGE = "OrganizationInCharge"
    ORGAN_IN_CHARGE_ALIASES = ("OrganInCharge",)
    ORGAN_NAME = "OrganName"
    ORGAN_ADD = "OrganAdd"
    EMAIL = "Email"
    TELEPHONE = "Telephone"
    FAX = "Fax"
    WEBSITE = "Website"
    CODE = "Code"
    CODE_NUMBER = "CodeNumber"
    CODE_NOTATION = "CodeNotation"
    PROMULGATION_INFO = "PromulgationInfo"
    PLACE = "Place"
    PROMULGATION_DATE = "PromulgationDate"
    DOCUMENT_TYPE = "DocumentType"
    TYPE = "Type"
    TYPE_NAME = "TypeName"
    SUBJECT = "Subject"
    CONTENT = "Content"
    SIGNER_INFO = "SignerInfo"
    COMPETENCE = "Competence"
    POSITION = "Position"
    FULL_NAME = "FullName"
    DUE_DATE = "DueDate"
    TO_PLACES = "ToPlaces"
    OTHER_INFO = "OtherInfo"
    PRIORITY = "Priority"
    SPHERE = "SphereOfPromulgation"
    TYPER_NOTATION = "TyperNotation"
    PROMULGATION_AMOUNT = "PromulgationAmount"
    PAGE_AMOUNT = "PageAmount"
    APPENDIXES = "Appendixes"
    APPENDIX = "Appendix"
    RESPONSE_FOR = "ResponseFor"
    STEERING_TYPE = "SteeringType"
    DOCUMENT_ID = "DocumentId"
    TRACE_LIST = "TraceHeaderList"
    TRACE = "TraceHeader"
    TIMESTAMP = "Timestamp"
    BUSINESS = "Bussiness"
    BUSINESS_DOC_TYPE = "BussinessDocType"
    BUSINESS_DOC_REASON = "BussinessDocReason"
    BUSINESS_DOC_INFO = "BussinessDocumentInfo"
    DOCUMENT_INFO = "DocumentInfo"
    DOCUMENT_RECEIVER = "DocumentReceiver"
    REPLACEMENT_LIST = "ReplacementInfoList"
    REPLACEMENT = "ReplacementInfo"
    ORGAN_ID_LIST = "OrganIdList"
    STAFF_INFO = "StaffInfo"
    DEPARTMENT = "Department"
    DEPARTMENT_ID = "DepartmentId"
    STAFF = "Staff"
    STAFF_ID = "StaffId"
    MOBILE = "Mobile"
    STATUS_CODE = "StatusCode"
    DESCRIPTION = "Description"
    BODY = "edXMLBody"
    MANIFEST = "edXMLManifest"
    REFERENCE = "Reference"
    CONTENT_ID = "ContentId"
    CONTENT_TYPE = "ContentType"
    ATTACHMENT_NAME = "AttachmentName"
    ATTACHMENTS = "AttachmentEncoded"
    ATTACHMENT = "Attachment"
    ENCODED = "ContentTransferEncoded"


class EdxmlError(ValueError):
    """The package cannot be built, read or trusted; ``args[0]`` is a :class:`Message`."""


# --------------------------------------------------------------------------------------------
# The package as data


@dataclass(frozen=True)
class Organization:
    """An organ sending or receiving packages; ``organ_id`` is its code on the platform."""

    organ_id: str
    organ_name: str = ""
    organ_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file of the package. ``content_id`` is written with a ``cid:`` prefix, the same text
    in the manifest's ``Reference`` and in ``Attachment`` (a reader that matches them as text
    finds the file); it is read without the prefix. ``unzipped`` says that the sender had
    zipped the file (their convention for non-PDF files) and ``data`` is what the zip held."""

    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""
    # How it came, not what it is: left out of comparisons (written again, it is not zipped).
    unzipped: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Trace:
    """An organ the package went through (``TraceHeader``)."""

    organ_id: str
    timestamp: datetime


@dataclass(frozen=True)
class ResponseFor:
    """The document a package answers: its sender, ``number/notation``, date and id."""

    organ_id: str
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass
class Document:
    """The package of a document.

    ``replaced_document_ids`` names, for a revocation or an update, the one document concerned
    (``Bussiness/DocumentId``; none means ``document_id`` itself) and, for a replacement, the
    documents replaced (``ReplacementInfoList``). Naive datetimes are Vietnam time; parsed
    ones are aware (:data:`VN_TZ`).
    """

    sender: Organization
    recipients: tuple[Organization, ...]
    document_id: str
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_code: int
    type_name: str
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    priority: int = 0
    to_places: tuple[str, ...] = ()
    steering_type: int | None = None
    business_type: int = BUSINESS_NEW
    business_reason: str = ""
    replaced_document_ids: tuple[str, ...] = ()
    response_for: tuple[ResponseFor, ...] = ()
    traces: tuple[Trace, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 0
    page_amount: int = 0
    appendixes: tuple[str, ...] = ()
    # Update packages only: what changed (BussinessDocumentInfo/DocumentInfo, DocumentReceiver).
    business_info_changed: bool = False
    business_receivers_changed: bool = False


@dataclass
class Status:
    """A status package about a document received: ``recipient_organ_id`` is the organ the
    status goes to (the document's sender), ``code`` the document's ``number/notation``."""

    sender: Organization
    recipient_organ_id: str
    document_id: str
    code: str
    promulgation_date: date | None
    status_code: str
    timestamp: datetime
    description: str = ""
    staff_department: str = ""
    staff_name: str = ""
    staff_mobile: str = ""
    staff_email: str = ""
    staff_department_id: str = ""
    staff_id: str = ""


@dataclass
class Verified:
    """What :func:`verify` found: the package and who signed it.

    ``chain`` is the path from the signer's issuer to the trust anchor when ``trust_roots``
    were given (``trusted`` is then True), otherwise the other certificates the package
    carries. ``weak`` flags SHA-1 in the digest or the signature method.
    """

    kind: Literal["document", "status"]
    document: Document | None
    status: Status | None
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    weak: bool
    digest_algorithm: str
    sha256: str
    signature_algorithm: str = ""
    trusted: bool = False

    @property
    def signer_name(self) -> str:
        """The common name of the signing certificate."""
        return common_name(self.certificate)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def package_sha256(xml: bytes) -> str:
    """SHA-256 of the package bytes, hex: the fingerprint to log and to find duplicates by."""
    return hashlib.sha256(xml).hexdigest()


# --------------------------------------------------------------------------------------------
# Writing: the canonical form, directly

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str, element: str) -> str:
    """``value`` escaped as C14N escapes text nodes; refuses what XML cannot carry."""
    if not isinstance(value, str):
        raise EdxmlError(Message("%(element)s must be text", element=element))
    bad = _NOT_XML.search(value)
    if bad:
        raise EdxmlError(
            Message(
                "%(element)s contains a character that XML cannot carry (U+%(code)s)",
                element=element,
                code=f"{ord(bad.group()):04X}",
            )
        )
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#xD;")
    return value


def _xml_attribute(value: str) -> str:
    """``value`` escaped as C14N escapes attribute values."""
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        ('"', "&quot;"),
        ("\t", "&#x9;"),
        ("\n", "&#xA;"),
        ("\r", "&#xD;"),
    ):
        value = value.replace(char, entity)
    return value


def _date_text(value: date | None, element: str) -> str:
    if not isinstance(value, date):
        raise EdxmlError(
            Message(
                "%(element)s is not a date (yyyy/MM/dd): %(value)s", element=element, value=value
            )
        )
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def _time_text(value: datetime, element: str) -> str:
    if not isinstance(value, datetime):
        raise EdxmlError(
            Message(
                "%(element)s is not a time (yyyy/MM/dd HH:mm:ss): %(value)s",
                element=element,
                value=value,
            )
        )
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return f"{_date_text(value, element)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def _int_text(value: int, element: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EdxmlError(
            Message("%(element)s is not a number: %(value)s", element=element, value=value)
        )
    return str(value)


class _Writer:
    """Collects the canonical text of a package; base64 chunks stay bytes, never copied."""

    __slots__ = ("chunks", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.chunks: list[bytes] = []

    def open(self, name: str) -> None:
        self.parts.append(f"<{PREFIX}:{name}>")

    def close(self, name: str) -> None:
        self.parts.append(f"</{PREFIX}:{name}>")

    def leaf(self, name: str, value: str, element: str | None = None) -> None:
        text = _xml_text(value, element or name)
        self.parts.append(f"<{PREFIX}:{name}>{text}</{PREFIX}:{name}>")

    def raw(self, data: bytes) -> None:
        self.flush()
        self.chunks.append(data)

    def flush(self) -> list[bytes]:
        if self.parts:
            self.chunks.append("".join(self.parts).encode())
            self.parts.clear()
        return self.chunks


def _required(value: str, element: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EdxmlError(Message("missing element %(element)s", element=element))
    return value


def _write_organization(out: _Writer, name: str, organ: Organization) -> None:
    if not isinstance(organ, Organization):
        raise EdxmlError(Message("missing element %(element)s", element=name))
    out.open(name)
    out.leaf(E.ORGAN_ID, _required(organ.organ_id, f"{name}/{E.ORGAN_ID}"), f"{name}/{E.ORGAN_ID}")
    out.leaf(E.ORGAN_IN_CHARGE, organ.organ_in_charge, f"{name}/{E.ORGAN_IN_CHARGE}")
    out.leaf(E.ORGAN_NAME, organ.organ_name, f"{name}/{E.ORGAN_NAME}")
    out.leaf(E.ORGAN_ADD, organ.organ_add, f"{name}/{E.ORGAN_ADD}")
    out.leaf(E.EMAIL, organ.email, f"{name}/{E.EMAIL}")
    out.leaf(E.TELEPHONE, organ.telephone, f"{name}/{E.TELEPHONE}")
    out.leaf(E.FAX, organ.fax, f"{name}/{E.FAX}")
    out.leaf(E.WEBSITE, organ.website, f"{name}/{E.WEBSITE}")
    out.close(name)


def _start(out: _Writer) -> None:
    # The wrapper root: the e-office SDKs look for the envelope as a child of the root and
    # for AttachmentEncoded beside it.
    out.parts.append(f'<{PREFIX}:{E.WRAPPER} xmlns:{PREFIX}="{NS}">')
    out.open(E.ENVELOPE)
    out.open(E.HEADER)


def _write_business(out: _Writer, doc: Document) -> None:
    kind = doc.business_type
    if isinstance(kind, bool) or kind not in BUSINESS_TYPES:
        raise EdxmlError(Message("unknown business type %(value)s", value=kind))
    ids = tuple(doc.replaced_document_ids)
    for document_id in ids:
        _required(document_id, f"{E.REPLACEMENT}/{E.DOCUMENT_ID}")
    if kind == BUSINESS_NEW and ids:
        raise EdxmlError(
            Message("only a revocation, an update or a replacement names other documents")
        )
    if kind in (BUSINESS_REVOCATION, BUSINESS_UPDATE) and len(ids) > 1:
        raise EdxmlError(Message("a revocation or an update concerns one document"))
    if kind == BUSINESS_REPLACEMENT and not ids:
        raise EdxmlError(Message("a replacement must name the documents it replaces"))
    out.open(E.BUSINESS)
    out.leaf(E.BUSINESS_DOC_TYPE, str(kind))
    out.leaf(E.BUSINESS_DOC_REASON, doc.business_reason)
    if kind == BUSINESS_UPDATE:
        out.open(E.BUSINESS_DOC_INFO)
        out.leaf(E.DOCUMENT_INFO, "1" if doc.business_info_changed else "0")
        out.leaf(E.DOCUMENT_RECEIVER, "1" if doc.business_receivers_changed else "0")
        out.close(E.BUSINESS_DOC_INFO)
    if kind in (BUSINESS_REVOCATION, BUSINESS_UPDATE) and ids:
        out.leaf(E.DOCUMENT_ID, ids[0], f"{E.BUSINESS}/{E.DOCUMENT_ID}")
    if kind == BUSINESS_REPLACEMENT:
        out.open(E.REPLACEMENT_LIST)
        for document_id in ids:
            out.open(E.REPLACEMENT)
            out.leaf(E.DOCUMENT_ID, document_id, f"{E.REPLACEMENT}/{E.DOCUMENT_ID}")
            out.open(E.ORGAN_ID_LIST)
            for organ in doc.recipients:
                out.leaf(E.ORGAN_ID, organ.organ_id, f"{E.ORGAN_ID_LIST}/{E.ORGAN_ID}")
            out.close(E.ORGAN_ID_LIST)
            out.close(E.REPLACEMENT)
        out.close(E.REPLACEMENT_LIST)
    out.close(E.BUSINESS)


def _cid(content_id: str) -> str:
    return content_id if content_id.startswith("cid:") else f"cid:{content_id}"


def _render_document(doc: Document) -> tuple[bytes, list[bytes]]:
    """The canonical package as the bytes before ``</edXMLHeader>`` (where the signature
    goes) and the chunks from there on."""
    recipients = tuple(doc.recipients)
    if not recipients:
        raise EdxmlError(Message("the package needs at least one recipient"))
    out = _Writer()
    _start(out)
    out.open(E.MESSAGE_HEADER)
    _write_organization(out, E.FROM, doc.sender)
    for organ in recipients:
        _write_organization(out, E.TO, organ)
    out.open(E.CODE)
    out.leaf(E.CODE_NUMBER, doc.code_number)
    out.leaf(E.CODE_NOTATION, doc.code_notation)
    out.close(E.CODE)
    out.open(E.PROMULGATION_INFO)
    out.leaf(E.PLACE, doc.place)
    out.leaf(E.PROMULGATION_DATE, _date_text(doc.promulgation_date, E.PROMULGATION_DATE))
    out.close(E.PROMULGATION_INFO)
    out.open(E.DOCUMENT_TYPE)
    out.leaf(E.TYPE, _int_text(doc.type_code, f"{E.DOCUMENT_TYPE}/{E.TYPE}"))
    out.leaf(E.TYPE_NAME, doc.type_name)
    out.close(E.DOCUMENT_TYPE)
    out.leaf(E.SUBJECT, doc.subject)
    out.leaf(E.CONTENT, doc.content)
    out.open(E.SIGNER_INFO)
    out.leaf(E.COMPETENCE, doc.signer_competence)
    out.leaf(E.POSITION, doc.signer_position)
    out.leaf(E.FULL_NAME, doc.signer_name)
    out.close(E.SIGNER_INFO)
    if doc.due_date is not None:
        out.leaf(E.DUE_DATE, _date_text(doc.due_date, E.DUE_DATE))
    out.open(E.TO_PLACES)
    for place in doc.to_places:
        out.leaf(E.PLACE, place, f"{E.TO_PLACES}/{E.PLACE}")
    out.close(E.TO_PLACES)
    out.open(E.OTHER_INFO)
    priority = _int_text(doc.priority, E.PRIORITY)
    if not 0 <= doc.priority <= 4:
        raise EdxmlError(Message("unknown priority %(value)s", value=doc.priority))
    out.leaf(E.PRIORITY, priority)
    out.leaf(E.SPHERE, doc.sphere_of_promulgation)
    out.leaf(E.TYPER_NOTATION, doc.typer_notation)
    out.leaf(E.PROMULGATION_AMOUNT, _int_text(doc.promulgation_amount, E.PROMULGATION_AMOUNT))
    out.leaf(E.PAGE_AMOUNT, _int_text(doc.page_amount, E.PAGE_AMOUNT))
    out.open(E.APPENDIXES)
    for appendix in doc.appendixes:
        out.leaf(E.APPENDIX, appendix)
    out.close(E.APPENDIXES)
    out.close(E.OTHER_INFO)
    for answered in doc.response_for:
        out.open(E.RESPONSE_FOR)
        element = f"{E.RESPONSE_FOR}/{E.ORGAN_ID}"
        out.leaf(E.ORGAN_ID, _required(answered.organ_id, element), element)
        out.leaf(E.CODE, answered.code, f"{E.RESPONSE_FOR}/{E.CODE}")
        if answered.promulgation_date is not None:
            element = f"{E.RESPONSE_FOR}/{E.PROMULGATION_DATE}"
            out.leaf(E.PROMULGATION_DATE, _date_text(answered.promulgation_date, element))
        out.leaf(E.DOCUMENT_ID, answered.document_id, f"{E.RESPONSE_FOR}/{E.DOCUMENT_ID}")
        out.close(E.RESPONSE_FOR)
    if doc.steering_type is not None:
        out.leaf(E.STEERING_TYPE, _int_text(doc.steering_type, E.STEERING_TYPE))
    out.leaf(E.DOCUMENT_ID, _required(doc.document_id, E.DOCUMENT_ID))
    out.close(E.MESSAGE_HEADER)
    out.open(E.TRACE_LIST)
    for trace in doc.traces:
        out.open(E.TRACE)
        element = f"{E.TRACE}/{E.ORGAN_ID}"
        out.leaf(E.ORGAN_ID, _required(trace.organ_id, element), element)
        out.leaf(E.TIMESTAMP, _time_text(trace.timestamp, f"{E.TRACE}/{E.TIMESTAMP}"))
        out.close(E.TRACE)
    _write_business(out, doc)
    out.close(E.TRACE_LIST)
    head = out.flush()[0]
    out.chunks.clear()

    out.close(E.HEADER)
    out.open(E.BODY)
    out.open(E.MANIFEST)
    seen: set[str] = set()
    for attachment in doc.attachments:
        content_id = _required(attachment.content_id, f"{E.ATTACHMENT}/{E.CONTENT_ID}")
        if content_id in seen:
            raise EdxmlError(Message("attachment content id %(id)s is used twice", id=content_id))
        seen.add(content_id)
        out.open(E.REFERENCE)
        out.leaf(E.CONTENT_ID, _cid(content_id), f"{E.REFERENCE}/{E.CONTENT_ID}")
        out.leaf(E.CONTENT_TYPE, attachment.content_type, f"{E.REFERENCE}/{E.CONTENT_TYPE}")
        out.leaf(E.DESCRIPTION, attachment.description, f"{E.REFERENCE}/{E.DESCRIPTION}")
        out.leaf(E.ATTACHMENT_NAME, attachment.name, f"{E.REFERENCE}/{E.ATTACHMENT_NAME}")
        out.close(E.REFERENCE)
    out.close(E.MANIFEST)
    out.close(E.BODY)
    out.close(E.ENVELOPE)
    out.open(E.ATTACHMENTS)
    for attachment in doc.attachments:
        if not isinstance(attachment.data, bytes | bytearray | memoryview):
            raise EdxmlError(Message("attachment %(name)s has no content", name=attachment.name))
        out.open(E.ATTACHMENT)
        out.leaf(E.CONTENT_ID, _cid(attachment.content_id), f"{E.ATTACHMENT}/{E.CONTENT_ID}")
        out.leaf(E.ATTACHMENT_NAME, attachment.name, f"{E.ATTACHMENT}/{E.ATTACHMENT_NAME}")
        out.leaf(E.CONTENT_TYPE, attachment.content_type, f"{E.ATTACHMENT}/{E.CONTENT_TYPE}")
        out.leaf(E.DESCRIPTION, attachment.description, f"{E.ATTACHMENT}/{E.DESCRIPTION}")
        out.open(E.ENCODED)
        out.raw(binascii.b2a_base64(attachment.data, newline=False))
        out.close(E.ENCODED)
        out.close(E.ATTACHMENT)
    out.close(E.ATTACHMENTS)
    out.close(E.WRAPPER)
    return head, out.flush()


def _render_status(status: Status, header: str = E.MESSAGE_HEADER) -> tuple[bytes, list[bytes]]:
    code = status.status_code
    if code not in STATUS_CODES:
        raise EdxmlError(Message("unknown status code %(code)s", code=code))
    if code == STATUS_REFUSED and not (
        isinstance(status.description, str) and status.description.strip()
    ):
        raise EdxmlError(Message("a refusal needs its reason in the description"))
    if header not in STATUS_HEADERS:
        raise EdxmlError(Message("unknown status layout %(value)s", value=header))
    out = _Writer()
    _start(out)
    out.open(header)
    _write_organization(out, E.FROM, status.sender)
    out.open(E.RESPONSE_FOR)
    element = f"{E.RESPONSE_FOR}/{E.ORGAN_ID}"
    out.leaf(E.ORGAN_ID, _required(status.recipient_organ_id, element), element)
    out.leaf(E.CODE, status.code, f"{E.RESPONSE_FOR}/{E.CODE}")
    if status.promulgation_date is not None:
        element = f"{E.RESPONSE_FOR}/{E.PROMULGATION_DATE}"
        out.leaf(E.PROMULGATION_DATE, _date_text(status.promulgation_date, element))
    element = f"{E.RESPONSE_FOR}/{E.DOCUMENT_ID}"
    out.leaf(E.DOCUMENT_ID, _required(status.document_id, element), element)
    out.close(E.RESPONSE_FOR)
    out.open(E.STAFF_INFO)
    out.leaf(E.DEPARTMENT, status.staff_department, f"{E.STAFF_INFO}/{E.DEPARTMENT}")
    if status.staff_department_id:
        element = f"{E.STAFF_INFO}/{E.DEPARTMENT_ID}"
        out.leaf(E.DEPARTMENT_ID, status.staff_department_id, element)
    out.leaf(E.STAFF, status.staff_name, f"{E.STAFF_INFO}/{E.STAFF}")
    if status.staff_id:
        out.leaf(E.STAFF_ID, status.staff_id, f"{E.STAFF_INFO}/{E.STAFF_ID}")
    out.leaf(E.EMAIL, status.staff_email, f"{E.STAFF_INFO}/{E.EMAIL}")
    out.leaf(E.MOBILE, status.staff_mobile, f"{E.STAFF_INFO}/{E.MOBILE}")
    out.close(E.STAFF_INFO)
    out.leaf(E.STATUS_CODE, code)
    out.leaf(E.DESCRIPTION, status.description)
    out.leaf(E.TIMESTAMP, _time_text(status.timestamp, E.TIMESTAMP))
    out.close(header)
    head = out.flush()[0]
    out.chunks.clear()
    out.close(E.HEADER)
    out.close(E.ENVELOPE)
    out.close(E.WRAPPER)
    return head, out.flush()


def build_document(doc: Document) -> bytes:
    """The unsigned package of ``doc``: UTF-8 with an XML declaration, in canonical form."""
    head, tail = _render_document(doc)
    return b"".join([_XML_DECL, head, *tail])


def build_status(status: Status, *, header: str = E.MESSAGE_HEADER) -> bytes:
    """The unsigned status package; ``header`` is the element holding it (see
    :data:`STATUS_HEADERS`)."""
    head, tail = _render_status(status, header)
    return b"".join([_XML_DECL, head, *tail])


# --------------------------------------------------------------------------------------------
# Signing

_C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

# Canonicalisation algorithm -> (exclusive, with comments). C14N 1.1 differs from 1.0 only in
# inheriting xml:id / xml:base into a document subset, which edXML packages do not use.
_C14N = {
    _C14N_10: (False, False),
    _C14N_10 + "#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}
_DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    _SHA256: "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
_SIGNATURE_METHODS: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", hashes.SHA1),
    _RSA_SHA256: ("rsa", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1": ("ecdsa", hashes.SHA1),
    _ECDSA_SHA256: ("ecdsa", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ecdsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ecdsa", hashes.SHA512),
}

# Per signer: the KeyInfo element, written once.
_KEY_INFO: weakref.WeakKeyDictionary[Signer, str] = weakref.WeakKeyDictionary()


def _key_info(signer: Signer) -> str:
    cached = _KEY_INFO.get(signer)
    if cached is None:
        subject = _xml_text(signer.certificate.subject.rfc4514_string(), "X509SubjectName")
        certificates = "".join(
            "<ds:X509Certificate>"
            + base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
            + "</ds:X509Certificate>"
            for certificate in (signer.certificate, *signer.chain)
        )
        cached = (
            f"<ds:KeyInfo><ds:X509Data><ds:X509SubjectName>{subject}</ds:X509SubjectName>"
            f"{certificates}</ds:X509Data></ds:KeyInfo>"
        )
        _KEY_INFO[signer] = cached
    return cached


def _check_signer(signer: Signer) -> None:
    if not isinstance(signer.private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise EdxmlError(Message("only RSA and ECDSA keys are supported"))
    try:
        check_signing_certificate(signer.certificate)
    except SigningError as error:
        raise EdxmlError(error.args[0]) from None


def _namespace_declarations(nsmap: dict) -> str:
    """The namespace declarations inclusive C14N puts on ``ds:SignedInfo``: every namespace
    in scope of the header, and ``ds``; the default one first, then by prefix."""
    scope = {prefix: uri for prefix, uri in nsmap.items() if prefix != "xml"}
    scope["ds"] = DS_NS
    default = scope.pop(None, None)
    first = f' xmlns="{_xml_attribute(default)}"' if default else ""
    return first + "".join(
        f' xmlns:{prefix}="{_xml_attribute(scope[prefix])}"' for prefix in sorted(scope)
    )


def _signature(digest: bytes, signer: Signer, nsmap: dict) -> bytes:
    """The ``ds:Signature`` element of a package whose canonical form has ``digest``.

    The ``ds`` prefix, not a default namespace: lxml (libxml2 2.13) canonicalises a
    ``SignedInfo`` that inherits a default namespace with stray ``xmlns=""``, which would
    make signxml refuse the signature.
    """
    key = signer.private_key
    method = _ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else _RSA_SHA256
    inner = (
        f'<ds:CanonicalizationMethod Algorithm="{_C14N_10}"></ds:CanonicalizationMethod>'
        f'<ds:SignatureMethod Algorithm="{method}"></ds:SignatureMethod>'
        '<ds:Reference URI=""><ds:Transforms>'
        f'<ds:Transform Algorithm="{_ENVELOPED}"></ds:Transform>'
        f'<ds:Transform Algorithm="{_C14N_10}"></ds:Transform>'
        f'</ds:Transforms><ds:DigestMethod Algorithm="{_SHA256}"></ds:DigestMethod>'
        f"<ds:DigestValue>{base64.b64encode(digest).decode()}</ds:DigestValue></ds:Reference>"
    )
    signed_info = f"<ds:SignedInfo{_namespace_declarations(nsmap)}>{inner}</ds:SignedInfo>".encode()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signed_info, ec.ECDSA(hashes.SHA256())))
        size = (key.curve.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        value = key.sign(signed_info, padding.PKCS1v15(), hashes.SHA256())
    return (
        f'<ds:Signature xmlns:ds="{DS_NS}"><ds:SignedInfo>{inner}</ds:SignedInfo>'
        f"<ds:SignatureValue>{base64.b64encode(value).decode()}</ds:SignatureValue>"
        f"{_key_info(signer)}</ds:Signature>"
    ).encode()


def _sign_rendered(head: bytes, tail: list[bytes], signer: Signer) -> bytes:
    _check_signer(signer)
    digest = hashlib.sha256(head)
    for chunk in tail:
        digest.update(chunk)
    signature = _signature(digest.digest(), signer, {PREFIX: NS})
    return b"".join([_XML_DECL, head, signature, *tail])


def sign_document(doc: Document, signer: Signer) -> bytes:
    """The package of ``doc`` signed by ``signer`` — without parsing anything."""
    head, tail = _render_document(doc)
    return _sign_rendered(head, tail, signer)


def sign_status(status: Status, signer: Signer, *, header: str = E.MESSAGE_HEADER) -> bytes:
    """The status package signed by ``signer`` (``header`` as for :func:`build_status`)."""
    head, tail = _render_status(status, header)
    return _sign_rendered(head, tail, signer)


def sign(xml: bytes, signer: Signer) -> bytes:
    """Sign an unsigned package read from elsewhere (checked as :func:`parse` does).

    The result is the package in canonical form (comments dropped, UTF-8) with the signature
    at the end of ``edXMLHeader``.
    """
    _check_signer(signer)
    tree = _parse_tree(_as_bytes(xml), MAX_BYTES)
    root = tree.getroot()
    reader = _Reader(MAX_ATTACHMENT_BYTES)
    envelope, header = reader.envelope(root)
    if next(root.iter(_DS_SIGNATURE), None) is not None:
        raise EdxmlError(Message("the package is already signed"))
    reader.package(root, envelope, header)
    chunks, at, _ = _canonical(tree, mark=header, restore=False)
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    signature = _signature(digest.digest(), signer, header.nsmap)
    return b"".join([_XML_DECL, *chunks[:at], signature, *chunks[at:]])


# --------------------------------------------------------------------------------------------
# Parsing safely

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_comments": False,
}
_PARSERS = threading.local()


def _parser(huge: bool = False) -> etree.XMLParser:
    """This thread's parser: lxml serialises the threads that share a parser."""
    name = "huge" if huge else "safe"
    parser = getattr(_PARSERS, name, None)
    if parser is None:
        parser = etree.XMLParser(huge_tree=huge, **_PARSER_OPTIONS)
        setattr(_PARSERS, name, parser)
    return parser


_UTF8_DECL = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _as_bytes(xml) -> bytes:
    if isinstance(xml, bytes):
        return xml
    if isinstance(xml, bytearray | memoryview):
        return bytes(xml)
    raise TypeError("an edXML package is bytes")


def _doctype_in_prolog(xml: bytes) -> bool:
    """Whether a DOCTYPE comes before the root element (ASCII-compatible encodings)."""
    pos = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    size = len(xml)
    while True:
        while pos < size and xml[pos] in b" \t\r\n":
            pos += 1
        if xml.startswith(b"<?", pos):
            end = xml.find(b"?>", pos + 2)
        elif xml.startswith(b"<!--", pos):
            end = xml.find(b"-->", pos + 4)
        else:
            return xml.startswith(b"<!DOCTYPE", pos)
        if end < 0:
            return False
        pos = end + 2 + (xml[end] == 0x2D)  # past "?>" or "-->"


def _may_parse_huge(xml: bytes) -> bool:
    """A long text node is allowed only where no entity can be declared at all."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml or b"\x00" in xml[:4]:
        return False
    declared = _UTF8_DECL.match(xml.removeprefix(b"\xef\xbb\xbf"))
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _parse_tree(xml: bytes, max_bytes: int) -> etree._ElementTree:
    if not xml or xml.isspace():
        raise EdxmlError(Message("the package is empty"))
    if len(xml) > max_bytes:
        raise EdxmlError(Message("the package is larger than %(mb)s MB", mb=_mb(max_bytes)))
    if _doctype_in_prolog(xml):
        raise EdxmlError(Message("the package declares a DTD or entities, which are refused"))
    try:
        try:
            root = etree.fromstring(xml, _parser())
        except etree.XMLSyntaxError as error:
            if "text node" not in str(error).lower() or not _may_parse_huge(xml):
                raise
            root = etree.fromstring(xml, _parser(huge=True))
    except (etree.LxmlError, ValueError, LookupError) as error:
        raise EdxmlError(
            Message("the package is not well-formed XML: %(error)s", error=str(error))
        ) from None
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.system_url or info.public_id:
        raise EdxmlError(Message("the package declares a DTD or entities, which are refused"))
    return tree


# --------------------------------------------------------------------------------------------
# Reading the package

_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")
_TIME = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_INT = re.compile(r"[+-]?[0-9]{1,9}")
_BASE64_WHITESPACE = b" \t\r\n"


_NS_TAG = f"{{{NS}}}"


@cache
def _tags(names: tuple[str, ...]) -> frozenset[str]:
    """The tags an element of one of ``names`` may have: in the edXML namespace or none."""
    return frozenset(name for local in names for name in (f"{_NS_TAG}{local}", local))


def _date(text: str, path: str) -> date:
    match = _DATE.fullmatch(text.strip())
    try:
        if match:
            return date(*map(int, match.groups()))
    except ValueError:
        pass
    raise EdxmlError(
        Message("%(element)s is not a date (yyyy/MM/dd): %(value)s", element=path, value=text)
    )


def _time(text: str, path: str) -> datetime:
    match = _TIME.fullmatch(text.strip())
    try:
        if match:
            return datetime(*map(int, match.groups()), tzinfo=VN_TZ)
    except ValueError:
        pass
    raise EdxmlError(
        Message(
            "%(element)s is not a time (yyyy/MM/dd HH:mm:ss): %(value)s", element=path, value=text
        )
    )


def _int(text: str, path: str) -> int:
    if not _INT.fullmatch(text.strip()):
        raise EdxmlError(
            Message("%(element)s is not a number: %(value)s", element=path, value=text)
        )
    return int(text.strip())


def _base64(text: str, name: str, max_bytes: int) -> bytes:
    """Strict base64 (whitespace between lines allowed), its size checked before decoding."""
    if len(text) // 4 * 3 > max_bytes:
        compact = "".join(text.split())
        if len(compact) // 4 * 3 - compact[-2:].count("=") > max_bytes:
            raise EdxmlError(
                Message(
                    "attachment %(name)s is larger than %(mb)s MB", name=name, mb=_mb(max_bytes)
                )
            )
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise EdxmlError(Message("attachment %(name)s is not valid base64", name=name)) from None
    try:
        data = binascii.a2b_base64(raw, strict_mode=True)
    except binascii.Error:
        try:
            data = binascii.a2b_base64(raw.translate(None, _BASE64_WHITESPACE), strict_mode=True)
        except binascii.Error:
            raise EdxmlError(
                Message("attachment %(name)s is not valid base64", name=name)
            ) from None
    if len(data) > max_bytes:
        raise EdxmlError(
            Message("attachment %(name)s is larger than %(mb)s MB", name=name, mb=_mb(max_bytes))
        )
    return data


# Formats that are zip archives themselves: a file of one of these is never unwrapped.
_ZIP_FORMATS = frozenset(
    {".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk"}
)
# A zipped attachment may not unpack to more than this many times its compressed size.
MAX_ZIP_RATIO = 200


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _unzipped(attachment: Attachment, max_bytes: int) -> Attachment:
    """The file a sender zipped, as itself.

    The Bkav eDoc SDK zips every file that is not PDF, Word, Excel or zip and labels it
    ``application/zip`` under the file's own name; the VPCP gateway client zips every file
    and keeps its own content type. Both put one entry in the archive, named ``<uuid>.<ext>``
    with the file's extension. Such an attachment (a zip holding exactly one file whose
    extension is the attachment's, or labelled ``application/zip`` under a name that is not a
    zip format) is unpacked, within ``max_bytes`` and :data:`MAX_ZIP_RATIO`; anything else,
    a real ``.docx`` (many entries) or ``.zip`` included, is left as it came.
    """
    data = attachment.data
    extension = _extension(attachment.name)
    if not data.startswith(b"PK\x03\x04") or extension in _ZIP_FORMATS:
        return attachment
    labelled = attachment.content_type.strip().lower() in ("application/zip", "application/x-zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError):
        if labelled:
            raise EdxmlError(
                Message("attachment %(name)s is a damaged zip archive", name=attachment.name)
            ) from None
        return attachment
    if len(entries) != 1:
        return attachment
    entry = entries[0]
    if not (labelled or (extension and _extension(entry.filename) == extension)):
        return attachment
    if entry.flag_bits & 0x1:
        raise EdxmlError(
            Message("attachment %(name)s is an encrypted zip archive", name=attachment.name)
        )
    if entry.file_size > max_bytes:
        raise EdxmlError(
            Message(
                "attachment %(name)s is larger than %(mb)s MB",
                name=attachment.name,
                mb=_mb(max_bytes),
            )
        )
    if entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
        raise EdxmlError(
            Message(
                "attachment %(name)s unpacks to more than %(ratio)s times its size",
                name=attachment.name,
                ratio=MAX_ZIP_RATIO,
            )
        )
    try:
        with archive.open(entry) as member:
            # The declared size may lie: read one byte more than allowed to find out.
            content = member.read(min(entry.file_size, max_bytes) + 1)
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError, EOFError):
        raise EdxmlError(
            Message("attachment %(name)s is a damaged zip archive", name=attachment.name)
        ) from None
    if len(content) != entry.file_size:
        raise EdxmlError(
            Message("attachment %(name)s is a damaged zip archive", name=attachment.name)
        )
    content_type = attachment.content_type
    if labelled or not content_type.strip():
        content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    return Attachment(
        content_id=attachment.content_id,
        name=attachment.name,
        content_type=content_type,
        data=content,
        description=attachment.description,
        unzipped=True,
    )


class _Reader:
    """Reads one package. The children of an element are indexed by local name once (lxml
    makes a Python object for every child it iterates over); ``texts`` holds the long texts
    :func:`_canonical` kept out of the tree."""

    __slots__ = ("indexes", "max_attachment_bytes", "texts", "unzip")

    def __init__(
        self, max_attachment_bytes: int, texts: dict | None = None, unzip: bool = True
    ) -> None:
        self.indexes: dict = {}
        self.max_attachment_bytes = max_attachment_bytes
        self.texts = texts
        self.unzip = unzip

    def children(self, element, *names: str) -> list:
        if element is None:
            return []
        index = self.indexes.get(element)
        if index is None:
            index = {}
            for child in element:
                tag = child.tag
                if not isinstance(tag, str):  # comment or processing instruction
                    continue
                if tag.startswith(_NS_TAG):
                    tag = tag[len(_NS_TAG) :]
                elif tag.startswith("{"):
                    continue
                index.setdefault(tag, []).append(child)
            self.indexes[element] = index
        if len(names) == 1:
            return index.get(names[0], [])
        return [child for name in names for child in index.get(name, ())]

    def one(self, element, path: str, *names: str, required: bool = False):
        found = self.children(element, *names)
        if len(found) > 1:
            raise EdxmlError(Message("%(element)s appears more than once", element=path))
        if not found:
            if required:
                raise EdxmlError(Message("missing element %(element)s", element=path))
            return None
        return found[0]

    def text(self, element) -> str:
        """The text directly inside ``element``: comments (unsigned) and children left out."""
        if element is None:
            return ""
        head = self.texts.get(element) if self.texts else None
        if head is None:
            head = element.text or ""
        if len(element):
            return "".join([head, *(child.tail or "" for child in element)])
        return head

    def value(self, element, path: str, *names: str, required: bool = False) -> str:
        if element is None:
            if required:
                raise EdxmlError(Message("missing element %(element)s", element=path))
            return ""
        text = self.text(self.one(element, path, *names, required=required))
        if required and not text.strip():
            raise EdxmlError(Message("missing element %(element)s", element=path))
        return text

    def optional_date(self, element, path: str, *names: str) -> date | None:
        text = self.value(element, path, *names)
        return _date(text, path) if text.strip() else None

    def optional_int(self, element, path: str, *names: str, default: int | None = 0):
        text = self.value(element, path, *names)
        return _int(text, path) if text.strip() else default

    def organization(self, element, path: str) -> Organization:
        def value(*names: str) -> str:
            return self.value(element, f"{path}/{names[0]}", *names)

        return Organization(
            organ_id=self.value(element, f"{path}/{E.ORGAN_ID}", E.ORGAN_ID, required=True),
            organ_name=value(E.ORGAN_NAME),
            organ_in_charge=value(E.ORGAN_IN_CHARGE, *E.ORGAN_IN_CHARGE_ALIASES),
            organ_add=value(E.ORGAN_ADD),
            email=value(E.EMAIL),
            telephone=value(E.TELEPHONE),
            fax=value(E.FAX),
            website=value(E.WEBSITE),
        )

    def response_for(self, element) -> ResponseFor:
        path = E.RESPONSE_FOR
        return ResponseFor(
            organ_id=self.value(element, f"{path}/{E.ORGAN_ID}", E.ORGAN_ID, required=True),
            code=self.value(element, f"{path}/{E.CODE}", E.CODE),
            promulgation_date=self.optional_date(
                element, f"{path}/{E.PROMULGATION_DATE}", E.PROMULGATION_DATE
            ),
            document_id=self.value(element, f"{path}/{E.DOCUMENT_ID}", E.DOCUMENT_ID),
        )

    def attachments(self, root, envelope) -> tuple[Attachment, ...]:
        references: dict[str, object] = {}
        body = self.one(envelope, E.BODY, E.BODY)
        manifest = self.one(body, E.MANIFEST, E.MANIFEST)
        for reference in self.children(manifest, E.REFERENCE):
            found = self.one(reference, f"{E.REFERENCE}/{E.CONTENT_ID}", E.CONTENT_ID)
            content_id = self.text(found) or reference.get("{http://www.w3.org/1999/xlink}href", "")
            references[content_id.strip().removeprefix("cid:")] = reference
        holders = self.children(envelope, E.ATTACHMENTS)
        if root is not envelope:
            holders = holders + self.children(root, E.ATTACHMENTS)
        attachments = []
        for holder in holders:
            for element in self.children(holder, E.ATTACHMENT):
                path = E.ATTACHMENT
                content_id = self.value(
                    element, f"{path}/{E.CONTENT_ID}", E.CONTENT_ID, required=True
                )
                reference = references.get(content_id.strip().removeprefix("cid:"))

                def value(name: str, element=element, reference=reference) -> str:
                    found = self.one(element, f"{E.ATTACHMENT}/{name}", name)
                    if found is None and reference is not None:
                        found = self.one(reference, f"{E.REFERENCE}/{name}", name)
                    return self.text(found)

                name = value(E.ATTACHMENT_NAME) or content_id
                encoded = self.one(element, f"{path}/{E.ENCODED}", E.ENCODED, required=True)
                attachment = Attachment(
                    content_id=content_id.strip().removeprefix("cid:"),
                    name=name,
                    content_type=value(E.CONTENT_TYPE),
                    data=_base64(self.text(encoded), name, self.max_attachment_bytes),
                    description=value(E.DESCRIPTION),
                )
                if self.unzip:
                    attachment = _unzipped(attachment, self.max_attachment_bytes)
                attachments.append(attachment)
        return tuple(attachments)

    def business(self, message_header, trace_list) -> dict:
        business = self.one(trace_list, E.BUSINESS, E.BUSINESS)
        if business is None:
            business = self.one(message_header, E.BUSINESS, E.BUSINESS)
        if business is None:
            return {}
        path = E.BUSINESS
        text = self.value(business, f"{path}/{E.BUSINESS_DOC_TYPE}", E.BUSINESS_DOC_TYPE).strip()
        kind = int(text) if _INT.fullmatch(text) else (0 if not text else None)
        if kind not in BUSINESS_TYPES:
            raise EdxmlError(Message("unknown business type %(value)s", value=text))
        ids = []
        own = self.value(business, f"{path}/{E.DOCUMENT_ID}", E.DOCUMENT_ID)
        # A new document names no other: the e-office SDKs repeat its own id here.
        if own.strip() and kind != BUSINESS_NEW:
            ids.append(own)
        replacements = self.one(business, E.REPLACEMENT_LIST, E.REPLACEMENT_LIST)
        for replacement in self.children(replacements, E.REPLACEMENT):
            path = f"{E.REPLACEMENT}/{E.DOCUMENT_ID}"
            ids.append(self.value(replacement, path, E.DOCUMENT_ID, required=True))
        info = self.one(business, E.BUSINESS_DOC_INFO, E.BUSINESS_DOC_INFO)
        changed = self.value(info, E.DOCUMENT_INFO, E.DOCUMENT_INFO)
        receivers = self.value(info, E.DOCUMENT_RECEIVER, E.DOCUMENT_RECEIVER)
        reason_path = f"{E.BUSINESS}/{E.BUSINESS_DOC_REASON}"
        return {
            "business_type": kind,
            "business_reason": self.value(business, reason_path, E.BUSINESS_DOC_REASON),
            "replaced_document_ids": tuple(ids),
            "business_info_changed": changed.strip() == "1",
            "business_receivers_changed": receivers.strip() == "1",
        }

    def document(self, root, envelope, header, message_header) -> Document:
        mh = message_header
        value, one = self.value, self.one
        sender = self.organization(one(mh, E.FROM, E.FROM, required=True), E.FROM)
        recipients = tuple(self.organization(organ, E.TO) for organ in self.children(mh, E.TO))
        if not recipients:
            raise EdxmlError(Message("missing element %(element)s", element=E.TO))
        code = one(mh, E.CODE, E.CODE, required=True)
        promulgation = one(mh, E.PROMULGATION_INFO, E.PROMULGATION_INFO, required=True)
        document_type = one(mh, E.DOCUMENT_TYPE, E.DOCUMENT_TYPE, required=True)
        signer = one(mh, E.SIGNER_INFO, E.SIGNER_INFO)
        other = one(mh, E.OTHER_INFO, E.OTHER_INFO)
        to_places = one(mh, E.TO_PLACES, E.TO_PLACES)
        appendixes = one(other, E.APPENDIXES, E.APPENDIXES)
        trace_list = one(header, E.TRACE_LIST, E.TRACE_LIST)
        priority = self.optional_int(other, f"{E.OTHER_INFO}/{E.PRIORITY}", E.PRIORITY)
        if not 0 <= priority <= 4:
            raise EdxmlError(Message("unknown priority %(value)s", value=priority))
        organ_path, time_path = f"{E.TRACE}/{E.ORGAN_ID}", f"{E.TRACE}/{E.TIMESTAMP}"
        traces = tuple(
            Trace(
                organ_id=value(trace, organ_path, E.ORGAN_ID, required=True),
                timestamp=_time(value(trace, time_path, E.TIMESTAMP, required=True), time_path),
            )
            for trace in self.children(trace_list, E.TRACE)
        )
        promulgation_date = _date(
            value(promulgation, E.PROMULGATION_DATE, E.PROMULGATION_DATE, required=True),
            E.PROMULGATION_DATE,
        )
        type_path = f"{E.DOCUMENT_TYPE}/{E.TYPE}"
        return Document(
            sender=sender,
            recipients=recipients,
            document_id=value(mh, E.DOCUMENT_ID, E.DOCUMENT_ID, required=True),
            code_number=value(code, E.CODE_NUMBER, E.CODE_NUMBER),
            code_notation=value(code, E.CODE_NOTATION, E.CODE_NOTATION),
            place=value(promulgation, E.PLACE, E.PLACE),
            promulgation_date=promulgation_date,
            type_code=_int(value(document_type, type_path, E.TYPE, required=True), type_path),
            type_name=value(document_type, E.TYPE_NAME, E.TYPE_NAME),
            subject=value(mh, E.SUBJECT, E.SUBJECT, required=True),
            content=value(mh, E.CONTENT, E.CONTENT),
            signer_competence=value(signer, E.COMPETENCE, E.COMPETENCE),
            signer_position=value(signer, E.POSITION, E.POSITION),
            signer_name=value(signer, E.FULL_NAME, E.FULL_NAME),
            due_date=self.optional_date(mh, E.DUE_DATE, E.DUE_DATE),
            priority=priority,
            to_places=tuple(self.text(place) for place in self.children(to_places, E.PLACE)),
            steering_type=self.optional_int(mh, E.STEERING_TYPE, E.STEERING_TYPE, default=None),
            response_for=tuple(
                self.response_for(element) for element in self.children(mh, E.RESPONSE_FOR)
            ),
            traces=traces,
            attachments=self.attachments(root, envelope),
            sphere_of_promulgation=value(other, E.SPHERE, E.SPHERE),
            typer_notation=value(other, E.TYPER_NOTATION, E.TYPER_NOTATION),
            promulgation_amount=self.optional_int(
                other, E.PROMULGATION_AMOUNT, E.PROMULGATION_AMOUNT
            ),
            page_amount=self.optional_int(other, E.PAGE_AMOUNT, E.PAGE_AMOUNT),
            appendixes=tuple(self.text(item) for item in self.children(appendixes, E.APPENDIX)),
            **self.business(mh, trace_list),
        )

    def status(self, element) -> Status:
        path = E.STATUS
        value = self.value
        answered = self.response_for(
            self.one(element, E.RESPONSE_FOR, E.RESPONSE_FOR, required=True)
        )
        if not answered.document_id.strip():
            raise EdxmlError(
                Message("missing element %(element)s", element=f"{E.RESPONSE_FOR}/{E.DOCUMENT_ID}")
            )
        staff = self.one(element, E.STAFF_INFO, E.STAFF_INFO)
        code = value(element, f"{path}/{E.STATUS_CODE}", E.STATUS_CODE, required=True).strip()
        if code.isascii() and code.isdigit() and len(code) == 1:
            code = "0" + code  # some senders write 1 for 01
        if code not in STATUS_CODES:
            raise EdxmlError(Message("unknown status code %(code)s", code=code))
        timestamp = value(element, f"{path}/{E.TIMESTAMP}", E.TIMESTAMP, required=True)
        return Status(
            sender=self.organization(self.one(element, E.FROM, E.FROM, required=True), E.FROM),
            recipient_organ_id=answered.organ_id,
            document_id=answered.document_id,
            code=answered.code,
            promulgation_date=answered.promulgation_date,
            status_code=code,
            timestamp=_time(timestamp, f"{path}/{E.TIMESTAMP}"),
            description=value(element, f"{path}/{E.DESCRIPTION}", E.DESCRIPTION),
            staff_department=value(staff, E.DEPARTMENT, E.DEPARTMENT),
            staff_name=value(staff, E.STAFF, E.STAFF),
            staff_mobile=value(staff, E.MOBILE, E.MOBILE),
            staff_email=value(staff, E.EMAIL, E.EMAIL),
            staff_department_id=value(staff, E.DEPARTMENT_ID, E.DEPARTMENT_ID),
            staff_id=value(staff, E.STAFF_ID, E.STAFF_ID),
        )

    def envelope(self, root):
        """The envelope and header of a package whose root is ``root``."""
        if root.tag == f"{_NS_TAG}{E.ENVELOPE}":
            envelope = root
        elif root.tag == f"{_NS_TAG}{E.WRAPPER}":
            envelope = self.one(root, E.ENVELOPE, E.ENVELOPE)
            if envelope is None:
                raise EdxmlError(Message("the package is not an edXML envelope"))
        else:
            raise EdxmlError(Message("the package is not an edXML envelope"))
        return envelope, self.one(envelope, E.HEADER, E.HEADER, required=True)

    def package(self, root, envelope, header) -> Document | Status:
        message_header = self.one(header, E.MESSAGE_HEADER, E.MESSAGE_HEADER)
        status = self.one(header, E.STATUS, E.STATUS, *E.STATUS_ALIASES)
        if (
            status is None
            and message_header is not None
            and self.children(message_header, E.STATUS_CODE)
            and not self.children(message_header, E.TO)
        ):
            # The e-office SDKs write a status as a MessageHeader holding StatusCode.
            message_header, status = None, message_header
        if (message_header is None) == (status is None):
            raise EdxmlError(
                Message("the package header must hold either a MessageHeader or a Status")
            )
        if status is not None:
            return self.status(status)
        return self.document(root, envelope, header, message_header)


def parse(
    xml: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    unzip: bool = True,
) -> Document | Status:
    """Read a package strictly, without checking its signature (see :func:`verify`).

    With ``unzip``, attachments the sender zipped are unpacked (see :func:`_unzipped`).
    """
    root = _parse_tree(_as_bytes(xml), max_bytes).getroot()
    reader = _Reader(max_attachment_bytes, unzip=unzip)
    return reader.package(root, *reader.envelope(root))


# --------------------------------------------------------------------------------------------
# Canonicalisation with long texts set aside

_DS_SIGNATURE = f"{{{DS_NS}}}Signature"
_LONG_TEXT = 512


def _canonical_text(text: str) -> bytes:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#xD;")
    return text.encode()


def _canonical(
    tree, *, exclusive: bool = False, prefixes=None, mark=None, restore: bool = True
) -> tuple[list[bytes], int, list[tuple[etree._Element, str]]]:
    """The canonical form of ``tree`` without comments, as chunks, the index of the chunk
    that starts at the end of ``mark``'s content (where a signature goes), and the long texts.

    Long texts are swapped for a random token while libxml2 canonicalises the rest, then
    escaped here: the same bytes, without libxml2's slow per-character text escaping. Putting
    a 1.4 MB text back into the tree costs more than the rest (lxml checks every character):
    with ``restore=False`` the long texts are returned instead and the tree keeps the token.
    """
    token = secrets.token_hex(16)
    swapped = []
    for element in tree.getroot().iter(etree.Element):
        text = element.text
        if text is not None and len(text) >= _LONG_TEXT:
            swapped.append((element, text))
            element.text = token
    mark_token = secrets.token_hex(16) if mark is not None else ""
    if mark is not None:
        holder = mark[-1] if len(mark) else None
        marked = holder.tail if holder is not None else mark.text
        if holder is not None:
            holder.tail = (marked or "") + mark_token
        else:
            mark.text = (marked or "") + mark_token
    try:
        small = etree.tostring(
            tree,
            method="c14n",
            exclusive=exclusive,
            with_comments=False,
            inclusive_ns_prefixes=prefixes or None,
        )
    except (etree.C14NError, ValueError, TypeError):
        small = None
    finally:
        if mark is not None:
            if holder is not None:
                holder.tail = marked
            else:
                mark.text = marked
        if restore:
            for element, text in swapped:
                element.text = text
    pieces = small.split(token.encode()) if small is not None else ()
    if len(pieces) != len(swapped) + 1:
        raise EdxmlError(Message("the package cannot be canonicalized for its signature"))
    chunks = [pieces[0]]
    for (_element, text), piece in zip(swapped, pieces[1:], strict=True):
        chunks.append(_canonical_text(text))
        chunks.append(piece)
    insert_at = len(chunks)
    if mark is not None:
        needle = mark_token.encode()
        for index in range(0, len(chunks), 2):
            found = chunks[index].find(needle)
            if found >= 0:
                chunk = chunks[index]
                chunks[index : index + 1] = [chunk[:found], chunk[found + len(needle) :]]
                insert_at = index + 1
                break
        else:
            raise EdxmlError(Message("the package cannot be canonicalized for its signature"))
    return chunks, insert_at, swapped


# --------------------------------------------------------------------------------------------
# Verification

_DS = f"{{{DS_NS}}}"
_EXC_NS = "{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces"
_MAX_CERTIFICATES = 16


def _ds_one(element, name: str):
    found = element.findall(_DS + name)
    if len(found) != 1:
        raise EdxmlError(Message("missing element %(element)s", element=f"Signature/{name}"))
    return found[0]


def _algorithm(element, known: dict) -> str:
    algorithm = element.get("Algorithm") or ""
    if algorithm not in known:
        raise EdxmlError(
            Message(
                "the package signature uses an unsupported algorithm %(algorithm)s",
                algorithm=algorithm,
            )
        )
    return algorithm


def _prefixes(element) -> list[str] | None:
    inclusive = element.find(_EXC_NS)
    if inclusive is None:
        return None
    return (inclusive.get("PrefixList") or "").split() or None


def _signature_bytes(element, name: str) -> bytes:
    try:
        text = "".join([element.text or "", *(child.tail or "" for child in element)])
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise EdxmlError(Message("%(element)s is not valid base64", element=name)) from None


@lru_cache(maxsize=256)
def _load_certificate(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def _certificates(signature) -> list[x509.Certificate]:
    found = []
    key_info = signature.find(_DS + "KeyInfo")
    for data in key_info.findall(_DS + "X509Data") if key_info is not None else ():
        for element in data.findall(_DS + "X509Certificate"):
            der = _signature_bytes(element, "X509Certificate")
            try:
                found.append(_load_certificate(der))
            except CERTIFICATE_ERRORS:
                raise EdxmlError(
                    Message("the certificate in the package signature cannot be read")
                ) from None
            if len(found) == _MAX_CERTIFICATES:
                return found
    if not found:
        raise EdxmlError(Message("the package signature carries no certificate"))
    return found


def _signature_valid(certificate: x509.Certificate, method: str, data: bytes, value: bytes) -> bool:
    kind, hash_class = _SIGNATURE_METHODS[method]
    try:
        key = certificate.public_key()
        if kind == "rsa":
            if not isinstance(key, rsa.RSAPublicKey):
                return False
            key.verify(value, data, padding.PKCS1v15(), hash_class())
        else:
            if not isinstance(key, ec.EllipticCurvePublicKey):
                return False
            size = (key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                return False
            r, s = int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hash_class()))
    except (InvalidSignature, *CERTIFICATE_ERRORS):
        return False
    return True


def _detach(element) -> None:
    """Remove ``element`` as the enveloped-signature transform does: its tail stays."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _the_signature(root, envelope, header):
    signatures = list(root.iter(_DS_SIGNATURE))
    if not signatures:
        raise EdxmlError(Message("the package has no signature"))
    if len(signatures) > 1:
        raise EdxmlError(Message("the package has more than one signature"))
    signature = signatures[0]
    if signature.getparent() not in (header, envelope, root):
        raise EdxmlError(Message("the package signature is not in the package header"))
    return signature


def _check_signature(tree, signature, at, trust_roots, crls, intermediates=()) -> dict:
    signed_info = _ds_one(signature, "SignedInfo")
    c14n_method = _ds_one(signed_info, "CanonicalizationMethod")
    c14n = _algorithm(c14n_method, _C14N)
    method = _algorithm(_ds_one(signed_info, "SignatureMethod"), _SIGNATURE_METHODS)
    references = signed_info.findall(_DS + "Reference")
    if len(references) != 1 or references[0].get("URI") != "":
        raise EdxmlError(
            Message('the package signature must sign the whole package (Reference URI="")')
        )
    reference = references[0]
    transforms = reference.findall(_DS + "Transforms")
    steps = transforms[0].findall(_DS + "Transform") if len(transforms) == 1 else []
    algorithms = [step.get("Algorithm") or "" for step in steps]
    if not algorithms or algorithms[0] != _ENVELOPED or len(algorithms) > 2:
        raise EdxmlError(
            Message("the package signature must be an enveloped signature of the whole package")
        )
    exclusive, prefixes = False, None
    if len(algorithms) == 2:
        exclusive = _C14N[_algorithm(steps[1], _C14N)][0]
        prefixes = _prefixes(steps[1]) if exclusive else None
    digest_name = _DIGESTS[_algorithm(_ds_one(reference, "DigestMethod"), _DIGESTS)]
    expected = _signature_bytes(_ds_one(reference, "DigestValue"), "DigestValue")
    value = _signature_bytes(_ds_one(signature, "SignatureValue"), "SignatureValue")
    certificates = _certificates(signature)

    # lxml canonicalises an element that is not a root by copying it into a new document,
    # which here writes xmlns="" on the children of SignedInfo (the default namespace is
    # declared on Signature): serialise it with every namespace in scope, parse that and
    # canonicalise it as a whole document instead.
    si_exclusive, si_comments = _C14N[c14n]
    try:
        standalone = etree.fromstring(etree.tostring(signed_info), _parser()).getroottree()
        signed_bytes = etree.tostring(
            standalone,
            method="c14n",
            exclusive=si_exclusive,
            with_comments=si_comments,
            inclusive_ns_prefixes=(_prefixes(c14n_method) if si_exclusive else None),
        )
    except (etree.LxmlError, ValueError, TypeError):
        raise EdxmlError(Message("the package cannot be canonicalized for its signature")) from None

    _detach(signature)
    chunks, _, swapped = _canonical(tree, exclusive=exclusive, prefixes=prefixes, restore=False)
    # Attachment texts stay out of the tree (see _canonical); the reader takes them from here.
    texts = {}
    encoded = _tags((E.ENCODED,))
    for element, text in swapped:
        if element.tag in encoded:
            texts[element] = text
        else:
            element.text = text
    digest = hashlib.new(digest_name)
    for chunk in chunks:
        digest.update(chunk)
    if not hmac.compare_digest(digest.digest(), expected):
        raise EdxmlError(Message("the package signature does not match its content"))

    signer = next(
        (
            certificate
            for certificate in certificates
            if _signature_valid(certificate, method, signed_bytes, value)
        ),
        None,
    )
    if signer is None:
        raise EdxmlError(Message("the package signature value is not correct"))
    roots = tuple(trust_roots)
    others = tuple(certificate for certificate in certificates if certificate is not signer)
    pool = others + tuple(c for c in intermediates if c not in others and c != signer)
    try:
        path = validate_certificate(signer, at=at, crls=crls, trust_roots=roots, intermediates=pool)
    except SigningError as error:
        raise EdxmlError(error.args[0]) from None
    if path is None:
        raise EdxmlError(
            Message("the certificate of %(name)s is not trusted", name=common_name(signer))
        )
    chain = path if roots else others
    return texts, {
        "certificate": signer,
        "chain": chain,
        "trusted": bool(roots),
        "weak": digest_name == "sha1" or _SIGNATURE_METHODS[method][1] is hashes.SHA1,
        "digest_algorithm": digest_name,
        "signature_algorithm": method.rsplit("#", 1)[-1],
    }


def verify(
    xml: bytes,
    *,
    trust_roots: Iterable[x509.Certificate] = (),
    at: datetime | None = None,
    crls: Iterable[x509.CertificateRevocationList] = (),
    max_bytes: int = MAX_BYTES,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    intermediates: Iterable[x509.Certificate] = (),
    allow_sha1: bool = ALLOW_SHA1,
    unzip: bool = True,
) -> Verified:
    """Check the package's signature and certificate, then read it as :func:`parse` does.

    The certificate must have been valid at ``at`` (default now; a naive time is UTC), not
    be revoked by one of ``crls`` and, when ``trust_roots`` are given, chain up to one of
    them.

    Chain building: from the signing certificate, each next link is a CA certificate whose
    subject is the current certificate's issuer and whose key verifies its signature, taken
    from the certificates in the package's KeyInfo or from ``intermediates`` — a store of
    known intermediate CAs (a partner's SDK may carry only the signer's certificate). They
    are NOT trust anchors: the path must still end at one of ``trust_roots`` (reached when
    the current certificate is an anchor or is issued by one), each intermediate valid at
    ``at``, at most a few links long. Without ``trust_roots`` nothing is chained (the
    certificate is checked alone; ``Verified.trusted`` is False).

    SHA-1 (digest or signature method) is accepted and flagged ``weak`` while ``allow_sha1``
    is true (default :data:`ALLOW_SHA1`: the public samples of the standard and older SDKs
    sign with RSA-SHA1); with ``allow_sha1=False`` such a package is refused.
    """
    data = _as_bytes(xml)
    tree = _parse_tree(data, max_bytes)
    root = tree.getroot()
    reader = _Reader(max_attachment_bytes, unzip=unzip)
    envelope, header = reader.envelope(root)
    signature = _the_signature(root, envelope, header)
    at = at or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        texts, found = _check_signature(
            tree, signature, at, trust_roots, crls, tuple(intermediates)
        )
    except EdxmlError:
        raise
    except CERTIFICATE_ERRORS:
        raise EdxmlError(
            Message("the certificate in the package signature cannot be read")
        ) from None
    if found["weak"] and not allow_sha1:
        raise EdxmlError(
            Message("the package is signed with SHA-1, which this system no longer accepts")
        )
    reader.texts = texts
    package = reader.package(root, envelope, header)
    is_status = isinstance(package, Status)
    return Verified(
        kind="status" if is_status else "document",
        document=None if is_status else package,
        status=package if is_status else None,
        sha256=package_sha256(data),
        **found,
    )


@dataclass(frozen=True)
class SignatureInfo:
    """What a package's signature claims, read without checking it (for a report when
    :func:`verify` refuses the package): its algorithms and the first certificate's name."""

    digest_algorithm: str
    signature_algorithm: str
    weak: bool
    signer_name: str


def signature_info(xml: bytes, *, max_bytes: int = MAX_BYTES) -> SignatureInfo | None:
    """The claims of the package's first ``ds:Signature``, or None when it has none."""
    root = _parse_tree(_as_bytes(xml), max_bytes).getroot()
    signature = next(root.iter(_DS_SIGNATURE), None)
    if signature is None:
        return None
    digest = signature.find(f"{_DS}SignedInfo/{_DS}Reference/{_DS}DigestMethod")
    method = signature.find(f"{_DS}SignedInfo/{_DS}SignatureMethod")
    digest_uri = digest.get("Algorithm", "") if digest is not None else ""
    method_uri = method.get("Algorithm", "") if method is not None else ""
    digest_name = _DIGESTS.get(digest_uri, digest_uri.rsplit("#", 1)[-1])
    known = _SIGNATURE_METHODS.get(method_uri)
    name = ""
    try:
        certificates = _certificates(signature)
        name = common_name(certificates[0]) if certificates else ""
    except (EdxmlError, *CERTIFICATE_ERRORS):
        pass
    return SignatureInfo(
        digest_algorithm=digest_name,
        signature_algorithm=method_uri.rsplit("#", 1)[-1],
        weak=digest_name == "sha1" or (known is not None and known[1] is hashes.SHA1),
        signer_name=name,
    )
