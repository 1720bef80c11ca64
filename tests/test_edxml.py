"""edXML packages of QCVN 102:2016: build, sign, parse and verify (cchc_core.edxml)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import signxml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from cchc_core import edxml, pki
from cchc_core.edxml import c14n, reader
from cchc_core.messages import Message

PASSPHRASE = "mật-khẩu-demo"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
PEM = serialization.Encoding.PEM
DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("other"), PASSPHRASE)


@pytest.fixture(scope="session")
def seal(demo) -> pki.Signer:
    return demo.signer("seal")


@pytest.fixture(scope="session")
def ec_signer(demo) -> pki.Signer:
    certificate, key = pki.issue_certificate(
        demo.intermediate,
        "Văn thư EC",
        organization="UBND tỉnh Demo",
        key=ec.generate_private_key(ec.SECP256R1()),
    )
    return pki.Signer(certificate, key, demo.chain)


SENDER = edxml.Organization(
    organ_id="000.00.00.H53",
    organ_name="Ủy ban nhân dân tỉnh Bến Tre",
    organ_in_charge="Chủ tịch UBND tỉnh",
    organ_add="Số 7, Đường Cách Mạng Tháng Tám, Phường 3, TP. Bến Tre",
    email="ubnd@bentre.gov.vn",
    telephone="0275 3822 178",
    fax="0275 3822 179",
    website="https://www.bentre.gov.vn/?a=1&b=2",
)
RECIPIENTS = (
    edxml.Organization("000.01.00.H53", "Sở Nội vụ"),
    edxml.Organization("000.02.00.H53", "Sở Tài chính", email="stc@bentre.gov.vn"),
)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def attachment(content_id: str = "qd-12.pdf", data: bytes = PDF, **kwargs) -> edxml.Attachment:
    values = {
        "name": "Quyết định 12.pdf",
        "content_type": "application/pdf",
        "description": "Bản ký số <chính>",
    }
    values.update(kwargs)
    return edxml.Attachment(content_id=content_id, data=data, **values)


def make_document(**changes) -> edxml.Document:
    doc = edxml.Document(
        sender=SENDER,
        recipients=RECIPIENTS,
        document_id="000.00.00.H53,2024/05/02,12/QĐ-UBND",
        code_number="12",
        code_notation="QĐ-UBND",
        place="Bến Tre",
        promulgation_date=date(2024, 5, 2),
        type_code=1,
        type_name="Quyết định",
        subject='Về việc "phê duyệt" kế hoạch cải cách hành chính năm 2024 & <các> năm sau',
        content="Điều 1. Phê duyệt…\r\nĐiều 2. Giao Sở Nội vụ 'theo dõi'.\r\n\tHết.",
        signer_competence="KT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn An",
        due_date=date(2024, 6, 28),
        priority=2,
        to_places=("Như Điều 2;", "Lưu: VT, NC."),
        steering_type=1,
        response_for=(
            edxml.ResponseFor("000.03.00.H53", "45/CV-SNV", date(2024, 4, 20), "id-45"),
            edxml.ResponseFor("000.04.00.H53"),
        ),
        traces=(
            edxml.Trace("000.00.00.H53", datetime(2024, 5, 2, 8, 30, 15, tzinfo=edxml.VN_TZ)),
            edxml.Trace("000.00.00.VPCP", datetime(2024, 5, 2, 1, 31, tzinfo=UTC)),
        ),
        attachments=(
            attachment(),
            attachment("phu-luc", b"PK\x03\x04" + b"\x00\xff" * 300, name="Phụ lục.docx"),
        ),
        sphere_of_promulgation="Văn bản quy phạm",
        typer_notation="TVC",
        promulgation_amount=15,
        page_amount=3,
        appendixes=("Phụ lục I", "Phụ lục II"),
    )
    return replace(doc, **changes)


def make_status(code: str = "03", **changes) -> edxml.Status:
    status = edxml.Status(
        sender=RECIPIENTS[0],
        recipient_organ_id=SENDER.organ_id,
        document_id="000.00.00.H53,2024/05/02,12/QĐ-UBND",
        code="12/QĐ-UBND",
        promulgation_date=date(2024, 5, 2),
        status_code=code,
        timestamp=datetime(2024, 5, 2, 9, 15, 0, tzinfo=edxml.VN_TZ),
        description="Đã vào sổ văn bản đến số 345" if code != "02" else "Sai thể thức",
        staff_department="Văn phòng",
        staff_name="Trần Thị Bình",
        staff_mobile="0912 345 678",
        staff_email="binh@snv.bentre.gov.vn",
    )
    return replace(status, **changes)


def refused(pattern: str, call, *args, **kwargs) -> edxml.EdxmlError:
    with pytest.raises(edxml.EdxmlError, match=pattern) as caught:
        call(*args, **kwargs)
    assert isinstance(caught.value.args[0], Message)
    return caught.value


def signature_of(xml: bytes):
    return etree.fromstring(xml).find(f".//{DS}Signature")


def signature_bytes(xml: bytes) -> bytes:
    return re.search(rb"<ds:Signature .*</ds:Signature>", xml, re.S).group()


def pem(certificate) -> bytes:
    return certificate.public_bytes(PEM)


# --------------------------------------------------------------------------------------------
# Building and reading


def test_every_field_round_trips():
    doc = make_document()
    assert edxml.parse(edxml.build_document(doc)) == doc


def test_every_field_round_trips_through_a_signature(demo, seal):
    doc = make_document()
    verified = edxml.verify(edxml.sign_document(doc, seal), trust_roots=[demo.root.certificate])
    assert verified.kind == "document"
    assert verified.document == doc
    assert verified.status is None


def test_parse_reads_a_signed_package_without_checking_it(seal):
    doc = make_document()
    signed = edxml.sign_document(doc, seal)
    assert edxml.parse(signed) == doc
    assert edxml.parse(signed.replace("kế hoạch".encode(), "ngân sách".encode())) != doc


def test_verify_in_threads(seal):
    packages = [edxml.sign_document(make_document(document_id=f"id-{i}"), seal) for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda xml: edxml.verify(xml).document.document_id, packages * 4))
    assert found == [f"id-{i}" for i in range(8)] * 4


def test_long_texts_round_trip_through_verify(seal):
    # Texts of 512 characters and more take the fast canonicalisation path.
    long = ("Nội dung & <đoạn> dài\r\n" * 200).strip()
    doc = make_document(content=long, subject="S" * 600, attachments=(attachment(data=PDF * 40),))
    verified = edxml.verify(edxml.sign_document(doc, seal))
    assert verified.document.content == long
    assert verified.document == doc


def test_package_is_its_own_canonical_form():
    xml = edxml.build_document(make_document())
    assert xml.startswith(DECL)
    tree = etree.fromstring(xml).getroottree()
    assert etree.tostring(tree, method="c14n", with_comments=False) == xml[len(DECL) :]


def test_layout_and_escaping():
    xml = edxml.build_document(make_document())
    root = etree.fromstring(xml)
    # The wrapper root the e-office SDKs look into: the envelope, then the attachments.
    assert root.tag == f"{{{edxml.NS}}}edXML"
    assert root.prefix == "edXML"
    assert [etree.QName(child).localname for child in root] == [
        "edXMLEnvelope",
        "AttachmentEncoded",
    ]
    assert [etree.QName(child).localname for child in root[0]] == ["edXMLHeader", "edXMLBody"]
    # The same content id text in the manifest and on the attachment.
    assert xml.count(b"<edXML:ContentId>cid:qd-12.pdf</edXML:ContentId>") == 2
    assert b"&amp; &lt;c\xc3\xa1c&gt;" in xml
    assert b"Ph\xc3\xaa duy\xe1\xbb\x87t\xe2\x80\xa6&#xD;\n" in xml
    assert b"<edXML:OrganizationInCharge>" in xml
    assert b"<edXML:ContentId>cid:qd-12.pdf</edXML:ContentId>" in xml
    encoded = root.find(f".//{{{edxml.NS}}}ContentTransferEncoded")
    assert base64.b64decode(encoded.text) == PDF
    texts = [element.text for element in root.iter(f"{{{edxml.NS}}}PromulgationDate")]
    assert texts == ["2024/05/02", "2024/04/20"]
    timestamps = [element.text for element in root.iter(f"{{{edxml.NS}}}Timestamp")]
    assert timestamps == ["2024/05/02 08:30:15", "2024/05/02 08:31:00"]  # UTC+7


def test_optional_elements_left_out():
    doc = make_document(due_date=None, steering_type=None, response_for=(), attachments=())
    xml = edxml.build_document(doc)
    assert b"DueDate" not in xml and b"SteeringType" not in xml and b"ResponseFor" not in xml
    assert edxml.parse(xml) == doc


def test_naive_times_are_vietnam_time():
    doc = make_document(traces=(edxml.Trace("X", datetime(2024, 5, 2, 7, 0, 0)),))
    parsed = edxml.parse(edxml.build_document(doc))
    assert parsed.traces[0].timestamp == datetime(2024, 5, 2, 7, 0, tzinfo=edxml.VN_TZ)
    assert parsed.traces[0].timestamp.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("business_type", "ids", "expected"),
    [
        (edxml.BUSINESS_NEW, (), b"<edXML:BussinessDocType>0<"),
        (edxml.BUSINESS_REVOCATION, ("id-old",), b"<edXML:DocumentId>id-old</edXML:DocumentId>"),
        (edxml.BUSINESS_REVOCATION, (), b"<edXML:BussinessDocType>1<"),
        (edxml.BUSINESS_UPDATE, ("id-old",), b"<edXML:DocumentInfo>1</edXML:DocumentInfo>"),
        (
            edxml.BUSINESS_REPLACEMENT,
            ("id-a", "id-b"),
            b"<edXML:ReplacementInfo><edXML:DocumentId>id-b</edXML:DocumentId><edXML:OrganIdList>"
            b"<edXML:OrganId>000.01.00.H53</edXML:OrganId>",
        ),
    ],
)
def test_business_types(business_type, ids, expected):
    doc = make_document(
        business_type=business_type,
        business_reason="Sai sót về thể thức" if business_type else "",
        replaced_document_ids=ids,
        business_info_changed=business_type == edxml.BUSINESS_UPDATE,
    )
    xml = edxml.build_document(doc)
    assert expected in xml
    assert xml.count(b"<edXML:Bussiness>") == 1
    assert edxml.parse(xml) == doc


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"business_type": 7}, "unknown business type 7"),
        ({"business_type": 0, "replaced_document_ids": ("x",)}, "only a revocation"),
        ({"business_type": 1, "replaced_document_ids": ("x", "y")}, "concerns one document"),
        ({"business_type": 3}, "must name the documents it replaces"),
        ({"priority": 5}, "unknown priority 5"),
        ({"recipients": ()}, "at least one recipient"),
        ({"document_id": " "}, "missing element DocumentId"),
        ({"sender": edxml.Organization("")}, r"missing element From/OrganId"),
        ({"subject": "tab\x0bvertical"}, r"Subject contains a character .* \(U\+000B\)"),
        ({"promulgation_date": "2024-05-02"}, r"PromulgationDate is not a date"),
        ({"type_code": "1"}, r"DocumentType/Type is not a number"),
        ({"attachments": (attachment("a"), attachment("a"))}, "content id a is used twice"),
    ],
)
def test_building_refuses(changes, pattern):
    refused(pattern, edxml.build_document, make_document(**changes))


@pytest.mark.parametrize("code", sorted(edxml.STATUS_CODES))
def test_status_of_every_code(seal, code):
    status = make_status(code)
    xml = edxml.build_status(status)
    assert f"<edXML:StatusCode>{code}</edXML:StatusCode>".encode() in xml
    assert edxml.parse(xml) == status
    verified = edxml.verify(edxml.sign_status(status, seal))
    assert (verified.kind, verified.status, verified.document) == ("status", status, None)


def test_status_codes_and_labels():
    assert edxml.STATUS_CODES["01"] == "arrived"
    assert edxml.STATUS_CODES["02"] == "refused"
    assert edxml.STATUS_CODES["16"] == "recall refused"
    assert set(edxml.STATUS_CODES) == {"01", "02", "03", "04", "05", "06", "13", "15", "16"}


def test_status_refusal_needs_a_reason():
    refused("reason in the description", edxml.build_status, make_status("02", description=""))


def test_unknown_status_code_refused():
    refused("unknown status code 07", edxml.build_status, make_status("07"))
    xml = edxml.build_status(make_status("03")).replace(b">03<", b">99<")
    refused("unknown status code 99", edxml.parse, xml)


def test_status_code_written_without_its_zero_is_read():
    xml = edxml.build_status(make_status("05")).replace(b">05<", b">5<")
    assert edxml.parse(xml).status_code == "05"


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        (
            b">2024/05/02</edXML:PromulgationDate>",
            b">2024-05-02</edXML:PromulgationDate>",
            r"PromulgationDate is not a date \(yyyy/MM/dd\): 2024-05-02",
        ),
        (b">2024/06/28<", b">2024/02/30<", r"DueDate is not a date \(yyyy/MM/dd\): 2024/02/30"),
        (
            b">2024/05/02 08:30:15<",
            b">2024/05/02T08:30:15<",
            r"TraceHeader/Timestamp is not a time \(yyyy/MM/dd HH:mm:ss\)",
        ),
        (
            b"<edXML:Type>1</edXML:Type>",
            "<edXML:Type>một</edXML:Type>".encode(),
            "DocumentType/Type is not a number: một",
        ),
        (
            b"<edXML:Type>1</edXML:Type>",
            b"<edXML:Type>\xd9\xa1</edXML:Type>",
            "DocumentType/Type is not a number",
        ),  # an Arabic-Indic digit is no number here
        (b">2</edXML:Priority>", b">9</edXML:Priority>", "unknown priority 9"),
        (b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>4<", "unknown business type 4"),
        (
            b"<edXML:Subject>",
            b"<edXML:Subject></edXML:Subject><edXML:Subject>",
            "Subject appears more than once",
        ),
    ],
)
def test_reading_refuses_bad_values(old, new, pattern):
    xml = edxml.build_document(make_document())
    assert old in xml
    refused(pattern, edxml.parse, xml.replace(old, new, 1))


@pytest.mark.parametrize(
    ("element", "pattern"),
    [
        (rb"<edXML:Subject>.*?</edXML:Subject>", "missing element Subject"),
        (rb"<edXML:OrganId>000.00.00.H53</edXML:OrganId>", "missing element From/OrganId"),
        (rb"<edXML:To>.*?</edXML:To>", "missing element To"),
        (rb"<edXML:DocumentId>000.*?</edXML:DocumentId>", "missing element DocumentId"),
        (
            rb"<edXML:PromulgationDate>2024/05/02</edXML:PromulgationDate>",
            "missing element PromulgationDate",
        ),
        (rb"<edXML:MessageHeader>.*</edXML:MessageHeader>", "either a MessageHeader or a Status"),
        (rb"<edXML:edXMLHeader>.*</edXML:edXMLHeader>", "missing element edXMLHeader"),
        (
            rb"<edXML:ContentTransferEncoded>.*?</edXML:ContentTransferEncoded>",
            "missing element Attachment/ContentTransferEncoded",
        ),
    ],
)
def test_missing_elements_refused(element, pattern):
    xml = edxml.build_document(make_document())
    removed = re.sub(element, b"", xml, count=0 if b"<edXML:To>" in element else 1, flags=re.S)
    assert removed != xml
    refused(pattern, edxml.parse, removed)


def test_wrong_root_and_junk_refused():
    refused("not an edXML envelope", edxml.parse, b"<edXMLEnvelope/>")
    refused("not an edXML envelope", edxml.parse, b'<a xmlns="%s"/>' % edxml.NS.encode())
    refused("not an edXML envelope", edxml.parse, b'<edXML xmlns="%s"/>' % edxml.NS.encode())
    refused("not well-formed XML", edxml.parse, b"%PDF-1.7 not xml")
    refused("not well-formed XML", edxml.parse, edxml.build_document(make_document())[:-20])
    refused("the package is empty", edxml.parse, b"  \n")


# --------------------------------------------------------------------------------------------
# Hostile packages

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML:edXMLEnvelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLHeader>
<edXML:MessageHeader><edXML:Subject>&xxe;</edXML:Subject></edXML:MessageHeader>
</edXML:edXMLHeader></edXML:edXMLEnvelope>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz a="&lol9;">&lol9;</lolz>"""


