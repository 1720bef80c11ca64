from odoo import fields, models


class CchcPlanReportReopen(models.TransientModel):
    _name = "cchc.plan.report.reopen"
    _description = "Reopen a submitted report"

    report_id = fields.Many2one("cchc.plan.report", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.report_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
