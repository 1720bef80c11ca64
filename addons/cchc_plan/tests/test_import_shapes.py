from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.common import CchcBaseCase
from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase

from .common import CchcPlanCase

# Shapes of issue 15 in one table: a monitoring column, "Agency: action" cells, a budget column,
# a task split in sub-rows with merged cells, Arabic area headings with lettered tasks.
TABLE = "\n".join(
    [
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026",
        "| TT | Nội dung | Cơ quan chủ trì | Cơ quan theo dõi | Thời gian hoàn thành "
        "| Kinh phí dự kiến |",
        "| 1. | Cải cách thể chế | | | | |",
        "| a) | Rà soát văn bản | Sở Tư pháp: chủ trì rà soát; Sở Nội vụ: tổng hợp | Sở Nội vụ "
        "| Quý II/2026 | 45 tr/ huyện |",
        "| b) | Số hóa kết quả giải quyết TTHC | Sở TT&TT | Sở Nội vụ | Mỗi quý 01 kỳ "
        "| Kinh phí tự chủ |",
        "| | | VP.UBND tỉnh | | | |",
        "| 2. | Hiện đại hóa hành chính | | | | |",
        "| a) | Vận hành Trung tâm Phục vụ hành chính công | Sở Nội vụ tham mưu | "
        "| Định kỳ 06 tháng và năm | 70 tr |",
        "- 2 -",
    ]
)


@tagged("post_install", "-at_install")
class TestImportShapes(CchcPlanCase):
    def _read(self, text=TABLE):
        wizard = (
            self.env["cchc.plan.import"]
            .with_user(self.coordinator)
            .create({"plan_id": self.plan.id, "source": "text", "text": text})
        )
        wizard.action_parse()
        return wizard

    def test_preview_shows_the_new_columns(self):
        wizard = self._read()
        lines = wizard.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("number"), ["a", "b", "b/2", "a"])
        self.assertEqual(lines.mapped("section"), ["1", "1", "1", "2"])
        first, second, sub, third = lines
        self.assertEqual(first.lead_agency_ids, self.justice | self.home_affairs)
        self.assertIn("Sở Tư pháp: chủ trì rà soát", first.agency_actions)
        self.assertEqual(first.monitoring_agency_ids, self.home_affairs)
        self.assertEqual((first.budget_amount, first.budget_per), (45_000_000, "huyện"))
        self.assertEqual(first.due_date, date(2026, 6, 30))
        self.assertEqual(second.lead_agency_ids, self.science)
        self.assertEqual(sub.lead_agency_ids, self.office)
        self.assertEqual(sub.content, second.content)
        self.assertEqual(sub.inherited, "number, content, completion, monitoring, budget")
        self.assertIn("merged", sub.problems)
        self.assertEqual(third.lead_agency_ids, self.home_affairs, "'tham mưu' is not an agency")
        self.assertFalse(wizard.mapping_ids, "no fragment of 'Sở Nội vụ tham mưu' to map")
        self.assertIn("page number", wizard.unreadable)

    def test_parts_not_read_are_said_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_plan"], ["vi_VN"], overwrite=True)
        wizard = (
            self.env["cchc.plan.import"]
            .with_user(self.coordinator)
            .with_context(lang="vi_VN")
            .create({"plan_id": self.plan.id, "source": "text", "text": TABLE})
        )
        wizard.action_parse()
        self.assertIn("số trang; đã bỏ qua", wizard.unreadable)
        sub = wizard.line_ids.filtered(lambda line: line.number == "b/2")
        self.assertIn("ô lấy từ dòng trên (ô gộp)", sub.problems)

    def test_import_keeps_monitoring_budget_and_actions(self):
        wizard = self._read()
        wizard.action_confirm()
        tasks = self.plan.task_ids.filtered("cchc_number")
        by_number = {(t.cchc_section_id.roman, t.cchc_number): t for t in tasks}
        task = by_number[("1", "a")]
        self.assertEqual(task.monitoring_agency_ids, self.home_affairs)
        self.assertEqual(task.cchc_monitoring_text, "Sở Nội vụ")
        self.assertEqual((task.cchc_budget_text, task.cchc_budget_amount), ("45 tr/ huyện", 45e6))
        self.assertIn("chủ trì rà soát", task.description)
        self.assertEqual(task.lead_agency_id, self.justice)
        self.assertEqual(by_number[("1", "b/2")].lead_agency_id, self.office)
        self.assertEqual(by_number[("2", "a")].cchc_recurrence, "semiannual")
        # The same table again updates the same tasks (keys "1.a", "b/2" are stable).
        again = self._read()
        self.assertEqual(again.update_count, 4)

    def test_corrected_cells_are_imported(self):
        wizard = self._read()
        line = wizard.line_ids.sorted("sequence")[0]
        line.write({"completion": "Quý III/2026", "content": "Rà soát văn bản QPPL"})
        self.assertEqual(line.due_date, date(2026, 9, 30), "the deadline follows the correction")
        extra = wizard.line_ids.create(
            {"wizard_id": wizard.id, "sequence": 99, "content": "", "section": "2"}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self.plan.task_ids.filtered("cchc_number"), "nothing half-imported")
        extra.content = "Việc tách ra"
        extra.lead_agency_ids = self.justice
        wizard.action_confirm()
        names = self.plan.task_ids.mapped("name")
        self.assertIn("Rà soát văn bản QPPL", names)
        self.assertIn("Việc tách ra", names)


