"""Verifying a package's signature and its signer's certificate before reading it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    encode_dss_signature,
)
from lxml import etree

from cchc_core.edxml.c14n import canonical
from cchc_core.edxml.model import (
    ALLOW_SHA1,
    DS_NS,
    DS_SIGNATURE,
    MAX_ATTACHMENT_BYTES,
    MAX_BYTES,
    E,
    EdxmlError,
    SignatureInfo,
    Status,
    Verified,
    package_sha256,
)
from cchc_core.edxml.reader import Reader, as_bytes, parse_tree, parser, tags
from cchc_core.edxml.signing import C14N_METHODS, DIGEST_METHODS, ENVELOPED, SIGNATURE_METHODS
from cchc_core.messages import Message
from cchc_core.pki import (
    CERTIFICATE_ERRORS,
    SigningError,
    common_name,
    validate_certificate,
)

_DS = f"{{{DS_NS}}}"
_EXC_NS = "{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces"
_MAX_CERTIFICATES = 16


def _ds_one(element, name: str):
    found = element.findall(_DS + name)
    if len(found) != 1:
        raise EdxmlError(Message("missing element %(element)s", element=f"Signature/{name}"))
    return found[0]


def _algorithm(element, known: dict) -> str:
    algorithm = element.get("Algorithm") or ""
    if algorithm not in known:
        raise EdxmlError(
            Message(
                "the package signature uses an unsupported algorithm %(algorithm)s",
                algorithm=algorithm,
            )
        )
    return algorithm


def _prefixes(element) -> list[str] | None:
    inclusive = element.find(_EXC_NS)
    if inclusive is None:
        return None
    return (inclusive.get("PrefixList") or "").split() or None


def _signature_bytes(element, name: str) -> bytes:
    try:
        text = "".join([element.text or "", *(child.tail or "" for child in element)])
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise EdxmlError(Message("%(element)s is not valid base64", element=name)) from None


@lru_cache(maxsize=256)
def _load_certificate(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def _certificates(signature) -> list[x509.Certificate]:
    found = []
    key_info = signature.find(_DS + "KeyInfo")
    for data in key_info.findall(_DS + "X509Data") if key_info is not None else ():
        for element in data.findall(_DS + "X509Certificate"):
            der = _signature_bytes(element, "X509Certificate")
            try:
                found.append(_load_certificate(der))
            except CERTIFICATE_ERRORS:
                raise EdxmlError(
                    Message("the certificate in the package signature cannot be read")
                ) from None
            if len(found) == _MAX_CERTIFICATES:
                return found
    if not found:
        raise EdxmlError(Message("the package signature carries no certificate"))
    return found


def _signature_valid(certificate: x509.Certificate, method: str, data: bytes, value: bytes) -> bool:
    kind, hash_class = SIGNATURE_METHODS[method]
    try:
        key = certificate.public_key()
        if kind == "rsa":
            if not isinstance(key, rsa.RSAPublicKey):
                return False
            key.verify(value, data, padding.PKCS1v15(), hash_class())
        else:
            if not isinstance(key, ec.EllipticCurvePublicKey):
                return False
            size = (key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                return False
            r, s = int.from_bytes(value[:size], "big"), int.from_bytes(value[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hash_class()))
    except (InvalidSignature, *CERTIFICATE_ERRORS):
        return False
    return True


def _detach(element) -> None:
    """Remove ``element`` as the enveloped-signature transform does: its tail stays."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _the_signature(root, envelope, header):
    signatures = list(root.iter(DS_SIGNATURE))
    if not signatures:
        raise EdxmlError(Message("the package has no signature"))
    if len(signatures) > 1:
        raise EdxmlError(Message("the package has more than one signature"))
    signature = signatures[0]
    if signature.getparent() not in (header, envelope, root):
        raise EdxmlError(Message("the package signature is not in the package header"))
    return signature


