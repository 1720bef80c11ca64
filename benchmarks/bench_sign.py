"""Sign N one-page PDFs (leader + seal) and verify them; compare with raw RSA-2048 rates.

Run: ``.venv/bin/python benchmarks/bench_sign.py [N]`` (default 1000). No Odoo needed; the
demo CA is generated into a temporary directory.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from reportlab.pdfgen import canvas

from cchc_core import pades, pki

BOX = (320.0, 120.0, 520.0, 200.0)


def one_page(number: int) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, f"QUYET DINH so {number}/QD-UBND")
    page.showPage()
    page.save()
    return out.getvalue()


def raw_rsa_rates(seconds: float = 1.0) -> tuple[float, float]:
    """Signatures and verifications per second of cryptography's RSA-2048 (PKCS#1 v1.5)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = b"x" * 200
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        count += 1
    sign_rate = count / (time.perf_counter() - start)
    public = key.public_key()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        count += 1
    return sign_rate, count / (time.perf_counter() - start)


_ROOTS: list = []
_CRLS: list = []


def _init_worker(root_der: bytes, crl_der: bytes) -> None:
    from cryptography import x509

    _ROOTS[:] = [x509.load_der_x509_certificate(root_der)]
    _CRLS[:] = [x509.load_der_x509_crl(crl_der)]


def _verify_chunk(pdfs: list[bytes]) -> int:
    valid = 0
    for pdf in pdfs:
        valid += pades.verify_pdf(pdf, _ROOTS, _CRLS).verdict == "valid"
    return valid


def parallel_verify(signed: list[bytes], root, crl, processes: int) -> float:
    """Documents verified per second by ``processes`` worker processes (one Odoo worker each,
    as a server verifies), caches warmed on a first chunk like a running worker's."""
    from cryptography.hazmat.primitives import serialization

    der = serialization.Encoding.DER
    chunks = [signed[i::processes] for i in range(processes)]
    with multiprocessing.Pool(
        processes, _init_worker, (root.public_bytes(der), crl.public_bytes(der))
    ) as pool:
        pool.map(_verify_chunk, [chunk[:5] for chunk in chunks])  # warm each worker
        start = time.perf_counter()
        valid = sum(pool.map(_verify_chunk, chunks))
        seconds = time.perf_counter() - start
    assert valid == len(signed), (valid, len(signed))
    return len(signed) / seconds


def main(n: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as directory:
        demo = pki.generate_demo_pki(directory, "bench")
        leader, seal = demo.signer("leader"), demo.signer("seal")
        pades.prepare_signer(leader), pades.prepare_signer(seal)
        documents = [one_page(i) for i in range(n)]
        look = pades.Appearance(
            "Nguyễn Văn An", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", time=datetime.now(UTC)
        )
        seal_look = pades.Appearance("UBND tỉnh Demo")
        start = time.perf_counter()
        signed = []
        for pdf in documents:
            first = pades.sign_pdf(pdf, leader, field_name="Leader", box=BOX, appearance=look)
            signed.append(
                pades.sign_pdf(
                    first, seal, field_name="Seal", box=pades.seal_box(BOX), appearance=seal_look
                )
            )
        sign_seconds = time.perf_counter() - start
        start = time.perf_counter()
        for pdf in signed:
            report = pades.verify_pdf(pdf, [demo.root.certificate], [demo.crl])
            assert report.verdict == "valid", report.explanation
        verify_seconds = time.perf_counter() - start
        processes = os.cpu_count() or 1
        parallel = parallel_verify(signed, demo.root.certificate, demo.crl, processes)
    raw_sign, raw_verify = raw_rsa_rates()
    signatures = 2 * n / sign_seconds
    verifications = n / verify_seconds
    print(f"documents: {n} (two signatures each)")
    print(f"raw RSA-2048 sign:     {raw_sign:9.0f} /s")
    print(f"raw RSA-2048 verify:   {raw_verify:9.0f} /s")
    print(
        f"PDF signatures:        {signatures:9.1f} /s  ({n / sign_seconds:.1f} documents/s)"
        f"  ratio to raw sign {signatures / raw_sign:.3f}"
    )
    print(
        f"PDF verifications:     {verifications:9.1f} documents/s  ({2 * verifications:.1f} "
        f"signatures/s)  ratio to raw verify {2 * verifications / raw_verify:.4f}"
    )
    print(
        f"PDF verifications, {processes} processes: {parallel:9.1f} documents/s "
        f"(×{parallel / verifications:.2f} of one process)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
