from odoo import Command
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_budget.models.res_users import ACCOUNTING_RIGHTS
from odoo.addons.cchc_plan.tests.common import PlanData

from .common import BudgetAccounts


@tagged("post_install", "-at_install")
class TestBudgetInvariantsRpc(BudgetAccounts, PlanData, RpcCase):
    """Accounting rights, budget lines and settlement, tried over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_accounts("Công ty Thử RPC")
        cls.province, cls.justice, cls.science, cls.finance = cls._agency_tree(
            ("UBND tỉnh Ngân Sách", "X06"),
            ("Sở Tư pháp NS", "X06.03"),
            ("Sở KH&CN NS", "X06.05"),
            ("Sở Tài chính NS", "X06.04"),
        )
        cls.officer = cls._user("ns_tp_officer", "cchc_base.group_cchc_user", cls.justice)
        cls.accountant = cls._user("ns_tp_acc", "cchc_base.group_cchc_accountant", cls.justice)
        cls.controller = cls._user(
            "ns_controller", "cchc_budget.group_cchc_budget_controller", cls.finance
        )
        cls.plan = cls._plan_2026("9/KH-UBND", "Kế hoạch ngân sách")
        Task = cls.env["project.task"]
        project = cls.plan.project_id.id
        justice_task = Task.create(
            {"project_id": project, "name": "Rà soát", "lead_agency_id": cls.justice.id}
        )
        science_task = Task.create(
            {"project_id": project, "name": "Ký số", "lead_agency_id": cls.science.id}
        )
        Line = cls.env["cchc.budget.line"]
        common = {"plan_id": cls.plan.id, "fiscal_year": 2026}
        cls.justice_line = Line.create(
            dict(common, task_id=justice_task.id, name="Hội nghị", allocation=10_000_000)
        )
        cls.science_line = Line.create(
            dict(common, task_id=science_task.id, name="Chứng thư số", allocation=900_000_000)
        )

    def _bills_on(self, line):
        return self.env["account.move.line"].search_count(
            [("analytic_distribution", "in", [line.analytic_account_id.id])]
        )

    # ---------------------------------------------------------------- accounting rights

    def test_new_user_created_by_an_administrator_has_no_accounting_rights(self):
        self.authenticate("admin", "admin")
        user_id = self.assertRpcOk(
            "res.users", "create", [{"name": "Chuyên viên mới", "login": "ns_new_officer"}]
        )
        user = self.env["res.users"].browse(user_id)
        self.assertTrue(user.has_group("base.group_user"))
        rights = self.env["res.users"]._cchc_accounting_rights()
        self.assertEqual(len(rights), len(ACCOUNTING_RIGHTS))
        self.assertFalse(user.groups_id & rights)
        self.assertFalse(self.env.ref("base.default_user").groups_id & rights)
        # The accountant keeps Invoicing through his role.
        self.assertTrue(self.accountant.has_group("account.group_account_invoice"))

    def test_users_who_got_rights_from_the_template_lose_them_on_update(self):
        manager = self.env.ref("account.group_account_manager")
        self.officer.groups_id = [Command.link(manager.id)]
        self.env.ref("base.default_user").groups_id = [Command.link(manager.id)]
        self.assertTrue(self.officer.has_group("account.group_account_manager"))
        self.env["res.users"]._cchc_drop_accounting_rights()
        self.assertFalse(self.officer.groups_id & self.env["res.users"]._cchc_accounting_rights())
        self.assertFalse(self.env.ref("base.default_user").groups_id & manager)
        self.assertTrue(self.env.ref("base.user_admin").has_group("account.group_account_manager"))
        self.assertTrue(self.accountant.has_group("account.group_account_invoice"))

    def test_officer_cannot_book_a_bill_on_any_budget_line(self):
        self.rpc_login(self.officer)
        for line in (self.science_line, self.justice_line):
            self.assertRpcRefused(
                "account.move", "create", [self._bill_vals(line)], context=OLD_GUARD_KEYS
            )
            self.assertEqual(self._bills_on(line), 0)
        draft = (
            self.env["account.move"]
            .with_user(self.controller)
            .create(self._bill_vals(self.science_line))
        )
        self.assertRpcRefused("account.move", "action_post", [draft.ids], context=OLD_GUARD_KEYS)
        self.assertEqual(draft.state, "draft")

    # ---------------------------------------------------------------- analytic distribution

    def test_accountant_charges_only_the_lines_of_the_agencies_he_serves(self):
        self.rpc_login(self.accountant)
        self.assertRpcRefused(
            "account.move",
            "create",
            [self._bill_vals(self.science_line)],
            context=OLD_GUARD_KEYS,
            error="AccessError",
        )
        self.assertEqual(self._bills_on(self.science_line), 0)
        move_id = self.assertRpcOk(
            "account.move", "create", [self._bill_vals(self.justice_line, 1_000_000)]
        )
        move = self.env["account.move"].browse(move_id)
        line = move.invoice_line_ids
        # Pointing the own bill at another agency's line is refused too …
        self.assertRpcRefused(
            "account.move.line",
            "write",
            [
                line.ids,
                {"analytic_distribution": {str(self.science_line.analytic_account_id.id): 100}},
            ],
        )
        self.assertRpcRefused(
            "account.move",
            "write",
            [
                [move_id],
                {
                    "invoice_line_ids": [
                        Command.update(
                            line.id,
                            {
                                "analytic_distribution": {
                                    str(self.science_line.analytic_account_id.id): 100
                                }
                            },
                        )
                    ]
                },
            ],
        )
        line.invalidate_recordset()
        self.assertEqual(
            line.analytic_distribution, {str(self.justice_line.analytic_account_id.id): 100}
        )
        self.assertRpcOk("account.move", "action_post", [[move_id]])
        # … and so is posting another agency's bill that someone else prepared.
        foreign = (
            self.env["account.move"]
            .with_user(self.controller)
            .create(self._bill_vals(self.science_line, 2_000_000))
        )
        self.assertRpcRefused("account.move", "action_post", [foreign.ids])
        self.assertEqual(foreign.state, "draft")

    def test_analytic_accounts_of_budget_lines_follow_the_budget_rules(self):
        self.rpc_login(self.officer)
        accounts = (self.justice_line | self.science_line).analytic_account_id
        self.assertEqual(accounts.mapped("cchc_agency_id"), self.justice | self.science)
        found = self.assertRpcOk(
            "account.analytic.account", "search", [[("id", "in", accounts.ids)]]
        )
        self.assertEqual(found, self.justice_line.analytic_account_id.ids)
        self.rpc_login(self.accountant)
        self.assertRpcRefused(
            "account.analytic.account",
            "write",
            [self.justice_line.analytic_account_id.ids, {"cchc_agency_id": self.science.id}],
        )
        self.assertRpcRefused(
            "account.analytic.account",
            "write",
            [self.science_line.analytic_account_id.ids, {"name": "Của tôi"}],
        )
        rows = self.assertRpcOk(
            "cchc.budget.report",
            "search_read",
            [[("plan_id", "=", self.plan.id)], ["agency_id"]],
        )
        self.assertEqual({r["agency_id"][0] for r in rows}, {self.justice.id})

    # ---------------------------------------------------------------- settlement

    def test_settlement_only_by_the_budget_controller(self):
        self.rpc_login(self.accountant)
        for vals in ({"state": "settled"}, {"settled_amount": 1}, {"carried_to_id": False}):
            self.assertRpcRefused(
                "cchc.budget.line",
                "write",
                [self.justice_line.ids, vals],
                context=OLD_GUARD_KEYS,
            )
        self.assertRpcRefused("cchc.budget.line", "_settle", [self.justice_line.ids])
        self.assertRpcRefused("cchc.budget.settle", "create", [{"fiscal_year": 2026}])
        self.assertRpcRefused(
            "cchc.budget.line", "write", [self.justice_line.ids, {"agency_id": self.science.id}]
        )
        self.justice_line.invalidate_recordset()
        self.assertEqual(
            (self.justice_line.state, self.justice_line.agency_id), ("open", self.justice)
        )
        self.rpc_login(self.controller)
        self.assertRpcRefused(
            "cchc.budget.line",
            "write",
            [self.justice_line.ids, {"state": "settled"}],
            context=OLD_GUARD_KEYS,
        )
        wizard = self.assertRpcOk(
            "cchc.budget.settle", "create", [{"fiscal_year": 2026, "plan_id": self.plan.id}]
        )
        self.assertRpcOk("cchc.budget.settle", "action_settle", [[wizard]])
        self.justice_line.invalidate_recordset()
        self.assertEqual(self.justice_line.state, "settled")
        # A settled line keeps its figures, for the controller too.
        self.assertRpcRefused(
            "cchc.budget.line",
            "write",
            [self.justice_line.ids, {"allocation": 1}],
            context=OLD_GUARD_KEYS,
        )
        self.justice_line.invalidate_recordset()
        self.assertEqual(self.justice_line.allocation, 10_000_000)
