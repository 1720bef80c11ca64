import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CchcOnestopCase, at


@tagged("post_install", "-at_install")
class TestVietnamese(CchcOnestopCase):
    """The forms and the errors as the desk reads them: in Vietnamese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["cchc_onestop"], ["vi_VN"])
        with at(2026, 3, 2, 9, 0):
            cls.dossier = cls._received()

    def test_receipt_slip_in_vietnamese(self):
        html = self._render("cchc_onestop.report_receipt", self.dossier)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", html)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", html)
        self.assertIn("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", html)
        self.assertIn("Ngày 02 tháng 03 năm 2026", html)
        self.assertIn("17 giờ 00 phút, ngày 09/03/2026", html)
        self.assertIn("5 ngày làm việc", html)
        self.assertNotIn("SOCIALIST REPUBLIC", html)

    def test_errors_in_vietnamese(self):
        dossier = self.dossier.with_context(lang="vi_VN")
        with self.assertRaises(UserError) as err:
            dossier._return()
        self.assertIn("không thể trả kết quả", str(err.exception))
        wizard = (
            self.env["cchc.onestop.procedure.import"]
            .with_user(self.coordinator)
            .with_context(lang="vi_VN")
            .create(
                {
                    "file": base64.b64encode(
                        "TT;Tên thủ tục;Lĩnh vực;Người ký\n1;Khai sinh;Hộ tịch;A\n".encode()
                    ),
                    "filename": "danh-muc.csv",
                }
            )
        )
        with self.assertRaises(UserError) as err:
            wizard.action_import()
        message = str(err.exception)
        self.assertIn("Không thể nhập danh mục", message)
        self.assertIn("cột không xác định 'Người ký'", message, "cchc_core's message, translated")

    def test_scheduled_job_writes_in_vietnamese(self):
        """The overdue scan runs in English (as every scheduled job); the leader reads its
        activity and the dossier's note in Vietnamese, the handler his step's activity."""
        self.justice_leader.lang = "vi_VN"
        Dossier = self.env["cchc.onestop.dossier"].with_context(lang="en_US")
        with at(2026, 3, 3, 14, 0):
            Dossier._cron_overdue_scan()
        overdue = self.env.ref("cchc_onestop.mail_activity_type_dossier_overdue")
        escalation = self.dossier.activity_ids.filtered(lambda a: a.activity_type_id == overdue)
        self.assertTrue(escalation.summary.startswith("Quá hạn: "), escalation.summary)
        self.assertIn("của hồ sơ", escalation.summary)
        self.assertNotIn("Overdue", self.dossier.message_ids[:1].body)