@pytest.mark.parametrize("function", [edxml.parse, edxml.verify])
@pytest.mark.parametrize(
    "xml",
    [
        XXE,
        LAUGHS,
        b"<!-- c --><?pi x?>\n" + XXE.split(b"\n", 1)[1],
        XXE.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
        .decode()
        .encode("utf-16"),
        b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>',
    ],
    ids=["xxe", "billion-laughs", "after-comment", "utf-16", "external-dtd"],
)
def test_dtd_and_entities_refused(function, xml):
    passwd = open("/etc/passwd", "rb").read()[:20].decode(errors="replace")
    error = refused("DTD or entities", function, xml)
    assert passwd not in str(error)
    assert "root:" not in str(error)


def test_dtd_check_comes_before_parsing(monkeypatch):
    def fail(*args):
        raise AssertionError("parsed")

    monkeypatch.setattr(reader.etree, "fromstring", fail)
    refused("DTD or entities", edxml.parse, XXE)


def test_deep_nesting_refused_cleanly():
    deep = edxml.build_document(make_document()).replace(
        b"</edXML:Content>", b"</edXML:Content>" + b"<a>" * 5000 + b"</a>" * 5000
    )
    refused("not well-formed XML.*depth", edxml.parse, deep)


def test_package_size_checked_before_parsing(monkeypatch):
    xml = edxml.build_document(make_document())
    monkeypatch.setattr(reader.etree, "fromstring", lambda *args: pytest.fail("parsed"))
    error = refused("larger than 0.5 MB", edxml.parse, xml + b" " * 600_000, max_bytes=512 * 1024)
    assert error.args[0].template == "the package is larger than %(mb)s MB"


