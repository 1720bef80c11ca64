import io
from datetime import date

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestXlsxExport(HttpCase):
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
        response = self.url_open(f"/cchc_plan/plan/{self.plan.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
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
        response = self.url_open(f"/cchc_plan/report/{own.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(5, 2).value, "Nhiệm vụ Tư pháp")
        self.assertEqual(self.url_open(f"/cchc_plan/report/{other.id}/xlsx").status_code, 403)
        self.assertEqual(self.url_open("/cchc_plan/report/999999/xlsx").status_code, 404)
