from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class CchcPlanClose(models.TransientModel):
    """Closing a plan lists what is unfinished and keeps that list on the plan."""

    _name = "cchc.plan.close"
    _description = "Close a reform plan"

    plan_id = fields.Many2one("cchc.plan", required=True, readonly=True)
    unfinished_task_ids = fields.Many2many(
        "project.task", compute="_compute_unfinished_task_ids", string="Unfinished tasks"
    )
    note = fields.Text(help="Why the plan is closed with these tasks unfinished, what follows.")

    @api.depends("plan_id")
    def _compute_unfinished_task_ids(self):
        for wizard in self:
            wizard.unfinished_task_ids = wizard.plan_id.unfinished_tasks()

    def action_confirm(self):
        self.ensure_one()
        plan = self.plan_id
        tasks = plan.unfinished_tasks()
        items = Markup().join(
            Markup("<li>%s %s – %s (%s)</li>")
            % (
                escape(task.cchc_number or ""),
                escape(task.name),
                escape(task.lead_agency_id.name or ""),
                escape(
                    dict(task._fields["cchc_status"]._description_selection(self.env)).get(
                        task.cchc_status, ""
                    )
                ),
            )
            for task in tasks
        )
        summary = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Closed with %s unfinished task(s).", len(tasks)),
            items,
        )
        if self.note:
            summary += Markup("<p>%s</p>") % self.note
        plan._check_coordinator()
        if plan.state != "in_force":
            raise UserError(self.env._("Only a plan in force can be closed."))
        plan._set_state("closed", closing_note=summary)
        plan.message_post(body=summary, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
