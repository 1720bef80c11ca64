"""Fast verification: the same checks as pyHanko's, for the documents this package makes
(signature fields added in incremental revisions, RSA, SHA-256, no DocMDP, with or without a
signature time-stamp token), done without its slow parts. Anything else, and any signature or
token that is not sound, goes to :func:`cchc_core.pades.verify._verify_full`: the fast path only
ever confirms a document that the full path also confirms; it never condemns one. Trust (of the
signer and of the time-stamping authority) is certvalidator's own verdict, reached as the full
path reaches it (:func:`_chains`) and reported as the full path reports it.

The PDF is read by :class:`~cchc_core.pades.lite_pdf.LiteReader`, which reads the objects
below exactly as pyHanko's reader would, or falls back (its docstring gives the argument); the
checks here are those pyHanko makes, stated on the values read.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import process_data_at_eof
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cchc_core.pades.cms import (
    _asn1_cert_der,
    _crypto_cert,
    _crypto_crl,
    _der_length,
    _dump,
    _run,
)
from cchc_core.pades.lite_pdf import NULL, LiteReader, Name, Ref, Stream, String, _Fallback, _need
from cchc_core.pades.pdf_io import _remember_readable
from cchc_core.pades.verify import _BYTE_RANGE, SignatureReport, _report

_INFO_BEFORE = re.compile(rb"/Info[\s\x00]*\Z")
_FAST_SUBFILTERS = ("/ETSI.CAdES.detached", "/adbe.pkcs7.detached")
_FAST_ATTRIBUTES = {"content_type", "message_digest", "signing_certificate_v2"}
_FAST_MECHANISMS = ("rsassa_pkcs1v15", "sha256_rsa")
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
# What a signature time-stamp token may hold for the fast path (:func:`_check_token`).
_TOKEN_ATTRIBUTES = {
    "content_type",
    "message_digest",
    "signing_time",
    "signing_certificate",
    "signing_certificate_v2",
    "cms_algorithm_protection",
}
# What the report reads of a signature dictionary (verify._report).
_REPORTED_KEYS = ("/Reason", "/Location", "/Name")
# Cached chain verdicts stay valid while the time stays between the same certificate and CRL
# dates; this margin exceeds certvalidator's time tolerance (1 s) around each of them.
_TIME_MARGIN = timedelta(seconds=5)

__all__ = ["_Fallback", "_need", "_verify_fast"]


def _ref(value) -> Ref:
    _need(isinstance(value, Ref))
    return value


@dataclass
class _FastEmbedded:
    """What :func:`_report` reads of pyHanko's ``EmbeddedPdfSignature``."""

    field_name: str
    sig_object: generic.DictionaryObject
    self_reported_timestamp: datetime | None


@dataclass
class _FastTimestamp:
    """What :func:`_report` and :func:`_judge` read of pyHanko's ``TimestampSignatureStatus``
    (``timestamp_validity``): a token found sound (else the full path), its TSA's chain verdict.
    """

    timestamp: datetime
    signing_cert: asn1_x509.Certificate
    trust_problem_indic: object
    validation_path: object
    revocation_details: object
    intact: bool = True
    valid: bool = True

    @property
    def trusted(self) -> bool:
        return (
            self.valid
            and self.intact
            and self.trust_problem_indic is None
            and self.validation_path is not None
        )


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
    timestamp_validity: _FastTimestamp | None = None

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
    name: generic.TextStringObject
    field_ref: Ref
    sig_object: generic.DictionaryObject  # what the report reads of it
    byte_range: tuple[int, int, int, int]
    revision: int
    contents: bytes  # the CMS, as pyHanko reads /Contents
    claimed: datetime | None  # /M


def _byte_ranges(data: bytes) -> set[tuple[int, int, int, int]]:
    """Every ``/ByteRange`` written anywhere in the file (any revision, any object)."""
    ranges = set()
    for match in _BYTE_RANGE.finditer(data):
        key = tuple(int(v) for v in match.groups())
        _need(key not in ranges)
        ranges.add(key)
    _need(ranges)
    return ranges


def _text(value):
    """pyHanko's value of a direct string (``pdf_string`` of its bytes)."""
    _need(isinstance(value, String))
    return value.text()