def test_attachment_size_checked_before_decoding(monkeypatch):
    xml = edxml.build_document(make_document(attachments=(attachment(data=os.urandom(3000)),)))
    monkeypatch.setattr(reader.binascii, "a2b_base64", lambda *args, **kw: pytest.fail("decoded"))
    refused(
        "attachment Quyết định 12.pdf is larger than 0 MB",
        edxml.parse,
        xml,
        max_attachment_bytes=2999,
    )


def test_attachment_at_its_size_limit_accepted():
    xml = edxml.build_document(make_document(attachments=(attachment(data=b"x" * 3000),)))
    assert edxml.parse(xml, max_attachment_bytes=3000).attachments[0].data == b"x" * 3000


@pytest.mark.parametrize("bad", [b"QUJD*RA==", b"QUJDRA=", b"QQ==QUJD", b"QUJD\xc3\xa9"])
def test_bad_base64_refused(bad):
    xml = edxml.build_document(make_document(attachments=(attachment(data=b"ABCD"),)))
    xml = xml.replace(b">QUJDRA==<", b">" + bad + b"<")
    refused("attachment Quyết định 12.pdf is not valid base64", edxml.parse, xml)


def test_base64_over_lines_accepted():
    data = os.urandom(1000)
    xml = edxml.build_document(make_document(attachments=(attachment(data=data),)))
    text = base64.b64encode(data)
    wrapped = b"\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    assert edxml.parse(xml.replace(text, b"\n" + wrapped + b"\n")).attachments[0].data == data


