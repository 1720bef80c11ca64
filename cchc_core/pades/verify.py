"""Verification: every signature of a PDF judged in ETSI EN 319 102-1 terms, by the fast path
(:mod:`.fast_verify`) for the documents this package makes, by pyHanko's full validation
otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cchc_core.messages import Message
from cchc_core.pades.cms import (
    _crl_der,
    _crypto_cert,
    _crypto_crl,
    _dump,
    _roots,
    _run,
    revocation_gaps,
)
from cchc_core.pades.pdf_io import PdfInputError, _check_input, _dss_crls, _reader

TOTAL_PASSED = "TOTAL-PASSED"
TOTAL_FAILED = "TOTAL-FAILED"
INDETERMINATE = "INDETERMINATE"
_VERDICTS = {TOTAL_PASSED: "valid", TOTAL_FAILED: "invalid", INDETERMINATE: "indeterminate"}
KIND_SIGNATURE = "signature"
KIND_DOCUMENT_TIMESTAMP = "document time-stamp"
KIND_REMOVED = "removed signature"

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


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
    crypto_cert = _crypto_cert(_dump(cert))
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
            [crypto_cert, *(_crypto_cert(_dump(c)) for c in status.validation_path or ())],
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
    from cchc_core.pades.fast_verify import _verify_fast  # it builds on this module

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
