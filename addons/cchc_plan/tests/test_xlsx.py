from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.cchc_base.tests.xlsx import XlsxReportCase

APPENDIX = "cchc_plan.plan_appendix_xlsx"
REPORT = "cchc_plan.plan_report_xlsx"


@tagged("post_install", "-at_install")
class TestXlsxExport(XlsxReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["cchc.agency"]
        province = Agency.create(
            {"name": "UBND tỉnh X", "identifier": "V01", "kind": "province_committee"}
        )
        cls.justice = Agency.create(
            {
                "name": "Sở Tư pháp",
                "short_name": "STP",
                "identifier": "V01.03",
                "parent_id": province.id,
            }
        )
        cls.science = Agency.create(
            {"name": "Sở KH&CN", "identifier": "V01.05", "parent_id": province.id}
        )
        cls.user = new_test_user(
            cls.env, login="x_user", groups="base.group_user,cchc_base.group_cchc_user"
        )
        cls.user.cchc_agency_id = cls.justice
        cls.plan = cls.env["cchc.plan"].create(
            {
                "number": "5/KH-UBND",
                "name": "Kế hoạch X",
                "issuing_agency_id": province.id,
                "date_issued": date(2026, 1, 5),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        section = cls.env["cchc.plan.section"].create(
            {"plan_id": cls.plan.id, "roman": "I", "name": "Cải cách thể chế"}
        )
        cls.env["project.task"].create(
            [
                {
                    "name": "Nhiệm vụ Tư pháp",
                    "project_id": cls.plan.project_id.id,
                    "cchc_section_id": section.id,
                    "cchc_number": "1",
                    "lead_agency_id": cls.justice.id,
                    "cchc_completion_phrase": "Quý I/2026",
                },
                {
                    "name": "Nhiệm vụ KH&CN",
                    "project_id": cls.plan.project_id.id,
                    "cchc_section_id": section.id,
                    "cchc_number": "2",
                    "lead_agency_id": cls.science.id,
                    "cchc_completion_phrase": "Quý II/2026",
                },
            ]
        )
        cls.plan.action_put_in_force()
        cls.reports = cls.plan.period_ids[:1].action_generate_reports()

    def test_plan_appendix_xlsx(self):
        self.authenticate("x_user", "x_user")
        sheet = self.xlsx_sheet(APPENDIX, self.plan)
        self.assertEqual(sheet.cell(4, 1).value, "STT")
        self.assertEqual(sheet.cell(4, 3).value, "Cơ quan chủ trì")
        self.assertEqual(sheet.cell(5, 2).value, "Cải cách thể chế")
        self.assertEqual(sheet.cell(6, 2).value, "Nhiệm vụ Tư pháp")
        self.assertEqual(sheet.cell(6, 5).value, "Quý I/2026")
        contents = [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
        self.assertNotIn("Nhiệm vụ KH&CN", contents, "only the tasks the user may see")
        self.assertEqual(sheet.print_title_rows, "$4:$4")
        self.assertEqual(sheet.page_setup.orientation, "landscape")

    def test_report_xlsx_and_access(self):
        own = self.reports.filtered(lambda r: r.agency_id == self.justice)
        other = self.reports - own
        self.authenticate("x_user", "x_user")
        sheet = self.xlsx_sheet(REPORT, own)
        self.assertEqual(sheet.cell(5, 2).value, "Nhiệm vụ Tư pháp")
        self.assertEqual(self.xlsx_download(REPORT, other).status_code, 403)
        self.assertEqual(self.xlsx_download(REPORT, own | other).status_code, 403)
        missing = self.env["cchc.plan.report"].browse(999999)
        self.assertEqual(self.xlsx_download(REPORT, missing).status_code, 400)

    def test_several_records_one_sheet_each(self):
        self.authenticate("admin", "admin")
        book = self.xlsx_workbook(REPORT, self.reports)
        self.assertEqual(len(book.worksheets), len(self.reports))
        subtitles = [sheet.cell(2, 1).value for sheet in book.worksheets]
        self.assertEqual(
            subtitles, [f"{r.agency_id.name} – {r.plan_id.display_name}" for r in self.reports]
        )

    def test_buttons_and_print_menu_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_plan"], ["vi_VN"], overwrite=True)
        self.user.lang = "vi_VN"
        for records, report, label in (
            (self.plan, APPENDIX, "Phụ lục nhiệm vụ (XLSX)"),
            (self.reports[:1], REPORT, "Báo cáo định kỳ (XLSX)"),
        ):
            action = records.with_user(self.user).action_export_xlsx()
            self.assertEqual(
                (action["type"], action["report_type"], action["report_name"]),
                ("ir.actions.report", "xlsx", report),
            )
            self.assertEqual(action["context"]["active_ids"], records.ids)
            bound = self.env["ir.actions.report"].search(
                [("report_name", "=", report), ("binding_model_id.model", "=", records._name)]
            )
            self.assertEqual(bound.with_context(lang="vi_VN").name, label, "in the Print menu")
        self.authenticate("x_user", "x_user")
        self.assertEqual(
            self.xlsx_filename(APPENDIX, self.plan), "Phụ lục nhiệm vụ - 5-KH-UBND.xlsx"
        )
        own = self.reports.filtered(lambda r: r.agency_id == self.justice)
        self.assertEqual(own.display_name, "Quý I/2026 – Sở Tư pháp")
        self.assertEqual(
            self.xlsx_filename(REPORT, own), "Báo cáo định kỳ - Quý I-2026 – Sở Tư pháp.xlsx"
        )
