from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.cchc_base.tests.xlsx import XlsxReportCase
from odoo.addons.cchc_plan.tests.common import CchcPlanCase

from .common import BudgetAccounts

ESTIMATE = "cchc_budget.budget_estimate_xlsx"


class CchcBudgetCase(BudgetAccounts, CchcPlanCase):
    """A plan with two tasks, a chart of accounts, and accountants of two kinds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounts("Công ty In Thử")
        cls.justice_task = cls._task("Rà soát văn bản", cls.justice)
        cls.science_task = cls._task("Ký số", cls.science)
        cls.accountant = cls._user("p_acc", "cchc_base.group_cchc_accountant", cls.justice)
        cls.controller = cls._user(
            "p_ctrl", "cchc_budget.group_cchc_budget_controller", cls.home_affairs
        )
        Line = cls.env["cchc.budget.line"]
        cls.line = Line.create(
            {
                "plan_id": cls.plan.id,
                "task_id": cls.justice_task.id,
                "name": "Hội nghị triển khai",
                "fiscal_year": 2026,
                "chapter_code": "414",
                "type_code": "340",
                "item_code": "341",
                "section_code": "6650",
                "subsection_code": "6699",
                "unit": "hội nghị",
                "quantity": 2,
                "unit_price": 5_000_000,
                "allocation": 10_000_000,
            }
        )
        cls.science_line = Line.create(
            {
                "plan_id": cls.plan.id,
                "task_id": cls.science_task.id,
                "name": "Chứng thư số",
                "fiscal_year": 2026,
                "allocation": 20_000_000,
            }
        )

    @classmethod
    def _bill(cls, line, amount, post=True, user=None):
        move = (
            cls.env["account.move"]
            .with_user(user or cls.env.user)
            .create(cls._bill_vals(line, amount, invoice_date="2026-01-20"))
        )
        if post:
            move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestBudget(CchcBudgetCase):
    def test_line_gets_agency_estimate_and_analytic_account(self):
        self.assertEqual(self.line.agency_id, self.justice, "the task's lead agency")
        self.assertEqual(self.line.estimate, 10_000_000)
        account = self.line.analytic_account_id
        self.assertTrue(account)
        self.assertEqual(account.plan_id, self.plan.analytic_plan_id)
        self.assertEqual(account.root_plan_id, self.env.ref("cchc_budget.analytic_plan_cchc"))
        self.assertNotEqual(account, self.science_line.analytic_account_id, "one per line")

    def test_bad_codes_and_amounts_refused(self):
        Line = self.env["cchc.budget.line"]
        base = {"plan_id": self.plan.id, "name": "Sai", "fiscal_year": 2026}
        for vals in (
            {"chapter_code": "41"},
            {"type_code": "34a"},
            {"section_code": "665"},
            {"subsection_code": "66990"},
            {"allocation": -1},
            {"quantity": -2, "unit_price": 1000},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Line.create(dict(base, **vals))
        self.assertFalse(Line.search([("name", "=", "Sai")]))
        self.assertFalse(
            self.env["account.analytic.account"].search([("name", "ilike", "Sai")]),
            "no analytic account left behind",
        )

    def test_spent_committed_remaining_from_real_bills(self):
        draft = self._bill(self.line, 3_000_000, post=False)
        self.line.invalidate_recordset()
        self.assertEqual((self.line.spent, self.line.committed), (0, 3_000_000))
        self.assertEqual(self.line.remaining, 7_000_000)
        draft.action_post()
        self._bill(self.line, 1_000_000)
        self.line.invalidate_recordset()
        self.assertEqual((self.line.spent, self.line.committed), (4_000_000, 0))
        self.assertEqual(self.line.remaining, 6_000_000)
        self.assertAlmostEqual(self.line.disbursement_rate, 40.0)
        self.assertEqual(self.science_line.spent, 0, "other lines untouched")
        report = self.env["cchc.budget.report"].search([("line_id", "=", self.line.id)])
        self.assertEqual((report.spent, report.remaining), (4_000_000, 6_000_000))

    def test_allocation_below_spent_refused(self):
        self._bill(self.line, 8_000_000)
        with self.assertRaises(ValidationError):
            self.line.allocation = 7_000_000
        self.line.allocation = 8_000_000
        self.assertEqual(self.line.remaining, 0)

    def test_guard_blocks_or_warns(self):
        self.env.company.cchc_budget_guard = "block"
        self._bill(self.line, 9_000_000)
        over = self._bill(self.line, 2_000_000, post=False)
        with self.assertRaises(UserError):
            over.action_post()
        self.assertEqual(over.state, "draft")
        self.line.invalidate_recordset()
        self.assertEqual(self.line.spent, 9_000_000)
        self.env.company.cchc_budget_guard = "warn"
        over.action_post()
        self.assertEqual(over.state, "posted")
        self.assertIn("Hội nghị triển khai", over.message_ids[0].body)
        self.env.company.cchc_budget_guard = "none"
        self._bill(self.line, 1_000_000)
        self.line.invalidate_recordset()
        self.assertEqual(self.line.spent, 12_000_000)

    def test_settle_and_carry_over(self):
        self._bill(self.line, 4_000_000)
        wizard = (
            self.env["cchc.budget.settle"]
            .with_user(self.controller)
            .create({"fiscal_year": 2026, "plan_id": self.plan.id})
        )
        wizard.action_settle()
        self.assertEqual(self.line.state, "settled")
        self.assertEqual(self.line.settled_amount, 4_000_000)
        carried = self.line.carried_to_id
        self.assertEqual(carried.fiscal_year, 2027)
        self.assertEqual(carried.allocation, 6_000_000)
        self.assertEqual(carried.carried_from_id, self.line)
        self.assertEqual(carried.task_id, self.justice_task)
        self.assertEqual(self.science_line.carried_to_id.allocation, 20_000_000)
        self.assertNotEqual(carried.analytic_account_id, self.line.analytic_account_id)
        with self.assertRaises(UserError):
            self.line.allocation = 1
        with self.assertRaises(UserError):
            self.env["cchc.budget.settle"].create(
                {"fiscal_year": 2026, "plan_id": self.plan.id}
            ).action_settle()

    def test_settle_refused_with_draft_bills(self):
        self._bill(self.line, 1_000_000, post=False)
        with self.assertRaises(UserError):
            self.env["cchc.budget.settle"].create({"fiscal_year": 2026}).action_settle()
        self.assertEqual(self.line.state, "open")

    def test_access(self):
        Line = self.env["cchc.budget.line"]
        self.assertEqual(Line.with_user(self.justice_user).search([]), self.line)
        with self.assertRaises(AccessError):
            self.line.with_user(self.justice_user).allocation = 1
        self.assertEqual(Line.with_user(self.coordinator).search([]), self.line | self.science_line)
        with self.assertRaises(AccessError):
            self.line.with_user(self.coordinator).allocation = 1
        self.line.with_user(self.accountant).allocation = 12_000_000
        self.assertEqual(self.line.allocation, 12_000_000)
        self.assertEqual(Line.with_user(self.accountant).search([]), self.line)
        with self.assertRaises(AccessError):
            self.science_line.with_user(self.accountant).allocation = 1
        self.science_line.with_user(self.controller).allocation = 25_000_000
        self.assertEqual(self.science_line.allocation, 25_000_000)
        self._bill(self.line, 1_000_000, user=self.accountant)
        self.line.invalidate_recordset()
        self.assertEqual(self.line.with_user(self.justice_user).spent, 1_000_000)


@tagged("post_install", "-at_install")
class TestEstimateXlsx(XlsxReportCase):
    def test_estimate_sheet(self):
        agency = self.env["cchc.agency"].create({"name": "UBND tỉnh E", "identifier": "E01"})
        accountant = new_test_user(
            self.env, login="e_acc", groups="base.group_user,cchc_base.group_cchc_accountant"
        )
        accountant.cchc_agency_id = agency
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_budget"], ["vi_VN"], overwrite=True)
        accountant.lang = "vi_VN"
        plan = self.env["cchc.plan"].create(
            {
                "number": "8/KH-UBND",
                "name": "Kế hoạch E",
                "issuing_agency_id": agency.id,
                "date_issued": "2026-01-05",
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        self.env["cchc.budget.line"].create(
            [
                {
                    "plan_id": plan.id,
                    "name": "Hội nghị",
                    "unit": "hội nghị",
                    "quantity": 2,
                    "unit_price": 5_000_000,
                    "allocation": 10_000_000,
                },
                {
                    "plan_id": plan.id,
                    "name": "Tài liệu",
                    "unit": "bộ",
                    "quantity": 10,
                    "unit_price": 100_000,
                    "allocation": 1_000_000,
                },
            ]
        )
        action = plan.with_user(accountant).action_export_estimate()
        self.assertEqual((action["report_type"], action["report_name"]), ("xlsx", ESTIMATE))
        self.authenticate("e_acc", "e_acc")
        sheet = self.xlsx_sheet(ESTIMATE, plan)
        self.assertEqual(sheet.cell(5, 6).value, 11_000_000, "total of the shared costs")
        self.assertEqual(sheet.cell(6, 2).value, "Hội nghị")
        self.assertEqual(sheet.cell(6, 6).value, 10_000_000)
        self.assertEqual(sheet.cell(7, 6).value, 1_000_000)
        self.assertEqual(sheet.cell(8, 6).value, 11_000_000, "grand total")
        self.assertEqual(self.xlsx_filename(ESTIMATE, plan), "Dự toán kinh phí - 8-KH-UBND.xlsx")
        report = self.env.ref("cchc_budget.action_report_budget_estimate_xlsx")
        self.assertEqual(report.with_context(lang="vi_VN").name, "Dự toán kinh phí (XLSX)")


@tagged("post_install", "-at_install")
class TestEstimateXlsxRights(CchcBudgetCase, XlsxReportCase):
    def test_estimate_holds_only_the_lines_the_user_may_read(self):
        self.authenticate("p_acc", "p_acc")
        sheet = self.xlsx_sheet(ESTIMATE, self.plan)
        contents = [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
        self.assertIn("Hội nghị triển khai", contents)
        self.assertNotIn("Chứng thư số", contents, "a line of another agency")
        self.assertEqual(sheet.cell(sheet.max_row, 6).value, self.line.estimate, "grand total")
        self.authenticate("p_ctrl", "p_ctrl")
        sheet = self.xlsx_sheet(ESTIMATE, self.plan)
        contents = [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
        self.assertIn("Chứng thư số", contents, "the budget controller reads every line")
