"""Demo CA, PKCS#12 round trip and certificate checks (cchc_core.pki)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cchc_core import pki
from cchc_core.messages import Message

PASSPHRASE = "mật-khẩu-demo"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)


def test_demo_ca_chain_and_files(demo):
    leader = demo.certificates["leader"]
    assert leader.issuer == demo.intermediate.certificate.subject
    assert demo.intermediate.certificate.issuer == demo.root.certificate.subject
    leader.verify_directly_issued_by(demo.intermediate.certificate)
    demo.intermediate.certificate.verify_directly_issued_by(demo.root.certificate)
    names = {p.name for p in demo.directory.iterdir()}
    assert {"leader.p12", "seal.p12", "root.pem", "intermediate.crl"} <= names
    # No CA private key is written anywhere.
    assert not any(n.endswith((".key", "-key.pem")) for n in names)
    assert leader.public_key().key_size == 2048


def test_demo_hierarchy_publishes_both_crls(demo):
    # As a real hierarchy: the root's CRL covers the intermediate, which names where it is.
    root, intermediate = demo.root.certificate, demo.intermediate.certificate
    assert demo.root_crl.issuer == root.subject
    assert demo.root_crl.is_signature_valid(root.public_key())
    assert demo.crl.issuer == intermediate.subject
    assert demo.crls == (demo.crl, demo.root_crl)
    points = intermediate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == pki.DEMO_ROOT_CRL_URL
    assert (demo.directory / "root.crl").read_bytes() == demo.root_crl.public_bytes(
        serialization.Encoding.DER
    )
    assert pki.find_revocation(intermediate, [demo.root_crl]) is None


def test_load_signer_round_trip(demo):
    signer = demo.signer("leader")
    assert signer.certificate == demo.certificates["leader"]
    assert signer.name == "Nguyễn Văn An"
    assert demo.intermediate.certificate in signer.chain


def test_wrong_passphrase_is_a_signing_error(demo):
    with pytest.raises(pki.SigningError, match="wrong passphrase") as caught:
        pki.load_signer(demo.pkcs12("leader"), "not the passphrase")
    assert isinstance(caught.value.args[0], Message)


def test_not_a_pkcs12_file():
    with pytest.raises(pki.SigningError, match="not a PKCS#12"):
        pki.load_signer(b"%PDF-1.7 hello", PASSPHRASE)


def test_export_requires_a_passphrase(demo):
    signer = demo.signer("seal")
    with pytest.raises(pki.SigningError, match="passphrase is required"):
        pki.export_pkcs12(signer.certificate, signer.private_key, "")


def test_check_accepts_a_good_certificate(demo):
    pki.check_signing_certificate(demo.certificates["leader"], crls=[demo.crl])


def test_check_refuses_expired(demo):
    with pytest.raises(pki.SigningError, match="expired") as caught:
        pki.check_signing_certificate(demo.certificates["expired"])
    assert caught.value.args[0].params["name"] == "Trần Thị Hết Hạn"


def test_check_refuses_not_yet_valid(demo):
    early = demo.certificates["leader"].not_valid_before_utc - timedelta(days=1)
    with pytest.raises(pki.SigningError, match="not valid before"):
        pki.check_signing_certificate(demo.certificates["leader"], at=early)


def test_check_refuses_revoked_only_after_revocation(demo):
    revoked = demo.certificates["revoked"]
    with pytest.raises(pki.SigningError, match="revoked"):
        pki.check_signing_certificate(revoked, crls=[demo.crl])
    entry = pki.find_revocation(revoked, [demo.crl])
    assert entry is not None
    before = entry.revocation_date_utc - timedelta(minutes=30)
    pki.check_signing_certificate(revoked, at=before, crls=[demo.crl])
    assert pki.find_revocation(demo.certificates["leader"], [demo.crl]) is None


def test_check_refuses_missing_key_usage(demo):
    with pytest.raises(pki.SigningError, match="digitalSignature or nonRepudiation"):
        pki.check_signing_certificate(demo.certificates["no_usage"])


def test_crl_round_trip(demo):
    der = (demo.directory / "intermediate.crl").read_bytes()
    crl = pki.load_crl(der)
    assert crl.issuer == demo.intermediate.certificate.subject
    assert isinstance(crl, x509.CertificateRevocationList)
    with pytest.raises(pki.SigningError, match="revocation list"):
        pki.load_crl(b"garbage")


def test_issue_with_explicit_period(demo):
    start = datetime(2030, 1, 1, tzinfo=UTC)
    cert, _key = pki.issue_certificate(
        demo.intermediate, "Tương Lai", not_before=start, not_after=start + timedelta(days=10)
    )
    assert cert.not_valid_before_utc == start
    with pytest.raises(pki.SigningError, match="not valid before"):
        pki.check_signing_certificate(cert)


def test_demo_tsa_certificate_is_for_time_stamping_only(demo):
    tsa = demo.tsa_certificate
    assert tsa is not None and demo.certificates["tsa"] == tsa
    tsa.verify_directly_issued_by(demo.intermediate.certificate)
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical
    assert list(eku.value) == [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]
    usage = tsa.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.content_commitment
    assert not usage.key_cert_sign
    assert not tsa.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert demo.tsa_key.public_key().public_numbers() == tsa.public_key().public_numbers()
    # Its key stays in memory: no file names the TSA.
    assert not any("tsa" in p.name for p in demo.directory.iterdir())
    assert "tsa" not in demo.files


def test_signer_certificates_keep_email_protection(demo):
    eku = demo.certificates["leader"].extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert not eku.critical
    assert list(eku.value) == [x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION]
