"""The issued document as Nghị định 30/2020 Phụ lục I shows it (cchc_core.pades.document): the
header's number and date filled by the clerk's revision, both signatures in the signature
block, times in Vietnam time, and both signatures valid for pdfsig and pyHanko's adesverify."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc_core import pades, pki
from cchc_core.pades import document

PASSPHRASE = "mật-khẩu-demo"
# 06:20 UTC is 13:20 in Vietnam.
SIGNED_AT = datetime(2026, 12, 5, 6, 20, tzinfo=UTC)
DECISION = document.OfficialDocument(
    issuer_lines=("Ủy ban nhân dân", "Tỉnh Bến Tre"),
    notation="QĐ-UBND",
    place="Bến Tre",
    year=2026,
    kind_title="Quyết định",
    subject="Ban hành Kế hoạch cải cách hành chính năm 2027",
    body="Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
    "văn thư;\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2027.",
    signature_lines=("TM. Ủy ban nhân dân", "Chủ tịch"),
    signer_name="Trần Văn Minh",
    recipients="- Như Điều 3;\n- Lưu: VT, NC.",
)


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: `make setup` installs it (tools/dev.py)")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> pki.DemoPki:
    return pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)


@pytest.fixture(scope="module")
def draft():
    return document.render(DECISION)


@pytest.fixture(scope="module")
def signed(demo, draft):
    pdf, _layout = draft
    look = pades.Appearance(
        "Trần Văn Minh",
        position="CHỦ TỊCH",
        on_behalf="TM. ỦY BAN NHÂN DÂN",
        time=SIGNED_AT,
        in_block=True,
    )
    return pades.sign_pdf(
        pdf,
        demo.signer("leader"),
        field_name=document.LEADER_FIELD,
        appearance=look,
        embed_revocation=True,
        crls=demo.crls,
    )


@pytest.fixture(scope="module")
def issued(demo, signed):
    seal = document.seal_png("Ủy ban nhân dân tỉnh Bến Tre")
    return pades.sign_pdf(
        signed,
        demo.signer("seal"),
        field_name=document.SEAL_FIELD,
        appearance=pades.Appearance("Ủy ban nhân dân tỉnh Bến Tre", image=seal, in_block=True),
        reason="Số 01/QĐ-UBND",
        embed_revocation=True,
        crls=demo.crls,
        fill={
            document.NUMBER_FIELD: document.number_text(1, "QĐ-UBND"),
            document.DATE_FIELD: document.date_text("Bến Tre", date(2026, 12, 5)),
        },
    )


def pdftotext(tmp_path: Path, pdf: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [tool("pdftotext"), "-l", "1", path, "-"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def inside(inner, outer) -> bool:
    x1, y1, x2, y2 = inner
    return (
        outer[0] <= min(x1, x2)
        and max(x1, x2) <= outer[2]
        and outer[1] <= min(y1, y2)
        and (max(y1, y2) <= outer[3])
    )


def test_the_header_has_number_and_date_only_after_issue(tmp_path, draft, signed, issued):
    text = pdftotext(tmp_path, draft[0])
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH BẾN TRE" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "QUYẾT ĐỊNH" in text and "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "01/QĐ-UBND" not in pdftotext(tmp_path, signed)
    assert re.search(r"Số:\s+/QĐ-UBND", text)
    text = pdftotext(tmp_path, issued)
    assert "Số: 01/QĐ-UBND" in text
    assert "Bến Tre, ngày 05 tháng 12 năm 2026" in text
    assert "ngày      tháng" not in text  # the placeholder is gone, not under the number


def test_date_text_follows_phu_luc_i():
    assert document.date_text("Bến Tre", date(2026, 2, 3)) == "Bến Tre, ngày 03 tháng 02 năm 2026"
    assert document.date_text("Bến Tre", date(2026, 3, 15)) == "Bến Tre, ngày 15 tháng 3 năm 2026"
    assert document.number_text(125, "UBND-NC") == "Số: 125/UBND-NC"


def test_signatures_lie_in_the_signature_block(draft, issued):
    _pdf, layout = draft
    block = layout.signature_block.box
    assert inside(layout.leader.box, block) and inside(layout.seal.box, block)
    # The seal covers the left third of the leader's signature.
    leader, seal = layout.leader.box, layout.seal.box
    assert seal[0] < leader[0] < seal[2] <= leader[0] + (leader[2] - leader[0]) / 3 + 0.01
    # Below the authority and position lines: the box's top is under the header, the name
    # under the box; and the widgets in the issued file are where the layout put them.
    reader = PdfFileReader(io.BytesIO(issued))
    rects = {
        sig.field_name: [float(v) for v in sig.sig_field["/Rect"]]
        for sig in reader.embedded_signatures
    }
    assert set(rects) == {document.LEADER_FIELD, document.SEAL_FIELD}
    for rect in rects.values():
        assert inside(rect, block)
        assert rect[1] > 72  # not in the bottom corner of the page
    assert rects[document.LEADER_FIELD][3] < block[3] - 2 * 13  # under two position lines


def test_times_are_vietnam_time(demo, issued):
    reader = PdfFileReader(io.BytesIO(issued))
    for sig in reader.embedded_signatures:
        assert str(sig.sig_object["/M"]).endswith("+07'00'"), sig.sig_object["/M"]
    leader = next(s for s in reader.embedded_signatures if s.field_name == "ChuKyLanhDao")
    assert str(leader.sig_object["/M"]).startswith("D:20261205132000")
    _top, bottom = pades.appearance_lines(
        pades.Appearance("Trần Văn Minh", time=SIGNED_AT, in_block=True)
    )
    assert bottom[-1] == "Ký ngày 05/12/2026 13:20:00 +07:00"
    report = pades.verify_pdf(issued, [demo.root.certificate], demo.crls)
    assert report.signatures[0].signing_time == SIGNED_AT
    assert report.signatures[0].signing_time.utcoffset() == pades.VIETNAM.utcoffset(None)


def test_both_signatures_valid_for_us(demo, issued):
    report = pades.verify_pdf(issued, [demo.root.certificate], demo.crls)
    assert report.verdict == "valid", report.explanation
    leader, seal = report.signatures
    assert leader.field_name == "ChuKyLanhDao" and seal.field_name == "ChuKyCoQuan"
    # Filling the header and sealing is form filling, which the leader's signature allows.
    assert leader.modifications == "form filling and signatures"
    assert leader.docmdp_ok and seal.coverage == "entire file"


def test_pdfsig_validates_both(tmp_path, issued):
    path = tmp_path / "issued.pdf"
    path.write_bytes(issued)
    done = subprocess.run(
        [tool("pdfsig"), "-nocert", path], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.count("Signature Validation: Signature is Valid.") == 2, done.stdout
    assert "Invalid" not in done.stdout


def test_pyhanko_adesverify_validates_both_with_allowed_changes(tmp_path, demo, issued):
    root = tmp_path / "root.pem"
    root.write_bytes(demo.root.certificate.public_bytes(serialization.Encoding.PEM))
    path = tmp_path / "issued.pdf"
    path.write_bytes(issued)
    done = subprocess.run(
        [tool("pyhanko"), "sign", "adesverify", "--trust", root, "--trust-replace", path],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("ChuKy")]
    assert len(lines) == 2, done.stdout
    assert ":INTACT:TRUSTED,EXTENDED_WITH_FORM_FILLING,ACCEPTABLE_MODIFICATIONS" in lines[0]
    assert ":INTACT:TRUSTED,UNTOUCHED" in lines[1]


def test_a_field_is_filled_once(demo, issued):
    with pytest.raises(pki.SigningError, match="no empty text field"):
        pades.sign_pdf(
            issued,
            demo.signer("seal"),
            field_name="Again",
            fill={document.NUMBER_FIELD: "Số: 02/QĐ-UBND"},
        )


def test_the_seal_is_round_red_and_transparent():
    picture = Image.open(io.BytesIO(document.seal_png("Ủy ban nhân dân tỉnh Bến Tre")))
    assert picture.mode == "RGBA" and picture.width == picture.height
    corner = picture.getpixel((5, 5))
    assert corner[3] == 0  # transparent outside the ring
    ring = picture.getpixel((picture.width // 2, 10))  # the outer ring at the top
    assert ring[3] == 255 and ring[0] > 150 and ring[1] < 60 and ring[2] < 60
    centre = picture.getpixel((picture.width // 2, picture.height // 2))
    assert centre[3] == 255 and centre[0] > 150  # the star
