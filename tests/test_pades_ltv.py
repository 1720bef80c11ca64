"""Long-term validation (B-LT, B-LTA), the verification report's hard cases and the verifiers
nobody here wrote (pyHanko's adesverify, poppler's pdfsig) on every kind of PDF we sign."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen import canvas

from cchc_core import pades, pki
from cchc_core.cli import main

PASSPHRASE = "mật-khẩu-demo"
LEADER_BOX = (320.0, 120.0, 520.0, 200.0)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)


def make_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 760, "QUYET DINH so .../QD-UBND")
    page.showPage()
    page.save()
    return out.getvalue()


def tsa(demo):
    return pades.local_timestamper(demo.tsa_certificate, demo.tsa_key, demo.chain)


def leader(demo, pdf=None, **kwargs) -> bytes:
    return pades.sign_pdf(
        pdf or make_pdf(),
        demo.signer("leader"),
        field_name="ChuKyLanhDao",
        box=LEADER_BOX,
        appearance=pades.Appearance("Nguyễn Văn An", position="CHỦ TỊCH"),
        reason="Phê duyệt",
        **kwargs,
    )


def seal(demo, pdf: bytes, **kwargs) -> bytes:
    return pades.sign_pdf(
        pdf,
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        appearance=pades.Appearance("UBND tỉnh Demo"),
        reason="Phát hành",
        **kwargs,
    )


@pytest.fixture(scope="module")
def kinds(demo) -> dict[str, bytes]:
    """Every kind of PDF the product signs."""
    b_b = leader(demo)
    b_lt = seal(
        demo,
        leader(demo, timestamper=tsa(demo), embed_revocation=True, crls=demo.crls),
        timestamper=tsa(demo),
        embed_revocation=True,
        crls=demo.crls,
    )
    return {
        "leader": b_b,
        "seal": seal(demo, b_b),
        "b_t": leader(demo, timestamper=tsa(demo)),
        "b_lt": b_lt,
        "b_lta": pades.add_archive_timestamp(
            b_lt, tsa(demo), trust_roots=[demo.root.certificate], crls=demo.crls
        ),
    }


# --------------------------------------------------------------------------------------------
# The verifiers: installed by `make setup` / `make test`, so missing means failing.


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: `make setup` installs it (tools/dev.py)")
    return found


def adesverify(tmp_path: Path, demo, pdf: bytes) -> subprocess.CompletedProcess:
    root = tmp_path / "root.pem"
    root.write_bytes(demo.root.certificate.public_bytes(serialization.Encoding.PEM))
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    # Revocation checking on (the default), trust only the demo root; the CRL addresses
    # are .invalid, so what is not in the file cannot be fetched: offline.
    return subprocess.run(
        [tool("pyhanko"), "sign", "adesverify", "--trust", root, "--trust-replace", path],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("kind", ["b_lt", "b_lta"])
def test_pyhanko_adesverify_strict_says_valid_offline(tmp_path, demo, kinds, kind):
    done = adesverify(tmp_path, demo, kinds[kind])
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith(("ChuKy", "DauCoQuan"))]
    assert len(lines) == 2
    for line in lines:
        assert ":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>" in line
    if kind == "b_lta":
        assert "EXTENDED_WITH_LTA_UPDATES" in done.stdout
        assert "No document timestamps after signature" not in done.stderr


def test_pyhanko_adesverify_refuses_a_b_lt_without_the_root_crl(tmp_path, demo):
    # The old B-LT: the intermediate's CRL only, nothing covering the intermediate itself.
    partial = leader(demo, timestamper=tsa(demo), embed_revocation=True, crls=[demo.crl])
    done = adesverify(tmp_path, demo, partial)
    assert done.returncode != 0
    assert "INTACT:UNTRUSTED" in done.stdout
    assert "no revocation information could be found for intermediate" in done.stderr


@pytest.mark.parametrize("kind", ["leader", "seal", "b_t", "b_lt"])
def test_pdfsig_validates_every_signature(tmp_path, kinds, kind):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(kinds[kind])
    done = subprocess.run(
        [tool("pdfsig"), "-nocert", path], capture_output=True, text=True, timeout=120
    )
    expected = {"leader": 1, "seal": 2, "b_t": 1, "b_lt": 2}[kind]
    assert done.stdout.count("Signature Validation: Signature is Valid.") == expected, done.stdout
    assert "Signature is Invalid" not in done.stdout


def test_pdfsig_sees_a_changed_byte(tmp_path, kinds):
    tampered = kinds["seal"].replace(b"QUYET DINH", b"QUYET DINX", 1)
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    done = subprocess.run(
        [tool("pdfsig"), "-nocert", path], capture_output=True, text=True, timeout=120
    )
    # Both signatures cover the page text.
    assert done.stdout.count("Signature Validation: Digest Mismatch.") == 2
    assert "Signature is Valid." not in done.stdout


# --------------------------------------------------------------------------------------------
# B-LT and B-LTA in our own report


def test_b_lt_embeds_revocation_data_for_every_certificate(demo, kinds):
    report = pades.verify_pdf(kinds["b_lt"], [demo.root.certificate])
    assert report.verdict == "valid"
    for sig in report.signatures:
        assert sig.revocation_checked and sig.timestamp_valid
    chains = [demo.certificates[name] for name in ("leader", "seal", "tsa")]
    assert pades.revocation_gaps([*chains, *demo.chain], demo.crls) == []


def test_b_lta_document_timestamp_reported_and_renewed(demo, kinds):
    b_lta = kinds["b_lta"]
    report = pades.verify_pdf(b_lta, [demo.root.certificate])
    assert report.verdict == "valid", report.explanation
    kinds_seen = [sig.kind for sig in report.signatures]
    assert kinds_seen == [pades.KIND_SIGNATURE, pades.KIND_SIGNATURE, pades.KIND_DOCUMENT_TIMESTAMP]
    stamp = report.signatures[-1]
    assert stamp.trusted and stamp.timestamp_valid
    # Only the validation data of its own TSA (/DSS) may follow it.
    assert stamp.modifications in ("none", "validation data")
    assert stamp.signer == "UBND tỉnh Demo - Time-Stamping Authority"

    state = pades.archive_state(b_lta)
    assert state.timestamp is not None and not state.due
    assert state.tsa_expires == demo.tsa_certificate.not_valid_after_utc
    assert state.renew_by == state.tsa_expires - pades.ARCHIVE_RENEWAL_MARGIN
    assert pades.archive_state(b_lta, at=state.renew_by + timedelta(seconds=1)).due
    assert pades.archive_state(kinds["b_lt"]).due  # no document time-stamp yet

    renewed = pades.add_archive_timestamp(
        b_lta, tsa(demo), trust_roots=[demo.root.certificate], crls=demo.crls
    )
    again = pades.verify_pdf(renewed, [demo.root.certificate])
    assert again.verdict == "valid"
    assert [s.kind for s in again.signatures].count(pades.KIND_DOCUMENT_TIMESTAMP) == 2
    assert pades.archive_state(renewed).timestamp > state.timestamp


def test_archive_timestamp_refused_when_the_last_one_cannot_be_validated(demo, kinds, tmp_path):
    other = pki.generate_demo_pki(tmp_path / "other", PASSPHRASE)
    # The last time-stamp's TSA does not chain to the roots given: no renewal on top of it.
    with pytest.raises(pki.SigningError, match="document time-stamp cannot be added"):
        pades.add_archive_timestamp(
            kinds["b_lta"], tsa(demo), trust_roots=[other.root.certificate], crls=other.crls
        )


# --------------------------------------------------------------------------------------------
# The report's hard cases


def without_field(pdf: bytes, name: str) -> bytes:
    """An incremental update that removes the signature field ``name`` (and its widget)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    acro_ref = writer.root.raw_get("/AcroForm")
    acro = writer.root["/AcroForm"]
    acro["/Fields"] = generic.ArrayObject(
        [f for f in acro["/Fields"] if f.get_object().get("/T") != name]
    )
    if isinstance(acro_ref, generic.IndirectObject):
        writer.mark_update(acro_ref)
    else:
        writer.update_root()
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    page["/Annots"] = generic.ArrayObject(
        [a for a in page["/Annots"] if a.get_object().get("/T") != name]
    )
    writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signature_removed_by_a_later_revision_is_reported(demo, kinds):
    stripped = without_field(kinds["seal"], "DauCoQuan")
    report = pades.verify_pdf(stripped, [demo.root.certificate], demo.crls)
    assert report.verdict == "invalid"
    names = {sig.field_name: sig for sig in report.signatures}
    assert set(names) == {"ChuKyLanhDao", "DauCoQuan"}
    removed = names["DauCoQuan"]
    assert removed.kind == pades.KIND_REMOVED
    assert (removed.indication, removed.subindication) == (
        pades.TOTAL_FAILED,
        "SIG_CONSTRAINTS_FAILURE",
    )
    assert "removed or replaced by a later revision" in str(removed.explanation)
    assert "DauCoQuan" in str(report.explanation)


