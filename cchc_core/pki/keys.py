"""Signers: a certificate with its private key, unlocked from a PKCS#12 file; CRLs read from
files; the error every certificate and key operation raises."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from cchc_core.messages import Message

__all__ = ["PrivateKey", "Signer", "SigningError", "common_name", "load_crl", "load_signer"]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class SigningError(ValueError):
    """A signature cannot be made or checked; the message (a :class:`Message`) says why."""


@dataclass(frozen=True, eq=False)
class Signer:
    """A signing certificate with its private key and the chain up to (maybe) the root."""

    certificate: x509.Certificate
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def name(self) -> str:
        """The subject's common name, as shown on the signature."""
        return common_name(self.certificate)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, hex."""
        return hashlib.sha256(self.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def common_name(certificate: x509.Certificate) -> str:
    """The certificate subject's common name (the whole subject when it has none)."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def load_signer(data: bytes, passphrase: str) -> Signer:
    """Unlock a PKCS#12 file; a wrong passphrase raises :class:`SigningError`."""
    if not data or data[:1] != b"\x30":
        raise SigningError(Message("the key file is not a PKCS#12 (.p12/.pfx) file"))
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except ValueError:
        raise SigningError(
            Message("wrong passphrase for the key file, or the file is damaged")
        ) from None
    if key is None or certificate is None:
        raise SigningError(Message("the PKCS#12 file holds no private key and certificate"))
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(Message("only RSA and ECDSA keys are supported"))
    return Signer(certificate, key, tuple(extra))


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """A CRL from DER or PEM bytes."""
    try:
        if data.lstrip().startswith(b"-----"):
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError:
        raise SigningError(Message("the file is not a certificate revocation list")) from None
