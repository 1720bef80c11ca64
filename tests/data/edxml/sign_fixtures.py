"""Make the signed fixtures from the unsigned ones, with xmlsec1 (not with cchc_core).

A throwaway hierarchy (root -> intermediate -> the producer's signing certificate) signs the
packages as the producers' SDKs do: a default-namespace XML-DSig Signature at the end of
edXMLHeader, enveloped, C14N 1.0, KeyInfo carrying the signer's certificate only. The keys are
thrown away; root.pem and intermediate.pem are kept so that the tests can build the chain.

    .venv/bin/python tests/data/edxml/sign_fixtures.py
"""

import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from cchc_core import pki

HERE = Path(__file__).resolve().parent
PEM = serialization.Encoding.PEM
VALID = {
    "not_before": datetime(2026, 1, 1, tzinfo=UTC),
    "not_after": datetime(2046, 1, 1, tzinfo=UTC),
}
TEMPLATE = (
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
    '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
    '<SignatureMethod Algorithm="{method}"/>'
    '<Reference URI=""><Transforms>'
    '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '</Transforms><DigestMethod Algorithm="{digest}"/><DigestValue/></Reference></SignedInfo>'
    "<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
)
SHA256 = (
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmlenc#sha256",
)
SHA1 = ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1")
# source, output, algorithms, what to put the signature in place of
FIXTURES = [
    (
        "bkav_document.edxml",
        "bkav_document.signed.edxml",
        SHA256,
        "<Signature>\n        <KeyInfo/>\n      </Signature>",
    ),
    ("bkav_status.edxml", "bkav_status.sha1.signed.edxml", SHA1, None),
]


def main() -> None:
    root, root_key = pki.issue_certificate(None, "Producer Test Root CA", ca=True, **VALID)
    inter, inter_key = pki.issue_certificate(
        pki.Issuer(root, root_key), "Producer Test Signing CA", ca=True, **VALID
    )
    leaf, key = pki.issue_certificate(
        pki.Issuer(inter, inter_key),
        "Sở Nội vụ tỉnh Nghệ An",
        organization="UBND tỉnh Nghệ An",
        **VALID,
    )
    (HERE / "root.pem").write_bytes(root.public_bytes(PEM))
    (HERE / "intermediate.pem").write_bytes(inter.public_bytes(PEM))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "key.pem").write_bytes(
            key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        (tmp / "cert.pem").write_bytes(leaf.public_bytes(PEM))
        for source, output, (method, digest), placeholder in FIXTURES:
            text = (HERE / source).read_text()
            signature = TEMPLATE.format(method=method, digest=digest)
            if placeholder:
                text = text.replace(placeholder, signature)
            else:
                text = text.replace(
                    "</edXML:TraceHeaderList>", "</edXML:TraceHeaderList>" + signature
                )
            (tmp / "template.xml").write_text(text)
            subprocess.run(
                [
                    "xmlsec1",
                    "--sign",
                    "--privkey-pem",
                    f"{tmp / 'key.pem'},{tmp / 'cert.pem'}",
                    "--output",
                    str(HERE / output),
                    str(tmp / "template.xml"),
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