def test_large_attachment_beyond_libxml2_text_limit(seal):
    # 8 MB of data is 10.7 MB of base64 in one text node: above libxml2's limit without
    # huge_tree, so the package is parsed again with it (no DTD can be declared).
    data = os.urandom(8 * 1024 * 1024)
    doc = make_document(attachments=(attachment(data=data),))
    verified = edxml.verify(edxml.sign_document(doc, seal))
    assert verified.document.attachments[0].data == data


def test_large_text_with_a_dtd_is_not_parsed_again():
    xml = edxml.build_document(make_document(attachments=(attachment(data=b"y" * 8_000_000),)))
    hostile = xml.replace(b"<edXML:Content>", b"<edXML:Content><!--<!ENTITY x 'y'>-->")
    refused("not well-formed XML.*Text node", edxml.parse, hostile)


# --------------------------------------------------------------------------------------------
# Signatures


def test_signature_layout(seal):
    xml = edxml.sign_document(make_document(), seal)
    root = etree.fromstring(xml)
    header = root[0][0]  # edXML / edXMLEnvelope / edXMLHeader
    signature = header[-1]
    assert signature.tag == f"{DS}Signature"
    assert len(list(root.iter(f"{DS}Signature"))) == 1
    algorithms = [
        element.get("Algorithm") for element in signature.iter() if element.get("Algorithm")
    ]
    assert algorithms == [
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/2001/04/xmlenc#sha256",
    ]
    assert signature.find(f".//{DS}Reference").get("URI") == ""
    certificates = signature.findall(f".//{DS}X509Certificate")
    assert len(certificates) == 3  # signer, intermediate, root
    assert base64.b64decode(certificates[0].text) == seal.certificate.public_bytes(
        serialization.Encoding.DER
    )


