"""Writing unsigned packages, directly in canonical form (see :mod:`cchc_core.edxml`)."""

from __future__ import annotations

import binascii
from datetime import date, datetime

from cchc_core.edxml.c14n import xml_text
from cchc_core.edxml.model import (
    BUSINESS_NEW,
    BUSINESS_REPLACEMENT,
    BUSINESS_REVOCATION,
    BUSINESS_TYPES,
    BUSINESS_UPDATE,
    NS,
    PREFIX,
    STATUS_CODES,
    STATUS_HEADERS,
    STATUS_REFUSED,
    VN_TZ,
    Document,
    E,
    EdxmlError,
    Organization,
    Status,
)
from cchc_core.messages import Message

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


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
        text = xml_text(value, element or name)
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


def _write_response_for(
    out: _Writer,
    organ_id: str,
    code: str,
    promulgation_date: date | None,
    document_id: str,
    *,
    document_id_required: bool = False,
) -> None:
    """The ResponseFor element: the document answered (a status always names it)."""
    out.open(E.RESPONSE_FOR)
    element = f"{E.RESPONSE_FOR}/{E.ORGAN_ID}"
    out.leaf(E.ORGAN_ID, _required(organ_id, element), element)
    out.leaf(E.CODE, code, f"{E.RESPONSE_FOR}/{E.CODE}")
    if promulgation_date is not None:
        element = f"{E.RESPONSE_FOR}/{E.PROMULGATION_DATE}"
        out.leaf(E.PROMULGATION_DATE, _date_text(promulgation_date, element))
    element = f"{E.RESPONSE_FOR}/{E.DOCUMENT_ID}"
    if document_id_required:
        document_id = _required(document_id, element)
    out.leaf(E.DOCUMENT_ID, document_id, element)
    out.close(E.RESPONSE_FOR)


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


def render_document(doc: Document) -> tuple[bytes, list[bytes]]:
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
        _write_response_for(
            out,
            answered.organ_id,
            answered.code,
            answered.promulgation_date,
            answered.document_id,
        )
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


def render_status(status: Status, header: str = E.MESSAGE_HEADER) -> tuple[bytes, list[bytes]]:
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
    _write_response_for(
        out,
        status.recipient_organ_id,
        status.code,
        status.promulgation_date,
        status.document_id,
        document_id_required=True,
    )
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
    head, tail = render_document(doc)
    return b"".join([XML_DECLARATION, head, *tail])


def build_status(status: Status, *, header: str = E.MESSAGE_HEADER) -> bytes:
    """The unsigned status package; ``header`` is the element holding it (see
    :data:`STATUS_HEADERS`)."""
    head, tail = render_status(status, header)
    return b"".join([XML_DECLARATION, head, *tail])
