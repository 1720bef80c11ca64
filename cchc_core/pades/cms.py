"""Certificates, CRLs and CMS signatures: the DER forms pyHanko and cryptography need, and
the CMS template of a signer (:class:`PreparedSigner`) made once per signer."""

from __future__ import annotations

import asyncio
import hashlib
import os
import weakref
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

from asn1crypto import cms, tsp
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cchc_core.messages import Message
from cchc_core.pki import Signer, SigningError, check_signing_certificate


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signed_attributes(certificate: asn1_x509.Certificate, digest: bytes) -> bytes:
    """DER of the signed attributes (a SET, as signed) for a PAdES B-B signature.

    PAdES forbids signing-time (the time is /M); ESS signing-certificate-v2 binds the cert.
    """
    ess = tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "cert_hash": hashlib.sha256(certificate.dump()).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                        "serial_number": certificate.serial_number,
                    },
                }
            ]
        }
    )
    attributes = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [ess]}),
    ]
    # DER orders a SET OF by the encodings of its elements.
    body = b"".join(sorted(attribute.dump() for attribute in attributes))
    return b"\x31" + _der_length(len(body)) + body


def _signature_algorithm(certificate: asn1_x509.Certificate) -> str:
    return "rsassa_pkcs1v15" if certificate.public_key.algorithm == "rsa" else "sha256_ecdsa"


def _assemble_cms(
    certificate: asn1_x509.Certificate,
    chain: Sequence[asn1_x509.Certificate],
    signed_attrs: bytes,
    signature: bytes,
    unsigned_attrs: cms.CMSAttributes | None = None,
) -> bytes:
    """The detached CMS SignedData around signed attributes and their signature."""
    signer_info = {
        "version": "v1",
        "sid": cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            }
        ),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": cms.CMSAttributes.load(signed_attrs),
        "signature_algorithm": {"algorithm": _signature_algorithm(certificate)},
        "signature": signature,
    }
    if unsigned_attrs is not None:
        signer_info["unsigned_attrs"] = unsigned_attrs
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [certificate, *chain],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


class PreparedSigner:
    """A signer ready for many signatures: key loaded once, the CMS a template.

    Only the document digest (32 bytes) and the RSA signature (fixed length) differ between
    two signatures of the same signer, so both DER structures are cut at those places once.
    """

    def __init__(self, signer: Signer, *, check: bool = True):
        if check:
            check_signing_certificate(signer.certificate)
        self.signer = signer
        self.name = signer.name
        self.key = signer.private_key
        self.certificate = _asn1_cert(signer.certificate)
        own = signer.certificate.fingerprint(hashes.SHA256())
        self.chain = tuple(
            _asn1_cert(c) for c in signer.chain if c.fingerprint(hashes.SHA256()) != own
        )
        self.chain_crypto = signer.chain
        marker = os.urandom(32)
        attrs = _signed_attributes(self.certificate, marker)
        self._attrs = attrs.split(marker)
        if isinstance(self.key, rsa.RSAPrivateKey):
            self._sig_len: int | None = self.key.key_size // 8
            sig_marker = os.urandom(self._sig_len)
            whole = _assemble_cms(self.certificate, self.chain, attrs, sig_marker)
            head, tail = whole.split(sig_marker)
            self._cms = (*head.split(marker), tail)
            self.size = len(whole)
        else:
            # ECDSA signatures vary in length: assembled per call.
            self._sig_len = None
            self.size = len(_assemble_cms(self.certificate, self.chain, attrs, b"\0" * 140))
        if len(self._attrs) != 2 or (self._sig_len and len(self._cms) != 3):
            raise SigningError(Message("could not prepare the signature template"))

    def signed_attributes(self, digest: bytes) -> bytes:
        """DER of the signed attributes for a document digest (what the key signs)."""
        return self._attrs[0] + digest + self._attrs[1]

    def raw_sign(self, data: bytes) -> bytes:
        """Sign ``data`` with the key (SHA-256)."""
        if isinstance(self.key, rsa.RSAPrivateKey):
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def cms(self, digest: bytes, timestamper=None) -> bytes:
        """The CMS SignedData over a document digest."""
        attrs = self.signed_attributes(digest)
        signature = self.raw_sign(attrs)
        if timestamper is not None:
            token = _run(timestamper.async_timestamp(hashlib.sha256(signature).digest(), "sha256"))
            unsigned = cms.CMSAttributes(
                [cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})]
            )
            return _assemble_cms(self.certificate, self.chain, attrs, signature, unsigned)
        if self._sig_len == len(signature):
            head, mid, tail = self._cms
            return head + digest + mid + signature + tail
        return _assemble_cms(self.certificate, self.chain, attrs, signature)


