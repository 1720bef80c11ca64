from markupsafe import Markup

from odoo import api, fields, models

from cchc_core.appendix.cells import parse_budget

# The funding sources a plan's budget cell names (cchc_core.appendix.cells), as budget lines
# know them; "own" is the agency's autonomous funds (kinh phí tự chủ): no line is offered.
BUDGET_SOURCES = [
    ("provincial", "Provincial budget"),
    ("district", "District budget"),
    ("commune", "Commune budget"),
    ("central", "Central budget"),
    ("own", "Autonomous funds"),
    ("other", "Other sources"),
]
LINE_SOURCE = {"provincial": "provincial", "central": "central"}


class CchcPlanImport(models.TransientModel):
    _inherit = "cchc.plan.import"

    can_create_budget_lines = fields.Boolean(
        string="May create budget lines", compute="_compute_can_create_budget_lines"
    )
    budget_row_count = fields.Integer(
        string="Rows with an amount", compute="_compute_budget_row_count"
    )
    create_budget_lines = fields.Boolean(
        string="Create budget lines",
        compute="_compute_create_budget_lines",
        compute_sudo=False,
        store=True,
        readonly=False,
        help="One budget line (an estimate, not allocated yet) per imported task with an "
        "amount, linked to the task.",
    )
    budget_result = fields.Text(string="Budget lines created", readonly=True)

    @api.depends_context("uid")
    def _compute_can_create_budget_lines(self):
        allowed = self._may_create_budget_lines()
        for wizard in self:
            wizard.can_create_budget_lines = allowed

    @api.depends("line_ids.budget_amount")
    def _compute_budget_row_count(self):
        for wizard in self:
            wizard.budget_row_count = len(wizard.line_ids.filtered("budget_amount"))

    @api.depends("line_ids.budget_amount")
    def _compute_create_budget_lines(self):
        allowed = self._may_create_budget_lines()
        for wizard in self:
            wizard.create_budget_lines = allowed and bool(wizard.line_ids.filtered("budget_amount"))

    def action_confirm(self):
        action = super().action_confirm()
        if self.budget_result:
            self.plan_id.message_post(
                body=Markup("<br/>").join(self.budget_result.split("\n")),
                subtype_xmlid="mail.mt_note",
            )
        return action

    def _after_apply(self, plan, task_by_line):
        super()._after_apply(plan, task_by_line)
        with_amount = {line: task for line, task in task_by_line.items() if line.budget_amount}
        self.budget_result = False
        if not with_amount:
            return
        # The option is the user's wish, not a right: the rights are checked here, as this user.
        if not self._may_create_budget_lines():
            self.budget_result = self.env._(
                "No budget lines were created: you may not create budget lines. The amounts stay "
                "on the tasks (Budget); an accountant or the budget controller adds the lines."
            )
            return
        if not self.create_budget_lines:
            return
        served = self.env.user._cchc_budget_agencies()
        vals_list, skipped = [], []
        for line, task in with_amount.items():
            agency = task.lead_agency_id or plan.issuing_agency_id
            if served is not None and agency not in served:
                skipped.append(line)
                continue
            vals_list.append(line._budget_line_vals(plan, task, agency))
        budget_lines = self.env["cchc.budget.line"].sudo(False).create(vals_list)
        to_check = budget_lines.filtered("unit")
        for budget_line in to_check:
            budget_line.message_post(
                body=Markup("%s")
                % self.env._(
                    "The plan gives %(amount)s per %(unit)s: enter the number of units "
                    "(quantity); the estimate stays 0 until then.",
                    amount=budget_line.currency_id.format(budget_line.unit_price),
                    unit=budget_line.unit,
                ),
                subtype_xmlid="mail.mt_note",
            )
        messages = [
            self.env._(
                "%(count)s budget line(s) created from the appendix (estimates, not allocated).",
                count=len(budget_lines),
            )
        ]
        if to_check:
            messages.append(
                self.env._(
                    "%(count)s of them give an amount per district or commune: the number of "
                    "units is to be entered.",
                    count=len(to_check),
                )
            )
        if skipped:
            messages.append(
                self.env._(
                    "No budget line for row(s) %(rows)s: their agency's budget is not yours.",
                    rows=", ".join(str(line.sequence) for line in skipped),
                )
            )
        self.budget_result = "\n".join(messages)

    def _may_create_budget_lines(self):
        """The real user's right, also when called under sudo (stored computes run so)."""
        return self.env["cchc.budget.line"].sudo(False).has_access("create")


class CchcPlanImportLine(models.TransientModel):
    _inherit = "cchc.plan.import.line"

    budget_source = fields.Selection(
        BUDGET_SOURCES, string="Funding source", compute="_compute_budget_source", store=True
    )
    budget_to_check = fields.Boolean(
        string="Amount per unit",
        compute="_compute_budget_source",
        store=True,
        help="The amount is for each district or commune: the number of units is to be entered "
        "on the budget line; it is never multiplied by guess.",
    )

    @api.depends("budget_text", "budget_per", "budget_amount")
    def _compute_budget_source(self):
        for line in self:
            budget = parse_budget(line.budget_text or "")
            line.budget_source = budget.source if budget else False
            line.budget_to_check = bool(line.budget_amount and line.budget_per)

    def _budget_line_vals(self, plan, task, agency):
        self.ensure_one()
        year = (self.due_date or fields.Date.context_today(self)).year
        if plan.year_from and plan.year_to:
            year = min(max(year, plan.year_from), plan.year_to)
        vals = {
            "name": (self.content or task.name).strip()[:200],
            "plan_id": plan.id,
            "task_id": task.id,
            "agency_id": agency.id,
            "fiscal_year": year,
            "funding_source": LINE_SOURCE.get(self.budget_source, "other")
            if self.budget_source
            else "provincial",
        }
        if self.budget_per:
            # "45 tr/ huyện": the unit price; how many units is for a person to say.
            vals.update(unit=self.budget_per, unit_price=self.budget_amount, quantity=0.0)
        else:
            vals["estimate"] = self.budget_amount
        return vals