@tagged("post_install", "-at_install")
class TestImportOverRpc(CchcBaseCase, RpcCase):
    """What the import writes is the coordinator's: no agency user sets it through JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Plan = cls.env["cchc.plan"]
        cls.plan = Plan.create(
            {
                "number": "7/KH-UBND",
                "name": "Kế hoạch thử",
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2026, 1, 5),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        cls.other_plan = Plan.create(
            {
                "number": "8/KH-UBND",
                "name": "Kế hoạch khác",
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2026, 1, 6),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        cls.task = cls.env["project.task"].create(
            {
                "name": "Việc của Sở Tư pháp",
                "project_id": cls.plan.project_id.id,
                "lead_agency_id": cls.justice.id,
                "cchc_completion_phrase": "Quý II/2026",
            }
        )
        cls.foreign = cls.env["project.task"].create(
            {"name": "Việc của kế hoạch khác", "project_id": cls.other_plan.project_id.id}
        )

    def test_agency_user_cannot_set_monitoring_agencies(self):
        self.rpc_login(self.justice_user)
        # The lead agency's user updates progress: the refusal below is about the field.
        self.assertRpcOk("project.task", "write", [[self.task.id], {"cchc_progress": 10}])
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                "project.task",
                "write",
                [[self.task.id], {"monitoring_agency_ids": [Command.set([self.justice.id])]}],
                context=context,
                error="AccessError",
            )
        self.task.invalidate_recordset()
        self.assertFalse(self.task.monitoring_agency_ids)
        with self.assertRaises(AccessError):
            self.task.with_user(self.justice_user).monitoring_agency_ids = self.justice

    def test_agency_user_cannot_run_the_import(self):
        self.rpc_login(self.justice_user)
        self.assertRpcRefused(
            "cchc.plan.import", "create", [{"plan_id": self.plan.id, "source": "text"}]
        )

    def test_import_updates_only_tasks_of_its_own_plan(self):
        self.rpc_login(self.coordinator)
        text = "| STT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |\n"
        text += "| 1 | Việc mới | Sở Tư pháp | Quý I/2026 |"
        wizard_id, error = self.call_kw(
            "cchc.plan.import",
            "create",
            [{"plan_id": self.plan.id, "source": "text", "text": text}],
        )
        self.assertIsNone(error)
        self.assertRpcOk("cchc.plan.import", "action_parse", [[wizard_id]])
        line_ids, _ = self.call_kw(
            "cchc.plan.import.line", "search", [[("wizard_id", "=", wizard_id)]]
        )
        # A forged link to another plan's task: the import creates a task of its own instead.
        self.assertRpcOk("cchc.plan.import.line", "write", [line_ids, {"task_id": self.foreign.id}])
        self.assertRpcOk("cchc.plan.import", "action_confirm", [[wizard_id]])
        self.foreign.invalidate_recordset()
        self.assertEqual(self.foreign.name, "Việc của kế hoạch khác")
        self.assertIn("Việc mới", self.plan.task_ids.mapped("name"))
