from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CchcBudgetSettle(models.TransientModel):
    """Year end: settle (quyết toán) the open lines of a year, carry unspent allocations over."""

    _name = "cchc.budget.settle"
    _description = "Settle a fiscal year"

    fiscal_year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    plan_id = fields.Many2one("cchc.plan", help="Empty: every plan.")
    carry_over = fields.Boolean(
        string="Carry unspent allocations to next year",
        default=True,
        help="Each line with allocation left gets a line next year, linked to it.",
    )

    def action_settle(self):
        self.ensure_one()
        if not self.env.user.has_group("cchc_budget.group_cchc_budget_controller"):
            raise AccessError(
                self.env._("Only the budget controller (Department of Finance) settles a year.")
            )
        domain = [("fiscal_year", "=", self.fiscal_year), ("state", "=", "open")]
        if self.plan_id:
            domain.append(("plan_id", "=", self.plan_id.id))
        lines = self.env["cchc.budget.line"].search(domain)
        if not lines:
            raise UserError(self.env._("No open budget line to settle for %s.", self.fiscal_year))
        if lines.filtered("committed"):
            raise UserError(
                self.env._(
                    "Some lines still have bills or expenses in draft; post or cancel them "
                    "before settling %(year)s: %(lines)s",
                    year=self.fiscal_year,
                    lines=", ".join(lines.filtered("committed").mapped("name")),
                )
            )
        carried = lines._settle(carry_over=self.carry_over)
        return {
            "type": "ir.actions.act_window",
            "res_model": "cchc.budget.line",
            "view_mode": "list,form",
            "domain": [("id", "in", (lines | carried).ids)],
            "name": self.env._("Settled %s", self.fiscal_year),
        }