def _signature_fields(doc: LiteReader, data: bytes) -> list[_FastSig]:
    """The filled signature fields, as pyHanko's ``enumerate_sig_fields(filled_status=True)``
    lists them, each tied to exactly one ``/ByteRange`` of the file.

    pyHanko reads ``root['/AcroForm']['/Fields']`` and, for each field with a /T, yields it if
    its /FT (inherited) is /Sig and its /V is truthy, then descends into /Kids. Here /Fields is
    a direct array of references to dictionaries with a direct string /T, without /Kids or
    /Parent (so nothing is inherited nor nested): the same fields in the same order.
    """
    root = doc.get(_ref(doc.trailer("/Root", doc.revisions - 1)))
    _need(isinstance(root, dict) and "/AcroForm" in root)
    form = doc.resolve(root["/AcroForm"])
    _need(isinstance(form, dict))
    field_refs = form.get("/Fields")
    _need(isinstance(field_refs, list))
    ranges = _byte_ranges(data)
    found: list[_FastSig] = []
    for field_ref in field_refs:
        field_obj = doc.get(_ref(field_ref))
        _need(isinstance(field_obj, dict))
        # Seed values, field locks, field hierarchies: the full path.
        _need(not any(k in field_obj for k in ("/Lock", "/SV", "/Kids", "/Parent")))
        name = _text(field_obj.get("/T"))
        field_type = field_obj.get("/FT")
        _need(field_type is None or isinstance(field_type, Name))
        if field_type != "/Sig" or field_obj.get("/V", NULL) is NULL:
            continue  # not a filled signature field: pyHanko skips it too
        _need(isinstance(name, generic.TextStringObject))
        sig_ref = _ref(field_obj["/V"])
        sig = doc.get(sig_ref)
        _need(isinstance(sig, dict))  # not a stream either
        _need(sig.get("/Type", "/Sig") == "/Sig" and "/Reference" not in sig)  # no DocMDP
        _need(sig.get("/SubFilter") in _FAST_SUBFILTERS)
        byte_range = sig.get("/ByteRange")
        _need(isinstance(byte_range, list) and len(byte_range) == 4)
        _need(all(type(v) is int for v in byte_range))
        key = tuple(byte_range)
        _need(key in ranges)
        start1, len1, start2, len2 = key
        _need(start1 == 0 and len1 < start2 and start2 + len2 <= len(data))
        # The gap is exactly this dictionary's /Contents: the hex string read from the file
        # spans it, so the CMS read below is the one pyHanko reads from /Contents.
        contents = sig.get("/Contents")
        _need(isinstance(contents, String) and (contents.start, contents.end) == (len1, start2))
        reported = generic.DictionaryObject()
        for k in _REPORTED_KEYS:
            if k in sig:
                reported[generic.NameObject(k)] = _text(sig[k])
        claimed = generic.parse_pdf_date(_text(sig["/M"])) if "/M" in sig else None
        revision = doc.last_change(sig_ref)
        found.append(_FastSig(name, field_ref, reported, key, revision, contents, claimed))
    _need(len(found) == len(ranges))
    _need(len({s.byte_range for s in found}) == len(found))
    _need(len({s.name for s in found}) == len(found))
    found.sort(key=lambda s: s.revision)  # pyHanko's order
    _need(len({s.revision for s in found}) == len(found))
    return found


@dataclass(frozen=True)
class _CmsTemplate:
    """A CMS :func:`_read_cms` accepted, with the places of its two per-document parts.

    A signer's CMS differs from one document to the next only by the contents of two OCTET
    STRINGs of fixed length: the message digest (32 bytes) and the RSA signature (the key's
    length). Another CMS with the same bytes everywhere else has the same DER structure and
    the same values, so every check of :func:`_read_cms` gives the same result on it except
    the two that read those contents: the digest comparison and the signature verification,
    which :func:`_check_cms` makes again on its bytes. Each place was found as the only
    occurrence of the value in the CMS, so it is where the value is.
    """

    data: bytes
    digest_at: int
    signature_at: int
    signature_len: int
    attrs_at: int  # the content of the signed attributes (which holds the digest)
    attrs_len: int
    public: rsa.RSAPublicKey
    signer: asn1_x509.Certificate
    others: tuple

    def matches(self, data: bytes) -> bool:
        (a, a_len), (b, b_len) = sorted(
            ((self.digest_at, 32), (self.signature_at, self.signature_len))
        )
        old = self.data
        return (
            len(data) == len(old)
            and data[:a] == old[:a]
            and data[a + a_len : b] == old[a + a_len : b]
            and data[b + b_len :] == old[b + b_len :]
        )