def test_verified_details(demo, seal):
    xml = edxml.sign_document(make_document(), seal)
    verified = edxml.verify(xml, trust_roots=[demo.root.certificate])
    assert verified.certificate == seal.certificate
    assert verified.signer_name == "UBND tỉnh Demo"
    assert verified.chain == (demo.intermediate.certificate, demo.root.certificate)
    assert verified.trusted is True
    assert (verified.weak, verified.digest_algorithm) == (False, "sha256")
    assert verified.signature_algorithm == "rsa-sha256"
    assert verified.sha256 == hashlib.sha256(xml).hexdigest() == edxml.package_sha256(xml)
    untrusted = edxml.verify(xml)
    assert untrusted.trusted is False
    assert untrusted.chain == (demo.intermediate.certificate, demo.root.certificate)


def test_sign_matches_sign_document(seal):
    doc = make_document()
    signed = edxml.sign(edxml.build_document(doc), seal)
    fast = edxml.sign_document(doc, seal)
    # RSA PKCS#1 v1.5 is deterministic: the same package, byte for byte.
    assert signed == fast
    assert edxml.verify(signed).document == doc


def test_sign_status_matches_sign(seal):
    status = make_status("06")
    assert edxml.sign(edxml.build_status(status), seal) == edxml.sign_status(status, seal)


def test_sign_refuses_a_signed_package(seal):
    signed = edxml.sign_document(make_document(), seal)
    refused("already signed", edxml.sign, signed, seal)


def test_ecdsa_signature(demo, ec_signer):
    xml = edxml.sign_document(make_document(), ec_signer)
    assert b"xmldsig-more#ecdsa-sha256" in xml
    verified = edxml.verify(xml, trust_roots=[demo.root.certificate])
    assert verified.signature_algorithm == "ecdsa-sha256"
    assert verified.certificate == ec_signer.certificate
    signxml.XMLVerifier().verify(xml, x509_cert=pem(ec_signer.certificate))


def test_signers_that_cannot_sign_are_refused(demo):
    refused("expired on", edxml.sign_document, make_document(), demo.signer("expired"))
    refused("not meant for signatures", edxml.sign_status, make_status(), demo.signer("no_usage"))


def test_expired_and_not_yet_valid_certificates_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    later = seal.certificate.not_valid_after_utc + timedelta(days=1)
    error = refused("the certificate of UBND tỉnh Demo expired on", edxml.verify, xml, at=later)
    assert error.args[0].template == "the certificate of %(name)s expired on %(date)s"
    earlier = seal.certificate.not_valid_before_utc - timedelta(days=1)
    refused("is not valid before", edxml.verify, xml, at=earlier.replace(tzinfo=None))
    assert edxml.verify(xml, at=datetime.now(UTC)).certificate == seal.certificate


def test_untrusted_chain_refused(demo, other_ca, seal):
    xml = edxml.sign_document(make_document(), seal)
    refused(
        "the certificate of UBND tỉnh Demo is not trusted",
        edxml.verify,
        xml,
        trust_roots=[other_ca.root.certificate],
    )
    # The intermediate may be trusted directly.
    assert edxml.verify(xml, trust_roots=[demo.intermediate.certificate]).chain == (
        demo.intermediate.certificate,
    )


def test_chain_needs_the_intermediate(demo, seal):
    alone = pki.Signer(seal.certificate, seal.private_key, ())
    xml = edxml.sign_document(make_document(), alone)
    refused("not trusted", edxml.verify, xml, trust_roots=[demo.root.certificate])


def test_forged_root_in_key_info_not_trusted(demo, other_ca, seal):
    # A CA with the same name as the trusted root, carried by the package, proves nothing.
    forged_root, forged_key = pki.issue_certificate(
        None, "CCHC Demo Root CA", organization="UBND tỉnh Demo", ca=True
    )
    forged = pki.Issuer(forged_root, forged_key)
    inter, inter_key = pki.issue_certificate(
        forged, "CCHC Demo Signing CA", organization="UBND tỉnh Demo", ca=True
    )
    leaf, key = pki.issue_certificate(
        pki.Issuer(inter, inter_key), "Kẻ giả mạo", organization="UBND tỉnh Demo"
    )
    xml = edxml.sign_document(make_document(), pki.Signer(leaf, key, (inter, forged_root)))
    refused("not trusted", edxml.verify, xml, trust_roots=[demo.root.certificate])


