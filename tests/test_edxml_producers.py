"""Packages in the shapes other e-office systems emit (tests/data/edxml, see its README), and
ours as they read them: xmlsec1 verifies what is signed, nobody's code but its own."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from cchc_core import edxml, pki
from cchc_core.cli import main

DATA = Path(__file__).resolve().parent / "data" / "edxml"
NS = f"{{{edxml.NS}}}"
# The signed fixtures' certificates are valid from 2026 to 2046.
AT = datetime(2026, 6, 1, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def certificate(name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(fixture(name))


ROOT = certificate("root.pem")
INTERMEDIATE = certificate("intermediate.pem")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), "mật-khẩu")


# --------------------------------------------------------------------------------------------
# Reading their shapes


def test_bkav_document_is_read():
    doc = edxml.parse(fixture("bkav_document.edxml"))
    assert isinstance(doc, edxml.Document)
    assert doc.document_id == "3f2b8c1a-6d4e-4b9a-a7c2-0e5d9f1b2c3d"
    assert doc.sender.organ_id == "000.00.12.H41"
    assert doc.sender.organ_in_charge == "UBND tỉnh Nghệ An"  # OrganInCharge
    assert [r.organ_id for r in doc.recipients] == ["000.00.07.H41", "000.00.09.H41"]
    assert (doc.code_number, doc.code_notation) == ("215", "SNV-CCHC")
    assert doc.promulgation_date == date(2026, 3, 2)
    assert (doc.type_code, doc.type_name) == (2, "Công văn")
    assert doc.due_date == date(2026, 3, 10)
    assert doc.to_places == ("Như trên", "Lưu: VT, CCHC")
    assert (doc.priority, doc.page_amount, doc.steering_type) == (1, 2, 0)
    # A new document repeating its own id in Bussiness replaces nothing.
    assert doc.business_type == edxml.BUSINESS_NEW
    assert doc.replaced_document_ids == ()


def test_bkav_attachments_are_their_files():
    doc = edxml.parse(fixture("bkav_document.edxml"))
    pdf, listing = doc.attachments
    assert (pdf.content_id, pdf.name, pdf.content_type) == (
        "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "215-SNV-CCHC.pdf",
        "application/pdf",
    )
    assert pdf.data.startswith(b"%PDF") and not pdf.unzipped
    # Zipped by the sender, labelled application/zip under the file's own name.
    assert listing.name == "danh-sach.txt"
    assert listing.unzipped and listing.content_type == "text/plain"
    assert listing.data.decode() == "Danh sách cán bộ dự họp: 12 người.\n"
    raw = edxml.parse(fixture("bkav_document.edxml"), unzip=False).attachments[1]
    assert raw.data.startswith(b"PK\x03\x04") and raw.content_type == "application/zip"


def test_vpcp_document_is_read_and_its_zipped_pdf_opened():
    doc = edxml.parse(fixture("vpcp_document.edxml"))
    assert doc.document_id == "e4c1a7b2-0f3d-4c5e-9a8b-7d6c5b4a3f21"
    assert doc.sender.organ_in_charge == "Văn phòng Chính phủ"
    assert doc.signer_name == "Gateway Auto" and doc.signer_position == ""
    assert doc.replaced_document_ids == ()
    [attachment] = doc.attachments
    assert attachment.unzipped
    assert (attachment.name, attachment.content_type, attachment.data) == (
        "thong-bao.pdf",
        "application/pdf",
        PDF,
    )


def test_xlink_references_without_cid_are_read():
    doc = edxml.parse(fixture("xlink_document.edxml"))
    [attachment] = doc.attachments
    assert attachment.content_id == "bao-cao-01"
    assert (attachment.name, attachment.content_type, attachment.data) == (
        "bao-cao.pdf",
        "application/pdf",
        PDF,
    )


def test_status_as_message_header_is_read():
    status = edxml.parse(fixture("bkav_status.edxml"))
    assert isinstance(status, edxml.Status)
    assert status.status_code == "03"
    assert status.sender.organ_id == "000.00.07.H41"
    assert status.recipient_organ_id == "000.00.12.H41"
    assert status.document_id == "3f2b8c1a-6d4e-4b9a-a7c2-0e5d9f1b2c3d"
    assert status.code == "215/SNV-CCHC"
    assert (status.staff_department, status.staff_department_id) == ("Văn phòng Sở", "VP")
    assert (status.staff_name, status.staff_id) == ("Trần Văn Minh", "tvminh")
    assert (status.staff_email, status.staff_mobile) == ("tvminh@nghean.gov.vn", "0912345678")
    assert status.timestamp == datetime(2026, 3, 2, 3, 5, 30, tzinfo=UTC)


def test_status_as_status_element_is_read():
    status = edxml.parse(fixture("status_element.edxml"))
    assert isinstance(status, edxml.Status)
    assert status.status_code == "01"  # written "1"
    assert status.sender.organ_name == "UBND tỉnh Nghệ An"


@pytest.mark.parametrize(
    "name", ["bkav_document.edxml", "vpcp_document.edxml", "xlink_document.edxml"]
)
def test_their_documents_round_trip(name, demo):
    doc = edxml.parse(fixture(name))
    assert edxml.parse(edxml.build_document(doc)) == doc
    assert edxml.verify(edxml.sign_document(doc, demo.signer("exchange"))).document == doc


@pytest.mark.parametrize("header", edxml.STATUS_HEADERS)
@pytest.mark.parametrize("name", ["bkav_status.edxml", "status_element.edxml"])
def test_their_statuses_round_trip_in_both_layouts(name, header, demo):
    status = edxml.parse(fixture(name))
    assert edxml.parse(edxml.build_status(status, header=header)) == status
    signed = edxml.sign_status(status, demo.signer("exchange"), header=header)
    assert edxml.verify(signed).status == status


# --------------------------------------------------------------------------------------------
# Signed fixtures: intermediate CAs, SHA-1


def test_signed_document_chains_through_the_intermediate_store():
    xml = fixture("bkav_document.signed.edxml")
    verified = edxml.verify(xml, trust_roots=[ROOT], intermediates=[INTERMEDIATE], at=AT)
    assert verified.trusted and not verified.weak
    assert verified.chain == (INTERMEDIATE, ROOT)
    assert verified.signer_name == "Sở Nội vụ tỉnh Nghệ An"
    assert verified.document == edxml.parse(fixture("bkav_document.edxml"))
    # KeyInfo carries the signer's certificate only: no path without the store.
    with pytest.raises(edxml.EdxmlError, match="not trusted"):
        edxml.verify(xml, trust_roots=[ROOT], at=AT)
    # The store holds intermediates, not anchors: alone it proves nothing.
    with pytest.raises(edxml.EdxmlError, match="not trusted"):
        edxml.verify(
            xml,
            trust_roots=[pki.issue_certificate(None, "Other", ca=True)[0]],
            intermediates=[INTERMEDIATE, ROOT],
            at=AT,
        )


def test_sha1_signature_flagged_weak_or_refused_by_setting():
    xml = fixture("bkav_status.sha1.signed.edxml")
    verified = edxml.verify(xml, trust_roots=[ROOT], intermediates=[INTERMEDIATE], at=AT)
    assert verified.weak and verified.signature_algorithm == "rsa-sha1"
    assert verified.status == edxml.parse(fixture("bkav_status.edxml"))
    assert edxml.ALLOW_SHA1 is True
    with pytest.raises(edxml.EdxmlError, match="SHA-1"):
        edxml.verify(xml, allow_sha1=False, at=AT)


def test_signed_fixture_tampered_is_refused():
    xml = fixture("bkav_document.signed.edxml")
    tampered = xml.replace("dự họp rà soát".encode(), "dự họp bàn bạc".encode())
    assert tampered != xml
    with pytest.raises(edxml.EdxmlError, match="does not match"):
        edxml.verify(tampered, at=AT)


# --------------------------------------------------------------------------------------------
# Zipped attachments: limits


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def package_with(name: str, content_type: str, data: bytes) -> bytes:
    doc = edxml.parse(fixture("xlink_document.edxml"))
    doc.attachments = (edxml.Attachment("f1", name, content_type, data),)
    return edxml.build_document(doc)


def test_zip_bomb_refused():
    bomb = zipped({"x.txt": b"\0" * (5 * 1024 * 1024)})
    assert len(bomb) * edxml.MAX_ZIP_RATIO < 5 * 1024 * 1024
    with pytest.raises(edxml.EdxmlError, match="unpacks to more than 200 times"):
        edxml.parse(package_with("x.txt", "application/zip", bomb))


def test_zipped_file_above_the_attachment_limit_refused():
    big = zipped({"a.pdf": bytes(range(256)) * 4096})  # 1 MB, incompressible enough
    with pytest.raises(edxml.EdxmlError, match="larger than"):
        edxml.parse(package_with("a.pdf", "application/pdf", big), max_attachment_bytes=512_000)


def test_damaged_zip_labelled_as_zip_refused():
    with pytest.raises(edxml.EdxmlError, match="damaged zip"):
        edxml.parse(package_with("a.txt", "application/zip", b"PK\x03\x04 not really"))


@pytest.mark.parametrize(
    ("name", "content_type", "entries"),
    [
        # A real Office file: a zip of many parts.
        ("bao-cao.docx", "application/msword", {"[Content_Types].xml": b"x", "word/d.xml": b"y"}),
        # A real zip, sent as such.
        ("ho-so.zip", "application/zip", {"a.pdf": PDF}),
        # One entry, but not the attachment's own file.
        ("bao-cao.pdf", "application/pdf", {"other.txt": b"x"}),
    ],
)
def test_archives_that_are_the_file_itself_are_left_alone(name, content_type, entries):
    data = zipped(entries)
    [attachment] = edxml.parse(package_with(name, content_type, data)).attachments
    assert attachment.data == data and not attachment.unzipped


# --------------------------------------------------------------------------------------------
# Ours, as their readers need it


def test_our_packages_have_the_shape_their_readers_look_for(demo):
    doc = edxml.parse(fixture("bkav_document.edxml"))
    root = etree.fromstring(edxml.sign_document(doc, demo.signer("exchange")))
    # The root holds the envelope and, beside it, the attachments.
    envelope = root.find(f"{NS}edXMLEnvelope")
    assert envelope is not None and envelope.find(f"{NS}edXMLHeader/{NS}MessageHeader") is not None
    holder = root.find(f"{NS}AttachmentEncoded")
    manifest_ids = [r.find(f"{NS}ContentId").text for r in envelope.iter(f"{NS}Reference")]
    attachment_ids = [a.find(f"{NS}ContentId").text for a in holder.iter(f"{NS}Attachment")]
    assert (
        manifest_ids
        == attachment_ids
        == [
            "cid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            "cid:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        ]
    )
    # A status: a MessageHeader holding StatusCode, as both SDKs read it.
    status = etree.fromstring(edxml.build_status(edxml.parse(fixture("bkav_status.edxml"))))
    header = status.find(f"{NS}edXMLEnvelope/{NS}edXMLHeader/{NS}MessageHeader")
    assert [etree.QName(child).localname for child in header] == [
        "From",
        "ResponseFor",
        "StaffInfo",
        "StatusCode",
        "Description",
        "Timestamp",
    ]


XMLSEC = shutil.which("xmlsec1")


def xmlsec_verify(tmp_path: Path, xml: bytes, roots: list[x509.Certificate], untrusted=()):
    if XMLSEC is None:
        pytest.fail("xmlsec1 is not installed: `make setup` installs it (tools/dev.py)")
    args = [XMLSEC, "--verify"]
    for number, cert in enumerate(roots):
        path = tmp_path / f"trusted{number}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        args += ["--trusted-pem", str(path)]
    for number, cert in enumerate(untrusted):
        path = tmp_path / f"untrusted{number}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        args += ["--untrusted-pem", str(path)]
    (tmp_path / "package.xml").write_bytes(xml)
    # xmlsec1 checks the certificates at the current time; the fixtures' are valid till 2046.
    return subprocess.run(
        [*args, str(tmp_path / "package.xml")], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("name", ["bkav_document.signed.edxml", "bkav_status.sha1.signed.edxml"])
def test_xmlsec1_verifies_the_signed_fixtures(tmp_path, name):
    done = xmlsec_verify(tmp_path, fixture(name), [ROOT], [INTERMEDIATE])
    assert done.returncode == 0 and "OK" in done.stderr, done.stderr


@pytest.mark.parametrize(
    "kind", ["document", "status-messageheader", "status-status", "their-document"]
)
def test_xmlsec1_verifies_every_package_kind_we_sign(tmp_path, demo, kind):
    signer = demo.signer("exchange")
    status = edxml.parse(fixture("bkav_status.edxml"))
    xml = {
        "document": lambda: edxml.sign_document(
            edxml.parse(fixture("vpcp_document.edxml")), signer
        ),
        "status-messageheader": lambda: edxml.sign_status(status, signer),
        "status-status": lambda: edxml.sign_status(status, signer, header="Status"),
        "their-document": lambda: edxml.sign(fixture("bkav_document.edxml"), signer),
    }[kind]()
    done = xmlsec_verify(tmp_path, xml, [demo.root.certificate])
    assert done.returncode == 0 and "OK" in done.stderr, done.stderr
    tampered = xml.replace(b"<edXML:OrganId>000", b"<edXML:OrganId>999", 1)
    assert tampered != xml
    assert xmlsec_verify(tmp_path, tampered, [demo.root.certificate]).returncode != 0


# --------------------------------------------------------------------------------------------
# cchc edxml


def test_cli_edxml_json_of_a_signed_fixture(capsys):
    args = ["edxml", str(DATA / "bkav_document.signed.edxml"), "--json"]
    args += ["--trust", str(DATA / "root.pem"), "--intermediate", str(DATA / "intermediate.pem")]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "kind",
        "from",
        "to",
        "document_id",
        "code",
        "business",
        "status_code",
        "attachments",
        "signature",
    }
    assert data["kind"] == "document"
    assert data["from"] == "000.00.12.H41"
    assert data["to"] == ["000.00.07.H41", "000.00.09.H41"]
    assert data["document_id"] == "3f2b8c1a-6d4e-4b9a-a7c2-0e5d9f1b2c3d"
    assert data["code"] == "215/SNV-CCHC"
    assert data["business"] == "new"
    assert data["status_code"] is None
    assert data["attachments"] == [
        {"name": "215-SNV-CCHC.pdf", "content_type": "application/pdf", "size": len(PDF)},
        {"name": "danh-sach.txt", "content_type": "text/plain", "size": 46},
    ]
    assert data["signature"]["verdict"] == "valid"
    assert data["signature"]["weak"] is False
    assert data["signature"]["signer"] == "Sở Nội vụ tỉnh Nghệ An"


def test_cli_edxml_verdicts_exit_0_when_readable(tmp_path, capsys):
    status = ["edxml", str(DATA / "bkav_status.sha1.signed.edxml"), "--json"]
    # Without the intermediate: read, but not trusted.
    assert main([*status, "--trust", str(DATA / "root.pem")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["status_code"], data["to"]) == ("status", "03", ["000.00.12.H41"])
    assert data["signature"]["verdict"] == "indeterminate"  # no chain: ETSI indeterminate
    assert data["signature"]["weak"] is True
    assert data["signature"]["signer"] == "Sở Nội vụ tỉnh Nghệ An"
    assert "not trusted" in data["signature"]["reason"]
    # Unsigned: read, verdict says so.
    assert main(["edxml", str(DATA / "vpcp_document.edxml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["signature"]["verdict"] == "unsigned"
    assert data["attachments"][0]["name"] == "thong-bao.pdf"
    # Text output.
    assert main(["edxml", str(DATA / "bkav_status.edxml")]) == 0
    out = capsys.readouterr().out
    assert "status 03 (registered)" in out and "signature: unsigned" in out
    # Not readable: exit 2.
    junk = tmp_path / "junk.edxml"
    junk.write_bytes(b"<html/>")
    assert main(["edxml", str(junk)]) == 2
    assert main(["edxml", str(tmp_path / "missing.edxml")]) == 2
