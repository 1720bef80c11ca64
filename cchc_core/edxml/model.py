"""The edXML package as data: constants of QCVN 102:2016, element names, the document and
status dataclasses, what verification returns, and the error every refusal raises."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Literal

from cryptography import x509

from cchc_core.pki import (
    common_name,
)

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


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def package_sha256(xml: bytes) -> str:
    """SHA-256 of the package bytes, hex: the fingerprint to log and to find duplicates by."""
    return hashlib.sha256(xml).hexdigest()


@dataclass(frozen=True)
class SignatureInfo:
    """What a package's signature claims, read without checking it (for a report when
    :func:`verify` refuses the package): its algorithms and the first certificate's name."""

    digest_algorithm: str
    signature_algorithm: str
    weak: bool
    signer_name: str


DS_SIGNATURE = f"{{{DS_NS}}}Signature"