def _check_signature(tree, signature, at, trust_roots, crls, intermediates=()) -> dict:
    signed_info = _ds_one(signature, "SignedInfo")
    c14n_method = _ds_one(signed_info, "CanonicalizationMethod")
    c14n = _algorithm(c14n_method, C14N_METHODS)
    method = _algorithm(_ds_one(signed_info, "SignatureMethod"), SIGNATURE_METHODS)
    references = signed_info.findall(_DS + "Reference")
    if len(references) != 1 or references[0].get("URI") != "":
        raise EdxmlError(
            Message('the package signature must sign the whole package (Reference URI="")')
        )
    reference = references[0]
    transforms = reference.findall(_DS + "Transforms")
    steps = transforms[0].findall(_DS + "Transform") if len(transforms) == 1 else []
    algorithms = [step.get("Algorithm") or "" for step in steps]
    if not algorithms or algorithms[0] != ENVELOPED or len(algorithms) > 2:
        raise EdxmlError(
            Message("the package signature must be an enveloped signature of the whole package")
        )
    exclusive, prefixes = False, None
    if len(algorithms) == 2:
        exclusive = C14N_METHODS[_algorithm(steps[1], C14N_METHODS)][0]
        prefixes = _prefixes(steps[1]) if exclusive else None
    digest_name = DIGEST_METHODS[_algorithm(_ds_one(reference, "DigestMethod"), DIGEST_METHODS)]
    expected = _signature_bytes(_ds_one(reference, "DigestValue"), "DigestValue")
    value = _signature_bytes(_ds_one(signature, "SignatureValue"), "SignatureValue")
    certificates = _certificates(signature)

    # lxml canonicalises an element that is not a root by copying it into a new document,
    # which here writes xmlns="" on the children of SignedInfo (the default namespace is
    # declared on Signature): serialise it with every namespace in scope, parse that and
    # canonicalise it as a whole document instead.
    si_exclusive, si_comments = C14N_METHODS[c14n]
    try:
        standalone = etree.fromstring(etree.tostring(signed_info), parser()).getroottree()
        signed_bytes = etree.tostring(
            standalone,
            method="c14n",
            exclusive=si_exclusive,
            with_comments=si_comments,
            inclusive_ns_prefixes=(_prefixes(c14n_method) if si_exclusive else None),
        )
    except (etree.LxmlError, ValueError, TypeError):
        raise EdxmlError(Message("the package cannot be canonicalized for its signature")) from None

    _detach(signature)
    chunks, _, swapped = canonical(tree, exclusive=exclusive, prefixes=prefixes, restore=False)
    # Attachment texts stay out of the tree (see canonical); the reader takes them from here.
    texts = {}
    encoded = tags((E.ENCODED,))
    for element, text in swapped:
        if element.tag in encoded:
            texts[element] = text
        else:
            element.text = text
    digest = hashlib.new(digest_name)
    for chunk in chunks:
        digest.update(chunk)
    if not hmac.compare_digest(digest.digest(), expected):
        raise EdxmlError(Message("the package signature does not match its content"))

    signer = next(
        (
            certificate
            for certificate in certificates
            if _signature_valid(certificate, method, signed_bytes, value)
        ),
        None,
    )
    if signer is None:
        raise EdxmlError(Message("the package signature value is not correct"))
    roots = tuple(trust_roots)
    others = tuple(certificate for certificate in certificates if certificate is not signer)
    pool = others + tuple(c for c in intermediates if c not in others and c != signer)
    try:
        path = validate_certificate(signer, at=at, crls=crls, trust_roots=roots, intermediates=pool)
    except SigningError as error:
        raise EdxmlError(error.args[0]) from None
    if path is None:
        raise EdxmlError(
            Message("the certificate of %(name)s is not trusted", name=common_name(signer))
        )
    chain = path if roots else others
    return texts, {
        "certificate": signer,
        "chain": chain,
        "trusted": bool(roots),
        "weak": digest_name == "sha1" or SIGNATURE_METHODS[method][1] is hashes.SHA1,
        "digest_algorithm": digest_name,
        "signature_algorithm": method.rsplit("#", 1)[-1],
    }


