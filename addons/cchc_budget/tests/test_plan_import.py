from datetime import date

from odoo.tests import tagged

from odoo.addons.cchc_base.tests.common import CchcBaseCase
from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_plan.tests.common import CchcPlanCase

# A budget column as plans write it: per district, autonomous funds, millions, "tr".
TABLE = "\n".join(
    [
        "| TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành | Kinh phí dự kiến |",
        "| I | Cải cách thể chế | | | |",
        "| 1 | Rà soát văn bản | Sở Tư pháp | Quý II/2026 | 45 tr/ huyện |",
        "| 2 | Số hóa kết quả giải quyết TTHC | Sở TT&TT | Quý III/2026 | Kinh phí tự chủ |",
        "| 3 | Vận hành Trung tâm Phục vụ hành chính công | Sở Nội vụ | Quý IV/2026 "
        "| 500 triệu đồng |",
        "| 4 | Tuyên truyền cải cách hành chính | Sở Tư pháp | Quý IV/2026 | 70 tr NS tỉnh |",
    ]
)


class ImportBudgetMixin:
    @classmethod
    def _import_users(cls):
        cls.budget_coordinator = cls._user(
            "nv_coord_budget", "cchc_base.group_cchc_coordinator", cls.home_affairs
        )
        cls.budget_coordinator.groups_id |= cls.env.ref("cchc_budget.group_cchc_budget_controller")
        cls.justice_accountant = cls._user(
            "tp_coord_acc", "cchc_base.group_cchc_coordinator", cls.justice
        )
        cls.justice_accountant.groups_id |= cls.env.ref("cchc_base.group_cchc_accountant")


@tagged("post_install", "-at_install")
class TestPlanImportBudget(ImportBudgetMixin, CchcPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._import_users()

    def _read(self, user):
        wizard = (
            self.env["cchc.plan.import"]
            .with_user(user)
            .create({"plan_id": self.plan.id, "source": "text", "text": TABLE})
        )
        wizard.action_parse()
        return wizard

    def _lines(self):
        return self.env["cchc.budget.line"].search([("plan_id", "=", self.plan.id)])

    def _task(self, number):
        return self.plan.task_ids.filtered(lambda task: task.cchc_number == number)

    def test_preview_shows_amounts_and_sources(self):
        wizard = self._read(self.budget_coordinator)
        rows = {line.number: line for line in wizard.line_ids}
        self.assertEqual(
            [(rows[n].budget_amount, rows[n].budget_source) for n in "1234"],
            [(45e6, False), (0, "own"), (500e6, False), (70e6, "provincial")],
        )
        self.assertEqual([rows[n].budget_to_check for n in "1234"], [True, False, False, False])
        self.assertTrue(wizard.can_create_budget_lines)
        self.assertEqual(wizard.budget_row_count, 3)
        self.assertTrue(wizard.create_budget_lines, "checked by default when amounts exist")

    def test_import_creates_budget_lines_of_the_tasks(self):
        self._read(self.budget_coordinator).action_confirm()
        lines = self._lines()
        self.assertEqual(len(lines), 3, "no line for the autonomous funds")
        by_task = {line.task_id.cchc_number: line for line in lines}
        self.assertEqual(sorted(by_task), ["1", "3", "4"])
        third, fourth = by_task["3"], by_task["4"]
        self.assertEqual(third.task_id, self._task("3"))
        self.assertEqual((third.estimate, third.allocation), (500e6, 0))
        self.assertEqual(third.agency_id, self.home_affairs)
        self.assertEqual((third.fiscal_year, third.state), (2026, "open"))
        self.assertEqual(third.funding_source, "provincial")
        self.assertEqual((fourth.estimate, fourth.agency_id), (70e6, self.justice))
        self.assertTrue(third.analytic_account_id)
        self.assertIn("3 budget line(s) created", self.plan.message_ids[0].body)

    def test_amount_per_district_is_flagged_not_multiplied(self):
        self._read(self.budget_coordinator).action_confirm()
        line = self._lines().filtered(lambda b: b.task_id == self._task("1"))
        self.assertEqual((line.unit, line.unit_price, line.quantity), ("huyện", 45e6, 0))
        self.assertEqual(line.estimate, 0, "the number of districts is for a person to enter")
        self.assertIn("per huyện", line.message_ids[0].body)
        self.assertIn("1 of them give an amount per district", self.plan.message_ids[0].body)

    def test_unchecked_option_creates_no_line(self):
        wizard = self._read(self.budget_coordinator)
        wizard.create_budget_lines = False
        wizard.action_confirm()
        self.assertEqual(len(self._task("3")), 1)
        self.assertFalse(self._lines())

    def test_coordinator_without_budget_rights_imports_tasks_only(self):
        wizard = self._read(self.coordinator)
        self.assertFalse(wizard.can_create_budget_lines)
        self.assertFalse(wizard.create_budget_lines)
        wizard.create_budget_lines = True  # the option is a wish; the right is checked
        wizard.action_confirm()
        self.assertEqual(self._task("3").cchc_budget_amount, 500e6, "the amount stays on the task")
        self.assertFalse(self._lines())
        self.assertIn("you may not create budget lines", self.plan.message_ids[0].body)

    def test_accountant_gets_lines_of_the_agencies_served_only(self):
        self._read(self.justice_accountant).action_confirm()
        lines = self._lines()
        self.assertEqual(lines.agency_id, self.justice)
        self.assertEqual(sorted(lines.task_id.mapped("cchc_number")), ["1", "4"])
        self.assertIn("No budget line for row(s)", self.plan.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestPlanImportBudgetRpc(CchcBaseCase, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["cchc.plan"].create(
            {
                "number": "9/KH-UBND",
                "name": "Kế hoạch thử",
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2026, 1, 5),
                "year_from": 2026,
                "year_to": 2026,
            }
        )

    def test_option_creates_no_line_for_a_user_without_budget_rights(self):
        self.rpc_login(self.coordinator)
        for context in (None, OLD_GUARD_KEYS):
            wizard_id = self.assertRpcOk(
                "cchc.plan.import",
                "create",
                [
                    {
                        "plan_id": self.plan.id,
                        "source": "text",
                        # cchc_base's agencies only: every name is recognised.
                        "text": TABLE.replace("Sở TT&TT", "Sở Nội vụ"),
                        "create_budget_lines": True,
                    }
                ],
                context=context,
            )
            self.assertRpcOk("cchc.plan.import", "action_parse", [[wizard_id]], context=context)
            self.assertRpcOk(
                "cchc.plan.import",
                "write",
                [[wizard_id], {"create_budget_lines": True}],
                context=context,
            )
            self.assertRpcOk("cchc.plan.import", "action_confirm", [[wizard_id]], context=context)
            self.assertRpcRefused(
                "cchc.plan.import", "_after_apply", [[wizard_id], self.plan.id, {}]
            )
        self.assertIn(
            "Vận hành Trung tâm Phục vụ hành chính công", self.plan.task_ids.mapped("name")
        )
        self.assertFalse(self.env["cchc.budget.line"].search([("plan_id", "=", self.plan.id)]))
        self.assertRpcRefused(
            "cchc.budget.line",
            "create",
            [{"plan_id": self.plan.id, "name": "Kinh phí", "fiscal_year": 2026}],
            error="AccessError",
        )
