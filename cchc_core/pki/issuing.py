"""Issuing certificates and CRLs, and the demo certificate authority.

A demo certificate authority (root → intermediate → personal and seal certificates; the
intermediate's CRL revoking one of them and the root's CRL covering the intermediate, as a real
hierarchy publishes) is generated on demand, never committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cchc_core.messages import Message
from cchc_core.pki.keys import PrivateKey, Signer, SigningError, load_signer

__all__ = [
    "DEMO_CRL_URL",
    "DEMO_ROOT_CRL_URL",
    "RSA_BITS",
    "DemoPki",
    "Issuer",
    "export_pkcs12",
    "generate_demo_pki",
    "issue_certificate",
    "issue_tsa_certificate",
    "make_crl",
]

RSA_BITS = 2048
DEMO_CRL_URL = "http://pki.cchc.invalid/intermediate.crl"
# Where the demo root publishes the CRL covering the intermediate CAs it issued.
DEMO_ROOT_CRL_URL = "http://pki.cchc.invalid/root.crl"


@dataclass(frozen=True, eq=False)
class Issuer:
    """A certificate authority able to issue certificates: its certificate and key."""

    certificate: x509.Certificate
    key: PrivateKey


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def issue_certificate(
    issuer: Issuer | None,
    common_name: str,
    *,
    organization: str | None = None,
    ca: bool = False,
    key: PrivateKey | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_usage: Sequence[str] = ("digital_signature", "content_commitment"),
    crl_url: str | None = DEMO_CRL_URL,
    extended_key_usage: Sequence[x509.ObjectIdentifier] = (ExtendedKeyUsageOID.EMAIL_PROTECTION,),
    extended_key_usage_critical: bool = False,
) -> tuple[x509.Certificate, PrivateKey]:
    """Issue a certificate (self-signed when ``issuer`` is None); returns it with its key.

    ``key_usage`` names :class:`cryptography.x509.KeyUsage` arguments; ``content_commitment``
    is nonRepudiation. CA certificates always get keyCertSign and cRLSign. End-entity
    certificates get ``extended_key_usage`` (none when empty); CA certificates never do.
    """
    key = key or _new_key()
    now = datetime.now(UTC)
    not_before = not_before or now - timedelta(days=1)
    not_after = not_after or now + timedelta(days=3650 if ca else 730)
    subject = _name(common_name, organization)
    usages = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
        ),
        False,
    )
    for usage in key_usage:
        usages[usage] = True
    if ca:
        usages["key_cert_sign"] = usages["crl_sign"] = True
    issuer_name = issuer.certificate.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(encipher_only=False, decipher_only=False, **usages), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    if not ca and extended_key_usage:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage(list(extended_key_usage)), critical=extended_key_usage_critical
        )
    if issuer and crl_url:
        # The validator looks for CRLs of certificates that name a distribution point.
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(signing_key, hashes.SHA256()), key


def issue_tsa_certificate(
    issuer: Issuer,
    common_name: str = "CCHC Demo Time-Stamping Authority",
    *,
    organization: str | None = None,
    key: PrivateKey | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    crl_url: str | None = DEMO_CRL_URL,
) -> tuple[x509.Certificate, PrivateKey]:
    """Issue a time-stamping authority's certificate (RFC 3161 § 2.3); returns it with its key.

    Key usage digitalSignature only, and the sole extended key usage id-kp-timeStamping, marked
    critical as RFC 3161 requires.
    """
    return issue_certificate(
        issuer,
        common_name,
        organization=organization,
        key=key,
        not_before=not_before,
        not_after=not_after,
        key_usage=("digital_signature",),
        crl_url=crl_url,
        extended_key_usage=(ExtendedKeyUsageOID.TIME_STAMPING,),
        extended_key_usage_critical=True,
    )


def make_crl(
    issuer: Issuer,
    revoked: Iterable[tuple[x509.Certificate, datetime]] = (),
    *,
    this_update: datetime | None = None,
    next_update: datetime | None = None,
) -> x509.CertificateRevocationList:
    """A CRL of ``issuer`` listing ``(certificate, revocation time)`` pairs."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(this_update or now - timedelta(hours=1))
        .next_update(next_update or now + timedelta(days=30))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    )
    for certificate, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(when)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256())