def verify(
    xml: bytes,
    *,
    trust_roots: Iterable[x509.Certificate] = (),
    at: datetime | None = None,
    crls: Iterable[x509.CertificateRevocationList] = (),
    max_bytes: int = MAX_BYTES,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    intermediates: Iterable[x509.Certificate] = (),
    allow_sha1: bool = ALLOW_SHA1,
    unzip: bool = True,
) -> Verified:
    """Check the package's signature and certificate, then read it as :func:`parse` does.

    The certificate must have been valid at ``at`` (default now; a naive time is UTC), not
    be revoked by one of ``crls`` and, when ``trust_roots`` are given, chain up to one of
    them.

    Chain building: from the signing certificate, each next link is a CA certificate whose
    subject is the current certificate's issuer and whose key verifies its signature, taken
    from the certificates in the package's KeyInfo or from ``intermediates`` — a store of
    known intermediate CAs (a partner's SDK may carry only the signer's certificate). They
    are NOT trust anchors: the path must still end at one of ``trust_roots`` (reached when
    the current certificate is an anchor or is issued by one), each intermediate valid at
    ``at``, at most a few links long. Without ``trust_roots`` nothing is chained (the
    certificate is checked alone; ``Verified.trusted`` is False).

    SHA-1 (digest or signature method) is accepted and flagged ``weak`` while ``allow_sha1``
    is true (default :data:`ALLOW_SHA1`: the public samples of the standard and older SDKs
    sign with RSA-SHA1); with ``allow_sha1=False`` such a package is refused.
    """
    data = as_bytes(xml)
    tree = parse_tree(data, max_bytes)
    root = tree.getroot()
    reader = Reader(max_attachment_bytes, unzip=unzip)
    envelope, header = reader.envelope(root)
    signature = _the_signature(root, envelope, header)
    at = at or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    try:
        texts, found = _check_signature(
            tree, signature, at, trust_roots, crls, tuple(intermediates)
        )
    except EdxmlError:
        raise
    except CERTIFICATE_ERRORS:
        raise EdxmlError(
            Message("the certificate in the package signature cannot be read")
        ) from None
    if found["weak"] and not allow_sha1:
        raise EdxmlError(
            Message("the package is signed with SHA-1, which this system no longer accepts")
        )
    reader.texts = texts
    package = reader.package(root, envelope, header)
    is_status = isinstance(package, Status)
    return Verified(
        kind="status" if is_status else "document",
        document=None if is_status else package,
        status=package if is_status else None,
        sha256=package_sha256(data),
        **found,
    )


def signature_info(xml: bytes, *, max_bytes: int = MAX_BYTES) -> SignatureInfo | None:
    """The claims of the package's first ``ds:Signature``, or None when it has none."""
    root = parse_tree(as_bytes(xml), max_bytes).getroot()
    signature = next(root.iter(DS_SIGNATURE), None)
    if signature is None:
        return None
    digest = signature.find(f"{_DS}SignedInfo/{_DS}Reference/{_DS}DigestMethod")
    method = signature.find(f"{_DS}SignedInfo/{_DS}SignatureMethod")
    digest_uri = digest.get("Algorithm", "") if digest is not None else ""
    method_uri = method.get("Algorithm", "") if method is not None else ""
    digest_name = DIGEST_METHODS.get(digest_uri, digest_uri.rsplit("#", 1)[-1])
    known = SIGNATURE_METHODS.get(method_uri)
    name = ""
    try:
        certificates = _certificates(signature)
        name = common_name(certificates[0]) if certificates else ""
    except (EdxmlError, *CERTIFICATE_ERRORS):
        pass
    return SignatureInfo(
        digest_algorithm=digest_name,
        signature_algorithm=method_uri.rsplit("#", 1)[-1],
        weak=digest_name == "sha1" or (known is not None and known[1] is hashes.SHA1),
        signer_name=name,
    )
