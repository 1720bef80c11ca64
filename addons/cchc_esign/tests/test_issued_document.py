import base64
import io
import math
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_base.tests.screenshots import screenshots_dir

from cchc_core import pades
from cchc_core.pades import document

from .test_document import SigningFixtures, b64

BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
    "văn thư;\n"
    "Theo đề nghị của Giám đốc Sở Nội vụ.\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2027 của tỉnh.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành tỉnh và Chủ "
    "tịch Ủy ban nhân dân các huyện, thành phố chịu trách nhiệm thi hành Quyết định này."
)


def signature_png():
    """A handwritten-like blue stroke on a transparent background (drawn here)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (480, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (30 + t * 4.2, 110 - 55 * math.sin(t / 9) * math.cos(t / 23) - t * 0.2) for t in range(100)
    ]
    draw.line(points, fill=(20, 40, 160, 255), width=7, joint="curve")
    draw.line([(60, 150), (420, 120)], fill=(20, 40, 160, 255), width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def run(*args):
    found = shutil.which(args[0])
    if found is None:
        raise AssertionError(f"{args[0]} is not installed (poppler-utils)")
    done = subprocess.run([found, *args[1:]], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(done.stdout + done.stderr)
    return done.stdout


@tagged("post_install", "-at_install")
class TestIssuedDocument(SigningFixtures, TransactionCase):
    """The issued PDF as Nghị định 30/2020 Phụ lục I shows an agency's electronic document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()
        cls.agency.write(
            {"name": "Ủy ban nhân dân tỉnh Bến Tre", "collective_title": "ỦY BAN NHÂN DÂN"}
        )
        cls.leader.name = "Trần Văn Minh"

    def _issue(self):
        doc = self._document(
            name="Ban hành Kế hoạch cải cách hành chính năm 2027",
            pdf=False,
            pdf_name=False,
            body=BODY,
            signer_authority="TM.",
            signer_title=False,
            signer_position="CHỦ TỊCH",
            place="Bến Tre",
            recipients_text="- Như Điều 3;\n- Bộ Nội vụ;\n- TT.TU, TT.HĐND tỉnh;\n- Lưu: VT, NC.",
        )
        self.assertTrue(document.laid_out(base64.b64decode(doc.pdf)))
        self.sign(doc, "leader", self.leader)
        before = base64.b64decode(doc.pdf)
        self.sign(doc, "seal", self.clerk)
        return doc, before, base64.b64decode(doc.pdf)

    def sign(self, doc, mode, user):
        wizard = (
            self.env["cchc.document.sign"]
            .with_user(user)
            .create(
                {
                    "document_id": doc.id,
                    "mode": mode,
                    "certificate_id": self.certs["leader" if mode == "leader" else "seal"].id,
                }
            )
        )
        wizard.with_context(cchc_passphrase="mat-khau-thu").action_sign()

    def _images(self, reader):
        """Which signature appearances draw an image."""
        return {
            sig.field_name: "/XObject" in sig.sig_field["/AP"]["/N"]["/Resources"]
            for sig in reader.embedded_signatures
        }

    def _text(self, pdf, *options):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return run("pdftotext", *options, "-l", "1", file.name, "-")

    def test_header_filled_at_issue_signatures_in_the_block_vietnam_time(self):
        self.leader.cchc_signature_image = b64(signature_png())
        doc, signed, issued = self._issue()
        self.assertEqual((doc.state, doc.code), ("issued", "01/QĐ-UBND"))
        today = pades.vietnam_time(datetime.now(UTC)).date()
        self.assertEqual(doc.issue_date, today)
        # The header: blank after the leader signs, number and date after the clerk issues.
        self.assertNotIn("01/QĐ-UBND", self._text(signed))
        header = self._text(issued)
        self.assertIn("Số: 01/QĐ-UBND", header)
        self.assertIn(document.date_text("Bến Tre", today), header)
        for line in ("ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
            self.assertIn(line, header)
        # Both signatures inside the signature block: right column, under "TM. ỦY BAN NHÂN
        # DÂN" / "CHỦ TỊCH", above the leader's name (word boxes, origin top left).
        words = self._text(issued, "-bbox")
        reader = PdfFileReader(io.BytesIO(issued))
        height = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][3])

        def top_of(word, after=0.0):
            for match in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<',
                words,
            ):
                if match.group(5) == word and float(match.group(2)) > after:
                    return [float(v) for v in match.groups()[:4]]
            raise AssertionError(f"{word} not on the page")

        position = top_of("TỊCH", after=top_of("TM.")[1])
        name = top_of("Minh", after=position[3])
        rects = {
            sig.field_name: [float(v) for v in sig.sig_field["/Rect"]]
            for sig in reader.embedded_signatures
        }
        self.assertEqual(set(rects), {"ChuKyLanhDao", "ChuKyCoQuan"})
        for field, (x1, y1, _x2, y2) in rects.items():
            self.assertGreater(x1, document.SPLIT - 15, field)  # the right column
            self.assertGreaterEqual(height - y2, position[3] - 1, field)  # under the position
            self.assertLessEqual(height - y1, name[1] + 1, field)  # above the name
        leader, seal = rects["ChuKyLanhDao"], rects["ChuKyCoQuan"]
        self.assertLess(seal[0], leader[0])
        self.assertAlmostEqual(seal[2], leader[0] + (leader[2] - leader[0]) / 3, delta=1)
        # Images: the leader's signature and the agency's red seal (drawn from its name).
        self.assertEqual(self._images(reader), {"ChuKyLanhDao": True, "ChuKyCoQuan": True})
        # Vietnam time in the signatures.
        for sig in reader.embedded_signatures:
            self.assertTrue(str(sig.sig_object["/M"]).endswith("+07'00'"))
        report = pades.verify_pdf(issued, [self.pki.root.certificate], [self.pki.crl])
        self.assertEqual([s.verdict for s in report.signatures], ["valid", "valid"])
        self.assertEqual(report.signatures[0].modifications, "form filling and signatures")
        self.assertEqual(doc.verdict, "valid")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(issued)
            file.flush()
            out = run("pdfsig", "-nocert", file.name)
            self.assertEqual(out.count("Signature Validation: Signature is Valid."), 2, out)
            # The first page as README shows it.
            prefix = Path(file.name).with_suffix("")
            run(
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                file.name,
                prefix,
            )
            png = prefix.with_suffix(".png")
            folder = screenshots_dir()
            if folder:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "issued_document.png").write_bytes(png.read_bytes())
            png.unlink()

    def test_without_a_signature_image_the_name_is_typed_as_the_mark(self):
        _doc, _signed, issued = self._issue()
        reader = PdfFileReader(io.BytesIO(issued))
        self.assertEqual(self._images(reader), {"ChuKyLanhDao": False, "ChuKyCoQuan": True})
        leader = next(s for s in reader.embedded_signatures if s.field_name == "ChuKyLanhDao")
        self.assertIn("/F1", leader.sig_field["/AP"]["/N"]["/Resources"]["/Font"])
        text = self._text(issued)
        self.assertIn("Đã ký", text)
        self.assertIn("+07:00", text)
        self.assertNotIn("+00:00", text)
