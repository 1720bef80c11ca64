"""The certificate checks every signer and verifier uses: may this certificate sign at this
time, and does it chain up to a trusted authority.

A certificate is refused for signing when it lacks the digitalSignature/nonRepudiation key
usage, is outside its validity period or appears on a CRL of its issuer. Its path to a trust
anchor is built from the certificates at hand (those a signature carries, a store of known
intermediate CAs), each link's signature checked, each intermediate CA valid at the time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from cchc_core.messages import Message
from cchc_core.pki.keys import SigningError, common_name

__all__ = [
    "CERTIFICATE_ERRORS",
    "MAX_CHAIN",
    "certificate_path",
    "check_signing_certificate",
    "find_revocation",
    "issuer_path",
    "validate_certificate",
]

# What cryptography raises on a damaged or exotic certificate: it parses fields lazily, so
# these come late (extensions, names, keys), and not all are ValueErrors.
CERTIFICATE_ERRORS = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)
# Links at most between a certificate and its trust anchor.
MAX_CHAIN = 8
_DER = serialization.Encoding.DER


def find_revocation(
    certificate: x509.Certificate,
    crls: Iterable[x509.CertificateRevocationList],
    *,
    at: datetime | None = None,
) -> x509.RevokedCertificate | None:
    """The CRL entry revoking ``certificate`` at ``at`` (default now), if any.

    Only CRLs of the certificate's issuer count; their signatures are the validator's business.
    """
    at = at or datetime.now(UTC)
    for crl in crls:
        if crl.issuer != certificate.issuer:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if entry is not None and entry.revocation_date_utc <= at:
            return entry
    return None


def _check_period(certificate: x509.Certificate, at: datetime) -> None:
    name = common_name(certificate)
    if at < certificate.not_valid_before_utc:
        raise SigningError(
            Message(
                "the certificate of %(name)s is not valid before %(date)s",
                name=name,
                date=certificate.not_valid_before_utc.strftime("%d/%m/%Y"),
            )
        )
    if at > certificate.not_valid_after_utc:
        raise SigningError(
            Message(
                "the certificate of %(name)s expired on %(date)s",
                name=name,
                date=certificate.not_valid_after_utc.strftime("%d/%m/%Y"),
            )
        )


def check_signing_certificate(
    certificate: x509.Certificate,
    *,
    at: datetime | None = None,
    crls: Iterable[x509.CertificateRevocationList] = (),
) -> None:
    """Refuse a certificate that cannot sign at ``at``: key usage, validity period, CRLs."""
    at = at or datetime.now(UTC)
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            Message(
                "the certificate of %(name)s is not meant for signatures "
                "(no digitalSignature or nonRepudiation key usage)",
                name=common_name(certificate),
            )
        )
    _check_period(certificate, at)
    entry = find_revocation(certificate, crls, at=at)
    if entry is not None:
        raise SigningError(
            Message(
                "the certificate of %(name)s was revoked on %(date)s",
                name=common_name(certificate),
                date=entry.revocation_date_utc.strftime("%d/%m/%Y"),
            )
        )


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (InvalidSignature, *CERTIFICATE_ERRORS):
        return False
    return True


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, *CERTIFICATE_ERRORS):
        return False


@lru_cache(maxsize=128)
def issuer_path(
    certificate: x509.Certificate,
    pool: tuple[x509.Certificate, ...],
    roots: tuple[x509.Certificate, ...],
) -> tuple[x509.Certificate, ...] | None:
    """The issuers from ``certificate`` up to one of ``roots``, or None.

    Each next link is a CA certificate of ``pool`` whose subject is the current certificate's
    issuer and whose key verifies its signature; the path ends when the current certificate
    is an anchor or is issued by one, at most :data:`MAX_CHAIN` links up. Validity periods are
    not looked at (see :func:`certificate_path`). Cached: a partner's signatures all carry
    the same chain.
    """
    anchors = {root.public_bytes(_DER) for root in roots}
    path: list[x509.Certificate] = []
    current = certificate
    for _ in range(MAX_CHAIN):
        if current.public_bytes(_DER) in anchors:
            return tuple(path)
        for root in roots:
            if current.issuer == root.subject and _issued_by(current, root):
                return (*path, root)
        issuer = next(
            (
                candidate
                for candidate in pool
                if candidate.subject == current.issuer
                and candidate is not current
                and candidate not in path
                and _is_ca(candidate)
                and _issued_by(current, candidate)
            ),
            None,
        )
        if issuer is None:
            return None
        path.append(issuer)
        current = issuer
    return None


def certificate_path(
    certificate: x509.Certificate,
    trust_roots: Iterable[x509.Certificate],
    intermediates: Iterable[x509.Certificate] = (),
    *,
    at: datetime | None = None,
) -> tuple[x509.Certificate, ...] | None:
    """The issuers from ``certificate`` up to one of ``trust_roots`` (see :func:`issuer_path`),
    or None when it has no such path; an intermediate CA outside its validity period at
    ``at`` (default now) raises :class:`SigningError`. ``intermediates`` are not trust
    anchors: the path must still end at one of ``trust_roots``."""
    at = at or datetime.now(UTC)
    roots = tuple(trust_roots)
    path = issuer_path(certificate, tuple(intermediates), roots)
    if path is None:
        return None
    for issuer in path:
        if issuer not in roots:
            _check_period(issuer, at)
    return path


def validate_certificate(
    certificate: x509.Certificate,
    *,
    at: datetime | None = None,
    crls: Iterable[x509.CertificateRevocationList] = (),
    trust_roots: Iterable[x509.Certificate] = (),
    intermediates: Iterable[x509.Certificate] = (),
) -> tuple[x509.Certificate, ...] | None:
    """Check a signer's certificate at ``at`` (default now) and return its path of issuers.

    :class:`SigningError` says why the certificate cannot sign at ``at``
    (:func:`check_signing_certificate`) or why its path is not valid then. With
    ``trust_roots``, the path to one of them is returned (:func:`certificate_path`), or None
    when there is none: the caller says the certificate is not trusted. Without, nothing is
    chained and the path is empty.
    """
    at = at or datetime.now(UTC)
    check_signing_certificate(certificate, at=at, crls=crls)
    roots = tuple(trust_roots)
    if not roots:
        return ()
    return certificate_path(certificate, roots, intermediates, at=at)
