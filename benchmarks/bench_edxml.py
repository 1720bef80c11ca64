"""Build, sign and verify N edXML packages carrying a 1 MB attachment each; compare with raw
SHA-256 of the package, raw RSA-2048 and signxml signing and verifying the same packages; then
ingest (verify, which parses) 10,000 small packages.

signxml is the anchor, used at its best: the key object loaded once (not a PEM parsed again on
every call), verification with the chain to the same root. The naive use (PEM per call) is
printed too, because that is what the figure this project once quoted compared against.

Run: ``.venv/bin/python benchmarks/bench_edxml.py [N]`` (default 300). One process, no Odoo;
the demo CA is generated into a temporary directory. Every rate comes from the same run, so
the ratios hold on a noisy machine even when the absolute figures move.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import signxml
from cryptography.hazmat.primitives import serialization
from lxml import etree

from cchc_core import edxml, pki

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sign import raw_rsa_rates

ATTACHMENT_BYTES = 1024 * 1024
SIGNXML_PACKAGES = 30
INGEST_PACKAGES = 10_000
INGEST_DISTINCT = 1_000
INGEST_ATTACHMENT_BYTES = 10 * 1024


def document(number: int, data: bytes) -> edxml.Document:
    return edxml.Document(
        sender=edxml.Organization("000.00.00.H53", "Ủy ban nhân dân tỉnh Bến Tre"),
        recipients=(
            edxml.Organization("000.01.00.H53", "Sở Nội vụ"),
            edxml.Organization("000.02.00.H53", "Sở Tài chính"),
        ),
        document_id=f"000.00.00.H53,2024/05/02,{number}/QĐ-UBND",
        code_number=str(number),
        code_notation="QĐ-UBND",
        place="Bến Tre",
        promulgation_date=date(2024, 5, 2),
        type_code=1,
        type_name="Quyết định",
        subject=f"Về việc phê duyệt kế hoạch cải cách hành chính số {number}",
        content="Điều 1. Phê duyệt kế hoạch.\r\nĐiều 2. Tổ chức thực hiện.",
        signer_competence="KT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn An",
        traces=(edxml.Trace("000.00.00.H53", datetime.now(UTC)),),
        attachments=(
            edxml.Attachment(f"qd-{number}.pdf", "Quyết định.pdf", "application/pdf", data),
        ),
    )


def sha256_seconds(package: bytes, repeat: int = 200) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        hashlib.sha256(package).digest()
    return (time.perf_counter() - start) / repeat


def signxml_rates(
    signer: pki.Signer, unsigned: list[bytes], root_pem: str
) -> tuple[float, float, float]:
    """signxml's packages per second: signing with a PEM key parsed on every call (naive),
    signing with the key object loaded once (fair), verifying with the chain to the root."""
    pem = signer.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificates = [signer.certificate, *signer.chain]
    rates, signed_packages = [], []
    for key in (pem, signer.private_key):
        signed_packages = []
        start = time.perf_counter()
        for xml in unsigned:
            signed = signxml.XMLSigner().sign(etree.fromstring(xml), key=key, cert=certificates)
            signed_packages.append(etree.tostring(signed))
        rates.append(len(unsigned) / (time.perf_counter() - start))
    start = time.perf_counter()
    for xml in signed_packages:
        signxml.XMLVerifier().verify(xml, ca_pem_file=root_pem)
    rates.append(len(signed_packages) / (time.perf_counter() - start))
    return rates[0], rates[1], rates[2]


def main(n: int = 1000) -> None:
    directory = tempfile.TemporaryDirectory()
    demo = pki.generate_demo_pki(directory.name, "bench")
    signer = demo.signer("seal")
    root_pem = str(Path(directory.name) / "root.pem")
    roots = [demo.root.certificate]
    edxml.sign_document(document(0, b"warm-up"), signer)

    build = sign = verify = 0.0
    package = b""
    for number in range(n):
        doc = document(number, os.urandom(ATTACHMENT_BYTES))
        start = time.perf_counter()
        edxml.build_document(doc)
        built = time.perf_counter()
        package = edxml.sign_document(doc, signer)
        signed = time.perf_counter()
        verified = edxml.verify(package, trust_roots=roots)
        verify += time.perf_counter() - signed
        sign += signed - built
        build += built - start
        assert verified.document.attachments[0].data == doc.attachments[0].data
    hash_seconds = sha256_seconds(package)
    raw_sign, raw_verify = raw_rsa_rates()
    naive, fair, fair_verify = signxml_rates(
        signer,
        [
            edxml.build_document(document(i, os.urandom(ATTACHMENT_BYTES)))
            for i in range(SIGNXML_PACKAGES)
        ],
        root_pem,
    )

    small = [
        edxml.sign_document(document(i, os.urandom(INGEST_ATTACHMENT_BYTES)), signer)
        for i in range(INGEST_DISTINCT)
    ]
    rounds = INGEST_PACKAGES // INGEST_DISTINCT
    start = time.perf_counter()
    for _ in range(rounds):
        for xml in small:
            edxml.parse(xml)
    parse_rate = INGEST_PACKAGES / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        for xml in small:
            edxml.verify(xml, trust_roots=roots)
    ingest_rate = INGEST_PACKAGES / (time.perf_counter() - start)
    directory.cleanup()

    build_rate, sign_rate, verify_rate = n / build, n / sign, n / verify
    print(
        f"packages: {n}, each with a {ATTACHMENT_BYTES // 1024} KB attachment"
        f" ({len(package) / 1e6:.2f} MB signed)"
    )
    print(f"raw SHA-256 of a package: {hash_seconds * 1000:7.2f} ms  ({1 / hash_seconds:7.0f} /s)")
    print(f"raw RSA-2048 sign:        {raw_sign:7.0f} /s")
    print(f"raw RSA-2048 verify:      {raw_verify:7.0f} /s")
    print(f"build (unsigned):         {build_rate:7.1f} packages/s  ({1000 / build_rate:.2f} ms)")
    print(
        f"build + sign:             {sign_rate:7.1f} packages/s  ({1000 / sign_rate:.2f} ms,"
        f" {1 / sign_rate / hash_seconds:.1f}× one SHA-256 of the package)"
    )
    print(f"  of which signing:       {1000 / sign_rate - 1000 / build_rate:7.2f} ms")
    print(
        f"verify (parse + check):   {verify_rate:7.1f} packages/s  ({1000 / verify_rate:.2f} ms,"
        f" {1 / verify_rate / hash_seconds:.1f}× one SHA-256)"
    )
    print(f"build + sign + verify:    {n / (sign + verify):7.1f} packages/s")
    print(f"signxml, {SIGNXML_PACKAGES} packages of the same size:")
    print(
        f"  sign, key loaded once:  {fair:7.1f} packages/s   ours ×{sign_rate / fair:.1f}"
        "  <- the fair comparison"
    )
    ratio = verify_rate / fair_verify
    print(
        f"  verify with the chain:  {fair_verify:7.1f} packages/s   ours ×{ratio:.1f}"
        "  <- the fair comparison"
    )
    ratio = sign_rate / naive
    print(f"  sign, PEM parsed per call (naive): {naive:5.1f} packages/s   ours ×{ratio:.1f}")
    print(
        f"ingest, {INGEST_PACKAGES} packages with {INGEST_ATTACHMENT_BYTES // 1024} KB:"
        f" verify {ingest_rate:7.0f} /s, parse alone {parse_rate:7.0f} /s"
        f"  (ratio to raw RSA verify {ingest_rate / raw_verify:.3f})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