def test_an_intact_document_reports_nothing_removed(demo, kinds):
    report = pades.verify_pdf(kinds["seal"], [demo.root.certificate], demo.crls)
    assert pades.KIND_REMOVED not in [sig.kind for sig in report.signatures]
    assert report.verdict == "valid"


def zero_last_signature(pdf: bytes) -> bytes:
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    return pdf[:start] + b"0" * (end - start) + pdf[end:]


def test_a_corrupt_signature_gets_its_own_verdict(demo, kinds):
    corrupt = zero_last_signature(kinds["seal"])
    assert len(corrupt) == len(kinds["seal"])
    report = pades.verify_pdf(corrupt, [demo.root.certificate], demo.crls)
    first, second = report.signatures
    assert first.field_name == "ChuKyLanhDao" and first.verdict == "valid"
    assert second.field_name == "DauCoQuan"
    assert (second.indication, second.subindication) == (pades.TOTAL_FAILED, "FORMAT_FAILURE")
    assert "cannot be read" in str(second.explanation)
    assert report.verdict == "invalid"


def test_cli_verify_exits_0_with_a_verdict_for_any_readable_pdf(tmp_path, demo, kinds, capsys):
    root = tmp_path / "root.pem"
    root.write_bytes(demo.root.certificate.public_bytes(serialization.Encoding.PEM))
    cases = {
        "valid": kinds["b_lta"],
        "invalid": zero_last_signature(kinds["seal"]),
        "indeterminate": make_pdf(),  # no signature at all
    }
    for verdict, data in cases.items():
        path = tmp_path / f"{verdict}.pdf"
        path.write_bytes(data)
        assert main(["verify", str(path), "--trust", str(root)]) == 0
        assert f"overall: {verdict.upper()}" in capsys.readouterr().out
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    assert main(["verify", str(tmp_path / "junk.pdf"), "--trust", str(root)]) == 2