def test_revoked_certificate_refused_with_crl(demo):
    xml = edxml.sign_document(make_document(), demo.signer("revoked"))
    assert edxml.verify(xml).signer_name == "Lê Văn Thu Hồi"
    refused("was revoked on", edxml.verify, xml, crls=[demo.crl])


def test_unsigned_package_refused_by_verify():
    refused("the package has no signature", edxml.verify, edxml.build_document(make_document()))


def test_two_signatures_refused(seal, ec_signer):
    xml = edxml.sign_document(make_document(), seal)
    other = signature_bytes(edxml.sign_document(make_document(), ec_signer))
    doubled = xml.replace(b"</edXML:edXMLBody>", other + b"</edXML:edXMLBody>")
    refused("more than one signature", edxml.verify, doubled)


def test_signature_moved_into_the_body_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    signature = signature_bytes(xml)
    moved = xml.replace(signature, b"").replace(
        b"</edXML:edXMLManifest>", signature + b"</edXML:edXMLManifest>"
    )
    refused("not in the package header", edxml.verify, moved)
    inside = xml.replace(signature, b"").replace(
        b"</edXML:Attachment>", signature + b"</edXML:Attachment>", 1
    )
    refused("not in the package header", edxml.verify, inside)


@pytest.mark.parametrize("uri", ["#x", "#xpointer(/)", "http://evil.example/x.xml"])
def test_reference_other_than_the_whole_package_refused(seal, uri):
    xml = edxml.sign_document(make_document(), seal)
    refused('Reference URI=""', edxml.verify, xml.replace(b'URI=""', f'URI="{uri}"'.encode()))


def test_second_transforms_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    transforms = re.search(rb"<ds:Transforms>.*?</ds:Transforms>", xml).group()
    refused("enveloped signature", edxml.verify, xml.replace(transforms, transforms * 2))


def test_second_reference_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    reference = re.search(rb"<ds:Reference .*?</ds:Reference>", xml).group()
    refused('Reference URI=""', edxml.verify, xml.replace(reference, reference * 2))


@pytest.mark.parametrize(
    ("old", "new", "pattern"),
    [
        (b"xmldsig-more#rsa-sha256", b"xmldsig#hmac-sha1", "unsupported algorithm"),
        (b"xmlenc#sha256", b"xmlenc#ripemd160", "unsupported algorithm"),
        (
            b'<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature">',
            b'<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">',
            "enveloped signature",
        ),
        (
            b'<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315">',
            b'<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">',
            "unsupported algorithm",
        ),
    ],
)
def test_unsupported_algorithms_and_transforms_refused(seal, old, new, pattern):
    xml = edxml.sign_document(make_document(), seal)
    assert old in xml
    refused(pattern, edxml.verify, xml.replace(old, new, 1))


def test_tampered_attachment_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    original = base64.b64encode(PDF)
    changed = base64.b64encode(PDF[:-1] + b"!")
    assert xml.count(original) == 1
    refused("does not match its content", edxml.verify, xml.replace(original, changed))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("kế hoạch", "ngân sách"),
        ("2024/05/02 08:30:15", "2024/05/03 08:30:15"),
        (
            "<edXML:OrganId>000.02.00.H53</edXML:OrganId>",
            "<edXML:OrganId>000.09.00.H53</edXML:OrganId>",
        ),
        ("<edXML:Priority>2<", "<edXML:Priority>4<"),
        ("</edXML:Subject>", " </edXML:Subject>"),
    ],
    ids=["subject", "trace", "recipient", "priority", "whitespace"],
)
def test_tampered_content_refused(seal, old, new):
    xml = edxml.sign_document(make_document(), seal)
    assert old.encode() in xml
    refused("does not match its content", edxml.verify, xml.replace(old.encode(), new.encode(), 1))


def test_tampered_signature_value_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    value = signature_of(xml).find(f"{DS}SignatureValue").text
    forged = base64.b64encode(bytes(256)).decode()
    refused("value is not correct", edxml.verify, xml.replace(value.encode(), forged.encode()))


def test_swapped_certificate_refused(seal, demo):
    xml = edxml.sign_document(make_document(), seal)
    leader = demo.signer("leader").certificate
    ours = base64.b64encode(seal.certificate.public_bytes(serialization.Encoding.DER))
    theirs = base64.b64encode(leader.public_bytes(serialization.Encoding.DER))
    swapped = xml.replace(ours, theirs)
    refused("value is not correct", edxml.verify, swapped)


def test_damaged_certificate_refused(seal):
    xml = edxml.sign_document(make_document(), seal)
    der = base64.b64encode(seal.certificate.public_bytes(serialization.Encoding.DER))
    refused("cannot be read", edxml.verify, xml.replace(der, base64.b64encode(b"\x30\x03abc")))
    without = re.sub(rb"<ds:KeyInfo>.*</ds:KeyInfo>", b"", xml)
    refused("carries no certificate", edxml.verify, without)