_prepared: weakref.WeakKeyDictionary[Signer, PreparedSigner] = weakref.WeakKeyDictionary()


def prepare_signer(signer: Signer | PreparedSigner) -> PreparedSigner:
    """The prepared form of a signer, made once per :class:`Signer` object."""
    if isinstance(signer, PreparedSigner):
        return signer
    prepared = _prepared.get(signer)
    if prepared is None:
        prepared = _prepared[signer] = PreparedSigner(signer)
    return prepared


def local_timestamper(
    certificate: x509.Certificate,
    key: rsa.RSAPrivateKey,
    chain: Sequence[x509.Certificate] = (),
    *,
    at: datetime | None = None,
):
    """A time-stamping authority running in this process, for tests and offline demos only.

    pyHanko's :class:`~pyhanko.sign.timestamps.DummyTimeStamper` signs every request with
    ``certificate`` (which should carry the critical id-kp-timeStamping extended key usage,
    see :func:`cchc_core.pki.issue_tsa_certificate`) and ``key``, embedding ``chain`` in the
    token; ``at`` fixes the time it certifies (default: the time of each request). It is no
    substitute for a real TSA: whoever holds the key can time-stamp any moment.
    """
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign.timestamps import DummyTimeStamper

    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningError(Message("the local time-stamping authority needs an RSA key"))
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    own = certificate.fingerprint(hashes.SHA256())
    return DummyTimeStamper(
        tsa_cert=_asn1_cert(certificate),
        tsa_key=key_info,
        certs_to_embed=[_asn1_cert(c) for c in chain if c.fingerprint(hashes.SHA256()) != own],
        fixed_dt=at,
    )


def _run(coro):
    """Run a pyHanko coroutine from synchronous code (Odoo workers have no event loop)."""
    return asyncio.run(coro)


def _crl_der(crls: Iterable) -> list[bytes]:
    out = []
    for item in crls:
        if isinstance(item, x509.CertificateRevocationList):
            out.append(item.public_bytes(serialization.Encoding.DER))
        elif isinstance(item, asn1_crl.CertificateList):
            out.append(item.dump())
        else:
            out.append(bytes(item))
    return out


def _crypto_crls(crls: Iterable) -> list[x509.CertificateRevocationList]:
    return [_crypto_crl(der) for der in _crl_der(crls)]


def revocation_gaps(
    certificates: Iterable[x509.Certificate], crls: Iterable
) -> list[x509.Certificate]:
    """The certificates below a self-signed root that no CRL of ``crls`` covers.

    A CRL covers a certificate when its issuer is the certificate's issuer. A B-LT signature
    whose signer, intermediate CAs and time-stamping authority leave no gap here can be
    validated offline by a strict validator (pyHanko's ``adesverify``); one with a gap cannot.
    """
    issuers = {crl.issuer for crl in _crypto_crls(crls)}
    return [
        certificate
        for certificate in certificates
        if certificate.issuer != certificate.subject and certificate.issuer not in issuers
    ]


@lru_cache(maxsize=64)
def _asn1_root(der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(der)


def _roots(trust_roots: Iterable) -> list[asn1_x509.Certificate]:
    out = []
    for root in trust_roots:
        if isinstance(root, x509.Certificate):
            out.append(_asn1_root(root.public_bytes(serialization.Encoding.DER)))
        elif isinstance(root, asn1_x509.Certificate):
            out.append(root)
        else:
            out.append(_asn1_root(bytes(root)))
    return out


@lru_cache(maxsize=256)
def _crypto_cert(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


@lru_cache(maxsize=256)
def _crypto_crl(der: bytes) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(der)


_dumped: dict[int, tuple[object, bytes]] = {}


def _dump(value) -> bytes:
    """``value.dump()``, remembered per object (held, so its id is not reused).

    asn1crypto walks a parsed value's whole tree at every dump to see whether it changed; the
    certificates dumped here (those of the caches above and of cached chain verdicts) are
    never changed.
    """
    hit = _dumped.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    der = value.dump()
    if len(_dumped) >= 128:
        _dumped.clear()
    _dumped[id(value)] = (value, der)
    return der


@lru_cache(maxsize=256)
def _asn1_cert_der(der: bytes) -> asn1_x509.Certificate:
    # Shared, read-only: the human-friendly names asn1crypto computes are then computed once.
    return asn1_x509.Certificate.load(der)