def test_cli_verify_json(tmp_path, demo, kinds, capsys):
    import json

    root = tmp_path / "root.pem"
    root.write_bytes(demo.root.certificate.public_bytes(serialization.Encoding.PEM))
    path = tmp_path / "stripped.pdf"
    path.write_bytes(without_field(kinds["seal"], "DauCoQuan"))
    assert main(["verify", str(path), "--trust", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "invalid"
    assert [(s["field"], s["kind"]) for s in data["signatures"]] == [
        ("ChuKyLanhDao", "signature"),
        ("DauCoQuan", "removed signature"),
    ]


def test_timestamp_time_is_recent(kinds):
    state = pades.archive_state(kinds["b_lta"])
    assert abs(state.timestamp - datetime.now(UTC)) < timedelta(hours=1)
    assert re.fullmatch(r".+Time-Stamping Authority", state.tsa_name)


def test_a_signature_replaced_by_a_later_revision_is_reported(demo, kinds):
    # The seal is stripped and the field signed again by someone else: the document now shows
    # a valid seal, but the one made first is gone, and the report says so.
    other = pades.sign_pdf(
        without_field(kinds["seal"], "DauCoQuan"),
        demo.signer("exchange"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
    )
    report = pades.verify_pdf(other, [demo.root.certificate], demo.crls)
    kinds_seen = [(sig.field_name, sig.kind) for sig in report.signatures]
    assert ("DauCoQuan", pades.KIND_SIGNATURE) in kinds_seen
    assert ("DauCoQuan", pades.KIND_REMOVED) in kinds_seen
    assert report.verdict == "invalid"
