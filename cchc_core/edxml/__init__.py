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
whose message is a translatable :class:`~cchc_core.messages.Message`.

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

Layout: :mod:`~cchc_core.edxml.model` (constants, element names :class:`E`, the dataclasses,
:class:`EdxmlError`), :mod:`~cchc_core.edxml.c14n` (C14N escaping and canonicalisation),
:mod:`~cchc_core.edxml.writer` (unsigned packages), :mod:`~cchc_core.edxml.signing` (signed
ones), :mod:`~cchc_core.edxml.reader` (:func:`parse`), :mod:`~cchc_core.edxml.verifier`
(:func:`verify`; the certificate checks are :func:`cchc_core.pki.validate_certificate`).
Everything public is importable from ``cchc_core.edxml`` itself. The modules are not named
``parse``/``sign``/``verify``: a submodule of that name would be hidden by the function.
"""

from cchc_core.edxml.model import (
    ALLOW_SHA1,
    BUSINESS_NEW,
    BUSINESS_REPLACEMENT,
    BUSINESS_REVOCATION,
    BUSINESS_TYPES,
    BUSINESS_UPDATE,
    DS_NS,
    MAX_ATTACHMENT_BYTES,
    MAX_BYTES,
    NS,
    PREFIX,
    STATUS_CODES,
    STATUS_HEADERS,
    STATUS_REFUSED,
    VN_TZ,
    Attachment,
    Document,
    E,
    EdxmlError,
    Organization,
    ResponseFor,
    SignatureInfo,
    Status,
    Trace,
    Verified,
    package_sha256,
)
from cchc_core.edxml.reader import MAX_ZIP_RATIO, parse
from cchc_core.edxml.signing import sign, sign_document, sign_status
from cchc_core.edxml.verifier import signature_info, verify
from cchc_core.edxml.writer import build_document, build_status

__all__ = [
    "DS_NS",
    "PREFIX",
    "STATUS_REFUSED",
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