def test_comments_are_not_signed_and_not_read(seal):
    doc = make_document()
    xml = edxml.sign_document(doc, seal)
    commented = xml.replace(
        b"k\xe1\xba\xbf ho\xe1\xba\xa1ch",
        b"k\xe1\xba\xbf<!-- ng\xc3\xa2n s\xc3\xa1ch --> ho\xe1\xba\xa1ch",
    )
    assert commented != xml
    assert edxml.verify(commented).document == doc


# --------------------------------------------------------------------------------------------
# Interoperability


def test_our_signatures_verify_with_signxml(seal):
    for xml in (
        edxml.sign_document(make_document(), seal),
        edxml.sign_status(make_status("02"), seal),
    ):
        result = signxml.XMLVerifier().verify(xml, x509_cert=pem(seal.certificate))
        assert result.signed_xml is not None
        assert result.signed_xml.tag == f"{{{edxml.NS}}}edXML"


def test_tampered_package_fails_in_signxml_too(seal):
    xml = edxml.sign_document(make_document(), seal)
    with pytest.raises(signxml.exceptions.InvalidSignature):
        signxml.XMLVerifier().verify(
            xml.replace("kế hoạch".encode(), "ngân sách".encode()), x509_cert=pem(seal.certificate)
        )


class _Sha1Signer(signxml.XMLSigner):
    def check_deprecated_methods(self):
        """Public samples of the standard are RSA-SHA1: make some to read."""


def _signxml_sign(signer: pki.Signer, xml: bytes, *, sha1=False, in_header=True) -> bytes:
    root = etree.fromstring(xml)
    if in_header:
        header = root.find(f".//{{{edxml.NS}}}edXMLHeader")
        etree.SubElement(header, f"{DS}Signature", Id="placeholder")
    key = signer.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    options = {"signature_algorithm": "rsa-sha1", "digest_algorithm": "sha1"} if sha1 else {}
    signed = _Sha1Signer(**options).sign(root, key=key, cert=[signer.certificate, *signer.chain])
    return etree.tostring(signed, encoding="UTF-8")


@pytest.mark.parametrize("in_header", [True, False], ids=["in-header", "end-of-root"])
def test_signxml_signatures_verify_here(demo, seal, in_header):
    doc = make_document()
    xml = _signxml_sign(seal, edxml.build_document(doc), in_header=in_header)
    verified = edxml.verify(xml, trust_roots=[demo.root.certificate])
    assert (verified.weak, verified.digest_algorithm) == (False, "sha256")
    assert verified.document == doc
    assert verified.certificate == seal.certificate


def test_signxml_sha1_signatures_are_weak(seal):
    status = make_status("01")
    xml = _signxml_sign(seal, edxml.build_status(status), sha1=True)
    assert b"xmldsig#rsa-sha1" in xml and b"xmldsig#sha1" in xml
    verified = edxml.verify(xml)
    assert verified.weak is True
    assert (verified.digest_algorithm, verified.signature_algorithm) == ("sha1", "rsa-sha1")
    assert verified.status == status
    tampered = xml.replace("Trần Thị Bình".encode(), b"Someone Else")
    assert tampered != xml
    refused("does not match its content", edxml.verify, tampered)


XMLSEC = shutil.which("xmlsec1")


@pytest.fixture
def xmlsec():
    # `make setup` / `make test` install it (tools/dev.py): missing is a failure, not a skip.
    if XMLSEC is None:
        pytest.fail("xmlsec1 is not installed: `make setup` installs it (tools/dev.py)")
    return XMLSEC


