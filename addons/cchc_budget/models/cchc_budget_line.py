from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import unlocked

from .cchc_budget_code import check_code_shape

FUNDING_SOURCES = [
    ("provincial", "Provincial budget"),
    ("central", "Central budget"),
    ("other", "Other lawful sources"),
]
CODE_FIELDS = {
    "chapter_code": "chapter",
    "type_code": "type",
    "item_code": "item",
    "section_code": "section",
    "subsection_code": "subsection",
}
# Written only by the server: the line's analytic account, the settlement and the carry-over.
SERVER_FIELDS = frozenset(
    {"state", "settled_amount", "carried_from_id", "carried_to_id", "analytic_account_id"}
)


class CchcBudgetLine(models.Model):
    """Budget for a reform task (or the plan's shared costs) in one fiscal year and source.

    Each line has its own analytic account: what is spent is attributed to one allocation (year,
    source, classification), which is what the Treasury settles; a task funded from two sources
    or over two years has two lines. The accounts sit in an analytic plan per reform plan, under
    the root plan "Cải cách hành chính", so that bills and expenses pick them like any other.
    """

    _name = "cchc.budget.line"
    _description = "Budget line"
    _inherit = ["mail.thread", "cchc.protected.mixin"]
    _order = "fiscal_year desc, plan_id, sequence, id"
    # A settled line keeps its figures (Thông tư 172/2012/TT-BTC: the settlement is final).
    _cchc_protected_fields = SERVER_FIELDS

    name = fields.Char(string="Description", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one("cchc.plan", required=True, index=True, ondelete="restrict")
    task_id = fields.Many2one(
        "project.task",
        index=True,
        ondelete="restrict",
        domain="[('cchc_plan_id', '=', plan_id)]",
        help="Empty for the plan's shared costs.",
    )
    agency_id = fields.Many2one(
        "cchc.agency",
        required=True,
        index=True,
        compute="_compute_agency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    area_id = fields.Many2one(
        "cchc.reform.area",
        string="Reform area",
        related="task_id.cchc_section_id.area_id",
        store=True,
    )
    fiscal_year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True
    )
    funding_source = fields.Selection(
        FUNDING_SOURCES, required=True, default="provincial", tracking=True
    )
    chapter_code = fields.Char(string="Chapter (chương)")
    type_code = fields.Char(string="Type (loại)")
    item_code = fields.Char(string="Item (khoản)")
    section_code = fields.Char(string="Section (mục)")
    subsection_code = fields.Char(string="Sub-section (tiểu mục)")
    unit = fields.Char(help="Unit of the estimate: hội nghị, lớp, bộ…")
    quantity = fields.Float(default=1.0)
    unit_price = fields.Monetary()
    estimate = fields.Monetary(
        string="Estimate (dự toán)",
        compute="_compute_estimate",
        store=True,
        readonly=False,
        tracking=True,
    )
    allocation = fields.Monetary(tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    analytic_account_id = fields.Many2one(
        "account.analytic.account", readonly=True, copy=False, ondelete="restrict"
    )
    spent = fields.Monetary(compute="_compute_amounts", help="Posted bills and expenses.")
    committed = fields.Monetary(
        compute="_compute_amounts", help="Bills and expenses recorded but not posted yet."
    )
    remaining = fields.Monetary(compute="_compute_amounts", help="Allocation − spent − committed.")
    disbursement_rate = fields.Float(
        string="Disbursement rate (%)", compute="_compute_amounts", help="Spent / allocation."
    )
    state = fields.Selection(
        [("open", "Open"), ("settled", "Settled")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    settled_amount = fields.Monetary(readonly=True, help="What was spent, at settlement.")
    carried_from_id = fields.Many2one("cchc.budget.line", readonly=True, copy=False)
    carried_to_id = fields.Many2one("cchc.budget.line", readonly=True, copy=False)

    @api.depends("task_id")
    def _compute_agency_id(self):
        for line in self:
            if line.task_id.lead_agency_id:
                line.agency_id = line.task_id.lead_agency_id
            elif not line.agency_id:
                line.agency_id = line.plan_id.issuing_agency_id

    @api.depends("quantity", "unit_price")
    def _compute_estimate(self):
        for line in self:
            if line.unit_price:
                line.estimate = line.quantity * line.unit_price

    def _compute_amounts(self):
        spent = self._spent_by_account()
        committed = self._committed_by_account()
        for line in self:
            account = line.analytic_account_id.id
            line.spent = spent.get(account, 0.0)
            line.committed = committed.get(account, 0.0)
            line.remaining = line.allocation - line.spent - line.committed
            line.disbursement_rate = (
                100.0 * line.spent / line.allocation if line.allocation else 0.0
            )

    @api.constrains(*CODE_FIELDS)
    def _check_codes(self):
        for line in self:
            for field_name, kind in CODE_FIELDS.items():
                check_code_shape(self.env, kind, line[field_name])

    @api.constrains("quantity", "unit_price", "estimate", "allocation")
    def _check_amounts(self):
        for line in self:
            if min(line.quantity, line.unit_price, line.estimate, line.allocation) < 0:
                raise ValidationError(
                    self.env._("Amounts and quantities of a budget line cannot be negative.")
                )

    @api.constrains("allocation")
    def _check_allocation_covers_spending(self):
        for line in self.filtered("analytic_account_id"):
            if line.allocation < line.spent:
                raise ValidationError(
                    self.env._(
                        "The allocation of %(line)s cannot be lower than what is already spent "
                        "(%(spent)s).",
                        line=line.name,
                        spent=line.currency_id.format(line.spent),
                    )
                )

    @api.constrains("task_id", "plan_id")
    def _check_task_in_plan(self):
        for line in self.sudo():
            if line.task_id and line.task_id.cchc_plan_id != line.plan_id:
                raise ValidationError(
                    self.env._("The task of a budget line must belong to its plan.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._create_analytic_accounts()
        return lines

    def write(self, vals):
        if vals.get("agency_id"):
            served = self.env.user._cchc_budget_agencies()
            if served is not None and vals["agency_id"] not in served.ids:
                raise AccessError(
                    self.env._(
                        "A budget line can be given only to an agency whose budget you keep."
                    )
                )
        res = super().write(vals)
        if {"name", "fiscal_year"} & set(vals):
            for line in self.filtered("analytic_account_id"):
                line.analytic_account_id.sudo().name = line._analytic_name()
        return res

    def _cchc_is_frozen(self):
        return self.state == "settled"

    def _cchc_protection_hint(self):
        return self.env._(
            "The analytic account, the settlement and the carry-over are written by the "
            "budget controller's year-end settlement."
        )

    def _cchc_frozen_hint(self):
        return self.env._(
            "It was settled for its fiscal year and keeps its figures; a correction is a new line."
        )

    # ---------------------------------------------------------------- analytic accounts

    def _create_analytic_accounts(self):
        Account = self.env["account.analytic.account"].sudo()
        for line in self:
            account = Account.create(
                {
                    "name": line._analytic_name(),
                    "code": f"CCHC-{line.id}",
                    "plan_id": line.plan_id._cchc_analytic_plan().id,
                    "company_id": line.company_id.id,
                }
            )
            with unlocked(self):
                line.analytic_account_id = account

    def _analytic_name(self):
        self.ensure_one()
        number = f"{self.task_id.cchc_number}. " if self.task_id.cchc_number else ""
        return f"{self.plan_id.number} · {self.fiscal_year} · {number}{self.name}"[:200]

    # ---------------------------------------------------------------- spent and committed

    @api.model
    def _budget_column(self):
        """The column of account.analytic.line that holds the CCHC root plan's account."""
        return self.env.ref("cchc_budget.analytic_plan_cchc")._column_name()

    def _spent_by_account(self):
        """Posted spending per analytic account, with one grouped query for all the lines."""
        accounts = self.analytic_account_id.ids
        if not accounts:
            return {}
        column = self._budget_column()
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group([(column, "in", accounts)], [column], ["amount:sum"])
        )
        # Expenses are negative analytic amounts.
        return {account.id: -amount for account, amount in groups}

    def _committed_by_account(self):
        """Bills and expenses in draft whose analytic distribution names the lines' accounts."""
        accounts = self.analytic_account_id.ids
        if not accounts:
            return {}
        self.env["account.move"].flush_model(["state"])
        self.env["account.move.line"].flush_model(
            ["analytic_distribution", "balance", "parent_state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT part.analytic_id::int, SUM(aml.balance * share.value::numeric / 100)
                  FROM account_move_line aml,
                       jsonb_each_text(aml.analytic_distribution) AS share,
                       unnest(string_to_array(share.key, ',')) AS part(analytic_id)
                 WHERE aml.parent_state = 'draft'
                   AND aml.analytic_distribution IS NOT NULL
                   AND part.analytic_id::int = ANY(%s)
                 GROUP BY part.analytic_id
                """,
                accounts,
            )
        )
        return {account: float(amount) for account, amount in self.env.cr.fetchall()}

    @api.model
    def _amounts_of_move_lines(self, move_lines):
        """What each budget line would receive from ``move_lines``: {budget line: amount}."""
        by_account = defaultdict(float)
        for aml in move_lines.filtered("analytic_distribution"):
            for key, share in aml.analytic_distribution.items():
                for account in key.split(","):
                    by_account[int(account)] += aml.balance * float(share) / 100
        if not by_account:
            return {}
        lines = self.sudo().search([("analytic_account_id", "in", list(by_account))])
        return {line: by_account[line.analytic_account_id.id] for line in lines}

    # ---------------------------------------------------------------- year end

    def _settle(self, carry_over=True):
        """Settle these lines at what they spent; returns the lines created for next year.

        Private: the budget controller's wizard (cchc.budget.settle) checks the role, the year
        and the draft bills first."""
        spent = self._spent_by_account()
        new_lines = self.browse()
        for line in self:
            amount = spent.get(line.analytic_account_id.id, 0.0)
            with unlocked(self):
                line.write({"state": "settled", "settled_amount": amount})
            unspent = line.allocation - amount
            if carry_over and unspent > 0:
                with unlocked(self):
                    new = line.copy(
                        {
                            "fiscal_year": line.fiscal_year + 1,
                            "allocation": unspent,
                            "estimate": unspent,
                            "unit_price": 0.0,
                            "quantity": 1.0,
                            "carried_from_id": line.id,
                            "state": "open",
                            "settled_amount": 0.0,
                        }
                    )
                    line.carried_to_id = new
                new.message_post(
                    body=Markup("%s")
                    % self.env._(
                        "Carried over from %(year)s: %(amount)s unspent.",
                        year=line.fiscal_year,
                        amount=line.currency_id.format(unspent),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                new_lines |= new
        return new_lines

    # ---------------------------------------------------------------- actions

    def action_view_journal_items(self):
        self.ensure_one()
        column = self._budget_column()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Spending of %s", self.name),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [(column, "=", self.analytic_account_id.id)],
        }
