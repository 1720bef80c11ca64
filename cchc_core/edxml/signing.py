"""Signing packages: the enveloped ``ds:Signature`` over the canonical form, and the
signature algorithms this module writes and reads."""

from __future__ import annotations

import base64
import hashlib
import weakref

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
)

from cchc_core.edxml.c14n import canonical, xml_attribute, xml_text
from cchc_core.edxml.model import (
    DS_NS,
    DS_SIGNATURE,
    MAX_ATTACHMENT_BYTES,
    MAX_BYTES,
    NS,
    PREFIX,
    Document,
    E,
    EdxmlError,
    Status,
)
from cchc_core.edxml.reader import Reader, as_bytes, parse_tree
from cchc_core.edxml.writer import XML_DECLARATION, render_document, render_status
from cchc_core.messages import Message
from cchc_core.pki import (
    Signer,
    SigningError,
    check_signing_certificate,
)

_C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

# Canonicalisation algorithm -> (exclusive, with comments). C14N 1.1 differs from 1.0 only in
# inheriting xml:id / xml:base into a document subset, which edXML packages do not use.
C14N_METHODS = {
    _C14N_10: (False, False),
    _C14N_10 + "#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}
DIGEST_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    _SHA256: "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
SIGNATURE_METHODS: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", hashes.SHA1),
    _RSA_SHA256: ("rsa", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1": ("ecdsa", hashes.SHA1),
    _ECDSA_SHA256: ("ecdsa", hashes.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ecdsa", hashes.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ecdsa", hashes.SHA512),
}

# Per signer: the KeyInfo element, written once.
_KEY_INFO: weakref.WeakKeyDictionary[Signer, str] = weakref.WeakKeyDictionary()


def _key_info(signer: Signer) -> str:
    cached = _KEY_INFO.get(signer)
    if cached is None:
        subject = xml_text(signer.certificate.subject.rfc4514_string(), "X509SubjectName")
        certificates = "".join(
            "<ds:X509Certificate>"
            + base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
            + "</ds:X509Certificate>"
            for certificate in (signer.certificate, *signer.chain)
        )
        cached = (
            f"<ds:KeyInfo><ds:X509Data><ds:X509SubjectName>{subject}</ds:X509SubjectName>"
            f"{certificates}</ds:X509Data></ds:KeyInfo>"
        )
        _KEY_INFO[signer] = cached
    return cached


def _check_signer(signer: Signer) -> None:
    if not isinstance(signer.private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise EdxmlError(Message("only RSA and ECDSA keys are supported"))
    try:
        check_signing_certificate(signer.certificate)
    except SigningError as error:
        raise EdxmlError(error.args[0]) from None


def _namespace_declarations(nsmap: dict) -> str:
    """The namespace declarations inclusive C14N puts on ``ds:SignedInfo``: every namespace
    in scope of the header, and ``ds``; the default one first, then by prefix."""
    scope = {prefix: uri for prefix, uri in nsmap.items() if prefix != "xml"}
    scope["ds"] = DS_NS
    default = scope.pop(None, None)
    first = f' xmlns="{xml_attribute(default)}"' if default else ""
    return first + "".join(
        f' xmlns:{prefix}="{xml_attribute(scope[prefix])}"' for prefix in sorted(scope)
    )


def _signature(digest: bytes, signer: Signer, nsmap: dict) -> bytes:
    """The ``ds:Signature`` element of a package whose canonical form has ``digest``.

    The ``ds`` prefix, not a default namespace: lxml (libxml2 2.13) canonicalises a
    ``SignedInfo`` that inherits a default namespace with stray ``xmlns=""``, which would
    make signxml refuse the signature.
    """
    key = signer.private_key
    method = _ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else _RSA_SHA256
    inner = (
        f'<ds:CanonicalizationMethod Algorithm="{_C14N_10}"></ds:CanonicalizationMethod>'
        f'<ds:SignatureMethod Algorithm="{method}"></ds:SignatureMethod>'
        '<ds:Reference URI=""><ds:Transforms>'
        f'<ds:Transform Algorithm="{ENVELOPED}"></ds:Transform>'
        f'<ds:Transform Algorithm="{_C14N_10}"></ds:Transform>'
        f'</ds:Transforms><ds:DigestMethod Algorithm="{_SHA256}"></ds:DigestMethod>'
        f"<ds:DigestValue>{base64.b64encode(digest).decode()}</ds:DigestValue></ds:Reference>"
    )
    signed_info = f"<ds:SignedInfo{_namespace_declarations(nsmap)}>{inner}</ds:SignedInfo>".encode()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signed_info, ec.ECDSA(hashes.SHA256())))
        size = (key.curve.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        value = key.sign(signed_info, padding.PKCS1v15(), hashes.SHA256())
    return (
        f'<ds:Signature xmlns:ds="{DS_NS}"><ds:SignedInfo>{inner}</ds:SignedInfo>'
        f"<ds:SignatureValue>{base64.b64encode(value).decode()}</ds:SignatureValue>"
        f"{_key_info(signer)}</ds:Signature>"
    ).encode()


def _sign_rendered(head: bytes, tail: list[bytes], signer: Signer) -> bytes:
    _check_signer(signer)
    digest = hashlib.sha256(head)
    for chunk in tail:
        digest.update(chunk)
    signature = _signature(digest.digest(), signer, {PREFIX: NS})
    return b"".join([XML_DECLARATION, head, signature, *tail])


def sign_document(doc: Document, signer: Signer) -> bytes:
    """The package of ``doc`` signed by ``signer`` — without parsing anything."""
    head, tail = render_document(doc)
    return _sign_rendered(head, tail, signer)


def sign_status(status: Status, signer: Signer, *, header: str = E.MESSAGE_HEADER) -> bytes:
    """The status package signed by ``signer`` (``header`` as for :func:`build_status`)."""
    head, tail = render_status(status, header)
    return _sign_rendered(head, tail, signer)


def sign(xml: bytes, signer: Signer) -> bytes:
    """Sign an unsigned package read from elsewhere (checked as :func:`parse` does).

    The result is the package in canonical form (comments dropped, UTF-8) with the signature
    at the end of ``edXMLHeader``.
    """
    _check_signer(signer)
    tree = parse_tree(as_bytes(xml), MAX_BYTES)
    root = tree.getroot()
    reader = Reader(MAX_ATTACHMENT_BYTES)
    envelope, header = reader.envelope(root)
    if next(root.iter(DS_SIGNATURE), None) is not None:
        raise EdxmlError(Message("the package is already signed"))
    reader.package(root, envelope, header)
    chunks, at, _ = canonical(tree, mark=header, restore=False)
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    signature = _signature(digest.digest(), signer, header.nsmap)
    return b"".join([XML_DECLARATION, *chunks[:at], signature, *chunks[at:]])
