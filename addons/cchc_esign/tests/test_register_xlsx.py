from odoo.tests import tagged

from odoo.addons.cchc_base.tests.xlsx import XlsxReportCase

from .test_document import SigningFixtures

REGISTER = "cchc_esign.document_register_xlsx"


@tagged("post_install", "-at_install")
class TestRegisterXlsx(SigningFixtures, XlsxReportCase):
    """The register downloaded as the user, as the Print menu and the list's button do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()

    def test_register_of_the_own_agency_only(self):
        doc = self._issued_document(recipients_text="Các sở, ban, ngành")
        register = doc.register_id
        self.authenticate("es_drafter", "es_drafter")
        sheet = self.xlsx_sheet(REGISTER, register)
        self.assertEqual(sheet.cell(1, 1).value, "REGISTER OF OUTGOING DOCUMENTS")
        self.assertEqual(sheet.cell(5, 1).value, doc.code)
        self.assertEqual(sheet.cell(5, 4).value, self.leader.name)
        self.assertEqual(sheet.cell(5, 5).value, "Các sở, ban, ngành")
        self.authenticate("es_out", "es_out")
        response = self.xlsx_download(REGISTER, register)
        self.assertEqual(response.status_code, 403, "another agency's register")
        self.assertFalse(response.content.startswith(b"PK"))

    def test_button_print_menu_and_file_name_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_esign"], ["vi_VN"], overwrite=True)
        self.drafter.lang = "vi_VN"
        register = self._issued_document().register_id
        action = register.with_user(self.drafter).action_export_xlsx()
        self.assertEqual((action["report_type"], action["report_name"]), ("xlsx", REGISTER))
        report = self.env.ref("cchc_esign.action_report_document_register_xlsx")
        self.assertEqual(report.binding_model_id.model, "cchc.document.register")
        self.assertEqual(report.with_context(lang="vi_VN").name, "Sổ đăng ký văn bản (XLSX)")
        self.authenticate("es_drafter", "es_drafter")
        self.assertEqual(
            self.xlsx_filename(REGISTER, register), f"Sổ đăng ký văn bản - {register.name}.xlsx"
        )
        sheet = self.xlsx_sheet(REGISTER, register)
        self.assertEqual(sheet.cell(1, 1).value, "SỔ ĐĂNG KÝ VĂN BẢN ĐI")
