"""Reading packages strictly and safely (see the Safety paragraph of :mod:`cchc_core.edxml`)."""

from __future__ import annotations

import binascii
import io
import mimetypes
import re
import threading
import zipfile
from datetime import date, datetime
from functools import cache

from lxml import etree

from cchc_core.edxml.model import (
    BUSINESS_NEW,
    BUSINESS_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_BYTES,
    NS,
    STATUS_CODES,
    VN_TZ,
    Attachment,
    Document,
    E,
    EdxmlError,
    Organization,
    ResponseFor,
    Status,
    Trace,
    megabytes,
)
from cchc_core.messages import Message

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_comments": False,
}
_PARSERS = threading.local()


def parser(huge: bool = False) -> etree.XMLParser:
    """This thread's parser: lxml serialises the threads that share a parser."""
    name = "huge" if huge else "safe"
    parser = getattr(_PARSERS, name, None)
    if parser is None:
        parser = etree.XMLParser(huge_tree=huge, **_PARSER_OPTIONS)
        setattr(_PARSERS, name, parser)
    return parser


_UTF8_DECL = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def as_bytes(xml) -> bytes:
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


def parse_tree(xml: bytes, max_bytes: int) -> etree._ElementTree:
    if not xml or xml.isspace():
        raise EdxmlError(Message("the package is empty"))
    if len(xml) > max_bytes:
        raise EdxmlError(Message("the package is larger than %(mb)s MB", mb=megabytes(max_bytes)))
    if _doctype_in_prolog(xml):
        raise EdxmlError(Message("the package declares a DTD or entities, which are refused"))
    try:
        try:
            root = etree.fromstring(xml, parser())
        except etree.XMLSyntaxError as error:
            if "text node" not in str(error).lower() or not _may_parse_huge(xml):
                raise
            root = etree.fromstring(xml, parser(huge=True))
    except (etree.LxmlError, ValueError, LookupError) as error:
        raise EdxmlError(
            Message("the package is not well-formed XML: %(error)s", error=str(error))
        ) from None
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.system_url or info.public_id:
        raise EdxmlError(Message("the package declares a DTD or entities, which are refused"))
    return tree


_DATE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})")
_TIME = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_INT = re.compile(r"[+-]?[0-9]{1,9}")
_BASE64_WHITESPACE = b" \t\r\n"


_NS_TAG = f"{{{NS}}}"


@cache
def tags(names: tuple[str, ...]) -> frozenset[str]:
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
                    "attachment %(name)s is larger than %(mb)s MB",
                    name=name,
                    mb=megabytes(max_bytes),
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
            Message(
                "attachment %(name)s is larger than %(mb)s MB", name=name, mb=megabytes(max_bytes)
            )
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
                mb=megabytes(max_bytes),
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


class Reader:
    """Reads one package. The children of an element are indexed by local name once (lxml
    makes a Python object for every child it iterates over); ``texts`` holds the long texts
    :func:`canonical` kept out of the tree."""

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
    root = parse_tree(as_bytes(xml), max_bytes).getroot()
    reader = Reader(max_attachment_bytes, unzip=unzip)
    return reader.package(root, *reader.envelope(root))
