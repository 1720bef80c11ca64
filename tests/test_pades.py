"""Signing, sealing, external signing and verification of PDFs (cchc_core.pades)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.pdfgen import canvas

from cchc_core import pades, pki
from cchc_core.messages import Message

PASSPHRASE = "mật-khẩu-demo"
LEADER_BOX = (320.0, 120.0, 520.0, 200.0)
WHEN = datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("other"), PASSPHRASE)


def make_pdf(text: str = "QUYET DINH so .../QD-UBND", **canvas_args) -> bytes:
    out = io.BytesIO()
    # Uncompressed, so that a test can edit the text in place.
    page = canvas.Canvas(out, pageCompression=0, **canvas_args)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return out.getvalue()


LEADER_LOOK = pades.Appearance(
    "Nguyễn Văn An", position="PHÓ CHỦ TỊCH", on_behalf="KT. CHỦ TỊCH", time=WHEN
)


def sign_leader(demo, pdf: bytes | None = None, **kwargs) -> bytes:
    return pades.sign_pdf(
        pdf or make_pdf(),
        kwargs.pop("signer", None) or demo.signer("leader"),
        field_name="ChuKyLanhDao",
        box=LEADER_BOX,
        appearance=LEADER_LOOK,
        reason="Phê duyệt",
        location="Tỉnh Demo",
        **kwargs,
    )


def seal(demo, signed: bytes) -> bytes:
    return pades.sign_pdf(
        signed,
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        appearance=pades.Appearance("UBND tỉnh Demo"),
        reason="Phát hành",
    )


@pytest.fixture(scope="session")
def sealed(demo) -> bytes:
    return seal(demo, sign_leader(demo))


def pyhanko_statuses(pdf: bytes, roots, crls=()):
    reader = PdfFileReader(io.BytesIO(pdf))
    statuses = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(
            trust_roots=[
                asn1_x509.Certificate.load(r.public_bytes(serialization.Encoding.DER))
                for r in roots
            ],
            crls=[c.public_bytes(serialization.Encoding.DER) for c in crls],
            allow_fetching=False,
        )
        statuses.append((embedded.field_name, validate_pdf_signature(embedded, context)))
    return statuses


# ------------------------------------------------------------------------------------------


def test_leader_and_seal_both_valid_in_pyhanko(demo, sealed):
    statuses = pyhanko_statuses(sealed, [demo.root.certificate], [demo.crl])
    assert [name for name, _ in statuses] == ["ChuKyLanhDao", "DauCoQuan"]
    for _name, status in statuses:
        assert status.intact
        assert status.valid
        assert status.trusted
        assert status.bottom_line


def test_verify_report_both_passed(demo, sealed):
    report = pades.verify_pdf(sealed, [demo.root.certificate], demo.crls)
    assert report.indication == pades.TOTAL_PASSED
    assert report.verdict == "valid"
    leader, stamp = report.signatures
    assert leader.signer == "Nguyễn Văn An"
    assert stamp.signer == "UBND tỉnh Demo"
    assert leader.trusted and stamp.trusted
    assert leader.revocation_checked and not leader.revoked
    assert leader.valid_at_signing_time is True
    assert leader.signing_time == WHEN
    # The seal came after the leader's signature as a signature only.
    assert leader.coverage == "entire revision"
    assert leader.modifications == "form filling and signatures"
    assert stamp.coverage == "entire file"
    assert leader.chain[0].startswith("Common Name: CCHC Demo Root CA")


def test_revocation_checked_only_for_the_whole_chain(demo, sealed):
    # The intermediate's CRL alone covers the signer, not the intermediate CA itself.
    only_intermediate = pades.verify_pdf(sealed, [demo.root.certificate], [demo.crl])
    assert only_intermediate.verdict == "valid"
    assert not only_intermediate.signatures[0].revocation_checked
    chain = [demo.certificates["leader"], demo.intermediate.certificate, demo.root.certificate]
    assert pades.revocation_gaps(chain, [demo.crl]) == [demo.intermediate.certificate]
    assert pades.revocation_gaps(chain, demo.crls) == []


def test_on_behalf_in_metadata_and_appearance(demo, sealed):
    report = pades.verify_pdf(sealed, [demo.root.certificate])
    leader = report.signatures[0]
    assert leader.reason == "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH: Phê duyệt"
    assert leader.name == "Nguyễn Văn An"
    assert leader.location == "Tỉnh Demo"
    top, bottom = pades.appearance_lines(LEADER_LOOK)
    assert top == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert bottom[0] == "Nguyễn Văn An"
    # Vietnam time, never UTC: 06:20 UTC shows as 13:20 +07:00.
    assert (WHEN + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M:%S +07:00") in bottom[1]
    assert "KT. CHỦ TỊCH" in appearance_text(sealed, "ChuKyLanhDao")
    assert "Nguyễn Văn An" in appearance_text(sealed, "ChuKyLanhDao")


def appearance_text(pdf: bytes, field: str) -> str:
    """The text drawn in a signature's appearance, decoded through the font's ToUnicode."""
    reader = PdfFileReader(io.BytesIO(pdf))
    annot = next(e for e in reader.embedded_signatures if e.field_name == field).sig_field
    stream = annot["/AP"]["/N"]
    font = stream["/Resources"]["/Font"]["/F1"]
    cmap = zlib.decompress(font["/ToUnicode"].encoded_data).decode()
    codes = {
        int(code, 16): chr(int(uni, 16))
        for code, uni in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)
    }
    lines = []
    for hexed in re.findall(rb"<([0-9a-f]+)> Tj", stream.data):
        raw = bytes.fromhex(hexed.decode())
        lines.append("".join(codes[b] for b in raw))
    return "\n".join(lines)


def test_seal_box_covers_left_third():
    x1, y1, x2, y2 = pades.seal_box(LEADER_BOX)
    third = LEADER_BOX[0] + (LEADER_BOX[2] - LEADER_BOX[0]) / 3
    assert x2 == pytest.approx(third)
    assert x1 < LEADER_BOX[0] + 1 or x2 - x1 == pytest.approx(y2 - y1)
    assert (y1, y2) == (LEADER_BOX[1], LEADER_BOX[3])


def test_seal_with_image(demo):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 0, 0, 128)).save(png, "PNG")
    signed = pades.sign_pdf(
        sign_leader(demo),
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        appearance=pades.Appearance("", image=png.getvalue()),
    )
    report = pades.verify_pdf(signed, [demo.root.certificate])
    assert [s.indication for s in report.signatures] == [pades.TOTAL_PASSED] * 2
    assert b"/SMask" in signed


def test_external_signing_with_a_token_key(demo):
    token = demo.signer("leader")  # the key "held by the token"
    prepared, digest, state = pades.prepare_external(
        make_pdf(),
        token.certificate,
        field_name="ChuKyLanhDao",
        box=LEADER_BOX,
        appearance=LEADER_LOOK,
        chain=token.chain,
    )
    assert len(digest) == 32
    assert prepared == state.prepared_pdf
    # The token side: pyHanko's own CMS builder with the key, over the digest it was given.
    key = serialization.load_der_private_key(
        token.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        None,
    )
    from asn1crypto import keys

    remote = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            token.certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [
                asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                for c in token.chain
            ]
        ),
    )
    cms = asyncio.run(remote.async_sign(digest, "sha256", use_pades=True)).dump()
    signed = pades.embed_external(state, cms)
    report = pades.verify_pdf(signed, [demo.root.certificate], [demo.crl])
    assert report.verdict == "valid"
    assert report.signatures[0].signer == "Nguyễn Văn An"
    # A CMS over another digest is refused.
    other = asyncio.run(remote.async_sign(b"\x01" * 32, "sha256", use_pades=True)).dump()
    with pytest.raises(pki.SigningError, match="another document"):
        pades.embed_external(state, other)
    with pytest.raises(pki.SigningError, match="not a CMS"):
        pades.embed_external(state, b"not cms")


def test_b_lt_embeds_crl_in_dss(demo):
    signed = sign_leader(demo, embed_revocation=True, crls=demo.crls)
    root = PdfFileReader(io.BytesIO(signed)).root
    assert "/DSS" in root
    dss = root["/DSS"]
    crl_data = [s.get_object().data for s in dss["/CRLs"]]
    assert demo.crl.public_bytes(serialization.Encoding.DER) in crl_data
    assert demo.root_crl.public_bytes(serialization.Encoding.DER) in crl_data
    assert len(dss["/Certs"]) >= 1
    # The embedded CRL is enough: none passed to the verifier.
    report = pades.verify_pdf(signed, [demo.root.certificate])
    assert report.verdict == "valid"
    assert report.signatures[0].revocation_checked


def test_b_lt_needs_crls(demo):
    with pytest.raises(pki.SigningError, match="CRLs"):
        sign_leader(demo, embed_revocation=True)


# ------------------------------------------------------------------------------------------
# Refusals and failures


def test_expired_certificate_refused(demo):
    with pytest.raises(pki.SigningError, match="expired"):
        sign_leader(demo, signer=demo.signer("expired"))


def test_certificate_without_signing_usage_refused(demo):
    with pytest.raises(pki.SigningError, match="digitalSignature or nonRepudiation"):
        sign_leader(demo, signer=demo.signer("no_usage"))


def test_revoked_certificate_refused_with_crl(demo):
    with pytest.raises(pki.SigningError, match="revoked"):
        sign_leader(demo, signer=demo.signer("revoked"), crls=[demo.crl])


def test_revoked_certificate_verifies_as_revoked(demo):
    # Signed offline (no CRL at hand), verified with the CRL.
    signed = pades.sign_pdf(
        make_pdf(),
        demo.signer("revoked"),
        field_name="Sig",
        box=LEADER_BOX,
        appearance=pades.Appearance("Lê Văn Thu Hồi"),
    )
    report = pades.verify_pdf(signed, [demo.root.certificate], [demo.crl])
    sig = report.signatures[0]
    assert sig.revoked
    assert sig.subindication == "REVOKED"
    assert report.verdict == "invalid"
    assert "revoked" in report.explanation
    assert isinstance(report.explanation, Message)


def test_untrusted_root_is_indeterminate(demo, other_ca, sealed):
    report = pades.verify_pdf(sealed, [other_ca.root.certificate])
    assert report.indication == pades.INDETERMINATE
    assert report.verdict == "indeterminate"
    assert all(not s.trusted for s in report.signatures)
    assert "trusted authority" in report.explanation


def test_verify_at_a_time_after_expiry_is_indeterminate(demo, sealed):
    later = demo.certificates["leader"].not_valid_after_utc.replace(year=2100)
    report = pades.verify_pdf(sealed, [demo.root.certificate], at=later)
    assert report.indication == pades.INDETERMINATE


def test_bytes_changed_after_signing_are_invalid(demo, sealed):
    marker = b"QUYET DINH"
    position = sealed.index(marker)
    assert position < len(sealed) // 2  # inside the leader's signed range
    tampered = sealed.replace(marker, b"QUYET DINX", 1)
    assert tampered != sealed
    report = pades.verify_pdf(tampered, [demo.root.certificate])
    assert report.verdict == "invalid"
    assert report.signatures[0].subindication == "HASH_FAILURE"
    assert "changed after signing" in report.explanation


def test_incremental_edit_after_signing_is_invalid(demo):
    report = pades.verify_pdf(edit_page(sign_leader(demo)), [demo.root.certificate])
    sig = report.signatures[0]
    assert sig.intact  # the signed revision itself is untouched
    assert sig.modifications == "other"
    assert report.verdict == "invalid"
    assert "modified after signing" in report.explanation


def test_non_pdf_refused(demo):
    for call in (
        lambda data: pades.sign_pdf(data, demo.signer("leader"), field_name="S"),
        lambda data: pades.verify_pdf(data, [demo.root.certificate]),
    ):
        with pytest.raises(pades.PdfInputError, match="not a PDF"):
            call(b"PK\x03\x04 a zip file, not a PDF")
        with pytest.raises(pades.PdfInputError, match="empty"):
            call(b"")


def test_corrupted_pdf_refused(demo):
    damaged = make_pdf()[:200]
    with pytest.raises(pades.PdfInputError, match="damaged"):
        pades.sign_pdf(damaged, demo.signer("leader"), field_name="S")
    with pytest.raises(pades.PdfInputError, match="damaged"):
        pades.verify_pdf(damaged, [demo.root.certificate])


def test_encrypted_pdf_refused(demo):
    encrypted = make_pdf(encrypt="user-password")
    with pytest.raises(pades.PdfInputError, match="encrypted"):
        pades.sign_pdf(encrypted, demo.signer("leader"), field_name="S")
    with pytest.raises(pades.PdfInputError, match="encrypted"):
        pades.verify_pdf(encrypted, [demo.root.certificate])


def test_unsigned_pdf_is_indeterminate(demo):
    report = pades.verify_pdf(make_pdf(), [demo.root.certificate])
    assert report.signatures == []
    assert report.verdict == "indeterminate"


def test_same_field_twice_refused(demo):
    signed = sign_leader(demo)
    with pytest.raises(pki.SigningError, match="already signed"):
        sign_leader(demo, signed)


def test_page_out_of_range_refused(demo):
    with pytest.raises(pki.SigningError, match="no page 3"):
        pades.sign_pdf(make_pdf(), demo.signer("leader"), field_name="S", page=2, box=LEADER_BOX)


def test_prepared_signer_reused(demo):
    signer = demo.signer("leader")
    assert pades.prepare_signer(signer) is pades.prepare_signer(signer)
    first = sign_leader(demo, signer=signer)
    second = sign_leader(demo, signer=signer)
    for pdf in (first, second):
        assert pades.verify_pdf(pdf, [demo.root.certificate]).verdict == "valid"


# ------------------------------------------------------------------------------------------
# Fast verification path: it must agree with pyHanko's full validation, or step aside.


def both_paths(demo, pdf: bytes, roots=None, crls=()):
    """(fast reports or None, full reports) with the arguments verify_pdf would pass."""
    roots = pades._roots(roots or [demo.root.certificate])
    crl_der = pades._crl_der(crls)
    return (
        pades._verify_fast(pdf, roots, crl_der, None),
        pades._verify_full(pdf, roots, crl_der, None),
    )


def edit_page(pdf: bytes) -> bytes:
    """An incremental revision that adds text to the first page (not a signature)."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 500 Td (FAKE) Tj ET")
    )
    page["/Contents"] = generic.ArrayObject([page["/Contents"], extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_fast_path_covers_leader_and_seal_and_agrees(demo, sealed):
    fast, full = both_paths(demo, sealed, crls=[demo.crl])
    assert fast is not None  # the fast path handled it
    assert [r.verdict for r in fast] == ["valid", "valid"]
    assert fast == full
    assert fast[0].modifications == "form filling and signatures"
    assert fast[0].coverage == "entire revision" and fast[1].coverage == "entire file"


def test_fast_path_agrees_for_seal_with_image_and_untrusted_root(demo, other_ca, sealed):
    fast, full = both_paths(demo, sealed, roots=[other_ca.root.certificate])
    assert fast is not None
    assert fast == full
    assert {r.verdict for r in fast} == {"indeterminate"}


def test_fast_path_agrees_at_a_time_after_expiry(demo, sealed):
    later = demo.certificates["leader"].not_valid_after_utc.replace(year=2100)
    roots = pades._roots([demo.root.certificate])
    fast = pades._verify_fast(sealed, roots, [], later)
    full = pades._verify_full(sealed, roots, [], later)
    assert fast is not None and fast == full
    assert fast[0].indication == pades.INDETERMINATE


def test_fast_path_agrees_on_revoked(demo):
    signed = seal(
        demo,
        pades.sign_pdf(
            make_pdf(),
            demo.signer("revoked"),
            field_name="Sig",
            box=LEADER_BOX,
            appearance=pades.Appearance("Lê Văn Thu Hồi"),
        ),
    )
    fast, full = both_paths(demo, signed, crls=[demo.crl])
    assert fast is not None and fast == full
    assert fast[0].revoked and fast[0].subindication == "REVOKED"
    assert pades.verify_pdf(signed, [demo.root.certificate], [demo.crl]).verdict == "invalid"


def test_fast_path_agrees_on_b_lt(demo):
    leader = sign_leader(demo, embed_revocation=True, crls=demo.crls)
    both = pades.sign_pdf(
        leader,
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        embed_revocation=True,
        crls=demo.crls,
    )
    for pdf in (leader, both):
        fast, full = both_paths(demo, pdf)
        assert fast is not None and fast == full
        assert all(r.verdict == "valid" and r.revocation_checked for r in fast)


def test_fast_path_never_condemns_tampered_bytes(demo, sealed):
    tampered = sealed.replace(b"QUYET DINH", b"QUYET DINX", 1)
    fast, full = both_paths(demo, tampered)
    assert fast is None  # a failed digest is reported by the full path only
    assert full[0].subindication == "HASH_FAILURE"
    assert pades.verify_pdf(tampered, [demo.root.certificate]).verdict == "invalid"


def test_fast_path_never_condemns_a_changed_signature_value(demo, sealed):
    # Flip one hex digit of the seal's RSA signature (at the end of its CMS).
    start = sealed.rindex(b"/Contents <") + len(b"/Contents <")
    end = sealed.index(b">", start)
    hexed = sealed[start:end].rstrip(b"0")
    position = start + len(hexed) - 10
    flipped = b"0" if sealed[position : position + 1] != b"0" else b"1"
    changed = sealed[:position] + flipped + sealed[position + 1 :]
    fast, full = both_paths(demo, changed)
    assert fast is None
    assert pades.verify_pdf(changed, [demo.root.certificate]).verdict == "invalid"
    assert full[1].verdict == "invalid"


def test_page_edit_after_signatures_falls_back_and_is_invalid(demo, sealed):
    edited = edit_page(sealed)
    fast, full = both_paths(demo, edited)
    assert fast is None  # not a signature-only revision: pyHanko's DiffAnalysis decides
    assert [r.modifications for r in full] == ["other", "other"]
    report = pades.verify_pdf(edited, [demo.root.certificate])
    assert report.verdict == "invalid"
    assert "modified after signing" in report.explanation


def test_page_edit_between_signatures_falls_back_and_is_invalid(demo):
    edited_then_sealed = seal(demo, edit_page(sign_leader(demo)))
    fast, full = both_paths(demo, edited_then_sealed)
    assert fast is None
    assert full[0].modifications == "other"
    assert full[1].verdict == "valid"
    assert pades.verify_pdf(edited_then_sealed, [demo.root.certificate]).verdict == "invalid"


def test_fast_path_covers_a_single_signature(demo):
    signed = sign_leader(demo)
    fast, full = both_paths(demo, signed, crls=[demo.crl])
    assert fast is not None and fast == full
    assert fast[0].coverage == "entire file" and fast[0].modifications == "none"


def test_chain_cache_follows_the_trust_roots(demo, other_ca, sealed):
    # A cached "trusted" must not leak to a call with other roots, nor the reverse.
    assert pades.verify_pdf(sealed, [demo.root.certificate]).verdict == "valid"
    assert pades.verify_pdf(sealed, [other_ca.root.certificate]).verdict == "indeterminate"
    assert pades.verify_pdf(sealed, [demo.root.certificate]).verdict == "valid"


# ------------------------------------------------------------------------------------------
# PAdES B-T: a signature time-stamp from a (local, test-only) time-stamping authority.


def tsa_of(ca: pki.DemoPki, at: datetime | None = WHEN):
    return pades.local_timestamper(ca.tsa_certificate, ca.tsa_key, ca.chain, at=at)


def token_of(pdf: bytes, field_name: str):
    """The signature time-stamp token (a CMS ContentInfo) of a field, or None."""
    reader = PdfFileReader(io.BytesIO(pdf))
    embedded = next(e for e in reader.embedded_signatures if e.field_name == field_name)
    unsigned = embedded.signer_info["unsigned_attrs"]
    if not unsigned:
        return None
    found = [a for a in unsigned if a["type"].native == "signature_time_stamp_token"]
    return found[0]["values"][0] if found else None


@pytest.fixture(scope="session")
def leader_b_t(demo) -> bytes:
    return sign_leader(demo, timestamper=tsa_of(demo))


def test_b_t_token_is_valid_in_pyhanko(demo, leader_b_t):
    token = token_of(leader_b_t, "ChuKyLanhDao")
    assert token is not None
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    assert tst_info["gen_time"].native == WHEN
    [(_name, status)] = pyhanko_statuses(leader_b_t, [demo.root.certificate], [demo.crl])
    ts = status.timestamp_validity
    assert ts is not None
    assert ts.intact and ts.valid and ts.trusted
    assert ts.timestamp == WHEN
    assert ts.signing_cert.subject.native["common_name"].endswith("Time-Stamping Authority")
    assert status.bottom_line


def test_b_t_verify_reports_a_valid_timestamp(demo, leader_b_t):
    report = pades.verify_pdf(leader_b_t, [demo.root.certificate], [demo.crl])
    assert report.verdict == "valid"
    [sig] = report.signatures
    assert sig.timestamp == WHEN
    assert sig.timestamp_valid is True
    assert sig.indication == pades.TOTAL_PASSED and sig.trusted


def test_b_b_has_no_timestamp(demo, sealed):
    assert token_of(sealed, "ChuKyLanhDao") is None
    report = pades.verify_pdf(sealed, [demo.root.certificate], [demo.crl])
    assert [(s.timestamp, s.timestamp_valid) for s in report.signatures] == [(None, None)] * 2


def test_leader_and_seal_b_t_both_valid(demo, leader_b_t):
    sealed_b_t = pades.sign_pdf(
        leader_b_t,
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        appearance=pades.Appearance("UBND tỉnh Demo"),
        timestamper=tsa_of(demo, at=None),
    )
    statuses = pyhanko_statuses(sealed_b_t, [demo.root.certificate], [demo.crl])
    assert [name for name, _ in statuses] == ["ChuKyLanhDao", "DauCoQuan"]
    for _name, status in statuses:
        assert status.timestamp_validity is not None and status.timestamp_validity.trusted
        assert status.bottom_line
    report = pades.verify_pdf(sealed_b_t, [demo.root.certificate], [demo.crl])
    assert report.verdict == "valid"
    assert [s.timestamp_valid for s in report.signatures] == [True, True]
    assert report.signatures[0].timestamp == WHEN
    assert report.signatures[1].timestamp is not None
    assert report.signatures[0].modifications == "form filling and signatures"


def test_b_t_from_an_untrusted_tsa_is_indeterminate(demo, other_ca):
    # The signer is trusted; the token is signed by the TSA of another CA.
    signed = sign_leader(demo, timestamper=tsa_of(other_ca))
    # Every CRL of the hierarchy: with the intermediate's alone, certvalidator cannot tell
    # which of the two same-named intermediates signed it.
    [(_name, status)] = pyhanko_statuses(signed, [demo.root.certificate], demo.crls)
    assert status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert not status.timestamp_validity.trusted
    assert not status.bottom_line
    report = pades.verify_pdf(signed, [demo.root.certificate], demo.crls)
    [sig] = report.signatures
    assert sig.trusted and sig.intact and sig.valid
    assert sig.timestamp == WHEN
    assert sig.timestamp_valid is False
    assert sig.indication == pades.INDETERMINATE
    assert sig.subindication != "TIMESTAMP_ORDER_FAILURE"
    assert sig.explanation.template == "the time-stamp of the signature is not valid"
    assert report.verdict == "indeterminate"
    assert "time-stamp" in str(report.explanation)
    # Trusting the other CA as well (it anchors the TSA) makes the same file valid. (No CRLs:
    # both demo CAs have the same names, so one's CRL would be tried on the other's TSA.)
    both = [demo.root.certificate, other_ca.root.certificate]
    again = pades.verify_pdf(signed, both)
    assert again.verdict == "valid" and again.signatures[0].timestamp_valid is True


def test_fast_path_covers_b_t_and_agrees(demo, leader_b_t):
    fast, full = both_paths(demo, leader_b_t, crls=[demo.crl])
    assert fast is not None  # the token is checked on the fast path
    assert fast == full
    assert (fast[0].timestamp, fast[0].timestamp_valid, fast[0].verdict) == (WHEN, True, "valid")
    assert pades.verify_pdf(leader_b_t, [demo.root.certificate], [demo.crl]).signatures == full


def test_fast_path_covers_a_b_t_seal_on_a_b_b_leader(demo):
    seal_b_t = pades.sign_pdf(
        sign_leader(demo),
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        timestamper=tsa_of(demo),
    )
    fast, full = both_paths(demo, seal_b_t, crls=[demo.crl])
    assert fast is not None and fast == full
    assert [(r.timestamp, r.timestamp_valid) for r in fast] == [(None, None), (WHEN, True)]
    assert [r.verdict for r in fast] == ["valid", "valid"]


def b_lt_with_tsa(demo, timestamper=None) -> bytes:
    """Leader and seal, each time-stamped and with its validation data (/DSS): production's
    documents when a TSA is configured."""
    timestamper = timestamper or tsa_of(demo)
    return pades.sign_pdf(
        sign_leader(demo, timestamper=timestamper, embed_revocation=True, crls=demo.crls),
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        timestamper=timestamper,
        embed_revocation=True,
        crls=demo.crls,
    )


def test_fast_path_covers_b_lt_with_a_tsa_and_agrees(demo):
    pdf = b_lt_with_tsa(demo)
    for crls in ((), [demo.crl]):
        fast, full = both_paths(demo, pdf, crls=crls)
        assert fast is not None and fast == full
        assert [(r.verdict, r.timestamp, r.timestamp_valid) for r in fast] == [
            ("valid", WHEN, True)
        ] * 2
        assert all(r.revocation_checked for r in fast)


class OtherImprint:
    """A TSA that certifies the hash of another value than the signature it is given."""

    def __init__(self, timestamper):
        self.timestamper = timestamper

    async def async_timestamp(self, message_digest, md_algorithm):
        other = hashlib.sha256(b"another signature value").digest()
        return await self.timestamper.async_timestamp(other, md_algorithm)


def token_hex_span(pdf: bytes, field_name: str, der: bytes) -> int:
    """Where the hex of ``der`` (a part of the field's time-stamp token) is in the file."""
    position = pdf.lower().find(der.hex().encode())
    assert position > 0 and pdf.lower().find(der.hex().encode(), position + 1) < 0
    return position


def flip_hex(pdf: bytes, position: int) -> bytes:
    flipped = b"0" if pdf[position : position + 1] != b"0" else b"1"
    return pdf[:position] + flipped + pdf[position + 1 :]


def tampered_token_signature(pdf: bytes) -> bytes:
    """One hex digit of the TSA's signature changed (the document and the signer's CMS
    signature untouched: the token is an unsigned attribute)."""
    token = token_of(pdf, "ChuKyLanhDao")
    signature = token["content"]["signer_infos"][0]["signature"].native
    return flip_hex(pdf, token_hex_span(pdf, "ChuKyLanhDao", signature) + 40)


def tampered_token_time(pdf: bytes) -> bytes:
    """The certified time moved by ten minutes (a digit of the TSTInfo's genTime)."""
    token = token_of(pdf, "ChuKyLanhDao")
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    gen_time = tst_info["gen_time"].dump()
    assert gen_time.startswith(b"\x18")  # GeneralizedTime
    # The tens of minutes ("YYYYMMDDhhMM..." after the two header bytes): the second hex
    # digit of its character, so that it stays a digit.
    return flip_hex(pdf, token_hex_span(pdf, "ChuKyLanhDao", gen_time) + 2 * (2 + 10) + 1)


def issue_tsa_like(demo, **kwargs):
    """A certificate of the demo intermediate for a local TSA (``kwargs`` as issue_certificate)."""
    certificate, key = pki.issue_certificate(
        demo.intermediate, "CCHC Demo TSA (test)", organization="UBND tỉnh Demo", **kwargs
    )
    return certificate, key


def assert_never_valid_unless_full(fast, full, report):
    """The fast path stepped aside or agrees exactly; the verdict is the full path's."""
    assert fast is None or fast == full
    assert report.signatures == full
    return report


def test_a_token_over_another_signature_value_is_not_passed(demo):
    signed = sign_leader(demo, timestamper=OtherImprint(tsa_of(demo)))
    fast, full = both_paths(demo, signed, crls=[demo.crl])
    assert fast is None  # an imprint that does not match: pyHanko's token is not intact
    report = pades.verify_pdf(signed, [demo.root.certificate], [demo.crl])
    assert_never_valid_unless_full(fast, full, report)
    [sig] = report.signatures
    assert sig.timestamp_valid is False and sig.verdict == "indeterminate"
    assert sig.explanation.template == "the time-stamp of the signature is not valid"


@pytest.mark.parametrize("tamper", [tampered_token_signature, tampered_token_time])
def test_a_tampered_token_is_not_passed(demo, leader_b_t, tamper):
    tampered = tamper(leader_b_t)
    fast, full = both_paths(demo, tampered, crls=[demo.crl])
    assert fast is None  # the token's signature or digest does not match
    report = pades.verify_pdf(tampered, [demo.root.certificate], [demo.crl])
    assert_never_valid_unless_full(fast, full, report)
    [sig] = report.signatures
    assert sig.intact and sig.valid and sig.trusted  # the signature itself is sound
    assert sig.timestamp_valid is False and report.verdict == "indeterminate"


def test_an_untrusted_tsa_gets_the_full_paths_report(demo, other_ca):
    signed = sign_leader(demo, timestamper=tsa_of(other_ca))
    for roots, crls, verdict in (
        ([demo.root.certificate], demo.crls, "indeterminate"),
        ([demo.root.certificate], [], "indeterminate"),
        ([demo.root.certificate, other_ca.root.certificate], [], "valid"),
    ):
        fast, full = both_paths(demo, signed, roots=roots, crls=crls)
        assert fast is not None and fast == full  # the TSA's chain verdict is certvalidator's
        assert fast[0].verdict == verdict
        assert fast[0].timestamp_valid is (verdict == "valid")


def test_a_tsa_certificate_without_the_time_stamping_usage_is_not_passed(demo):
    # A leader-like certificate (e-mail protection): certvalidator refuses it for a TSA.
    certificate, key = issue_tsa_like(demo)
    timestamper = pades.local_timestamper(certificate, key, demo.chain, at=WHEN)
    signed = sign_leader(demo, timestamper=timestamper)
    fast, full = both_paths(demo, signed, crls=[demo.crl])
    assert fast is not None and fast == full  # certvalidator's verdict, with pyHanko's usage
    assert full[0].timestamp_valid is False and full[0].verdict == "indeterminate"
    assert full[0].subindication == "CHAIN_CONSTRAINTS_FAILURE"
    report = pades.verify_pdf(signed, [demo.root.certificate], [demo.crl])
    assert_never_valid_unless_full(fast, full, report)
    assert report.verdict == "indeterminate"


def test_a_revoked_tsa_certificate_is_not_passed(demo):
    certificate, key = pki.issue_tsa_certificate(demo.intermediate, "CCHC Demo TSA (revoked)")
    timestamper = pades.local_timestamper(certificate, key, demo.chain, at=WHEN)
    # B-T (a /DSS would bring the CRL that does not list it)
    signed = pades.sign_pdf(
        sign_leader(demo, timestamper=timestamper),
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        timestamper=timestamper,
    )
    revoked_crl = pki.make_crl(
        demo.intermediate,
        [(demo.certificates["revoked"], WHEN), (certificate, WHEN - timedelta(hours=2))],
    )
    for crls in ([revoked_crl, demo.root_crl], [demo.crl, demo.root_crl]):
        fast, full = both_paths(demo, signed, crls=crls)
        assert fast is None or fast == full
        report = pades.verify_pdf(signed, [demo.root.certificate], crls)
        assert_never_valid_unless_full(fast, full, report)
    # With the CRL that revokes it, neither signature's time-stamp is passed.
    fast, full = both_paths(demo, signed, crls=[revoked_crl, demo.root_crl])
    assert [r.timestamp_valid for r in full] == [False, False]
    assert [r.subindication for r in full] == ["REVOKED_NO_POE"] * 2
    assert fast == full  # certvalidator's verdict on the TSA, reached on the fast path


def test_a_time_stamped_cms_is_parsed_once_per_signer(demo, monkeypatch):
    # The signer's parts of a time-stamped CMS are the same from one document to the next but
    # for the digest and the signature: parsed once. Each token is checked on its own.
    from cchc_core.pades import fast_verify

    first = sign_leader(demo, timestamper=tsa_of(demo))
    second = sign_leader(demo, pdf=make_pdf("QUYET DINH so 2"), timestamper=tsa_of(demo, at=None))
    roots = pades._roots([demo.root.certificate])
    monkeypatch.setattr(fast_verify, "_cms_templates", {})
    parsed = []
    read_cms = fast_verify._read_cms
    monkeypatch.setattr(fast_verify, "_read_cms", lambda *args: parsed.append(1) or read_cms(*args))
    reports = [pades._verify_fast(pdf, roots, [], None) for pdf in (first, second, second)]
    assert len(parsed) == 1
    assert reports[0] == pades._verify_full(first, roots, [], None)
    assert reports[1] == reports[2] == pades._verify_full(second, roots, [], None)
    assert reports[0][0].timestamp == WHEN and reports[1][0].timestamp != WHEN
    # Through the template, a tampered token or a token of another document is still refused.
    for changed in (tampered_token_signature(second), tampered_token_time(first)):
        assert pades._verify_fast(changed, roots, [], None) is None
    swapped = second.replace(b"QUYET DINH so 2", b"QUYET DINH so 3", 1)
    assert pades._verify_fast(swapped, roots, [], None) is None
    assert len(parsed) == 1


def test_local_timestamper_needs_an_rsa_key(demo):
    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(pki.SigningError, match="RSA key") as caught:
        pades.local_timestamper(demo.tsa_certificate, ec.generate_private_key(ec.SECP256R1()))
    assert isinstance(caught.value.args[0], Message)


# ------------------------------------------------------------------------------------------
# The fast path's own reader (lite_pdf): used for our documents, and never disagreeing with
# the full path on tampered ones.


def in_seal_revision(demo, leader_signed: bytes, change) -> bytes:
    """The seal, its revision also carrying ``change(writer)`` (through the hook that fills
    text fields in the seal's revision)."""
    from unittest import mock

    with mock.patch(
        "cchc_core.pades.sign.fill_text_fields", lambda writer, _values: change(writer)
    ):
        return pades.sign_pdf(
            leader_signed,
            demo.signer("seal"),
            field_name="DauCoQuan",
            box=pades.seal_box(LEADER_BOX),
            appearance=pades.Appearance("UBND tỉnh Demo"),
            fill={"any": "thing"},
        )


def rotate_page(writer) -> None:
    from pyhanko.pdf_utils import generic

    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)


def remove_first_field(pdf: bytes) -> bytes:
    """A later revision that takes the leader's field out of /Fields."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    form = writer.root["/AcroForm"]
    form["/Fields"] = generic.ArrayObject(list(form["/Fields"])[1:])
    writer.update_container(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def shift_gap(pdf: bytes) -> bytes:
    """The leader's /ByteRange moved one byte left: its gap is no longer its /Contents."""
    match = re.search(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", pdf)
    a, b, c = (int(v) for v in match.groups())
    old, new = match.group(0), b"/ByteRange [0 %d %d %d]" % (a - 1, b - 1, c + 1)
    assert len(new) == len(old)
    return pdf.replace(old, new, 1)


def flip_in_certificate(demo, pdf: bytes) -> bytes:
    """One hex digit changed in the middle of the seal's certificate in its CMS (not the
    digest nor the RSA signature): no longer the CMS the signer made."""
    der = demo.certificates["seal"].public_bytes(serialization.Encoding.DER)
    position = pdf.lower().index(der.hex().encode()) + len(der)  # half-way through its hex
    flipped = b"0" if pdf[position : position + 1] != b"0" else b"1"
    return pdf[:position] + flipped + pdf[position + 1 :]


TAMPERED = {
    "a byte changed in a signed range": lambda demo, pdf: pdf.replace(
        b"QUYET DINH", b"QUYET DINX", 1
    ),
    "an object changed in the seal's revision": lambda demo, pdf: in_seal_revision(
        demo, sign_leader(demo), rotate_page
    ),
    "a field removed by a later revision": lambda demo, pdf: remove_first_field(pdf),
    "an extra revision changing the page": lambda demo, pdf: edit_page(pdf),
    "a /ByteRange gap that is not the /Contents": lambda demo, pdf: shift_gap(pdf),
    "a byte changed in the signer's certificate in a CMS": flip_in_certificate,
}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_fast_path_and_full_path_agree_on_tampered_documents(demo, sealed, case):
    tampered = TAMPERED[case](demo, sealed)
    fast, full = both_paths(demo, tampered, crls=[demo.crl])
    assert fast is None or fast == full
    report = pades.verify_pdf(tampered, [demo.root.certificate], [demo.crl])
    assert report.signatures[: len(full)] == full
    assert report.verdict != "valid"


def test_fast_path_steps_aside_for_a_changed_page_in_the_seal_revision(demo):
    changed = in_seal_revision(demo, sign_leader(demo), rotate_page)
    fast, full = both_paths(demo, changed)
    assert fast is None
    assert full[0].modifications == "other" and full[1].verdict == "valid"
    # The same hook doing nothing: a plain seal, which the fast path covers.
    plain = in_seal_revision(demo, sign_leader(demo), lambda writer: None)
    fast, full = both_paths(demo, plain)
    assert fast is not None and fast == full and [r.verdict for r in fast] == ["valid"] * 2


def test_our_documents_are_read_without_pyhankos_reader(demo, sealed, monkeypatch):
    from pyhanko.pdf_utils.reader import PdfFileReader as Reader

    b_lt = pades.sign_pdf(
        sign_leader(demo, embed_revocation=True, crls=demo.crls),
        demo.signer("seal"),
        field_name="DauCoQuan",
        box=pades.seal_box(LEADER_BOX),
        embed_revocation=True,
        crls=demo.crls,
    )
    b_t = seal(demo, sign_leader(demo, timestamper=tsa_of(demo)))
    expected = {
        pdf: pades._verify_full(pdf, pades._roots([demo.root.certificate]), [], None)
        for pdf in (sealed, b_lt, sign_leader(demo), b_t, b_lt_with_tsa(demo))
    }

    def refused(*_args, **_kwargs):
        raise AssertionError("pyHanko's reader or the full path was used")

    monkeypatch.setattr(Reader, "__init__", refused)
    monkeypatch.setattr(pades.verify, "_verify_full", refused)
    for pdf, full in expected.items():
        report = pades.verify_pdf(pdf, [demo.root.certificate])
        assert report.signatures == full and report.verdict == "valid"


def test_a_signers_cms_is_parsed_once(demo, monkeypatch):
    from cchc_core.pades import fast_verify

    first, second = sign_leader(demo), sign_leader(demo, pdf=make_pdf("QUYET DINH so 2"))
    roots = pades._roots([demo.root.certificate])
    monkeypatch.setattr(fast_verify, "_cms_templates", {})
    parsed = []
    read_cms = fast_verify._read_cms
    monkeypatch.setattr(fast_verify, "_read_cms", lambda *args: parsed.append(1) or read_cms(*args))
    reports = [pades._verify_fast(pdf, roots, [], None) for pdf in (first, second, second)]
    assert len(parsed) == 1
    assert reports[1] == reports[2] == pades._verify_full(second, roots, [], None)
    # The second document's digest is not the first's: checked on the bytes, not remembered.
    swapped = second.replace(b"QUYET DINH so 2", b"QUYET DINH so 3", 1)
    assert pades._verify_fast(swapped, roots, [], None) is None
    assert len(parsed) == 1