_SIGNED_DATA_OID = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
_TIME_STAMP_TOKEN_OID = bytes.fromhex("2a864886f70d010910020e")  # 1.2.840.113549.1.9.16.2.14


def _tlv(data: bytes, at: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``at``, within ``end``:
    a one-byte tag and a definite length in its shortest form, else :class:`_Fallback`."""
    _need(at + 2 <= end)
    tag, first = data[at], data[at + 1]
    _need(tag & 0x1F != 0x1F)
    if first < 0x80:
        start, length = at + 2, first
    else:
        size = first & 0x7F
        _need(1 <= size <= 3 and at + 2 + size <= end)
        length = int.from_bytes(data[at + 2 : at + 2 + size], "big")
        _need(length >= 0x80 and data[at + 2] != 0)
        start = at + 2 + size
    _need(start + length <= end)
    return tag, start, start + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """The elements (tag, at, content start, content end) filling ``data[start:end]``."""
    found, at = [], start
    while at < end:
        tag, content, after = _tlv(data, at, end)
        found.append((tag, at, content, after))
        at = after
    return found


def _stamped_spine(data: bytes) -> tuple[bytes, int, bytes] | None:
    """A CMS whose only unsigned attribute is one time-stamp token, cut along its spine:
    (the SignedData's elements before its SignerInfos, then the SignerInfo's before its
    unsigned attributes, joined; where the first part ends; the token's bytes), or ``None``.

    Everything else of the CMS is headers whose lengths follow from these parts (each element
    checked to fill its parent exactly) and zero padding: two CMSs with the same parts read
    the same, and a CMS whose parts are a known one's but for the digest, the signature and the
    token reads as that one but for those (:class:`_CmsTemplate`).
    """
    try:
        tag, start, end = _tlv(data, 0, len(data))
        _need(tag == 0x30 and not any(data[end:]))
        (oid, explicit) = _children(data, start, end)
        _need(oid[0] == 0x06 and data[oid[2] : oid[3]] == _SIGNED_DATA_OID)
        _need(explicit[0] == 0xA0)
        [signed_data] = _children(data, explicit[2], explicit[3])
        _need(signed_data[0] == 0x30)
        parts = _children(data, signed_data[2], signed_data[3])
        _need(parts[-1][0] == 0x31)
        [signer_info] = _children(data, parts[-1][2], parts[-1][3])
        _need(signer_info[0] == 0x30)
        fields = _children(data, signer_info[2], signer_info[3])
        _need(fields[-1][0] == 0xA1)
        [attribute] = _children(data, fields[-1][2], fields[-1][3])
        _need(attribute[0] == 0x30)
        kind, values = _children(data, attribute[2], attribute[3])
        _need(kind[0] == 0x06 and data[kind[2] : kind[3]] == _TIME_STAMP_TOKEN_OID)
        _need(values[0] == 0x31)
        [token] = _children(data, values[2], values[3])
        _need(token[0] == 0x30)
    except (_Fallback, ValueError, IndexError):
        return None
    head = data[signed_data[2] : parts[-1][1]]
    return head + data[signer_info[2] : fields[-1][1]], len(head), data[token[1] : token[3]]


_cms_templates: dict[int, list[_CmsTemplate]] = {}
_CMS_TEMPLATES_KEPT = 64


def _check_cms(cms_bytes: bytes, digest: bytes):
    """Check the CMS as pyHanko does; returns the signer's certificate, the others and the
    signature time-stamp (:class:`_Token`, or ``None``).

    A CMS of a signer seen before (:class:`_CmsTemplate`) is not parsed again: its digest is
    compared and its signature verified on the bytes. (A CMS with a time-stamp token has no
    template: the token differs from one document to the next.)
    """
    spine = _stamped_spine(cms_bytes) if cms_bytes[-1:] == b"\0" else None
    source, key = cms_bytes, len(cms_bytes)
    if spine is not None:
        source, key = spine[0], ("stamped", spine[1], len(spine[0]))
    for template in _cms_templates.get(key, ()):
        if template.matches(source):
            at = template.digest_at
            _need(source[at : at + 32] == digest)
            at, size = template.attrs_at, template.attrs_len
            signature = source[
                template.signature_at : template.signature_at + template.signature_len
            ]
            _verify_rsa(template.public, signature, source[at : at + size])
            if spine is None:
                return template.signer, template.others, None
            token = cms.ContentInfo.load(spine[2], strict=True)
            return template.signer, template.others, _Token(token, signature)
    signer, others, token, template = _read_cms(cms_bytes, digest, spine)
    if template is not None:
        if sum(map(len, _cms_templates.values())) >= _CMS_TEMPLATES_KEPT:
            _cms_templates.clear()
        _cms_templates.setdefault(key, []).append(template)
    return signer, others, token


def _verify_rsa(
    public: rsa.RSAPublicKey, signature: bytes, signed: bytes, digest: str = "sha256"
) -> None:
    """The RSA PKCS#1 v1.5 signature over the signed attributes (as a DER SET)."""
    try:
        as_set = b"\x31" + _der_length(len(signed)) + signed
        public.verify(signature, as_set, padding.PKCS1v15(), _HASHES[digest]())
    except InvalidSignature:
        raise _Fallback from None


def _only_once(data: bytes, value: bytes) -> int:
    """Where ``value`` is in ``data``, if it is there exactly once, else -1."""
    at = data.find(value)
    return at if at >= 0 and data.find(value, at + 1) < 0 else -1


def _read_cms(cms_bytes: bytes, digest: bytes, spine=None):
    """Check the CMS as pyHanko does; returns the signer's certificate, the others, the
    signature time-stamp token (:class:`_Token` or ``None``) and the template for the next CMS
    of the same signer (``None`` if its parts cannot be located, or with a token).

    Covered: one SignerInfo identified by issuer and serial number, SHA-256, RSA PKCS#1 v1.5,
    signed attributes content-type (data), message-digest, signing-certificate-v2 and nothing
    else; as unsigned attribute, nothing or a single signature-time-stamp-token attribute with
    a single token (checked by :func:`_check_token`). A digest or signature that does not match
    is left to the full path, which reports it.
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
    unsigned = signer_info["unsigned_attrs"]
    token = None
    if not isinstance(unsigned, core.Void):
        # pyHanko validates every token of every such attribute (until one is trusted): one.
        _need(len(unsigned) == 1)
        _need(unsigned[0]["type"].native == "signature_time_stamp_token")
        _need(len(unsigned[0]["values"]) == 1)
        token = unsigned[0]["values"][0]
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
    # The signer's certificate (the one with the serial number and issuer of its SignerInfo).
    signer, der, others = _sid_certificate(signed_data, sid)
    _ess_matches(signer, der, values["signing_certificate_v2"])
    public = _crypto_cert(der).public_key()
    _need(isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048)
    signature = signer_info["signature"].contents
    _verify_rsa(public, signature, signed)
    source = cms_bytes
    if token is not None:
        # The template reads the signer's parts only (:func:`_stamped_spine`), provided the
        # spine found is the token asn1crypto read.
        if spine is None or spine[2] != token.dump():
            return signer, others, _Token(token, signature), None
        source = spine[0]
    digest_at = _only_once(source, values["message_digest"].contents)
    signature_at = _only_once(source, signature)
    attrs_at = _only_once(source, signed)
    template = None
    if (
        min(digest_at, signature_at, attrs_at) >= 0
        and len(values["message_digest"].contents) == 32
        and attrs_at <= digest_at < attrs_at + len(signed)
        and (signature_at + len(signature) <= attrs_at or attrs_at + len(signed) <= signature_at)
    ):
        template = _CmsTemplate(
            source,
            digest_at,
            signature_at,
            len(signature),
            attrs_at,
            len(signed),
            public,
            signer,
            others,
        )
    return signer, others, None if token is None else _Token(token, signature), template


def _sid_certificate(signed_data, sid):
    """``(certificate, its DER, the other certificates)``: the one certificate of
    ``signed_data`` with the serial number of ``sid``, its issuer the same DER (pyHanko compares
    names normalised; with one candidate both find the same one)."""
    ders = []
    for choice in signed_data["certificates"]:
        _need(choice.name == "certificate")
        ders.append(choice.chosen.dump())
    certs = [_asn1_cert_der(der) for der in ders]
    serial = sid.chosen["serial_number"].native
    candidates = [i for i, c in enumerate(certs) if c.serial_number == serial]
    _need(len(candidates) == 1)
    found = certs[candidates[0]]
    _need(found.issuer.dump() == sid.chosen["issuer"].dump())
    others = tuple(c for i, c in enumerate(certs) if i != candidates[0])
    return found, ders[candidates[0]], others


def _ess_matches(
    signer: asn1_x509.Certificate, der: bytes, attribute, hash_names=("sha256",)
) -> None:
    """pyHanko's ``check_ess_certid`` on the first ESSCertIDv2, with exact names.

    A hash of the certificate (SHA-256, or one of ``hash_names``; ``"sha1"`` alone for the
    ESSCertID of a signing-certificate attribute), and an issuer-serial (if any) naming the
    signer's issuer byte for byte (pyHanko also accepts names equal after normalisation: the
    full path).
    """
    _need(len(attribute["certs"]) >= 1)
    certid = attribute["certs"][0]
    if isinstance(certid, tsp.ESSCertIDv2):
        algorithm = certid["hash_algorithm"]["algorithm"].native
    else:
        _need(isinstance(certid, tsp.ESSCertID))
        algorithm = "sha1"
    _need(algorithm in hash_names)
    _need(certid["cert_hash"].native == hashlib.new(algorithm, der).digest())
    issuer_serial = certid["issuer_serial"]
    if isinstance(issuer_serial, core.Void) or not issuer_serial:
        return
    names = issuer_serial["issuer"]
    _need(len(names) == 1 and names[0].name == "directory_name")
    _need(names[0].chosen.contents == signer.issuer.contents)  # [4] EXPLICIT Name
    _need(issuer_serial["serial_number"].native == signer.serial_number)


@dataclass(frozen=True)
class _Token:
    """A signature time-stamp token (a CMS ``ContentInfo``) and the signature value (the
    SignerInfo's ``signature`` bytes) whose hash it must certify."""

    content: cms.ContentInfo
    signature: bytes


def _check_token(token: _Token, at: datetime | None):
    """pyHanko's ``validate_tst_signed_data`` of a signature time-stamp up to the TSA's chain
    (:func:`_chains`); returns the TSA's certificate, the token's other certificates (in its
    order: pyHanko registers them) and the time certified (``genTime``, as pyHanko reads it).

    Covered: a SignedData encapsulating a TSTInfo, one SignerInfo identified by issuer and
    serial number, SHA-256/384/512 with RSA PKCS#1 v1.5 (a key of 2048 bits or more), signed
    attributes among content-type (tst_info), message-digest, signing-time, ESS
    signing-certificate (v1 or v2; pyHanko checks v2 if present, else v1) and CMS algorithm
    protection, each once, no unsigned attributes. A token whose digest, signature, ESS
    identifier or message imprint does not match, or whose algorithms pyHanko's default policy
    refuses, goes to the full path: only a sound token is reported here.
    """
    from pyhanko.sign.validation.generic_cms import _enforce_algorithm_usage
    from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
    from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy

    content = token.content
    _need(isinstance(content, cms.ContentInfo))
    _need(content["content_type"].native == "signed_data")
    signed_data = content["content"]
    eci = signed_data["encap_content_info"]
    _need(eci["content_type"].native == "tst_info")
    _need(isinstance(eci["content"], core.ParsableOctetString))
    tst_info = eci["content"].parsed
    _need(isinstance(tst_info, tsp.TSTInfo))
    _need(len(signed_data["signer_infos"]) == 1)
    signer_info = signed_data["signer_infos"][0]
    sid = signer_info["sid"]
    _need(sid.name == "issuer_and_serial_number")
    md = signer_info["digest_algorithm"]["algorithm"].native
    _need(md in _HASHES)
    mechanism = signer_info["signature_algorithm"]["algorithm"].native
    _need(mechanism in ("rsassa_pkcs1v15", f"{md}_rsa"))
    _need(isinstance(signer_info["unsigned_attrs"], core.Void))
    attrs = signer_info["signed_attrs"]
    _need(not isinstance(attrs, core.Void))
    signed = attrs.contents  # as received, before any child is parsed
    values = {}
    for attribute in attrs:
        kind = attribute["type"].native
        _need(kind in _TOKEN_ATTRIBUTES and kind not in values and len(attribute["values"]) == 1)
        values[kind] = attribute["values"][0]
    _need(values.get("content_type") is not None and values["content_type"].native == "tst_info")
    _need(values.get("message_digest") is not None)
    _need(values["message_digest"].native == hashlib.new(md, bytes(eci["content"])).digest())
    if "cms_algorithm_protection" in values:
        protection = values["cms_algorithm_protection"]
        _need(protection["digest_algorithm"].native == signer_info["digest_algorithm"].native)
        claimed = protection["signature_algorithm"].native
        _need(claimed is not None and claimed == signer_info["signature_algorithm"].native)
    tsa, der, tsa_others = _sid_certificate(signed_data, sid)
    ess = values.get("signing_certificate_v2")
    if ess is not None:
        _ess_matches(tsa, der, ess, tuple(_HASHES))
    elif values.get("signing_certificate") is not None:
        _ess_matches(tsa, der, values["signing_certificate"], ("sha1",))
    public = _crypto_cert(der).public_key()
    _need(isinstance(public, rsa.RSAPublicKey) and public.key_size >= 2048)
    # Raises (to the full path) where pyHanko would report the algorithm as not allowed.
    # The policy of the full path's ValidationContext (its default), lifted as pyHanko does.
    _enforce_algorithm_usage(
        signer_info,
        tsa,
        algorithm_usage_policy=CMSAlgorithmUsagePolicy.lift_policy(DisallowWeakAlgorithmsPolicy()),
        time_indic=at or datetime.now(UTC),
    )
    _verify_rsa(public, signer_info["signature"].contents, signed, md)
    imprint = tst_info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    _need(algorithm in _HASHES)
    _need(imprint["hashed_message"].native == hashlib.new(algorithm, token.signature).digest())
    when = tst_info["gen_time"].native
    _need(type(when) is datetime and when.tzinfo is not None)
    return tsa, tsa_others, when


def _coverage(doc: LiteReader, data: bytes, sig: _FastSig) -> SignatureCoverageLevel:
    """pyHanko's coverage evaluation (the gap is exactly the ``<hex>`` of /Contents)."""
    _, len1, start2, len2 = sig.byte_range
    zone = len1 + len2 + (start2 - len1)
    if zone == len(data):
        return SignatureCoverageLevel.ENTIRE_FILE
    stream = io.BytesIO(data)
    stream.seek(zone)
    _need(process_data_at_eof(stream) == doc.sections[sig.revision].startxref)
    for revision in range(sig.revision + 1):
        _need(doc.sections[revision].end <= zone)
    return SignatureCoverageLevel.ENTIRE_REVISION


def _same_except(old, new, allowed: set[str]) -> None:
    """Two dictionaries equal (raw values) except for the keys ``allowed``."""
    _need(isinstance(old, dict) and isinstance(new, dict))
    for key in set(old) | set(new):
        if key not in allowed:
            _need(key in old and key in new and old[key] == new[key])


def _appended(old, new, item: Ref) -> None:
    """``new`` is the direct array ``old`` plus the reference ``item`` at its end."""
    old = [] if old is None else old
    _need(isinstance(old, list) and isinstance(new, list))
    _need(len(new) == len(old) + 1 and new[:-1] == old)
    _need(_ref(new[-1]) == item)


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


def _dss_update(doc: LiteReader, revision: int, old_dss, new_dss) -> None:
    """A /DSS that only gains certificates and CRLs (streams), keeping what it had."""
    _need(isinstance(new_dss, dict))
    _need(set(new_dss) <= {"/Type", "/Certs", "/CRLs", "/OCSPs"})
    for key in ("/Certs", "/CRLs", "/OCSPs"):
        new = new_dss.get(key, [])
        _need(isinstance(new, list))
        for item in new:
            _need(isinstance(doc.get(_ref(item), revision), Stream))
        if old_dss is not None and key in old_dss:
            old = old_dss[key]
            _need(isinstance(old, list) and set(map(_ref, old)) <= set(map(_ref, new)))


def _dss_crls(doc: LiteReader) -> list[bytes]:
    """pyHanko's ``pdf_io._dss_crls``: the data of the streams in the catalog's /DSS /CRLs.

    Here each is a stream with no filter (its data is the bytes stored), referred to from a
    direct array; where pyHanko's reading would fail (and return no CRLs), we fall back.
    """
    root = doc.get(_ref(doc.trailer("/Root", doc.revisions - 1)))
    if "/DSS" not in root:
        return []
    dss = doc.resolve(root["/DSS"])
    _need(isinstance(dss, dict))
    crls = dss.get("/CRLs", [])
    _need(isinstance(crls, list))
    found = []
    for item in crls:
        stream = doc.get(_ref(item))
        _need(isinstance(stream, Stream) and set(stream.dictionary) == {"/Length"})
        found.append(stream.encoded)
    return found


def _signature_revision(doc: LiteReader, data: bytes, revision: int, sig: _FastSig) -> None:
    """Revision ``revision`` only adds the signature ``sig`` (signed in it), as ours do.

    Allowed against the revision before: new objects (the field/widget, its appearance, the
    signature dictionary, /DSS streams); the catalog with a new /DSS; the AcroForm with the
    field appended to /Fields (and /SigFlags 3); one page with the widget appended to a direct
    /Annots; the /Info dictionary; /DSS gaining streams. Everything else (including freed
    objects, which the reader refuses) is the full DiffAnalysis's business. pyHanko rates such
    a revision "form filling" (FORM_FILLING), the level reported here.

    Objects are compared by value as read (:mod:`.lite_pdf`): values equal here are equal for
    pyHanko.
    """
    _need(sig.revision == revision and revision > 0)
    previous = revision - 1

    def old(ref):
        return doc.get(ref, previous)

    def new(ref):
        return doc.get(ref, revision)

    root_ref = _ref(doc.trailer("/Root", revision))
    _need(_ref(doc.trailer("/Root", previous)) == root_ref)
    old_root, new_root = old(root_ref), new(root_ref)
    _same_except(old_root, new_root, {"/DSS"})
    _need("/Perms" not in new_root)
    form_ref = _ref(new_root.get("/AcroForm"))
    old_form, new_form = old(form_ref), new(form_ref)
    _same_except(old_form, new_form, {"/Fields", "/SigFlags"})
    _appended(old_form.get("/Fields"), new_form.get("/Fields"), sig.field_ref)
    if "/SigFlags" in new_form and new_form["/SigFlags"] != old_form.get("/SigFlags"):
        _need(new_form["/SigFlags"] == 3)
    field_obj = new(sig.field_ref)
    _need(doc.offset(sig.field_ref, previous) is None)
    _need(field_obj.get("/FT") == "/Sig")
    names = {str(_text(old(_ref(ref)).get("/T"))) for ref in old_form["/Fields"]}
    _need(str(_text(field_obj.get("/T"))) not in names)
    explained = {root_ref, form_ref}
    old_dss = old_root["/DSS"] if "/DSS" in old_root else None
    if "/DSS" in new_root:
        dss_ref = _ref(new_root["/DSS"])
        if old_dss is not None:
            _need(_ref(old_dss) == dss_ref)
            old_dss = old(dss_ref)
            _need(isinstance(old_dss, dict))
        _dss_update(doc, revision, old_dss, new(dss_ref))
        explained.add(dss_ref)
    else:
        _need(old_dss is None)
    info = doc.trailer("/Info", revision)
    info_ref = _ref(info) if info is not None else None
    widget_pages = 0
    for changed in doc.changed(revision):
        if changed in explained or doc.offset(changed, previous) is None:
            continue  # explained above, or a new object
        before, after = old(changed), new(changed)
        if changed == info_ref:
            _need(isinstance(after, dict))
            _only_info_uses(data, doc.sections[previous].end, changed)
        elif isinstance(after, dict) and after.get("/Type") == "/Page":
            _same_except(before, after, {"/Annots"})
            _appended(before.get("/Annots"), after.get("/Annots"), sig.field_ref)
            widget_pages += 1
        else:
            # Written again unchanged (pyHanko ignores those too).
            _need(type(before) is type(after) and before == after)
    _need(widget_pages <= 1)


_chain_cache: dict = {}


def _time_slot(moment: datetime, certs, crls: Sequence[bytes]) -> int:
    """Which interval between the certificates' and CRLs' dates ``moment`` falls in.

    Chain validation compares the time only with those dates (validity periods, CRL update
    times, revocation dates), so within one interval its outcome does not change.
    """
    dates = []
    for cert in certs:
        crypto = _crypto_cert(_dump(cert))
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
        _dump(signer),
        tuple(map(_dump, others)),
        tuple(map(_dump, roots)),
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


def _chains(signer, others, tsa, tsa_others, roots, crls: Sequence[bytes], at: datetime | None):
    """certvalidator's verdicts on the TSA's chain then the signer's, as the full path makes
    them: in one validation context (pyHanko validates the signature time-stamp with the
    signer's context, registering the token's certificates, before the signer), so each
    verdict is the one the full path reaches. Cached as :func:`_chain`."""
    moment = at or datetime.now(UTC)
    key = (
        "time-stamped",
        _dump(signer),
        tuple(map(_dump, others)),
        _dump(tsa),
        tuple(map(_dump, tsa_others)),
        tuple(map(_dump, roots)),
        tuple(crls),
        at,
        _time_slot(moment, [signer, *others, tsa, *tsa_others, *roots], crls),
    )
    hit = _chain_cache.get(key)
    if hit is None:
        if len(_chain_cache) > 1024:
            _chain_cache.clear()
        hit = _chain_cache[key] = _run(
            _validate_chain(signer, list(others), roots, crls, at, (tsa, list(tsa_others)))
        )
    return hit


async def _validate_chain(signer, others, roots, crls, at, stamped=None):
    """The signer's verdict; with ``stamped`` (the TSA's certificate and the token's others),
    the pair (TSA's verdict, signer's verdict), in the full path's order."""
    from pyhanko.sign.validation.status import PdfSignatureStatus, TimestampSignatureStatus

    context = ValidationContext(
        trust_roots=roots,
        crls=list(crls),
        other_certs=others,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=at,
    )
    tsa_verdict = None
    if stamped is not None:
        tsa, tsa_others = stamped
        context.certificate_registry.register_multiple(tsa_others)
        usage = TimestampSignatureStatus.default_usage_constraints()
        tsa_verdict = await _cert_usage(tsa, context, usage)
    context.certificate_registry.register_multiple(others)
    usage = PdfSignatureStatus.default_usage_constraints(None)
    verdict = await _cert_usage(signer, context, usage)
    return verdict if stamped is None else (tsa_verdict, verdict)


async def _cert_usage(cert, context, usage):
    """(subindication, revocation details, path) as ``cms_basic_validation`` finds them."""
    from pyhanko.sign.ades.report import AdESIndeterminate
    from pyhanko.sign.validation.generic_cms import validate_cert_usage

    try:
        result = await validate_cert_usage(
            cert,
            context,
            key_usage_settings=usage,
            paths=context.path_builder.async_build_paths_lazy(cert),
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
    doc = LiteReader(data)
    root = doc.get(_ref(doc.trailer("/Root", doc.revisions - 1)))
    _need(isinstance(root, dict))
    # What pdf_io._reader checks (the page tree can be read) before the full path goes on.
    _need(isinstance(doc.resolve(root.get("/Pages", NULL)), dict))
    _remember_readable(data)
    _need("/Perms" not in root)
    signatures = _signature_fields(doc, data)
    crls = crl_der + _dss_crls(doc)
    by_revision = {s.revision: s for s in signatures}
    last = doc.revisions - 1
    checked: set[int] = set()
    reports = []
    for sig in signatures:
        coverage = _coverage(doc, data, sig)
        level = ModificationLevel.NONE
        if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            # Every later revision must add one of the other signatures and nothing else.
            for revision in range(sig.revision + 1, last + 1):
                _need(revision in by_revision)
                if revision not in checked:
                    _signature_revision(doc, data, revision, by_revision[revision])
                    checked.add(revision)
            level = ModificationLevel.FORM_FILLING
        _, len1, start2, len2 = sig.byte_range
        view = memoryview(data)
        digest = hashlib.sha256(view[:len1])
        digest.update(view[start2 : start2 + len2])
        signer, others, token = _check_cms(sig.contents, digest.digest())
        stamp = None
        if token is None:
            indic, revocation, path = _chain(signer, others, roots, crls, at)
        else:
            tsa, tsa_others, when = _check_token(token, at)
            tsa_verdict, (indic, revocation, path) = _chains(
                signer, others, tsa, tsa_others, roots, crls, at
            )
            tsa_indic, tsa_revocation, tsa_path = tsa_verdict
            stamp = _FastTimestamp(
                timestamp=when,
                signing_cert=tsa,
                trust_problem_indic=tsa_indic,
                validation_path=tsa_path,
                revocation_details=tsa_revocation,
            )
        status = _FastStatus(
            signing_cert=signer,
            signer_reported_dt=sig.claimed,
            coverage=coverage,
            modification_level=level,
            diff_result=DiffResult(level, set()),
            trust_problem_indic=indic,
            validation_path=path,
            revocation_details=revocation,
            timestamp_validity=stamp,
        )
        embedded = _FastEmbedded(sig.name, sig.sig_object, sig.claimed)
        reports.append(_report(embedded, status, crls))
    return reports
