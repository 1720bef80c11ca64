"""Signing: a leader's or a seal's signature (:func:`sign_pdf`), a signature made on a USB
token (:func:`prepare_external`, :func:`embed_external`), and the document time-stamps of
long-term archival (:func:`add_archive_timestamp`, :func:`archive_state`)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import cms
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import misc
from pyhanko.sign import fields
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest, SignatureObject
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathError
from pyhanko_certvalidator.errors import ValidationError as CertValidationError

from cchc_core.messages import Message
from cchc_core.pades.appearance import (
    Appearance,
    Box,
    _StampSetup,
    fill_text_fields,
    vietnam_time,
)
from cchc_core.pades.cms import (
    PreparedSigner,
    _asn1_cert,
    _crl_der,
    _crypto_cert,
    _crypto_crls,
    _roots,
    prepare_signer,
)
from cchc_core.pades.pdf_io import PdfInputError, _dss_crls, _reader, _writer
from cchc_core.pki import Signer, SigningError, check_signing_certificate, common_name

# Room left in /Contents for an unsigned attribute such as a time-stamp token.
_TIMESTAMP_ROOM = 12_000


def _reason(appearance: Appearance | None, reason: str | None) -> str | None:
    """/Reason carries the signing-on-behalf capacity ("KT. CHỦ TỊCH - PHÓ CHỦ TỊCH")."""
    capacity = ""
    if appearance is not None:
        capacity = " - ".join(p for p in (appearance.on_behalf, appearance.position) if p)
    if capacity and reason:
        return f"{capacity}: {reason}"
    return capacity or reason or None


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
    fill: dict[str, str] | None = None,
):
    """Write the PDF with an empty signature; returns the pyHanko coroutine and its digest.

    An empty signature field ``field_name`` already in the PDF (laid out with the document,
    see :mod:`cchc_core.pades.document`) is signed where it stands, and ``box`` is ignored.
    ``fill`` fills text fields in the same revision (:func:`fill_text_fields`).
    """
    writer = _writer(pdf_bytes)
    try:
        pages = int(writer.root["/Pages"]["/Count"])
    except Exception:
        raise PdfInputError(Message("the PDF file is damaged and cannot be read")) from None
    if not 0 <= page < pages:
        raise SigningError(Message("the PDF has no page %(page)s", page=page + 1))
    placed = False
    for existing in fields.enumerate_sig_fields(writer.prev):
        if existing[0] == field_name and existing[1] is not None:
            raise SigningError(
                Message("the signature field %(field)s is already signed", field=field_name)
            )
        placed = placed or existing[0] == field_name
    box = None if placed else box
    if fill:
        fill_text_fields(writer, fill)
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=page,
        box=tuple(int(round(v)) for v in box) if box else None,  # type: ignore[arg-type]
    )
    coroutine = PdfCMSEmbedder(new_field_spec=spec).write_cms(field_name, writer)
    next(coroutine)
    when = when or (appearance.time if appearance and appearance.time else datetime.now(UTC))
    placeholder = SignatureObject(
        timestamp=vietnam_time(when),  # /M in Vietnam time: D:…+07'00'
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        location=location or None,
        reason=_reason(appearance, reason),
        bytes_reserved=bytes_reserved,
    )
    stamp = _StampSetup(appearance) if appearance is not None and (box or placed) else None
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
    fill: dict[str, str] | None = None,
) -> bytes:
    """Sign a PDF (PAdES B-B; B-T with a ``timestamper``; B-LT with ``embed_revocation``).

    B-LT puts into the signed revision's /DSS the signer's chain, the local time-stamping
    authority's certificates and every CRL of ``crls``: give the CRLs of every CA of every
    chain (the intermediate's for the signer and the TSA, the root's for the intermediate,
    see :func:`revocation_gaps` and :attr:`cchc_core.pki.DemoPki.crls`) so that the signature
    validates offline. B-LTA: then :func:`add_archive_timestamp`.

    ``box`` is ``(x1, y1, x2, y2)`` in points on ``page`` (0-based); without it the signature
    is invisible, unless the PDF has an empty signature field ``field_name`` (signed where it
    stands). ``fill`` (``{field: text}``) fills empty text fields in the same revision: the clerk
    writes the number and date into the header as he seals. The signer's certificate is checked
    (key usage, validity, ``crls``) first.
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
            fill=fill,
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