def test_our_signatures_verify_with_xmlsec1(demo, seal, tmp_path, xmlsec):
    (tmp_path / "root.pem").write_bytes(pem(demo.root.certificate))
    for name, xml in (
        ("document.xml", edxml.sign_document(make_document(), seal)),
        ("status.xml", edxml.sign_status(make_status(), seal)),
    ):
        (tmp_path / name).write_bytes(xml)
        done = subprocess.run(
            [XMLSEC, "--verify", "--trusted-pem", str(tmp_path / "root.pem"), str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "OK" in done.stderr


def test_xmlsec1_signatures_verify_here(seal, tmp_path, xmlsec):
    # The layout of the samples of the standard: a default-namespace Signature, RSA-SHA1, the
    # enveloped-signature transform alone.
    doc = make_document()
    template = edxml.build_document(doc).replace(
        b"</edXML:edXMLHeader>",
        b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
        b'<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
        b'<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>'
        b'<Reference URI=""><Transforms>'
        b'<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        b'</Transforms><DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>'
        b"<DigestValue/></Reference></SignedInfo><SignatureValue/>"
        b"<KeyInfo><X509Data/></KeyInfo></Signature></edXML:edXMLHeader>",
    )
    (tmp_path / "template.xml").write_bytes(template)
    (tmp_path / "key.pem").write_bytes(
        seal.private_key.private_bytes(
            PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (tmp_path / "cert.pem").write_bytes(pem(seal.certificate))
    done = subprocess.run(
        [
            XMLSEC,
            "--sign",
            "--privkey-pem",
            f"{tmp_path / 'key.pem'},{tmp_path / 'cert.pem'}",
            "--output",
            str(tmp_path / "signed.xml"),
            str(tmp_path / "template.xml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    verified = edxml.verify((tmp_path / "signed.xml").read_bytes())
    assert verified.weak is True
    assert verified.document == doc


VXP_PACKAGE = """<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xmlns:xsd="http://www.w3.org/2001/XMLSchema"
       xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H53</edXML:OrganId>
          <edXML:OrganInCharge>Chủ tịch</edXML:OrganInCharge>
          <edXML:OrganName>UBND tỉnh Bến Tre</edXML:OrganName>
        </edXML:From>
        <edXML:To><edXML:OrganId>000.01.00.H53</edXML:OrganId></edXML:To>
        <edXML:Code><edXML:CodeNumber>7</edXML:CodeNumber>
          <edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Bến Tre</edXML:Place>
          <edXML:PromulgationDate>2024/03/01</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>2</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>V/v báo cáo</edXML:Subject>
        <edXML:DocumentId>000.00.00.H53,2024/03/01,7/UBND-VP</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList id="a1b2" version="1.0">
        <edXML:TraceHeader><edXML:OrganId>000.00.00.H53</edXML:OrganId>
          <edXML:Timestamp>2024/03/01 10:00:00</edXML:Timestamp></edXML:TraceHeader>
        <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType>
          <edXML:Paper>0</edXML:Paper></edXML:Bussiness>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0">
      <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:f1">
        <edXML:AttachmentName>bao-cao.pdf</edXML:AttachmentName>
        <edXML:ContentType>application/pdf</edXML:ContentType>
      </edXML:Reference>
    </edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <!-- attachments beside the envelope, in the default namespace -->
  <AttachmentEncoded>
    <Attachment>
      <ContentId>f1</ContentId>
      <Description>Báo cáo</Description>
      <ContentTransferEncoded>
QUJD
REVG
      </ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>""".encode()


def test_vxp_layout_is_read_signed_and_verified(demo, seal):
    doc = edxml.parse(VXP_PACKAGE)
    assert doc.sender.organ_in_charge == "Chủ tịch"
    assert doc.recipients == (edxml.Organization("000.01.00.H53"),)
    assert doc.type_code == 2
    assert doc.traces[0].timestamp == datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
    assert doc.attachments == (
        edxml.Attachment("f1", "bao-cao.pdf", "application/pdf", b"ABCDEF", "Báo cáo"),
    )
    signed = edxml.sign(VXP_PACKAGE, seal)
    assert b"<!--" not in signed  # canonical form: comments dropped
    verified = edxml.verify(signed, trust_roots=[demo.root.certificate])
    assert verified.document == doc
    signxml.XMLVerifier().verify(signed, x509_cert=pem(seal.certificate))


def test_status_written_as_message_status_is_read():
    xml = edxml.build_status(make_status("04"), header="Status")
    renamed = xml.replace(b"edXML:Status>", b"edXML:MessageStatus>")
    assert renamed.count(b"edXML:MessageStatus>") == 2
    assert edxml.parse(renamed) == make_status("04")


# --------------------------------------------------------------------------------------------
# The fast canonicalisation is libxml2's


def _canonical_bytes(tree, **options) -> bytes:
    chunks, _, _ = c14n.canonical(tree, **options)
    return b"".join(chunks)


_xml_chars = st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(
    lambda char: not c14n.NOT_XML.match(char)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(_xml_chars, min_size=0, max_size=1500), min_size=1, max_size=4),
    exclusive=st.booleans(),
)
def test_fast_canonical_form_equals_lxml(texts, exclusive):
    root = etree.Element(f"{{{edxml.NS}}}edXMLEnvelope", nsmap={"edXML": edxml.NS, "x": "urn:x"})
    for index, text in enumerate(texts):
        child = etree.SubElement(root, f"{{{edxml.NS}}}T{index}", {"b": text[:20], "a": "1"})
        child.text = text
        child.tail = text[:600]
        etree.SubElement(child, "{urn:x}inner").text = text[::-1]
    tree = etree.fromstring(etree.tostring(root)).getroottree()
    before = etree.tostring(tree)
    expected = etree.tostring(tree, method="c14n", exclusive=exclusive, with_comments=False)
    assert _canonical_bytes(tree, exclusive=exclusive) == expected
    assert etree.tostring(tree) == before  # texts put back


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subject=st.text(_xml_chars, min_size=1, max_size=700).filter(str.strip),
    content=st.text(_xml_chars, max_size=700),
    data=st.binary(max_size=2000),
)
def test_any_text_round_trips_signed(seal, subject, content, data):
    doc = make_document(subject=subject, content=content, attachments=(attachment(data=data),))
    assert edxml.verify(edxml.sign_document(doc, seal)).document == doc


def test_messages_are_literal_templates():
    # Every message of the package is a literal (a drift test lists them for translation).
    sources = list(Path(edxml.__file__).parent.glob("*.py"))
    assert len(sources) > 1
    for path in sources:
        source = path.read_text(encoding="utf-8")
        assert "Message(f" not in source
        assert not re.search(r"Message\(\s*[a-z_]+\s*[,)]", source)
