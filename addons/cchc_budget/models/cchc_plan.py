from odoo import fields, models


class CchcPlan(models.Model):
    _inherit = "cchc.plan"

    analytic_plan_id = fields.Many2one("account.analytic.plan", readonly=True, copy=False)
    budget_line_ids = fields.One2many("cchc.budget.line", "plan_id", string="Budget")

    def _cchc_analytic_plan(self):
        """The plan's analytic plan, under the root plan 'Cải cách hành chính'."""
        self.ensure_one()
        if not self.analytic_plan_id:
            self.sudo().analytic_plan_id = (
                self.env["account.analytic.plan"]
                .sudo()
                .create(
                    {
                        "name": self.number,
                        "parent_id": self.env.ref("cchc_budget.analytic_plan_cchc").id,
                    }
                )
            )
        return self.analytic_plan_id

    def action_view_budget(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cchc_budget.cchc_budget_line_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_export_estimate(self):
        self.ensure_one()
        return self.env.ref("cchc_budget.action_report_budget_estimate_xlsx").report_action(
            self, config=False
        )
