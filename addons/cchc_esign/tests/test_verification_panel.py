import base64
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from cchc_core import pades

from .test_document import PASSPHRASE, SigningFixtures


@tagged("post_install", "-at_install")
class TestVerificationPanel(SigningFixtures, TransactionCase):
    """The panel says in Vietnamese who signed, when (Vietnam time), valid or not and why."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["cchc_esign"], ["vi_VN"], overwrite=True)

    def _issued(self):
        doc = self._document()
        doc.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        doc.with_user(self.clerk)._issue_with_seal(self.certs["seal"], PASSPHRASE)
        doc.action_verify()
        return doc

    def test_valid_signatures_in_plain_vietnamese(self):
        doc = self._issued()
        panel = str(doc.with_context(lang="vi_VN").verification_panel)
        for text in (
            "Hợp lệ",
            "Chữ ký của người có thẩm quyền",
            "Chữ ký của cơ quan",
            "Nguyễn Văn An",
            "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
            "UBND tỉnh Thử",
            "giờ Việt Nam",
            "không bị thay đổi",
        ):
            self.assertIn(text, panel)
        # The technical text of before is gone from what the user reads.
        for text in ("ChuKyLanhDao", "True", "False", "form filling", "valid —", "intact"):
            self.assertNotIn(text, panel)
        # Times in Vietnam time (UTC+7), not UTC.
        signed = datetime.fromisoformat(doc.verification_data["signatures"][0]["signing_time"])
        local = (signed if signed.tzinfo else signed.replace(tzinfo=UTC)).astimezone(
            ZoneInfo("Asia/Ho_Chi_Minh")
        )
        self.assertIn(f"{local:%H:%M} ngày {local:%d/%m/%Y}", panel)

    def test_untrusted_signature_says_why(self):
        doc = self._issued()
        data = base64.b64decode(doc.pdf)
        report = pades.verify_pdf(data, [], [])  # nothing trusted
        doc._store_verification(report, data)
        panel = str(doc.with_context(lang="vi_VN").verification_panel)
        self.assertIn("Chưa xác định", panel)
        self.assertIn("không thuộc chuỗi của chứng thư gốc tin cậy", panel)
        self.assertNotIn("Hợp lệ", panel)

    def test_data_written_by_the_verification_only(self):
        doc = self._issued()
        with self.assertRaises(AccessError):
            doc.with_user(self.clerk).write({"verification_data": {"signatures": []}})
        self.assertTrue(doc.verification_data["signatures"])
