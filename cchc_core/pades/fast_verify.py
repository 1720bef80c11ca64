"""Fast verification: the same checks as pyHanko's, for the documents this package makes
(signature fields added in incremental revisions, RSA, SHA-256, no time-stamp, no DocMDP), done
without its slow parts. Anything else, and any signature that does not pass, goes to
:func:`cchc_core.pades.verify._verify_full`: the fast path only ever confirms a document that
the full path also confirms; it never condemns one."""

from __future__ import annotations

import binascii
import bisect
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader, process_data_at_eof
from pyhanko.pdf_utils.xref import read_object_header
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cchc_core.pades.cms import _asn1_cert_der, _crypto_cert, _crypto_crl, _der_length, _run
from cchc_core.pades.pdf_io import _dss_crls, _remember_readable
from cchc_core.pades.verify import _BYTE_RANGE, SignatureReport, _report

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
    _remember_readable(data)
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
