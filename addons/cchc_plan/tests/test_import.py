import base64
import io
from datetime import date
from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import file_open

from .common import CchcPlanCase

# The repository's copy of the seed plans' appendices (tests/data), used by the pure tests too.
DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


@tagged("post_install", "-at_install")
class TestPlanImport(CchcPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with file_open("cchc_demo/demo/bentre_1365_appendix.txt") as handle:
            cls.bentre = handle.read()
        cls.bentre_plan = cls.env["cchc.plan"].create(
            {
                "number": "1365/KH-UBND",
                "name": "Kế hoạch triển khai Đề án CCHC 2020 - 2025",
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2021, 3, 19),
                "year_from": 2021,
                "year_to": 2025,
            }
        )
        cls.departments = cls.env.ref("cchc_base.agency_group_departments").member_ids
        cls.communes = cls.env.ref("cchc_base.agency_group_communes").member_ids

    def _wizard(self, plan=None, **vals):
        return (
            self.env["cchc.plan.import"]
            .with_user(self.coordinator)
            .create({"plan_id": (plan or self.bentre_plan).id, **vals})
        )

    def _import_bentre(self):
        wizard = self._wizard(source="text", text=self.bentre)
        wizard.action_parse()
        return wizard

    def test_bentre_appendix_preview(self):
        wizard = self._import_bentre()
        self.assertEqual(wizard.row_count, 11)
        self.assertEqual(wizard.line_ids.mapped("number"), [str(i) for i in range(1, 12)])
        first = wizard.line_ids[0]
        self.assertEqual(first.lead_agency_ids, self.science | self.office)
        self.assertEqual(
            set(first.coordinating_group_ids.mapped("name")),
            {"Các sở, ban, ngành", "UBND cấp xã"},
            "groups stay groups in the preview",
        )
        self.assertEqual(first.due_date, date(2021, 12, 31))
        unmatched = set(wizard.mapping_ids.mapped("name"))
        self.assertTrue(any("Mỏ Cày Bắc" in name for name in unmatched), unmatched)

    def test_unmapped_agencies_block_the_import(self):
        wizard = self._import_bentre()
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self.bentre_plan.task_ids, "nothing half-imported")

    def test_bentre_import_and_reimport(self):
        wizard = self._import_bentre()
        mapping = wizard.mapping_ids.filtered(lambda m: "Tân Phú Tây" in m.name)[:1]
        mapping.agency_id = self.commune
        (wizard.mapping_ids - mapping).write({"ignore": True})
        wizard.action_confirm()
        tasks = self.bentre_plan.task_ids
        self.assertEqual(len(tasks), 11)
        by_number = {t.cchc_number: t for t in tasks}
        self.assertEqual(by_number["1"].lead_agency_id, self.science)
        self.assertIn(self.office, by_number["1"].coordinating_agency_ids, "co-lead")
        # The lead is not also listed as coordinating.
        self.assertTrue(self.departments - self.science <= by_number["1"].coordinating_agency_ids)
        self.assertNotIn(self.science, by_number["1"].coordinating_agency_ids)
        self.assertIn(self.commune, by_number["1"].coordinating_agency_ids)
        self.assertEqual(by_number["1"].cchc_lead_text, "Sở TT&TT VP.UBND tỉnh")
        self.assertEqual(by_number["1"].date_deadline.date(), date(2021, 12, 31))
        self.assertEqual(by_number["2"].lead_agency_id, self.home_affairs)
        self.assertIn(self.commune, by_number["2"].coordinating_agency_ids)
        self.assertEqual(by_number["8"].lead_agency_id, self.justice)
        self.assertEqual(by_number["8"].cchc_completion_phrase, "Phấn đấu đến năm 2025")
        self.assertEqual(by_number["8"].date_deadline.date(), date(2025, 12, 31))
        self.assertEqual(by_number["7"].lead_agency_id, self.science)
        if mapping:
            alias = self.env["cchc.agency.alias"].search([("name", "=", mapping.name)])
            self.assertEqual(alias.agency_id, self.commune, "mapping remembered as alias")

        # The same appendix again: the tasks are updated, not duplicated.
        by_number["3"].with_user(self.coordinator).name = "Sửa tay"
        again = self._import_bentre()
        self.assertEqual(again.update_count, 11)
        again.mapping_ids.write({"ignore": True})
        again.action_confirm()
        self.assertEqual(len(self.bentre_plan.task_ids), 11)
        self.assertTrue(by_number["3"].name.startswith("100% DVCTT"))

    def test_bad_inputs_leave_nothing(self):
        cases = [
            {"source": "text", "text": ""},
            {"source": "text", "text": "một dòng | không có tiêu đề\nhai | ba"},
            {
                "source": "file",
                "file": base64.b64encode(b"not a spreadsheet"),
                "filename": "ke-hoach.xlsx",
            },
            {"source": "file", "file": base64.b64encode(b"%PDF-1.4"), "filename": "ke-hoach.pdf"},
            {"source": "file"},
        ]
        for vals in cases:
            with self.subTest(vals=vals.get("filename") or vals.get("text")):
                with self.assertRaises(UserError):
                    self._wizard(**vals).action_parse()
        self.assertFalse(self.bentre_plan.task_ids)

    def test_errors_speak_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_plan"], ["vi_VN"], overwrite=True)
        wizard = self._wizard(
            source="file", file=base64.b64encode(b"%PDF-1.4"), filename="ke-hoach.pdf"
        ).with_context(lang="vi_VN")
        with self.assertRaises(UserError) as caught:
            wizard.action_parse()
        message = str(caught.exception)
        self.assertIn(".pdf", message)
        self.assertNotIn("unsupported file type", message)
        self.assertNotIn("cannot be read", message)
        wizard = self._wizard(source="text", text=self._tab_table(bad_number=True))
        wizard.with_context(lang="vi_VN").action_parse()
        self.assertIn("'1a?'", wizard.line_ids[0].problems)
        self.assertNotIn("does not look like a number", wizard.line_ids[0].problems)

    def _tab_table(self, bad_number=False):
        rows = self._table()
        if bad_number:
            rows[2][0] = "1a?"
        return "\n".join("\t".join(row) for row in rows)

    def test_closed_plan_refuses_import(self):
        self.plan.action_put_in_force()
        self.env["cchc.plan.close"].create({"plan_id": self.plan.id}).action_confirm()
        with self.assertRaises(UserError):
            self._wizard(plan=self.plan, source="text", text=self.bentre).action_parse()

    def _table(self):
        return [
            [
                "STT",
                "Nội dung công việc",
                "Cơ quan chủ trì",
                "Cơ quan phối hợp",
                "Thời gian hoàn thành",
                "Sản phẩm",
                "Ghi chú",
            ],
            ["I", "CẢI CÁCH THỂ CHẾ", "", "", "", "", ""],
            [
                "1",
                "Rà soát văn bản",
                "Sở Tư pháp",
                "Các sở, ban, ngành",
                "Quý II/2026",
                "Báo cáo",
                "",
            ],
            ["2", "Kiểm tra văn bản", "Sở Tư pháp", "Sở Nội vụ", "Trong năm 2026", "", "Ghi"],
        ]

    def _check_table_import(self, wizard):
        wizard.action_parse()
        self.assertEqual(wizard.row_count, 2)
        self.assertFalse(wizard.mapping_ids)
        wizard.action_confirm()
        tasks = self.plan.task_ids.sorted("cchc_number")
        self.assertEqual(tasks.mapped("cchc_number"), ["1", "2"])
        self.assertEqual(tasks.lead_agency_id, self.justice)
        self.assertEqual(tasks[1].coordinating_agency_ids, self.home_affairs)
        self.assertEqual(tasks[0].cchc_section_id.roman, "I")
        self.assertEqual(tasks[0].date_deadline.date(), date(2026, 6, 30))
        self.assertEqual(tasks[0].cchc_output, "Báo cáo")

    def test_xlsx(self):
        import openpyxl

        book = openpyxl.Workbook()
        for row in self._table():
            book.active.append(row)
        data = io.BytesIO()
        book.save(data)
        self._check_table_import(
            self._wizard(
                plan=self.plan,
                source="file",
                file=base64.b64encode(data.getvalue()),
                filename="phu-luc.xlsx",
            )
        )

    def test_docx(self):
        import docx

        document = docx.Document()
        rows = self._table()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        data = io.BytesIO()
        document.save(data)
        self._check_table_import(
            self._wizard(
                plan=self.plan,
                source="file",
                file=base64.b64encode(data.getvalue()),
                filename="phu-luc.docx",
            )
        )

    def test_csv_and_tabs(self):
        csv_text = "\n".join(";".join(row) for row in self._table())
        self._check_table_import(
            self._wizard(
                plan=self.plan,
                source="file",
                file=base64.b64encode(csv_text.encode()),
                filename="phu-luc.csv",
            )
        )
        again = self._wizard(
            plan=self.plan, source="text", text="\n".join("\t".join(r) for r in self._table())
        )
        again.action_parse()
        self.assertEqual(again.update_count, 2)

    def test_binh_phuoc_flattened_pdf(self):
        seed = DATA / "appendix_binhphuoc_qd3406.txt"
        plan = self.env["cchc.plan"].create(
            {
                "number": "3406/QĐ-UBND",
                "name": "Kế hoạch CCHC năm 2018",
                "issuing_agency_id": self.province.id,
                "date_issued": date(2017, 12, 28),
                "year_from": 2018,
                "year_to": 2018,
            }
        )
        wizard = self._wizard(plan=plan, source="pdf_text", text=seed.read_text())
        wizard.action_parse()
        self.assertGreater(wizard.row_count, 10)
        self.assertTrue(wizard.unreadable, "rows it could not read are reported")
        wizard.mapping_ids.write({"ignore": True})
        wizard.action_confirm()
        self.assertEqual(len(plan.task_ids), wizard.row_count)
        self.assertTrue(plan.task_ids.filtered(lambda t: t.cchc_deadline_kind == "date"))