def export_pkcs12(
    certificate: x509.Certificate,
    key: PrivateKey,
    passphrase: str,
    chain: Sequence[x509.Certificate] = (),
    *,
    friendly_name: str | None = None,
) -> bytes:
    """The certificate, its key and chain as a PKCS#12 file encrypted with ``passphrase``."""
    if not passphrase:
        raise SigningError(Message("a passphrase is required to protect the key"))
    name = (friendly_name or certificate.subject.rfc4514_string()).encode()
    return pkcs12.serialize_key_and_certificates(
        name,
        key,
        certificate,
        list(chain) or None,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


@dataclass
class DemoPki:
    """A generated demo CA and its certificates; the PKCS#12 files live in ``directory``.

    The time-stamping authority (``tsa``) is kept in memory only: its certificate is in
    ``certificates["tsa"]`` and ``tsa_certificate``, its key in ``tsa_key``, no file is written.
    """

    directory: Path
    passphrase: str
    root: Issuer
    intermediate: Issuer
    crl: x509.CertificateRevocationList
    certificates: dict[str, x509.Certificate] = field(default_factory=dict)
    root_crl: x509.CertificateRevocationList | None = None
    files: dict[str, Path] = field(default_factory=dict)
    tsa_certificate: x509.Certificate | None = None
    tsa_key: PrivateKey | None = field(default=None, repr=False)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """The CA certificates above the end-entity ones: intermediate, then root."""
        return (self.intermediate.certificate, self.root.certificate)

    @property
    def crls(self) -> tuple[x509.CertificateRevocationList, ...]:
        """Every CRL of the hierarchy: the intermediate's (end-entity certificates) and the
        root's (the intermediate CA). A B-LT signature embeds both, so that a validator finds
        revocation data for every certificate below the trust anchor."""
        return (self.crl, self.root_crl) if self.root_crl is not None else (self.crl,)

    def pkcs12(self, name: str) -> bytes:
        """The PKCS#12 bytes of a demo certificate (``leader``, ``seal``, ...)."""
        return self.files[name].read_bytes()

    def signer(self, name: str) -> Signer:
        """A demo signer unlocked with the demo passphrase."""
        return load_signer(self.pkcs12(name), self.passphrase)


def generate_demo_pki(
    directory: str | Path,
    passphrase: str,
    *,
    agency: str = "UBND tỉnh Demo",
    leader: str = "Nguyễn Văn An",
) -> DemoPki:
    """Generate a demo CA into ``directory``: certificates, CRL and PKCS#12 files.

    Certificates: ``leader`` (a person), ``seal`` (the agency), ``expired``, ``revoked`` (listed
    on the CRL), ``no_usage`` (key usage keyEncipherment only), ``exchange`` (the edXML
    exchange system), ``tsa`` (a time-stamping
    authority, see :func:`issue_tsa_certificate`). Only the signers' keys are written, in
    PKCS#12 files encrypted with ``passphrase``; the CA and TSA keys stay in memory.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    root_cert, root_key = issue_certificate(None, "CCHC Demo Root CA", organization=agency, ca=True)
    root = Issuer(root_cert, root_key)
    # As in a real hierarchy, the intermediate names where its issuer's CRL is published, and
    # the root issues that CRL (empty here): validators then look for, and find, revocation
    # data for the intermediate too.
    inter_cert, inter_key = issue_certificate(
        root, "CCHC Demo Signing CA", organization=agency, ca=True, crl_url=DEMO_ROOT_CRL_URL
    )
    intermediate = Issuer(inter_cert, inter_key)
    specs: dict[str, dict] = {
        "leader": {"common_name": leader},
        "seal": {"common_name": agency},
        "expired": {
            "common_name": "Trần Thị Hết Hạn",
            "not_before": now - timedelta(days=400),
            "not_after": now - timedelta(days=35),
        },
        "revoked": {"common_name": "Lê Văn Thu Hồi"},
        "no_usage": {"common_name": "Phạm Văn Mã Hoá", "key_usage": ("key_encipherment",)},
        # The document-exchange system's key: it signs the edXML packages.
        "exchange": {"common_name": f"{agency} - Document exchange"},
    }
    pki = DemoPki(directory, passphrase, root, intermediate, crl=None)  # type: ignore[arg-type]
    for name, spec in specs.items():
        certificate, key = issue_certificate(intermediate, organization=agency, **spec)
        pki.certificates[name] = certificate
        path = directory / f"{name}.p12"
        path.write_bytes(export_pkcs12(certificate, key, passphrase, [inter_cert, root_cert]))
        pki.files[name] = path
    pki.tsa_certificate, pki.tsa_key = issue_tsa_certificate(
        intermediate, f"{agency} - Time-Stamping Authority", organization=agency
    )
    pki.certificates["tsa"] = pki.tsa_certificate
    pki.crl = make_crl(intermediate, [(pki.certificates["revoked"], now - timedelta(hours=1))])
    pki.root_crl = make_crl(root)
    (directory / "root.pem").write_bytes(root_cert.public_bytes(serialization.Encoding.PEM))
    (directory / "intermediate.pem").write_bytes(
        inter_cert.public_bytes(serialization.Encoding.PEM)
    )
    (directory / "intermediate.crl").write_bytes(pki.crl.public_bytes(serialization.Encoding.DER))
    (directory / "root.crl").write_bytes(pki.root_crl.public_bytes(serialization.Encoding.DER))
    return pki
