"""Certificates and keys for signing official documents.

- :mod:`~cchc_core.pki.keys`: signers (a certificate and its private key) unlocked from PKCS#12
  files by a passphrase, CRLs read from files, :class:`SigningError`;
- :mod:`~cchc_core.pki.validation`: the one certificate validator every signer and verifier
  uses — key usage, validity period, CRLs (:func:`check_signing_certificate`) and the path to a
  trust anchor (:func:`certificate_path`), both at once in :func:`validate_certificate`;
- :mod:`~cchc_core.pki.issuing`: issuing certificates and CRLs, and the demo certificate
  authority generated on demand (:func:`generate_demo_pki`), never committed.

Everything is importable from ``cchc_core.pki`` itself.
"""

from cchc_core.pki.issuing import (
    DEMO_CRL_URL,
    DEMO_ROOT_CRL_URL,
    RSA_BITS,
    DemoPki,
    Issuer,
    export_pkcs12,
    generate_demo_pki,
    issue_certificate,
    issue_tsa_certificate,
    make_crl,
)
from cchc_core.pki.keys import (
    PrivateKey,
    Signer,
    SigningError,
    common_name,
    load_crl,
    load_signer,
)
from cchc_core.pki.validation import (
    CERTIFICATE_ERRORS,
    certificate_path,
    check_signing_certificate,
    find_revocation,
    issuer_path,
    validate_certificate,
)

__all__ = [
    "CERTIFICATE_ERRORS",
    "DEMO_CRL_URL",
    "DEMO_ROOT_CRL_URL",
    "RSA_BITS",
    "DemoPki",
    "Issuer",
    "PrivateKey",
    "Signer",
    "SigningError",
    "certificate_path",
    "check_signing_certificate",
    "common_name",
    "export_pkcs12",
    "find_revocation",
    "generate_demo_pki",
    "issue_certificate",
    "issue_tsa_certificate",
    "issuer_path",
    "load_crl",
    "load_signer",
    "make_crl",
    "validate_certificate",
]
